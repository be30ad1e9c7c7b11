"""Properties of cost(): additivity, total = sum of components, never negative."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from llmaestro.catalog.model import Offering
from llmaestro.cost import COMPONENTS, Usage, cost
from tests.cost import offerings as o

PRICED = [
    o.GPT_4O,
    o.O3_MINI,
    o.GPT_4O_AUDIO,
    o.GPT_5,
    o.GPT_IMAGE_1,
    o.CLAUDE_SONNET_4_5,
    o.CLAUDE_3_5_HAIKU,
    o.GEMINI_2_5_PRO,
    o.GEMINI_2_5_FLASH,
    o.GEMINI_2_5_FLASH_IMAGE,
    o.MISTRAL_LARGE,
    o.DEEPSEEK_CHAT,
    o.GROK_4,
    o.OPENROUTER_SONAR,
    o.OPENROUTER_GPT_4O,
    o.UNPRICED,
]
TIERS = [None, "batch", "flex", "priority"]

small = st.integers(min_value=0, max_value=20_000)


@st.composite
def usages(draw: st.DrawFn, max_extra: int = 20_000) -> Usage:
    """A consistent Usage: parts first, then the totals that contain them."""
    parts_in = [draw(small) for _ in range(5)]
    parts_out = [draw(small) for _ in range(3)]
    return Usage(
        input_tokens=sum(parts_in) + draw(st.integers(0, max_extra)),
        cache_read_tokens=parts_in[0],
        cache_write_tokens=parts_in[1],
        cache_write_1h_tokens=parts_in[2],
        input_audio_tokens=parts_in[3],
        input_image_tokens=parts_in[4],
        output_tokens=sum(parts_out) + draw(small),
        reasoning_tokens=parts_out[0],
        output_audio_tokens=parts_out[1],
        output_image_tokens=parts_out[2],
        images=draw(st.integers(0, 5)),
        generated_images=draw(st.integers(0, 5)),
        requests=draw(st.integers(0, 3)),
        web_searches=draw(st.integers(0, 5)),
    )


@st.composite
def big_usages(draw: st.DrawFn) -> Usage:
    """Usages that may cross every context tier (up to 1.2M prompt tokens)."""
    base = draw(usages())
    extra = draw(st.integers(0, 1_200_000))
    return base + Usage(input_tokens=extra, requests=0)


@settings(max_examples=300, deadline=None)
@given(
    offering=st.sampled_from(PRICED),
    tier=st.sampled_from(TIERS),
    a=usages(max_extra=10_000),
    b=usages(max_extra=10_000),
)
def test_additive_when_no_tier_is_crossed(
    offering: Offering, tier: str | None, a: Usage, b: Usage
) -> None:
    # keep the sum (hence both parts) under 128k prompt tokens, the lowest context-tier
    # threshold in PRICED: all three requests are priced with the same price set
    assume((a + b).input_tokens <= 128_000)
    whole = cost(offering, a + b, service_tier=tier)
    left = cost(offering, a, service_tier=tier)
    right = cost(offering, b, service_tier=tier)
    assert whole.prices is left.prices is right.prices
    for name in COMPONENTS:
        x, y, z = getattr(left, name), getattr(right, name), getattr(whole, name)
        if x is None or y is None:
            assert z is None, name  # same unknown price, positive quantity in the sum
        else:
            assert z == x + y, name
    if left.complete and right.complete:
        assert whole.complete
        assert whole.total == left.total + right.total
    assert set(whole.unknown) == set(left.unknown) | set(right.unknown)


@settings(max_examples=300, deadline=None)
@given(offering=st.sampled_from(PRICED), tier=st.sampled_from(TIERS), usage=big_usages())
def test_total_is_the_sum_of_known_components_and_never_negative(
    offering: Offering, tier: str | None, usage: Usage
) -> None:
    breakdown = cost(offering, usage, service_tier=tier)
    known = [v for v in breakdown.components().values() if v is not None]
    assert breakdown.total == sum(known, Decimal(0))
    assert all(v >= 0 for v in known)
    assert breakdown.total >= 0
    unknown = tuple(name for name, v in breakdown.components().items() if v is None)
    assert breakdown.unknown == unknown
    assert breakdown.complete is (not unknown)
    # an unknown component always has a positive quantity (never "unknown x 0")
    quantities = breakdown.quantities()
    assert all(quantities[name] > 0 for name in unknown)
    # rounding never makes a cost negative either
    assert breakdown.rounded(2).total >= 0


@settings(max_examples=200, deadline=None)
@given(offering=st.sampled_from(PRICED), usage=big_usages(), more=usages())
def test_more_usage_never_costs_less_within_a_tier(
    offering: Offering, usage: Usage, more: Usage
) -> None:
    bigger = usage + more
    first = cost(offering, usage)
    second = cost(offering, bigger)
    if first.prices.context_tier == second.prices.context_tier and first.complete:
        assert second.total >= first.total


@settings(max_examples=200, deadline=None)
@given(st.lists(usages(), min_size=0, max_size=6))
def test_usage_sum_is_fieldwise(parts: list[Usage]) -> None:
    total = sum(parts, Usage(requests=0))
    for name in total.to_dict():
        assert getattr(total, name) == sum(getattr(p, name) for p in parts)
    if parts:
        assert sum(parts) == total
