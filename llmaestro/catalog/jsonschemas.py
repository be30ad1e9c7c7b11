"""JSON Schemas (draft 2020-12) generated from the data model. Never edit schemas/ by hand.

Each schema's ``$id`` is its published URL, :data:`SCHEMA_BASE_URL` + file name: the catalog site
(``llmaestro site build``, deployed to GitHub Pages by ``.github/workflows/pages.yml``) serves
``schemas/v1/<name>`` byte for byte, so a private catalog's first line can read
``# yaml-language-server: $schema=https://llmaestro.github.io/llmaestro/schemas/v1/offering.schema.json``.
Every ``$ref`` is a fragment (``#/$defs/...``) of its own document, so it resolves the same from
the repository's files and from the URL.

An optional field is optional by being absent: the models refuse an explicit ``null``, and the
schemas type optional fields without it (``"type": "number"``, not ``anyOf [number, null]``), so
an editor's message names the real type.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from llmaestro._atomic import write_text_atomic
from llmaestro._formats import SCHEMA_BASE_URL as SCHEMA_BASE_URL
from llmaestro._formats import SCHEMA_VERSION as SCHEMA_VERSION
from llmaestro._formats import SITE_SCHEMA_DIR as SITE_SCHEMA_DIR
from llmaestro.catalog.codegen import RECORDS_PATH, render_records
from llmaestro.catalog.export_model import render_export_schema
from llmaestro.catalog.model import MAX_NUMBER, CanonicalModelFile, OfferingFile, ProviderFile

# SCHEMA_BASE_URL (each schema's $id is it plus the file name), SITE_SCHEMA_DIR and
# SCHEMA_VERSION live in llmaestro/_formats.py, the one place that spells the URL: the core
# install's exports need them without pydantic.

DOCUMENTS: dict[str, tuple[type[BaseModel], str]] = {
    "provider.schema.json": (
        ProviderFile,
        "A provider: catalog/providers/<provider>/provider.yaml.",
    ),
    "offering.schema.json": (
        OfferingFile,
        "A model offering: catalog/providers/<provider>/models/<model>.yaml.",
    ),
    "model.schema.json": (
        CanonicalModelFile,
        "A canonical model: catalog/models/<lab>/<model>.yaml.",
    ),
}


class AbsentNotNull(GenerateJsonSchema):
    """`X | None` of a catalog file is an optional key whose ``None`` means absent (an explicit
    null is refused), so its schema is X's."""

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])


def _strip_defaults(node: Any) -> Any:
    # `default: null` only restates that a key is optional; keep schemas lean.
    if isinstance(node, dict):
        return {
            k: _strip_defaults(v) for k, v in node.items() if not (k == "default" and v is None)
        }
    if isinstance(node, list):
        return [_strip_defaults(v) for v in node]
    return node


def _bound_prices(node: Any) -> Any:
    # A price's own schema, {"type": "number", "minimum": 0}, is how the export's schema
    # recognises a price (written there as text); in a catalog file a price is a number,
    # bounded like every other (MAX_NUMBER), as the model's `le` says.
    if isinstance(node, dict):
        if node.get("type") == "number" and node.get("minimum") == 0:
            node = dict(sorted({**node, "maximum": MAX_NUMBER}.items()))
        return {k: _bound_prices(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_bound_prices(v) for v in node]
    return node


def schema_for(name: str) -> dict[str, Any]:
    """The JSON Schema document written as ``schemas/<name>``."""
    model, description = DOCUMENTS[name]
    body = _bound_prices(
        _strip_defaults(model.model_json_schema(mode="validation", schema_generator=AbsentNotNull))
    )
    head = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_BASE_URL + name,
        "title": body.pop("title", model.__name__),
        "description": description + " Generated from llmaestro's data model; run `make schemas`.",
    }
    body.pop("description", None)
    return {**head, **body}


def render(name: str) -> str:
    return json.dumps(schema_for(name), indent=2, ensure_ascii=False) + "\n"


def extra_documents() -> dict[str, str]:
    """Other generated schemas: the export format's."""
    return {"export.schema.json": render_export_schema()}


def schema_texts() -> dict[str, str]:
    """Every generated schema by file name: the text ``schemas/<name>`` holds and the catalog
    site publishes at ``SCHEMA_BASE_URL + name``."""
    wanted = {name: render(name) for name in DOCUMENTS}
    wanted.update(extra_documents())
    return wanted


def write_schemas(out: Path, *, check: bool = False) -> list[str]:
    """Write every schema whose text changed; return the names that were (or would be) written."""
    wanted = schema_texts()
    targets = {out / name: text for name, text in wanted.items()}
    # the generated runtime records live in the package: regenerated in a source checkout
    # only, never inside an installed package
    if (RECORDS_PATH.parent.parent / "pyproject.toml").is_file():
        targets[RECORDS_PATH] = render_records()
    changed = []
    for path, text in targets.items():
        name = path.name if path.parent == out else str(path)
        current = path.read_text("utf-8") if path.is_file() else None
        if current != text:
            changed.append(name)
            if not check:
                write_text_atomic(path, text)
    return changed
