"""Price selection: from an offering's :class:`~llmaestro.catalog.model.Pricing` to the prices
that apply to one request (service tier, date, context tier), resolved once per offering.

Rules (documented again on :func:`llmaestro.cost.cost`):

* **Context tiers**: once the prompt has more than ``above_tokens`` tokens, the tier's prices
  apply to the whole request (the highest threshold exceeded wins); a field the tier leaves
  out falls back to the price set the tier belongs to.
* **Service tiers** (``batch``, ``flex``, ``priority``): the tier's own prices, with its own
  context tiers. A price the service tier leaves out is *unknown*, not the standard price
  (providers discount cache and tool prices differently). When the standard prices have
  context tiers but the service tier has none, token prices above the lowest standard
  threshold are unknown.
* **Dates**: ``at`` on or after ``pricing.effective`` -> the current prices; otherwise the
  ``history`` entry with ``effective <= at <= until`` (flat prices: history entries have no
  context or service tiers); otherwise no price is known. When ``pricing.effective`` is not
  recorded, the current prices are assumed for any date not covered by history and not
  before its oldest entry.
* **Fallbacks**: ``reasoning`` unset -> reasoning tokens are billed at ``output``;
  ``input_image`` unset -> image prompt tokens at ``input``; ``per_1k_web_searches / 1000``
  when ``per_web_search`` is unset; ``per_request`` unset -> no per-request fee (unless
  nothing at all is priced for the request, as for a missing service tier). Every other
  unset price is unknown (``cache_write_1h`` never falls back to ``cache_write``).
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Context, Decimal
from typing import Any, Final

from llmaestro.errors import CostError

__all__ = [
    "COMPONENTS",
    "PRICE_FIELDS",
    "SERVICE_TIERS",
    "AppliedPrices",
    "Compiled",
    "Rates",
    "compiled_for",
    "service_tier_key",
]

#: Exact arithmetic whatever the caller's decimal context (prices have few digits, so 60
#: digits of precision never round).
CTX: Final = Context(prec=60)
ZERO: Final = Decimal(0)
_PER_MILLION: Final = -6
_PER_THOUSAND: Final = -3

#: PriceSet fields that cost() reads (token prices per 1M tokens, the others per unit).
PRICE_FIELDS: Final[tuple[str, ...]] = (
    "input",
    "output",
    "cache_read",
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
_TOKEN_FIELDS: Final = frozenset(PRICE_FIELDS[:10])

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


#: The cost components, in display order (see :class:`~llmaestro.cost.CostBreakdown`).
COMPONENTS: Final[tuple[str, ...]] = (
    "input",
    "cache_read",
    "cache_write",
    "cache_write_1h",
    "input_audio",
    "input_image",
    "output",
    "reasoning",
    "output_audio",
    "output_image",
    "images",
    "generated_images",
    "requests",
    "web_searches",
)


class Rates:
    """The prices of one applied price set, ready for arithmetic (internal, shared, read-only).

    ``per_unit`` holds, in :data:`COMPONENTS` order, the USD price of one unit (one token,
    image, request or search) or ``None`` when unknown. The ``k_*`` attributes hold the same
    prices as integers in units of ``unit`` (a power of ten common to the whole set), so that
    cost() can add up a total with integer arithmetic and convert it to a Decimal once.
    """

    __slots__ = (
        "applied",
        "k_cache_read",
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


def _rates(
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
    """Rates from a flat ``{field: price per 1M / per unit}`` dict (already merged)."""
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
    per_unit = (
        _per_token(prices["input"]),
        _per_token(prices["cache_read"]),
        _per_token(prices["cache_write"]),
        _per_token(prices["cache_write_1h"]),
        _per_token(prices["input_audio"]),
        _per_token(image),
        _per_token(prices["output"]),
        _per_token(reasoning),
        _per_token(prices["output_audio"]),
        _per_token(prices["output_image"]),
        prices["per_input_image"],
        prices["per_image"],
        per_request,
        web_search,
    )
    exponent = min((int(p.as_tuple().exponent) for p in per_unit if p is not None), default=0)
    exponent = min(exponent, 0)
    rates = Rates()
    rates.applied = applied
    rates.per_unit = per_unit
    rates.unit = CTX.scaleb(Decimal(1), exponent)
    coefficients = [None if p is None else int(CTX.scaleb(p, -exponent)) for p in per_unit]
    for name, coefficient in zip(COMPONENTS, coefficients, strict=True):
        setattr(rates, f"k_{name}", coefficient)
    return rates


def _fields(price_set: Any) -> dict[str, Decimal | None]:
    return {name: getattr(price_set, name, None) for name in PRICE_FIELDS}


def _overlay(base: dict[str, Decimal | None], tier: Any) -> dict[str, Decimal | None]:
    merged = dict(base)
    for name in PRICE_FIELDS:
        value = getattr(tier, name, None)
        if value is not None:
            merged[name] = value
    return merged


_UNKNOWN: Final[dict[str, Decimal | None]] = dict.fromkeys(PRICE_FIELDS)


class Table:
    """The base rates of one (service tier, period) and its context tiers (internal)."""

    __slots__ = ("base", "tiers")

    def __init__(self, base: Rates, tiers: tuple[tuple[int, Rates], ...]) -> None:
        self.base = base
        self.tiers = tiers  # highest threshold first: the first one exceeded applies


def _unpriced(service_tier: str | None, note: str, effective: dt.date | None = None) -> Table:
    rates = _rates(
        _UNKNOWN,
        service_tier=service_tier,
        context_tier=None,
        effective=effective,
        until=None,
        historic=False,
        notes=(note,),
        priced=False,
    )
    return Table(rates, ())


def _tiered(
    base: dict[str, Decimal | None],
    tiers: Any,
    service_tier: str | None,
    effective: dt.date | None,
    notes: tuple[str, ...],
) -> Table:
    common: dict[str, Any] = {"service_tier": service_tier, "effective": effective}
    base_rates = _rates(base, context_tier=None, until=None, historic=False, notes=notes, **common)
    compiled = []
    for tier in sorted(tiers or (), key=lambda t: t.above_tokens, reverse=True):
        rates = _rates(
            _overlay(base, tier),
            context_tier=tier.above_tokens,
            until=None,
            historic=False,
            notes=notes,
            **common,
        )
        compiled.append((tier.above_tokens, rates))
    return Table(base_rates, tuple(compiled))


def _current_table(pricing: Any, service_tier: str | None) -> Table:
    if pricing is None:
        return _unpriced(service_tier, "the catalog has no prices for this offering")
    effective = pricing.effective
    if service_tier is None:
        return _tiered(_fields(pricing), pricing.tiers, None, effective, ())
    tiers_obj = pricing.service_tiers
    prices = getattr(tiers_obj, service_tier, None) if tiers_obj is not None else None
    if prices is None:
        return _unpriced(
            service_tier, f"the catalog has no {service_tier} prices for this offering", effective
        )
    if prices.tiers or not pricing.tiers:
        return _tiered(_fields(prices), prices.tiers, service_tier, effective, ())
    # standard prices change above a threshold, the service tier says nothing about it
    lowest = min(t.above_tokens for t in pricing.tiers)
    note = f"the catalog has no {service_tier} prices for prompts above {lowest} tokens"
    table = _tiered(_fields(prices), (), service_tier, effective, ())
    above = _rates(
        {**_UNKNOWN, "per_request": prices.per_request},
        service_tier=service_tier,
        context_tier=lowest,
        effective=effective,
        until=None,
        historic=False,
        notes=(note,),
    )
    return Table(table.base, ((lowest, above),))


def _history_table(entry: Any, service_tier: str | None) -> Table:
    if service_tier is not None:
        return _unpriced(
            service_tier,
            f"the catalog has no historic {service_tier} prices",
            entry.effective,
        )
    rates = _rates(
        _fields(entry),
        service_tier=None,
        context_tier=None,
        effective=entry.effective,
        until=entry.until,
        historic=True,
        notes=(),
    )
    return Table(rates, ())


class Compiled:
    """Everything cost() needs about one offering, resolved once (internal)."""

    __slots__ = ("_historic", "_none", "current", "history", "model", "pricing", "provider", "ref")

    def __init__(self, offering: Any) -> None:
        pricing = getattr(offering, "pricing", None)
        self.provider: str = offering.provider
        self.model: str = offering.model
        self.pricing = pricing
        # the standard prices at once, service tiers when first asked for
        self.current: dict[str | None, Table] = {None: _current_table(pricing, None)}
        self.history: tuple[Any, ...] = tuple(pricing.history or ()) if pricing else ()
        self._historic: dict[tuple[int, str | None], Table] = {}
        self._none: dict[tuple[dt.date, str | None], Table] = {}
        self.ref: Callable[[], Any] | None = None

    def tier_table(self, service_tier: str | None) -> Table:
        """The current table of ``service_tier`` (``None`` = standard)."""
        table = self.current.get(service_tier)
        if table is None:
            table = self.current[service_tier] = _current_table(self.pricing, service_tier)
        return table

    def table_at(self, at: dt.date, service_tier: str | None) -> Table:
        """The table in force on ``at`` (see the module documentation)."""
        if isinstance(at, dt.datetime):
            at = at.date()
        elif not isinstance(at, dt.date):
            raise TypeError(f"at must be a datetime.date, got {type(at).__name__}")
        pricing = self.pricing
        if pricing is None:
            return self.tier_table(service_tier)
        effective = pricing.effective
        if effective is not None and at >= effective:
            return self.tier_table(service_tier)
        for index, entry in enumerate(self.history):
            if entry.effective <= at and (entry.until is None or at <= entry.until):
                key = (index, service_tier)
                table = self._historic.get(key)
                if table is None:
                    table = self._historic[key] = _history_table(entry, service_tier)
                return table
        oldest = min((entry.effective for entry in self.history), default=None)
        if effective is None and (oldest is None or at >= oldest):
            return self.tier_table(service_tier)
        none_key = (at, service_tier)
        table = self._none.get(none_key)
        if table is None:
            start = effective if effective is not None else oldest
            table = _unpriced(service_tier, f"the catalog has no prices for {at} (before {start})")
            if len(self._none) < 256:
                self._none[none_key] = table
        return table


#: Compiled prices by id(offering). Entries of weakly referenceable offerings (pydantic
#: models) leave when their offering is garbage collected; the others (the registry's slotted
#: records) are held strongly, at most STRONG_LIMIT of them.
CACHE: dict[int, Compiled] = {}
STRONG_LIMIT = 4096
_strong_keys: dict[int, None] = {}  # insertion-ordered set of the strongly held keys
_STRONG_LOCK = threading.Lock()


def _forget(key: int) -> Callable[[Any], None]:
    def callback(_ref: Any) -> None:
        CACHE.pop(key, None)

    return callback


def _holder(obj: Any) -> Callable[[], Any]:
    return lambda: obj


def compiled_for(offering: Any) -> Compiled:
    """The compiled prices of ``offering``, cached by identity (see :data:`CACHE`).

    Catalog offerings are immutable, so an entry never goes stale: it is found again by
    ``id(offering)`` and checked to belong to the very same object.
    """
    key = id(offering)
    entry = CACHE.get(key)
    if entry is not None and entry.ref is not None and entry.ref() is offering:
        return entry
    entry = Compiled(offering)
    try:
        entry.ref = weakref.ref(offering, _forget(key))
    except TypeError:  # no weak references (slotted records): hold it, within bounds
        entry.ref = _holder(offering)
        with _STRONG_LOCK:
            _strong_keys.pop(key, None)
            while len(_strong_keys) >= STRONG_LIMIT:
                oldest = next(iter(_strong_keys))
                del _strong_keys[oldest]
                CACHE.pop(oldest, None)
            _strong_keys[key] = None
            CACHE[key] = entry
        return entry
    CACHE[key] = entry
    return entry
