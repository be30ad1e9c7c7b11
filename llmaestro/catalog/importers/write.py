"""Write a built catalog: each file's data in the model's key order, at its path, only when
its text changed; stale catalog YAML files are removed."""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from llmaestro.catalog.importers.common import Facts
from llmaestro.catalog.importers.draft import Built
from llmaestro.catalog.importers.sanitize import as_model_input
from llmaestro.catalog.model import CanonicalModelFile
from llmaestro.catalog.paths import encode_id, encode_segment
from llmaestro.catalog.tree import schema_comment_for
from llmaestro.catalog.writer import render, write_if_changed


def model_order(data: Facts, model: Any) -> Facts:
    """``data`` validated by ``model`` and dumped back: keys in the model's order, no None."""
    obj = model.model_validate(as_model_input(data))
    dumped: Facts = _with_decimal_point(obj.model_dump(exclude_none=True))
    return dumped


def _with_decimal_point(value: Any) -> Any:
    """A whole-number Decimal (``10``) as ``10.0``: the YAML writer tags a Decimal that has no
    decimal point (``!!float '10'``), which the strict reader rejects; ``10.0`` reads back as
    the same price."""
    if isinstance(value, dict):
        return {k: _with_decimal_point(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_with_decimal_point(v) for v in value]
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= 0:
            return value.quantize(Decimal("0.1"))
    return value


def offering_path(root: Path, provider: str, model: str) -> Path:
    return root / "providers" / encode_segment(provider) / "models" / (encode_id(model) + ".yaml")


def canonical_path(root: Path, ref: str) -> Path:
    lab, model = ref.split("/", 1)
    return root / "models" / encode_segment(lab) / (encode_id(model) + ".yaml")


def provider_path(root: Path, provider: str) -> Path:
    return root / "providers" / encode_segment(provider) / "provider.yaml"


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


def write_catalog(built: Built, root: Path) -> WriteStats:
    """Write every file (only those whose text changed) and remove stale catalog YAML files."""
    stats = WriteStats()
    keep: set[Path] = set()

    def put(path: Path, data: Facts, kind: Any) -> None:
        text = render(data, schema_comment_for(path, root, kind))
        keep.add(path)
        if write_if_changed(path, text):
            stats.written += 1
        else:
            stats.unchanged += 1

    for pid, facts in sorted(built.providers.items()):
        put(provider_path(root, pid), facts, "provider")
    for ref, facts in sorted(built.canonical.items()):
        put(canonical_path(root, ref), model_order(facts, CanonicalModelFile), "canonical")
    for (pid, mid), facts in sorted(built.offering_files.items()):
        put(offering_path(root, pid, mid), facts, "offering")
    for folder in ("providers", "models"):
        top = root / folder
        if not top.is_dir():
            continue
        for dirpath, _dirs, files in os.walk(top, topdown=False):
            here = Path(dirpath)
            for name in files:
                path = here / name
                if path not in keep:
                    path.unlink()
                    stats.removed += 1
            if here != top and not any(here.iterdir()):
                here.rmdir()
    return stats
