"""Lifecycle at import time: each offering's status as its dates imply on the import's day.

The sources give dates (``deprecation_date``, ``retirement_date``) and, now and then, a status
that the dates have overtaken (``active`` a month after the deprecation date). This step,
the last before the files are finished, writes the status the dates imply as of
``builder.today`` (:func:`~llmaestro.registry.lifecycle.implied_status`: ``retired`` from the
retirement date, ``deprecated`` from the deprecation date, else the status as it was, none
staying none) on every offering and canonical model, so that ``llmaestro validate`` finds no
``LM043`` disagreement in a fresh import. Each status it changes is a ``corrected`` value of
the import report, with the status it replaces; :func:`summary_lines` gives the report's
summary the offerings per status and per billing kind.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from llmaestro.registry.lifecycle import STATUSES, effective_status, implied_status
from llmaestro.registry.ranking import BILLING_KINDS, PER_TOKEN

if TYPE_CHECKING:
    from llmaestro.catalog.importers.builder import Builder
    from llmaestro.catalog.importers.common import Facts, ImportLog
    from llmaestro.catalog.importers.draft import Built

#: The source column of the report's lines for a status this step writes.
SOURCE = "lifecycle dates"


def settle_status(builder: Builder) -> None:
    """Set the status each offering's (and canonical model's) dates imply as of
    ``builder.today``, logging every change."""
    built, log, today = builder.built, builder.log, builder.today
    for ref, facts in sorted(built.canonical.items()):
        _settle(facts, f"models/{ref}", log, today)
    for _key, draft in sorted(built.offerings.items()):
        _settle(draft.facts, draft.target, log, today)


def _settle(facts: Facts, target: str, log: ImportLog, today: dt.date) -> None:
    life: Any = facts.get("lifecycle")
    if not isinstance(life, dict):
        return
    declared = life.get("status")
    deprecation, retirement = life.get("deprecation_date"), life.get("retirement_date")
    implied = implied_status(declared, deprecation, retirement, today)
    if implied == declared:
        return
    facts["lifecycle"] = {**life, "status": implied}  # a new mapping: drafts may share one
    which = "retirement" if implied == "retired" else "deprecation"
    log.change(
        target,
        "lifecycle.status",
        implied,
        SOURCE,
        f"the status its dates imply: the {which} date is past on {today} "
        f"(found `{declared or 'no status'}`)",
        action="corrected",
    )
    log.counts[("lifecycle", f"status set to {implied} (dates past)")] += 1


def summary_lines(built: Built) -> list[str]:
    """The import report summary's lines on lifecycle and billing: offerings per effective
    status as of the import's day (the latest source snapshot's, as the pipeline takes it),
    and per billing kind (their own, else their provider's, else ``per_token``)."""
    day = max((s.checked for s in built.sources), default=None)
    statuses: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for (pid, _), draft in built.offerings.items():
        life = draft.facts.get("lifecycle") or {}
        if day is not None:
            dates = life.get("deprecation_date"), life.get("retirement_date")
            statuses[effective_status(life.get("status"), *dates, day)] += 1
        billing = draft.facts.get("billing") or built.providers.get(pid, {}).get("billing")
        kinds[billing["kind"] if billing else PER_TOKEN] += 1
    lines = [""]
    if day is not None:
        shown = ", ".join(f"{s} {statuses[s]:,}" for s in STATUSES)
        lines.append(f"Offerings per lifecycle status as of {day} (the dates decide): {shown}.")
    shown = ", ".join(f"{k} {kinds[k]:,}" for k in BILLING_KINDS)
    lines.append(f"Offerings per billing kind: {shown}.")
    return lines
