"""Wheel build hook: compile the catalog into the wheel as llmaestro/_data/catalog.json, and ship
the authoring JSON Schemas (schemas/) as llmaestro/_data/schemas/.

Compiling imports llmaestro's validator from this tree: pydantic and PyYAML, which is why
pyproject.toml's [build-system].requires lists them. Editable installs read both from the
checkout and get neither."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogBundleHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root))
        try:
            from llmaestro.catalog.bundle import compile_catalog
        finally:
            sys.path.pop(0)
        out = Path(tempfile.mkdtemp(prefix="llmaestro-bundle-")) / "catalog.json"
        compile_catalog(root / "catalog", out)
        build_data["force_include"][str(out)] = "llmaestro/_data/catalog.json"
        build_data["force_include"][str(root / "schemas")] = "llmaestro/_data/schemas"
