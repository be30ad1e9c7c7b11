"""Canonical models the sources lack, made from the offerings that sell them.

models.dev has canonical entries for a few hundred models; the open-weight families most
providers sell (Llama 3.1 8B, gpt-oss-20b, Qwen 2.5, DeepSeek V3, Mixtral...) have none. A
model gets one here when offerings of one match key (:func:`~.normalise.match_key`) are sold
by two or more providers, or by the lab itself, and :data:`~.rules.FAMILY_LABS` names its lab.

Its facts are the offerings' consensus (:func:`consensus`): the value the lab's own offerings
agree on, else the one most offerings state when no other value ties with it; a fact no
offering states, or one the offerings split on evenly, stays absent (never a guess). A window
known only as one seller's serving window (:data:`SELLER_WINDOW`) does not vote.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from llmaestro.catalog.identity.data import get_path, set_path
from llmaestro.catalog.identity.normalise import Candidate
from llmaestro.catalog.identity.rules import LAB_PROVIDERS, ORG_LABS, lab_of

TYPE_CHECKING = False
if TYPE_CHECKING:  # the importers call this package: no import back at run time
    from llmaestro.catalog.importers.common import Facts
    from llmaestro.catalog.importers.draft import Draft

#: The facts a new canonical model takes from its offerings (a model's facts, not a seller's:
#: no price, no deprecation date, no capability a provider may switch off).
CONSENSUS_PATHS: tuple[tuple[str, ...], ...] = (
    ("name",),
    ("family",),
    ("kind",),
    ("open_weights",),
    ("license",),
    ("knowledge_cutoff",),
    ("limits", "context"),
    ("limits", "max_output"),
    ("modalities", "input"),
    ("modalities", "output"),
    ("lifecycle", "release_date"),
)


#: Ends the origin of a window that is one seller's serving window, not a statement about the
#: model (:mod:`llmaestro.catalog.importers.litellm.windows`): it never votes in a consensus.
SELLER_WINDOW = "(the seller's one stated window)"

_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass
class Group:
    """The unlinked offerings of one match key."""

    key: str
    members: list[tuple[Draft, Candidate]]

    @property
    def providers(self) -> set[str]:
        return {d.provider for d, _ in self.members}

    @property
    def model(self) -> str:
        """The id most members' rewritten ids read, counting `3.1` and `3-1` as one and
        writing the point (ties: the shortest, then the first)."""
        counts = Counter(c.model for _, c in self.members)
        spelled = Counter[str]()
        for form, n in counts.items():
            spelled[form.replace(".", "-")] += n
        top = min(spelled, key=lambda m: (-spelled[m], len(m), m))
        forms = [f for f in counts if f.replace(".", "-") == top]
        return min(forms, key=lambda m: (-m.count("."), -counts[m], m))

    @property
    def lab(self) -> str | None:
        """The lab its family names, else the hub organisation two or more providers name."""
        lab = lab_of(self.model)
        if lab is not None:
            return lab
        orgs: dict[str, set[str]] = {}
        for draft, cand in self.members:
            if cand.org:
                orgs.setdefault(cand.org, set()).add(draft.provider)
        named = [o for o, sellers in orgs.items() if len(sellers) >= 2]
        if len(named) == 1 and _SLUG.match(named[0]):
            return ORG_LABS.get(named[0], named[0])
        return None

    def sold_by_lab(self) -> bool:
        lab = self.lab
        return lab is not None and bool(self.providers & LAB_PROVIDERS.get(lab, frozenset()))

    def qualifies(self) -> bool:
        """Sold by two or more providers, or by its lab; its lab known."""
        return self.lab is not None and (len(self.providers) >= 2 or self.sold_by_lab())


def _frozen(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(sorted(map(str, value)))
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


def consensus(values: Sequence[Any], lab_values: Sequence[Any] = ()) -> Any:
    """The value the lab's offerings agree on, else the one most ``values`` hold with no
    other tying with it; None when no value is given or the top values tie."""
    for pool in (lab_values, values):
        known = [v for v in pool if v is not None]
        if not known:
            continue
        counts = Counter(_frozen(v) for v in known)
        ranked = counts.most_common()
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            if pool is lab_values:
                continue
            return None
        top = ranked[0][0]
        return copy.deepcopy(next(v for v in known if _frozen(v) == top))
    return None


def consensus_facts(group: Group) -> Facts:
    """The canonical facts of a group: each :data:`CONSENSUS_PATHS` fact by consensus."""
    own = LAB_PROVIDERS.get(group.lab or "", frozenset())
    facts: Facts = {}
    for path in CONSENSUS_PATHS:
        voters = [d for d, _ in group.members if not d.origin_of(path).endswith(SELLER_WINDOW)]
        values = [get_path(d.facts, path) for d in voters]
        lab_values = [get_path(d.facts, path) for d in voters if d.provider in own]
        value = consensus(values, lab_values)
        if value is None:
            continue
        set_path(facts, path, value)
    limits = facts.get("limits") or {}
    context, out = limits.get("context"), limits.get("max_output")
    if isinstance(context, int) and isinstance(out, int) and out > context:
        del limits["max_output"]  # two majorities that do not fit together: keep the window
    return facts


def groups_of(items: Iterable[tuple[Draft, Candidate]]) -> list[Group]:
    """The items grouped by their candidate's match key, in key order."""
    by_key: dict[str, list[tuple[Draft, Candidate]]] = {}
    for draft, cand in items:
        by_key.setdefault(cand.key, []).append((draft, cand))
    return [Group(k, v) for k, v in sorted(by_key.items())]
