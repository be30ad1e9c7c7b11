"""The JSON export format (``llmaestro export --format json``) and its JSON Schema.

The model of the document :mod:`llmaestro.exports` writes and :mod:`llmaestro.loader` reads
back; it lives with the catalog's data model, below both.

The export is one self-describing file::

    {
      "format": "llmaestro-catalog",
      "version": 1,
      "generated": "2026-11-27T12:00:00Z",
      "generator": "llmaestro 0.1.0",
      "fingerprint": "...",
      "providers": [ {...}, ... ],          sorted by `provider`
      "canonical_models": [ {...}, ... ],   sorted by `lab/model`
      "offerings": [ {...}, ... ]           sorted by `provider/model`
    }

Each entry is a resolved catalog object (:class:`~llmaestro.catalog.model.Provider`,
:class:`~llmaestro.catalog.model.CanonicalModel`, :class:`~llmaestro.catalog.model.Offering`), with
unknown facts omitted, dates as ISO strings and prices as decimal strings (exact: ``"2.50"``,
never a binary float). Every offering keeps its ``base`` link to its canonical model.

``schemas/export.schema.json`` is generated from :class:`ExportDocument`; run ``make schemas``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, WithJsonSchema

from llmaestro._formats import EXPORT_FORMAT as EXPORT_FORMAT
from llmaestro._formats import EXPORT_SCHEMA_ID
from llmaestro._formats import EXPORT_VERSION as EXPORT_VERSION
from llmaestro.catalog.model import CanonicalModel, Offering, Provider

SCHEMA_ID = EXPORT_SCHEMA_ID

#: A price as written in an export: a non-negative decimal number as a JSON string.
PRICE_PATTERN = r"^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$"
PRICE_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": PRICE_PATTERN,
    "description": (
        'USD as an exact decimal string, e.g. `"2.50"` (never a binary float). Token prices '
        'are per 1M tokens; `"0"` is free; an absent price is unknown.'
    ),
    "examples": ["2.50", "0.075", "0"],
}


class ExportDocument(BaseModel):
    """A whole catalog in one file, written by `llmaestro export --format json` and read back by
    `llmaestro.load(catalog=FILE)`. Deterministic: lists are sorted by id and keys follow the
    data model's order, so two exports diff cleanly."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    format: Literal["llmaestro-catalog"]
    """Always `llmaestro-catalog`."""
    version: Literal[1]
    """Format version. Readers refuse versions they do not know; additions that old readers can
    ignore keep the version, anything else bumps it."""
    generated: Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
    """When the export was written (UTC, RFC 3339). `SOURCE_DATE_EPOCH` fixes it for
    reproducible builds."""
    generator: str
    """The program that wrote the file, e.g. `llmaestro 0.1.0`."""
    fingerprint: str | None = None
    """Fingerprint of the compiled catalog the export was made from, when known."""
    providers: tuple[Provider, ...]
    """Every provider, sorted by `provider`."""
    canonical_models: tuple[CanonicalModel, ...]
    """Every canonical model (a model as its lab made it), sorted by `lab/model`."""
    offerings: tuple[Offering, ...]
    """Every offering (a model as a provider sells it, its canonical model's facts merged in),
    sorted by `provider/model`. `base` links each offering to its canonical model."""


def _is_price(node: Any) -> bool:
    return bool(node == {"type": "number", "minimum": 0})


def _tighten(node: Any) -> Any:
    """Prices become decimal strings, `null` alternatives go (None is omitted), defaults go."""
    if isinstance(node, list):
        return [_tighten(v) for v in node]
    if not isinstance(node, dict):
        return node
    if _is_price(node):
        return {"$ref": "#/$defs/Price"}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "default" and value is None:
            continue
        out[key] = _tighten(value)
    options = out.get("anyOf")
    if isinstance(options, list):
        kept = [o for o in options if o != {"type": "null"}]
        if len(kept) == 1 and isinstance(kept[0], dict):
            del out["anyOf"]
            out = {**kept[0], **out}
        else:
            out["anyOf"] = kept
    return out


def export_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the JSON export."""
    body = ExportDocument.model_json_schema(mode="validation")
    description = body.pop("description", "")
    body.pop("title", None)
    tightened: dict[str, Any] = _tighten(body)
    defs = dict(tightened.pop("$defs", {}))
    defs["Price"] = PRICE_SCHEMA
    tightened["$defs"] = dict(sorted(defs.items()))
    head = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "llmaestro catalog export",
        # The path names this module's old home: the text stays so the generated schema stays
        # byte-identical (a later change to the model may update it).
        "description": description
        + " Generated from llmaestro's data model (llmaestro/exports/schema.py); run "
        "`make schemas`.",
    }
    return {**head, **tightened}


def render_export_schema() -> str:
    """The text of ``schemas/export.schema.json``."""
    return json.dumps(export_schema(), indent=2, ensure_ascii=False) + "\n"
