"""A bundle's seal, hashed once per file: the memo that says a file's bytes were checked.

A compiled bundle ends with a seal line, the SHA-256 of every byte before it
(:func:`llmaestro.registry.bundle_reader.is_sealed`): a flipped, missing or added byte makes it
fail. Hashing a whole bundle costs its reading (every page of ~8 MB) and the hash, ~10 ms of a
~50 ms process, so once a file's seal matched, a memo in the user's cache folder
(:mod:`~llmaestro.catalog.cachedir`, read and written under its trust rules) records the
file's device, inode, size, modification and change times (nanoseconds). A later load whose
``fstat`` of the opened file gives the same figures takes the seal as matching; any write to
the file changes its change time, which no user can set back. A file changed less than
:data:`RACY_NS` before its check gets no memo: a write within the file system clock's tick
could leave the times as they were.

Two kinds of memo: a cached bundle's sits beside it (``bundle-<key>.sealed``, swept with it,
:mod:`~llmaestro.catalog.bundle`); a bundle named by path (``load(catalog=FILE)``,
``LLMAESTRO_BUNDLE``, the package's own) has ``file-<crc32 of its real path>.sealed``, which
names that path (swept when that file is gone or the memo is a month old). This module
imports no pathlib (the load path of an installed package).
"""

from __future__ import annotations

import contextlib
import marshal
import mmap
import os
import stat
import time

from llmaestro.catalog.cachedir import (
    cache_folder,
    existing_trusted_folder,
    read_private,
    write_private,
)
from llmaestro.errors import CatalogError
from llmaestro.registry.bundle_layout import header_version
from llmaestro.registry.bundle_reader import BUNDLE_VERSION, is_sealed

__all__ = ["FORMAT", "RACY_NS", "memo_names_a_file", "open_sealed_bundle", "sealed"]

#: The memo's format; another one is not read.
FORMAT = "llmaestro-sealed-1"
#: A file changed this recently (in ns) before its check gets no memo (coarse file-system
#: clocks lag the system clock by a tick; FAT counts in 2 s).
RACY_NS = 2_000_000_000


def sealed(data: bytes | mmap.mmap, st: os.stat_result, memo: str | None, name: str) -> bool:
    """Whether ``data`` (read from the file named ``name``, whose descriptor's status is
    ``st``) is sealed: taken as so when the memo at ``memo`` records ``st``'s figures; else
    hashed, and a match recorded (when the file is older than :data:`RACY_NS`)."""
    doc = (FORMAT, name, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    if memo is not None:
        kept = read_private(memo)
        if kept is not None:
            try:
                if marshal.loads(kept) == doc:
                    return True
            except (EOFError, ValueError, TypeError):
                pass
            finally:
                if not isinstance(kept, bytes):
                    kept.close()
    if not is_sealed(data):
        return False
    if memo is not None and time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS:
        with contextlib.suppress(OSError, ValueError):  # without one the next load hashes
            write_private(memo, marshal.dumps(doc))
    return True


def memo_names_a_file(memo: str) -> bool:
    """Whether the memo at ``memo`` is of this format and names a file that exists (for the
    sweep: a memo that cannot be read names none)."""
    try:
        with open(memo, "rb") as handle:
            doc = marshal.loads(handle.read(4096))
    except (OSError, EOFError, ValueError, TypeError):
        return False
    if not (isinstance(doc, tuple) and len(doc) > 1 and doc[0] == FORMAT):
        return False
    return isinstance(doc[1], str) and os.path.isfile(doc[1])


def _file_memo(real: str) -> str | None:
    """Where the memo of the bundle at ``real`` lives (None: no trusted cache folder, made
    ``0700`` when missing, as for cached bundles)."""
    folder = existing_trusted_folder()
    if folder is None:
        with contextlib.suppress(OSError, ValueError):
            os.makedirs(cache_folder(), mode=0o700, exist_ok=True)
        folder = existing_trusted_folder()
    if folder is None:
        return None
    import zlib

    key = zlib.crc32(os.fsencode(real))
    return os.path.join(folder, f"file-{key:08x}.sealed")


def open_sealed_bundle(path: str) -> bytes | mmap.mmap:
    """The bytes of the compiled bundle at ``path`` (mapped), once its seal matched.

    Raises :class:`~llmaestro.errors.CatalogError` naming ``path`` when it cannot be read, is
    not a regular file, or its seal does not match its bytes (changed, cut short or damaged
    since it was compiled: no fact of it is served). A file whose first line names another
    bundle version is returned unchecked: the reader refuses it, naming the version."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read the bundle: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise CatalogError(f"{path}: not a regular file; a bundle is a compiled file")
        try:
            data: bytes | mmap.mmap = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError):  # empty, or a file system without mmap
            with os.fdopen(os.dup(fd), "rb") as handle:
                data = handle.read()
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read the bundle: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if header_version(data)[0] != BUNDLE_VERSION:  # another version: say so, not "damaged"
        return data  # the reader refuses it, naming the version to recompile for
    real = os.path.realpath(path)
    if sealed(data, st, _file_memo(real), real):
        return data
    if isinstance(data, mmap.mmap):
        data.close()
    raise CatalogError(
        f"{path}: the bundle's seal does not match its bytes (changed, cut short or damaged "
        "since it was compiled); compile it again: llmaestro compile --out FILE"
    )
