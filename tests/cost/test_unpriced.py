"""CostBreakdown.unpriced: the breakdown of a usage no price is known for (what a client
answers with for a model the catalog lacks): every used component is None and named, never
a plausible number, and it behaves like any other breakdown."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings

from llmaestro.cost import COMPONENTS, CostBreakdown, Usage
from tests.cost.test_properties import usages


@settings(max_examples=100, deadline=None)
@given(usage=usages())
def test_every_used_component_is_unknown(usage: Usage) -> None:
    breakdown = CostBreakdown.unpriced("acme", "m-1", usage, "the catalog has no offering")
    quantities = breakdown.quantities()
    components = breakdown.components()
    for name in COMPONENTS:
        if quantities[name]:
            assert components[name] is None and name in breakdown.unknown
        else:
            assert components[name] == 0 and name not in breakdown.unknown
    assert breakdown.complete is (not breakdown.unknown)
    assert breakdown.total == Decimal(0)  # the lower bound: nothing is known
    assert all(price is None for price in breakdown.unit_prices().values())
    assert breakdown.notes == ("the catalog has no offering",)
    assert breakdown.rounded(2) == breakdown
    data = breakdown.to_dict()
    assert data["model"] == "acme/m-1" and data["complete"] is breakdown.complete
    assert data["unknown"] == list(breakdown.unknown)


def test_a_request_is_never_complete_without_prices() -> None:
    breakdown = CostBreakdown.unpriced("acme", "m-1", Usage(), "no prices")
    assert breakdown.unknown == ("requests",)  # whether there is a per-request fee is unknown
    assert not breakdown.complete and breakdown.requests is None
    assert "complete=False" in repr(breakdown)
    assert hash(breakdown) == hash(CostBreakdown.unpriced("acme", "m-1", Usage(), "no prices"))


def test_usage_is_checked() -> None:
    with pytest.raises(TypeError, match="Usage"):
        CostBreakdown.unpriced("acme", "m-1", {"input_tokens": 1}, "x")  # type: ignore[arg-type]
