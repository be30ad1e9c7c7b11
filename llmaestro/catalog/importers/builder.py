"""The :class:`Builder`: assembles a catalog from the sources and the hand-authored overlay.

The source modules (:mod:`~llmaestro.catalog.importers.models_dev`,
:mod:`~llmaestro.catalog.importers.litellm`) add drafts to it; it applies the hand-authored
facts, sanitizes every file, checks the references between files and compacts offerings onto
their canonical model (the order of precedence is in :mod:`~llmaestro.catalog.importers.merge`).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Callable, Iterable
from typing import Any

from llmaestro.catalog.importers.common import (
    MANUAL,
    Facts,
    ImportLog,
    SourceInfo,
    constant,
    copy_data,
    delete_path,
)
from llmaestro.catalog.importers.draft import Built, Draft
from llmaestro.catalog.importers.manual import Manual
from llmaestro.catalog.importers.merge import (
    compact,
    overlay_manual,
    resolve,
    restore_required,
    same,
)
from llmaestro.catalog.importers.provider_map import display_name
from llmaestro.catalog.importers.sanitize import UnusableFacts, sanitize
from llmaestro.catalog.importers.tier_notes import explainer
from llmaestro.catalog.importers.write import model_order
from llmaestro.catalog.model import OfferingFile, ProviderFile


class Builder:
    """Assembles a catalog from the sources and the hand-authored overlay."""

    def __init__(self, sources: list[SourceInfo], manual: Manual, today: dt.date) -> None:
        self.built = Built(sources, ImportLog())
        self.log = self.built.log
        self.manual = manual
        self.today = today
        self.by_name = {s.name: s for s in sources}
        #: (provider, casefolded model id) -> model id, for matching ids that differ in case
        self._folded: dict[tuple[str, str], str] = {}
        #: (provider, model, above_tokens) -> a tier a hand-checked note ended: the sanitizer
        #: removes it from the current prices, :func:`~.tier_notes.apply_tier_notes` dates it
        self.retired_tiers: dict[tuple[str, str, int], Any] = {}

    # -- provenance ----------------------------------------------------------------------------

    def provenance(self, names: Iterable[str]) -> list[Facts]:
        return [self.by_name[n].provenance() for n in names if n in self.by_name]

    def later_source(self, a: str, b: str) -> str:
        """The source with the later snapshot day (``a`` on a tie)."""
        da, db = self.by_name[a].checked, self.by_name[b].checked
        return b if db > da else a

    # -- drafts --------------------------------------------------------------------------------

    def add_draft(self, draft: Draft) -> None:
        key = (draft.provider, draft.model)
        self.built.offerings[key] = draft
        self._folded.setdefault((draft.provider, draft.model.casefold()), draft.model)

    def find(self, provider: str, model: str) -> Draft | None:
        found = self.built.offerings.get((provider, model))
        if found is not None:
            return found
        folded = self._folded.get((provider, model.casefold()))
        return self.built.offerings.get((provider, folded)) if folded else None

    def clean(
        self,
        facts: Facts,
        kind: Any,
        ids: dict[str, str],
        target: str,
        origin: Callable[[tuple[str | int, ...]], str],
        defer: tuple[str, ...] = (),
    ) -> Facts | None:
        """Sanitized facts, or None when they cannot be made valid. ``defer`` names rules
        checked only on the final merge (a fact another source may complete)."""
        try:
            return sanitize(
                facts,
                kind,
                ids,
                target=target,
                log=self.log,
                origin=origin,
                today=self.today,
                ignore=frozenset(defer),
                explain=explainer(
                    self.manual.tier_notes,
                    ids.get("provider"),
                    ids.get("model"),
                    self.retired_tiers,
                ),
            )
        except UnusableFacts as exc:
            self.log.change(target, "(file)", "", origin(()), f"not written: {exc}")
            return None

    # -- canonical models ----------------------------------------------------------------------

    def set_canonical(self, ref: str, facts: Facts, origin: str) -> None:
        lab, model = ref.split("/", 1)
        manual = self.manual.canonical.get(ref)
        if manual is not None:
            facts = overlay_manual(
                facts,
                manual,
                target=f"models/{ref}",
                log=self.log,
                manual_path=self.manual.files[f"models/{ref}"],
                imported_origin=constant(origin),
            )
        cleaned = self.clean(
            facts, "canonical", {"lab": lab, "model": model}, f"models/{ref}", constant(origin)
        )
        if cleaned is not None:
            self.built.canonical[ref] = cleaned

    def manual_only_canonical(self) -> None:
        for ref in self.manual.canonical:
            if ref not in self.built.canonical:
                self.set_canonical(ref, {}, self.manual.files[f"models/{ref}"])

    # -- offerings -----------------------------------------------------------------------------

    def apply_manual_offerings(self) -> None:
        for (pid, mid), manual in self.manual.offerings.items():
            path = self.manual.files[f"{pid}/{mid}"]
            own = {k: v for k, v in manual.items() if k not in ("base", "base_omit", "aliases")}
            base = manual.get("base")
            hand: Facts = own
            if isinstance(base, str) and base in self.built.canonical:
                hand = resolve(self.built.canonical[base], manual.get("base_omit") or (), own)
            draft = self.find(pid, mid)
            if draft is None:
                draft = Draft(pid, mid, {}, path, base if isinstance(base, str) else None)
                self.add_draft(draft)
            else:
                if draft.model != mid:
                    self.retarget(draft, mid)
                if isinstance(base, str):
                    draft.base = base
            draft.base_declared = draft.base_declared or isinstance(base, str)
            current = draft
            draft.facts = overlay_manual(
                draft.facts,
                hand,
                target=draft.target,
                log=self.log,
                manual_path=path,
                imported_origin=current.origin_of,
            )
            for p, _ in _leaf_paths(hand):
                draft.field_origin[p] = path
            draft.sources = [MANUAL, *[s for s in draft.sources if s != MANUAL]]
            for alias in manual.get("aliases") or ():
                other = self.built.offerings.get((pid, alias))
                if other is not None and other is not draft:
                    del self.built.offerings[(pid, alias)]
                    for src in other.sources or [other.origin]:
                        self.log.skip(
                            src, pid, alias, f"alias of `{mid}` (hand-authored aliases in {path})"
                        )
                if alias not in draft.aliases:
                    draft.aliases.append(alias)
            # hand-authored aliases come first, in their order
            hand_aliases = list(manual.get("aliases") or ())
            draft.aliases = hand_aliases + [a for a in draft.aliases if a not in hand_aliases]

    def retarget(self, draft: Draft, model: str) -> None:
        del self.built.offerings[(draft.provider, draft.model)]
        draft.model = model
        self.built.offerings[(draft.provider, model)] = draft

    def finish_offerings(self, provider_ids: Iterable[str]) -> None:
        """Sanitize every offering as resolved, check references, then compact the ones with
        a base."""
        for key in sorted(self.built.offerings):
            draft = self.built.offerings[key]
            facts = dict(draft.facts)
            facts["provenance"] = self._draft_provenance(draft, facts.get("provenance"))
            cleaned = self.clean(
                facts,
                "offering",
                {"provider": key[0], "model": key[1]},
                draft.target,
                draft.origin_of,
            )
            if cleaned is None:
                del self.built.offerings[key]
                for src in draft.sources:
                    self.log.skip(
                        src,
                        key[0],
                        key[1],
                        "breaks the catalog's rules beyond repair (see dropped values)",
                    )
                continue
            draft.facts = cleaned
        self._check_aliases()
        self._check_replacements(set(provider_ids) | {p for p, _ in self.built.offerings})
        for key, draft in sorted(self.built.offerings.items()):
            data = dict(draft.facts)
            if draft.aliases:
                data["aliases"] = list(draft.aliases)
            if draft.base and draft.base in self.built.canonical:
                own, omit = compact(self.built.canonical[draft.base], data)
                restore_required(own, data)
                if "provenance" in data:  # every file states its sources, even when inherited
                    own["provenance"] = data["provenance"]
                file: Facts = {"base": draft.base}
                if omit:
                    file["base_omit"] = omit
                file.update(own)
                assert same(resolve(self.built.canonical[draft.base], omit, own), data)
            else:
                file = data
            self.built.offering_files[key] = model_order(file, OfferingFile)

    def _check_replacements(self, providers: set[str]) -> None:
        """LM031, as the validator reads `replacement`."""
        ids: dict[str, set[str]] = {}
        for (pid, mid), draft in self.built.offerings.items():
            ids.setdefault(pid, set()).add(mid)
            ids[pid].update(draft.aliases)
        for (pid, _), draft in sorted(self.built.offerings.items()):
            life = draft.facts.get("lifecycle")
            target = life.get("replacement") if isinstance(life, dict) else None
            if not isinstance(target, str):
                continue
            if "/" in target and target.split("/", 1)[0] in providers:
                other, other_mid = target.split("/", 1)
                exists = other_mid in ids.get(other, set())
            else:
                exists = target in ids.get(pid, set())
            if not exists:
                path = ("lifecycle", "replacement")
                self.log.change(
                    draft.target,
                    "lifecycle.replacement",
                    target,
                    draft.origin_of(path),
                    "LM031 names no offering in the catalog",
                )
                delete_path(draft.facts, path)

    def _draft_provenance(self, draft: Draft, current: Any) -> list[Facts]:
        entries: list[Facts] = []
        if draft.sources and draft.sources[0] == MANUAL and isinstance(current, list):
            entries = [e for e in current if e.get("source") == MANUAL]
        for entry in self.provenance(s for s in draft.sources if s != MANUAL):
            if not any(same(entry, e) for e in entries):
                entries.append(entry)
        return entries

    def _check_aliases(self) -> None:
        for pid in sorted({p for p, _ in self.built.offerings}):
            ids = {m for p, m in self.built.offerings if p == pid}
            owner: dict[str, str] = {}
            for (p, mid), draft in sorted(self.built.offerings.items()):
                if p != pid:
                    continue
                kept: list[str] = []
                for alias in draft.aliases:
                    if alias in ids or alias == mid:
                        why = f"alias `{alias}` is the id of another offering"
                    elif alias in owner:
                        why = f"alias `{alias}` already belongs to `{owner[alias]}`"
                    elif alias in kept:
                        continue
                    else:
                        owner[alias] = mid
                        kept.append(alias)
                        continue
                    self.log.change(
                        draft.target,
                        "aliases",
                        alias,
                        draft.origin_of(("aliases",)),
                        f"LM032 {why}",
                    )
                draft.aliases = kept

    # -- providers -----------------------------------------------------------------------------

    def finish_providers(
        self, imported: dict[str, Facts], origins: dict[str, str], sources: dict[str, list[str]]
    ) -> None:
        wanted = set(imported) | {p for p, _ in self.built.offerings} | set(self.manual.providers)
        for pid in sorted(wanted):
            facts = copy_data(imported.get(pid) or {})
            names = sources.get(pid) or []
            if "name" not in facts:
                facts["name"] = display_name(pid)
            facts["provenance"] = self.provenance(names)
            origin = origins.get(pid, pid)
            manual = self.manual.providers.get(pid)
            if manual is not None:
                facts = overlay_manual(
                    facts,
                    manual,
                    target=pid,
                    log=self.log,
                    manual_path=self.manual.files[pid],
                    imported_origin=constant(origin),
                )
            self._check_rate_limits(pid, facts)
            cleaned = self.clean(facts, "provider", {"provider": pid}, pid, constant(origin))
            if cleaned is not None:
                self.built.providers[pid] = model_order(cleaned, ProviderFile)

    def _check_rate_limits(self, pid: str, facts: Facts) -> None:
        names = {m for p, m in self.built.offerings if p == pid}
        names |= {a for (p, _), d in self.built.offerings.items() if p == pid for a in d.aliases}
        kept = []
        for tier in facts.get("rate_limits") or ():
            patterns = tier.get("models")
            if patterns and not all(
                p in names or any(fnmatch.fnmatchcase(n, p) for n in names) for p in patterns
            ):
                self.log.change(
                    pid,
                    "rate_limits",
                    tier,
                    pid,
                    "LM038 a model of this tier is not in the catalog",
                )
                continue
            kept.append(tier)
        if kept:
            facts["rate_limits"] = kept
        else:
            facts.pop("rate_limits", None)


def _leaf_paths(data: Facts, prefix: tuple[str, ...] = ()) -> Iterable[tuple[tuple[str, ...], Any]]:
    for key, value in data.items():
        if isinstance(value, dict):
            yield from _leaf_paths(value, (*prefix, key))
        else:
            yield (*prefix, key), value
