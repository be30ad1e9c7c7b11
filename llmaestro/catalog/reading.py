"""Reading one catalog file safely, and which catalog a file belongs to (from its path)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from llmaestro.catalog.paths import decode_id
from llmaestro.catalog.yamlread import MAX_FILE_BYTES


def read_regular(path: Path) -> tuple[bytes, int] | None:
    """A regular file's bytes, at most one more than the reader takes (a larger file is
    reported by its size, never read whole), and its size; None for a FIFO, device or
    socket, which would block or never end."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO would wait
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):  # as open() says it
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(st.st_mode):
            return None
        # sized to the file (a 1 MiB buffer for every small file costs more than the read)
        return os.read(fd, min(st.st_size, MAX_FILE_BYTES) + 1), st.st_size
    finally:
        os.close(fd)


def child_path(folder: Path, name: str) -> Path:
    """``folder / name`` for a name a listing gave (one segment, no separator), without
    parsing it again: a catalog listing makes one for each of its thousands of files, and
    parsing costs ~4 µs each (pathlib's own shortcut where this Python has it)."""
    make = getattr(folder, "_make_child_relpath", None)
    return make(name) if make is not None else folder / name


def find_root(path: Path) -> Path | None:
    """The catalog root that a file belongs to, from its path alone."""
    parts = path.parts
    provider_match: Path | None = None
    model_match: Path | None = None
    for i in range(len(parts) - 1, -1, -1):
        rel = parts[i:]
        base = Path(*parts[:i]) if i else Path(".")
        if rel[0] == "providers" and (
            (len(rel) == 3 and rel[2] == "provider.yaml") or (len(rel) >= 4 and rel[2] == "models")
        ):
            provider_match = provider_match or base
        elif rel[0] == "models" and len(rel) >= 3:
            model_match = model_match or base
    return provider_match or model_match


def decoded_or_empty(rel: str) -> str:
    """The id a relative file name (no extension) encodes, or "" when it encodes none."""
    try:
        return decode_id(rel)
    except ValueError:
        return ""  # reported when the file is listed
