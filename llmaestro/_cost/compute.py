"""cost(): the price of a :class:`~llmaestro._cost.usage.Usage` under an offering's prices."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Final

from llmaestro._cost.prices import CTX, ZERO, AppliedPrices, compiled_for, service_tier_key
from llmaestro._cost.usage import Usage
from llmaestro.errors import CostError

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro.llm.models import Offering

__all__ = ["COMPONENTS", "CostBreakdown", "cost", "resolve_offering"]

#: The cost components of a :class:`CostBreakdown`, in display order.
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

_mul = CTX.multiply
_add = CTX.add


@dataclass(frozen=True)
class CostBreakdown:
    """What a request costs, in USD, component by component (exact :class:`~decimal.Decimal`).

    Each component is the cost of one part of the :class:`Usage`:

    ============== ==============================================================
    input          plain text prompt tokens (not cached, not audio, not image)
    cache_read     prompt tokens read from the cache
    cache_write    prompt tokens written to the 5-minute cache
    cache_write_1h prompt tokens written to the 1-hour cache
    input_audio    audio prompt tokens
    input_image    image prompt tokens (at the input price when not priced apart)
    output         text output tokens (reasoning, audio and image tokens excluded)
    reasoning      reasoning tokens (at the output price when not priced apart)
    output_audio   audio output tokens
    output_image   image output tokens
    images         per-image fees for prompt images
    generated_images per-image fees for generated images
    requests       per-request fees
    web_searches   web-search fees
    ============== ==============================================================

    A component is ``Decimal(0)`` when its quantity is 0, and ``None`` when its quantity is
    positive but its price is unknown: it is then named in ``unknown`` and ``complete`` is
    False. ``total`` is the sum of the known components, so **when ``complete`` is False it
    is a lower bound**, never the real price. ``prices`` tells which price set was applied
    (service tier, context tier, dates, notes). No rounding is applied; see :meth:`rounded`.
    """

    provider: str
    """Provider id of the offering."""
    model: str
    """Model id of the offering at that provider."""
    usage: Usage
    """The usage priced."""
    prices: AppliedPrices
    """The prices applied."""
    input: Decimal | None
    cache_read: Decimal | None
    cache_write: Decimal | None
    cache_write_1h: Decimal | None
    input_audio: Decimal | None
    input_image: Decimal | None
    output: Decimal | None
    reasoning: Decimal | None
    output_audio: Decimal | None
    output_image: Decimal | None
    images: Decimal | None
    generated_images: Decimal | None
    requests: Decimal | None
    web_searches: Decimal | None
    total: Decimal
    """Sum of the known components: exact when ``complete``, a lower bound otherwise."""
    complete: bool
    """True when every component with a positive quantity has a known price."""
    unknown: tuple[str, ...]
    """Components whose price is unknown (in :data:`COMPONENTS` order)."""

    @property
    def model_id(self) -> str:
        """``provider/model``."""
        return f"{self.provider}/{self.model}"

    @property
    def notes(self) -> tuple[str, ...]:
        """Why prices are unknown or what was assumed (from ``prices``)."""
        return self.prices.notes

    def quantities(self) -> dict[str, int]:
        """``{component: quantity}``: tokens for token components, counts for the others."""
        u = self.usage
        return {
            "input": u.input_tokens
            - u.cache_read_tokens
            - u.cache_write_tokens
            - u.cache_write_1h_tokens
            - u.input_audio_tokens
            - u.input_image_tokens,
            "cache_read": u.cache_read_tokens,
            "cache_write": u.cache_write_tokens,
            "cache_write_1h": u.cache_write_1h_tokens,
            "input_audio": u.input_audio_tokens,
            "input_image": u.input_image_tokens,
            "output": u.output_tokens
            - u.reasoning_tokens
            - u.output_audio_tokens
            - u.output_image_tokens,
            "reasoning": u.reasoning_tokens,
            "output_audio": u.output_audio_tokens,
            "output_image": u.output_image_tokens,
            "images": u.images,
            "generated_images": u.generated_images,
            "requests": u.requests,
            "web_searches": u.web_searches,
        }

    def unit_prices(self) -> dict[str, Decimal | None]:
        """``{component: price applied}``: USD per 1M tokens for token components, per unit
        (image, request, search) for the others; ``None`` when unknown."""
        p = self.prices
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

    def components(self) -> dict[str, Decimal | None]:
        """``{component: cost}`` in :data:`COMPONENTS` order."""
        return {name: getattr(self, name) for name in COMPONENTS}

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

        changes: dict[str, Any] = {
            name: None if value is None else rnd(value) for name, value in self.components().items()
        }
        return dataclasses.replace(self, total=rnd(self.total), **changes)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: amounts as decimal strings (``None`` when unknown)."""
        applied = self.prices

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
        for field in dataclasses.fields(AppliedPrices):
            value = getattr(applied, field.name)
            if field.name not in prices:
                prices[field.name] = text(value)
        return {
            "model": self.model_id,
            "usage": self.usage.to_dict(),
            "components": {k: text(v) for k, v in self.components().items()},
            "total": str(self.total),
            "complete": self.complete,
            "unknown": list(self.unknown),
            "prices": prices,
        }


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
    offering = offering_or_id if not isinstance(offering_or_id, str) else None
    if offering is None:
        offering = resolve_offering(offering_or_id)
    if not isinstance(usage, Usage):
        raise TypeError(f"usage must be a Usage, got {type(usage).__name__}")
    tier = None if service_tier is None and not batch else service_tier_key(service_tier, batch)
    compiled = compiled_for(offering)
    table = compiled.current[tier] if at is None else compiled.table_at(at, tier)
    prompt = usage.input_tokens
    rates = table.base
    for above, tiered in table.tiers:
        if prompt > above:
            rates = tiered
            break

    unknown: list[str] = []
    total = ZERO
    u = usage

    # --- prompt ---------------------------------------------------------------------------
    cache_read_q = u.cache_read_tokens
    cache_write_q = u.cache_write_tokens
    cache_write_1h_q = u.cache_write_1h_tokens
    input_audio_q = u.input_audio_tokens
    input_image_q = u.input_image_tokens
    q = prompt - cache_read_q - cache_write_q - cache_write_1h_q - input_audio_q - input_image_q
    c_input: Decimal | None = ZERO
    if q:
        p = rates.input
        if p is None:
            c_input = None
            unknown.append("input")
        else:
            c_input = _mul(p, q)
            total = _add(total, c_input)
    c_cache_read: Decimal | None = ZERO
    if cache_read_q:
        p = rates.cache_read
        if p is None:
            c_cache_read = None
            unknown.append("cache_read")
        else:
            c_cache_read = _mul(p, cache_read_q)
            total = _add(total, c_cache_read)
    c_cache_write: Decimal | None = ZERO
    if cache_write_q:
        p = rates.cache_write
        if p is None:
            c_cache_write = None
            unknown.append("cache_write")
        else:
            c_cache_write = _mul(p, cache_write_q)
            total = _add(total, c_cache_write)
    c_cache_write_1h: Decimal | None = ZERO
    if cache_write_1h_q:
        p = rates.cache_write_1h
        if p is None:
            c_cache_write_1h = None
            unknown.append("cache_write_1h")
        else:
            c_cache_write_1h = _mul(p, cache_write_1h_q)
            total = _add(total, c_cache_write_1h)
    c_input_audio: Decimal | None = ZERO
    if input_audio_q:
        p = rates.input_audio
        if p is None:
            c_input_audio = None
            unknown.append("input_audio")
        else:
            c_input_audio = _mul(p, input_audio_q)
            total = _add(total, c_input_audio)
    c_input_image: Decimal | None = ZERO
    if input_image_q:
        p = rates.image_tokens
        if p is None:
            c_input_image = None
            unknown.append("input_image")
        else:
            c_input_image = _mul(p, input_image_q)
            total = _add(total, c_input_image)

    # --- output ---------------------------------------------------------------------------
    reasoning_q = u.reasoning_tokens
    output_audio_q = u.output_audio_tokens
    output_image_q = u.output_image_tokens
    q = u.output_tokens - reasoning_q - output_audio_q - output_image_q
    c_output: Decimal | None = ZERO
    if q:
        p = rates.output
        if p is None:
            c_output = None
            unknown.append("output")
        else:
            c_output = _mul(p, q)
            total = _add(total, c_output)
    c_reasoning: Decimal | None = ZERO
    if reasoning_q:
        p = rates.reasoning
        if p is None:
            c_reasoning = None
            unknown.append("reasoning")
        else:
            c_reasoning = _mul(p, reasoning_q)
            total = _add(total, c_reasoning)
    c_output_audio: Decimal | None = ZERO
    if output_audio_q:
        p = rates.output_audio
        if p is None:
            c_output_audio = None
            unknown.append("output_audio")
        else:
            c_output_audio = _mul(p, output_audio_q)
            total = _add(total, c_output_audio)
    c_output_image: Decimal | None = ZERO
    if output_image_q:
        p = rates.output_image
        if p is None:
            c_output_image = None
            unknown.append("output_image")
        else:
            c_output_image = _mul(p, output_image_q)
            total = _add(total, c_output_image)

    # --- per-unit fees --------------------------------------------------------------------
    c_images: Decimal | None = ZERO
    q = u.images
    if q:
        p = rates.input_image
        if p is None:
            c_images = None
            unknown.append("images")
        else:
            c_images = _mul(p, q)
            total = _add(total, c_images)
    c_generated: Decimal | None = ZERO
    q = u.generated_images
    if q:
        p = rates.gen_image
        if p is None:
            c_generated = None
            unknown.append("generated_images")
        else:
            c_generated = _mul(p, q)
            total = _add(total, c_generated)
    c_requests: Decimal | None = ZERO
    q = u.requests
    if q:
        p = rates.request
        if p is None:
            c_requests = None
            unknown.append("requests")
        elif p:
            c_requests = _mul(p, q)
            total = _add(total, c_requests)
    c_searches: Decimal | None = ZERO
    q = u.web_searches
    if q:
        p = rates.web_search
        if p is None:
            c_searches = None
            unknown.append("web_searches")
        else:
            c_searches = _mul(p, q)
            total = _add(total, c_searches)

    # Built without the frozen dataclass __init__ (6x slower); same fields, same object.
    result = object.__new__(CostBreakdown)
    result.__dict__.update(
        {
            "provider": offering.provider,
            "model": offering.model,
            "usage": u,
            "prices": rates.applied,
            "input": c_input,
            "cache_read": c_cache_read,
            "cache_write": c_cache_write,
            "cache_write_1h": c_cache_write_1h,
            "input_audio": c_input_audio,
            "input_image": c_input_image,
            "output": c_output,
            "reasoning": c_reasoning,
            "output_audio": c_output_audio,
            "output_image": c_output_image,
            "images": c_images,
            "generated_images": c_generated,
            "requests": c_requests,
            "web_searches": c_searches,
            "total": total,
            "complete": not unknown,
            "unknown": tuple(unknown),
        }
    )
    return result
