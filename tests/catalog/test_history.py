"""Price history at import: genai-prices' dated prices and the hand-checked announcements become
``pricing.effective`` and ``pricing.history`` only where they agree with the current prices."""

from __future__ import annotations

import datetime as dt
import io
import tarfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmaestro.catalog import rules
from llmaestro.catalog.importers.builder import Builder
from llmaestro.catalog.importers.draft import Draft
from llmaestro.catalog.importers.history import (
    HISTORY_FILE,
    DatedPrices,
    Timeline,
    apply_timeline,
    genai_timelines,
    manual_timelines,
    merge_history,
)
from llmaestro.catalog.importers.manual import Manual, ManualError
from llmaestro.catalog.importers.sanitize import as_model_input
from llmaestro.catalog.model import Offering
from tests.conftest import ROOT

TODAY = dt.date(2026, 10, 26)

GENAI_OPENAI = """\
name: OpenAI
id: openai
models:
  - id: o3
    match:
      or:
        - equals: o3
        - equals: o3-2025-04-16
    prices:
      - prices:
          input_mtok: 10
          cache_read_mtok: 0.5
          output_mtok: 40
      - constraint:
          start_date: 2025-06-10
        prices:
          input_mtok: 2
          cache_read_mtok: 0.5
          output_mtok: 8
  - id: tiered-then-flat
    match:
      starts_with: tiered
    prices:
      - prices:
          input_mtok:
            base: 5
            tiers:
              - start: 200000
                price: 10
      - constraint:
          start_date: 2026-03-13
        prices:
          input_mtok: 5
  - id: unreadable-tiers
    match:
      starts_with: unreadable
    prices:
      - prices:
          input_mtok:
            base: 5
            tiers:
              - start: lots
                price: 10
      - constraint:
          start_date: 2026-03-13
        prices:
          input_mtok: 5
  - id: scheduled
    match:
      equals: scheduled
    prices:
      - prices:
          input_mtok: 1
      - constraint:
          start_date: 2027-01-01
        prices:
          input_mtok: 2
  - id: flat
    prices:
      input_mtok: 1
"""
GENAI_DEEPSEEK = """\
id: deepseek
models:
  - id: deepseek-chat
    match:
      equals: deepseek-chat
    prices:
      - prices:
          input_mtok: 0.135
      - constraint:
          start_time: 00:30:00Z
          end_time: 16:30:00Z
        prices:
          input_mtok: 0.27
"""


def _genai_dir(root: Path) -> Path:
    providers = root / "genai-prices-47df840a5ab1" / "prices" / "providers"
    providers.mkdir(parents=True)
    (providers / "openai.yml").write_text(GENAI_OPENAI)
    (providers / "deepseek.yml").write_text(GENAI_DEEPSEEK)
    (providers / "unmapped.yml").write_text(GENAI_OPENAI)
    return root / "genai-prices-47df840a5ab1"


def _tarball(folder: Path) -> Path:
    out = folder.parent / "genai-prices-47df840a5ab1-providers.tar.gz"
    with tarfile.open(out, "w:gz") as tar:
        for file in sorted((folder / "prices" / "providers").iterdir()):
            data = file.read_bytes()
            info = tarfile.TarInfo(f"prices/providers/{file.name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


def _builder() -> Builder:
    return Builder([], Manual(), TODAY)


def _draft(builder: Builder, model: str, pricing: dict[str, Any], release: Any = None) -> Draft:
    facts: dict[str, Any] = {"kind": "chat", "pricing": pricing}
    if release is not None:
        facts["lifecycle"] = {"release_date": release}
    draft = Draft("openai", model, facts, "test")
    builder.add_draft(draft)
    return draft


def _o3_pricing() -> dict[str, Any]:
    return {"input": Decimal("2.0"), "output": Decimal(8), "cache_read": Decimal("0.5")}


# --- reading -------------------------------------------------------------------------------


@pytest.mark.parametrize("packed", [False, True])
def test_genai_timelines_read_dated_prices_only(tmp_path: Path, packed: bool) -> None:
    folder = _genai_dir(tmp_path)
    found = genai_timelines(_tarball(folder) if packed else folder)
    # o3, the tiered ones and scheduled; not the flat model, not the time-of-day prices,
    # not the provider file genai-prices has and the catalog does not map
    assert [t.name for t in found] == ["o3", "tiered-then-flat", "unreadable-tiers", "scheduled"]
    o3 = found[0]
    assert o3.providers == ("openai",)
    assert o3.matches("o3-2025-04-16") and not o3.matches("o3-mini")
    assert [s.effective for s in o3.sets] == [None, dt.date(2025, 6, 10)]
    assert o3.sets[1].prices == {"input": 2, "cache_read": Decimal("0.5"), "output": 8}
    assert found[1].sets[0].tiered and not found[1].sets[1].tiered
    assert found[1].sets[0].tiers == ({"above_tokens": 200_000, "input": 10},)
    assert found[2].sets[0].tiered and found[2].sets[0].tiers is None  # `start: lots`
    if packed:
        assert o3.provenance["revision"] == "47df840a5ab1"


def test_the_repository_announcements_load_with_their_sources() -> None:
    found = manual_timelines(ROOT / "data" / "manual")
    names = {(t.providers, t.name) for t in found}
    assert (("openai",), "o3, o3-2025-04-16") in names
    assert (("deepseek",), "deepseek-chat") in names
    for timeline in found:
        assert timeline.provenance["url"].startswith("https://")
        assert isinstance(timeline.provenance["checked"], dt.date)
        days = [s.effective for s in timeline.sets]
        assert None not in days and days == sorted(set(days))  # type: ignore[type-var]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("- provider: openai\n", "a `changes` list"),
        ("changes:\n  - provider: openai\n    models: [o3]\n", "needs the `url`"),
        (
            "changes:\n  - {provider: openai, models: [o3], url: 'https://x', checked: 2026-01-01,"
            " prices: [{effective: 2025-01-01, input: 1}]}\n",
            "two or more price sets",
        ),
        (
            "changes:\n  - {provider: openai, models: [o3], url: 'https://x', checked: 2026-01-01,"
            " prices: [{effective: 2025-02-01, input: 1}, {effective: 2025-01-01, input: 2}]}\n",
            "oldest first",
        ),
        (
            "changes:\n  - {provider: openai, models: [o3], url: 'https://x', checked: 2026-01-01,"
            " prices: [{effective: 2025-01-01, inptu: 1}, {effective: 2025-02-01, input: 2}]}\n",
            "unknown field",
        ),
    ],
)
def test_a_bad_announcement_is_an_error_naming_the_file(
    tmp_path: Path, entry: str, message: str
) -> None:
    (tmp_path / HISTORY_FILE).write_text(entry)
    with pytest.raises(ManualError, match=message) as info:
        manual_timelines(tmp_path)
    assert HISTORY_FILE in str(info.value)


# --- applying -------------------------------------------------------------------------------


def test_o3_cut_from_genai_prices_with_the_release_day(tmp_path: Path) -> None:
    builder = _builder()
    draft = _draft(builder, "o3", _o3_pricing(), release=dt.date(2025, 4, 16))
    merge_history(builder, _genai_dir(tmp_path))
    pricing = draft.facts["pricing"]
    assert pricing["effective"] == dt.date(2025, 6, 10)
    assert pricing["history"] == [
        {
            "effective": dt.date(2025, 4, 16),
            "until": dt.date(2025, 6, 9),
            "input": 10,
            "cache_read": Decimal("0.5"),
            "output": 40,
        }
    ]
    assert pricing["provenance"][-1]["source"] == "genai-prices"


def test_without_a_release_day_only_the_current_prices_are_dated(tmp_path: Path) -> None:
    builder = _builder()
    draft = _draft(builder, "o3", _o3_pricing())
    merge_history(builder, _genai_dir(tmp_path))
    assert draft.facts["pricing"]["effective"] == dt.date(2025, 6, 10)
    assert "history" not in draft.facts["pricing"]
    assert any("release day is unknown" in c.why for c in builder.log.changes)


def test_hand_checked_announcements_win(tmp_path: Path) -> None:
    manual = tmp_path / "manual"
    manual.mkdir()
    (manual / HISTORY_FILE).write_text(
        "changes:\n  - provider: openai\n    models: [o3]\n    url: https://example.org/o3\n"
        "    checked: 2026-12-03\n    prices:\n"
        "      - {effective: 2025-04-16, input: 10, output: 40}\n"
        "      - {effective: 2025-06-10, input: 2, output: 8}\n"
    )
    builder = _builder()
    draft = _draft(builder, "o3", _o3_pricing(), release=dt.date(2025, 4, 1))
    merge_history(builder, _genai_dir(tmp_path), manual)
    pricing = draft.facts["pricing"]
    assert pricing["history"] == [
        {"effective": dt.date(2025, 4, 16), "until": dt.date(2025, 6, 9), "input": 10, "output": 40}
    ]
    assert pricing["provenance"] == [
        {"source": "manual", "url": "https://example.org/o3", "checked": dt.date(2026, 12, 3)}
    ]


def test_disagreeing_stale_and_tiered_timelines(tmp_path: Path) -> None:
    builder = _builder()
    other = _draft(builder, "o3-2025-04-16", {"input": Decimal(3), "output": Decimal(8)})
    tiered = _draft(builder, "tiered-x", {"input": Decimal(5)}, release=dt.date(2026, 2, 5))
    unreadable = _draft(builder, "unreadable-x", {"input": Decimal(5)}, release=dt.date(2026, 2, 5))
    scheduled = _draft(builder, "scheduled", {"input": Decimal(1)}, release=dt.date(2026, 1, 1))
    dated = _draft(builder, "o3", {**_o3_pricing(), "effective": dt.date(2025, 6, 10)})
    merge_history(builder, _genai_dir(tmp_path))
    # the current prices are not the timeline's latest: nothing recorded
    assert "effective" not in other.facts["pricing"]
    # the earlier set's context tiers are kept in its history entry (Opus 4.6's surcharge)
    assert tiered.facts["pricing"]["effective"] == dt.date(2026, 3, 13)
    assert tiered.facts["pricing"]["history"] == [
        {
            "effective": dt.date(2026, 2, 5),
            "until": dt.date(2026, 3, 12),
            "input": Decimal(5),
            "tiers": [{"above_tokens": 200_000, "input": Decimal(10)}],
        }
    ]
    Offering.model_validate(  # the data model takes it
        as_model_input({"provider": "openai", "model": "tiered-x", **tiered.facts})
    )
    # tiers that cannot be read end the history there: the current prices are dated
    assert unreadable.facts["pricing"]["effective"] == dt.date(2026, 3, 13)
    assert "history" not in unreadable.facts["pricing"]
    # a change after the import's day is not a price yet; the first set has the release day
    assert scheduled.facts["pricing"]["effective"] == dt.date(2026, 1, 1)
    # dated by hand: left alone
    assert dated.facts["pricing"] == {**_o3_pricing(), "effective": dt.date(2025, 6, 10)}
    whys = [c.why for c in builder.log.changes]
    assert any("differ from the timeline's latest set" in w for w in whys)
    assert any("context tiers that cannot be read" in w for w in whys)
    assert any("scheduled after the import's day (2026-10-26)" in w for w in whys)


def test_prices_from_before_a_dated_change_catch_up_with_it(tmp_path: Path) -> None:
    """Claude Sonnet 5's introductory price ended on 2026-09-01 while models.dev and LiteLLM
    still gave it: the offering that carries the earlier set gets the newest one, with history,
    and what was priced on the old figures and not given anew is dropped, never kept wrong."""
    builder = _builder()
    old = {
        "input": Decimal(10),
        "output": Decimal(40),
        "cache_read": Decimal("0.5"),
        "cache_write": Decimal("12.5"),
        "per_web_search": Decimal("0.01"),
        "service_tiers": {"batch": {"input": Decimal(5), "output": Decimal(20)}},
    }
    draft = _draft(builder, "o3", old, release=dt.date(2025, 4, 16))
    merge_history(builder, _genai_dir(tmp_path))
    pricing = draft.facts["pricing"]
    assert {k: pricing[k] for k in ("input", "output", "cache_read")} == _o3_pricing()
    assert pricing["effective"] == dt.date(2025, 6, 10)
    assert pricing["history"][0]["input"] == 10 and pricing["history"][0]["output"] == 40
    assert "cache_write" not in pricing and "service_tiers" not in pricing
    assert pricing["per_web_search"] == Decimal("0.01")  # not a token price: not the set's
    changes = {(c.field, c.action) for c in builder.log.changes if c.target == "openai/o3"}
    assert ("pricing.input", "corrected") in changes
    assert ("pricing.output", "corrected") in changes
    assert ("pricing.cache_read", "corrected") not in changes  # 0.5 before and after
    assert ("pricing.cache_write", "dropped") in changes
    assert ("pricing.service_tiers", "dropped") in changes
    assert draft.origin_of(("pricing", "input")) == "genai-prices `openai/o3`"


def test_a_prefix_does_not_name_the_next_version(tmp_path: Path) -> None:
    folder = _genai_dir(tmp_path)
    (folder / "prices" / "providers" / "anthropic.yml").write_text(
        "models:\n  - id: claude-sonnet-5\n    match: {starts_with: claude-sonnet-5}\n"
        "    prices:\n      - prices: {input_mtok: 2, output_mtok: 10}\n"
        "      - constraint: {start_date: 2026-09-01}\n"
        "        prices: {input_mtok: 3, output_mtok: 15}\n"
    )
    (sonnet,) = [t for t in genai_timelines(folder) if t.name == "claude-sonnet-5"]
    assert sonnet.matches("claude-sonnet-5")
    assert sonnet.matches("claude-sonnet-5-20260630")
    assert sonnet.matches("claude-sonnet-5-thinking")
    assert not sonnet.matches("claude-sonnet-5-5")
    assert not sonnet.matches("claude-sonnet-5.5")


_day = st.dates(min_value=dt.date(2023, 1, 1), max_value=TODAY)
_price = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(days=st.lists(_day, min_size=2, max_size=6, unique=True), prices=st.data())
def test_any_timeline_gives_a_valid_contiguous_history(days: list[dt.date], prices: Any) -> None:
    days.sort()
    sets = tuple(
        DatedPrices(d, {"input": prices.draw(_price), "output": prices.draw(_price)}) for d in days
    )
    timeline = Timeline("m", ("openai",), lambda m: m == "m", sets, {"source": "manual"}, "t")
    builder = _builder()
    draft = _draft(builder, "m", dict(sets[-1].prices))
    assert apply_timeline(builder, draft, timeline)
    pricing = draft.facts["pricing"]
    history = pricing["history"]
    assert pricing["effective"] == days[-1]
    assert [h["effective"] for h in history] == days[-2::-1]  # newest first
    newer = pricing["effective"]
    for entry in history:
        assert entry["until"] == newer - dt.timedelta(days=1)
        newer = entry["effective"]
    offering = Offering.model_validate(
        as_model_input({**draft.facts, "provider": "openai", "model": "m"})
    )
    problems: list[str] = []
    rules.check_offering(offering, lambda code, *a, **k: problems.append(code), TODAY)
    assert "LM039" not in problems


# --- the command line -----------------------------------------------------------------------


def test_import_all_takes_genai_prices(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from llmaestro.cli.imports import import_group
    from tests.catalog.importers.conftest import LL_DAY, MD_DAY, make_repo

    repo = make_repo(tmp_path / "repo")
    providers = tmp_path / "genai" / "prices" / "providers"
    providers.mkdir(parents=True)
    (providers / "openai.yml").write_text(
        "models:\n  - id: gpt-x\n    match: {equals: gpt-x}\n    prices:\n"
        "      - prices: {input_mtok: 4, output_mtok: 16}\n"
        "      - constraint: {start_date: 2026-06-01}\n"
        "        prices: {input_mtok: 2, output_mtok: 8}\n"
    )
    args = [
        "all",
        *("--models-dev", str(repo.models_dev), "--litellm", str(repo.litellm)),
        *("--models-dev-date", MD_DAY.isoformat(), "--litellm-date", LL_DAY.isoformat()),
        *("--out", str(repo.catalog), "--manual", str(repo.manual)),
    ]
    runner = CliRunner()
    plain = runner.invoke(import_group, args)
    assert plain.exit_code == 0, plain.output
    written = repo.catalog / "providers" / "openai" / "models" / "gpt-x.yaml"
    assert "history:" not in written.read_text()
    dated = runner.invoke(import_group, [*args, "--genai-prices", str(tmp_path / "genai")])
    assert dated.exit_code == 0, dated.output
    text = written.read_text()
    # the first set from the release day (2026-03-05) to the day before the change
    assert "effective: 2026-06-01" in text
    assert "- effective: 2026-03-05\n      until: 2026-05-31\n      input: 4" in text
    missing = runner.invoke(import_group, [*args, "--genai-prices", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
