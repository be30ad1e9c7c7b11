"""The labs' context windows at import: hand-checked entries and the lab's own offerings give a
canonical model its window; linked offerings inherit it unless they state a bigger limit; an
input limit alone is never a window. Then the price tiers above a provider's window: a
hand-checked note gives the dropped tier its own reason, the provider's window and the day the
current prices started."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmaestro.catalog.identity.families import SELLER_WINDOW
from llmaestro.catalog.importers.builder import Builder
from llmaestro.catalog.importers.draft import Draft
from llmaestro.catalog.importers.manual import Manual, ManualError, load_manual
from llmaestro.catalog.importers.sanitize import as_model_input
from llmaestro.catalog.importers.tier_notes import (
    TIERS_FILE,
    TierNote,
    apply_tier_notes,
    load_tier_notes,
    note_for,
)
from llmaestro.catalog.importers.windows import (
    WINDOWS_FILE,
    ModelWindow,
    fits,
    load_windows,
    settle_windows,
)
from llmaestro.catalog.model import Offering
from llmaestro.cost import Usage, cost
from tests.conftest import ROOT

TODAY = dt.date(2026, 12, 3)
URL = "https://example.com/models"


def _builder(**manual: Any) -> Builder:
    return Builder([], Manual(**manual), TODAY)


def _draft(builder: Builder, provider: str, model: str, base: str, **limits: int) -> Draft:
    facts: dict[str, Any] = {"kind": "chat"}
    if limits:
        facts["limits"] = dict(limits)
    draft = Draft(provider, model, facts, "test", base=base, sources=["litellm"])
    builder.add_draft(draft)
    return draft


def _context(draft: Draft) -> Any:
    return (draft.facts.get("limits") or {}).get("context")


# --- canonical windows and inheritance --------------------------------------------------------


def test_a_hand_checked_window_reaches_the_model_and_the_offerings_that_fit_it() -> None:
    window = ModelWindow(("anthropic/claude-opus-9",), 1_000_000, URL, TODAY)
    builder = _builder(windows=(window,))
    builder.built.canonical["anthropic/claude-opus-9"] = {"kind": "chat", "provenance": []}
    lab = _draft(builder, "anthropic", "claude-opus-9", "anthropic/claude-opus-9", max_input=10**6)
    input_only = _draft(builder, "bedrock", "a.claude-opus-9", "anthropic/claude-opus-9")
    smaller = _draft(builder, "gw", "opus-9", "anthropic/claude-opus-9", max_input=200_000)
    bigger = _draft(builder, "big", "opus-9", "anthropic/claude-opus-9", max_input=2_000_000)
    own = _draft(builder, "own", "opus-9", "anthropic/claude-opus-9", context=500_000)
    settle_windows(builder)
    model = builder.built.canonical["anthropic/claude-opus-9"]
    assert model["limits"]["context"] == 1_000_000
    assert {"source": "manual", "url": URL, "checked": TODAY} in model["provenance"]
    assert [_context(d) for d in (lab, input_only, smaller)] == [1_000_000] * 3
    assert smaller.facts["limits"]["max_input"] == 200_000  # the input limit stays
    assert _context(bigger) is None  # its seller sells a bigger window, of unknown size
    assert _context(own) == 500_000  # its own source's window wins
    assert lab.origin_of(("limits", "context")) == "inherited from models/anthropic/claude-opus-9"


def test_a_host_s_own_window_is_kept_and_reported_beside_the_model_s() -> None:
    window = ModelWindow(("alibaba/qwen9-14b",), 131_072, URL, TODAY)
    builder = _builder(windows=(window,))
    builder.built.canonical["alibaba/qwen9-14b"] = {"kind": "chat", "provenance": []}
    host = _draft(builder, "deepinfra", "Qwen/Qwen9-14B", "alibaba/qwen9-14b", context=40_960)
    host.field_origin[("limits", "context")] = f"litellm `deepinfra/Qwen/Qwen9-14B` {SELLER_WINDOW}"
    stated = _draft(builder, "gw", "qwen9-14b", "alibaba/qwen9-14b", context=32_768)
    settle_windows(builder)
    assert _context(host) == 40_960 and _context(stated) == 32_768
    (conflict,) = builder.log.conflicts  # only the host's one stated window is reported
    assert conflict.target == "deepinfra/Qwen/Qwen9-14B"
    assert (conflict.kept, conflict.other) == ("40960", "131072")
    assert "host's own serving window" in conflict.why


def test_a_window_the_sources_state_is_kept_and_the_disagreement_logged() -> None:
    window = ModelWindow(("meta/llama-9",), 131_072, URL, TODAY)
    builder = _builder(windows=(window,))
    builder.built.canonical["meta/llama-9"] = {"kind": "chat", "limits": {"context": 128_000}}
    settle_windows(builder)
    assert builder.built.canonical["meta/llama-9"]["limits"]["context"] == 128_000
    [change] = builder.log.changes
    assert change.action == "ignored" and "the sources state 128000" in change.why


@pytest.mark.parametrize(
    ("stated", "replaces", "kept"),
    [
        (128_000, 128_000, 131_072),  # the figure it was checked against: the lab's wins
        (130_000, 128_000, 130_000),  # another figure than the one checked: kept, logged
        (128_000, None, 128_000),  # an entry that names none corrects none
    ],
)
def test_an_entry_replaces_only_the_figure_it_names(
    stated: int, replaces: int | None, kept: int
) -> None:
    window = ModelWindow(("meta/llama-9",), 131_072, URL, TODAY, replaces)
    builder = _builder(windows=(window,))
    builder.built.canonical["meta/llama-9"] = {"kind": "chat", "limits": {"context": stated}}
    seller = _draft(builder, "gw", "llama-9", "meta/llama-9", max_input=131_072)
    settle_windows(builder)
    model = builder.built.canonical["meta/llama-9"]
    assert model["limits"]["context"] == kept
    [change] = builder.log.changes
    if kept == 131_072:
        assert change.action == "corrected" and f"found {stated}" in change.why
        assert {"source": "manual", "url": URL, "checked": TODAY} in model["provenance"]
        assert _context(seller) == 131_072  # its 131,072 input limit now fits
    else:
        assert change.action == "ignored" and f"the sources state {stated}" in change.why
        assert _context(seller) is None


def test_an_entry_naming_no_model_is_logged() -> None:
    builder = _builder(windows=(ModelWindow(("x/nothing",), 8192, URL, TODAY),))
    settle_windows(builder)
    assert [c.why for c in builder.log.changes] == [
        "a hand-checked window names no canonical model of the import"
    ]


def test_the_labs_own_offerings_give_the_window_when_they_agree() -> None:
    builder = _builder()
    builder.built.canonical["zhipuai/glm-9"] = {"kind": "chat"}
    builder.built.canonical["zhipuai/glm-8"] = {"kind": "chat"}
    _draft(builder, "zai", "glm-9", "zhipuai/glm-9", context=200_000)
    gateway = _draft(builder, "gw", "glm-9", "zhipuai/glm-9", max_input=190_000)
    # the lab's two APIs disagree on glm-8: no window (never a pick between them)
    _draft(builder, "zai", "glm-8", "zhipuai/glm-8", context=128_000)
    _draft(builder, "zhipuai", "glm-8", "zhipuai/glm-8", context=200_000)
    other = _draft(builder, "gw", "glm-8", "zhipuai/glm-8", max_input=100_000)
    settle_windows(builder)
    assert builder.built.canonical["zhipuai/glm-9"]["limits"]["context"] == 200_000
    assert _context(gateway) == 200_000
    assert "limits" not in builder.built.canonical["zhipuai/glm-8"]
    assert _context(other) is None


def test_an_input_limit_alone_never_becomes_a_window() -> None:
    builder = _builder()
    builder.built.canonical["openai/gpt-9"] = {"kind": "chat"}
    lab = _draft(builder, "openai", "gpt-9", "openai/gpt-9", max_input=922_000)
    settle_windows(builder)
    assert "limits" not in builder.built.canonical["openai/gpt-9"]
    assert _context(lab) is None


@given(
    st.integers(1, 10**7),
    st.dictionaries(st.sampled_from(["max_input", "max_output"]), st.integers(1, 10**7)),
)
def test_inheriting_never_breaks_a_limit(context: int, limits: dict[str, int]) -> None:
    facts: dict[str, Any] = {"limits": dict(limits)} if limits else {}
    assert fits(facts, context) == all(v <= context for v in limits.values())


# --- reading the tables ------------------------------------------------------------------------


def test_the_repository_tables_load_with_their_sources() -> None:
    manual = load_manual(ROOT / "data" / "manual")
    assert manual.windows and manual.tier_notes
    for entry in manual.windows:
        assert entry.url.startswith("https://") and entry.checked <= TODAY
    named = {(n.provider, m) for n in manual.tier_notes for m in n.models}
    assert {
        ("amazon-bedrock", "openai.gpt-5.4"),
        ("amazon-bedrock", "openai.gpt-5.5"),
        ("azure", "claude-opus-4-6"),
        ("azure", "claude-opus-4-8"),
        ("azure-cognitive-services", "claude-opus-4-6"),
        ("azure-cognitive-services", "claude-opus-4-8"),
        ("github-copilot", "gemini-2.5-pro"),
        ("github-copilot", "gemini-3.1-pro-preview"),
    } <= named
    for note in manual.tier_notes:
        assert note.url.startswith("https://") and note.reason and note.checked <= TODAY


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        (WINDOWS_FILE, "windows: [{models: [a/b], context: 10}]\n", "needs the `url`"),
        (
            WINDOWS_FILE,
            "windows: [{models: [ab], context: 10, url: u, checked: 2026-01-01}]\n",
            "not lab/model",
        ),
        (
            WINDOWS_FILE,
            "windows: [{models: [a/b], context: many, url: u, checked: 2026-01-01}]\n",
            "needs `context`",
        ),
        (WINDOWS_FILE, "windows: [{models: [a/b], size: 1}]\n", "unknown field"),
        (
            WINDOWS_FILE,
            "windows: [{models: [a/b], context: 10, replaces: 10, url: u, checked: 2026-01-01}]\n",
            "`replaces` is the sources' other window",
        ),
        (
            WINDOWS_FILE,
            "windows: [{models: [a/b], context: 10, replaces: 8k, url: u, checked: 2026-01-01}]\n",
            "`replaces` is the sources' other window",
        ),
        (TIERS_FILE, "tiers: [{provider: p, models: [m], above_tokens: 5}]\n", "a `reason`"),
        (
            TIERS_FILE,
            "tiers: [{provider: p, models: [m], above_tokens: 5, reason: r,"
            " url: u, checked: 2026-01-01, effective: soon}]\n",
            "effective: a date",
        ),
        (
            TIERS_FILE,
            "tiers: [{provider: p, models: [m], above_tokens: 5, reason: r,"
            " url: u, checked: 2026-01-01, history_from: release}]\n",
            "history_from: needs `effective`",
        ),
        (
            TIERS_FILE,
            "tiers: [{provider: p, models: [m], above_tokens: 5, reason: r,"
            " url: u, checked: 2026-01-01, effective: 2026-03-13, history_from: launch}]\n",
            "history_from: a date, or `release`",
        ),
        (
            TIERS_FILE,
            "tiers: [{provider: p, models: [m], above_tokens: 5, reason: r,"
            " url: u, checked: 2026-01-01, effective: 2026-03-13, history_from: 2026-03-13}]\n",
            "history_from: must be before `effective`",
        ),
        (TIERS_FILE, "tiers: {}\n", "a `tiers` list"),
    ],
)
def test_a_bad_entry_is_an_error_naming_the_file(
    tmp_path: Path, file: str, text: str, message: str
) -> None:
    (tmp_path / file).write_text(text)
    with pytest.raises(ManualError, match=message) as info:
        load_windows(tmp_path) if file == WINDOWS_FILE else load_tier_notes(tmp_path)
    assert file in str(info.value)


# --- tiers above a provider's window ---------------------------------------------------------

_NOTE = TierNote(
    "amazon-bedrock",
    frozenset({"openai.gpt-5.4"}),
    272_000,
    "Bedrock sells a 272K window only",
    URL,
    TODAY,
)


def _tiered(context: int, above: int) -> dict[str, Any]:
    return {
        "kind": "chat",
        "limits": {"context": context},
        "pricing": {
            "input": Decimal("2.75"),
            "output": Decimal("16.5"),
            "tiers": [{"above_tokens": above, "input": Decimal("5.5")}],
        },
    }


def test_a_dropped_tier_gives_its_own_reason() -> None:
    builder = _builder(tier_notes=(_NOTE,))
    ids = {"provider": "amazon-bedrock", "model": "openai.gpt-5.4"}
    out = builder.clean(_tiered(272_000, 272_000), "offering", ids, "t", lambda _p: "src")
    assert out is not None and "tiers" not in out["pricing"]
    [change] = builder.log.changes
    assert change.why == f"LM022 Bedrock sells a 272K window only ({URL}, checked {TODAY})"


@pytest.mark.parametrize(
    ("ids", "above"),
    [
        ({"provider": "amazon-bedrock", "model": "openai.gpt-5.5"}, 272_000),  # not named
        ({"provider": "amazon-bedrock", "model": "openai.gpt-5.4"}, 300_000),  # another tier
    ],
)
def test_a_tier_no_note_names_keeps_the_rule_text(ids: dict[str, str], above: int) -> None:
    builder = _builder(tier_notes=(_NOTE,))
    builder.clean(_tiered(272_000, above), "offering", ids, "t", lambda _p: "src")
    [change] = builder.log.changes
    assert change.why.startswith("LM022 tier threshold at or above the context window")


def test_a_note_sets_the_providers_window_and_the_prices_start() -> None:
    note = TierNote(
        "azure",
        frozenset({"claude-opus-4-6", "gone"}),
        200_000,
        "ended",
        URL,
        TODAY,
        context=1_000_000,
        effective=dt.date(2026, 3, 13),
    )
    builder = _builder(tier_notes=(note,))
    draft = Draft("azure", "claude-opus-4-6", _tiered(200_000, 100_000), "models.dev")
    builder.add_draft(draft)
    apply_tier_notes(builder)
    assert draft.facts["limits"]["context"] == 1_000_000
    assert draft.facts["pricing"]["effective"] == dt.date(2026, 3, 13)
    assert {"source": "manual", "url": URL, "checked": TODAY} in draft.facts["pricing"][
        "provenance"
    ]
    assert {(c.target, c.action) for c in builder.log.changes} == {
        ("azure/claude-opus-4-6", "corrected"),
        ("azure/claude-opus-4-6", "added"),
        ("azure/gone", "ignored"),
    }
    assert note_for((note,), "azure", "claude-opus-4-6", 200_000) is note
    assert note_for((note,), "azure", "claude-opus-4-6", 272_000) is None


def test_the_committed_report_gives_each_noted_tier_its_own_reason() -> None:
    report = (ROOT / "catalog" / "IMPORT_REPORT.md").read_text(encoding="utf-8")
    rows = [r for r in report.splitlines() if "| pricing.tiers.0 |" in r and "| LM022 " in r]
    manual = load_manual(ROOT / "data" / "manual")
    for note in manual.tier_notes:
        for model in note.models:
            [row] = [r for r in rows if r.startswith(f"| {note.provider}/{model} |")]
            assert "tier threshold at or above the context window" not in row, row
            assert f"| LM022 {note.reason[:40]}" in row


def _ended(history_from: Any) -> TierNote:
    return TierNote(
        "azure",
        frozenset({"claude-opus-4-6"}),
        200_000,
        "the surcharge ended",
        URL,
        TODAY,
        context=1_000_000,
        effective=dt.date(2026, 3, 13),
        history_from=history_from,
    )


def _ended_draft(builder: Builder, release: dt.date | None) -> Draft:
    facts = _tiered(200_000, 200_000)  # the source's window: LM022 removes the tier
    facts["pricing"]["tiers"][0]["output"] = Decimal("37.5")
    if release is not None:
        facts["lifecycle"] = {"release_date": release}
    ids = {"provider": "azure", "model": "claude-opus-4-6"}
    out = builder.clean(facts, "offering", ids, "azure/claude-opus-4-6", lambda _p: "models.dev")
    assert out is not None and "tiers" not in out["pricing"]  # not a current price
    draft = Draft("azure", "claude-opus-4-6", out, "models.dev")
    builder.add_draft(draft)
    return draft


def test_a_note_keeps_the_tier_it_ended_as_history() -> None:
    """Opus 4.6's >200K surcharge on Azure: gone from the current prices, priced until the
    day before it ended, from the offering's release day."""
    builder = _builder(tier_notes=(_ended("release"),))
    draft = _ended_draft(builder, dt.date(2026, 2, 5))
    apply_tier_notes(builder)
    pricing = draft.facts["pricing"]
    assert pricing["effective"] == dt.date(2026, 3, 13)
    assert pricing["history"] == [
        {
            "effective": dt.date(2026, 2, 5),
            "until": dt.date(2026, 3, 12),
            "input": Decimal("2.75"),
            "output": Decimal("16.5"),
            "tiers": [
                {"above_tokens": 200_000, "input": Decimal("5.5"), "output": Decimal("37.5")}
            ],
        }
    ]
    moved = [c for c in builder.log.changes if c.field == "pricing.tiers.0"]
    assert [c.action for c in moved] == ["moved"]
    assert moved[0].why.endswith(": kept in pricing.history until 2026-03-12")
    added = [c for c in builder.log.changes if c.field == "pricing.history"]
    assert [(c.action, c.value) for c in added] == [("added", "2026-02-05..2026-03-12")]
    offering = Offering.model_validate(
        as_model_input({"provider": "azure", "model": "m", **draft.facts})
    )

    # 300k prompt tokens on 2026-03-01: the tier's price; on 2026-03-13: the flat one
    usage = Usage(input_tokens=300_000, output_tokens=1_000)
    assert cost(offering, usage, at=dt.date(2026, 3, 1)).total == Decimal("1.6875")
    assert cost(offering, usage, at=dt.date(2026, 3, 13)).total == Decimal("0.8415")


@pytest.mark.parametrize(
    ("history_from", "release", "why"),
    [
        ("release", None, "the offering's release day is unknown"),
        (dt.date(2026, 2, 1), None, None),  # a day given: no release day needed
    ],
)
def test_a_note_without_a_start_day_keeps_no_history(
    history_from: Any, release: dt.date | None, why: str | None
) -> None:
    builder = _builder(tier_notes=(_ended(history_from),))
    draft = _ended_draft(builder, release)
    apply_tier_notes(builder)
    history = draft.facts["pricing"].get("history")
    ignored = [c.why for c in builder.log.changes if c.action == "ignored"]
    if why is None:
        assert history and history[0]["effective"] == history_from and not ignored
    else:
        assert history is None and ignored == [f"not kept: {why}"]
