"""Usage, CostBreakdown and cost() behaviour beyond the arithmetic."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import json
from decimal import Decimal, localcontext
from typing import Any

import pytest

import llmaestro
from llmaestro.catalog.model import Offering
from llmaestro.cost import CostBreakdown, Usage, cost
from llmaestro.cost import cache as cache_module
from llmaestro.errors import CostError, UnknownModelError
from tests.cost import offerings as o

# --- Usage ----------------------------------------------------------------------------------


def test_usage_defaults_and_views() -> None:
    usage = Usage()
    assert usage.requests == 1
    assert usage.input_tokens == usage.output_tokens == 0
    usage = Usage(input_tokens=100, cache_read_tokens=30, cache_write_tokens=20, output_tokens=7)
    assert usage.prompt_tokens == 100
    assert usage.completion_tokens == 7
    assert usage.uncached_input_tokens == 50
    assert usage.total_tokens == 107


def test_usage_is_frozen() -> None:
    usage = Usage(input_tokens=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        usage.input_tokens = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"input_tokens": -1},
        {"requests": -1},
        {"input_tokens": 10, "cache_read_tokens": 11},
        {"input_tokens": 10, "cache_read_tokens": 6, "cache_write_1h_tokens": 5},
        {"output_tokens": 5, "reasoning_tokens": 6},
        {"output_tokens": 5, "reasoning_tokens": 3, "output_audio_tokens": 3},
    ],
)
def test_usage_rejects_inconsistent_values(kwargs: dict[str, int]) -> None:
    with pytest.raises(CostError):
        Usage(**kwargs)


def test_usage_error_explains_the_convention() -> None:
    with pytest.raises(CostError, match="input_tokens counts every prompt token"):
        Usage(input_tokens=4000, cache_read_tokens=6000)


@pytest.mark.parametrize("bad", [1.0, "3", True, None, Decimal(2)])
def test_usage_rejects_non_ints(bad: Any) -> None:
    with pytest.raises(TypeError):
        Usage(input_tokens=bad)


def test_usage_add_and_sum() -> None:
    a = Usage(input_tokens=10, cache_read_tokens=4, output_tokens=3, reasoning_tokens=1)
    b = Usage(input_tokens=5, output_tokens=2, web_searches=1)
    total = a + b
    assert total == Usage(
        input_tokens=15,
        cache_read_tokens=4,
        output_tokens=5,
        reasoning_tokens=1,
        web_searches=1,
        requests=2,
    )
    assert sum([a, b]) == total
    assert a.__add__(3) is NotImplemented  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = a + 3  # type: ignore[operator]


# --- cost(): arguments ------------------------------------------------------------------------


def test_batch_and_service_tier_names() -> None:
    usage = Usage(input_tokens=1000, output_tokens=1000)
    batch = cost(o.GPT_5, usage, batch=True)
    assert batch == cost(o.GPT_5, usage, service_tier="batch")
    assert batch == cost(o.GPT_5, usage, service_tier="Batch", batch=True)
    standard = cost(o.GPT_5, usage)
    for name in ("standard", "default", "auto"):
        assert cost(o.GPT_5, usage, service_tier=name) == standard
    with pytest.raises(CostError, match="unknown service tier"):
        cost(o.GPT_5, usage, service_tier="scale")
    with pytest.raises(CostError, match="contradicts"):
        cost(o.GPT_5, usage, service_tier="flex", batch=True)
    with pytest.raises(CostError, match="contradicts"):
        cost(o.GPT_5, usage, service_tier="standard", batch=True)


def test_missing_service_tier_is_unknown_not_standard() -> None:
    usage = Usage(input_tokens=1000, output_tokens=1000)
    breakdown = cost(o.CLAUDE_OPUS_4_1, usage, batch=True)
    assert not breakdown.complete
    # nothing is known about its batch prices, the request fee included
    assert breakdown.unknown == ("input", "output", "requests")
    assert breakdown.total == 0
    assert "no batch prices" in breakdown.notes[0]


def test_service_tier_without_context_tiers_above_a_standard_threshold() -> None:
    """Sonnet 4.5's batch prices say nothing about > 200k prompts: unknown, not the
    short-prompt batch price."""
    usage = Usage(input_tokens=300_000, output_tokens=1000)
    breakdown = cost(o.CLAUDE_SONNET_4_5, usage, batch=True)
    assert breakdown.unknown == ("input", "output")
    assert breakdown.prices.context_tier == 200_000
    assert "above 200000 tokens" in breakdown.notes[0]
    below = cost(o.CLAUDE_SONNET_4_5, Usage(input_tokens=100_000), batch=True)
    assert below.complete
    assert below.total == Decimal("0.15")  # 100,000 x 1.50 / 1M


def test_service_tier_missing_field_is_unknown() -> None:
    # gpt-4o batch has no cached price in the catalog
    breakdown = cost(
        o.GPT_4O, Usage(input_tokens=1000, cache_read_tokens=500, output_tokens=10), batch=True
    )
    assert breakdown.unknown == ("cache_read",)
    assert breakdown.input == Decimal("0.000625")  # 500 x 1.25 / 1M


def test_historic_prices_have_no_service_tiers() -> None:
    breakdown = cost(o.GPT_4O, Usage(input_tokens=10), at=dt.date(2024, 6, 1), batch=True)
    assert breakdown.unknown == ("input", "requests")
    assert "historic batch" in breakdown.notes[0]


def test_at_accepts_datetimes_and_rejects_other_types() -> None:
    usage = Usage(input_tokens=1_000_000)
    day = cost(o.MISTRAL_LARGE, usage, at=dt.date(2024, 8, 1))
    moment = cost(o.MISTRAL_LARGE, usage, at=dt.datetime(2024, 8, 1, 12, 30))
    assert day == moment
    assert day.total == Decimal(3)
    with pytest.raises(TypeError):
        cost(o.MISTRAL_LARGE, usage, at="2024-08-01")  # type: ignore[arg-type]


def test_at_without_recorded_effective_date() -> None:
    # no pricing.effective, no history, no check date: nothing says the current prices held
    # on that day, so they are not presented as its prices (tests/cost/test_cost_at.py)
    breakdown = cost(o.GPT_4O_MINI, Usage(input_tokens=1000), at=dt.date(2020, 1, 1))
    assert not breakdown.complete
    assert "does not date these prices" in breakdown.notes[0]
    assert cost(o.GPT_4O_MINI, Usage(input_tokens=1000)).total == Decimal("0.00015")


def test_history_entry_without_until_and_gap_before_effective() -> None:
    offering = o.offering(
        "example",
        "m",
        {
            "input": "2",
            "effective": "2025-03-01",
            "history": [
                {"effective": "2025-01-01", "until": "2025-01-31", "input": "4"},
                {"effective": "2024-06-01", "input": "8"},
            ],
        },
    )
    usage = Usage(input_tokens=1_000_000)
    assert cost(offering, usage, at=dt.date(2025, 3, 1)).total == 2
    assert cost(offering, usage, at=dt.date(2025, 1, 15)).total == 4
    # February 2025: not covered by the first entry, but the open-ended one matches
    assert cost(offering, usage, at=dt.date(2025, 2, 15)).total == 8
    early = cost(offering, usage, at=dt.date(2024, 1, 1))
    assert not early.complete
    assert "no prices for 2024-01-01" in early.notes[0]


def test_usage_must_be_a_usage() -> None:
    with pytest.raises(TypeError, match="Usage"):
        cost(o.GPT_4O, {"input_tokens": 3})  # type: ignore[arg-type]


def test_exact_whatever_the_decimal_context() -> None:
    usage = Usage(input_tokens=123_456_789, cache_read_tokens=987_654, output_tokens=55_555)
    expected = cost(o.GPT_4O, usage).total
    with localcontext() as ctx:
        ctx.prec = 3
        assert cost(o.GPT_4O, usage).total == expected
    # (122,469,135 x 2.5 + 987,654 x 1.25 + 55,555 x 10) / 1M
    # = (306,172,837.5 + 1,234,567.5 + 555,550) / 1M
    assert expected == Decimal("307.962955")


# --- string ids -------------------------------------------------------------------------------


class _Registry:
    def __init__(self, *offerings: Offering) -> None:
        self.offerings = {f"{x.provider}/{x.model}": x for x in offerings}

    def get(self, model_id: str) -> Offering:
        for key, offering in self.offerings.items():
            if model_id in (key, offering.model):
                return offering
        raise UnknownModelError(model_id, sorted(self.offerings)[:1])


def test_string_ids_resolve_through_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(llmaestro, "load", lambda: _Registry(o.GPT_4O), raising=False)
    usage = Usage(input_tokens=1000, output_tokens=100)
    assert cost("openai/gpt-4o", usage) == cost(o.GPT_4O, usage)
    assert cost("gpt-4o", usage).total == Decimal("0.0035")
    with pytest.raises(UnknownModelError, match="did you mean"):
        cost("openai/gpt-4x", usage)


def test_string_ids_without_a_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(llmaestro, "load", raising=False)
    with pytest.raises(CostError, match=r"llmaestro\.load"):
        cost("openai/gpt-4o", Usage())


# --- CostBreakdown ------------------------------------------------------------------------------


def test_rounded() -> None:
    breakdown = cost(o.GPT_4O, Usage(input_tokens=1, output_tokens=1))
    # 1 x 2.5 / 1M = 0.0000025; 1 x 10 / 1M = 0.00001
    assert breakdown.total == Decimal("0.0000125")
    rounded = breakdown.rounded()
    assert rounded.input == Decimal("0.000003")  # half up
    assert rounded.output == Decimal("0.000010")
    assert rounded.total == Decimal("0.000013")
    assert breakdown.rounded(2).total == Decimal("0.00")
    unknown = cost(o.CLAUDE_3_5_HAIKU, Usage(input_tokens=5, cache_write_1h_tokens=5)).rounded()
    assert unknown.cache_write_1h is None
    with pytest.raises(ValueError, match="places"):
        breakdown.rounded(-1)


def test_breakdown_is_frozen_and_comparable() -> None:
    usage = Usage(input_tokens=1000, output_tokens=10)
    a = cost(o.GPT_4O, usage)
    b = cost(o.GPT_4O, usage)
    assert a == b
    assert hash(a) == hash(b)
    assert isinstance(a, CostBreakdown)
    with pytest.raises(AttributeError):
        a.total = Decimal(0)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        a.input = Decimal(0)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        a.anything = 1  # type: ignore[attr-defined]
    # the explicit constructor builds an equal object from the same values
    explicit = CostBreakdown(
        provider=a.provider,
        model=a.model,
        usage=a.usage,
        prices=a.prices,
        total=a.total,
        unknown=a.unknown,
        **a.components(),
    )
    assert explicit == a
    assert hash(explicit) == hash(a)
    assert repr(explicit) == repr(a)
    assert "total=Decimal('0.0026" in repr(a)  # 1,000 x 2.5 + 10 x 10, per 1M
    assert a != cost(o.GPT_4O, Usage(input_tokens=1000, output_tokens=11))
    assert a != "x"
    with pytest.raises(TypeError, match="unknown cost component"):
        CostBreakdown(
            provider="p",
            model="m",
            usage=usage,
            prices=a.prices,
            total=a.total,
            inputs=1,  # type: ignore[arg-type]
        )
    assert a.model_id == "openai/gpt-4o"


def test_to_dict_is_json_ready() -> None:
    breakdown = cost(
        o.CLAUDE_3_5_HAIKU, Usage(input_tokens=6000, cache_write_1h_tokens=5000, output_tokens=1)
    )
    data = json.loads(json.dumps(breakdown.to_dict()))
    assert data["model"] == "anthropic/claude-3-5-haiku-20241022"
    assert data["complete"] is False
    assert data["unknown"] == ["cache_write_1h"]
    assert data["components"]["cache_write_1h"] is None
    assert Decimal(data["total"]) == breakdown.total
    assert data["prices"]["input"] == "0.80"
    assert data["usage"]["cache_write_1h_tokens"] == 5000


def test_quantities_and_unit_prices() -> None:
    usage = Usage(input_tokens=50, cache_read_tokens=20, output_tokens=9, reasoning_tokens=4)
    breakdown = cost(o.O3_MINI, usage)
    quantities = breakdown.quantities()
    assert quantities["input"] == 30
    assert quantities["cache_read"] == 20
    assert quantities["output"] == 5
    assert quantities["reasoning"] == 4
    unit = breakdown.unit_prices()
    assert unit["reasoning"] == Decimal("4.40")
    for name, amount in breakdown.components().items():
        price = unit[name]
        if amount and price is not None and name not in ("requests",):
            assert amount == price * quantities[name] / 1_000_000


# --- caching ------------------------------------------------------------------------------------


def test_compiled_prices_are_cached_per_offering_and_evicted() -> None:
    offering = o.offering("example", "cached", {"input": "1"})
    cost(offering, Usage(input_tokens=1))
    key = id(offering)
    assert key in cache_module.CACHE
    first = cache_module.CACHE[key]
    cost(offering, Usage(input_tokens=2))
    assert cache_module.CACHE[key] is first
    del offering, first
    gc.collect()
    assert key not in cache_module.CACHE


class _Slotted:
    """Like the registry's records: slotted, no weak references."""

    __slots__ = ("model", "pricing", "provider")

    def __init__(self, model: str = "m") -> None:
        self.provider = "p"
        self.model = model
        self.pricing = o.GPT_4O.pricing


def test_objects_without_weakrefs_are_cached_within_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "STRONG_LIMIT", 2)
    monkeypatch.setattr(cache_module, "_strong_keys", {})
    objects = [_Slotted(f"m{i}") for i in range(3)]
    for obj in objects:
        breakdown = cost(obj, Usage(input_tokens=1000))  # type: ignore[arg-type]
        assert breakdown.total == Decimal("0.0025")
        assert breakdown.model == obj.model
    keys = [id(obj) for obj in objects]
    assert keys[0] not in cache_module.CACHE  # evicted: at most 2 held strongly
    assert keys[1] in cache_module.CACHE
    assert keys[2] in cache_module.CACHE
    entry = cache_module.CACHE[keys[2]]
    assert cost(objects[2], Usage()).model == "m2"  # type: ignore[arg-type]
    assert cache_module.CACHE[keys[2]] is entry
    # an evicted object is compiled again
    assert cost(objects[0], Usage(input_tokens=4)).total == Decimal("0.00001")  # type: ignore[arg-type]
    for key in keys:
        cache_module.CACHE.pop(key, None)


def test_registry_records() -> None:
    registry = llmaestro.load()
    record = registry.get("openai/gpt-4o")
    usage = Usage(input_tokens=1000, cache_read_tokens=200, output_tokens=100)
    by_record = cost(record, usage)
    assert by_record == cost("openai/gpt-4o", usage)
    assert by_record.provider == "openai"
    assert by_record.model == "gpt-4o"
    assert by_record.complete
    assert by_record.total > 0
