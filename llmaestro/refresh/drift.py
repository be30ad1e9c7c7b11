"""Drift: what a detector observed against what the catalog says, as minimal YAML edits.

::

    plan = plan_drift(Path("catalog"), observation)       # compare; nothing written
    validate_plan(plan)                                    # on a temporary copy
    applied = apply_plan(plan)                             # write (applied.rollback() undoes)
    body = render_report(plan, now=...)                    # the pull request body

Rules:

* Only fields the detector is authoritative for are corrected; fill-only fields are written
  where the catalog does not know them; every other (hand-authored) field is never touched.
* A listed model the catalog lacks becomes a new file (``$schema`` line, provenance
  ``detector:<provider>`` and the day); it inherits a canonical model of the same id when one
  exists.
* A changed price moves the old price set into ``pricing.history`` (``effective`` …
  ``until`` the day before) and gives the new one ``effective`` today.
* A catalog offering the listing no longer has is marked ``deprecated`` with the day it was
  last seen (the ``checked`` day of its ``detector:<provider>`` provenance, else today), or
  ``retired`` when its retirement date has passed; it is never deleted.
* Guards: a listing that would mark more than ``max_gone_share`` of the provider's active
  offerings as gone is refused (nothing is edited); the edited files must pass validation on
  a temporary copy of the catalog, and a file that does not is held back (its edit dropped,
  reported); the catalog is untouched until then.

Edits go through ruamel.yaml's round-trip mode, so comments, key order, quoting and blank
lines of the untouched parts survive. Where ruamel cannot reproduce a file byte for byte
(it re-renders 17-digit floats such as ``0.8299999999999999``), the edit is applied as a line
patch onto the original text, so only the lines the edit changes differ.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from llmaestro._atomic import write_text_atomic
from llmaestro.catalog.model import (
    Capabilities,
    HistoricPrice,
    Lifecycle,
    Limits,
    Modalities,
    OfferingFile,
    PriceSet,
    Pricing,
    Reasoning,
)
from llmaestro.catalog.paths import encode_id, encode_segment
from llmaestro.catalog.tree import CatalogTree, schema_comment_for
from llmaestro.catalog.validate import validate_paths
from llmaestro.catalog.writer import LEADING_KEYS, dump_roundtrip, load_roundtrip, render
from llmaestro.errors import LLMaestroError
from llmaestro.refresh.detectors.base import (
    MODALITY_ORDER,
    Observation,
    ObservedOffering,
    get_fact,
    set_fact,
    split_path,
    with_member,
)

__all__ = [
    "DEFAULT_MAX_GONE_SHARE",
    "AppliedEdits",
    "DriftError",
    "DriftPlan",
    "FieldChange",
    "FileEdit",
    "GoneOffering",
    "Guard",
    "HeldBack",
    "NewOffering",
    "PriceChange",
    "apply_plan",
    "plan_drift",
    "render_report",
    "validate_plan",
]

DEFAULT_MAX_GONE_SHARE = 0.2
PRICE_FIELDS: tuple[str, ...] = tuple(PriceSet.model_fields)
_DAY = dt.timedelta(days=1)
_INACTIVE = ("deprecated", "retired")

Category = Literal["price", "limit", "capability", "modality", "lifecycle", "other"]


class DriftError(LLMaestroError):
    """Drift cannot be computed or applied (an invalid catalog, an unknown provider, a file
    changed on disk meanwhile)."""


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


@dataclass
class DriftPlan:
    """Everything one comparison found, and the edits that apply it."""

    provider: str
    root: Path
    observation: Observation
    today: dt.date
    max_gone_share: float
    catalog_count: int = 0
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


# --- comparing ---------------------------------------------------------------------------------


def _same(old: Any, new: Any) -> bool:
    if old is None or new is None:
        return old is new
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, int | Decimal | float) and isinstance(new, int | Decimal | float):
        a, b = Decimal(str(old)), Decimal(str(new))
        scale = max(abs(a), abs(b), Decimal("1e-12"))
        return abs(a - b) <= scale * Decimal("1e-9")
    if isinstance(old, list | tuple) and isinstance(new, list | tuple):
        return set(old) == set(new) and len(set(old)) == len(old)
    return bool(old == new)


def _status(offering: Mapping[str, Any]) -> str | None:
    life = offering.get("lifecycle") or {}
    status = life.get("status")
    return status if isinstance(status, str) else None


def _last_seen(resolved: Mapping[str, Any], source: str, today: dt.date) -> tuple[dt.date, str]:
    checked = [
        s.get("checked")
        for s in (resolved.get("provenance") or ())
        if s.get("source") == source and isinstance(s.get("checked"), dt.date)
    ]
    if checked:
        return max(checked), f"last `{source}` check"
    return today, "not recorded; the first run that missed it"


def _group_new(
    unmatched: Sequence[ObservedOffering], taken: set[str]
) -> list[tuple[ObservedOffering, tuple[str, ...]]]:
    """Listing entries naming the same model through aliases, folded: (primary, aliases)."""
    groups: list[list[ObservedOffering]] = []
    names: list[set[str]] = []
    for o in unmatched:
        mine = {o.model_id, *o.aliases}
        hit = [i for i, ns in enumerate(names) if ns & mine]
        if not hit:
            groups.append([o])
            names.append(mine)
            continue
        first = hit[0]
        groups[first].append(o)
        names[first] |= mine
        for i in reversed(hit[1:]):
            groups[first].extend(groups.pop(i))
            names[first] |= names.pop(i)
    out = []
    for group, ns in zip(groups, names, strict=True):
        primary = next((o for o in group if not o.model_id.endswith("latest")), group[0])
        aliases = tuple(sorted(n for n in ns if n != primary.model_id and n not in taken))
        out.append((primary, aliases))
    return out


def plan_drift(
    root: Path | str,
    observation: Observation,
    *,
    today: dt.date | None = None,
    max_gone_share: float = DEFAULT_MAX_GONE_SHARE,
) -> DriftPlan:
    """Compare ``observation`` with the catalog at ``root``; the plan holds the changes and
    the edited file texts (nothing is written)."""
    root = Path(root)
    today = today or observation.fetched_at.astimezone(dt.UTC).date()
    pid = observation.provider
    plan = DriftPlan(pid, root, observation, today, max_gone_share)
    tree = CatalogTree(root)
    provider_file = tree.provider_file(pid)
    if provider_file is None:
        raise DriftError(f"provider {pid!r} has no provider.yaml in {root}")
    paths = tree.offerings(pid)
    baseline = validate_paths([provider_file, *paths.values()], today=today)
    if baseline.errors:
        shown = "; ".join(d.format() for d in baseline.errors[:3])
        raise DriftError(
            f"the catalog of {pid!r} is invalid before any change ({len(baseline.errors)} "
            f"errors; fix them first): {shown}"
        )
    resolved: dict[str, dict[str, Any]] = {
        mid: baseline.offerings[(pid, mid)].model_dump(exclude_none=True)
        for mid in paths
        if (pid, mid) in baseline.offerings
    }
    plan.catalog_count = len(paths)
    by_name: dict[str, str] = {}
    for mid in paths:
        by_name[mid] = mid
    for mid, data in resolved.items():
        for alias in data.get("aliases") or ():
            by_name.setdefault(alias, mid)

    matched: dict[str, ObservedOffering] = {}
    unmatched: list[ObservedOffering] = []
    for o in observation.offerings:
        hit = next((by_name[n] for n in (o.model_id, *o.aliases) if n in by_name), None)
        if hit is None:
            unmatched.append(o)
        elif hit not in matched or o.model_id == hit:
            matched[hit] = o

    # changed fields
    per_offering: dict[str, list[FieldChange]] = {}
    for mid, o in matched.items():
        current = resolved.get(mid, {})
        for path, value in o.facts.items():
            fill = path in o.fill_only
            if not (fill or path in o.authoritative):
                continue
            old = get_fact(current, path)
            if fill and old is not None:
                continue
            _, member = split_path(path)
            if member is not None and old is None and not value:
                continue
            if _same(old, value):
                continue
            change = FieldChange(mid, path, old, value)
            plan.changes.append(change)
            per_offering.setdefault(mid, []).append(change)
            if change.category == "price" and old is not None and value is not None:
                plan.prices.append(PriceChange(mid, path.split(".", 1)[1], old, value))

    # gone offerings, and the guard on their share
    active = [mid for mid in paths if _status(resolved.get(mid, {})) not in _INACTIVE]
    gone_ids: list[str] = []
    if observation.complete_listing:
        gone_ids = [mid for mid in active if mid not in matched]
        share = len(gone_ids) / len(active) if active else 0.0
        detail = (
            f"{len(gone_ids)} of {len(active)} active offerings missing from the listing "
            f"({share:.1%}; limit {max_gone_share:.0%})"
        )
        if share > max_gone_share:
            plan.refused = (
                f"refused: the listing would mark {detail}; a listing this incomplete is more "
                "likely a wrong key, region or endpoint than real removals"
            )
            plan.guards.append(Guard("gone share", False, detail))
            return plan
        plan.guards.append(Guard("gone share", True, detail))
    else:
        plan.guards.append(
            Guard("gone share", True, "not applicable: this listing is not exhaustive")
        )
    for mid in gone_ids:
        current = resolved.get(mid, {})
        seen, basis = _last_seen(current, observation.source, today)
        retirement = (current.get("lifecycle") or {}).get("retirement_date")
        action: Literal["deprecated", "retired"] = (
            "retired" if retirement is not None and retirement <= today else "deprecated"
        )
        plan.gone.append(GoneOffering(mid, seen, basis, action))

    # edits of existing files
    gone_by_id = {g.offering: g for g in plan.gone}
    for mid in sorted(set(per_offering) | set(gone_by_id)):
        file = paths[mid]
        rel = file.relative_to(root).as_posix()
        text = file.read_text("utf-8")
        current = resolved.get(mid, {})
        try:
            after = _edit_file(text, current, per_offering.get(mid, []), gone_by_id.get(mid), plan)
        except DriftError as exc:
            plan.held_back.append(HeldBack(mid, rel, str(exc)))
            continue
        if after != text:
            plan.edits[rel] = FileEdit(rel, mid, text, after)

    # new offerings
    canonical = tree.canonical()
    taken = set(by_name)
    for o, aliases in _group_new(unmatched, taken):
        new = _new_offering(plan, tree, canonical, o, aliases)
        if new is None:
            continue
        offering, text = new
        plan.new.append(offering)
        plan.edits[offering.file] = FileEdit(offering.file, o.model_id, None, text)
    return plan


def _edit_file(
    text: str,
    current: Mapping[str, Any],
    changes: Sequence[FieldChange],
    gone: GoneOffering | None,
    plan: DriftPlan,
) -> str:
    """The new text of one offering file: prices (with history), other facts, the gone
    marking and the provenance stamp."""
    observation, today = plan.observation, plan.today
    editor = _Editor(text)
    prices = {
        c.path.split(".", 1)[1]: c.new for c in changes if c.category == "price" and not c.added
    }
    if prices:
        known = dict(current)
        for change in changes:  # a release date this run fills in dates the old prices
            if change.path == "lifecycle.release_date" and change.added:
                known["lifecycle"] = {
                    **(current.get("lifecycle") or {}),
                    "release_date": change.new,
                }
        editor.apply_prices(known, prices, today, observation)
    for change in changes:
        if change.category == "price" and not change.added:
            continue
        editor.set_fact(change.path, change.new, current)
    if gone is not None:
        editor.mark_gone(current, gone, today)
    editor.stamp(current, observation, today, pricing=bool(prices))
    return editor.render()


def _base_for(o: ObservedOffering, lab: str | None, canonical: Mapping[str, Path]) -> str | None:
    plain = o.model_id.split(":", 1)[0]
    candidates = [plain] if "/" in plain else []
    if lab is not None:
        candidates.append(f"{lab}/{plain}")
    return next((c for c in candidates if c in canonical), None)


def _new_offering(
    plan: DriftPlan,
    tree: CatalogTree,
    canonical: Mapping[str, Path],
    o: ObservedOffering,
    aliases: tuple[str, ...],
) -> tuple[NewOffering, str] | None:
    from llmaestro.refresh.registry import DETECTORS

    lab = None
    if plan.provider in DETECTORS:
        lab = DETECTORS.get(plan.provider).lab
    base = _base_for(o, lab, canonical)
    data: dict[str, Any] = {}
    if base is not None:
        data["base"] = base
    if aliases:
        data["aliases"] = aliases
    for path, value in o.facts.items():
        set_fact(data, path, value)
    if base is not None:
        data.pop("kind", None)  # a guess; the canonical model knows
    elif "kind" not in data:
        data["kind"] = "chat"
    data["provenance"] = [_source(plan.observation, plan.today)]
    rel_path = f"providers/{encode_segment(plan.provider)}/models/{encode_id(o.model_id)}.yaml"
    file = tree.root / rel_path
    try:
        model = OfferingFile.model_validate(_tuples(data))
        model = OfferingFile.model_validate(_tuples(_freshen(model.model_dump(exclude_none=True))))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        plan.held_back.append(
            HeldBack(o.model_id, rel_path, f"not a valid offering: {where}: {first['msg']}")
        )
        return None
    text = render(model, schema_comment_for(file, tree.root, "offering"))
    return NewOffering(o.model_id, rel_path, dict(o.facts), base, aliases), text


def _freshen(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _freshen(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_freshen(v) for v in value]
    return _fresh(value)


def _tuples(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _tuples(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return tuple(_tuples(v) for v in value)
    return value


def _source(observation: Observation, today: dt.date) -> dict[str, Any]:
    return {"source": observation.source, "url": observation.url, "checked": today}


# --- editing a file ------------------------------------------------------------------------------


def _order_of(model: type[BaseModel]) -> list[str]:
    names = list(model.model_fields)
    rank = {key: i for i, key in enumerate(LEADING_KEYS)}
    return sorted(
        names,
        key=lambda k: (k == "provenance", rank.get(k, len(rank)), names.index(k)),
    )


_ORDERS: dict[tuple[str, ...], list[str]] = {
    (): _order_of(OfferingFile),
    ("limits",): _order_of(Limits),
    ("modalities",): _order_of(Modalities),
    ("capabilities",): _order_of(Capabilities),
    ("capabilities", "reasoning"): _order_of(Reasoning),
    ("lifecycle",): _order_of(Lifecycle),
    ("pricing",): _order_of(Pricing),
}
_HISTORY_ORDER = _order_of(HistoricPrice)


def _fresh(value: Any) -> Any:
    """A new object equal to ``value`` for dates and decimals: ruamel writes an object that
    occurs twice in a document as an anchor and an alias, which the catalog forbids."""
    if isinstance(value, dt.date):
        return dt.date.fromordinal(value.toordinal())
    if isinstance(value, Decimal):
        return Decimal(str(value))
    return value


def _node(value: Any, order: Sequence[str] | None = None) -> Any:
    """A ruamel node for a new value: mappings in schema order, lists of scalars in flow
    style (as the writer renders new files); dates and decimals are fresh objects."""
    if isinstance(value, Mapping):
        keys = list(value)
        if order is not None:
            rank = {k: i for i, k in enumerate(order)}
            given = {k: i for i, k in enumerate(keys)}
            keys.sort(key=lambda k: (rank.get(k, len(rank)), given[k]))
        out = CommentedMap()
        for key in keys:
            if value[key] is not None:
                out[key] = _node(value[key])
        return out
    if isinstance(value, list | tuple):
        seq = CommentedSeq(_node(v) for v in value)
        if all(isinstance(v, str | int | Decimal) for v in value):
            seq.fa.set_flow_style()
        return seq
    return _fresh(value)


def _insert(node: CommentedMap, key: str, value: Any, order: Sequence[str]) -> None:
    if key in node:
        node[key] = value
        return
    rank = {k: i for i, k in enumerate(order)}
    mine = rank.get(key, len(rank))
    position = len(node)
    for i, existing in enumerate(node):
        if rank.get(existing, len(rank)) > mine:
            position = i
            break
    node.insert(position, key, value)


def _three_way(original: str, before: str, after: str) -> str:
    """Apply the edit ``before`` → ``after`` (ruamel renderings) onto ``original`` line by
    line, so lines ruamel would re-render differently stay as they were."""
    if before == original:
        return after
    old_lines = original.splitlines(keepends=True)
    base_lines = before.splitlines(keepends=True)
    if len(old_lines) != len(base_lines):
        raise DriftError("the file's YAML does not round-trip line for line; edit it by hand")
    new_lines = after.splitlines(keepends=True)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=base_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        out.extend(old_lines[i1:i2] if tag == "equal" else new_lines[j1:j2])
    return "".join(out)


class _Editor:
    """Minimal edits of one offering file through ruamel's round-trip mode."""

    def __init__(self, text: str) -> None:
        self.original = text
        self.doc = load_roundtrip(text)
        if not isinstance(self.doc, CommentedMap):
            raise DriftError("an offering file must hold a mapping")
        self.before = dump_roundtrip(self.doc)

    def render(self) -> str:
        return _three_way(self.original, self.before, dump_roundtrip(self.doc))

    def _map(self, parts: Sequence[str]) -> CommentedMap:
        node = self.doc
        for depth, key in enumerate(parts):
            child = node.get(key)
            if not isinstance(child, CommentedMap):
                child = CommentedMap()
                _insert(node, key, child, _ORDERS.get(tuple(parts[:depth]), []))
            node = child
        result: CommentedMap = node
        return result

    def set(self, parts: Sequence[str], value: Any) -> None:
        parent = self._map(parts[:-1])
        order = _ORDERS.get(tuple(parts[:-1]), [])
        _insert(parent, parts[-1], _node(value), order)

    def set_fact(self, path: str, value: Any, current: Mapping[str, Any]) -> None:
        parts, member = split_path(path)
        if member is not None:
            listed = get_fact(current, ".".join(parts))
            value = with_member(listed, member, bool(value))
            if value is None:
                return
        elif isinstance(value, tuple | list) and parts[0] == "modalities":
            order = {m: i for i, m in enumerate(MODALITY_ORDER)}
            value = sorted(value, key=lambda m: order.get(m, len(order)))
        self.set(parts, value)
        if parts[:2] == ["capabilities", "reasoning"] and len(parts) > 2:
            # a reasoning mapping written here needs its required `supported`
            node = self._map(["capabilities", "reasoning"])
            if "supported" not in node:
                known = get_fact(current, "capabilities.reasoning.supported")
                self.set(["capabilities", "reasoning", "supported"], known is not False)

    def apply_prices(
        self,
        current: Mapping[str, Any],
        prices: Mapping[str, Decimal],
        today: dt.date,
        observation: Observation,
    ) -> None:
        pricing: Mapping[str, Any] = current.get("pricing") or {}
        old = {k: pricing[k] for k in PRICE_FIELDS if pricing.get(k) is not None}
        history: list[Mapping[str, Any]] = list(pricing.get("history") or ())
        until = today - _DAY
        start: dt.date = pricing.get("effective") or _fallback_start(current, until)
        if history:
            previous = history[0]
            last: dt.date = previous.get("until") or previous["effective"]
            start = max(start, last + _DAY)
        start = min(start, until)
        if old and start <= until and (not history or start > history[0]["effective"]):
            entry = {"effective": start, "until": until, **old}
            node = self._map(["pricing"])
            existing = node.get("history")
            if isinstance(existing, CommentedSeq):
                existing.insert(0, _node(entry, _HISTORY_ORDER))
            else:
                rows = [entry, *history]
                seq = CommentedSeq(_node(dict(r), _HISTORY_ORDER) for r in rows)
                _insert(node, "history", seq, _ORDERS[("pricing",)])
            self.set(["pricing", "effective"], today)
        for name, value in prices.items():
            self.set(["pricing", name], value)

    def mark_gone(self, current: Mapping[str, Any], gone: GoneOffering, today: dt.date) -> None:
        life: Mapping[str, Any] = current.get("lifecycle") or {}
        self.set(["lifecycle", "status"], gone.action)
        if gone.action == "deprecated" and life.get("deprecation_date") is None:
            day = gone.last_seen
            retirement = life.get("retirement_date")
            if retirement is not None and day > retirement:
                day = retirement
            self.set(["lifecycle", "deprecation_date"], day)

    def stamp(
        self,
        current: Mapping[str, Any],
        observation: Observation,
        today: dt.date,
        *,
        pricing: bool,
    ) -> None:
        """Record the check in ``provenance`` (and ``pricing.provenance`` for prices)."""
        self._stamp([], current.get("provenance"), observation, today)
        if pricing:
            inherited = (current.get("pricing") or {}).get("provenance")
            self._stamp(["pricing"], inherited, observation, today)

    def _stamp(
        self,
        parts: list[str],
        inherited: Iterable[Mapping[str, Any]] | None,
        observation: Observation,
        today: dt.date,
    ) -> None:
        node = self._map(parts)
        entry = _source(observation, today)
        existing = node.get("provenance")
        if isinstance(existing, CommentedSeq):
            for item in existing:
                if isinstance(item, CommentedMap) and item.get("source") == observation.source:
                    item["url"] = observation.url
                    item["checked"] = _fresh(today)
                    return
            existing.append(_node(entry))
            return
        rows = [dict(s) for s in inherited or () if s.get("source") != observation.source]
        seq = CommentedSeq(_node(r) for r in [*rows, entry])
        _insert(node, "provenance", seq, _ORDERS.get(tuple(parts), []))


def _fallback_start(current: Mapping[str, Any], until: dt.date) -> dt.date:
    """When the old prices took effect, where the catalog does not say: the release date,
    else the latest day they were checked, else the day before the change."""
    life = current.get("lifecycle") or {}
    release = life.get("release_date")
    if isinstance(release, dt.date):
        return release
    checked = [
        s.get("checked")
        for s in [
            *((current.get("pricing") or {}).get("provenance") or ()),
            *(current.get("provenance") or ()),
        ]
        if isinstance(s.get("checked"), dt.date)
    ]
    return max(checked) if checked else until


# --- validating and applying ---------------------------------------------------------------


def validate_plan(plan: DriftPlan) -> DriftPlan:
    """Check the edited files on a temporary copy of the catalog. A file with errors is held
    back (its edit dropped and reported); errors no file of the plan explains drop every
    edit (``plan.refused``). The real catalog is not touched."""
    if not plan.edits or plan.refused:
        plan.validated = True
        return plan
    with tempfile.TemporaryDirectory(prefix="llmaestro-drift-") as tmp:
        stage = Path(tmp) / plan.root.name
        shutil.copytree(plan.root, stage, symlinks=True)
        schemas = plan.root.parent / "schemas"
        if schemas.is_dir():
            shutil.copytree(schemas, Path(tmp) / "schemas", symlinks=True)
        pending = dict(plan.edits)
        for edit in pending.values():
            target = stage / edit.file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(edit.after, "utf-8")
        for _ in range(len(pending) + 1):
            if not pending:
                break
            result = validate_paths([stage / rel for rel in pending], today=plan.today)
            if not result.errors:
                break
            prefix = str(stage).rstrip("/") + "/"
            failing: dict[str, list[str]] = {}
            stray: list[str] = []
            for diag in result.errors:
                rel = diag.path[len(prefix) :] if diag.path.startswith(prefix) else diag.path
                if rel in pending:
                    failing.setdefault(rel, []).append(diag.format().replace(prefix, ""))
                else:
                    stray.append(diag.format().replace(prefix, ""))
            if not failing:
                plan.refused = "refused: the edits break validation elsewhere: " + "; ".join(
                    stray[:3]
                )
                plan.guards.append(Guard("validation", False, plan.refused))
                plan.edits = {}
                plan.validated = True
                return plan
            for rel, messages in failing.items():
                edit = pending.pop(rel)
                plan.held_back.append(HeldBack(edit.offering, rel, "; ".join(messages[:3])))
                target = stage / rel
                if edit.before is None:
                    target.unlink()
                else:
                    target.write_text(edit.before, "utf-8")
        plan.edits = pending
    count = len(plan.edits)
    detail = f"{count} changed file(s) pass validation on a copy of the catalog"
    if plan.held_back:
        detail += f"; {len(plan.held_back)} held back (see below)"
    plan.guards.append(Guard("validation", True, detail))
    plan.validated = True
    return plan


@dataclass
class AppliedEdits:
    """Files written by :func:`apply_plan`; :meth:`rollback` restores them."""

    root: Path
    originals: dict[Path, str | None] = field(default_factory=dict)
    created_dirs: list[Path] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        return list(self.originals)

    def rollback(self) -> None:
        for path, text in self.originals.items():
            if text is None:
                path.unlink(missing_ok=True)
            else:
                write_text_atomic(path, text)
        for folder in reversed(self.created_dirs):
            with contextlib.suppress(OSError):
                folder.rmdir()
        self.originals.clear()
        self.created_dirs.clear()


def apply_plan(plan: DriftPlan) -> AppliedEdits:
    """Write the validated edits to the catalog (atomically, file by file); on any failure
    every file written so far is restored before the error propagates. Refuses a plan that
    was not validated, and a file whose text changed on disk since the plan was made."""
    if not plan.validated:
        raise DriftError("validate_plan() must run before apply_plan()")
    applied = AppliedEdits(plan.root)
    try:
        for edit in plan.edits.values():
            path = plan.root / edit.file
            current = path.read_text("utf-8") if path.exists() else None
            if current != edit.before:
                raise DriftError(f"{edit.file} changed on disk since the comparison; run again")
            missing = []
            folder = path.parent
            while not folder.exists():
                missing.append(folder)
                folder = folder.parent
            path.parent.mkdir(parents=True, exist_ok=True)
            applied.created_dirs.extend(reversed(missing))
            applied.originals[path] = current
            write_text_atomic(path, edit.after)
    except BaseException:
        applied.rollback()
        raise
    return applied


# --- the report ----------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("|", "\\|")


def _pct(change: PriceChange) -> str:
    pct = change.percent
    return "new" if pct is None else f"{pct:+.1f} %"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render_report(
    plan: DriftPlan, *, now: dt.datetime | None = None, title: str | None = None
) -> str:
    """The Markdown report (the pull request body): prices with old, new and %, new and gone
    offerings, limit, capability and lifecycle changes, the guards, the source and time."""
    now = now or dt.datetime.now(dt.UTC)
    obs = plan.observation
    kept = set(plan.edits)
    applied = {e.offering for e in plan.edits.values()}
    out = [f"## {title or f'Catalog refresh: `{plan.provider}`'}", ""]
    out.append(
        f"Source: the `{obs.detector}` detector read <{obs.url}> at "
        f"{obs.fetched_at.astimezone(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}: "
        f"{len(obs.offerings)} models listed"
        + (", capabilities probed with live requests" if obs.probed else "")
        + f"; the catalog has {plan.catalog_count} offerings of `{plan.provider}`."
    )
    out.append(f"Report generated {now.astimezone(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}.")
    out.append("")
    if plan.refused:
        out += [f"**Nothing was changed.** {plan.refused}", ""]
    changes = [c for c in plan.changes if c.offering in applied]
    prices = [p for p in plan.prices if p.offering in applied]
    new = [n for n in plan.new if n.file in kept]
    gone = [g for g in plan.gone if g.offering in applied]
    limits = [c for c in changes if c.category == "limit"]
    caps = [c for c in changes if c.category in ("capability", "modality")]
    life = [c for c in changes if c.category == "lifecycle"]
    other = [c for c in changes if c.category == "other" or (c.category == "price" and c.added)]
    summary = [
        f"{len(prices)} price change(s)",
        f"{len(new)} new offering(s)",
        f"{len(gone)} gone",
        f"{len(limits)} limit change(s)",
        f"{len(caps)} capability or modality change(s)",
        f"{len(life)} lifecycle change(s)",
        f"{len(plan.edits)} file(s) changed",
    ]
    out += ["**Summary:** " + ", ".join(summary) + ".", ""]
    if prices:
        out += ["### Price changes (USD per 1M tokens unless noted)", ""]
        out += _table(
            ["Offering", "Price", "Old", "New", "Change"],
            (
                [f"`{p.offering}`", p.field, _cell(p.old), _cell(p.new), _pct(p)]
                for p in sorted(prices, key=lambda p: (p.offering, p.field))
            ),
        )
        out += ["", "Old prices move to `pricing.history` with `until` yesterday.", ""]
    if new:
        out += ["### New offerings", ""]
        out += _table(
            ["Offering", "Name", "Kind", "Context", "Input", "Output", "Base"],
            (
                [
                    f"`{n.offering}`",
                    _cell(n.facts.get("name")),
                    _cell(n.facts.get("kind")),
                    _cell(n.facts.get("limits.context") or n.facts.get("limits.max_input")),
                    _cell(n.facts.get("pricing.input")),
                    _cell(n.facts.get("pricing.output")),
                    f"`{n.base}`" if n.base else "—",
                ]
                for n in new
            ),
        )
        out.append("")
    if gone:
        out += ["### Gone offerings", ""]
        out += _table(
            ["Offering", "Last seen", "Basis", "Marked"],
            ([f"`{g.offering}`", g.last_seen.isoformat(), g.basis, g.action] for g in gone),
        )
        out += ["", "Gone offerings are marked, never deleted.", ""]
    for heading, rows in (
        ("Limit changes", limits),
        ("Capability and modality changes", caps),
        ("Lifecycle changes", life),
        ("Other facts filled in", other),
    ):
        if rows:
            out += [f"### {heading}", ""]
            out += _table(
                ["Offering", "Field", "Old", "New"],
                (
                    [f"`{c.offering}`", f"`{c.path}`", _cell(c.old), _cell(c.new)]
                    for c in sorted(rows, key=lambda c: (c.offering, c.path))
                ),
            )
            out.append("")
    out += ["### Guards", ""]
    out.append(f"- ✅ fetch: complete listing, {len(obs.offerings)} models")
    for guard in plan.guards:
        out.append(f"- {'✅' if guard.ok else '⛔'} {guard.name}: {guard.detail}")
    for held in plan.held_back:
        out.append(f"- ⚠️ held back `{held.file}` ({held.offering}): {_cell(held.reason)}")
    out.append("")
    if obs.notes:
        out += [
            f"<details><summary>{len(obs.notes)} listing entries skipped</summary>",
            "",
            *(f"- {_cell(note)}" for note in obs.notes),
            "",
            "</details>",
            "",
        ]
    out.append(
        f"<!-- llmaestro-refresh provider={plan.provider} fingerprint={plan.fingerprint()} -->"
    )
    return "\n".join(out) + "\n"
