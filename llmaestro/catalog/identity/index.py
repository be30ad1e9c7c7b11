"""The canonical models by match key, and which one an offering's candidates name.

Every canonical model's own id is normalised like an offering's (:func:`~.normalise.normalise`)
and filed under its match key, the dated ones (`claude-sonnet-4-5-20250929`,
`gpt-4o-2024-08-06`) under (key, date) as well. :meth:`CanonicalIndex.resolve` then answers:

* an id naming a date whose snapshot has its own canonical entry that differs from the model
  in price (`snapshot_of` set, :func:`snapshot_links`) → that entry;
* an id naming a date otherwise → the model (`…-20250929` is Claude Sonnet 4.5);
* an id without a date, of a model known only by one dated entry → that entry;
* two canonical models of one key and no way to tell them apart → nothing (never a guess).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from llmaestro.catalog.identity.normalise import Candidate, normalise


@dataclass(frozen=True)
class Resolution:
    """The canonical model a candidate names, and how."""

    ref: str
    """`<lab>/<model>`."""
    candidate: Candidate
    """The candidate that named it."""

    @property
    def linked_by(self) -> str:
        return f"rule:{self.candidate.rule}"


@dataclass
class CanonicalIndex:
    """Canonical refs by match key."""

    undated: dict[str, list[str]] = field(default_factory=dict)
    dated: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    by_key: dict[str, list[str]] = field(default_factory=dict)
    """Every ref (dated or not) by match key."""
    distinct: set[str] = field(default_factory=set)
    """Dated refs that differ from their model (their `snapshot_of` is set)."""

    @classmethod
    def of(cls, refs: Iterable[str], distinct: Iterable[str] = ()) -> CanonicalIndex:
        index = cls(distinct=set(distinct))
        for ref in sorted(refs):
            index.add(ref)
        return index

    def add(self, ref: str) -> None:
        cand = normalise(ref.split("/", 1)[1])[0]
        self.by_key.setdefault(cand.key, []).append(ref)
        if cand.snapshot is None:
            self.undated.setdefault(cand.key, []).append(ref)
        else:
            self.dated.setdefault((cand.key, cand.snapshot), []).append(ref)

    def key_of(self, ref: str) -> str:
        return normalise(ref.split("/", 1)[1])[0].key

    def resolve(self, candidates: Iterable[Candidate], lab: str | None = None) -> Resolution | None:
        """The canonical model the first candidate that names one names; ``lab`` (a hub's
        org or a vendor prefix, when known) settles a key two labs share."""
        for cand in candidates:
            ref = self._one(cand, lab)
            if ref is not None:
                return Resolution(ref, cand)
        return None

    def _one(self, cand: Candidate, lab: str | None) -> str | None:
        if cand.snapshot is not None:
            same_day = _pick(self.dated.get((cand.key, cand.snapshot), []), lab)
            if same_day is not None and same_day in self.distinct:
                return same_day
            model = _pick(self.undated.get(cand.key, []), lab)
            return model or same_day
        model = _pick(self.undated.get(cand.key, []), lab)
        if model is not None:
            return model
        snapshots = [
            r for r in self.by_key.get(cand.key, []) if r not in self.undated.get(cand.key, [])
        ]
        return _pick(snapshots, lab)


def _pick(refs: list[str], lab: str | None) -> str | None:
    if len(refs) == 1:
        return refs[0]
    if lab is not None:
        mine = [r for r in refs if r.split("/", 1)[0] == lab]
        if len(mine) == 1:
            return mine[0]
    return None


def snapshot_links(canonical: Mapping[str, Any]) -> dict[str, tuple[str, bool]]:
    """dated ref -> (the undated model it is a snapshot of, whether it differs from it in
    price), for every dated canonical entry whose model is a canonical entry too."""
    index = CanonicalIndex.of(canonical)
    out: dict[str, tuple[str, bool]] = {}
    for (key, _day), refs in sorted(index.dated.items()):
        models = index.undated.get(key, [])
        for ref in refs:
            model = _pick(models, ref.split("/", 1)[0])
            if model is None:
                continue
            mine = canonical[ref].get("pricing")
            theirs = canonical[model].get("pricing")
            differs = mine is not None and theirs is not None and _prices(mine) != _prices(theirs)
            out[ref] = (model, differs)
    return out


def _prices(pricing: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in pricing.items() if k in ("input", "output", "cache_read")}
