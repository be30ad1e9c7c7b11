"""Merge the sources into one catalog and write it.

Order of precedence, per fact of one offering:

1. a hand-authored value (`data/manual/`) always wins;
2. a value that breaks a catalog rule is never kept (it becomes unknown, and is reported);
3. for prices, the source with the later snapshot date wins; for other facts models.dev (the
   primary source) wins; LiteLLM fills what models.dev does not say;
4. every disagreement is recorded in the import report.

Offerings that are a canonical model as a provider serves it (`base_model` in models.dev, or a
lab's own API serving the lab's model under the same id) are written as `base: <lab>/<model>`
plus only what differs, with `base_omit` for inherited facts the offering does not have.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from llmaestro.catalog.importers.common import (
    MANUAL,
    Facts,
    ImportLog,
    SourceInfo,
    constant,
    copy_data,
    deep_merge,
    delete_path,
    dotted,
    get_path,
)
from llmaestro.catalog.importers.manual import Manual
from llmaestro.catalog.importers.sanitize import UnusableFacts, as_model_input, sanitize
from llmaestro.catalog.model import CanonicalModelFile, OfferingFile, ProviderFile
from llmaestro.catalog.paths import encode_id, encode_segment
from llmaestro.catalog.tree import schema_comment_for
from llmaestro.catalog.writer import render, write_if_changed

Key = tuple[str, str]


@dataclass
class Draft:
    """One offering while the import builds it: resolved facts (nothing inherited left out)."""

    provider: str
    model: str
    facts: Facts
    origin: str
    """Where the facts come from by default (a models.dev path or a LiteLLM key)."""
    base: str | None = None
    sources: list[str] = field(default_factory=list)
    base_declared: bool = False
    """The source names the base (models.dev `base_model`); else it was found from the id."""
    field_origin: dict[tuple[str, ...], str] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    litellm_keys: list[str] = field(default_factory=list)

    @property
    def target(self) -> str:
        return f"{self.provider}/{self.model}"

    def origin_of(self, path: tuple[str | int, ...]) -> str:
        parts = tuple(str(p) for p in path)
        for n in range(len(parts), 0, -1):
            found = self.field_origin.get(parts[:n])
            if found is not None:
                return found
        return self.origin


@dataclass
class Built:
    """The merged catalog, ready to write."""

    sources: list[SourceInfo]
    log: ImportLog
    providers: dict[str, Facts] = field(default_factory=dict)
    canonical: dict[str, Facts] = field(default_factory=dict)
    offerings: dict[Key, Draft] = field(default_factory=dict)
    #: file data (what is written) of each offering, after compaction
    offering_files: dict[Key, Facts] = field(default_factory=dict)


# --- merging facts ---------------------------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    return bool(a == b)


def _is_tier_list(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(t, dict) and "above_tokens" in t for t in value
    )


def fill(
    into: Facts,
    other: Facts,
    *,
    prefer_other: Callable[[tuple[str, ...]], bool],
    on_conflict: Callable[[tuple[str, ...], Any, Any, bool], None],
    on_fill: Callable[[tuple[str, ...]], None],
    prefix: tuple[str, ...] = (),
) -> None:
    """Merge ``other`` into ``into`` leaf by leaf. Context-tier lists merge tier by tier
    (matched on `above_tokens`); other lists are one value."""
    for key, value in other.items():
        path = (*prefix, key)
        if key not in into:
            into[key] = copy_data(value)
            on_fill(path)
            continue
        mine = into[key]
        if isinstance(mine, dict) and isinstance(value, dict):
            fill(
                mine,
                value,
                prefer_other=prefer_other,
                on_conflict=on_conflict,
                on_fill=on_fill,
                prefix=path,
            )
        elif _is_tier_list(mine) and _is_tier_list(value):
            by_size = {t["above_tokens"]: t for t in mine}
            for tier in value:
                size = tier["above_tokens"]
                if size in by_size:
                    fill(
                        by_size[size],
                        tier,
                        prefer_other=prefer_other,
                        on_conflict=on_conflict,
                        on_fill=on_fill,
                        prefix=(*path, str(size)),
                    )
                else:
                    by_size[size] = copy_data(tier)
                    on_fill((*path, str(size)))
            into[key] = [by_size[s] for s in sorted(by_size)]
        elif not _same(mine, value):
            take = prefer_other(path)
            on_conflict(path, mine, value, take)
            if take:
                into[key] = copy_data(value)


def overlay_manual(
    imported: Facts,
    manual: Facts,
    *,
    target: str,
    log: ImportLog,
    manual_path: str,
    imported_origin: Callable[[tuple[str, ...]], str],
) -> Facts:
    """Hand-authored facts over imported ones; disagreements logged. Provenance lists and
    rate-limit lists are joined (hand-authored entries first), other lists replaced."""
    out = copy_data(imported)

    def walk(into: Facts, top: Facts, prefix: tuple[str, ...]) -> None:
        for key, value in top.items():
            path = (*prefix, key)
            if key in ("provenance", "rate_limits") and isinstance(into.get(key), list):
                joined = copy_data(value)
                for item in into[key]:
                    if not any(_same(item, x) for x in joined):
                        joined.append(item)
                into[key] = joined
            elif isinstance(value, dict) and isinstance(into.get(key), dict):
                walk(into[key], value, path)
            else:
                if key in into and not _same(into[key], value):
                    log.conflict(
                        target,
                        dotted(path),
                        MANUAL,
                        value,
                        imported_origin(path),
                        into[key],
                        "hand-authored value wins",
                    )
                into[key] = copy_data(value)

    walk(out, manual, ())
    del manual_path
    result: Facts = out
    return result


def compact(base: Facts, full: Facts, prefix: tuple[str, ...] = ()) -> tuple[Facts, list[str]]:
    """(own facts, base_omit paths) such that ``base`` minus the omitted paths, with ``own``
    merged over it, equals ``full``."""
    own: Facts = {}
    omit: list[str] = []
    for key, value in full.items():
        if key not in base:
            own[key] = value
        elif isinstance(value, dict) and isinstance(base[key], dict):
            sub_own, sub_omit = compact(base[key], value, (*prefix, key))
            if sub_own:
                own[key] = sub_own
            omit.extend(sub_omit)
        elif not _same(value, base[key]):
            own[key] = value
    for key in base:
        if key not in full and key != "id":
            omit.append(".".join((*prefix, key)))
    return own, omit


def _restore_required(own: Facts, full: Facts) -> None:
    """Put back required keys a compacted file lacks (e.g. `reasoning.supported`): a file is
    validated on its own before inheritance."""
    from pydantic import ValidationError

    for _ in range(20):
        try:
            OfferingFile.model_validate(as_model_input(own))
            return
        except ValidationError as exc:
            missing = [tuple(e["loc"]) for e in exc.errors() if e["type"] == "missing"]
            if not missing:
                raise
            for loc in missing:
                node: Any = own
                for part in loc[:-1]:
                    node = node[part]
                node[loc[-1]] = copy_data(get_path(full, tuple(loc)))


def resolve(base: Facts, omit: Iterable[str], own: Facts) -> Facts:
    """What the validator computes for `base:` + `base_omit:` + own facts."""
    inherited = {k: copy_data(v) for k, v in base.items() if k != "id"}
    for path in omit:
        delete_path(inherited, tuple(path.split(".")))
    return deep_merge(inherited, own)


# --- building --------------------------------------------------------------------------------


def model_order(data: Facts, model: Any) -> Facts:
    """``data`` validated by ``model`` and dumped back: keys in the model's order, no None."""
    obj = model.model_validate(as_model_input(data))
    dumped: Facts = _with_decimal_point(obj.model_dump(exclude_none=True))
    return dumped


def _with_decimal_point(value: Any) -> Any:
    """A whole-number Decimal (``10``) as ``10.0``: the YAML writer tags a Decimal that has no
    decimal point (``!!float '10'``), which the strict reader rejects; ``10.0`` reads back as
    the same price."""
    if isinstance(value, dict):
        return {k: _with_decimal_point(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_with_decimal_point(v) for v in value]
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= 0:
            return value.quantize(Decimal("0.1"))
    return value


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
                _restore_required(own, data)
                if "provenance" in data:  # every file states its sources, even when inherited
                    own["provenance"] = data["provenance"]
                file: Facts = {"base": draft.base}
                if omit:
                    file["base_omit"] = omit
                file.update(own)
                assert _same(resolve(self.built.canonical[draft.base], omit, own), data)
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
            if not any(_same(entry, e) for e in entries):
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
                from llmaestro.catalog.importers.provider_map import display_name

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
        import fnmatch

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


# --- writing ---------------------------------------------------------------------------------


def offering_path(root: Path, provider: str, model: str) -> Path:
    return root / "providers" / encode_segment(provider) / "models" / (encode_id(model) + ".yaml")


def canonical_path(root: Path, ref: str) -> Path:
    lab, model = ref.split("/", 1)
    return root / "models" / encode_segment(lab) / (encode_id(model) + ".yaml")


def provider_path(root: Path, provider: str) -> Path:
    return root / "providers" / encode_segment(provider) / "provider.yaml"


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


def write_catalog(built: Built, root: Path) -> WriteStats:
    """Write every file (only those whose text changed) and remove stale catalog YAML files."""
    stats = WriteStats()
    keep: set[Path] = set()

    def put(path: Path, data: Facts, kind: Any) -> None:
        text = render(data, schema_comment_for(path, root, kind))
        keep.add(path)
        if write_if_changed(path, text):
            stats.written += 1
        else:
            stats.unchanged += 1

    for pid, facts in sorted(built.providers.items()):
        put(provider_path(root, pid), facts, "provider")
    for ref, facts in sorted(built.canonical.items()):
        put(canonical_path(root, ref), model_order(facts, CanonicalModelFile), "canonical")
    for (pid, mid), facts in sorted(built.offering_files.items()):
        put(offering_path(root, pid, mid), facts, "offering")
    for folder in ("providers", "models"):
        top = root / folder
        if not top.is_dir():
            continue
        for dirpath, _dirs, files in os.walk(top, topdown=False):
            here = Path(dirpath)
            for name in files:
                path = here / name
                if path not in keep:
                    path.unlink()
                    stats.removed += 1
            if here != top and not any(here.iterdir()):
                here.rmdir()
    return stats
