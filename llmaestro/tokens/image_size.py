"""Image width and height read from a file header (PNG, GIF, JPEG, WebP), a base64 payload
or a ``data:`` URL, without decoding the image: what :mod:`.chat` needs to size images."""

from __future__ import annotations

import binascii
import re
from typing import Final

__all__ = ["image_size_from_base64", "image_size_from_bytes", "image_size_from_data_url"]

_DATA_URL = re.compile(r"^data:[^,;]*(?:;[^,;]*)*;base64,", re.IGNORECASE)


def _be16(data: bytes, i: int) -> int:
    return int.from_bytes(data[i : i + 2], "big")


def _le16(data: bytes, i: int) -> int:
    return int.from_bytes(data[i : i + 2], "little")


def _le24(data: bytes, i: int) -> int:
    return int.from_bytes(data[i : i + 3], "little")


_JPEG_SOF: Final = frozenset(
    {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
)


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    n = len(data)
    while i + 4 <= n:
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0x01, *range(0xD0, 0xDA)):  # standalone markers
            i += 2
            continue
        if marker in _JPEG_SOF:
            if i + 9 > n:
                return None
            height, width = _be16(data, i + 5), _be16(data, i + 7)
            return (width, height) if width and height else None
        i += 2 + _be16(data, i + 2)
    return None


def image_size_from_bytes(data: bytes) -> tuple[int, int] | None:
    """``(width, height)`` read from a PNG, GIF, JPEG or WebP header; ``None`` otherwise."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        return (width, height) if width and height else None
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = _le16(data, 6), _le16(data, 8)
        return (width, height) if width and height else None
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        chunk = data[12:16]
        if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a" and len(data) >= 30:
            return _le16(data, 26) & 0x3FFF, _le16(data, 28) & 0x3FFF
        if chunk == b"VP8L" and data[20:21] == b"\x2f" and len(data) >= 25:
            b = data[21:25]
            width = 1 + (b[0] | (b[1] & 0x3F) << 8)
            height = 1 + (b[1] >> 6 | b[2] << 2 | (b[3] & 0x0F) << 10)
            return width, height
        if chunk == b"VP8X" and len(data) >= 30:
            return 1 + _le24(data, 24), 1 + _le24(data, 27)
        return None
    if data[:2] == b"\xff\xd8":
        return _jpeg_size(data)
    return None


def image_size_from_base64(payload: str) -> tuple[int, int] | None:
    """Image size from base64 data, decoding only a prefix when the header is there."""
    try:
        head = binascii.a2b_base64(_aligned(payload[:4096]))
        size = image_size_from_bytes(head)
        if size is None and head[:2] == b"\xff\xd8" and len(payload) > 4096:
            # JPEG: the frame header may follow large EXIF/ICC segments
            size = image_size_from_bytes(binascii.a2b_base64(_aligned(payload)))
    except (binascii.Error, ValueError):
        return None
    return size


def _aligned(chunk: str) -> bytes:
    """Base64 characters of ``chunk`` without whitespace, cut to a multiple of 4."""
    compact = "".join(chunk.split()).encode("ascii", "ignore")
    return compact[: len(compact) // 4 * 4]


def image_size_from_data_url(url: str) -> tuple[int, int] | None:
    """Image size of a ``data:image/...;base64,...`` URL; ``None`` for any other URL."""
    match = _DATA_URL.match(url)
    if match is None:
        return None
    return image_size_from_base64(url[match.end() :])
