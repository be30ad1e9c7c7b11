"""Atomic file writes: a reader sees the old file or the new one, never half of either.

What a write does with what it finds at the path (the same for every caller: exports,
``compile``, the catalog writer, ``fmt``, the detectors):

- a regular file: replaced by the new content, keeping its mode (and, where the process may,
  its owner and group); a new file gets the mode the umask gives (``0o666 & ~umask``, never
  ``mkstemp``'s ``0600``);
- a symbolic link: written *through*, like the shell's ``>``: the file the link points to is
  replaced (atomically, beside it), the link stays;
- anything else (a folder, a FIFO, a device, a socket): refused with :class:`NotRegularFileError`
  (an :class:`OSError`), never replaced. As root, ``--out /dev/full`` used to replace the device;
- the path ``-``: standard output, for the commands' ``--out`` (:func:`write_output`).

A replaced file is a new file (a new inode): another hard link to the old one keeps the old
content. Readers of what a write would replace use :func:`current_bytes`, which never opens
a FIFO or a device (``/dev/full`` reads forever, a FIFO blocks).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from pathlib import Path

from llmaestro.errors import NotRegularFileError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

#: The ``--out`` value that means standard output.
STDOUT = "-"


def _umask() -> int:
    """The process's umask, read without changing it where the system allows (Linux's
    ``/proc``): setting and restoring it would race with other threads creating files."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def file_mode(path: Path) -> int:
    """The mode ``path`` has now, or a new file's mode under the umask (never mkstemp's 0600)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"  # pragma: no cover - door, whiteout, ...


def resolve_target(path: str | os.PathLike[str]) -> Path:
    """The file a write to ``path`` replaces: ``path`` itself, or the file its symbolic links
    lead to (written through); :class:`NotRegularFileError` when that exists and is not a
    regular file, :class:`OSError` for a link loop."""
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return target
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", os.fspath(path))
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFileError(
            errno.EEXIST,
            f"is {_kind(st.st_mode)}; refusing to replace it "
            "(give a regular file's path, or - for standard output)",
            os.fspath(path),
        )
    return target


def current_bytes(path: str | os.PathLike[str]) -> bytes | None:
    """What a write to ``path`` would replace: its bytes (through symbolic links), None when
    there is no file; :class:`NotRegularFileError` for a FIFO or device, which is never
    opened (reading a FIFO blocks until someone writes to it)."""
    try:
        return resolve_target(path).read_bytes()
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str], *, mode: int | None = None) -> Iterator[Path]:
    """A temporary path beside the file a write to ``path`` replaces (see
    :func:`resolve_target`); when the block ends without an error the temporary file takes
    the target's mode (or ``mode``) and owner, is flushed to disk and renamed over the target.
    On any error (or an interruption) the temporary file is removed and the target is left as
    it was. Yields the temporary path, for writers that open files themselves (SQLite)."""
    target = resolve_target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    final_mode = file_mode(target) if mode is None else mode
    try:
        owner: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        owner = None
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(name)
    try:
        os.close(fd)
        yield tmp
        fsync_fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fsync_fd)
        finally:
            os.close(fsync_fd)
        os.chmod(tmp, final_mode)
        if owner is not None and hasattr(os, "chown"):
            mine = os.stat(tmp)
            if (mine.st_uid, mine.st_gid) != (owner.st_uid, owner.st_gid):
                with contextlib.suppress(OSError):  # only root may give a file away
                    os.chown(tmp, owner.st_uid, owner.st_gid)
                    os.chmod(tmp, final_mode)  # chown clears set-id bits
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_folder(target.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (a crash right after cannot bring the old file back)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_bytes_atomic(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` atomically (:func:`atomic_path`): the old file or the new
    one, never half; the file keeps its mode unless ``mode`` is given (a new file gets the
    umask's); a symbolic link is written through; a non-regular file is refused."""
    try:
        with atomic_path(path, mode=mode) as tmp, open(tmp, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        if exc.filename is not None:
            raise
        # a full disk says ENOSPC of no file: name the one that could not be written
        raise OSError(exc.errno, exc.strerror or str(exc), os.fspath(path)) from None


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_output(out: str | os.PathLike[str], data: bytes | str) -> None:
    """Write a command's output to ``out`` atomically, or to standard output when ``out`` is
    ``-`` (text as UTF-8)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if os.fspath(out) == STDOUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
        return
    write_bytes_atomic(Path(out), raw)
