"""`llmaestro.load()`: the registry of the bundled catalog, a catalog folder, or an export.

:mod:`.exported` reads an export back (``load(catalog=FILE)``).

The default path (the bundled catalog) imports nothing beyond the registry: no pathlib, no
pydantic, no YAML.
"""

from __future__ import annotations

import datetime as dt
import os

from llmaestro.errors import CatalogError
from llmaestro.registry.core import Registry
from llmaestro.registry.lifecycle import default_today

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

_HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the package folder
_PACKAGED = os.path.join(_HERE, "_data", "catalog.json")
#: the default registry of this process, by ``LLMAESTRO_BUNDLE`` (a changed variable is
#: another catalog), ``include_retired`` and the registry's date (a new day is a new registry:
#: statuses are as of it)
_DEFAULT: dict[tuple[str | None, bool, dt.date], Registry] = {}


def _overlay_dirs(overlays: Iterable[str | os.PathLike[str]]) -> list[str]:
    dirs = [os.fspath(p) for p in overlays]
    env = os.environ.get("LLMAESTRO_CATALOG_PATH")
    if env:
        dirs += [p for p in env.split(os.pathsep) if p]
    return dirs


def source_catalog() -> str | None:
    """The repository's ``catalog/`` folder when llmaestro runs from a source checkout."""
    repo = os.path.dirname(_HERE)
    here = os.path.join(repo, "catalog")
    if os.path.isdir(os.path.join(here, "providers")) and os.path.isfile(
        os.path.join(repo, "pyproject.toml")
    ):
        return here
    return None


def default_catalog() -> str:
    """The catalog ``load()`` reads when given none, as a path (a folder or a bundle file).

    The one place that decides it, for the library and every command: the compiled bundle
    the environment variable ``LLMAESTRO_BUNDLE`` names; else, in a source checkout, the
    repository's ``catalog/`` folder (so edits show at once); else the bundle the wheel's
    build hook compiled into the package."""
    pinned = os.environ.get("LLMAESTRO_BUNDLE")
    if pinned:
        return pinned
    source = source_catalog()
    if source is not None:
        return source
    if os.path.isfile(_PACKAGED):
        return _PACKAGED
    raise CatalogError(  # pragma: no cover - a broken installation
        "no compiled catalog in the package and no source catalog/ beside it; "
        "reinstall llmaestro or pass load(catalog=...)"
    )


def catalog_folder_in_reach() -> str | None:
    """The catalog folder a command works on when given none: ``./catalog`` in the working
    directory when it has a catalog's layout, else the source checkout's ``catalog/``."""
    if os.path.isdir(os.path.join("catalog", "providers")) or os.path.isdir(
        os.path.join("catalog", "models")
    ):
        return "catalog"
    return source_catalog()


def _compiled(folder: str, *, include_retired: bool, today: dt.date | None) -> Registry:
    # authoring (hashlib, the validator on a cache miss): only for catalog folders, never on
    # the default path of `import llmaestro; load()`
    from llmaestro.catalog.bundle import compiled_bundle

    data, source = compiled_bundle(folder)
    return Registry.from_bundle_bytes(
        data, source=source, include_retired=include_retired, today=today
    )


def _is_bundle(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(28) == b'{"format":"llmaestro-bundle"'
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read the catalog: {exc.strerror or exc}") from None


def load(
    *,
    catalog: str | os.PathLike[str] | None = None,
    overlays: Iterable[str | os.PathLike[str]] = (),
    include_retired: bool = False,
    today: dt.date | None = None,
) -> Registry:
    """The registry of a catalog.

    - ``catalog=None``: the catalog bundled with the package (no YAML, no network); the
      environment variable ``LLMAESTRO_BUNDLE`` may name another compiled bundle. In a source
      checkout, the repository's ``catalog/`` compiled on demand and cached by content.
    - ``catalog=DIR``: a catalog folder, validated, compiled and cached in a folder private
      to the user (:mod:`llmaestro.catalog.cachedir`); a cached bundle is used only when it
      is the user's own and intact (its SHA-256 seal), else compiled again. With no
      writable cache, the bundle is compiled in memory after one ``CatalogCacheWarning``.
    - ``catalog=FILE``: a compiled bundle (used only when its seal matches its bytes, as is
      the package's own and ``LLMAESTRO_BUNDLE``'s), or a JSON or SQLite export
      (``llmaestro export``).
    - ``overlays``: folders of provider/model YAML (private deployments, fine-tunes, negotiated
      prices, overrides) validated by the same rules and merged on top; the environment
      variable ``LLMAESTRO_CATALOG_PATH`` (``os.pathsep``-separated) adds more.
    - ``include_retired``: whether queries include retired models by default.
    - ``today``: the registry's date (default: today UTC). Every record's
      ``lifecycle.status`` is its status as of that day (``retired`` from the retirement
      date, ``deprecated`` from the deprecation date, ``preview`` when declared, else
      ``active``; never None), and so is what ``status=`` filters and default queries (which
      leave retired offerings out) see. See :mod:`llmaestro.registry.lifecycle`.

    Raises :class:`~llmaestro.errors.CatalogValidationError` listing every problem when a
    catalog or an overlay is invalid.
    """
    dirs = _overlay_dirs(overlays)
    path = os.fspath(catalog) if catalog is not None else None
    day = today if today is not None else default_today()
    key = (os.environ.get("LLMAESTRO_BUNDLE"), include_retired, day)
    if path is None and not dirs:
        cached = _DEFAULT.get(key)
        if cached is not None:
            return cached
    registry = base_registry(path, include_retired=include_retired, today=day)
    if dirs:
        from pathlib import Path

        from llmaestro._optional import require

        require("load(overlays=...) and LLMAESTRO_CATALOG_PATH", "pydantic", "yaml")
        from llmaestro.catalog.overlay import apply_overlays

        registry = apply_overlays(
            registry, [Path(d) for d in dirs], include_retired=include_retired, today=day
        )
    if path is None and not dirs:
        _DEFAULT[key] = registry
    return registry


def base_registry(
    catalog: str | os.PathLike[str] | None = None,
    *,
    include_retired: bool = False,
    today: dt.date | None = None,
) -> Registry:
    """The registry of one catalog alone (``None``: :func:`default_catalog`), without any
    overlay, not even ``LLMAESTRO_CATALOG_PATH``'s: what overlays are validated against.
    ``today`` is its date (default: today UTC), as in :func:`load`."""
    path = os.fspath(catalog) if catalog is not None else None
    if path is None:
        path = default_catalog()
        if path == os.environ.get("LLMAESTRO_BUNDLE") and not os.path.isfile(path):
            what = "a folder" if os.path.isdir(path) else "no such file"
            raise CatalogError(
                f"LLMAESTRO_BUNDLE={path}: {what}; it must name a compiled bundle "
                "(`llmaestro compile --out FILE`), or be unset"
            )
    if os.path.isdir(path):
        return _compiled(path, include_retired=include_retired, today=today)
    if not os.path.isfile(path):
        if os.path.exists(path):  # a FIFO or a device: never opened (it could block)
            raise CatalogError(f"{path}: not a catalog folder or a regular file")
        raise CatalogError(f"{path}: no such catalog folder or file")
    if not _is_bundle(path):
        # Imported here for cold start: .exported (pathlib, sqlite3) adds ~13 ms to a ~62 ms
        # `import llmaestro` (python -X importtime, median of 15).
        from llmaestro.loader.exported import read_export

        return read_export(path, include_retired=include_retired, today=today)
    # its seal checked (hashed once per file: catalog.seal_memo; no pathlib, no hashlib on a hit)
    from llmaestro.catalog.seal_memo import open_sealed_bundle

    data = open_sealed_bundle(path)
    return Registry.from_bundle_bytes(
        data, source=path, include_retired=include_retired, today=today
    )
