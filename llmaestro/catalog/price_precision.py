"""Prices as sources write them: float artefacts of round prices, and a source's precision.

Sources compute prices in binary floating point, so a round price can arrive as
``2.99999`` or ``15.00002`` (USD per 1M tokens). :func:`round_artefact` says which round
price such a value stands for: the value lies within :data:`ARTEFACT_TOLERANCE` (relative)
of a price with at most :data:`ROUND_DIGITS` significant digits, and is not that price
itself. The importers store the round price and report the correction.

>>> round_artefact(Decimal("2.99999")), round_artefact(Decimal("15.00002"))
(Decimal('3'), Decimal('15'))
>>> round_artefact(Decimal("0.0833333")) is None  # 1/12: a real price, not an artefact
True

:func:`same_price` is how the detectors compare a catalog price with a source's: equal after
both artefacts are rounded, or equal to the coarser one's precision when that one has at
least :data:`PRECISE_DIGITS` significant digits (``0.083333`` and ``0.0833333333333333`` are
one price written twice; ``0.5`` and ``0.45`` are not).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

#: Significant digits of a round price (``3``, ``15``, ``0.125``).
ROUND_DIGITS = 3
#: Largest relative distance between an artefact and its round price.
ARTEFACT_TOLERANCE = Decimal("1e-5")
#: Significant digits from which a written price is a cut-off expansion (``0.083333``).
PRECISE_DIGITS = 4


def significant_digits(value: Decimal) -> int:
    """How many significant digits ``value`` is written with (``0.0830`` -> 2)."""
    if not value:
        return 0
    return len(value.normalize().as_tuple().digits)


def round_artefact(value: Decimal) -> Decimal | None:
    """The round price ``value`` is a float artefact of, or None when it is not one."""
    if not value.is_finite() or value <= 0:
        return None
    for digits in range(1, ROUND_DIGITS + 1):
        exponent = value.adjusted() - digits + 1
        candidate = value.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_EVEN)
        if candidate == value:
            return None  # already round
        if abs(candidate - value) <= candidate * ARTEFACT_TOLERANCE:
            return Decimal(format(candidate.normalize(), "f"))
    return None


def _unartefacted(value: Decimal) -> Decimal:
    return round_artefact(value) or value


def same_price(old: Decimal, new: Decimal) -> bool:
    """Whether two writings of a price are the same price (see the module docstring)."""
    a, b = _unartefacted(old), _unartefacted(new)
    if a == b:
        return True
    coarse, fine = (a, b) if _exponent(a) >= _exponent(b) else (b, a)
    if significant_digits(coarse) < PRECISE_DIGITS:
        return False
    return abs(fine - coarse) * 2 <= Decimal(1).scaleb(_exponent(coarse))


def _exponent(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


def artefact_note(round_price: Decimal) -> str:
    """The import report's reason for storing ``round_price`` instead of its artefact."""
    return f"float artefact of a round price: stored as {format(round_price, 'f')}"
