"""Drift planning: compare what a detector observed with the catalog and plan minimal edits.

::

    plan = plan_drift(Path("catalog"), observation)       # compare; nothing written

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
  offerings as gone is refused (nothing is edited), and so is one that adds more than
  ``max_new_count`` offerings or (from ten on) more than ``max_new_share`` of the active
  ones; the edited files must pass validation on a staging copy of the catalog
  (:func:`~llmaestro.refresh.apply.validate_plan`), and a file that does not is held back
  (its edit dropped, reported); the catalog is untouched until then.

The file texts come from :mod:`llmaestro.refresh.editor` (ruamel round-trip edits that keep
comments, key order, quoting and blank lines; new files through the catalog writer).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from llmaestro.catalog.paths import encode_id, encode_segment
from llmaestro.catalog.price_precision import same_price
from llmaestro.catalog.tree import CatalogTree
from llmaestro.catalog.validate import validate_paths
from llmaestro.refresh.drift import (
    DEFAULT_MAX_NEW_COUNT,
    DEFAULT_MAX_NEW_SHARE,
    NEW_SHARE_FLOOR,
    DriftError,
    DriftPlan,
    FieldChange,
    FileEdit,
    GoneOffering,
    Guard,
    HeldBack,
    NewOffering,
    PriceChange,
)
from llmaestro.refresh.editor import edit_offering, new_offering_text
from llmaestro.refresh.observation import Observation, ObservedOffering, get_fact, split_path
from llmaestro.refresh.registry import DETECTORS
from llmaestro.registry.lifecycle import implied_status

__all__ = ["DEFAULT_MAX_GONE_SHARE", "DEFAULT_MAX_NEW_COUNT", "DEFAULT_MAX_NEW_SHARE", "plan_drift"]

DEFAULT_MAX_GONE_SHARE = 0.2
_INACTIVE = ("deprecated", "retired")


def plan_drift(
    root: Path | str,
    observation: Observation,
    *,
    today: dt.date | None = None,
    max_gone_share: float = DEFAULT_MAX_GONE_SHARE,
    max_new_share: float = DEFAULT_MAX_NEW_SHARE,
    max_new_count: int = DEFAULT_MAX_NEW_COUNT,
) -> DriftPlan:
    """Compare ``observation`` with the catalog at ``root``; the plan holds the changes and
    the edited file texts (nothing is written)."""
    root = Path(root)
    today = today or observation.fetched_at.astimezone(dt.UTC).date()
    plan = DriftPlan(
        observation.provider,
        root,
        observation,
        today,
        max_gone_share,
        max_new_share=max_new_share,
        max_new_count=max_new_count,
    )
    tree = CatalogTree(root)
    paths, resolved = _baseline(tree, plan)
    plan.catalog_count = len(paths)
    by_name = _names(paths, resolved)
    matched, unmatched = _match(observation.offerings, by_name)
    per_offering = _changes(plan, matched, resolved)
    if not _gone(plan, paths, resolved, matched):
        return plan
    groups = _group_new(unmatched, set(by_name))
    if not _new_guard(plan, paths, resolved, len(groups)):
        return plan
    _edit_existing(plan, paths, resolved, per_offering)
    _add_new(plan, tree, groups)
    return plan


# --- the steps ----------------------------------------------------------------------------------


def _baseline(tree: CatalogTree, plan: DriftPlan) -> tuple[dict[str, Path], dict[str, Any]]:
    """The provider's offering files by model id and their validated (resolved) data; a
    :class:`DriftError` when the catalog is invalid before any change."""
    pid = plan.provider
    provider_file = tree.provider_file(pid)
    if provider_file is None:
        raise DriftError(f"provider {pid!r} has no provider.yaml in {plan.root}")
    paths = tree.offerings(pid)
    baseline = validate_paths([provider_file, *paths.values()], today=plan.today)
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
    return paths, resolved


def _names(paths: Mapping[str, Path], resolved: Mapping[str, Any]) -> dict[str, str]:
    """Model id or alias → the catalog's model id."""
    by_name: dict[str, str] = {}
    for mid in paths:
        by_name[mid] = mid
    for mid, data in resolved.items():
        for alias in data.get("aliases") or ():
            by_name.setdefault(alias, mid)
    return by_name


def _match(
    offerings: Sequence[ObservedOffering], by_name: Mapping[str, str]
) -> tuple[dict[str, ObservedOffering], list[ObservedOffering]]:
    """(catalog model id → the listing entry naming it, the entries the catalog lacks)."""
    matched: dict[str, ObservedOffering] = {}
    unmatched: list[ObservedOffering] = []
    for o in offerings:
        hit = next((by_name[n] for n in (o.model_id, *o.aliases) if n in by_name), None)
        if hit is None:
            unmatched.append(o)
        elif hit not in matched or o.model_id == hit:
            matched[hit] = o
    return matched, unmatched


def _changes(
    plan: DriftPlan, matched: Mapping[str, ObservedOffering], resolved: Mapping[str, Any]
) -> dict[str, list[FieldChange]]:
    """The changed fields (and prices) into ``plan``; the changes of each offering."""
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
        _settle_status(plan, mid, current, per_offering)
    return per_offering


_LIFECYCLE_FACTS = ("lifecycle.status", "lifecycle.deprecation_date", "lifecycle.retirement_date")


def _dated_status(life: Mapping[str, Any], today: dt.date) -> str | None:
    return implied_status(
        life.get("status"), life.get("deprecation_date"), life.get("retirement_date"), today
    )


def _settle_status(
    plan: DriftPlan,
    mid: str,
    current: Mapping[str, Any],
    per_offering: dict[str, list[FieldChange]],
) -> None:
    """Where the listing changed a lifecycle fact of ``mid``, the status its dates imply on
    the plan's day (``deprecated`` from the deprecation date, ``retired`` from the retirement
    date) is written too, in place of a status the listing gave."""
    changes = per_offering.get(mid, [])
    lifecycle = [c for c in changes if c.path in _LIFECYCLE_FACTS]
    if not lifecycle:
        return
    life = dict(current.get("lifecycle") or {})
    life.update({c.path.split(".", 1)[1]: c.new for c in lifecycle})
    implied = _dated_status(life, plan.today)
    if implied is None or implied == life.get("status"):
        return
    for change in (c for c in lifecycle if c.path == "lifecycle.status"):
        changes.remove(change)
        plan.changes.remove(change)
    old = get_fact(current, "lifecycle.status")
    if old != implied:
        change = FieldChange(mid, "lifecycle.status", old, implied)
        plan.changes.append(change)
        changes.append(change)


def _gone(
    plan: DriftPlan,
    paths: Mapping[str, Path],
    resolved: Mapping[str, Any],
    matched: Mapping[str, ObservedOffering],
) -> bool:
    """The gone offerings into ``plan``, and the guard on their share (False: refused)."""
    observation, today, max_gone_share = plan.observation, plan.today, plan.max_gone_share
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
            return False
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
    return True


def _edit_existing(
    plan: DriftPlan,
    paths: Mapping[str, Path],
    resolved: Mapping[str, Any],
    per_offering: Mapping[str, list[FieldChange]],
) -> None:
    """The edits of the changed and gone offerings' files into ``plan`` (a file the editor
    cannot change line for line is held back)."""
    gone_by_id = {g.offering: g for g in plan.gone}
    for mid in sorted(set(per_offering) | set(gone_by_id)):
        file = paths[mid]
        rel = file.relative_to(plan.root).as_posix()
        text = file.read_text("utf-8")
        current = resolved.get(mid, {})
        try:
            after = edit_offering(
                text,
                current,
                per_offering.get(mid, []),
                gone_by_id.get(mid),
                plan.observation,
                plan.today,
            )
        except DriftError as exc:
            plan.held_back.append(HeldBack(mid, rel, str(exc)))
            continue
        if after != text:
            plan.edits[rel] = FileEdit(rel, mid, text, after)


def _new_guard(
    plan: DriftPlan, paths: Mapping[str, Path], resolved: Mapping[str, Any], count: int
) -> bool:
    """The guard on new offerings into ``plan`` (False: refused, nothing edited): more than
    ``max_new_count`` in one listing, or (from :data:`NEW_SHARE_FLOOR` on) more than
    ``max_new_share`` of the active offerings, is more likely a wrong endpoint, a listing
    of another provider or a hostile one than real additions."""
    active = sum(1 for mid in paths if _status(resolved.get(mid, {})) not in _INACTIVE)
    share = count / active if active else None
    shown = f"{share:.1%} of {active} active" if share is not None else "no active offerings"
    detail = (
        f"{count} new offering(s) in the listing ({shown}; limits {plan.max_new_count} and "
        f"{plan.max_new_share:.0%})"
    )
    too_many = count > plan.max_new_count
    too_large = share is not None and count > NEW_SHARE_FLOOR and share > plan.max_new_share
    if too_many or too_large:
        plan.refused = (
            f"refused: {detail}; a listing adding this many is more likely a wrong endpoint "
            "or a hostile listing than real additions (raise --max-new or --max-new-share "
            "to accept it)"
        )
        plan.guards.append(Guard("new offerings", False, detail))
        return False
    plan.guards.append(Guard("new offerings", True, detail))
    return True


def _add_new(
    plan: DriftPlan, tree: CatalogTree, groups: Sequence[tuple[ObservedOffering, tuple[str, ...]]]
) -> None:
    """The files of the listed models the catalog lacks into ``plan`` (one per model, its
    other names as aliases; one that is not a valid offering is held back)."""
    if not groups:
        return
    canonical = tree.canonical()
    lab = DETECTORS.get(plan.provider).lab if plan.provider in DETECTORS else None
    for o, aliases in groups:
        life = {k.split(".", 1)[1]: v for k, v in o.facts.items() if k in _LIFECYCLE_FACTS}
        implied = _dated_status(life, plan.today) if life else None
        if implied is not None and implied != life.get("status"):  # a date already past
            o = dataclasses.replace(o, facts={**o.facts, "lifecycle.status": implied})
        base = _base_for(o, lab, canonical)
        rel_path = f"providers/{encode_segment(plan.provider)}/models/{encode_id(o.model_id)}.yaml"
        try:
            text = new_offering_text(tree, rel_path, o, aliases, base, plan.observation, plan.today)
        except DriftError as exc:
            plan.held_back.append(HeldBack(o.model_id, rel_path, str(exc)))
            continue
        plan.new.append(NewOffering(o.model_id, rel_path, dict(o.facts), base, aliases))
        plan.edits[rel_path] = FileEdit(rel_path, o.model_id, None, text)


# --- comparing ----------------------------------------------------------------------------------


def _same(old: Any, new: Any) -> bool:
    if old is None or new is None:
        return old is new
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, int | Decimal | float) and isinstance(new, int | Decimal | float):
        a, b = Decimal(str(old)), Decimal(str(new))
        scale = max(abs(a), abs(b), Decimal("1e-12"))
        # a float artefact, or a difference below the source's precision, is no change
        if abs(a - b) <= scale * Decimal("1e-9"):
            return True
        return not (isinstance(old, int) and isinstance(new, int)) and same_price(a, b)
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


def _base_for(o: ObservedOffering, lab: str | None, canonical: Mapping[str, Path]) -> str | None:
    plain = o.model_id.split(":", 1)[0]
    candidates = [plain] if "/" in plain else []
    if lab is not None:
        candidates.append(f"{lab}/{plain}")
    return next((c for c in candidates if c in canonical), None)
