"""The compiled bundle: the validated, resolved catalog in one compact binary file.

The runtime (``llmaestro.load()``) reads only this file. It is a build output, never
committed: the wheel build writes it into ``llmaestro/_data/catalog.json`` (see
``hatch_build.py``) and a source checkout compiles it on demand into the per-user cache
(:mod:`.cachedir`), keyed by the catalog's :func:`fingerprint`, so an edited catalog is
recompiled on the next load. Every bundle ends with a seal (the SHA-256 of its bytes);
a cached one is used only when it is the user's own, its seal matches and it names the
fingerprint it is filed under; anything else is rebuilt.

The seal is hashed once per cached file, not on every load: once it matched, a memo beside
the bundle (``bundle-<key>.sealed``, the user's own like the bundle) records the file's
device, inode, size, modification and change times, and a later load whose ``fstat`` of the
opened bundle gives the same figures skips the hash (:mod:`.seal_memo`, which says why that
is the hash's answer and keeps git's "racy" rule). The sweep removes memos with their bundles.
"""

from __future__ import annotations

import contextlib
import os
import time

from llmaestro._version import __version__
from llmaestro.catalog.cachedir import (
    cache_dir,
    existing_trusted_folder,
    read_private_entry,
    trusted_cache_dir,
    warn_once,
    write_private,
)
from llmaestro.catalog.fingerprint import fingerprint as catalog_fingerprint
from llmaestro.catalog.seal_memo import memo_names_a_file, sealed
from llmaestro.errors import CatalogError, CatalogValidationError
from llmaestro.registry.bundle_layout import pack
from llmaestro.registry.bundle_reader import (
    BUNDLE_VERSION,
    columns_of,
    seal,
)

# What a source checkout's `load()` imports (the cached bundle is found, checked and mapped)
# is kept small: json, typing and the atomic writer (tempfile, shutil: ~10 ms) are imported
# only to compile or write a bundle.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import mmap
    from pathlib import Path
    from typing import Any

    from llmaestro.catalog.validate import ValidationResult

__all__ = [
    "BUNDLE_FORMAT",
    "bundle_bytes",
    "cache_dir",
    "compile_catalog",
    "compiled_bundle",
    "fingerprint",
]

BUNDLE_FORMAT = "llmaestro-bundle"


def fingerprint(root: str | os.PathLike[str]) -> str:
    """The cache key of the catalog folder ``root``: a digest of its files' names, sizes,
    modification and change times, and of the format and package version; any edit,
    addition, removal or rename changes it. Taken by
    :func:`llmaestro.catalog.fingerprint.fingerprint` (which says why metadata and how a
    repeated load skips listing the folders). Trust does not rest on the key: it rests on
    who may write the cache (:mod:`.cachedir`) and on the bundle's seal."""
    return catalog_fingerprint(root, f"{BUNDLE_FORMAT}:{BUNDLE_VERSION}:{__version__}")


def bundle_bytes(result: ValidationResult, fp: str) -> bytes:
    """The bundle (format version 7, :mod:`llmaestro.registry.bundle_layout`) of a
    validation result's resolved objects, sealed.

    The query columns are packed binary with their sort orders precomputed, and every
    provider's, canonical model's and offering's facts are one JSON text each, decoded on
    first use; the seal line (the SHA-256 of everything before it) ends the file.
    """

    def dump(obj: Any) -> dict[str, Any]:
        data: dict[str, Any] = obj.model_dump(mode="json", exclude_none=True)
        return data

    import json

    def text(data: dict[str, Any]) -> bytes:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    ids, rows, chunks = [], [], []
    billing = {pid: dump(p).get("billing") for pid, p in result.providers.items()}
    for (pid, mid), offering in sorted(result.offerings.items()):
        data = dump(offering)
        if "billing" not in data:  # inherited from the provider; a provider says per_token
            data["billing"] = billing.get(pid) or {"kind": "per_token"}
        ids.append(f"{pid}/{mid}")
        rows.append(columns_of(data))
        chunks.append(text(data))
    providers = {pid: text(dump(p)) for pid, p in sorted(result.providers.items())}
    canonical = {ref: text(dump(m)) for ref, m in sorted(result.canonical.items())}
    return seal(pack(fp, providers, canonical, ids, rows, chunks))


def _compile(root: Path, fp: str) -> tuple[bytes, str]:
    """The sealed bundle of ``root`` and its summary; raise on any catalog error."""
    from llmaestro._optional import require

    require("compiling a catalog folder (load(catalog=DIR), llmaestro compile)", "pydantic", "yaml")
    from llmaestro.catalog.validate import validate_catalog  # pydantic: only to compile

    result = validate_catalog(root, display_root=str(root))
    if not result.ok:
        raise CatalogValidationError(result.errors)
    s = result.summary()
    summary = (
        f"{s['providers']} providers, {s['canonical_models']} canonical, {s['offerings']} offerings"
    )
    return bundle_bytes(result, fp), summary


def compile_catalog(root: Path, out: Path | str) -> str:
    """Validate ``root`` and write its bundle to ``out`` (``-``: standard output) atomically;
    return a summary. Raise on any catalog error; an ``out`` that cannot be written (a
    folder, a device, a read-only place) is a one-line :class:`CatalogError`, and nothing is
    written."""

    def cannot(exc: OSError) -> CatalogError:
        return CatalogError(f"{out}: cannot write the bundle: {exc.strerror or exc}")

    from llmaestro._atomic import STDOUT, resolve_target, write_output

    if os.fspath(out) != STDOUT:
        try:
            resolve_target(out)  # before the compile: a folder or a device is refused at once
        except OSError as exc:
            raise cannot(exc) from None
    data, summary = _compile(root, fingerprint(root))
    try:
        write_output(out, data)
    except OSError as exc:
        raise cannot(exc) from None
    return summary


#: The cache's bounds, applied when a new bundle is cached: the newest :data:`_KEEP` bundles
#: always stay; an older one goes when it is older than :data:`_STALE_BUNDLE` seconds or
#: the bundles newer than it already take :data:`_MAX_BYTES` (each compile of an edited
#: catalog adds ~6 MB; a test run adds many small ones, which must not evict the catalog's).
#: Temporary files of killed compiles go after :data:`_STALE_TMP` seconds. The memo of a
#: bundle named by path (``file-*.sealed``) goes when that file is gone or the memo is older
#: than :data:`_STALE_FILE_MEMO` seconds (the next load of that file hashes it and writes a
#: new one).
_KEEP = 4
_STALE_BUNDLE = 7 * 86400.0
_MAX_BYTES = 256 * 2**20
_STALE_TMP = 3600.0
_STALE_FILE_MEMO = 30 * 86400.0


def compiled_bundle(root: str | os.PathLike[str]) -> tuple[bytes | mmap.mmap, str]:
    """The sealed bundle of the catalog folder ``root`` and where it lives (its source).

    From the cache when a trusted entry (:func:`~llmaestro.catalog.cachedir.read_private`)
    is filed under ``root``'s fingerprint, is sealed and names that fingerprint; otherwise
    compiled now, and cached when the cache can be written. When it cannot (read-only home,
    full disk, a folder that is not the user's), the bundle is used from memory after one
    warning (:class:`~llmaestro.catalog.cachedir.CatalogCacheWarning`).

    A hit works on strings (the folder that exists already, the entry's path): pathlib and
    the folder's creation are for a miss."""
    fp = fingerprint(root)
    existing = existing_trusted_folder()
    if existing is not None:
        found = os.path.join(existing, f"bundle-{fp}.json")
        entry = read_private_entry(found)
        if entry is not None:
            data, st = entry
            if _matches(data, fp, found, st):
                return data, found
            if not isinstance(data, bytes):
                data.close()  # the map of a rejected entry
    from pathlib import Path

    root = Path(root)
    folder = trusted_cache_dir()
    path = None if folder is None else folder / f"bundle-{fp}.json"
    fresh, _ = _compile(root, fp)
    if folder is None or path is None:
        return fresh, str(root)
    try:
        write_private(path, fresh)
    except OSError as exc:
        warn_once(folder, f"cannot write {path.name}: {exc.strerror or exc}")
        return fresh, str(root)
    _sweep(folder, keep=path.name)
    return fresh, str(path)


def _matches(data: bytes | mmap.mmap, fp: str, path: str, st: os.stat_result) -> bool:
    """Whether ``data`` (read from ``path``, whose descriptor's status is ``st``) is sealed
    (:func:`~llmaestro.catalog.seal_memo.sealed`, its memo beside it) and its index line names
    fingerprint ``fp`` (a bundle of another catalog, renamed, does not do)."""
    newline = data.find(b"\n")
    if newline <= 0 or data.find(f'"fingerprint":"{fp}"'.encode("ascii"), 0, newline) <= 0:
        return False
    return sealed(data, st, f"{path[: -len('.json')]}.sealed", os.path.basename(path))


def _sweep(folder: Path, *, keep: str) -> None:
    """Remove stale temporary files and the user's cached bundles beyond the cache's bounds
    (see :data:`_KEEP`). Never raises."""
    now = time.time()
    bundles: list[tuple[float, int, Path]] = []
    memos: set[str] = set()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                if name.startswith(".bundle-") and name.endswith(".tmp"):
                    if now - st.st_mtime > _STALE_TMP:
                        _remove(folder / name)
                elif name.startswith("bundle-") and name.endswith(".json") and name != keep:
                    bundles.append((st.st_mtime, st.st_size, folder / name))
                elif name.startswith("bundle-") and name.endswith(".sealed"):
                    memos.add(name)
                elif (
                    name.startswith("file-")
                    and name.endswith(".sealed")
                    and (now - st.st_mtime > _STALE_FILE_MEMO or not memo_names_a_file(entry.path))
                ):
                    _remove(folder / name)
    except OSError:
        return
    total = 0
    for i, (mtime, size, path) in enumerate(sorted(bundles, reverse=True)):
        total += size
        if i >= _KEEP - 1 and (now - mtime > _STALE_BUNDLE or total > _MAX_BYTES):
            _remove(path)
        else:
            memos.discard(f"{path.stem}.sealed")
    memos.discard(f"{keep[: -len('.json')]}.sealed")
    for name in memos:  # the memo of a bundle that is gone
        _remove(folder / name)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
