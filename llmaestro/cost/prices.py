"""The price vocabulary of :func:`~llmaestro.cost.cost`: the catalog price fields it reads, the
cost components, service tier names, and :class:`AppliedPrices`, the prices one call used.

Exact arithmetic: :data:`CTX` never rounds the few-digit catalog prices.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Context, Decimal
from typing import Final

from llmaestro.errors import CostError

__all__ = [
    "APPLIED_PRICE_FIELDS",
    "COMPONENTS",
    "CTX",
    "PRICED_BY",
    "PRICE_FIELDS",
    "SERVICE_TIERS",
    "ZERO",
    "AppliedPrices",
    "service_tier_key",
]

#: Exact arithmetic whatever the caller's decimal context (prices have few digits, so 60
#: digits of precision never round).
CTX: Final = Context(prec=60)
ZERO: Final = Decimal(0)

#: PriceSet fields that cost() reads (token prices per 1M tokens, the others per unit).
PRICE_FIELDS: Final[tuple[str, ...]] = (
    "input",
    "output",
    "cache_read",
    "cache_read_audio",
    "cache_write",
    "cache_write_1h",
    "reasoning",
    "input_audio",
    "output_audio",
    "input_image",
    "output_image",
    "per_input_image",
    "per_image",
    "per_request",
    "per_web_search",
    "per_1k_web_searches",
)
#: The price fields of :class:`AppliedPrices` (``per_1k_web_searches`` is folded into
#: ``per_web_search``), in :data:`PRICE_FIELDS` order.
APPLIED_PRICE_FIELDS: Final[tuple[str, ...]] = PRICE_FIELDS[:-1]

#: Service tier names accepted by cost(); ``None`` / ``"standard"`` / ``"default"`` /
#: ``"auto"`` mean the standard prices.
SERVICE_TIERS: Final[tuple[str, ...]] = ("batch", "flex", "priority")
_STANDARD_NAMES: Final = frozenset({"standard", "default", "auto", "on_demand", "on-demand"})


def service_tier_key(service_tier: str | None, batch: bool) -> str | None:
    """The service tier to price with (``None`` = standard); validates the combination."""
    if service_tier is not None:
        if not isinstance(service_tier, str):
            raise TypeError(f"service_tier must be a str, got {type(service_tier).__name__}")
        name = service_tier.strip().lower()
        if name in _STANDARD_NAMES:
            tier = None
        elif name in SERVICE_TIERS:
            tier = name
        else:
            raise CostError(
                f"unknown service tier {service_tier!r}; known: standard, "
                + ", ".join(SERVICE_TIERS)
            )
    else:
        tier = None
    if batch:
        if tier not in (None, "batch") or (service_tier is not None and tier is None):
            raise CostError(f"batch=True contradicts service_tier={service_tier!r}")
        return "batch"
    return tier


@dataclass(frozen=True, slots=True)
class AppliedPrices:
    """The prices one :func:`~llmaestro.cost.cost` call used, as the catalog states them.

    Token prices are USD per 1M tokens, ``per_*`` prices USD per unit; ``None`` is unknown
    (or, for ``per_request``, no fee recorded). ``reasoning`` and ``input_image`` show the
    price actually applied: the ``output`` / ``input`` price when the catalog has no separate
    one (see ``reasoning_as_output`` and ``image_as_input``).
    """

    service_tier: str | None
    """``batch``, ``flex`` or ``priority``; ``None`` for the standard prices."""
    context_tier: int | None
    """``above_tokens`` of the context tier applied; ``None`` for the base prices."""
    effective: dt.date | None
    """First day these prices applied, when the catalog records it."""
    until: dt.date | None
    """Last day these prices applied (historic prices only)."""
    historic: bool
    """True when the prices come from ``pricing.history``."""
    input: Decimal | None
    output: Decimal | None
    cache_read: Decimal | None
    cache_read_audio: Decimal | None
    cache_write: Decimal | None
    cache_write_1h: Decimal | None
    reasoning: Decimal | None
    input_audio: Decimal | None
    output_audio: Decimal | None
    input_image: Decimal | None
    output_image: Decimal | None
    per_input_image: Decimal | None
    per_image: Decimal | None
    per_request: Decimal | None
    per_web_search: Decimal | None
    reasoning_as_output: bool
    """Reasoning tokens are billed at the output price (no separate reasoning price)."""
    image_as_input: bool
    """Image prompt tokens are billed at the input price (no separate image price)."""
    notes: tuple[str, ...]
    """Why some prices are unknown, or what was assumed."""


#: The cost components, in display order (see :class:`~llmaestro.cost.CostBreakdown`), each
#: with the :class:`AppliedPrices` field that prices it (per 1M tokens for the first eleven,
#: per unit for the others). ``cache_read_audio`` has no fallback: cached audio without its
#: own price is unknown, never billed at the text ``cache_read`` price.
PRICED_BY: Final[dict[str, str]] = {
    "input": "input",
    "cache_read": "cache_read",
    "cache_read_audio": "cache_read_audio",
    "cache_write": "cache_write",
    "cache_write_1h": "cache_write_1h",
    "input_audio": "input_audio",
    "input_image": "input_image",
    "output": "output",
    "reasoning": "reasoning",
    "output_audio": "output_audio",
    "output_image": "output_image",
    "images": "per_input_image",
    "generated_images": "per_image",
    "requests": "per_request",
    "web_searches": "per_web_search",
}
COMPONENTS: Final[tuple[str, ...]] = tuple(PRICED_BY)
