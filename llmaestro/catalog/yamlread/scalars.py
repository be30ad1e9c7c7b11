"""Plain-scalar resolution: what an unquoted YAML scalar's text means to the catalog reader.

The reader's one resolver (YAML 1.2 core, stricter): ``true``/``false``, ``null``/``~``/empty,
decimal integers, numbers with a fraction as :class:`~decimal.Decimal`, ``YYYY-MM-DD`` dates and
ISO timestamps; YAML 1.1 booleans, octal/hex/sexagesimal/underscored numbers and ``.inf``/``.nan``
are errors. Two forms of it: :func:`resolve_scalar` reports each problem where it stands (the
walk with positions), :func:`resolve_fast` raises :class:`Slow` instead and remembers what it
resolved (the fast path).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from llmaestro.catalog.diagnostics import clip

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?")
_YAML11_BOOL = frozenset(
    "y Y yes Yes YES n N no No NO on On ON off Off OFF True TRUE False FALSE".split()  # noqa: SIM905
)
_NULL = frozenset(("", "~", "null", "Null", "NULL"))
# Every alternative is deterministic (no two ways to match one text), so a failing match costs
# linear time: `[0-9]+_` and not `[0-9][0-9_]*_`, which backtracks quadratically on `1____…x`.
_AMBIGUOUS_NUMBER = re.compile(
    r"[-+]?(0[0-9_]+|0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|[0-9]+_[0-9_]*(\.[0-9_]*)?"
    r"|[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?)"
)
#: More digits than any number of the catalog can have (the schema bounds them to 2^53): such
#: a text is reported by length, never converted (Python refuses ints over 4,300 digits).
MAX_NUMBER_DIGITS = 1000
MAX_NUMBER = 2**53
#: Decimal exponents beyond this are out of range too: the writer spells numbers out
#: positionally (`1e-100` is 102 characters), and no price needs more.
MAX_EXPONENT = 100
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")

Position = tuple[int, int]


def read_number(text: str) -> int | Decimal | None:
    """The value of a decimal number's text (an integer, else a Decimal), or None when it is
    out of any range the catalog reads: longer than :data:`MAX_NUMBER_DIGITS`, or with an
    exponent beyond :data:`MAX_EXPONENT` (``1e-999999999`` is a price of zero in every
    export)."""
    if len(text) > MAX_NUMBER_DIGITS:
        return None
    if _INT.fullmatch(text):
        return int(text)
    try:
        number = Decimal(text)
    except InvalidOperation:  # an exponent beyond what Decimal holds
        return None
    if number and not -MAX_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
        return None
    return number


#: ``error(pos, code, ptr, message, **fields)``: report a located problem.
ReportError = Callable[..., None]


def resolve_scalar(text: str, ptr: str, pos: Position, error: ReportError) -> Any:
    """The value of the plain scalar ``text`` at ``ptr``; problems go to ``error``."""
    if text in _NULL:
        return None
    if text == "true":
        return True
    if text == "false":
        return False
    if text in _YAML11_BOOL:
        error(
            pos,
            "LM005",
            ptr,
            f"ambiguous YAML 1.1 boolean `{text}`",
            found=clip(text),
            expected="`true` or `false`",
            hint=f'quote it ("{text}") if a string is meant',
        )
        return text
    if _INT.fullmatch(text) or (
        _FLOAT.fullmatch(text) and ("." in text or "e" in text or "E" in text)
    ):
        number = read_number(text)
        if number is None:
            error(
                pos,
                "LM012",
                ptr,
                f"number `{clip(text)}` is out of range",
                found=f"{len(text)} characters" if len(text) > 60 else None,
                expected=f"a number of at most 2^53 ({MAX_NUMBER})",
            )
        return number
    if _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            error(
                pos,
                "LM006",
                ptr,
                f"impossible date `{text}`: {clip(str(exc))}",
                found=clip(text),
                expected="a real calendar date YYYY-MM-DD",
            )
            return None
    if _DATETIME.fullmatch(text) or (_DATE.match(text) and text[10:11] in ("T", "t", " ")):
        try:
            return dt.datetime.fromisoformat(text.replace("z", "Z"))
        except ValueError as exc:
            error(
                pos,
                "LM006",
                ptr,
                f"impossible timestamp `{clip(text)}`: {clip(str(exc))}",
                found=clip(text),
                expected="an ISO 8601 timestamp",
            )
            return None
    if _AMBIGUOUS_NUMBER.fullmatch(text):
        error(
            pos,
            "LM005",
            ptr,
            f"ambiguous number `{clip(text)}` (YAML 1.1 reads octal, hex, sexagesimal and `_`)",
            found=clip(text),
            expected="a plain decimal number such as 128000",
            hint=f'write it without `_` or leading zeros, or quote it ("{clip(text)}")',
        )
        return text
    if _SPECIAL_FLOAT.fullmatch(text):
        error(
            pos,
            "LM005",
            ptr,
            f"`{text}` is not a finite number",
            found=clip(text),
            expected="a finite decimal number",
            hint=f'quote it ("{text}") if a string is meant',
        )
        return None
    return text


class _Hazard:
    """Marks plain text the reader would reject or read as something else."""


HAZARD = _Hazard()


def resolve_plain(text: str) -> Any:
    """The value the reader gives a plain (unquoted) scalar, or HAZARD when it rejects it."""
    problems: list[str] = []

    def error(pos: Position, code: str, ptr: str, message: str, **kw: Any) -> None:
        problems.append(code)

    value = resolve_scalar(text, "", (1, 1), error)
    return HAZARD if problems else value


class Slow(Exception):
    """The fast path met something only the slow path can describe."""


PLAIN_START = frozenset("0123456789-+.~yYnNoOtTfF")
"""First characters of the plain scalars that may be something other than a string."""

#: plain scalar text -> its (immutable) value, as :func:`resolve_fast` gives it (catalogs
#: repeat their numbers and dates); cleared, never replaced, when it grows too large
RESOLVED: dict[str, Any] = {}
_RESOLVED = RESOLVED


def resolve_fast(text: str) -> Any:
    """:func:`resolve_scalar` without positions: raises :class:`Slow` where that one would
    report a problem; each text is resolved once."""
    try:
        return _RESOLVED[text]
    except KeyError:
        pass
    value = _resolve_uncached(text)
    if len(_RESOLVED) > 200_000:
        _RESOLVED.clear()
    _RESOLVED[text] = value
    return value


def _resolve_uncached(text: str) -> Any:
    if not text:
        return None
    if text[0] not in PLAIN_START:
        return text
    if text == "true":
        return True
    if text == "false":
        return False
    if text in _NULL or text in _YAML11_BOOL or _SPECIAL_FLOAT.fullmatch(text):
        if text in _NULL:
            return None
        raise Slow
    if _INT.fullmatch(text) or (
        _FLOAT.fullmatch(text) and ("." in text or "e" in text or "E" in text)
    ):
        number = read_number(text)
        if number is None:
            raise Slow
        return number
    if _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise Slow from None
    if _DATETIME.match(text) or _AMBIGUOUS_NUMBER.fullmatch(text):
        raise Slow
    if _DATE.match(text) and text[10:11] in ("T", "t", " "):
        raise Slow
    return text
