"""Merge a models.dev snapshot into a build: its providers, its canonical models, and its
provider models, each as a canonical model served by the provider when it says so.

`base_model = "<lab>/<id>"` makes a provider model inherit the canonical model (deep merge),
minus the dotted paths of `base_model_omit`; without it, an offering whose id names a
canonical model (:func:`~llmaestro.catalog.importers.draft.same_model`) is that model.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from llmaestro.catalog.importers.builder import Builder
from llmaestro.catalog.importers.common import (
    MODELS_DEV,
    Facts,
    constant,
    copy_data,
    deep_merge,
    delete_path,
)
from llmaestro.catalog.importers.draft import Draft, same_model
from llmaestro.catalog.importers.models_dev.facts import infer_kind, map_model
from llmaestro.catalog.importers.models_dev.providers import map_provider
from llmaestro.catalog.importers.models_dev.snapshot import Snapshot

#: models.dev paths of `base_model_omit` -> our dotted paths (a path with no catalog field maps
#: to nothing: there is nothing to inherit there).
OMIT_PATHS: dict[str, tuple[str, ...]] = {
    "limit.input": ("limits.max_input",),
    "limit.output": ("limits.max_output",),
    "limit.context": ("limits.context",),
    "structured_output": ("capabilities.structured_output",),
    "tool_call": ("capabilities.tool_calling",),
    "temperature": ("capabilities.temperature",),
    "reasoning": ("capabilities.reasoning",),
    "reasoning_options": (
        "capabilities.reasoning.effort_levels",
        "capabilities.reasoning.budget_tokens",
        "capabilities.reasoning.toggle",
    ),
    "knowledge": ("knowledge_cutoff",),
    "open_weights": ("open_weights",),
    "family": ("family",),
    "modalities.input": ("modalities.input",),
    "modalities.output": ("modalities.output",),
    "release_date": ("lifecycle.release_date",),
    "last_updated": ("lifecycle.last_updated",),
    "cost": ("pricing",),
    "cost.tiers": ("pricing.tiers",),
    "cost.context_over_200k": ("pricing.tiers",),
}


def map_omit(paths: Iterable[Any]) -> tuple[list[str], list[str]]:
    """(our dotted paths, models.dev paths with no catalog field)."""
    ours: list[str] = []
    unknown: list[str] = []
    for path in paths:
        text = str(path)
        if text in OMIT_PATHS:
            ours.extend(p for p in OMIT_PATHS[text] if p not in ours)
        elif text.startswith(("experimental", "benchmarks", "links", "weights", "provider")):
            continue
        else:
            unknown.append(text)
    return ours, unknown


def merge_into(
    builder: Builder,
    snap: Snapshot,
    provider_facts: dict[str, Facts],
    provider_origin: dict[str, str],
    provider_sources: dict[str, list[str]],
) -> None:
    """Add the snapshot's providers (to the three provider tables), canonical models and
    provider models to the builder."""
    log = builder.log
    log.counts[(MODELS_DEV, "provider-model paths")] = snap.paths_seen
    log.counts[(MODELS_DEV, "symbolic links")] = snap.symlinks
    log.counts[(MODELS_DEV, "broken symbolic links")] = snap.broken_symlinks
    log.counts[(MODELS_DEV, "providers")] = len(snap.providers)
    log.counts[(MODELS_DEV, "resolvable provider models")] = len(snap.offerings)
    log.counts[(MODELS_DEV, "canonical models")] = len(snap.canonical)
    for pid, pfile in sorted(snap.providers.items()):
        provider_facts[pid] = map_provider(pid, pfile.raw, log, pfile.path)
        provider_origin[pid] = pfile.path
        provider_sources[pid] = [MODELS_DEV]
    _add_models(builder, snap)


def _add_models(builder: Builder, snap: Snapshot) -> None:
    """The canonical models first (a provider model may inherit one), then the provider models."""
    log = builder.log
    src = builder.by_name[MODELS_DEV]
    for ref, mfile in sorted(snap.canonical.items()):
        lab_facts = map_model(mfile.raw, log, f"models/{ref}", mfile.path)
        lab_facts.setdefault("kind", infer_kind(ref.split("/", 1)[1], lab_facts))
        lab_facts["provenance"] = [src.provenance()]
        builder.set_canonical(ref, lab_facts, mfile.path)
    labs_models = set(builder.built.canonical)
    for (pid, mid), mfile in sorted(snap.offerings.items()):
        target = f"{pid}/{mid}"
        origin = mfile.path if mfile.link is None else f"{mfile.path} (symlink to {mfile.link})"
        if mfile.link is not None:
            log.symlinks.append((target, mfile.link))
        raw = mfile.raw
        own = map_model(raw, log, target, origin)
        base: str | None = None
        facts: Facts = own
        base_ref = raw.get("base_model")
        if base_ref is not None:
            ref = str(base_ref)
            if ref in builder.built.canonical:
                base = ref
                omit, unknown = map_omit(raw.get("base_model_omit") or ())
                for path in unknown:
                    log.change(
                        target,
                        "base_omit",
                        path,
                        origin,
                        "`base_model_omit` path has no catalog field: nothing to omit",
                    )
                if "reasoning_options" in raw:
                    omit += [p for p in OMIT_PATHS["reasoning_options"] if p not in omit]
                inherited = copy_data(builder.built.canonical[ref])
                inherited.pop("provenance", None)
                for path in omit:
                    delete_path(inherited, tuple(path.split(".")))
                facts = deep_merge(inherited, own)
            else:
                log.change(
                    target,
                    "base",
                    ref,
                    origin,
                    "LM030 `base_model` names no canonical model: the file stands alone",
                )
        else:
            base = same_model(pid, mid, labs_models)
        facts.setdefault("kind", infer_kind(mid, facts))
        cleaned = builder.clean(
            facts,
            "offering",
            {"provider": pid, "model": mid},
            target,
            constant(origin),
            defer=("LM027",),
        )
        if cleaned is None:
            log.skip(MODELS_DEV, pid, mid, "breaks the catalog's rules beyond repair")
            continue
        draft = Draft(pid, mid, cleaned, origin, base, [MODELS_DEV])
        draft.base_declared = base_ref is not None and base is not None
        builder.add_draft(draft)
