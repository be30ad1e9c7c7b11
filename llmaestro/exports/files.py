"""Where an export lands: written atomically, keeping the mode of the file it replaces."""

from __future__ import annotations

import os
from pathlib import Path

from llmaestro._atomic import write_text_atomic
from llmaestro.errors import ExportError


def mode_for(target: Path) -> int:
    """The mode a file written over ``target`` gets: the replaced file's, else the umask's
    default (``mkstemp`` alone would leave the export readable by its owner only)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_export_text(out: str | os.PathLike[str], text: str) -> Path:
    """Write an export's text to ``out`` atomically, keeping a replaced file's mode."""
    path = Path(out)
    try:
        mode = mode_for(path)
        write_text_atomic(path, text)
        os.chmod(path, mode)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return path
