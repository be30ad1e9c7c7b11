"""Float artefacts of round prices, the detectors' precision rule, and the billing table."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmaestro.catalog.importers.billing import is_free_variant, provider_kind
from llmaestro.catalog.price_precision import round_artefact, same_price
from llmaestro.refresh.plan import _same


@pytest.mark.parametrize(
    ("written", "round_price"),
    [("2.99999", "3"), ("15.00002", "15"), ("12.49997", "12.5"), ("0.19999999", "0.2")],
)
def test_artefacts_become_the_round_price(written: str, round_price: str) -> None:
    assert round_artefact(Decimal(written)) == Decimal(round_price)


@pytest.mark.parametrize("written", ["3", "2.99", "0.0833333", "0.45", "0.075", "0"])
def test_real_prices_are_not_artefacts(written: str) -> None:
    assert round_artefact(Decimal(written)) is None


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=-4, max_value=2))
def test_a_round_price_is_never_an_artefact(digits: int, exponent: int) -> None:
    assert round_artefact(Decimal(digits).scaleb(exponent)) is None


def test_detectors_ignore_changes_below_the_sources_precision() -> None:
    assert _same(Decimal("0.083333"), Decimal("0.0833333333333333"))
    assert _same(3, Decimal("2.99999"))
    assert not _same(Decimal("0.5"), Decimal("0.45"))
    assert not _same(Decimal("2.99"), Decimal("2.985"))
    assert not _same(131072, 131000)
    assert not same_price(Decimal("0.0833"), Decimal("0.083333"))


@pytest.mark.parametrize(
    ("provider", "kind"),
    [
        ("alibaba-coding-plan", "subscription"),
        ("zai-coding-plan", "subscription"),
        ("xiaomi-token-plan-cn", "subscription"),
        ("kimi-for-coding", "subscription"),
        ("github-copilot", "subscription"),
        ("ollama", "self_hosted"),
        ("lmstudio", "self_hosted"),
        ("sagemaker", "self_hosted"),
        ("openai", None),
        ("databricks", None),
    ],
)
def test_billing_table(provider: str, kind: str | None) -> None:
    found = provider_kind(provider)
    assert (found[0] if found else None) == kind


def test_free_variants_need_zero_prices() -> None:
    zero = {"pricing": {"input": Decimal(0), "output": Decimal(0)}}
    assert is_free_variant("meta-llama/llama-3.1-8b-instruct:free", zero)
    assert not is_free_variant("meta-llama/llama-3.1-8b-instruct:free", {"pricing": {"input": 1}})
    assert not is_free_variant("meta-llama/llama-3.1-8b-instruct", zero)
