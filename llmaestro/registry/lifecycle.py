"""Lifecycle as of a date: the status an offering has on a given day.

The catalog declares a status (``lifecycle.status``: preview, active, deprecated or retired,
often absent) and dates (``deprecation_date``, ``retirement_date``). What a caller needs is
the status *as of a day* (the registry's date, ``load(today=...)``, today UTC by default),
which the dates decide once they are past:

- ``retired`` on or after the retirement date, or when declared retired;
- ``deprecated`` on or after the deprecation date, or when declared deprecated;
- ``preview`` when declared preview (and none of those dates is past);
- ``active`` otherwise (a source or detector listed it at its last check).

The result is never None. A declared ``retired`` or ``deprecated`` stands even before its
date (the provider said so); ``llmaestro validate`` warns when a declared status disagrees
with the dates (:func:`disagreement`), and the importers and detectors write the status the
dates imply (:func:`implied_status`).

>>> import datetime as dt
>>> effective_status("active", dt.date(2025, 1, 1), None, dt.date(2025, 6, 1))
'deprecated'
>>> effective_status(None, None, None, dt.date(2025, 6, 1))
'active'

Pure functions over dates or ISO ``YYYY-MM-DD`` text (the bundle's columns hold dates as
ISO text, which compares in date order), no clock: the caller passes ``today``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
from itertools import repeat

from llmaestro.errors import CatalogError
from llmaestro.registry.columns import C_DEPRECATION, C_RETIREMENT, C_STATUS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from llmaestro.registry.columns import Columns

#: The statuses, from the earliest stage to the last.
STATUSES: tuple[str, ...] = ("preview", "active", "deprecated", "retired")

#: The environment variable that fixes "today" for a process (ISO ``YYYY-MM-DD``): a CI
#: step, a reproducible report, a test suite whose answers must not move with the clock.
TODAY_VARIABLE = "LLMAESTRO_TODAY"


def default_today() -> dt.date:
    """The date a registry, the validator and the reports use when none is given:
    ``LLMAESTRO_TODAY`` when set, else today in UTC. A value that is no ISO date raises
    :class:`~llmaestro.errors.CatalogError` naming the variable (its value is not echoed:
    it could be anything pasted there)."""
    value = os.environ.get(TODAY_VARIABLE)
    if value:
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise CatalogError(
                f"{TODAY_VARIABLE} is not a date (expected YYYY-MM-DD, or unset for today UTC)"
            ) from None
    return dt.datetime.now(dt.UTC).date()


def _iso(value: dt.date | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def status_as_of(
    declared: str | None, deprecation: str | None, retirement: str | None, today: str
) -> str:
    """:func:`effective_status` over ISO texts (the fast path of the registry's column)."""
    if declared == "retired" or (retirement is not None and retirement <= today):
        return "retired"
    if declared == "deprecated" or (deprecation is not None and deprecation <= today):
        return "deprecated"
    if declared == "preview":
        return "preview"
    return "active"


def effective_status(
    declared: str | None,
    deprecation_date: dt.date | str | None,
    retirement_date: dt.date | str | None,
    today: dt.date,
) -> str:
    """The status as of ``today``: see the module's rules. Never None."""
    return status_as_of(declared, _iso(deprecation_date), _iso(retirement_date), today.isoformat())


def implied_status(
    declared: str | None,
    deprecation_date: dt.date | str | None,
    retirement_date: dt.date | str | None,
    today: dt.date,
) -> str | None:
    """The status an importer or detector writes as of ``today``: the dates' word once one is
    past (``retired`` from the retirement date, ``deprecated`` from the deprecation date),
    else the declared status as it is (None stays None: no source said it). A declared
    ``retired`` is never moved back."""
    if declared == "retired":
        return declared
    day = today.isoformat()
    retirement, deprecation = _iso(retirement_date), _iso(deprecation_date)
    if retirement is not None and retirement <= day:
        return "retired"
    if deprecation is not None and deprecation <= day and declared != "deprecated":
        return "deprecated"
    return declared


def disagreement(
    declared: str | None,
    deprecation_date: dt.date | str | None,
    retirement_date: dt.date | str | None,
    today: dt.date,
) -> str | None:
    """Why a *declared* status disagrees with the dates as of ``today``, or None when it
    agrees (or none is declared): past a date but declared an earlier stage, or declared a
    later stage than a date still to come."""
    if declared is None:
        return None
    day = today.isoformat()
    retirement, deprecation = _iso(retirement_date), _iso(deprecation_date)
    if retirement is not None and retirement <= day and declared != "retired":
        return f"status is `{declared}` but the retirement date {retirement} is past"
    if deprecation is not None and deprecation <= day and declared in ("preview", "active"):
        return f"status is `{declared}` but the deprecation date {deprecation} is past"
    if declared == "retired" and retirement is not None and retirement > day:
        return f"status is `retired` but the retirement date {retirement} is still to come"
    if declared == "deprecated" and deprecation is not None and deprecation > day:
        return f"status is `deprecated` but the deprecation date {deprecation} is still to come"
    return None


def status_column(columns: Columns, today: dt.date) -> list[str]:
    """The effective status of every row of a registry's columns as of ``today`` (their
    ``C_STATUS`` holds the declared ones): :func:`status_as_of` of each row, found from the
    bundle's sorted date columns when it has them (only rows dated on or before ``today`` are
    visited, not every row)."""
    day = today.isoformat()
    declared = columns[C_STATUS]
    deprecation, retirement = columns.order(C_DEPRECATION), columns.order(C_RETIREMENT)
    if deprecation is None or retirement is None:
        return [
            status_as_of(s, d, r, day)
            for s, d, r in zip(declared, columns[C_DEPRECATION], columns[C_RETIREMENT], strict=True)
        ]
    out = list(map(_DECLARED.get, declared, repeat("active")))
    values, rows = deprecation
    for i in rows[: bisect.bisect_right(values, day)]:
        if out[i] != "retired":
            out[i] = "deprecated"
    values, rows = retirement
    for i in rows[: bisect.bisect_right(values, day)]:
        out[i] = "retired"
    return out


def retired_rows(columns: Columns, today: dt.date) -> frozenset[int]:
    """The rows retired as of ``today``: declared retired, or past their retirement date
    (what :func:`status_column` says, without building the column: what a default query
    leaves out)."""
    retirement = columns.order(C_RETIREMENT)
    if retirement is None:
        return frozenset(i for i, s in enumerate(status_column(columns, today)) if s == "retired")
    values, rows = retirement
    passed = rows[: bisect.bisect_right(values, today.isoformat())]
    return columns.rows_equal(C_STATUS, "retired").union(passed)


#: The declared statuses that stand when no date overrides them (others read `active`).
_DECLARED: dict[str | None, str] = {s: s for s in ("retired", "deprecated", "preview")}


def with_status(facts: dict[str, Any], status: str) -> dict[str, Any]:
    """An offering's decoded facts with ``lifecycle.status`` set to ``status`` (a new
    ``lifecycle`` mapping; ``facts`` is changed in place and returned)."""
    facts["lifecycle"] = {**(facts.get("lifecycle") or {}), "status": status}
    return facts


def without_status(facts: dict[str, Any], declared: str | None) -> dict[str, Any]:
    """The inverse of :func:`with_status`: the declared status back (absent when None, and
    no ``lifecycle`` at all when nothing else was in it)."""
    life = dict(facts.get("lifecycle") or {})
    if declared is None:
        life.pop("status", None)
    else:
        life["status"] = declared
    if life:
        facts["lifecycle"] = life
    else:
        facts.pop("lifecycle", None)
    return facts


def warning_text(
    offering_id: str, status: str, retirement: str | None, replacement: str | None
) -> str:
    """The text of the ``DeprecatedModelWarning`` a lookup of a deprecated or retired
    offering raises (its effective status, its retirement date, its replacement)."""
    text = f"{offering_id} is {status}"
    if retirement:
        verb = "retired on" if status == "retired" else "retires on"
        text += f"; {verb} {retirement}"
    if replacement:
        text += f"; use {replacement} instead"
    return text
