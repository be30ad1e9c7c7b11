"""cost(): the price of a :class:`~llmaestro.cost.usage.Usage` under an offering's prices."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import llmaestro  # for llmaestro.load, looked up when called (it may be replaced)
from llmaestro.cost.breakdown import CostBreakdown
from llmaestro.cost.cache import CACHE, compiled_for
from llmaestro.cost.prices import CTX, ZERO, service_tier_key
from llmaestro.cost.usage import Usage
from llmaestro.errors import CostError

if TYPE_CHECKING:  # pragma: no cover
    from typing import TypeAlias

    from llmaestro import _records
    from llmaestro.catalog import model as models

    #: A catalog offering: the registry's record or the pydantic model.
    Offering: TypeAlias = _records.Offering | models.Offering

__all__ = ["cost", "resolve_offering"]

_mul = CTX.multiply
_new = object.__new__


def resolve_offering(offering_or_id: Offering | str) -> Offering:
    """An offering as is, or the offering a model id names (through ``llmaestro.load()``).

    Raises :class:`~llmaestro.errors.UnknownModelError` for an unknown id.
    """
    if not isinstance(offering_or_id, str):
        return offering_or_id
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
      Before the earliest day a price is known for (the oldest history entry, else
      ``pricing.effective``, else the first day a source was checked for these prices) the
      breakdown is incomplete with the note "no price known before YYYY-MM-DD": today's
      price is never presented as an earlier day's.
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
    #
    # Unrolled on purpose, one block per component in COMPONENTS order. A table-driven form
    # (one integer dot product of the usage with precomputed coefficients) was measured
    # 1.4-1.5x slower, and benchmarks/cost.py then gave 29.1x genai-prices on gemini-2.5-pro,
    # below the 30x goal (this form: 37.0x and 52.6x in the same session).
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
    cache_read_audio = u.cache_read_audio_tokens
    if cache_read - cache_read_audio:
        k = rates.k_cache_read
        if k is None:
            unknown.append("cache_read")
        else:
            acc += k * (cache_read - cache_read_audio)
    if cache_read_audio:
        k = rates.k_cache_read_audio
        if k is None:
            unknown.append("cache_read_audio")
        else:
            acc += k * cache_read_audio
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
