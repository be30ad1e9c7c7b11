"""Canonical models' context windows from the labs, and their offerings' inheritance of them.

Many canonical models are made from offerings (:mod:`llmaestro.catalog.identity.families`)
whose only source, LiteLLM, states an input limit (``max_input_tokens``) but no window, so the
model and every seller of it read "context unknown". This step, run once every offering is
linked, gives a canonical model that lacks ``limits.context`` the window the lab states:

1. a hand-checked entry of ``data/manual/model_windows.yaml`` (the page that states it and the
   day it was checked; the canonical model's provenance names it);
2. else the window the lab's own API offerings state themselves, when they agree
   (:data:`~llmaestro.catalog.identity.rules.LAB_PROVIDERS`; never an inherited value).

A canonical model whose sources state a window keeps it; a hand-checked entry that disagrees
is logged, unless the entry names that figure in ``replaces`` (the sources' rounded or wrong
window it was checked against: models.dev's 128,000 for Meta's "128K", which is 131,072):
then the lab's exact figure wins and the change is logged with the figure it replaced.
Then every linked offering without a window of its own inherits its canonical
model's, unless its source states an input or output limit above it: ``max_input <= context``
is consistent (GPT-5 takes 272k input tokens of a 400k window), ``max_input > context`` says
the seller sells a bigger window than the lab's, whose size is then unknown. An input limit is
never copied into ``limits.context``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llmaestro.catalog.importers.manual_table import ManualError, read_table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from llmaestro.catalog.importers.builder import Builder
    from llmaestro.catalog.importers.common import Facts
    from llmaestro.catalog.importers.draft import Draft

__all__ = ["WINDOWS_FILE", "ModelWindow", "fits", "load_windows", "settle_windows"]

#: The hand-checked windows, in the overlay folder.
WINDOWS_FILE = "model_windows.yaml"
_CONTEXT = ("limits", "context")
_KEYS = frozenset({"models", "context", "url", "checked", "replaces"})


@dataclass(frozen=True)
class ModelWindow:
    """The lab states ``context`` tokens for these canonical models (``lab/model``)."""

    models: tuple[str, ...]
    context: int
    url: str
    checked: dt.date
    replaces: int | None = None
    """The window the sources state that this entry corrects (None: it corrects none)."""

    @property
    def origin(self) -> str:
        return f"data/manual/{WINDOWS_FILE} ({self.url}, checked {self.checked})"


def load_windows(manual_dir: Path | None) -> tuple[ModelWindow, ...]:
    """The entries of ``manual_dir / model_windows.yaml`` (none when the file is absent)."""
    out: list[ModelWindow] = []
    seen: set[str] = set()
    for where, entry in read_table(manual_dir, WINDOWS_FILE, "windows", _KEYS):
        models, context = entry.get("models"), entry.get("context")
        url, checked = entry.get("url"), entry.get("checked")
        if not isinstance(models, list | tuple) or not models:
            raise ManualError(f"{where}: needs a list of `models` (lab/model)")
        refs = tuple(str(m) for m in models)
        bad = [r for r in refs if r.count("/") < 1 or r in seen]
        if bad:
            raise ManualError(f"{where}: `{bad[0]}` is not lab/model, or named twice")
        seen.update(refs)
        if not isinstance(context, int) or isinstance(context, bool) or context < 1:
            raise ManualError(f"{where}: needs `context`, a token count")
        if not isinstance(url, str) or not isinstance(checked, dt.date):
            raise ManualError(f"{where}: needs the `url` that states the window and `checked`")
        replaces = entry.get("replaces")
        if replaces is not None and (
            not isinstance(replaces, int) or isinstance(replaces, bool) or replaces == context
        ):
            raise ManualError(f"{where}: `replaces` is the sources' other window, a token count")
        out.append(ModelWindow(refs, context, url, checked, replaces))
    return tuple(out)


def fits(facts: Facts, context: int) -> bool:
    """No token limit the offering states is above ``context`` (its input and output limits,
    an extended window): else its seller sells a bigger window than ``context``."""
    limits = facts.get("limits") or {}
    return all(not isinstance(v, int) or v <= context for v in limits.values())


def _get(facts: Facts, path: tuple[str, ...]) -> Any:
    node: Any = facts
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _lab_window(builder: Builder, ref: str, drafts: list[Draft]) -> int | None:
    """The window the lab's own offerings of ``ref`` state themselves, when they agree."""
    from llmaestro.catalog.identity.rules import LAB_PROVIDERS

    own = LAB_PROVIDERS.get(ref.split("/", 1)[0], frozenset())
    values = {
        _get(d.facts, _CONTEXT)
        for d in drafts
        if d.provider in own and not d.origin_of(_CONTEXT).startswith("inherited from")
    }
    values.discard(None)
    if len(values) != 1:
        return None
    (value,) = values
    return value if isinstance(value, int) else None


def _set_canonical(
    builder: Builder,
    ref: str,
    context: int,
    origin: str,
    sources: list[Facts],
    replaced: int | None = None,
) -> None:
    facts = builder.built.canonical[ref]
    facts.setdefault("limits", {})["context"] = context
    provenance = facts.setdefault("provenance", [])
    provenance.extend(s for s in sources if s not in provenance)
    if replaced is None:
        why, action = "the lab's window", "added"
    else:
        why, action = f"the lab's exact window (found {replaced} in the sources)", "corrected"
    builder.log.change(f"models/{ref}", "limits.context", context, origin, why, action=action)
    builder.log.counts[("identity", "canonical windows from the labs")] += 1


def settle_windows(builder: Builder) -> None:
    """Give canonical models the labs' windows, then let linked offerings inherit them."""
    canonical = builder.built.canonical
    by_base: dict[str, list[Draft]] = {}
    for _key, draft in sorted(builder.built.offerings.items()):
        if draft.base in canonical:
            by_base.setdefault(draft.base or "", []).append(draft)
    for entry in builder.manual.windows:
        source: Facts = {"source": "manual", "url": entry.url, "checked": entry.checked}
        for ref in entry.models:
            facts = canonical.get(ref)
            if facts is None:
                builder.log.change(
                    f"models/{ref}",
                    "limits.context",
                    entry.context,
                    entry.origin,
                    "a hand-checked window names no canonical model of the import",
                    action="ignored",
                )
                continue
            stated = _get(facts, _CONTEXT)
            if stated is None:
                _set_canonical(builder, ref, entry.context, entry.origin, [source])
            elif stated == entry.replaces:
                _set_canonical(builder, ref, entry.context, entry.origin, [source], stated)
            elif stated != entry.context:
                builder.log.change(
                    f"models/{ref}",
                    "limits.context",
                    entry.context,
                    entry.origin,
                    f"the sources state {stated}: kept (check the hand-checked window)",
                    action="ignored",
                )
    for ref, drafts in sorted(by_base.items()):
        if _get(canonical[ref], _CONTEXT) is None:
            window = _lab_window(builder, ref, drafts)
            if window is not None:
                lab = f"the lab's own offerings of {ref}"
                _set_canonical(builder, ref, window, lab, builder.provenance(_sources(drafts)))
    for ref, drafts in sorted(by_base.items()):
        context = _get(canonical[ref], _CONTEXT)
        if not isinstance(context, int):
            continue
        for draft in drafts:
            own = _get(draft.facts, _CONTEXT)
            if own is None and fits(draft.facts, context):
                draft.facts.setdefault("limits", {})["context"] = context
                draft.field_origin.setdefault(_CONTEXT, f"inherited from models/{ref}")
            elif own is not None and own != context and _seller_window(draft):
                builder.log.conflict(
                    draft.target,
                    "limits.context",
                    draft.origin_of(_CONTEXT),
                    own,
                    f"models/{ref}",
                    context,
                    "the host's own serving window, not the model's: kept (check it when the "
                    "host's is much smaller)",
                )


def _seller_window(draft: Draft) -> bool:
    """Whether the offering's window is its host's one stated limit (never a consensus vote)."""
    from llmaestro.catalog.identity.families import SELLER_WINDOW

    return draft.origin_of(_CONTEXT).endswith(SELLER_WINDOW)


def _sources(drafts: list[Draft]) -> list[str]:
    names: list[str] = []
    for draft in drafts:
        names.extend(s for s in draft.sources if s not in names)
    return names
