"""Lifecycle as of a date: the effective status of every record, queries and lookups."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

import llmaestro
from llmaestro import DeprecatedModelWarning
from llmaestro.registry.lifecycle import (
    STATUSES,
    default_today,
    disagreement,
    effective_status,
    implied_status,
    status_as_of,
)

D = dt.date

declared = st.sampled_from((None, *STATUSES))
dates = st.one_of(st.none(), st.dates(D(2023, 1, 1), D(2028, 12, 31)))


@pytest.mark.parametrize(
    ("declared", "deprecation", "retirement", "today", "expected"),
    [
        (None, None, None, D(2025, 6, 1), "active"),
        ("preview", None, None, D(2025, 6, 1), "preview"),
        ("active", D(2025, 1, 1), None, D(2025, 6, 1), "deprecated"),
        ("active", D(2025, 1, 1), D(2025, 6, 1), D(2025, 6, 1), "retired"),  # on the day
        ("active", D(2025, 1, 1), D(2025, 6, 2), D(2025, 6, 1), "deprecated"),
        ("preview", D(2025, 7, 1), None, D(2025, 6, 1), "preview"),
        ("deprecated", D(2025, 7, 1), None, D(2025, 6, 1), "deprecated"),  # the provider said
        ("retired", None, None, D(2025, 6, 1), "retired"),
        (None, None, D(2024, 1, 1), D(2025, 6, 1), "retired"),
    ],
)
def test_effective_status_rules(
    declared: str | None,
    deprecation: dt.date | None,
    retirement: dt.date | None,
    today: dt.date,
    expected: str,
) -> None:
    assert effective_status(declared, deprecation, retirement, today) == expected


@given(declared, dates, dates, st.dates(D(2023, 1, 1), D(2028, 12, 31)))
def test_effective_status_is_never_none_and_follows_the_dates(
    s: str | None, dep: dt.date | None, ret: dt.date | None, today: dt.date
) -> None:
    status = effective_status(s, dep, ret, today)
    assert status in STATUSES
    assert status == status_as_of(
        s,
        dep.isoformat() if dep is not None else None,
        ret.isoformat() if ret is not None else None,
        today.isoformat(),
    )
    if ret is not None and ret <= today:
        assert status == "retired"
    elif dep is not None and dep <= today and s != "retired":
        assert status == "deprecated"
    # what an importer writes agrees with the dates: no disagreement is left to warn about
    written = implied_status(s, dep, ret, today)
    if written is not None and not (
        (s == "retired" and ret is not None and ret > today)
        or (s == "deprecated" and dep is not None and dep > today)
    ):
        assert disagreement(written, dep, ret, today) is None


def test_disagreement_names_the_date() -> None:
    assert disagreement("active", D(2025, 1, 1), None, D(2025, 6, 1)) == (
        "status is `active` but the deprecation date 2025-01-01 is past"
    )
    assert "still to come" in (disagreement("retired", None, D(2026, 1, 1), D(2025, 6, 1)) or "")
    assert disagreement(None, D(2025, 1, 1), None, D(2025, 6, 1)) is None
    assert disagreement("deprecated", D(2025, 1, 1), None, D(2025, 6, 1)) is None


@pytest.fixture(scope="module")
def source() -> str:
    return llmaestro.load().info.source


def _dated(today: dt.date) -> tuple[llmaestro.Registry, str, dt.date, dt.date]:
    """A registry as of ``today`` over the repository catalog in which one offering that
    declares nothing has a deprecation date and a retirement date after it."""
    doc = llmaestro.load().to_document()
    for o in doc["offerings"]:
        life = o.get("lifecycle") or {}
        if (
            life.get("deprecation_date")
            and not life.get("status")
            and not life.get("retirement_date")
        ):
            dep = dt.date.fromisoformat(life["deprecation_date"])
            ret = dep + dt.timedelta(days=90)
            o["lifecycle"] = {**life, "retirement_date": ret.isoformat()}
            return llmaestro.Registry.from_document(doc, today=today), o["id"], dep, ret
    raise AssertionError("no offering with a deprecation date and no status")


def _status(registry: llmaestro.Registry, oid: str) -> str | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecatedModelWarning)
        life = registry.get(oid).lifecycle
    return life.status if life else None


def test_the_date_moves_the_status_and_the_queries() -> None:
    _, oid, dep, ret = _dated(D(2000, 1, 1))
    before, _, _, _ = _dated(dep - dt.timedelta(days=1))
    during, _, _, _ = _dated(dep)
    after, _, _, _ = _dated(ret)
    assert (_status(before, oid), _status(during, oid), _status(after, oid)) == (
        "active",
        "deprecated",
        "retired",
    )
    assert oid in {o.id for o in during.query()}
    assert oid not in {o.id for o in after.query()}  # retired: left out by default
    assert oid in {o.id for o in after.query(include_retired=True)}
    assert oid in {o.id for o in after.query(status="retired")}
    assert oid not in {o.id for o in before.query(status="deprecated")}
    assert oid in {o.id for o in during.query(status="deprecated")}


def test_a_lookup_warns_with_the_effective_status() -> None:
    _, oid, _, ret = _dated(D(2000, 1, 1))
    after, _, _, _ = _dated(ret)
    with pytest.warns(DeprecatedModelWarning, match=f"{oid} is retired; retired on {ret}"):
        after.get(oid)
    before, _, _, _ = _dated(D(2000, 1, 1))
    before.get(oid)  # active then: no warning (filterwarnings=error would fail)


def test_the_document_keeps_the_declared_status(source: str) -> None:
    registry = llmaestro.load(catalog=source, today=D(2030, 1, 1))
    doc = registry.to_document()
    declared = {o["id"]: (o.get("lifecycle") or {}).get("status") for o in doc["offerings"]}
    later = llmaestro.Registry.from_document(doc, today=D(2030, 1, 1))
    assert declared == {
        o["id"]: (o.get("lifecycle") or {}).get("status") for o in later.to_document()["offerings"]
    }


def test_the_default_registry_is_per_day() -> None:
    a = llmaestro.load(today=D(2026, 1, 1))
    b = llmaestro.load(today=D(2026, 1, 2))
    assert a is not b and a.today != b.today
    assert llmaestro.load(today=D(2026, 1, 1)) is a


def test_llmaestro_today_fixes_the_processs_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLMAESTRO_TODAY", "2027-03-04")
    assert default_today() == D(2027, 3, 4)
    assert llmaestro.load().today == D(2027, 3, 4)
    monkeypatch.setenv("LLMAESTRO_TODAY", "sk-not-a-date-0123456789")
    with pytest.raises(llmaestro.CatalogError) as info:
        default_today()
    assert str(info.value) == (
        "LLMAESTRO_TODAY is not a date (expected YYYY-MM-DD, or unset for today UTC)"
    )  # the value itself is never echoed
    monkeypatch.delenv("LLMAESTRO_TODAY")
    assert default_today() == dt.datetime.now(dt.UTC).date()
