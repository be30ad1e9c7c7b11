"""`llmaestro stats`: counts, the measures of llmaestro.registry.stats as of --today, and the
goals with PASS or FAIL (`--check` exits 1 when one fails)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

import llmaestro
from llmaestro.cli.main import main
from llmaestro.exports import export_json
from llmaestro.registry import stats
from llmaestro.registry.lifecycle import STATUSES, effective_status
from llmaestro.registry.ranking import BILLING_KINDS

D = dt.date

#: (id, kind, base, context, lifecycle, billing kind)
ROWS: list[tuple[str, str, str | None, int | None, dict[str, Any], str]] = [
    ("acme/one", "chat", "acmelab/one", 100_000, {}, "per_token"),
    (
        "acme/one-old",
        "chat",
        "acmelab/one",
        100_000,
        {"deprecation_date": "2026-03-01"},
        "per_token",
    ),
    ("gate/one", "chat", "acmelab/one", None, {"retirement_date": "2026-05-01"}, "per_token"),
    ("gate/other", "chat", None, 32_000, {"status": "preview"}, "per_token"),
    ("plan/one", "chat", "acmelab/one", 100_000, {}, "subscription"),
    ("local/one", "chat", None, None, {}, "self_hosted"),
    ("acme/embed", "embedding", None, None, {}, "per_token"),
]


#: offerings that state only an input limit (no context window)
MAX_INPUT_ONLY = {"gate/one": 64_000}


def _doc(
    rows: list[tuple[str, str, str | None, int | None, dict[str, Any], str]],
) -> dict[str, Any]:
    offerings = []
    for oid, kind, base, context, life, billing in rows:
        provider, model = oid.split("/", 1)
        o: dict[str, Any] = {"provider": provider, "model": model, "kind": kind}
        o["pricing"] = {"input": "1", "output": "2"}
        o["billing"] = {"kind": billing}
        if base is not None:
            o["base"] = base
        if context is not None:
            o["limits"] = {"context": context}
        if oid in MAX_INPUT_ONLY:
            o["limits"] = {"max_input": MAX_INPUT_ONLY[oid]}
        if life:
            o["lifecycle"] = life
        offerings.append(o)
    providers = {
        o["provider"]: {"provider": o["provider"], "name": o["provider"]} for o in offerings
    }
    canonical = {"acmelab/one": {"lab": "acmelab", "model": "one"}}
    return {"providers": providers, "canonical": canonical, "offerings": offerings}


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stats") / "catalog.json"
    path.write_text(export_json(llmaestro.Registry.from_document(_doc(ROWS), today=D(2026, 1, 1))))
    return path


def run(catalog: Path, *args: str, code: int = 0) -> Result:
    res = CliRunner().invoke(main, ["stats", "--catalog", str(catalog), *args])
    assert res.exit_code == code, res.output
    assert "Traceback" not in res.output
    return res


def test_json_holds_the_counts_and_the_measures_as_of_today(catalog: Path) -> None:
    data = json.loads(run(catalog, "--json", "--today", "2026-04-01").stdout)
    assert (data["providers"], data["canonical_models"], data["offerings"]) == (4, 1, 7)
    assert data["offerings_per_kind"] == {"chat": 6, "embedding": 1}
    assert data["today"] == "2026-04-01"
    assert data["status"] == {"preview": 1, "active": 5, "deprecated": 1, "retired": 0}
    assert data["billing"] == {"per_token": 5, "subscription": 1, "free_tier": 0, "self_hosted": 1}
    assert data["linked"] == {"count": 4, "total": 6, "share": 0.6667}
    assert data["unknown_context"] == {"count": 2, "total": 6, "share": 0.3333}
    # gate/one states an input limit: its window is known, its total context is not
    assert data["unknown_input_window"] == {"count": 1, "total": 6, "share": 0.1667}
    goals = {g["goal"]: g for g in data["goals"]}
    assert goals["linked"]["pass"] is False and goals["linked"]["target"] == "≥ 85%"
    assert goals["unknown_context"]["pass"] is False  # strictly: no window, own or inherited
    assert goals["unknown_context"]["value"] == "33.3% (2 of 6)"
    assert "unknown_input_window" not in goals  # printed beside it, not a goal
    assert goals["cheapest_unmetered"]["pass"] is False  # a plan and a local runtime
    assert goals["cheapest_unmetered"]["value"] == "2 of 6"
    later = json.loads(run(catalog, "--format", "json", "--today", "2026-06-01").stdout)
    assert later["status"] == {"preview": 1, "active": 4, "deprecated": 1, "retired": 1}
    assert later["cheapest_unmetered"]["total"] == 5  # retired offerings are left out
    earlier = json.loads(run(catalog, "--json", "--today", "2025-01-01").stdout)
    assert earlier["status"]["retired"] == 0 and earlier["status"]["deprecated"] == 0


def test_text_prints_the_goals_with_pass_or_fail(catalog: Path) -> None:
    text = run(catalog, "--today", "2026-04-01").stdout
    assert "providers: 4\n" in text and "offerings: 7\n" in text
    assert "lifecycle status as of 2026-04-01:\n  preview: 1\n  active: 5\n" in text
    assert "billing:\n  per_token: 5\n  subscription: 1\n" in text
    assert "  FAIL  chat offerings linked to a canonical model (≥ 85%): 66.7% (4 of 6)" in text
    assert (
        "  FAIL  chat offerings with unknown context (no window, own or inherited) (≤ 10%): "
        "33.3% (2 of 6)"
    ) in text
    assert "chat offerings with no context window: 33.3% (2 of 6; 1 of them state" in text
    assert "chat offerings with neither a context window nor an input limit: 16.7% (1 of 6)" in text
    run(catalog, "--check", code=1)


def test_check_passes_when_every_goal_is_met(tmp_path: Path) -> None:
    rows = [r for r in ROWS if r[2] is not None and r[3] is not None and r[5] == "per_token"]
    path = tmp_path / "good.json"
    path.write_text(export_json(llmaestro.Registry.from_document(_doc(rows), today=D(2026, 1, 1))))
    data = json.loads(run(path, "--json", "--check").stdout)
    assert all(g["pass"] for g in data["goals"]), data["goals"]
    assert data["linked"]["share"] == 1.0 and data["unknown_context"]["count"] == 0


def test_without_the_identity_package_the_well_known_goal_is_not_measured(
    catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "llmaestro.catalog.identity.goals", None)
    data = json.loads(run(catalog, "--json").stdout)
    assert data["well_known"] is None
    assert {g["goal"] for g in data["goals"]} == {
        "linked",
        "unknown_context",
        "cheapest_unmetered",
    }
    assert "well-known models: not measured" in run(catalog).stdout


def test_a_bad_today_is_a_usage_error(catalog: Path) -> None:
    res = run(catalog, "--today", "2026-13-01", code=2)
    assert "--today" in res.output


_life = st.fixed_dictionaries(
    {},
    optional={
        "status": st.sampled_from(STATUSES),
        "deprecation_date": st.dates(D(2025, 1, 1), D(2027, 1, 1)).map(str),
        "retirement_date": st.dates(D(2025, 1, 1), D(2027, 1, 1)).map(str),
    },
)
_row = st.tuples(
    st.sampled_from(("chat", "chat", "embedding")),
    st.sampled_from((None, "acmelab/one")),
    st.sampled_from((None, 8192, 200_000)),
    _life,
    st.sampled_from(BILLING_KINDS),
)


@given(st.lists(_row, max_size=20), st.dates(D(2025, 1, 1), D(2027, 1, 1)))
def test_the_measures_agree_with_the_records(rows: list[Any], today: dt.date) -> None:
    doc = _doc([(f"p{i}/m{i}", *row) for i, row in enumerate(rows)])
    registry = llmaestro.Registry.from_document(doc, today=today)
    chat = [r for r in rows if r[0] == "chat"]
    assert stats.linked_share(registry) == stats.Share(
        sum(r[1] is not None for r in chat), len(chat)
    )
    assert stats.unknown_context_share(registry).count == sum(r[2] is None for r in chat)
    assert stats.unknown_input_window_share(registry) == stats.unknown_context_share(registry)
    expected = dict.fromkeys(STATUSES, 0)
    for r in rows:
        life = r[3]
        status = effective_status(
            life.get("status"), life.get("deprecation_date"), life.get("retirement_date"), today
        )
        expected[status] += 1
    assert stats.status_counts(registry) == expected
    assert sum(stats.billing_counts(registry).values()) == len(rows)
    cheapest = stats.unmetered_among_cheapest(registry)
    assert cheapest.total == min(20, sum(1 for r in chat if _status(r, today) != "retired"))


def _status(row: Any, today: dt.date) -> str:
    life = row[3]
    return effective_status(
        life.get("status"), life.get("deprecation_date"), life.get("retirement_date"), today
    )
