"""Link every offering to its canonical model: :func:`link_offerings`.

In order of trust, an offering keeps:

1. a hand-checked link (`data/manual/`: ``linked_by: manual``);
2. a source's own link (models.dev ``base_model``: ``source``), unless the offering's id names
   another canonical model by the rules (`databricks-claude-sonnet-4` declared Sonnet 4.5):
   then the link is corrected, the facts inherited from the wrong model dropped, and the
   correction logged (``base`` … ``corrected``, in IMPORT_REPORT.md's value changes);
3. the canonical model whose id it is (``id``);
4. the canonical model its id names by the rule table (``rule:<name>``), new canonical models
   made first for the models several providers sell (:mod:`~.families`).

A linked offering that lacks a model fact its canonical model has (its context window, its
modalities...: :data:`INHERITED`) takes it (inheritance, compacted back to ``base:`` when the
catalog is written). Chat offerings left unlinked are listed with the reason
(``Built.unlinked``); dated canonical entries of a canonical model get ``snapshot_of``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from llmaestro.catalog.identity.data import get_path, set_path
from llmaestro.catalog.identity.families import CONSENSUS_PATHS, Group, consensus_facts, groups_of
from llmaestro.catalog.identity.index import CanonicalIndex, Resolution, snapshot_links
from llmaestro.catalog.identity.normalise import Candidate, normalise
from llmaestro.catalog.identity.reasons import unlinked_reason
from llmaestro.catalog.identity.rules import lab_of

TYPE_CHECKING = False
if TYPE_CHECKING:  # the importers call this package: no import back at run time
    from llmaestro.catalog.importers.builder import Builder
    from llmaestro.catalog.importers.common import Facts
    from llmaestro.catalog.importers.draft import Draft

#: The model facts an offering linked by id or rule takes from its canonical model when it
#: lacks them: those a canonical model made from offerings holds, and the tokenizer (not
#: prices, dates of a seller or capabilities a seller may switch off).
INHERITED: tuple[tuple[str, ...], ...] = (*CONSENSUS_PATHS, ("tokenizer",))
#: The facts a wrong source link brought in (dropped where they equal the wrong model's).
_WRONGLY_INHERITED = (*INHERITED, ("limits", "max_input"), ("lifecycle", "last_updated"))


def link_offerings(builder: Builder) -> None:
    """Create the canonical models the sources lack and link every offering it can."""
    built = builder.built
    links = snapshot_links(built.canonical)
    for ref, (model, _differs) in links.items():
        built.canonical[ref]["snapshot_of"] = model
    index = CanonicalIndex.of(built.canonical, (r for r, (_, d) in links.items() if d))
    pending: list[tuple[Draft, tuple[Candidate, ...]]] = []
    for key, draft in sorted(built.offerings.items()):
        cands = normalise(draft.model)
        manual = builder.manual.offerings.get(key) or {}
        if isinstance(manual.get("base"), str) and draft.base == manual["base"]:
            _mark(draft, "manual", cands)
        elif draft.base and draft.base_declared:
            _check_declared(builder, index, draft, cands)
        elif draft.base:
            _mark(draft, "id", cands)
            _inherit(draft, built.canonical)
        else:
            found = index.resolve(cands, lab_of(cands[-1].model))
            if found is None:
                pending.append((draft, cands))
            else:
                _link(draft, found, built.canonical)
    made = _new_models(builder, index, pending)
    sellers = _group_sizes(pending)
    known = {k: refs[0] for k, refs in index.by_key.items()}
    for draft, cands in pending:
        found = index.resolve(cands, lab_of(cands[-1].model))
        if found is not None and found.ref in made:
            _link(draft, found, built.canonical)
        elif draft.facts.get("kind") in ("chat", None):
            built.unlinked[(draft.provider, draft.model)] = unlinked_reason(
                draft, cands[0], sellers, known
            )
    built.made_canonical = sorted(made)
    builder.log.counts[("identity", "canonical models made from offerings")] = len(made)


def _group_sizes(pending: list[tuple[Draft, tuple[Candidate, ...]]]) -> dict[str, int]:
    sizes: dict[str, set[str]] = {}
    for draft, cands in pending:
        sizes.setdefault(cands[0].key, set()).add(draft.provider)
    return {k: len(v) for k, v in sizes.items()}


def _mark(draft: Draft, how: str, cands: tuple[Candidate, ...]) -> None:
    """Say how a kept link was made, and the variants of the candidate that names its base
    (the id's own tags, `:free`, `-fp8`..., when none does)."""
    draft.facts["linked_by"] = how
    base_key = normalise((draft.base or "/").split("/", 1)[1])[0].key
    named = next((c for c in cands if c.key == base_key), cands[0])
    if named.variants:
        draft.facts.setdefault("variants", list(named.variants))


def _link(draft: Draft, found: Resolution, canonical: dict[str, Facts]) -> None:
    draft.base = found.ref
    exact = not found.candidate.rules and draft.model == found.ref.split("/", 1)[1]
    draft.facts["linked_by"] = "id" if exact else found.linked_by
    if found.candidate.variants:
        draft.facts["variants"] = list(found.candidate.variants)
    _inherit(draft, canonical)


def _inherit(draft: Draft, canonical: dict[str, Facts]) -> None:
    """Fill the :data:`INHERITED` facts the offering lacks from its canonical model."""
    base = canonical.get(draft.base or "")
    if base is None:
        return
    for path in INHERITED:
        value = get_path(base, path)
        if value is None or get_path(draft.facts, path) is not None:
            continue
        if path == ("limits", "context") and not _fits(draft.facts, value):
            continue
        if path == ("limits", "max_output") and not _fits_output(draft.facts, value):
            continue
        set_path(draft.facts, path, copy.deepcopy(value))
        draft.field_origin.setdefault(path, f"inherited from models/{draft.base}")


def _fits(facts: Facts, context: Any) -> bool:
    limits = facts.get("limits") or {}
    return all(not isinstance(v, int) or v <= context for v in limits.values())


def _fits_output(facts: Facts, max_output: Any) -> bool:
    context = get_path(facts, ("limits", "context"))
    return not isinstance(context, int) or max_output <= context


def _model_of(ref: str, canonical: dict[str, Facts]) -> str:
    """The model a ref is (a dated snapshot's model)."""
    of = (canonical.get(ref) or {}).get("snapshot_of")
    return of if isinstance(of, str) else ref


def _check_declared(
    builder: Builder, index: CanonicalIndex, draft: Draft, cands: tuple[Candidate, ...]
) -> None:
    """Keep a source's link unless the id itself (no fallback rule) names another canonical
    model of the same lab: `databricks-claude-sonnet-4` declared Sonnet 4.5 is Sonnet 4,
    `anyapi/deepseek/deepseek-r1` declared `deepseek-reasoner` is R1."""
    canonical = builder.built.canonical
    declared = draft.base or ""
    found = index.resolve(cands[:1], lab_of(cands[0].model))
    if (
        found is None
        or _model_of(found.ref, canonical) == _model_of(declared, canonical)
        or found.ref.split("/", 1)[0] != declared.split("/", 1)[0]
    ):
        _mark(draft, "source", cands)
        return
    wrong = canonical.get(declared) or {}
    for path in _WRONGLY_INHERITED:
        mine = get_path(draft.facts, path)
        if mine is not None and mine == get_path(wrong, path):
            _drop(draft.facts, path)
    builder.log.change(
        draft.target,
        "base",
        declared,
        draft.origin,
        f"the id names `{found.ref}` (rule {found.candidate.rule}), not the declared model: "
        f"corrected to `{found.ref}`",
        action="corrected",
    )
    builder.log.counts[("identity", "source links corrected")] += 1
    _link(draft, found, canonical)
    draft.base_declared = False


def _drop(facts: Facts, path: tuple[str, ...]) -> None:
    node: Any = facts
    for part in path[:-1]:
        node = node.get(part)
        if not isinstance(node, dict):
            return
    node.pop(path[-1], None)
    if len(path) > 1 and not node:
        _drop(facts, path[:-1])


def _new_models(
    builder: Builder, index: CanonicalIndex, pending: Iterable[tuple[Draft, tuple[Candidate, ...]]]
) -> set[str]:
    """Make a canonical model for each group of unlinked offerings that qualifies."""
    made: set[str] = set()
    pending = list(pending)
    first = {g.key for g in groups_of((d, c[0]) for d, c in pending) if g.qualifies()}
    # an id whose fallback names a model several sell is that model (`deepseek-v3.1:671b`)
    chosen = [(d, next((c for c in cs[1:] if c.key in first), cs[0])) for d, cs in pending]
    for group in groups_of(chosen):
        if not group.qualifies():
            continue
        ref = f"{group.lab}/{group.model}"
        if ref in builder.built.canonical or index.by_key.get(group.key):
            continue
        facts = consensus_facts(group)
        facts["provenance"] = builder.provenance(_sources(group))
        builder.set_canonical(ref, facts, _origin(group))
        if ref in builder.built.canonical:
            index.add(ref)
            made.add(ref)
    return made


def _sources(group: Group) -> list[str]:
    names: list[str] = []
    for draft, _ in group.members:
        names.extend(s for s in draft.sources if s not in names)
    return names


def _origin(group: Group) -> str:
    n = len(group.members)
    return f"consensus of {n} offering{'s' if n != 1 else ''} (identity)"
