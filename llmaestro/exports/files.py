"""Where an export lands: written atomically, keeping the mode of the file it replaces."""

from __future__ import annotations

import os
from pathlib import Path

from llmaestro._atomic import write_text_atomic
from llmaestro.errors import ExportError


def write_export_text(out: str | os.PathLike[str], text: str) -> Path:
    """Write an export's text to ``out`` atomically, keeping a replaced file's mode (a new
    file gets the umask's, never ``mkstemp``'s 0600)."""
    path = Path(out)
    try:
        write_text_atomic(path, text)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return path
