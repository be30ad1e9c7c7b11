"""cost(): the price of a :class:`~llmaestro.cost.usage.Usage` under an offering's prices."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from llmaestro.cost.prices import (
    CACHE,
    COMPONENTS,
    CTX,
    ZERO,
    AppliedPrices,
    Rates,
    compiled_for,
    service_tier_key,
)
from llmaestro.cost.usage import Usage
from llmaestro.errors import CostError

if TYPE_CHECKING:  # pragma: no cover
    from typing import TypeAlias

    from llmaestro import _records
    from llmaestro.catalog import model as models

    #: A catalog offering: the registry's record or the pydantic model.
    Offering: TypeAlias = _records.Offering | models.Offering

__all__ = ["COMPONENTS", "CostBreakdown", "cost", "resolve_offering"]

_mul = CTX.multiply


def _quantities(u: Usage) -> tuple[int, ...]:
    """The quantity of each component, in :data:`COMPONENTS` order."""
    return (
        u.input_tokens
        - u.cache_read_tokens
        - u.cache_write_tokens
        - u.cache_write_1h_tokens
        - u.input_audio_tokens
        - u.input_image_tokens,
        u.cache_read_tokens,
        u.cache_write_tokens,
        u.cache_write_1h_tokens,
        u.input_audio_tokens,
        u.input_image_tokens,
        u.output_tokens - u.reasoning_tokens - u.output_audio_tokens - u.output_image_tokens,
        u.reasoning_tokens,
        u.output_audio_tokens,
        u.output_image_tokens,
        u.images,
        u.generated_images,
        u.requests,
        u.web_searches,
    )


def _components(usage: Usage, rates: Rates) -> tuple[Decimal | None, ...]:
    return tuple(
        [
            ZERO if not quantity else None if price is None else _mul(price, quantity)
            for quantity, price in zip(_quantities(usage), rates.per_unit, strict=True)
        ]
    )


class CostBreakdown:
    """What a request costs, in USD, component by component (exact :class:`~decimal.Decimal`).

    Each component is the cost of one part of the :class:`Usage`:

    ================ ==============================================================
    input            plain text prompt tokens (not cached, not audio, not image)
    cache_read       prompt tokens read from the cache
    cache_write      prompt tokens written to the 5-minute cache
    cache_write_1h   prompt tokens written to the 1-hour cache
    input_audio      audio prompt tokens
    input_image      image prompt tokens (at the input price when not priced apart)
    output           text output tokens (reasoning, audio and image tokens excluded)
    reasoning        reasoning tokens (at the output price when not priced apart)
    output_audio     audio output tokens
    output_image     image output tokens
    images           per-image fees for prompt images
    generated_images per-image fees for generated images
    requests         per-request fees
    web_searches     web-search fees
    ================ ==============================================================

    A component is ``Decimal(0)`` when its quantity is 0, and ``None`` when its quantity is
    positive but its price is unknown: it is then named in ``unknown`` and ``complete`` is
    False. ``total`` is the sum of the known components, so **when ``complete`` is False it
    is a lower bound**, never the real price. ``prices`` tells which price set was applied
    (service tier, context tier, dates, notes). No rounding is applied; see :meth:`rounded`.

    Immutable (read-only properties); equal breakdowns compare and hash equal. Components
    of a breakdown made by :func:`cost` are computed on first access (``total`` at once).
    """

    __slots__ = (
        "_model",
        "_prices",
        "_provider",
        "_rates",
        "_total",
        "_unknown",
        "_usage",
        "_values",
    )

    _provider: str
    _model: str
    _usage: Usage
    _prices: AppliedPrices
    _rates: Rates | None
    _values: tuple[Decimal | None, ...] | None
    _total: Decimal
    _unknown: tuple[str, ...]

    def __init__(
        self,
        *,
        provider: str,
        model: str,
        usage: Usage,
        prices: AppliedPrices,
        total: Decimal,
        unknown: tuple[str, ...] = (),
        **components: Decimal | None,
    ) -> None:
        """A breakdown from explicit values (components not given are ``Decimal(0)``)."""
        extra = set(components) - set(COMPONENTS)
        if extra:
            raise TypeError(f"unknown cost component(s): {', '.join(sorted(extra))}")
        self._provider = provider
        self._model = model
        self._usage = usage
        self._prices = prices
        self._rates = None
        self._values = tuple(components.get(name, ZERO) for name in COMPONENTS)
        self._total = total
        self._unknown = tuple(unknown)

    # --- identity and totals -----------------------------------------------------------

    @property
    def provider(self) -> str:
        """Provider id of the offering."""
        return self._provider

    @property
    def model(self) -> str:
        """Model id of the offering at that provider."""
        return self._model

    @property
    def model_id(self) -> str:
        """``provider/model``."""
        return f"{self._provider}/{self._model}"

    @property
    def usage(self) -> Usage:
        """The usage priced."""
        return self._usage

    @property
    def prices(self) -> AppliedPrices:
        """The prices applied (service tier, context tier, dates, notes)."""
        return self._prices

    @property
    def total(self) -> Decimal:
        """Sum of the known components: exact when ``complete``, a lower bound otherwise."""
        return self._total

    @property
    def complete(self) -> bool:
        """True when every component with a positive quantity has a known price."""
        return not self._unknown

    @property
    def unknown(self) -> tuple[str, ...]:
        """Components whose price is unknown (in :data:`COMPONENTS` order)."""
        return self._unknown

    @property
    def notes(self) -> tuple[str, ...]:
        """Why prices are unknown or what was assumed (from ``prices``)."""
        return self._prices.notes

    # --- components --------------------------------------------------------------------

    def _all(self) -> tuple[Decimal | None, ...]:
        values = self._values
        if values is None:
            assert self._rates is not None
            values = self._values = _components(self._usage, self._rates)
        return values

    @property
    def input(self) -> Decimal | None:
        """Plain text prompt tokens."""
        return self._all()[0]

    @property
    def cache_read(self) -> Decimal | None:
        """Prompt tokens read from the cache."""
        return self._all()[1]

    @property
    def cache_write(self) -> Decimal | None:
        """Prompt tokens written to the 5-minute cache."""
        return self._all()[2]

    @property
    def cache_write_1h(self) -> Decimal | None:
        """Prompt tokens written to the 1-hour cache."""
        return self._all()[3]

    @property
    def input_audio(self) -> Decimal | None:
        """Audio prompt tokens."""
        return self._all()[4]

    @property
    def input_image(self) -> Decimal | None:
        """Image prompt tokens."""
        return self._all()[5]

    @property
    def output(self) -> Decimal | None:
        """Text output tokens."""
        return self._all()[6]

    @property
    def reasoning(self) -> Decimal | None:
        """Reasoning tokens."""
        return self._all()[7]

    @property
    def output_audio(self) -> Decimal | None:
        """Audio output tokens."""
        return self._all()[8]

    @property
    def output_image(self) -> Decimal | None:
        """Image output tokens."""
        return self._all()[9]

    @property
    def images(self) -> Decimal | None:
        """Per-image fees for prompt images."""
        return self._all()[10]

    @property
    def generated_images(self) -> Decimal | None:
        """Per-image fees for generated images."""
        return self._all()[11]

    @property
    def requests(self) -> Decimal | None:
        """Per-request fees."""
        return self._all()[12]

    @property
    def web_searches(self) -> Decimal | None:
        """Web-search fees."""
        return self._all()[13]

    def components(self) -> dict[str, Decimal | None]:
        """``{component: cost}`` in :data:`COMPONENTS` order."""
        return dict(zip(COMPONENTS, self._all(), strict=True))

    def quantities(self) -> dict[str, int]:
        """``{component: quantity}``: tokens for token components, counts for the others."""
        return dict(zip(COMPONENTS, _quantities(self._usage), strict=True))

    def unit_prices(self) -> dict[str, Decimal | None]:
        """``{component: price applied}``: USD per 1M tokens for token components, per unit
        (image, request, search) for the others; ``None`` when unknown."""
        p = self._prices
        return {
            "input": p.input,
            "cache_read": p.cache_read,
            "cache_write": p.cache_write,
            "cache_write_1h": p.cache_write_1h,
            "input_audio": p.input_audio,
            "input_image": p.input_image,
            "output": p.output,
            "reasoning": p.reasoning,
            "output_audio": p.output_audio,
            "output_image": p.output_image,
            "images": p.per_input_image,
            "generated_images": p.per_image,
            "requests": p.per_request,
            "web_searches": p.per_web_search,
        }

    # --- conversions -------------------------------------------------------------------

    def rounded(self, places: int = 6) -> CostBreakdown:
        """A copy with every amount rounded half-up to ``places`` decimal places.

        ``total`` is the exact total rounded, so it may differ from the sum of the rounded
        components by a few units of the last place.
        """
        if isinstance(places, bool) or not isinstance(places, int) or places < 0:
            raise ValueError(f"places must be an int >= 0, got {places!r}")
        quantum = Decimal(1).scaleb(-places)

        def rnd(value: Decimal) -> Decimal:
            return value.quantize(quantum, rounding=ROUND_HALF_UP, context=CTX)

        return CostBreakdown(
            provider=self._provider,
            model=self._model,
            usage=self._usage,
            prices=self._prices,
            total=rnd(self._total),
            unknown=self._unknown,
            **{k: None if v is None else rnd(v) for k, v in self.components().items()},
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: amounts as decimal strings (``None`` when unknown)."""
        applied = self._prices

        def text(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        prices: dict[str, Any] = {
            "service_tier": applied.service_tier,
            "context_tier": applied.context_tier,
            "effective": None if applied.effective is None else applied.effective.isoformat(),
            "until": None if applied.until is None else applied.until.isoformat(),
            "historic": applied.historic,
            "reasoning_as_output": applied.reasoning_as_output,
            "image_as_input": applied.image_as_input,
            "notes": list(applied.notes),
        }
        for name in (
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
        ):
            prices[name] = text(getattr(applied, name))
        return {
            "model": self.model_id,
            "usage": self._usage.to_dict(),
            "components": {k: text(v) for k, v in self.components().items()},
            "total": str(self._total),
            "complete": self.complete,
            "unknown": list(self._unknown),
            "prices": prices,
        }

    # --- value semantics ---------------------------------------------------------------

    def _key(self) -> tuple[Any, ...]:
        return (
            self._provider,
            self._model,
            self._usage,
            self._prices,
            self._total,
            self._unknown,
            self._all(),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CostBreakdown):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        parts = [
            f"provider={self._provider!r}",
            f"model={self._model!r}",
            f"usage={self._usage!r}",
            f"prices={self._prices!r}",
        ]
        parts += [f"{k}={v!r}" for k, v in self.components().items()]
        parts += [
            f"total={self._total!r}",
            f"complete={self.complete!r}",
            f"unknown={self._unknown!r}",
        ]
        return f"CostBreakdown({', '.join(parts)})"


def resolve_offering(offering_or_id: Offering | str) -> Offering:
    """An offering as is, or the offering a model id names (through ``llmaestro.load()``).

    Raises :class:`~llmaestro.errors.UnknownModelError` for an unknown id.
    """
    if not isinstance(offering_or_id, str):
        return offering_or_id
    import llmaestro

    load: Any = getattr(llmaestro, "load", None)
    if load is None:
        raise CostError(
            f"cannot resolve {offering_or_id!r}: llmaestro.load() is not available; "
            "pass an Offering"
        )
    found: Offering = load().get(offering_or_id)
    return found


def cost(
    offering_or_id: Offering | str,
    usage: Usage,
    *,
    at: dt.date | None = None,
    service_tier: str | None = None,
    batch: bool = False,
) -> CostBreakdown:
    """The cost of ``usage`` under the prices of an offering (an object or a model id).

    * ``usage`` follows llmaestro's convention (see :class:`Usage`): ``input_tokens`` counts
      every prompt token, cached ones included; :func:`extract_usage` converts responses.
    * **Context tiers**: once ``usage.input_tokens`` exceeds a tier's ``above_tokens``, the
      tier's prices apply to the whole request (fields the tier leaves out keep the base
      price). The usage is taken as one request: to price many requests, price each.
    * ``service_tier``: ``"batch"``, ``"flex"``, ``"priority"`` (``None``, ``"standard"``,
      ``"default"`` and ``"auto"`` mean standard); ``batch=True`` is ``service_tier="batch"``.
      A price the service tier does not list is unknown.
    * ``at``: price on that day: the current prices when ``at >= pricing.effective``, else
      the ``pricing.history`` entry covering ``at``, else unknown (see ``prices.notes``).
    * Unknown prices are never 0: the component is ``None``, listed in ``unknown``,
      ``complete`` is False and ``total`` (the sum of the known components) is a lower bound.
      Reasoning tokens without a reasoning price are billed at the output price; image prompt
      tokens without an image price at the input price; no ``per_request`` price means no
      per-request fee.
    * Exact: no rounding (see :meth:`CostBreakdown.rounded`), whatever the decimal context.

    Raises :class:`~llmaestro.errors.UnknownModelError` for an unknown id and
    :class:`~llmaestro.errors.CostError` for an unknown service tier.
    """
    offering: Any = offering_or_id
    if isinstance(offering, str):
        offering = resolve_offering(offering)
    if not isinstance(usage, Usage):
        raise TypeError(f"usage must be a Usage, got {type(usage).__name__}")
    tier = None if service_tier is None and not batch else service_tier_key(service_tier, batch)
    compiled = CACHE.get(id(offering))
    if compiled is None or compiled.ref is None or compiled.ref() is not offering:
        compiled = compiled_for(offering)
    if at is None:
        table = compiled.current.get(tier) or compiled.tier_table(tier)
    else:
        table = compiled.table_at(at, tier)
    u = usage
    prompt = u.input_tokens
    rates = table.base
    for above, tiered in table.tiers:
        if prompt > above:
            rates = tiered
            break

    # The total in integer units of rates.unit (a power of ten): exact and fast. Components
    # are computed from the same prices when first read (see CostBreakdown).
    unknown: list[str] = []
    acc = 0
    cache_read = u.cache_read_tokens
    cache_write = u.cache_write_tokens
    cache_write_1h = u.cache_write_1h_tokens
    input_audio = u.input_audio_tokens
    input_image = u.input_image_tokens
    quantity = prompt - cache_read - cache_write - cache_write_1h - input_audio - input_image
    if quantity:
        k = rates.k_input
        if k is None:
            unknown.append("input")
        else:
            acc += k * quantity
    if cache_read:
        k = rates.k_cache_read
        if k is None:
            unknown.append("cache_read")
        else:
            acc += k * cache_read
    if cache_write:
        k = rates.k_cache_write
        if k is None:
            unknown.append("cache_write")
        else:
            acc += k * cache_write
    if cache_write_1h:
        k = rates.k_cache_write_1h
        if k is None:
            unknown.append("cache_write_1h")
        else:
            acc += k * cache_write_1h
    if input_audio:
        k = rates.k_input_audio
        if k is None:
            unknown.append("input_audio")
        else:
            acc += k * input_audio
    if input_image:
        k = rates.k_input_image
        if k is None:
            unknown.append("input_image")
        else:
            acc += k * input_image
    reasoning = u.reasoning_tokens
    output_audio = u.output_audio_tokens
    output_image = u.output_image_tokens
    quantity = u.output_tokens - reasoning - output_audio - output_image
    if quantity:
        k = rates.k_output
        if k is None:
            unknown.append("output")
        else:
            acc += k * quantity
    if reasoning:
        k = rates.k_reasoning
        if k is None:
            unknown.append("reasoning")
        else:
            acc += k * reasoning
    if output_audio:
        k = rates.k_output_audio
        if k is None:
            unknown.append("output_audio")
        else:
            acc += k * output_audio
    if output_image:
        k = rates.k_output_image
        if k is None:
            unknown.append("output_image")
        else:
            acc += k * output_image
    quantity = u.images
    if quantity:
        k = rates.k_images
        if k is None:
            unknown.append("images")
        else:
            acc += k * quantity
    quantity = u.generated_images
    if quantity:
        k = rates.k_generated_images
        if k is None:
            unknown.append("generated_images")
        else:
            acc += k * quantity
    quantity = u.requests
    if quantity:
        k = rates.k_requests
        if k is None:
            unknown.append("requests")
        else:
            acc += k * quantity
    quantity = u.web_searches
    if quantity:
        k = rates.k_web_searches
        if k is None:
            unknown.append("web_searches")
        else:
            acc += k * quantity

    result = _new(CostBreakdown)
    result._provider = compiled.provider
    result._model = compiled.model
    result._usage = u
    result._prices = rates.applied
    result._rates = rates
    result._values = None
    result._total = _mul(acc, rates.unit) if acc else ZERO
    result._unknown = tuple(unknown) if unknown else ()
    return result


_new = object.__new__
