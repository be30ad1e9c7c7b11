"""Ids and file names: one reversible rule, safe on case-insensitive and Windows file systems.

An id is split on ``/``; each part becomes one path segment (so ``meta-llama/Llama-3-8B``
becomes the folder ``meta-llama`` holding the file ``^llama-3-8^b.yaml``). Within a segment:

* ``a``–``z``, ``0``–``9``, ``-``, ``_`` and ``.`` stand for themselves;
* an upper-case ASCII letter ``X`` is written ``^x``;
* every other character is written ``~`` followed by the two lower-case hex digits of each of
  its UTF-8 bytes (``:`` is ``~3a``, ``~`` is ``~7e``, ``^`` is ``~5e``);
* a leading ``.`` and a trailing ``.`` are written ``~2e`` (no hidden files, no names Windows
  trims), and so is the first letter of a name that Windows reserves (``con``, ``nul``,
  ``com1`` …: ``~63on``).

File names are therefore lower-case, portable and distinct for distinct ids; decoding is the
inverse. A file name that is not the encoding of its own decoded id (``Foo.yaml``, ``%3a``) is
rejected, so two files can never name the same id.
"""

from __future__ import annotations

import re

_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_.")
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?")
_ESCAPE = re.compile(r"\^([a-z])|~([0-9a-f]{2})")
#: a name of plain characters that :func:`encode_segment` leaves as it is (no `.` at an end)
_PLAIN_NAME = re.compile(r"[a-z0-9_-](?:[a-z0-9._-]*[a-z0-9_-])?")


def _escape_char(char: str) -> str:
    return "".join(f"~{byte:02x}" for byte in char.encode("utf-8"))


def encode_segment(segment: str) -> str:
    """Encode one id segment (no ``/``) as a file-name segment."""
    if not segment:
        raise ValueError("empty id segment")
    out = []
    for char in segment:
        if char in _PLAIN:
            out.append(char)
        elif "A" <= char <= "Z":
            out.append("^" + char.lower())
        else:
            out.append(_escape_char(char))
    if out[0] == ".":
        out[0] = "~2e"
    if out[-1] == ".":
        out[-1] = "~2e"
    encoded = "".join(out)
    if _RESERVED.fullmatch(encoded):
        encoded = _escape_char(encoded[0]) + encoded[1:]
    return encoded


def decode_segment(name: str) -> str:
    """Invert :func:`encode_segment`. Raises ``ValueError`` on text no id encodes to."""
    if _PLAIN_NAME.fullmatch(name) and not _RESERVED.fullmatch(name):
        return name  # most names: nothing escaped, and the encoding of itself
    data = bytearray()
    pos = 0
    for match in _ESCAPE.finditer(name):
        data += name[pos : match.start()].encode("utf-8")
        if match.group(1):
            data += match.group(1).upper().encode("ascii")
        else:
            data.append(int(match.group(2), 16))
        pos = match.end()
    data += name[pos:].encode("utf-8")
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"`{name}` escapes bytes that are not UTF-8") from exc
    if not decoded or encode_segment(decoded) != name:
        raise ValueError(f"`{name}` is not the canonical file name of any id")
    return decoded


def encode_id(model_id: str) -> str:
    """Relative path (without extension) of an id, ``/`` separated."""
    return "/".join(encode_segment(part) for part in model_id.split("/"))


def decode_id(relative: str) -> str:
    """The id of a relative path (``/`` separated, without extension)."""
    return "/".join(decode_segment(part) for part in relative.split("/"))
