"""US dollars as people read them: the one formatting of prices and amounts, shared by the
command line (:mod:`llmaestro.cli.common`) and the catalog site's ``usd`` filter.

Standard library only, so any layer may import it.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["usd"]


def usd(value: Decimal | None, *, places: int | None = None, unknown: str = "—") -> str:
    """``value`` in US dollars; ``unknown`` when it is ``None`` (never taken as 0).

    A price (``places=None``) is written exactly as the catalog holds it, with at least two
    decimals: ``$2.50``, ``$0.075``, ``$100.00``. An amount (``places=N``) is rounded to ``N``
    decimals, with thousands separators: ``$1,234.500000``.
    """
    if value is None:
        return unknown
    if places is not None:
        return f"${value.quantize(Decimal(1).scaleb(-places)):,}"
    whole, _, frac = format(value, "f").partition(".")
    return f"${whole}.{frac.rstrip('0').ljust(2, '0')}"
