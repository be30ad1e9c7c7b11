"""Reading a pinned source snapshot (LiteLLM's JSON, a models.dev or genai-prices tarball):
bounded, gunzipped when it is gzip, and every way it can be unreadable one
:class:`SourceError` naming the file (the CLI prints it as one line), never a raw
``EOFError``, ``JSONDecodeError`` or ``tarfile.ReadError``.

The bound (:data:`MAX_SOURCE_BYTES`, before and after decompression) is far above any real
snapshot (LiteLLM's map is ~1.5 MB, models.dev's tarball a few MB) and keeps ``/dev/zero`` or a
gzip bomb from growing the process until the machine runs out of memory.
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from llmaestro.errors import SourceError

__all__ = ["MAX_SOURCE_BYTES", "SourceError", "open_tarball", "read_json_object", "read_source"]

#: The most a source snapshot may hold, compressed and decompressed
MAX_SOURCE_BYTES = 256 * 1024 * 1024


def read_source(path: Path, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """The bytes of ``path``, gunzipped when they are gzip; at most ``limit`` either way."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise SourceError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    _bounded(path, raw, limit)
    if raw[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as unzipped:
                raw = unzipped.read(limit + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise SourceError(f"{path}: not a readable gzip file ({exc})") from None
        _bounded(path, raw, limit, " decompressed")
    return raw


def _bounded(path: Path, raw: bytes, limit: int, how: str = "") -> None:
    if len(raw) > limit:
        raise SourceError(f"{path}: larger than {limit:,} bytes{how}; not a source snapshot")


def read_json_object(path: Path, what: str) -> dict[str, Any]:
    """``path`` as a JSON object (floats as Decimal); ``what`` names the expected file."""
    raw = read_source(path)
    try:
        data = json.loads(raw.decode("utf-8"), parse_float=Decimal)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError and JSONDecodeError too
        reason = "nested too deep" if isinstance(exc, RecursionError) else str(exc)
        raise SourceError(f"{path}: not {what} (expected a JSON object: {reason})") from None
    if not isinstance(data, dict):
        raise SourceError(f"{path}: not {what} (expected a JSON object)")
    return data


@contextmanager
def open_tarball(path: Path, what: str) -> Iterator[tarfile.TarFile]:
    """``path`` (gzipped or not) as an open tar archive; an archive that is not one, or ends
    early while it is read, is a :class:`SourceError`."""
    raw = read_source(path)
    try:
        with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
            yield tar
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise SourceError(f"{path}: not {what} (expected a tar archive: {exc})") from None
