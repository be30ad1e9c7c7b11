"""Billing kinds at import: the provider table, the free variants, and a free tier's priced
offerings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from llmaestro.catalog.importers.billing import assign_billing, provider_kind
from llmaestro.catalog.importers.builder import Builder
from llmaestro.catalog.importers.draft import Draft
from llmaestro.catalog.importers.manual import Manual


def _billed(provider: str, model: str, pricing: dict[str, Any]) -> tuple[Any, Any]:
    builder = Builder([], Manual(), dt.date(2026, 12, 4))
    draft = Draft(provider, model, {"kind": "chat", "pricing": pricing}, "test")
    builder.add_draft(draft)
    providers: dict[str, Any] = {}
    assign_billing(builder, providers)
    return (providers.get(provider) or {}).get("billing"), draft.facts.get("billing")


@pytest.mark.parametrize("provider", ["github-models", "nvidia", "modelscope"])
def test_free_endpoints_are_a_free_tier_not_a_price_of_zero(provider: str) -> None:
    assert provider_kind(provider) is not None
    assert provider_kind(provider)[0] == "free_tier"  # type: ignore[index]
    zero = {"input": Decimal(0), "output": Decimal(0)}
    assert _billed(provider, "some-model", zero) == ({"kind": "free_tier"}, None)


def test_a_free_tier_providers_priced_offering_is_metered() -> None:
    """NVIDIA's API catalog is free, except the models it prices (DeepSeek V4 at $0.14)."""
    priced = {"input": Decimal("0.14"), "output": Decimal("0.28")}
    assert _billed("nvidia", "deepseek-ai/deepseek-v4-flash", priced) == (
        {"kind": "free_tier"},
        {"kind": "per_token"},
    )


def test_a_metered_providers_free_variant_is_a_free_tier() -> None:
    zero = {"input": Decimal(0), "output": Decimal(0)}
    assert _billed("openrouter", "openai/gpt-oss-20b:free", zero) == (None, {"kind": "free_tier"})
    assert _billed("openrouter", "openai/gpt-oss-20b", zero) == (None, None)  # free, per token
