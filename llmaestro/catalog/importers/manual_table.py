"""The error of a hand-authored file, and reading a hand-checked table of `data/manual/`.

A table (`context_tiers.yaml`, `model_windows.yaml`) is a mapping with one list of entries,
each a mapping; :func:`read_table` returns the entries with the place each is at, for the
messages of the module that checks them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from llmaestro.catalog.yamlread import parse_yaml
from llmaestro.errors import ManualError

__all__ = ["ManualError", "read_table"]


def read_table(
    manual_dir: Path | None, name: str, key: str, fields: frozenset[str]
) -> list[tuple[str, dict[str, Any]]]:
    """``(where, entry)`` for each entry of ``manual_dir / name``'s ``key`` list (none when the
    file is absent); an entry that is not a mapping or has a field not in ``fields`` is an
    error naming the file and the entry."""
    if manual_dir is None or not (manual_dir / name).is_file():
        return []
    path = manual_dir / name
    doc = parse_yaml(path.read_bytes(), str(path))
    if doc.diagnostics:
        raise ManualError("; ".join(d.format() for d in doc.diagnostics))
    entries = doc.data.get(key) if isinstance(doc.data, dict) else None
    if not isinstance(entries, list | tuple):
        raise ManualError(f"{path}: expected a mapping with a `{key}` list")
    out: list[tuple[str, dict[str, Any]]] = []
    for n, entry in enumerate(entries):
        where = f"{path}: {key}[{n}]"
        if not isinstance(entry, dict):
            raise ManualError(f"{where}: not a mapping")
        unknown = set(entry) - fields
        if unknown:
            raise ManualError(f"{where}: unknown field(s) {sorted(unknown)}")
        out.append((where, entry))
    return out
