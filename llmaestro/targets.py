"""What ``llmaestro validate PATH ...`` checks: complete catalogs alone, private catalogs and
overlays merged over a base catalog, exactly as ``llmaestro.load(overlays=[PATH])`` would.

Each path (a folder, or a file of a catalog folder) belongs to a catalog folder, its root.
A root is checked as a complete catalog of its own (what ``load(catalog=ROOT)`` reads) when

- the base is ``none``, or
- the root is the base catalog folder itself (``llmaestro validate catalog`` in a source
  checkout), or
- no base was named and the root is *self-contained*: every provider folder has its
  ``provider.yaml`` and every ``base:`` names a canonical model in the root's ``models/``;
- the root holds no catalog file at all: there is nothing to overlay, and as a catalog it is
  the error ``load(catalog=ROOT)`` raises (LM042), not an empty overlay that "validates";

otherwise it is an overlay, merged over the base catalog by
:func:`llmaestro.catalog.overlay.merge_overlays`: the code path ``load(overlays=...)`` takes.
An overlay is always checked whole, whichever of its files were named.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from llmaestro.catalog.diagnostics import Diagnostic
from llmaestro.catalog.paths import decode_id, decode_segment
from llmaestro.catalog.tree import find_root
from llmaestro.catalog.validate import ValidationResult, absorb, validate_paths
from llmaestro.loader import base_registry, default_catalog, source_catalog
from llmaestro.registry import Registry
from llmaestro.registry.lifecycle import default_today

NO_BASE = "none"
_BASE_LINE = re.compile(rb"^base:\s*['\"]?([^\s'\"#]+)", re.MULTILINE)


@dataclass
class Base:
    """The catalog overlays are checked against: a folder or a file, ``None`` for none."""

    path: str | None
    #: how messages name it
    label: str
    #: whether it was named (``--base-catalog``) rather than the default
    named: bool = False
    _registry: Registry | None = field(default=None, repr=False)

    @classmethod
    def of(cls, spec: str | None) -> Base:
        """``--base-catalog`` as given: ``None`` for the default, ``"none"`` for no base."""
        if spec == NO_BASE:
            return cls(None, "no base catalog", named=True)
        if spec is not None:
            return cls(spec, spec, named=True)
        path = default_catalog()
        if path == source_catalog():
            label = f"the source checkout's catalog ({path})"
        elif os.environ.get("LLMAESTRO_BUNDLE") == path:
            label = f"the bundle LLMAESTRO_BUNDLE names ({path})"
        else:
            label = "the bundled catalog"
        return cls(path, label)

    def is_folder(self, root: Path) -> bool:
        """Whether ``root`` is the base catalog folder itself."""
        if self.path is None or not os.path.isdir(self.path):
            return False
        try:
            return os.path.samefile(self.path, root)
        except OSError:
            return False

    def registry(self) -> Registry:
        if self._registry is None:
            self._registry = base_registry(self.path)
        return self._registry


def self_contained(root: Path) -> bool:
    """Whether a catalog folder needs no base: it has providers, each with its
    ``provider.yaml``, and every ``base:`` of an offering names one of its canonical models
    (found by a text scan: no YAML parsing)."""
    providers = root / "providers"
    if not providers.is_dir():
        return False
    canonical: set[bytes] = set()
    models = root / "models"
    if models.is_dir():
        for lab_dir in models.iterdir():
            if lab_dir.is_dir():
                for path in lab_dir.rglob("*.yaml"):
                    rel = path.relative_to(lab_dir).as_posix()[: -len(".yaml")]
                    try:
                        ref = f"{decode_segment(lab_dir.name)}/{decode_id(rel)}"
                    except ValueError:
                        continue
                    canonical.add(ref.encode())
    found = False
    for folder in providers.iterdir():
        if not folder.is_dir():
            continue
        found = True
        if not (folder / "provider.yaml").is_file():
            return False
        for path in (folder / "models").rglob("*.yaml"):
            try:
                raw = path.read_bytes()
            except OSError:
                continue
            if b"base:" in raw and any(
                m.group(1) not in canonical for m in _BASE_LINE.finditer(raw)
            ):
                return False
    return found


def holds_no_catalog_file(root: Path) -> bool:
    """Whether ``root`` has no ``.yaml`` file under ``providers/`` or ``models/`` (stops at
    the first one found)."""
    for folder in (root / "providers", root / "models"):
        for _dirpath, _dirs, files in os.walk(folder):
            if any(name.endswith(".yaml") for name in files):
                return False
    return True


@dataclass
class Targets:
    """What one ``llmaestro validate`` run checked, and how."""

    result: ValidationResult
    #: one line per root checked as an overlay: ``ROOT: an overlay on BASE``
    notes: list[str] = field(default_factory=list)


def split_targets(
    paths: Sequence[Path | str], base: Base
) -> tuple[list[Path | str], dict[Path, str]]:
    """The paths to check as (parts of) complete catalogs, and the overlay roots to check
    on ``base`` (each with how diagnostics name it)."""
    standalone: list[Path | str] = []
    overlays: dict[Path, str] = {}
    for raw in paths:
        path = Path(raw)
        is_dir = path.is_dir() and not path.is_symlink()
        root = path if is_dir else find_root(path)
        complete = (
            base.path is None
            or root is None
            or base.is_folder(root)
            or (not base.named and self_contained(root))
            or holds_no_catalog_file(root)
        )
        if complete:
            standalone.append(raw)
        else:
            assert root is not None
            display = str(raw) if is_dir else ("" if str(root) == "." else str(root))
            overlays.setdefault(root, display)
    return standalone, overlays


def validate_targets(
    paths: Sequence[Path | str],
    base: Base,
    *,
    today: dt.date | None = None,
    jobs: int = 1,
) -> Targets:
    """Validate every path: complete catalogs alone, the others as overlays on ``base``."""
    today = today or default_today()
    standalone, overlays = split_targets(paths, base)
    result = (
        validate_paths(standalone, today=today, jobs=jobs) if standalone else ValidationResult()
    )
    out = Targets(result)
    if not overlays:
        return out
    # overlays are read with the pydantic data model (authoring): imported only when a path
    # is checked as an overlay, so a full-catalog validate does not pay for it
    from llmaestro.catalog.overlay import merge_overlays

    registry = base.registry()
    for root, display in overlays.items():
        merged = merge_overlays(registry, [(root, display)], today=today)
        part = ValidationResult(diagnostics=merged.diagnostics)
        part.files_checked = merged.files_checked
        part.counts = {
            "providers": len(merged.providers),
            "canonical": len(merged.canonical),
            "offerings": len(merged.offerings),
        }
        absorb(result, part)
        out.notes.append(f"{display or root}: an overlay on {base.label}")
    result.diagnostics = sorted(set(result.diagnostics), key=Diagnostic.sort_key)
    return out
