"""The site's JSON API: ``api/catalog.json`` (the JSON export), one file per provider,
``api/export.schema.json``, ``api/index.json`` (ids, pages and files) and the catalog files'
JSON Schemas at their ``$id`` URLs (``schemas/v1/<name>.schema.json``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from llmaestro.catalog.jsonschemas import SITE_SCHEMA_DIR, schema_texts
from llmaestro.exports import export_document
from llmaestro.registry.core import Registry
from llmaestro.site.data import Site
from llmaestro.site.paths import provider_api_file, provider_page, rel_api

HERE = Path(__file__).resolve().parent
#: Format name and version of ``api/index.json``.
INDEX_FORMAT = "llmaestro-site-index"
INDEX_VERSION = 1


def api_documents(registry: Registry, generated: str, site: Site) -> dict[str, str]:
    """The JSON API files, by path from the site root."""
    doc = export_document(registry, generated=generated)
    files: dict[str, str] = {"api/catalog.json": _dumps(doc)}
    head = {k: v for k, v in doc.items() if k not in ("providers", "canonical_models", "offerings")}
    canonical = {f"{m['lab']}/{m['model']}": m for m in doc["canonical_models"]}
    offerings_by: dict[str, list[dict[str, Any]]] = {}
    for o in doc["offerings"]:
        offerings_by.setdefault(o["provider"], []).append(o)
    for p in doc["providers"]:
        pid = p["provider"]
        own = offerings_by.get(pid, [])
        bases = sorted({o["base"] for o in own if o.get("base") in canonical})
        files[provider_api_file(pid)] = _dumps(
            {
                **head,
                "providers": [p],
                "canonical_models": [canonical[b] for b in bases],
                "offerings": own,
            }
        )
    files["api/export.schema.json"] = _schema_text()
    files["api/index.json"] = _dumps(index_document(site, generated))
    files.update(_published_schemas())
    return files


def _published_schemas() -> dict[str, str]:
    """The generated JSON Schemas (as ``llmaestro schemas`` writes them) where their ``$id``
    points: ``schemas/v1/<name>`` of the site (see ``SCHEMA_BASE_URL``)."""
    return {f"{SITE_SCHEMA_DIR}/{name}": text for name, text in schema_texts().items()}


def _dumps(doc: Any) -> str:
    # the same text llmaestro.exports.export_json writes
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _schema_text() -> str:
    """``schemas/export.schema.json`` of a source checkout, else the same text rendered from
    the data model (the pre-commit hook keeps the two equal)."""
    checked_in = HERE.parent.parent / "schemas" / "export.schema.json"
    if checked_in.is_file():
        return checked_in.read_text("utf-8")
    # the data model needs pydantic; an installed package renders from it only on a miss
    from llmaestro.catalog.export_model import render_export_schema

    return render_export_schema()


def index_document(site: Site, generated: str) -> dict[str, Any]:
    return {
        "format": INDEX_FORMAT,
        "version": INDEX_VERSION,
        "generated": generated,
        "fingerprint": site.registry.info.fingerprint,
        "catalog": "catalog.json",
        "schema": "export.schema.json",
        "providers": [
            {
                "id": v.id,
                "name": v.p.name,
                "file": rel_api(v.api),
                "page": rel_api(v.page),
                "offerings": [r.id for r in v.rows],
            }
            for v in site.provider_views
        ],
        "canonical_models": [
            {
                "id": v.ref,
                "name": v.name,
                "page": rel_api(v.page),
                "offerings": [r.id for r in v.rows],
            }
            for v in site.model_views
        ],
        "offerings": [
            {
                "id": r.id,
                "provider": r.o.provider,
                "model": r.o.model,
                "base": r.o.base,
                "page": rel_api(provider_page(r.o.provider), r.anchor),
            }
            for r in site.rows
        ],
    }
