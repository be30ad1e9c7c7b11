"""Lifecycle rules: a declared status against its dates (``LM027`` and ``LM043``).

- ``LM027`` (errors): a status its dates cannot support: ``retired`` without a retirement
  date or with one still to come, ``deprecated`` with neither a deprecation nor a retirement
  date.
- ``LM043`` (warning): a declared status that disagrees with the dates *as of today* (the
  validator's date, ``validate --today``): past the deprecation or retirement date but still
  declared an earlier stage, or declared ``deprecated`` before its deprecation date. The
  registry already reads the status the dates imply
  (:func:`~llmaestro.registry.lifecycle.effective_status`); the warning says the file should
  say it too, and ``llmaestro import`` and the detectors write it
  (:func:`~llmaestro.registry.lifecycle.implied_status`).

The rules read attributes only (``status``, ``deprecation_date``, ``retirement_date``), so
authoring models and runtime records both work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from llmaestro.registry.lifecycle import disagreement, implied_status

#: The report callback of :mod:`llmaestro.catalog.rules` (``Report``), as these rules call it.
Report = Callable[..., None]


def check_lifecycle(life: Any, report: Report, today: dt.date) -> None:
    """Every lifecycle rule on one ``lifecycle`` block as of ``today``."""
    if not check_status(life, report, today):
        check_dates_agree(life, report, today)


def check_status(life: Any, report: Report, today: dt.date) -> bool:
    """``LM027``: a status its dates cannot support; True when one was reported."""
    status = life.status
    found = False
    if status == "retired" and life.retirement_date is None:
        report(
            "LM027",
            "/lifecycle/status",
            "a retired model needs its retirement date",
            expected="`retirement_date`",
        )
        found = True
    if status == "retired" and life.retirement_date and life.retirement_date > today:
        report(
            "LM027",
            "/lifecycle/status",
            "status is retired but the retirement date is still to come",
            found=f"retirement_date {life.retirement_date}",
            expected=f"a date on or before {today}, or status `deprecated`",
        )
        found = True
    if status == "deprecated" and life.deprecation_date is None and life.retirement_date is None:
        report(
            "LM027",
            "/lifecycle/status",
            "a deprecated model needs a deprecation or retirement date",
            expected="`deprecation_date` or `retirement_date`",
        )
        found = True
    return found


def check_dates_agree(life: Any, report: Report, today: dt.date) -> None:
    """``LM043`` (warning): the declared status disagrees with the dates as of ``today``."""
    status, deprecation, retirement = life.status, life.deprecation_date, life.retirement_date
    why = disagreement(status, deprecation, retirement, today)
    if why is None:
        return
    implied = implied_status(status, deprecation, retirement, today)
    if implied != status:
        expected = f"status `{implied}`, what the dates imply on {today}"
    else:  # declared deprecated before its deprecation date
        expected = f"status `active` or none until {deprecation}, or the day it was deprecated"
    report(
        "LM043",
        "/lifecycle/status",
        why,
        expected=expected,
        hint="`llmaestro import` writes the status the dates imply",
        severity="warning",
    )
