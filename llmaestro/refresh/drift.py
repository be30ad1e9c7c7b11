"""Drift: what a detector observed against what the catalog says, as records.

A :class:`DriftPlan` holds everything one comparison found (changed fields and prices, new
and gone offerings, the guards, the files held back) and the edited file texts that apply it.
The stages of the refresh work on it in turn::

    plan = plan_drift(Path("catalog"), observation)       # compare; nothing written
    validate_plan(plan)                                    # on a staging copy
    applied = apply_plan(plan)                             # write (applied.rollback() undoes)
    body = render_report(plan, now=...)                    # the pull request body

:func:`~llmaestro.refresh.plan.plan_drift` (the rules of the comparison) builds the plan with
the minimal YAML edits of :mod:`llmaestro.refresh.editor`; :mod:`llmaestro.refresh.apply`
validates and writes it; :mod:`llmaestro.refresh.report` renders it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from llmaestro.errors import DriftError
from llmaestro.refresh.observation import Observation

__all__ = [
    "DriftError",
    "DriftPlan",
    "FieldChange",
    "FileEdit",
    "GoneOffering",
    "Guard",
    "HeldBack",
    "NewOffering",
    "PriceChange",
]

Category = Literal["price", "limit", "capability", "modality", "lifecycle", "other"]


# --- records ---------------------------------------------------------------------------------


def _category(path: str) -> Category:
    head = path.split(".", 1)[0].split("[", 1)[0]
    return {
        "pricing": "price",
        "limits": "limit",
        "capabilities": "capability",
        "modalities": "modality",
        "lifecycle": "lifecycle",
    }.get(head, "other")  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One fact of one offering that the listing states differently (or newly)."""

    offering: str
    path: str
    old: Any
    new: Any

    @property
    def category(self) -> Category:
        return _category(self.path)

    @property
    def added(self) -> bool:
        """The catalog did not know the fact."""
        return self.old is None


@dataclass(frozen=True, slots=True)
class PriceChange:
    """A price that changed (moved to the history)."""

    offering: str
    field: str
    old: Decimal
    new: Decimal

    @property
    def percent(self) -> float | None:
        if self.old == 0:
            return None
        return float((self.new - self.old) / self.old * 100)


@dataclass(frozen=True, slots=True)
class NewOffering:
    offering: str
    file: str
    facts: Mapping[str, Any]
    base: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GoneOffering:
    offering: str
    last_seen: dt.date
    basis: str
    action: Literal["deprecated", "retired"]


@dataclass(frozen=True, slots=True)
class Guard:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True, slots=True)
class HeldBack:
    offering: str
    file: str
    reason: str


@dataclass(slots=True)
class FileEdit:
    """The new text of one catalog file (``before`` None: a new file)."""

    file: str
    offering: str
    before: str | None
    after: str


#: refuse a listing that adds more new offerings than this share of the active ones …
DEFAULT_MAX_NEW_SHARE = 0.5
#: … or more than this many in one run
DEFAULT_MAX_NEW_COUNT = 100
#: the share guard on new offerings applies from this many new ones (a provider with three
#: offerings may well add two)
NEW_SHARE_FLOOR = 10


@dataclass
class DriftPlan:
    """Everything one comparison found, and the edits that apply it."""

    provider: str
    root: Path
    observation: Observation
    today: dt.date
    max_gone_share: float
    catalog_count: int = 0
    max_new_share: float = DEFAULT_MAX_NEW_SHARE
    max_new_count: int = DEFAULT_MAX_NEW_COUNT
    changes: list[FieldChange] = field(default_factory=list)
    prices: list[PriceChange] = field(default_factory=list)
    new: list[NewOffering] = field(default_factory=list)
    gone: list[GoneOffering] = field(default_factory=list)
    guards: list[Guard] = field(default_factory=list)
    held_back: list[HeldBack] = field(default_factory=list)
    edits: dict[str, FileEdit] = field(default_factory=dict)
    refused: str | None = None
    validated: bool = False

    @property
    def has_changes(self) -> bool:
        return bool(self.edits)

    @property
    def ok(self) -> bool:
        """No guard refused the run."""
        return self.refused is None

    def fingerprint(self) -> str:
        """A digest of what changed (offerings, fields, old and new values, new and gone
        offerings), independent of the day: two runs that find the same drift share it."""
        kept = set(self.edits)
        items: list[Any] = [self.provider]
        by_file = {e.offering: e.file for e in self.edits.values()}
        for c in sorted(self.changes, key=lambda c: (c.offering, c.path)):
            if by_file.get(c.offering) in kept:
                items.append(["change", c.offering, c.path, _plain(c.old), _plain(c.new)])
        for n in sorted(self.new, key=lambda n: n.offering):
            if n.file in kept:
                items.append(["new", n.offering, _plain(dict(n.facts)), n.base, n.aliases])
        for g in sorted(self.gone, key=lambda g: g.offering):
            if by_file.get(g.offering) in kept:
                items.append(["gone", g.offering, g.action])
        blob = json.dumps(items, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
