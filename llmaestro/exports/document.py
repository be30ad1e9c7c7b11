"""The export document: a registry as the versioned, self-describing JSON export.

:func:`export_document` builds it as plain data, keys in the data model's order (the export
schema's, ``schemas/export.schema.json``, generated from
:mod:`llmaestro.catalog.export_model`), lists sorted by id, so two exports diff cleanly;
:func:`export_json` writes it. ``SOURCE_DATE_EPOCH`` fixes the ``generated`` stamp.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping, Sequence
from typing import Any

from llmaestro._formats import EXPORT_FORMAT, EXPORT_VERSION, schema_file
from llmaestro._version import __version__
from llmaestro.errors import ExportError
from llmaestro.registry.core import Registry


def _generated(generated: dt.datetime | str | None) -> str:
    if isinstance(generated, str):
        return generated
    if generated is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch and epoch.strip().isdigit():
            generated = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        else:
            generated = dt.datetime.now(dt.UTC)
    if generated.tzinfo is None:
        generated = generated.replace(tzinfo=dt.UTC)
    return generated.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _generator() -> str:
    return f"llmaestro {__version__}"


_ORDER: list[tuple[dict[str, Any], dict[str, Any]]] = []


def _export_schema() -> tuple[dict[str, Any], dict[str, Any]]:
    """The export's JSON Schema (generated from the data model) and its ``$defs``."""
    if not _ORDER:
        path = schema_file("export.schema.json")
        try:
            with open(path, encoding="utf-8") as handle:
                schema: dict[str, Any] = json.load(handle)
        except (OSError, ValueError) as exc:
            raise ExportError(f"{path}: cannot read the export schema ({exc})") from None
        _ORDER.append((schema, schema.get("$defs", {})))
    return _ORDER[0]


def _in_order(value: Any, schema: Mapping[str, Any], defs: Mapping[str, Any]) -> Any:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        schema = defs.get(ref.rpartition("/")[2], {})
    if isinstance(value, dict):
        props: Mapping[str, Any] = schema.get("properties") or {}
        rank = {key: i for i, key in enumerate(props)}
        keys = sorted(value, key=lambda k: rank.get(k, len(rank)))
        return {k: _in_order(value[k], props.get(k) or {}, defs) for k in keys}
    if isinstance(value, list):
        return [_in_order(v, schema.get("items") or {}, defs) for v in value]
    return value


def _normalize(kind: str, data: Mapping[str, Any], lead: Sequence[str]) -> dict[str, Any]:
    """One object in the data model's key order (the export schema's), ``lead`` keys first.
    The registry's facts were validated when it was built: nothing is checked again here."""
    _, defs = _export_schema()
    dumped: dict[str, Any] = _in_order(dict(data), {"$ref": f"#/$defs/{kind}"}, defs)
    head = {key: dumped.pop(key) for key in lead if key in dumped}
    return {**head, **dumped}


def export_document(
    registry: Registry, *, generated: dt.datetime | str | None = None
) -> dict[str, Any]:
    """The JSON export as plain data (see :mod:`llmaestro.catalog.export_model`)."""
    doc = registry.to_document()
    providers = [
        _normalize("Provider", {**data, "provider": pid}, ("provider",))
        for pid, data in sorted(doc["providers"].items())
    ]
    canonical = []
    for ref, data in sorted(doc["canonical"].items()):
        lab, _, model = ref.partition("/")
        canonical.append(
            _normalize("CanonicalModel", {"lab": lab, "model": model, **data}, ("lab", "model"))
        )
    offerings = [
        _normalize("Offering", data, ("provider", "model", "base")) for data in doc["offerings"]
    ]
    offerings.sort(key=lambda o: f"{o['provider']}/{o['model']}")
    out: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generated": _generated(generated),
        "generator": _generator(),
    }
    if doc.get("fingerprint"):
        out["fingerprint"] = doc["fingerprint"]
    out["providers"] = providers
    out["canonical_models"] = canonical
    out["offerings"] = offerings
    return out


def export_json(registry: Registry, *, generated: dt.datetime | str | None = None) -> str:
    """The JSON export (``schemas/export.schema.json``): sorted, indented, one fact a line."""
    doc = export_document(registry, generated=generated)
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
