"""Why a chat offering is left without a canonical model: one line for IMPORT_REPORT.md."""

from __future__ import annotations

import re
from collections.abc import Mapping

from llmaestro.catalog.identity.normalise import Candidate
from llmaestro.catalog.identity.rules import FAMILY_LABS, LAB_PROVIDERS, lab_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from llmaestro.catalog.importers.draft import Draft

_ROUTER = re.compile(r"(^|-)(auto|router|default|best|fastest|cheapest)(-|$)")
_ALIAS = re.compile(r"(^|-)(latest|chat-latest)$")


def unlinked_reason(
    draft: Draft, cand: Candidate, sellers: dict[str, int], known: Mapping[str, str] | None = None
) -> str:
    """The reason ``draft`` (whose candidate is ``cand``) has no base; ``sellers``: how many
    providers sell each unlinked match key; ``known``: canonical refs by match key."""
    model = cand.model
    known = known or {}
    if cand.snapshot is not None and cand.key in known:
        return f"a snapshot ({cand.snapshot}) of `{model}` that no canonical entry is"
    parent = _parent(cand.key, known)
    if parent is not None:
        return f"an unknown fine-tune, derivative or setting of `{parent}`"
    lab = lab_of(model)
    n = sellers.get(cand.key, 1)
    if _ROUTER.search(model):
        return "a router or alias choosing a model per request, not one model"
    if lab is None:
        inside = next((lab for p, lab in FAMILY_LABS if p.search(model[1:])), None)
        if inside is not None:
            return f"an unknown fine-tune or derivative of a {inside} model"
        if n >= 2:
            return f"no rule names the lab of `{model}` (sold by {n} providers)"
        return "a provider's own model (no known lab's family)"
    if draft.provider in LAB_PROVIDERS.get(lab, frozenset()):
        return f"{lab}'s own model with no canonical entry (its id `{model}` is ambiguous)"
    if _ALIAS.search(model):
        return f"a moving alias (`{model}`) of a model of {lab}"
    if n < 2:
        return f"sold by this provider only: no canonical `{lab}/{model}`"
    return f"the sellers of `{model}` disagree on what it is (no canonical entry)"


def _parent(key: str, known: Mapping[str, str]) -> str | None:
    """The canonical model whose match key is the longest proper prefix of ``key`` (by whole
    runs, and at least a family and a size or version: `qwen-3-5-27-b` for
    `qwen-3-5-27-b-nanovel-derestricted`)."""
    runs = key.split("-")
    for n in range(len(runs) - 1, 2, -1):
        found = known.get("-".join(runs[:n]))
        if found is not None:
            return found
    return None
