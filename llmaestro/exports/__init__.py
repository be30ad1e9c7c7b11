"""Exports of a registry: JSON, YAML, SQLite and LiteLLM's ``model_cost`` format.

- :func:`export_json` / :func:`export_yaml`: the documented, versioned export file
  (:mod:`llmaestro.catalog.export_model`, ``schemas/export.schema.json``); deterministic, so
  two exports diff cleanly. Prices are exact decimal strings. (:mod:`.document`, :mod:`.yaml`)
- :func:`export_sqlite`: normalized tables with indexes and foreign keys (``docs/sqlite.md``),
  prices as exact TEXT plus a REAL column for sorting, and each object's full JSON
  (:mod:`.sqlite`).
- :func:`export_litellm`: a dictionary ``litellm.register_model()`` accepts (in
  :mod:`llmaestro.exports.litellm`, importable from here).
- :func:`export_text` / :func:`write_export`: any format by name, to text or to a file written
  atomically (:mod:`.write`, :mod:`.files`).
- :func:`read_export`: the JSON or SQLite export (or a compiled bundle) back into an equal
  :class:`~llmaestro.registry.core.Registry`; anything else raises :class:`ExportError`. It
  lives below, with ``load()`` (:mod:`llmaestro.loader.exported`), and is re-exported here.
"""

from __future__ import annotations

from llmaestro import _formats
from llmaestro._formats import EXPORT_FORMAT as EXPORT_FORMAT
from llmaestro._formats import EXPORT_VERSION as EXPORT_VERSION
from llmaestro.errors import ExportError as ExportError
from llmaestro.exports.document import export_document as export_document
from llmaestro.exports.document import export_json as export_json
from llmaestro.exports.files import write_export_text as write_export_text
from llmaestro.exports.litellm import LITELLM_MODES as LITELLM_MODES
from llmaestro.exports.litellm import build_litellm_export as build_litellm_export
from llmaestro.exports.litellm import export_litellm as export_litellm
from llmaestro.exports.litellm import export_litellm_json as export_litellm_json
from llmaestro.exports.litellm import litellm_entry as litellm_entry
from llmaestro.exports.sqlite import CAPABILITY_NAMES as CAPABILITY_NAMES
from llmaestro.exports.sqlite import PRICE_FIELDS as PRICE_FIELDS
from llmaestro.exports.sqlite import RATE_LIMIT_FIELDS as RATE_LIMIT_FIELDS
from llmaestro.exports.sqlite import SERVICE_TIERS as SERVICE_TIERS
from llmaestro.exports.sqlite import SQLITE_APPLICATION_ID as SQLITE_APPLICATION_ID
from llmaestro.exports.sqlite import SQLITE_SCHEMA as SQLITE_SCHEMA
from llmaestro.exports.sqlite import export_sqlite as export_sqlite
from llmaestro.exports.write import EXPORT_FORMATS as EXPORT_FORMATS
from llmaestro.exports.write import ExportFormat as ExportFormat
from llmaestro.exports.write import export_text as export_text
from llmaestro.exports.write import write_export as write_export
from llmaestro.exports.yaml import export_yaml as export_yaml
from llmaestro.loader.exported import SQLITE_MAGIC as SQLITE_MAGIC
from llmaestro.loader.exported import read_export as read_export
from llmaestro.loader.exported import registry_from_export as registry_from_export
from llmaestro.registry.core import Registry as Registry
from llmaestro.registry.jsonable import record_json as record_json

SCHEMA_ID = _formats.EXPORT_SCHEMA_ID
