"""IMPORT_REPORT.md (stub)."""

from __future__ import annotations

from pathlib import Path

from llmaestro.catalog.importers.merge import Built


def render_report(built: Built, root: Path) -> str:
    del root
    return f"# Import report\n\n{len(built.offerings)} offerings\n"
