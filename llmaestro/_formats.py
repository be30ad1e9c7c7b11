"""Format names, versions and the schemas' published URL: shared by the authoring side (schema
generation, pydantic) and the core install (exports), so importable without pydantic."""

from __future__ import annotations

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_SCHEMA_ID",
    "EXPORT_VERSION",
    "SCHEMA_BASE_URL",
    "SCHEMA_VERSION",
    "SITE_SCHEMA_DIR",
    "schema_file",
]

SCHEMA_VERSION = "1"
#: The folder of the catalog site that holds the schemas (``llmaestro site build`` writes it).
SITE_SCHEMA_DIR = f"schemas/v{SCHEMA_VERSION}"
#: Where the schemas are published: that folder of the GitHub Pages site of the repository
#: llmaestro/llmaestro. Each schema's ``$id`` is this plus its file name; the one place that
#: spells the URL (a fork that publishes its own site changes it and runs ``make schemas``).
SCHEMA_BASE_URL = f"https://llmaestro.github.io/llmaestro/{SITE_SCHEMA_DIR}/"

#: The JSON export (``llmaestro export --format json``, :mod:`llmaestro.catalog.export_model`).
EXPORT_FORMAT = "llmaestro-catalog"
EXPORT_VERSION = 1
EXPORT_SCHEMA_ID = SCHEMA_BASE_URL + "export.schema.json"


def schema_file(name: str) -> str:
    """The path of the generated JSON Schema ``name``: shipped in the wheel as
    ``llmaestro/_data/schemas/``, in a source checkout the repository's ``schemas/``."""
    import os

    package = os.path.dirname(os.path.abspath(__file__))
    shipped = os.path.join(package, "_data", "schemas", name)
    if os.path.isfile(shipped):
        return shipped
    return os.path.join(os.path.dirname(package), "schemas", name)
