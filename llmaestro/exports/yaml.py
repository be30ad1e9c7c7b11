"""The YAML export: the JSON export's document in YAML (needs PyYAML, the ``yaml`` extra)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from llmaestro._formats import EXPORT_SCHEMA_ID as SCHEMA_ID
from llmaestro._optional import import_module
from llmaestro.exports.document import export_document
from llmaestro.registry.core import Registry


def export_yaml(registry: Registry, *, generated: dt.datetime | str | None = None) -> str:
    """The same document as :func:`export_json`, in YAML (prices stay quoted strings)."""
    yaml = import_module("yaml", "export --format yaml")

    dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    doc = export_document(registry, generated=generated)
    body = yaml.dump(
        doc, Dumper=dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
    return f"# yaml-language-server: $schema={SCHEMA_ID}\n{body}"
