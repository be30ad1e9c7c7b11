"""The catalog's fingerprint: a digest of every file's name, size, modification and change
time, taken on a repeated load without listing the catalog's folders again.

The key (:func:`fingerprint`) is the one the compiled-bundle cache files a bundle under
(:mod:`.bundle`): any edit, addition, removal or rename of a catalog file changes it. The
change time (``st_ctime_ns``) is set by the kernel on every write and cannot be set back by
a user, so an edit in place that keeps a file's size and modification time (``touch -r``)
still changes it.

The fast path. A full walk lists every folder (``os.scandir``) and stats every file. After
one, the walk's listing is kept in the user's cache folder (``listing-<path>.bin``, read by
the same trust rules as a bundle: :func:`~.cachedir.read_private`): the folders' device,
inode, modification and change times, and every file's path, size, modification and change
times, with the digest they give. The next call stats the folders and the files it names and
returns the kept digest only when every one of those figures is the same; the folders are
not listed and nothing is formatted, sorted or hashed. Why that is the full walk's answer:

- a file's entry in the digest is its name, size and two times; the fast path compares all
  of them on the file itself, so an edit in place (which leaves its folder's times alone)
  is seen as the full walk would see it;
- a name added, removed or renamed in a folder sets that folder's modification and change
  times (POSIX), a folder replaced by another has another inode: an unchanged folder has
  the names it had, so the kept list of paths is the list a walk would make;
- a folder changed within the clock's resolution of being listed could keep its times
  while its names change; a listing with any folder changed less than :data:`RACY_NS`
  before the walk began (or later) is not kept, so every kept folder time is older than any
  change that could follow (git's "racy" rule, for the same reason).

Any doubt is a full walk: no trusted cache folder, no listing, a damaged or foreign one
(another format, salt or root), any figure that differs, any file or folder that cannot be
stat-ed. Either path gives the same digest for the same files.

Why not fewer stats: nothing cheaper than a file's own ``stat`` shows an edit in place
(folders' times do not change; git's index holds the times of its last refresh, so
``git status`` stats every tracked file too, and reads its index besides). On the
repository's catalog (~9,600 files, ~1,250 folders) ``benchmarks/checkout.py`` prints the
walk and the fast path in process (on a 2-CPU VM: 55–65 ms and ~35 ms); nearly all of the fast
path is the kernel's ``lstat`` of the files.
"""

from __future__ import annotations

import marshal
import os
import time
import zlib

from llmaestro.catalog.cachedir import existing_trusted_folder, read_private, write_private
from llmaestro.catalog.seal_memo import RACY_NS  # a folder changed this recently: no listing
from llmaestro.errors import CatalogError

__all__ = ["RACY_NS", "fingerprint"]

#: The listing file's format; another one is not read.
_FORMAT = "llmaestro-listing-1"
#: Listings older than this (s) are removed when another is written (one per catalog path).
_STALE = 7 * 86400.0
_STALE_TMP = 3600.0

_Folder = tuple[int, int, int, int]  # st_dev, st_ino, st_mtime_ns, st_ctime_ns
_File = tuple[int, int, int]  # st_size, st_mtime_ns, st_ctime_ns
#: the kept listing: format, salt, root, digest, folders ("\0"-joined) and their figures,
#: files ("\0"-joined) and theirs
_Listing = tuple[str, str, str, str, str, list[_Folder], str, list[_File]]


def fingerprint(root: str | os.PathLike[str], salt: str) -> str:
    """The digest (32 hex digits) of ``salt`` and the names, sizes, modification and change
    times of the files under ``root``: from the kept listing when nothing it records
    changed, else from a full walk (whose listing is then kept). Raises
    :class:`~llmaestro.errors.CatalogError` (one line) when ``root`` cannot be read."""
    top = os.fspath(root)
    folder = existing_trusted_folder()  # a string: no pathlib, no hashlib on this path
    kept = None
    if folder is not None:
        kept = os.path.join(folder, f"listing-{_key(os.path.abspath(top))}.bin")
        digest = _revalidate(kept, top, salt)
        if digest is not None:
            return digest
    started = time.time_ns()
    digest, listing = _walk(top, salt)
    if kept is not None and not _racy(listing[1], started):
        folders, folder_stats, files, file_stats = listing
        # paths as one text each: splitting it is ~10x faster than unmarshalling a list
        _keep(
            kept,
            (
                _FORMAT,
                salt,
                top,
                digest,
                "\0".join(folders),
                folder_stats,
                "\0".join(files),
                file_stats,
            ),
        )
    return digest


def _key(path: str) -> str:
    """The listing file's name for the catalog at ``path``. Not a security boundary (the
    listing names its root and is read only when that is ``path``): two roots that share a
    key only take turns at one listing."""
    raw = path.encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}{len(raw) & 0xFFFF:04x}"


def _walk(
    top: str, salt: str
) -> tuple[str, tuple[list[str], list[_Folder], list[str], list[_File]]]:
    """The digest of a full walk, and its listing (folders and their figures, files and
    theirs). Each folder is stat-ed before it is listed."""
    parts: list[str] = []
    folders, folder_stats, files, file_stats = [top], [], [], []
    try:
        st = os.stat(top)
        folder_stats.append((st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns))
        stack = [(top, "")]
        while stack:
            path, rel = stack.pop()
            with os.scandir(path) as entries:
                for entry in entries:
                    name = f"{rel}{entry.name}"
                    st = entry.stat(follow_symlinks=False)
                    if entry.is_dir(follow_symlinks=False):
                        stack.append((entry.path, name + "/"))
                        folders.append(entry.path)
                        folder_stats.append((st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns))
                    else:
                        files.append(entry.path)
                        file_stats.append((st.st_size, st.st_mtime_ns, st.st_ctime_ns))
                        parts.append(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}")
    except OSError as exc:
        raise CatalogError(
            f"{exc.filename or top}: cannot read the catalog folder: {exc.strerror or exc}"
        ) from None
    parts.sort()  # once, not per folder (the order a folder is listed in is not stable)
    parts.insert(0, salt)
    import hashlib  # the walk only: the repeated load returns the kept digest

    digest = hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()
    return digest[:32], (folders, folder_stats, files, file_stats)


def _racy(folder_stats: list[_Folder], started: int) -> bool:
    """Whether a folder changed within :data:`RACY_NS` of the walk's start, or after it."""
    since = started - RACY_NS
    return any(mtime >= since or ctime >= since for _, _, mtime, ctime in folder_stats)


def _revalidate(kept: str, top: str, salt: str) -> str | None:
    """The kept digest when the listing at ``kept`` is this format's, of ``top`` and
    ``salt``, and every folder and file it names has the figures it records; else None."""
    data = read_private(kept)
    if data is None:
        return None
    try:
        doc = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    finally:
        if not isinstance(data, bytes):
            data.close()
    if not (isinstance(doc, tuple) and len(doc) == 8 and doc[:3] == (_FORMAT, salt, top)):
        return None
    digest, folders, folder_stats, files, file_stats = doc[3:]
    if not (
        isinstance(digest, str)
        and isinstance(folders, str)
        and isinstance(files, str)
        and isinstance(folder_stats, list)
        and isinstance(file_stats, list)
    ):
        return None
    try:
        now_folders = [
            (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)
            for st in map(os.stat, folders.split("\0"))
        ]
        if now_folders != folder_stats:
            return None
        paths = files.split("\0") if files else []
        now_files = [(st.st_size, st.st_mtime_ns, st.st_ctime_ns) for st in map(os.lstat, paths)]
    except (OSError, TypeError, ValueError):  # gone, or not a path: the walk decides
        return None
    return digest if now_files == file_stats else None


def _keep(kept: str, doc: _Listing) -> None:
    """Write the listing atomically (the user's only) and remove week-old others and the
    hour-old temporary files of killed writes; never raises (without a listing the next
    call walks again)."""
    try:
        write_private(kept, marshal.dumps(doc))
    except (OSError, ValueError):
        return
    folder, own = os.path.split(kept)
    now = time.time()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("listing-") and name.endswith(".bin") and name != own:
                    stale = _STALE
                elif name.startswith(".listing-") and name.endswith(".tmp"):
                    stale = _STALE_TMP
                else:
                    continue
                try:
                    if now - entry.stat(follow_symlinks=False).st_mtime > stale:
                        os.unlink(entry.path)
                except OSError:
                    continue
    except OSError:
        return
