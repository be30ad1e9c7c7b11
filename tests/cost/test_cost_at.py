"""``cost(..., at=DATE)``: a day within the price history is priced with that day's prices; a
day before the earliest one a price is known for is incomplete with a note, never today's
price presented as that day's."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from typing import Any

import pytest

import llmaestro
from llmaestro.catalog.importers.pipeline import run_import
from llmaestro.catalog.model import Offering
from llmaestro.cost import Usage, cost
from tests.conftest import ROOT

MILLION = Usage(input_tokens=1_000_000, output_tokens=1_000_000)


def _offering(pricing: dict[str, Any], provenance: Any = None) -> Offering:
    data: dict[str, Any] = {"provider": "openai", "model": "o3", "kind": "chat"}
    data["pricing"] = pricing
    if provenance is not None:
        data["provenance"] = provenance
    return Offering.model_validate(data)


O3 = _offering(
    {
        "input": Decimal(2),
        "output": Decimal(8),
        "effective": dt.date(2025, 6, 10),
        "history": (
            {
                "effective": dt.date(2025, 4, 16),
                "until": dt.date(2025, 6, 9),
                "input": Decimal(10),
                "output": Decimal(40),
            },
        ),
    }
)


@pytest.mark.parametrize(
    ("day", "total", "historic"),
    [
        (dt.date(2025, 4, 16), Decimal(50), True),  # first day of the launch prices
        (dt.date(2025, 6, 1), Decimal(50), True),
        (dt.date(2025, 6, 9), Decimal(50), True),
        (dt.date(2025, 6, 10), Decimal(10), False),  # the cut
        (dt.date(2026, 12, 3), Decimal(10), False),
    ],
)
def test_a_day_within_history_uses_that_days_price(
    day: dt.date, total: Decimal, historic: bool
) -> None:
    breakdown = cost(O3, MILLION, at=day)
    assert breakdown.complete
    assert breakdown.total == total
    assert breakdown.prices.historic is historic


def test_before_the_earliest_known_price_is_incomplete() -> None:
    breakdown = cost(O3, MILLION, at=dt.date(2025, 4, 15))
    assert not breakdown.complete
    assert breakdown.total == 0
    assert "no price known before 2025-04-16" in breakdown.notes[0]


def test_effective_without_history() -> None:
    offering = _offering({"input": Decimal(2), "effective": dt.date(2025, 6, 10)})
    assert cost(offering, Usage(input_tokens=1_000_000), at=dt.date(2025, 6, 10)).total == 2
    early = cost(offering, Usage(input_tokens=1_000_000), at=dt.date(2025, 6, 9))
    assert not early.complete
    assert "no price known before 2025-06-10" in early.notes[0]


def test_undated_prices_are_known_from_their_first_check() -> None:
    # no effective day, no history: the prices are known from the first day a source was
    # checked for them (the pricing's provenance and the offering's)
    offering = _offering(
        {
            "input": Decimal(2),
            "provenance": ({"source": "manual", "checked": dt.date(2026, 11, 27)},),
        },
        provenance=({"source": "models.dev", "checked": dt.date(2026, 7, 2)},),
    )
    usage = Usage(input_tokens=1_000_000)
    assert cost(offering, usage, at=dt.date(2026, 7, 2)).total == 2
    assert cost(offering, usage, at=dt.date(2026, 12, 1)).complete
    before = cost(offering, usage, at=dt.date(2025, 6, 1))
    assert not before.complete
    assert before.unknown == ("input", "requests")
    assert "no price known before 2026-07-02" in before.notes[0]


def test_a_gap_in_history_is_not_the_current_price() -> None:
    offering = _offering(
        {
            "input": Decimal(2),
            "effective": dt.date(2025, 6, 1),
            "history": (
                {"effective": dt.date(2025, 3, 1), "until": dt.date(2025, 3, 31), "input": 4},
                {"effective": dt.date(2025, 1, 1), "until": dt.date(2025, 1, 31), "input": 8},
            ),
        }
    )
    gap = cost(offering, Usage(input_tokens=1), at=dt.date(2025, 2, 15))
    assert not gap.complete
    assert "a gap in the price history" in gap.notes[0]
    assert cost(offering, Usage(input_tokens=1_000_000), at=dt.date(2025, 1, 15)).total == 8


LONG = Usage(input_tokens=300_000, output_tokens=1_000)
SURCHARGED = _offering(
    {
        "input": Decimal(5),
        "output": Decimal(25),
        "effective": dt.date(2026, 3, 13),
        "history": (
            {
                "effective": dt.date(2026, 2, 5),
                "until": dt.date(2026, 3, 12),
                "input": Decimal(5),
                "output": Decimal(25),
                "tiers": ({"above_tokens": 200_000, "input": 10, "output": Decimal("37.5")},),
            },
        ),
    }
)


@pytest.mark.parametrize(
    ("usage", "day", "total", "tier"),
    [
        (LONG, dt.date(2026, 3, 1), Decimal("3.0375"), 200_000),  # the surcharge of the day
        (LONG, dt.date(2026, 3, 13), Decimal("1.525"), None),  # flat since it ended
        (Usage(input_tokens=200_000), dt.date(2026, 3, 1), Decimal(1), None),  # not above
    ],
)
def test_a_historic_price_set_applies_its_own_context_tiers(
    usage: Usage, day: dt.date, total: Decimal, tier: int | None
) -> None:
    breakdown = cost(SURCHARGED, usage, at=day)
    assert breakdown.complete and breakdown.total == total
    assert breakdown.prices.context_tier == tier
    assert breakdown.prices.historic == (day < dt.date(2026, 3, 13))


def test_a_historic_service_tier_price_is_unknown_not_the_standard_one() -> None:
    batch = cost(SURCHARGED, LONG, at=dt.date(2026, 3, 1), service_tier="batch")
    assert not batch.complete and "no historic batch prices" in batch.notes[0]


def test_the_catalog_prices_opus_4_6_long_prompts_with_the_surcharge_until_it_ended() -> None:
    """genai-prices dates the end of the >200K surcharge (2026-03-13); the Azure routes have it
    from data/manual/context_tiers.yaml."""
    catalog = llmaestro.load(today=dt.date(2026, 12, 4))
    for ref in (
        "anthropic/claude-opus-4-6",
        "azure/claude-opus-4-6",
        "azure-cognitive-services/claude-opus-4-6",
    ):
        offering = catalog.get(ref)
        assert cost(offering, LONG, at=dt.date(2026, 3, 1)).total == Decimal("3.0375"), ref
        assert cost(offering, LONG, at=dt.date(2026, 3, 13)).total == Decimal("1.525"), ref
        assert not cost(offering, LONG, at=dt.date(2026, 2, 4)).complete, ref


# --- end to end: the import writes the history, the registry prices with it -----------------


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("repo")
    source = root / "data" / "litellm-9.9.9-model_prices_and_context_window.json"
    source.parent.mkdir(parents=True)
    entry = {"litellm_provider": "openai", "mode": "chat", "cache_read_input_token_cost": 5e-07}
    source.write_text(
        json.dumps(
            {
                "o3": {**entry, "input_cost_per_token": 2e-06, "output_cost_per_token": 8e-06},
                "deepseek/deepseek-chat": {
                    "litellm_provider": "deepseek",
                    "mode": "chat",
                    "input_cost_per_token": 2.8e-07,
                    "output_cost_per_token": 4.2e-07,
                    "cache_read_input_token_cost": 2.8e-08,
                },
            }
        )
    )
    manual = root / "data" / "manual"
    manual.mkdir()
    shutil.copy(ROOT / "data" / "manual" / "price_history.yaml", manual)
    run_import(
        out=root / "catalog",
        models_dev=None,
        litellm=source,
        manual_dir=manual,
        litellm_date=dt.date(2026, 10, 26),
    )
    return llmaestro.load(catalog=root / "catalog", today=dt.date(2025, 6, 1))


def test_o3_before_the_cut_costs_the_launch_price(registry: Any) -> None:
    o3 = registry.get("openai/o3")
    before = cost(o3, MILLION, at=dt.date(2025, 6, 1))
    assert before.complete and before.total == Decimal(50)  # $10 + $40
    assert before.prices.effective == dt.date(2025, 4, 16)
    assert before.prices.until == dt.date(2025, 6, 9)
    after = cost(o3, MILLION, at=dt.date(2025, 6, 10))
    assert after.total == Decimal(10)  # $2 + $8
    # the launch cache price is not in the announcement: unknown, not the current one
    cached = cost(o3, Usage(input_tokens=10, cache_read_tokens=10), at=dt.date(2025, 6, 1))
    assert cached.unknown == ("cache_read",)
    launch = cost(o3, MILLION, at=dt.date(2025, 4, 1))
    assert not launch.complete
    assert "no price known before 2025-04-16" in launch.notes[0]


def test_deepseek_chat_price_changes(registry: Any) -> None:
    chat = registry.get("deepseek/deepseek-chat")
    usage = Usage(input_tokens=1_000_000, output_tokens=1_000_000)
    assert cost(chat, usage, at=dt.date(2025, 3, 1)).total == Decimal("1.37")  # 0.27 + 1.10
    assert cost(chat, usage, at=dt.date(2025, 9, 10)).total == Decimal("2.24")  # 0.56 + 1.68
    assert cost(chat, usage, at=dt.date(2025, 9, 29)).total == Decimal("0.70")  # 0.28 + 0.42
    assert not cost(chat, usage, at=dt.date(2025, 1, 1)).complete
