"""One import run: read the sources, merge them with the hand-authored facts, write the catalog
and its import report."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from llmaestro.catalog.importers import litellm as ll
from llmaestro.catalog.importers import models_dev as md
from llmaestro.catalog.importers.common import (
    LITELLM,
    MODELS_DEV,
    Facts,
    SourceInfo,
    constant,
    copy_data,
    delete_path,
    source_info,
)
from llmaestro.catalog.importers.manual import load_manual
from llmaestro.catalog.importers.merge import Builder, Built, Draft, WriteStats, write_catalog

#: Where the repository keeps the hand-authored overlay (relative to the catalog's parent).
MANUAL_DIR = Path("data") / "manual"

_MD_NAME = re.compile(r"models\.dev-([0-9a-f]{7,40})")
_LL_NAME = re.compile(r"litellm-([0-9][0-9A-Za-z.]*?)-model_prices")


def models_dev_revision(path: Path) -> str:
    match = _MD_NAME.search(path.name)
    if not match:
        raise ValueError(
            f"{path.name}: cannot tell the models.dev commit (name it models.dev-<commit>)"
        )
    return match.group(1)


def litellm_revision(path: Path) -> str:
    match = _LL_NAME.search(path.name)
    if not match:
        raise ValueError(
            f"{path.name}: cannot tell the litellm version "
            "(name it litellm-<version>-model_prices_and_context_window.json[.gz])"
        )
    return match.group(1)


@dataclass
class ImportResult:
    built: Built
    stats: WriteStats
    report_path: Path


def build(
    *,
    models_dev: Path | None,
    litellm: Path | None,
    manual_dir: Path | None,
    models_dev_date: dt.date | None = None,
    litellm_date: dt.date | None = None,
) -> Built:
    """Merge the given sources (either may be absent) and the hand-authored overlay."""
    sources: list[SourceInfo] = []
    if models_dev is not None:
        sources.append(
            source_info(MODELS_DEV, models_dev, models_dev_revision(models_dev), models_dev_date)
        )
    if litellm is not None:
        sources.append(source_info(LITELLM, litellm, litellm_revision(litellm), litellm_date))
    today = max((s.checked for s in sources), default=dt.date(2026, 1, 1))
    builder = Builder(sources, load_manual(manual_dir), today)
    log = builder.log
    provider_facts: dict[str, Facts] = {}
    provider_origin: dict[str, str] = {}
    provider_sources: dict[str, list[str]] = {}

    if models_dev is not None:
        snap = md.load_snapshot(models_dev, log)
        log.counts[(MODELS_DEV, "provider-model paths")] = snap.paths_seen
        log.counts[(MODELS_DEV, "symbolic links")] = snap.symlinks
        log.counts[(MODELS_DEV, "broken symbolic links")] = snap.broken_symlinks
        log.counts[(MODELS_DEV, "providers")] = len(snap.providers)
        log.counts[(MODELS_DEV, "resolvable provider models")] = len(snap.offerings)
        log.counts[(MODELS_DEV, "canonical models")] = len(snap.canonical)
        for pid, pfile in sorted(snap.providers.items()):
            provider_facts[pid] = md.map_provider(pid, pfile.raw, log, pfile.path)
            provider_origin[pid] = pfile.path
            provider_sources[pid] = [MODELS_DEV]
        add_models_dev(builder, snap)
    builder.manual_only_canonical()
    if litellm is not None:
        snapshot = ll.load(litellm, log)
        ll.merge_into(builder, snapshot, provider_facts, provider_origin, provider_sources)
    builder.apply_manual_offerings()
    builder.finish_offerings(provider_facts)
    builder.finish_providers(provider_facts, provider_origin, provider_sources)
    return builder.built


def add_models_dev(builder: Builder, snap: md.Snapshot) -> None:
    log = builder.log
    src = builder.by_name[MODELS_DEV]
    for ref, mfile in sorted(snap.canonical.items()):
        lab_facts = md.map_model(mfile.raw, log, f"models/{ref}", mfile.path)
        lab_facts.setdefault("kind", md.infer_kind(ref.split("/", 1)[1], lab_facts))
        lab_facts["provenance"] = [src.provenance()]
        builder.set_canonical(ref, lab_facts, mfile.path)
    labs_models = set(builder.built.canonical)
    for (pid, mid), mfile in sorted(snap.offerings.items()):
        target = f"{pid}/{mid}"
        origin = mfile.path if mfile.link is None else f"{mfile.path} (symlink to {mfile.link})"
        if mfile.link is not None:
            log.symlinks.append((target, mfile.link))
        raw = mfile.raw
        own = md.map_model(raw, log, target, origin)
        base: str | None = None
        facts: Facts = own
        base_ref = raw.get("base_model")
        if base_ref is not None:
            ref = str(base_ref)
            if ref in builder.built.canonical:
                base = ref
                omit, unknown = md.map_omit(raw.get("base_model_omit") or ())
                for path in unknown:
                    log.change(
                        target,
                        "base_omit",
                        path,
                        origin,
                        "`base_model_omit` path has no catalog field: nothing to omit",
                    )
                if "reasoning_options" in raw:
                    omit += [p for p in md.OMIT_PATHS["reasoning_options"] if p not in omit]
                inherited = copy_data(builder.built.canonical[ref])
                inherited.pop("provenance", None)
                for path in omit:
                    delete_path(inherited, tuple(path.split(".")))
                facts = _merge(inherited, own)
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
        facts.setdefault("kind", md.infer_kind(mid, facts))
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


def same_model(provider: str, model: str, canonical: set[str] | dict[str, Facts]) -> str | None:
    """The canonical model an offering is, when its id says so: the lab's own API serving the
    model under its id (`openai` + `gpt-4o`), or a gateway naming it `<lab>/<model>`."""
    if f"{provider}/{model}" in canonical:
        return f"{provider}/{model}"
    if model in canonical:
        return model
    return None


def _merge(base: Facts, top: Facts) -> Facts:
    from llmaestro.catalog.importers.common import deep_merge

    return deep_merge(base, top)


def run_import(
    *,
    out: Path,
    models_dev: Path | None,
    litellm: Path | None,
    manual_dir: Path | None = None,
    models_dev_date: dt.date | None = None,
    litellm_date: dt.date | None = None,
) -> ImportResult:
    """Build and write the catalog at ``out`` and its `IMPORT_REPORT.md`."""
    from llmaestro.catalog.importers.report import render_report

    if manual_dir is None:
        manual_dir = out.resolve().parent / MANUAL_DIR
    built = build(
        models_dev=models_dev,
        litellm=litellm,
        manual_dir=manual_dir,
        models_dev_date=models_dev_date,
        litellm_date=litellm_date,
    )
    stats = write_catalog(built, out)
    report_path = out / "IMPORT_REPORT.md"
    from llmaestro.catalog.writer import write_if_changed

    write_if_changed(report_path, render_report(built, out))
    return ImportResult(built, stats, report_path)
