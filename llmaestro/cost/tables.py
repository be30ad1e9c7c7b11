"""Price selection: from an offering's :class:`~llmaestro.catalog.model.Pricing` to the
:class:`~llmaestro.cost.rates.Rates` that apply to one request (service tier, date, context
tier), resolved once per offering (:class:`Compiled`).

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
  ``history`` entry with ``effective <= at <= until``, with its own context tiers (history
  entries have no service tiers: a service tier's historic price is unknown); otherwise no
  price is known. When ``pricing.effective`` is not
  recorded, the current prices are assumed for any date not covered by history and not
  before its oldest entry; without history either, from the earliest day a source was
  checked for them (``pricing.provenance`` and the offering's ``provenance``): before the
  earliest day a price is known for, the breakdown is incomplete with the note "no price
  known before YYYY-MM-DD" (and "the catalog does not date these prices" when nothing
  dates them), never today's price presented as that day's.
* **Fallbacks**: ``reasoning`` unset -> reasoning tokens are billed at ``output``;
  ``input_image`` unset -> image prompt tokens at ``input``; ``per_1k_web_searches / 1000``
  when ``per_web_search`` is unset; ``per_request`` unset -> no per-request fee (unless
  nothing at all is priced for the request, as for a missing service tier). Every other
  unset price is unknown (``cache_write_1h`` never falls back to ``cache_write``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

from llmaestro.cost.prices import PRICE_FIELDS
from llmaestro.cost.rates import Rates, rates_for

__all__ = ["Compiled", "Table", "unpriced"]


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


def unpriced(service_tier: str | None, note: str, effective: dt.date | None = None) -> Table:
    """A table where nothing is priced, not even a per-request fee; ``note`` says why."""
    rates = rates_for(
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
    *,
    until: dt.date | None = None,
    historic: bool = False,
) -> Table:
    common: dict[str, Any] = {
        "service_tier": service_tier,
        "effective": effective,
        "until": until,
        "historic": historic,
        "notes": notes,
    }
    base_rates = rates_for(base, context_tier=None, **common)
    compiled = []
    for tier in sorted(tiers or (), key=lambda t: t.above_tokens, reverse=True):
        rates = rates_for(_overlay(base, tier), context_tier=tier.above_tokens, **common)
        compiled.append((tier.above_tokens, rates))
    return Table(base_rates, tuple(compiled))


def _current_table(pricing: Any, service_tier: str | None) -> Table:
    if pricing is None:
        return unpriced(service_tier, "the catalog has no prices for this offering")
    effective = pricing.effective
    if service_tier is None:
        return _tiered(_fields(pricing), pricing.tiers, None, effective, ())
    tiers_obj = pricing.service_tiers
    prices = getattr(tiers_obj, service_tier, None) if tiers_obj is not None else None
    if prices is None:
        return unpriced(
            service_tier, f"the catalog has no {service_tier} prices for this offering", effective
        )
    if prices.tiers or not pricing.tiers:
        return _tiered(_fields(prices), prices.tiers, service_tier, effective, ())
    # standard prices change above a threshold, the service tier says nothing about it
    lowest = min(t.above_tokens for t in pricing.tiers)
    note = f"the catalog has no {service_tier} prices for prompts above {lowest} tokens"
    table = _tiered(_fields(prices), (), service_tier, effective, ())
    above = rates_for(
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
        return unpriced(
            service_tier,
            f"the catalog has no historic {service_tier} prices",
            entry.effective,
        )
    return _tiered(
        _fields(entry),
        getattr(entry, "tiers", None),
        None,
        entry.effective,
        (),
        until=entry.until,
        historic=True,
    )


def _first_checked(offering: Any, pricing: Any) -> dt.date | None:
    """The earliest day a source was checked for these prices (the pricing's provenance and
    the offering's: a source of the offering stated its prices too)."""
    days = [
        s.checked
        for holder in (pricing, offering)
        for s in getattr(holder, "provenance", None) or ()
        if isinstance(getattr(s, "checked", None), dt.date)
    ]
    return min(days, default=None)


class Compiled:
    """Everything cost() needs about one offering, resolved once (internal)."""

    __slots__ = (
        "_historic",
        "_none",
        "checked",
        "current",
        "history",
        "model",
        "pricing",
        "provider",
        "ref",
    )

    def __init__(self, offering: Any) -> None:
        pricing = getattr(offering, "pricing", None)
        self.checked = _first_checked(offering, pricing) if pricing is not None else None
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
        # the earliest day a price is known for
        earliest = oldest if oldest is not None else effective
        if earliest is None:
            earliest = self.checked
        if effective is None and earliest is not None and at >= earliest:
            return self.tier_table(service_tier)
        none_key = (at, service_tier)
        table = self._none.get(none_key)
        if table is None:
            if earliest is None:
                why = "the catalog does not date these prices (no effective day, history or check)"
            elif at < earliest:
                why = f"no price known before {earliest}"
            else:
                why = "no price known for that day (a gap in the price history)"
            table = unpriced(service_tier, f"the catalog has no prices for {at}: {why}")
            if len(self._none) < 256:
                self._none[none_key] = table
        return table
