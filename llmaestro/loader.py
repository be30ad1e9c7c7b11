"""`llmaestro.load()`: the registry of the bundled catalog, a catalog folder, or an export."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from llmaestro.errors import CatalogError
from llmaestro.registry import Registry

_PACKAGED = Path(__file__).resolve().parent / "_data" / "catalog.json"
_DEFAULT: dict[bool, Registry] = {}


def _overlay_dirs(overlays: Iterable[str | os.PathLike[str]]) -> list[Path]:
    dirs = [Path(p) for p in overlays]
    env = os.environ.get("LLMAESTRO_CATALOG_PATH")
    if env:
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
    return dirs


def _source_catalog() -> Path | None:
    here = Path(__file__).resolve().parent.parent / "catalog"
    return (
        here
        if (here / "providers").is_dir() and (here.parent / "pyproject.toml").is_file()
        else None
    )


def _bundle_for(catalog: Path | None) -> Path:
    if catalog is None:
        pinned = os.environ.get("LLMAESTRO_BUNDLE")
        if pinned:
            return Path(pinned)
        # a source checkout compiles its own catalog/ (so edits show at once); a wheel has
        # the bundle its build hook compiled
        source = _source_catalog()
        if source is not None:
            from llmaestro.catalog.bundle import cached_bundle

            return cached_bundle(source)
        if _PACKAGED.is_file():
            return _PACKAGED
        raise CatalogError(  # pragma: no cover - a broken installation
            "no compiled catalog in the package and no source catalog/ beside it; "
            "reinstall llmaestro or pass load(catalog=...)"
        )
    if catalog.is_dir():
        from llmaestro.catalog.bundle import cached_bundle

        return cached_bundle(catalog)
    if not catalog.is_file():
        raise CatalogError(f"{catalog}: no such catalog folder or file")
    return catalog


def _is_bundle(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(28) == b'{"format":"llmaestro-bundle"'


def load(
    *,
    catalog: str | os.PathLike[str] | None = None,
    overlays: Iterable[str | os.PathLike[str]] = (),
    include_retired: bool = False,
) -> Registry:
    """The registry of a catalog.

    - ``catalog=None``: the catalog bundled with the package (no YAML, no network); the
      environment variable ``LLMAESTRO_BUNDLE`` may name another compiled bundle. In a source
      checkout, the repository's ``catalog/`` compiled on demand and cached by content.
    - ``catalog=DIR``: a catalog folder, validated, compiled and cached by content.
    - ``catalog=FILE``: a compiled bundle, or a JSON or SQLite export (``llmaestro export``).
    - ``overlays``: folders of provider/model YAML (private deployments, fine-tunes, negotiated
      prices, overrides) validated by the same rules and merged on top; the environment
      variable ``LLMAESTRO_CATALOG_PATH`` (``os.pathsep``-separated) adds more.
    - ``include_retired``: whether queries include retired models by default.

    Raises :class:`~llmaestro.errors.CatalogValidationError` listing every problem when a
    catalog or an overlay is invalid.
    """
    dirs = _overlay_dirs(overlays)
    path = Path(catalog) if catalog is not None else None
    if path is None and not dirs:
        cached = _DEFAULT.get(include_retired)
        if cached is not None:
            return cached
    bundle = _bundle_for(path)
    if bundle == path and not _is_bundle(bundle):
        from llmaestro.exports import read_export

        registry = read_export(bundle, include_retired=include_retired)
    else:
        registry = Registry.from_bundle_file(str(bundle), include_retired=include_retired)
    if dirs:
        from llmaestro.catalog.overlay import apply_overlays

        registry = apply_overlays(registry, dirs, include_retired=include_retired)
    if path is None and not dirs:
        _DEFAULT[include_retired] = registry
    return registry
