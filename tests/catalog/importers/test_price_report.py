"""The price discrepancy report: genai-prices match rules, price selection, differences."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from llmaestro.catalog.importers.pipeline import ImportResult
from llmaestro.catalog.importers.price_report import (
    Difference,
    _genai_prices,
    compare_prices,
    flatten,
    matches,
    render_markdown,
)
from tests.catalog.importers.conftest import Repo

GENAI_OPENAI = """\
name: OpenAI
id: openai
models:
  - id: gpt-x
    match:
      or:
        - equals: gpt-x
        - starts_with: gpt-x-20
    prices_checked: 2026-08-01
    prices:
      input_mtok: 2
      output_mtok: 10
      cache_read_mtok: 0.25
  - id: gpt-x-mini
    match:
      and:
        - contains: x-mini
        - starts_with: gpt
    prices:
      - prices:
          input_mtok: 0.5
          output_mtok: 2
      - constraint:
          start_date: 2026-01-01
        prices:
          input_mtok:
            base: 0.4
            tiers:
              - start: 100000
                price: 0.8
          output_mtok: 1.6
  - id: catch-all
    match:
      regex: "^gpt"
    prices:
      input_mtok: 99
"""


@pytest.mark.parametrize(
    ("rule", "model", "expected"),
    [
        ({"equals": "gpt-4o"}, "GPT-4o", True),
        ({"equals": "gpt-4o"}, "gpt-4o-mini", False),
        ({"starts_with": "claude-3"}, "claude-3-haiku", True),
        ({"ends_with": "-latest"}, "x-latest", True),
        ({"contains": "sonnet"}, "claude-sonnet-4", True),
        ({"regex": "^o[134]"}, "o3-mini", True),
        ({"or": [{"equals": "a"}, {"equals": "b"}]}, "b", True),
        ({"and": [{"starts_with": "a"}, {"contains": "z"}]}, "abc", False),
        ({"unknown": "x"}, "x", False),
    ],
)
def test_match_rules(rule: dict[str, object], model: str, expected: bool) -> None:
    assert matches(rule, model) is expected


def test_the_price_set_in_effect_is_chosen_and_tiers_flattened() -> None:
    spec = [
        {"prices": {"input_mtok": 1}},
        {
            "constraint": {"start_date": dt.date(2026, 1, 1)},
            "prices": {"input_mtok": {"base": 2, "tiers": [{"start": 200000, "price": 4}]}},
        },
        {"constraint": {"start_date": dt.date(2027, 1, 1)}, "prices": {"input_mtok": 3}},
        {"constraint": {"start_time": "00:30"}, "prices": {"input_mtok": 0.1}},
    ]
    assert _genai_prices(spec, dt.date(2026, 6, 1)) == {
        "input": Decimal(2),
        "tiers.200000.input": Decimal(4),
    }
    assert _genai_prices(spec, dt.date(2025, 6, 1)) == {"input": Decimal(1)}


def test_flatten_keys_tiers_and_service_tiers() -> None:
    pricing = {
        "input": Decimal("1"),
        "tiers": [{"above_tokens": 200000, "input": Decimal("2")}],
        "service_tiers": {"batch": {"input": Decimal("0.5")}},
    }
    assert flatten(pricing) == {
        "input": Decimal("1"),
        "tiers.200000.input": Decimal("2"),
        "service_tiers.batch.input": Decimal("0.5"),
    }


def test_difference_absolute_and_percent() -> None:
    d = Difference("p", "m", "s", "input", Decimal("2.5"), Decimal("2"))
    assert (d.absolute, d.percent) == (Decimal("0.5"), Decimal(25))
    assert Difference("p", "m", "s", "input", Decimal(1), Decimal(0)).percent is None


def test_compare_with_genai_prices_and_litellm(
    imported: tuple[Repo, ImportResult], tmp_path: Path
) -> None:
    repo, _ = imported
    genai = tmp_path / "genai"
    genai.mkdir()
    (genai / "openai.yml").write_text(GENAI_OPENAI)
    result = compare_prices(repo.catalog, [("genai-prices", genai), ("litellm", repo.litellm)])
    found = {(d.source, d.model, d.field): (d.ours, d.theirs) for d in result.differences}
    # gpt-x: the hand-authored output (8.00) against genai-prices' 10 and LiteLLM's 9
    assert found[("genai-prices", "gpt-x", "output")] == (Decimal("8.00"), Decimal(10))
    assert found[("litellm", "gpt-x", "output")] == (Decimal("8.00"), Decimal(9))
    assert ("genai-prices", "gpt-x", "input") not in found  # both say 2
    # the dated price set of 2026 is the one in effect on the newest check day
    assert ("genai-prices", "gpt-x-mini", "input") not in found
    # the first matching model wins: gpt-broken falls to the catch-all
    assert found[("genai-prices", "gpt-broken", "input")] == (Decimal(1), Decimal(99))
    text = render_markdown(result)
    assert "## openai" in text
    assert "| `gpt-x` | genai-prices | output | 8 | 10 | -2 | -20.0% |" in text
    assert "| `gpt-x` | litellm | output | 8 | 9 | -1 | -11.1% |" in text
