"""Rates: one applied price set turned into per-unit prices and integer coefficients, the form
:func:`~llmaestro.cost.cost` adds up (internal)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Final

from llmaestro.cost.prices import COMPONENTS, CTX, PRICED_BY, ZERO, AppliedPrices

__all__ = ["Rates", "rates_for"]

_PER_MILLION: Final = -6
_PER_THOUSAND: Final = -3
#: Components priced per 1M tokens (the others per unit: image, request, search).
_PER_TOKEN: Final = frozenset(COMPONENTS[:11])


class Rates:
    """The prices of one applied price set, ready for arithmetic (internal, shared, read-only).

    ``per_unit`` holds, in :data:`COMPONENTS` order, the USD price of one unit (one token,
    image, request or search) or ``None`` when unknown. The ``k_*`` attributes hold the same
    prices as integers in units of ``unit`` (a power of ten common to the whole set), so that
    cost() can add up a total with integer arithmetic and convert it to a Decimal once (one
    attribute per component, not a tuple: cost() reads them unrolled, see the figure there).
    """

    __slots__ = (
        "applied",
        "k_cache_read",
        "k_cache_read_audio",
        "k_cache_write",
        "k_cache_write_1h",
        "k_generated_images",
        "k_images",
        "k_input",
        "k_input_audio",
        "k_input_image",
        "k_output",
        "k_output_audio",
        "k_output_image",
        "k_reasoning",
        "k_requests",
        "k_web_searches",
        "per_unit",
        "unit",
    )

    applied: AppliedPrices
    per_unit: tuple[Decimal | None, ...]
    unit: Decimal
    k_input: int | None
    k_cache_read: int | None
    k_cache_read_audio: int | None
    k_cache_write: int | None
    k_cache_write_1h: int | None
    k_input_audio: int | None
    k_input_image: int | None
    k_output: int | None
    k_reasoning: int | None
    k_output_audio: int | None
    k_output_image: int | None
    k_images: int | None
    k_generated_images: int | None
    k_requests: int | None
    k_web_searches: int | None


def _per_token(price: Decimal | None) -> Decimal | None:
    return None if price is None else CTX.scaleb(price, _PER_MILLION)


def rates_for(
    prices: dict[str, Decimal | None],
    *,
    service_tier: str | None,
    context_tier: int | None,
    effective: dt.date | None,
    until: dt.date | None,
    historic: bool,
    notes: tuple[str, ...],
    priced: bool = True,
) -> Rates:
    """Rates from a flat ``{price field: price per 1M / per unit}`` dict (already merged),
    applying the fallbacks (reasoning at ``output``, image prompt tokens at ``input``,
    ``per_1k_web_searches / 1000``; no ``per_request`` price means no fee when ``priced``)."""
    reasoning = prices["reasoning"]
    reasoning_as_output = reasoning is None and prices["output"] is not None
    if reasoning is None:
        reasoning = prices["output"]
    image = prices["input_image"]
    image_as_input = image is None and prices["input"] is not None
    if image is None:
        image = prices["input"]
    web_search = prices["per_web_search"]
    if web_search is None and prices["per_1k_web_searches"] is not None:
        web_search = CTX.scaleb(prices["per_1k_web_searches"], _PER_THOUSAND)
    applied = AppliedPrices(
        service_tier=service_tier,
        context_tier=context_tier,
        effective=effective,
        until=until,
        historic=historic,
        input=prices["input"],
        output=prices["output"],
        cache_read=prices["cache_read"],
        cache_read_audio=prices["cache_read_audio"],
        cache_write=prices["cache_write"],
        cache_write_1h=prices["cache_write_1h"],
        reasoning=reasoning,
        input_audio=prices["input_audio"],
        output_audio=prices["output_audio"],
        input_image=image,
        output_image=prices["output_image"],
        per_input_image=prices["per_input_image"],
        per_image=prices["per_image"],
        per_request=prices["per_request"],
        per_web_search=web_search,
        reasoning_as_output=reasoning_as_output,
        image_as_input=image_as_input,
        notes=notes,
    )
    # no per-request price recorded means no per-request fee, unless nothing is priced at all
    per_request = prices["per_request"]
    if per_request is None and priced:
        per_request = ZERO

    def unit_price(component: str) -> Decimal | None:
        if component == "requests":
            return per_request
        price: Decimal | None = getattr(applied, PRICED_BY[component])
        return _per_token(price) if component in _PER_TOKEN else price

    per_unit = tuple(unit_price(component) for component in COMPONENTS)
    exponent = min((int(p.as_tuple().exponent) for p in per_unit if p is not None), default=0)
    exponent = min(exponent, 0)
    rates = Rates()
    rates.applied = applied
    rates.per_unit = per_unit
    rates.unit = CTX.scaleb(Decimal(1), exponent)
    for component, price in zip(COMPONENTS, per_unit, strict=True):
        setattr(
            rates, f"k_{component}", None if price is None else int(CTX.scaleb(price, -exponent))
        )
    return rates
