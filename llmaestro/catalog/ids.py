"""Whether a model id may become a catalog file: the checks an id from outside (a provider's
listing) must pass before a detector writes it, and that the validator can apply to ids it
decodes from file names.

:func:`id_problem` returns why an id is refused, in words that never repeat the id (an id
that looks like a key must not reach a report, a log or a pull request diff), or ``None``.
Refused are ids that

* look like a credential (:func:`llmaestro._http.redact.looks_like_secret`): a listing that
  echoes the caller's key as a model id would put the key into a file name;
* hold control, format (zero-width, bidirectional), separator, surrogate, private-use or
  unassigned characters, or whitespace;
* hold look-alike characters: anything Unicode compatibility normalisation (NFKC) changes
  (full-width letters, ligatures), or Cyrillic, Greek, Armenian, Cherokee, Coptic or Lisu
  letters mixed with Latin ones (``gpt-4о`` with a Cyrillic ``о``);
* have an empty segment (``a//b``, a leading or trailing ``/``), a ``.`` or ``..`` segment,
  or a segment Windows reserves (``con``, ``nul``, ``com1`` …, with or without extension);
* make a file or folder name over 255 bytes (the limit of common file systems) once encoded
  by :mod:`llmaestro.catalog.paths`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from llmaestro._http.redact import looks_like_secret
from llmaestro._http.secrets import Secret
from llmaestro.catalog.paths import encode_segment

__all__ = ["LOOKS_LIKE_SECRET", "MAX_NAME_BYTES", "id_problem"]

#: what :func:`id_problem` says of an id shaped like a key (callers then never show the id)
LOOKS_LIKE_SECRET = "it looks like a key or token (not shown)"

#: The longest file or folder name (in bytes) common file systems accept.
MAX_NAME_BYTES = 255
_SUFFIX = ".yaml"
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?", re.I)
#: categories of characters no id holds: control, format, surrogate, private use, unassigned,
#: line and paragraph separators, spaces
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"})


#: scripts with letters drawn like Latin ones (``а``/``a``, ``ο``/``o``, ``Ꭺ``/``A``); mixed
#: with Latin letters they spoof an id. Other scripts (CJK, Arabic …) beside Latin are fine.
_LOOK_ALIKE_SCRIPTS = frozenset({"CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC", "LISU"})


def _script(char: str) -> str:
    """The first word of a letter's Unicode name (``LATIN``, ``CYRILLIC``, ``GREEK`` …)."""
    return unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]


def _character_problem(model_id: str) -> str | None:
    if model_id.isascii() and model_id.isprintable() and " " not in model_id:
        return None  # no control character or space; NFKC keeps ASCII; Latin letters only
    for char in model_id:
        category = unicodedata.category(char)
        if category in _BAD_CATEGORIES or char.isspace():
            kind = {
                "Cc": "a control character",
                "Cf": "an invisible formatting character (zero-width or bidirectional)",
                "Zs": "a space",
            }.get(category, "a character no id holds")
            return f"it holds {kind} (U+{ord(char):04X})"
    if unicodedata.normalize("NFKC", model_id) != model_id:
        return "it holds look-alike characters (compatibility forms such as full-width letters)"
    scripts = {_script(c) for c in model_id if c.isalpha()}
    if "LATIN" in scripts and scripts & _LOOK_ALIKE_SCRIPTS:
        return "it mixes Latin letters with look-alike letters of another script"
    return None


def _segment_problem(segments: Iterable[str]) -> str | None:
    parts = list(segments)
    for index, segment in enumerate(parts):
        if not segment:
            return "it has an empty segment (a leading, trailing or doubled `/`)"
        if segment in (".", ".."):
            return "it has a `.` or `..` segment"
        if _RESERVED.fullmatch(segment.rstrip(". ")):
            return "it has a segment Windows reserves as a device name (con, nul, com1 …)"
        suffix = _SUFFIX if index == len(parts) - 1 else ""
        size = len((encode_segment(segment) + suffix).encode("utf-8"))
        if size > MAX_NAME_BYTES:
            return f"its file name would be {size} bytes (the limit is {MAX_NAME_BYTES})"
    return None


def id_problem(
    model_id: str, secrets: Iterable[str | Secret] = (), *, no_secret: bool = False
) -> str | None:
    """Why ``model_id`` cannot be a catalog id (never quoting it), or ``None`` when it can.
    ``secrets`` are the configured keys (:func:`~llmaestro._http.redact.looks_like_secret`
    also knows the process's key variables); ``no_secret``: the caller's
    :func:`~llmaestro._http.redact.may_hold_secret` over this id (and others) said no."""
    if not model_id:
        return "it is empty"
    if not no_secret and looks_like_secret(model_id, secrets):
        return LOOKS_LIKE_SECRET
    return _character_problem(model_id) or _segment_problem(model_id.split("/"))
