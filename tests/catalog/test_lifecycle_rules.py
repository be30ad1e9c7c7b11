"""Lifecycle in validation and import: LM043 warns when a declared status disagrees with the
dates as of the validator's day; the importer and the detectors write the status the dates
imply. (The golden output of LM043 is the fixture case `lifecycle-disagrees-with-dates`, run by
tests/catalog/test_invalid_catalogs.py.)"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from llmaestro.catalog.diagnostics import format_text
from llmaestro.catalog.importers.builder import Builder
from llmaestro.catalog.importers.common import SourceInfo
from llmaestro.catalog.importers.draft import Draft
from llmaestro.catalog.importers.lifecycle import settle_status, summary_lines
from llmaestro.catalog.importers.manual import Manual
from llmaestro.catalog.importers.report import render_report
from llmaestro.catalog.rules_lifecycle import check_lifecycle
from llmaestro.catalog.validate import validate_catalog
from llmaestro.refresh.plan import plan_drift
from llmaestro.registry.lifecycle import STATUSES, disagreement, implied_status
from tests.conftest import FIXTURES, GOLDEN_TODAY
from tests.refresh._drift import manual
from tests.refresh.conftest import catalog

__all__ = ["catalog"]  # the detectors' fixture catalog, copied for each test

D = dt.date
CASE = FIXTURES / "catalog" / "invalid" / "lifecycle-disagrees-with-dates"

declared = st.sampled_from((None, *STATUSES))
dates = st.one_of(st.none(), st.dates(D(2024, 1, 1), D(2027, 12, 31)))
days = st.dates(D(2024, 1, 1), D(2027, 12, 31))


def _codes(life: SimpleNamespace, today: dt.date) -> list[tuple[str, str, str]]:
    seen: list[tuple[str, str, str]] = []

    def report(code: str, ptr: str, message: str, **kw: Any) -> None:
        seen.append((code, kw.get("severity", "error"), message))

    check_lifecycle(life, report, today)
    return seen


@given(declared, dates, dates, days)
def test_lm043_warns_exactly_when_the_dates_disagree(
    status: str | None, dep: dt.date | None, ret: dt.date | None, today: dt.date
) -> None:
    life = SimpleNamespace(status=status, deprecation_date=dep, retirement_date=ret)
    found = _codes(life, today)
    lm027 = [f for f in found if f[0] == "LM027"]
    lm043 = [f for f in found if f[0] == "LM043"]
    why = disagreement(status, dep, ret, today)
    assert all(f[1] == "error" for f in lm027)
    assert len(lm043) == (1 if why is not None and not lm027 else 0)
    if lm043:
        assert lm043[0][1:] == ("warning", why)
    # the status an import writes leaves nothing to warn about once a date is past
    written = implied_status(status, dep, ret, today)
    settled = SimpleNamespace(status=written, deprecation_date=dep, retirement_date=ret)
    after = _codes(settled, today)
    if written != status:
        assert not [f for f in after if f[0] == "LM043"]


def test_the_validators_day_moves_the_warning() -> None:
    early = validate_catalog(CASE / "catalog", display_root="catalog", today=D(2026, 5, 1))
    warned = {Path(d.path).name for d in early.diagnostics if d.code == "LM043"}
    # before 2026-06-01 acme-one's deprecation date is still to come, acme-gone's retirement
    # date (2026-09-01) too; acme-early (2027-03-01) and acme-fine (2026-11-27) are declared
    # deprecated before their deprecation dates
    assert warned == {"acme-early.yaml", "acme-fine.yaml"}
    golden = validate_catalog(CASE / "catalog", display_root="catalog", today=GOLDEN_TODAY)
    assert format_text(golden.diagnostics) == (CASE / "expected.txt").read_text("utf-8")
    assert sum(d.code == "LM043" for d in golden.diagnostics) == 4
    assert all(d.severity == "warning" for d in golden.diagnostics if d.code == "LM043")


def _builder(today: dt.date, lives: dict[str, dict[str, Any] | None]) -> Builder:
    builder = Builder([], Manual(), today)
    for mid, life in lives.items():
        facts: dict[str, Any] = {"kind": "chat"}
        if life is not None:
            facts["lifecycle"] = life
        builder.add_draft(Draft("acme", mid, facts, f"models.dev `acme/{mid}`"))
    return builder


def test_the_importer_writes_the_status_the_dates_imply_and_logs_it() -> None:
    shared = {"status": "active", "deprecation_date": D(2026, 1, 1)}
    builder = _builder(
        D(2026, 7, 2),
        {
            "old": dict(shared),
            "gone": {"deprecation_date": "2025-01-01", "retirement_date": D(2026, 3, 1)},
            "later": {"status": "preview", "deprecation_date": D(2027, 1, 1)},
            "quiet": None,
            "unsaid": {"release_date": D(2025, 1, 1)},
            "shared": shared,
        },
    )
    builder.built.canonical["acmelab/one"] = {"lifecycle": {"status": "active", **shared}}
    settle_status(builder)
    status = {
        mid: (d.facts.get("lifecycle") or {}).get("status")
        for (_, mid), d in builder.built.offerings.items()
    }
    assert status == {
        "old": "deprecated",
        "gone": "retired",
        "later": "preview",
        "quiet": None,
        "unsaid": None,  # no source said a status and no date is past: none is invented
        "shared": "deprecated",
    }
    assert shared["status"] == "active"  # a mapping a draft shares is not changed in place
    assert builder.built.canonical["acmelab/one"]["lifecycle"]["status"] == "deprecated"
    changes = {(c.target, c.field): c for c in builder.log.changes}
    gone = changes[("acme/gone", "lifecycle.status")]
    assert (gone.value, gone.action, gone.source) == ("retired", "corrected", "lifecycle dates")
    assert gone.why == (
        "the status its dates imply: the retirement date is past on 2026-07-02 (found `no status`)"
    )
    assert ("models/acmelab/one", "lifecycle.status") in changes
    assert len(builder.log.changes) == 4
    assert builder.log.counts[("lifecycle", "status set to deprecated (dates past)")] == 3


def test_a_detector_that_writes_a_past_date_writes_the_status_too(catalog: Path) -> None:
    observed = manual(
        "mistral",
        {
            "codestral-2405": {"lifecycle.deprecation_date": D(2026, 1, 15)},
            "mistral-large-2411": {"lifecycle.deprecation_date": D(2099, 1, 1)},
            "mistral-tiny-2001": {"kind": "chat", "lifecycle.deprecation_date": D(2026, 2, 1)},
        },
        {"lifecycle.deprecation_date"},
        complete=False,
    )
    plan = plan_drift(catalog, observed, today=D(2026, 11, 27))
    by_path = {(c.offering, c.path): c.new for c in plan.changes}
    assert by_path[("codestral-2405", "lifecycle.status")] == "deprecated"
    assert ("mistral-large-2411", "lifecycle.status") not in by_path  # the date is to come
    edited = plan.edits["providers/mistral/models/codestral-2405.yaml"].after
    assert "lifecycle:\n  status: deprecated\n  deprecation_date: 2026-01-15\n" in edited
    new = plan.edits["providers/mistral/models/mistral-tiny-2001.yaml"].after
    assert "status: deprecated" in new


def test_the_import_report_summary_counts_statuses_and_billing_kinds() -> None:
    day = D(2026, 7, 2)
    builder = _builder(
        day,
        {
            "old": {"status": "active", "deprecation_date": D(2026, 1, 1)},
            "gone": {"retirement_date": "2026-03-01"},
            "new": None,
            "free": None,
        },
    )
    builder.built.sources.append(SourceInfo("models.dev", "abc1234", day, "md.tar.gz", "0" * 64))
    builder.built.offerings[("acme", "free")].facts["billing"] = {"kind": "free_tier"}
    builder.built.offerings[("acme", "new")].facts["lifecycle"] = {"status": "preview"}
    builder.add_draft(Draft("plan", "coder", {"kind": "chat"}, "models.dev `plan/coder`"))
    builder.built.providers["plan"] = {"name": "Plan", "billing": {"kind": "subscription"}}
    assert summary_lines(builder.built) == [
        "",
        "Offerings per lifecycle status as of 2026-07-02 (the dates decide): preview 1, "
        "active 2, deprecated 1, retired 1.",
        "Offerings per billing kind: per_token 3, subscription 1, free_tier 1, self_hosted 0.",
    ]
    report = render_report(builder.built, Path("catalog"))
    summary = report.split("## Summary", 1)[1].split("## Per provider", 1)[0]
    assert "Offerings per billing kind: per_token 3, subscription 1" in summary
