"""Registry lookups and queries over the repository catalog."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import llmaestro
from llmaestro import DeprecatedModelWarning, UnknownModelError
from llmaestro.registry.core import CAPABILITIES


@pytest.fixture(scope="module")
def registry() -> llmaestro.Registry:
    # a day before the deprecation dates of the models these lookups name (lifecycle as of
    # a date is tests/registry/test_lifecycle.py's)
    return llmaestro.load(today=dt.date(2026, 6, 1))


def test_lookup_by_provider_and_id(registry: llmaestro.Registry) -> None:
    o = registry.get("openai/gpt-4o")
    assert (o.provider, o.model) == ("openai", "gpt-4o")
    assert registry.get("gpt-4o", provider="openai") is o


def test_lookup_by_alias_litellm_style_and_bare_id(registry: llmaestro.Registry) -> None:
    sonnet = registry.get("anthropic/claude-sonnet-4-5-20250929")
    assert registry.get("anthropic/claude-sonnet-4-5") is sonnet
    assert registry.get("claude-sonnet-4-5") is sonnet
    assert registry.get("gemini/gemini-2.5-pro").provider == "google"  # LiteLLM prefix


def test_inherited_facts_and_exact_prices(registry: llmaestro.Registry) -> None:
    o = registry.get("openai/gpt-4o")
    assert o.limits is not None and o.limits.context == 128000  # from the canonical model
    assert o.pricing is not None and o.pricing.input == Decimal("2.50")
    assert isinstance(o.pricing.input, Decimal)


def test_unknown_id_suggests_the_closest(registry: llmaestro.Registry) -> None:
    with pytest.raises(UnknownModelError) as info:
        registry.get("openai/gpt-4oo")
    assert isinstance(info.value, LookupError)
    assert "openai/gpt-4o" in info.value.suggestions


def test_records_are_frozen(registry: llmaestro.Registry) -> None:
    o = registry.get("openai/gpt-4o")
    with pytest.raises(AttributeError):
        o.name = "x"
    assert o.limits is not None
    with pytest.raises(AttributeError):
        o.limits.context = 1
    assert isinstance(o.modalities.input if o.modalities else (), tuple)


def test_deprecated_model_warns_once() -> None:
    registry = llmaestro.load(catalog=llmaestro.load().info.source)
    with pytest.warns(DeprecatedModelWarning, match="use gpt-4o instead"):
        registry.get("openai/gpt-4-0613")
    registry.get("openai/gpt-4-0613")  # no second warning (filterwarnings=error would fail)


def test_query_vision_128k_under_a_dollar(registry: llmaestro.Registry) -> None:
    found = registry.query(capabilities=["vision"], min_context=128_000, max_input_price=1)
    assert found
    for o in found:
        assert o.modalities is not None and o.modalities.input is not None
        assert "image" in o.modalities.input
        assert o.limits is not None and o.limits.context is not None
        assert o.limits.context >= 128_000
        assert o.pricing is not None and o.pricing.input is not None
        assert o.pricing.input <= 1
    brute = [
        o
        for o in registry
        if o.modalities
        and "image" in (o.modalities.input or ())
        and o.limits
        and (o.limits.context or 0) >= 128_000
        and o.pricing
        and o.pricing.input is not None
        and o.pricing.input <= 1
        and not (o.lifecycle and o.lifecycle.status == "retired")
        and (o.billing is None or o.billing.kind == "per_token")  # a price bound: per token
    ]
    assert sorted(x.model for x in found) == sorted(x.model for x in brute)


def test_retired_excluded_unless_asked(registry: llmaestro.Registry) -> None:
    ids = {o.model for o in registry.query(provider="anthropic")}
    assert "claude-3-5-sonnet-20240620" not in ids
    with_retired = {o.model for o in registry.query(provider="anthropic", include_retired=True)}
    assert "claude-3-5-sonnet-20240620" in with_retired


def test_sort_and_cheapest(registry: llmaestro.Registry) -> None:
    # priced per-token offers first, then the other billing kinds, then unknown prices
    by_price = [
        o
        for o in registry.query(kind="chat", sort="input_price")
        if o.pricing and o.pricing.input is not None
    ]
    metered = [o.billing is None or o.billing.kind == "per_token" for o in by_price]
    assert metered == sorted(metered, reverse=True)  # per-token offers first, then the others
    prices = [
        o.pricing.input
        for o, per_token in zip(by_price, metered, strict=True)
        if per_token and o.pricing and o.pricing.input is not None
    ]
    assert prices == sorted(prices)
    cheapest = registry.cheapest(by="input", kind="chat")
    assert cheapest is not None and cheapest.pricing is not None
    assert cheapest.pricing.input == min(prices)


def test_unknown_capability_is_a_clear_error(registry: llmaestro.Registry) -> None:
    with pytest.raises(ValueError, match="did you mean `vision`"):
        registry.query(capabilities=["visoin"])
    assert "tool_calling" in CAPABILITIES and "vision" in CAPABILITIES


def test_canonical_model_to_offerings(registry: llmaestro.Registry) -> None:
    offerings = registry.offerings_of("openai/gpt-4o")
    assert ("openai", "gpt-4o") in [(o.provider, o.model) for o in offerings]
    snapshots = {
        ref for ref in registry.canonical_ids
        if registry.canonical_model(ref).snapshot_of == "openai/gpt-4o"
    }  # fmt: skip
    assert "openai/gpt-4o-2024-05-13" in snapshots  # its own price: its own entry
    assert {o.base for o in offerings} == {"openai/gpt-4o"} | snapshots
    assert ("openai", "gpt-4o-2024-05-13") in [(o.provider, o.model) for o in offerings]


def test_document_round_trip(registry: llmaestro.Registry) -> None:
    again = llmaestro.Registry.from_document(registry.to_document(), today=registry.today)
    assert list(again) == list(registry)
    assert again.providers() == registry.providers()


def test_rate_limiter_from_an_offering(registry: llmaestro.Registry) -> None:
    from llmaestro.limits import RateLimiter

    tier = registry.rate_limit_tier("openai/gpt-4o-mini", "tier-1")
    assert tier is not None and tier.tokens_per_minute == 200_000
    limiter = RateLimiter.from_offering("openai/gpt-4o-mini", "tier-1", registry=registry)
    assert limiter.limits.requests_per_minute == 500
    assert limiter.limits.tokens_per_minute == 200_000
    anthropic = registry.rate_limit_tier("anthropic/claude-sonnet-4-5-20250929", "tier-1")
    assert anthropic is not None and anthropic.input_tokens_per_minute == 30_000
    with pytest.raises(LookupError, match="no rate-limit tier `tier-9`"):
        RateLimiter.from_offering("openai/gpt-4o-mini", "tier-9", registry=registry)


def test_a_bare_id_sold_by_several_non_lab_providers_is_ambiguous(
    registry: llmaestro.Registry,
) -> None:
    from llmaestro.errors import AmbiguousModelError

    sellers = ("302ai/MiniMax-M1", "nano-gpt/MiniMax-M1", "qiniu-ai/MiniMax-M1")
    assert all(s in registry.ids for s in sellers)
    with pytest.raises(AmbiguousModelError, match="name one as `provider/model`") as info:
        registry.get("MiniMax-M1")
    assert isinstance(info.value, LookupError)
    assert set(info.value.candidates) == set(sellers)
    assert "MiniMax-M1" in registry  # known, just not unique


def test_a_bare_id_resolves_to_the_labs_own_offering(registry: llmaestro.Registry) -> None:
    assert registry.get("gpt-4o").provider == "openai"
    assert registry.get("claude-sonnet-4-5").provider == "anthropic"
