"""The repository's hand-checked announcements (``data/manual/price_history.yaml``) against the
catalog: every entry names offerings the catalog has, its newest price set is the offering's
current prices, and the import step turns it into a valid, contiguous ``pricing.history``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from llmaestro.catalog import rules
from llmaestro.catalog.importers.builder import Builder
from llmaestro.catalog.importers.common import to_decimal
from llmaestro.catalog.importers.draft import Draft
from llmaestro.catalog.importers.history import (
    HISTORY_FILE,
    Timeline,
    apply_timeline,
    manual_timelines,
)
from llmaestro.catalog.importers.manual import Manual
from llmaestro.catalog.importers.sanitize import as_model_input
from llmaestro.catalog.model import Offering
from llmaestro.catalog.paths import encode_id
from llmaestro.catalog.yamlread import parse_yaml
from tests.conftest import ROOT

MANUAL = ROOT / "data" / "manual"
TODAY = dt.date(2026, 12, 3)


def _entries() -> list[tuple[Timeline, str]]:
    """(timeline, model id) for every model every entry names, in the file's order."""
    raw = parse_yaml((MANUAL / HISTORY_FILE).read_bytes(), HISTORY_FILE).data
    timelines = manual_timelines(MANUAL)
    assert len(timelines) == len(raw["changes"])
    return [
        (timeline, str(model))
        for timeline, entry in zip(timelines, raw["changes"], strict=True)
        for model in entry["models"]
    ]


def _current_pricing(provider: str, model: str) -> dict[str, Any]:
    """The catalog offering's prices, without the dates a previous import wrote."""
    path = ROOT / "catalog" / "providers" / provider / "models" / f"{encode_id(model)}.yaml"
    assert path.is_file(), f"{provider}/{model}: no offering in the catalog ({path})"
    pricing = parse_yaml(path.read_bytes(), str(path)).data["pricing"]
    skip = {"effective", "history", "provenance"}
    return {k: v for k, v in pricing.items() if k not in skip}


ENTRIES = _entries()


def test_the_new_entries_are_there() -> None:
    names = {(t.providers[0], m) for t, m in ENTRIES}
    assert ("amazon-bedrock", "anthropic.claude-3-5-haiku-20241022-v1:0") in names
    assert ("openai", "o3") in names


@pytest.mark.parametrize(
    ("timeline", "model"), ENTRIES, ids=[f"{t.providers[0]}/{m}" for t, m in ENTRIES]
)
def test_newest_set_is_the_catalog_price_and_imports_as_history(
    timeline: Timeline, model: str
) -> None:
    provider = timeline.providers[0]
    pricing = _current_pricing(provider, model)
    newest = timeline.sets[-1]
    assert newest.effective is not None and newest.effective <= TODAY
    for field, price in newest.prices.items():
        assert to_decimal(pricing.get(field)) == price, (provider, model, field)
    assert timeline.provenance["url"].startswith("https://")
    assert timeline.provenance["checked"] == TODAY

    builder = Builder([], Manual(), TODAY)
    draft = Draft(provider, model, {"kind": "chat", "pricing": pricing}, "test")
    builder.add_draft(draft)
    assert apply_timeline(builder, draft, timeline)
    written = draft.facts["pricing"]
    assert written["effective"] == newest.effective
    history = written["history"]
    assert [h["effective"] for h in history] == [s.effective for s in timeline.sets[-2::-1]]
    newer = newest.effective
    for entry, older in zip(history, timeline.sets[-2::-1], strict=True):
        assert entry["until"] == newer - dt.timedelta(days=1)
        assert {k: v for k, v in entry.items() if k not in ("effective", "until")} == older.prices
        newer = entry["effective"]
    offering = Offering.model_validate(
        as_model_input({**draft.facts, "provider": provider, "model": model})
    )
    problems: list[str] = []
    rules.check_offering(offering, lambda code, *a, **k: problems.append(code), TODAY)
    assert "LM039" not in problems


def test_claude_3_5_haiku_on_bedrock_costs_the_launch_price_before_the_cut() -> None:
    ((timeline, _model),) = [
        (t, m) for t, m in ENTRIES if m == "anthropic.claude-3-5-haiku-20241022-v1:0"
    ]
    assert [(s.effective, s.prices) for s in timeline.sets] == [
        (dt.date(2024, 11, 4), {"input": Decimal(1), "output": Decimal(5)}),
        (dt.date(2024, 12, 3), {"input": Decimal("0.8"), "output": Decimal(4)}),
    ]
