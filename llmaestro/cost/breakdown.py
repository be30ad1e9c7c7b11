"""CostBreakdown: what a request costs, component by component, in exact Decimals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from llmaestro.cost.prices import (
    APPLIED_PRICE_FIELDS,
    COMPONENTS,
    CTX,
    PRICED_BY,
    ZERO,
    AppliedPrices,
)
from llmaestro.cost.rates import Rates
from llmaestro.cost.tables import unpriced as unpriced_table
from llmaestro.cost.usage import Usage

__all__ = ["CostBreakdown"]

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
        u.cache_read_tokens - u.cache_read_audio_tokens,
        u.cache_read_audio_tokens,
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
    cache_read       prompt tokens read from the cache (cached audio excluded)
    cache_read_audio audio prompt tokens read from the cache (no fallback price)
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

    @classmethod
    def unpriced(cls, provider: str, model: str, usage: Usage, note: str) -> CostBreakdown:
        """The breakdown of ``usage`` when no price is known (the catalog has no offering
        or no prices for the model): every component with a positive quantity is ``None``
        and named in ``unknown`` (``requests`` too: whether there is a per-request fee is
        unknown), so ``complete`` is False and ``total`` is 0, the lower bound. ``note``
        says why, in ``notes``.

        What a client answers with instead of no breakdown, so ``reply.cost.total`` and
        ``reply.cost.complete`` always work.
        """
        if not isinstance(usage, Usage):
            raise TypeError(f"usage must be a Usage, got {type(usage).__name__}")
        rates = unpriced_table(None, note).base
        result = object.__new__(cls)
        result._provider = provider
        result._model = model
        result._usage = usage
        result._prices = rates.applied
        result._rates = rates
        result._values = None
        result._total = ZERO
        result._unknown = tuple(
            name for name, quantity in zip(COMPONENTS, _quantities(usage), strict=True) if quantity
        )
        return result

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
        """Prompt tokens read from the cache (cached audio excluded)."""
        return self._all()[1]

    @property
    def cache_read_audio(self) -> Decimal | None:
        """Audio prompt tokens read from the cache."""
        return self._all()[2]

    @property
    def cache_write(self) -> Decimal | None:
        """Prompt tokens written to the 5-minute cache."""
        return self._all()[3]

    @property
    def cache_write_1h(self) -> Decimal | None:
        """Prompt tokens written to the 1-hour cache."""
        return self._all()[4]

    @property
    def input_audio(self) -> Decimal | None:
        """Audio prompt tokens."""
        return self._all()[5]

    @property
    def input_image(self) -> Decimal | None:
        """Image prompt tokens."""
        return self._all()[6]

    @property
    def output(self) -> Decimal | None:
        """Text output tokens."""
        return self._all()[7]

    @property
    def reasoning(self) -> Decimal | None:
        """Reasoning tokens."""
        return self._all()[8]

    @property
    def output_audio(self) -> Decimal | None:
        """Audio output tokens."""
        return self._all()[9]

    @property
    def output_image(self) -> Decimal | None:
        """Image output tokens."""
        return self._all()[10]

    @property
    def images(self) -> Decimal | None:
        """Per-image fees for prompt images."""
        return self._all()[11]

    @property
    def generated_images(self) -> Decimal | None:
        """Per-image fees for generated images."""
        return self._all()[12]

    @property
    def requests(self) -> Decimal | None:
        """Per-request fees."""
        return self._all()[13]

    @property
    def web_searches(self) -> Decimal | None:
        """Web-search fees."""
        return self._all()[14]

    def components(self) -> dict[str, Decimal | None]:
        """``{component: cost}`` in :data:`COMPONENTS` order."""
        return dict(zip(COMPONENTS, self._all(), strict=True))

    def quantities(self) -> dict[str, int]:
        """``{component: quantity}``: tokens for token components, counts for the others."""
        return dict(zip(COMPONENTS, _quantities(self._usage), strict=True))

    def unit_prices(self) -> dict[str, Decimal | None]:
        """``{component: price applied}``: USD per 1M tokens for token components, per unit
        (image, request, search) for the others; ``None`` when unknown."""
        applied = self._prices
        return {name: getattr(applied, field) for name, field in PRICED_BY.items()}

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
        for name in APPLIED_PRICE_FIELDS:
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
