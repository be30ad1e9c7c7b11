"""The per-user cache folder (compiled bundles, the ``fmt`` cache) and what may be read from it.

Where: ``LLMAESTRO_CACHE_DIR``, else ``$XDG_CACHE_HOME/llmaestro``, else ``~/.cache/llmaestro``
(with no home folder at all: ``llmaestro-<uid>`` in the temporary folder, under the rules below).

Trust. A cached bundle is served as fact (prices, and the ``base_url`` a client sends the API
key to), so nobody but the user may be able to put one there:

- the folder must be owned by the user and writable by nobody else; it is created ``0700``.
  A shared folder (``LLMAESTRO_CACHE_DIR=/tmp/cache``, mode ``1777``, or another user's) is
  not used itself: the cache goes into ``user-<uid>/`` inside it, under the same rule;
- an entry is used only when it is a regular file (never through a symbolic link), owned by
  the user, writable by nobody else and not hard-linked elsewhere, checked on the opened
  file descriptor (so nothing can be swapped in between the check and the read).

A checksum beside the data could be forged by whoever planted the data; these checks make
planting impossible for other (non-root) users, and the bundle's own seal (SHA-256 of its
bytes, :func:`llmaestro.registry.bundle_reader.is_sealed`) catches corruption. On systems
without user ids (Windows) the ownership rules do not apply; the seal still does.

When no trusted folder can be had, :func:`trusted_cache_dir` returns None after one warning
(per folder and process) and callers work without a cache.
"""

from __future__ import annotations

import mmap
import os
import stat
import sys
import warnings

from llmaestro.errors import CatalogCacheWarning

TYPE_CHECKING = False
if TYPE_CHECKING:  # pathlib is imported where a Path is made: not on a bundle's load path
    from pathlib import Path

_WARNED: set[str] = set()


def cache_folder() -> str:
    """The cache folder the environment names, as a string (not created, not checked)."""
    pinned = os.environ.get("LLMAESTRO_CACHE_DIR")
    if pinned:
        return pinned
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return os.path.join(xdg, "llmaestro")
    home = os.path.expanduser("~")
    if home != "~":
        return os.path.join(home, ".cache", "llmaestro")
    import tempfile  # no HOME and no passwd entry (a bare container)

    uid = _uid()
    return os.path.join(tempfile.gettempdir(), f"llmaestro-{'cache' if uid is None else uid}")


def cache_dir() -> Path:
    """The cache folder the environment names (not created, not checked; see
    :func:`trusted_cache_dir`)."""
    from pathlib import Path

    return Path(cache_folder())


def _uid() -> int | None:
    geteuid = getattr(os, "geteuid", None)
    return geteuid() if geteuid is not None else None


def _private(st: os.stat_result, uid: int | None) -> bool:
    """Owned by ``uid`` and writable by nobody else."""
    if uid is None:
        return True
    return st.st_uid == uid and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _own_folder(folder: Path, uid: int | None) -> str | None:
    """None when ``folder`` is (now) a private folder of the user's, else why not."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.stat(folder)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        return f"cannot create it ({getattr(exc, 'strerror', None) or exc})"
    if not stat.S_ISDIR(st.st_mode):
        return "not a folder"
    if not _private(st, uid):
        return "not owned by this user, or writable by others"
    if not os.access(folder, os.W_OK | os.X_OK):
        return "not writable"
    return None


def warn_once(folder: Path, why: str) -> None:
    """One warning per folder and process: the cache is not used, and why."""
    key = os.fspath(folder)
    if key in _WARNED:
        return
    _WARNED.add(key)
    warnings.warn(
        f"llmaestro: not using the cache folder {folder} ({why}); compiling in memory "
        "(set LLMAESTRO_CACHE_DIR to a folder of your own to cache)",
        CatalogCacheWarning,
        stacklevel=_caller_level(),
    )


def _caller_level() -> int:
    """The ``stacklevel`` of the first frame outside llmaestro: the warning names the
    caller's ``load()`` line, however deep inside the package it was raised."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
    frame = sys._getframe(1)
    level = 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(package):
        frame = frame.f_back
        level += 1
    return level


def trusted_cache_dir() -> Path | None:
    """The cache folder when it is (made) private to this user, else its ``user-<uid>``
    subfolder when that is; None (after one warning) when neither can be had."""
    base = cache_dir()
    uid = _uid()
    why = _own_folder(base, uid)
    if why is None:
        return base
    if uid is not None and base.is_dir():
        mine = base / f"user-{uid}"
        why_mine = _own_folder(mine, uid)
        if why_mine is None:
            return mine
        why = f"{why}; {mine.name}/: {why_mine}"
    warn_once(base, why)
    return None


def existing_trusted_folder() -> str | None:
    """The folder :func:`trusted_cache_dir` would return, as a string, when it exists already
    and passes the same rules; None otherwise. Creates nothing and warns of nothing: for
    entries a caller may as well go without (the fingerprint's listing, a seal memo)."""
    base = cache_folder()
    uid = _uid()
    for folder in (base,) if uid is None else (base, os.path.join(base, f"user-{uid}")):
        try:
            st = os.stat(folder)
        except (OSError, ValueError):
            continue
        if stat.S_ISDIR(st.st_mode) and _private(st, uid) and os.access(folder, os.W_OK | os.X_OK):
            return folder
    return None


def write_private(path: str | os.PathLike[str], data: bytes) -> None:
    """Write the cache entry ``path`` atomically, readable by the user only (``0600``). A
    symbolic link there is replaced, never written through. Raises ``OSError``."""
    from pathlib import Path

    from llmaestro._atomic import write_bytes_atomic

    if os.path.islink(path):
        os.unlink(path)
    write_bytes_atomic(Path(path), data, mode=0o600)


def read_private(path: str | os.PathLike[str]) -> bytes | mmap.mmap | None:
    """The bytes of the cache entry ``path`` (mapped into memory), or None when it is missing
    or not to be trusted (a symbolic link, not a regular file, another owner's, writable by
    others, hard-linked): the caller rebuilds it."""
    entry = read_private_entry(path)
    return None if entry is None else entry[0]


def read_private_entry(
    path: str | os.PathLike[str],
) -> tuple[bytes | mmap.mmap, os.stat_result] | None:
    """:func:`read_private`'s bytes with the status of the very file they were read from
    (``fstat`` of the descriptor that read them)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _private(st, _uid()) or st.st_nlink != 1:
            return None
        if st.st_size == 0:
            return b"", st
        try:
            return mmap.mmap(fd, 0, access=mmap.ACCESS_READ), st
        except (ValueError, OSError):  # a file system without mmap
            with os.fdopen(os.dup(fd), "rb") as handle:
                return handle.read(), st
    except OSError:
        return None
    finally:
        os.close(fd)
