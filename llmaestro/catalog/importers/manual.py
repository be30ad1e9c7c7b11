"""Hand-authored facts: `data/manual/`, laid out like the catalog, merged over imported facts.

The catalog is generated; the facts a person checked by hand live in `data/manual/` with the
same layout (`providers/<id>/provider.yaml`, `providers/<id>/models/<model>.yaml`,
`models/<lab>/<model>.yaml`) and the same schemas. An import merges each of them over what the
sources say: a hand-authored value always wins, and every disagreement is reported. Two tables
beside them are read here too: `context_tiers.yaml` (why a price tier above a provider's
window is dropped: :mod:`~.tier_notes`) and `model_windows.yaml` (labs' context windows:
:mod:`~.windows`); `price_history.yaml` is read by :mod:`~.history`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from llmaestro.catalog.importers.common import Facts, copy_data
from llmaestro.catalog.importers.manual_table import ManualError
from llmaestro.catalog.importers.sanitize import as_model_input
from llmaestro.catalog.importers.tier_notes import TierNote, load_tier_notes
from llmaestro.catalog.importers.windows import ModelWindow, load_windows
from llmaestro.catalog.model import CanonicalModelFile, OfferingFile, ProviderFile
from llmaestro.catalog.paths import decode_id, decode_segment
from llmaestro.catalog.yamlread import parse_yaml

__all__ = ["Manual", "ManualError", "load_manual"]


@dataclass
class Manual:
    """The hand-authored overlay."""

    providers: dict[str, Facts] = field(default_factory=dict)
    offerings: dict[tuple[str, str], Facts] = field(default_factory=dict)
    canonical: dict[str, Facts] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    """catalog target -> path of the hand-authored file."""
    tier_notes: tuple[TierNote, ...] = ()
    """`context_tiers.yaml`: why tiers above a provider's window are dropped."""
    windows: tuple[ModelWindow, ...] = ()
    """`model_windows.yaml`: the labs' context windows of canonical models."""


def _load(path: Path, model: Any) -> Facts:
    doc = parse_yaml(path.read_bytes(), str(path))
    if doc.diagnostics:
        raise ManualError("; ".join(d.format() for d in doc.diagnostics))
    if not isinstance(doc.data, dict):
        raise ManualError(f"{path}: not a mapping")
    try:
        model.model_validate(as_model_input(doc.data))
    except ValidationError as exc:
        raise ManualError(f"{path}: {exc}") from None
    data: Facts = copy_data(doc.data)
    data.pop("id", None)
    return data


def _display(root: Path, path: Path) -> str:
    """A hand-authored file's path as reports show it: the overlay folder's last two parts
    (`data/manual`) and the path inside it, the same on every machine."""
    top = "/".join(root.resolve().parts[-2:])
    return f"{top}/{path.relative_to(root).as_posix()}"


def load_manual(root: Path | None) -> Manual:
    """Read `root` (a folder laid out like the catalog); an absent folder is an empty overlay."""
    manual = Manual()
    if root is None or not root.is_dir():
        return manual
    manual.tier_notes = load_tier_notes(root)
    manual.windows = load_windows(root)
    for path in sorted((root / "providers").glob("*/provider.yaml")):
        pid = decode_segment(path.parent.name)
        manual.providers[pid] = _load(path, ProviderFile)
        manual.files[pid] = _display(root, path)
    for path in sorted((root / "providers").glob("*/models/**/*.yaml")):
        pid = decode_segment(path.relative_to(root / "providers").parts[0])
        models_dir = root / "providers" / path.relative_to(root / "providers").parts[0] / "models"
        mid = decode_id(path.relative_to(models_dir).as_posix()[: -len(".yaml")])
        manual.offerings[(pid, mid)] = _load(path, OfferingFile)
        manual.files[f"{pid}/{mid}"] = _display(root, path)
    for path in sorted((root / "models").glob("*/**/*.yaml")):
        rel = path.relative_to(root / "models")
        lab = decode_segment(rel.parts[0])
        mid = decode_id(Path(*rel.parts[1:]).as_posix()[: -len(".yaml")])
        manual.canonical[f"{lab}/{mid}"] = _load(path, CanonicalModelFile)
        manual.files[f"models/{lab}/{mid}"] = _display(root, path)
    return manual
