"""One import run: read the sources, merge them with the hand-authored facts, write the catalog
and its import report.

The order is fixed: models.dev (providers, canonical models, provider models), the canonical
models only hand-authored, LiteLLM, the hand-authored offerings, identity links, the labs'
windows and the hand-checked tier notes, then every file finished
(sanitized, references checked, compacted onto its base) and written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from llmaestro.catalog.identity import link_offerings
from llmaestro.catalog.importers import litellm as ll
from llmaestro.catalog.importers import models_dev as md
from llmaestro.catalog.importers.billing import assign_billing
from llmaestro.catalog.importers.builder import Builder
from llmaestro.catalog.importers.common import LITELLM, MODELS_DEV, Facts, SourceInfo, source_info
from llmaestro.catalog.importers.context import extend_context
from llmaestro.catalog.importers.draft import Built
from llmaestro.catalog.importers.history import merge_history
from llmaestro.catalog.importers.lifecycle import settle_status
from llmaestro.catalog.importers.manual import load_manual
from llmaestro.catalog.importers.report import render_report
from llmaestro.catalog.importers.tier_notes import apply_tier_notes
from llmaestro.catalog.importers.windows import settle_windows
from llmaestro.catalog.importers.write import WriteStats, write_catalog

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
    genai_prices: Path | None = None,
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
        md.merge_into(builder, snap, provider_facts, provider_origin, provider_sources)
    builder.manual_only_canonical()
    if litellm is not None:
        snapshot = ll.load(litellm, log)
        ll.merge_into(builder, snapshot, provider_facts, provider_origin, provider_sources)
    builder.apply_manual_offerings()
    link_offerings(builder)  # identity: every offering its canonical model
    settle_windows(builder)  # the labs' windows, inherited by the offerings
    apply_tier_notes(builder)
    extend_context(builder)
    merge_history(builder, genai_prices, manual_dir)
    assign_billing(builder, provider_facts)
    settle_status(builder)  # last: the dates every other step set
    builder.finish_offerings(provider_facts)
    builder.finish_providers(provider_facts, provider_origin, provider_sources)
    return builder.built


def run_import(
    *,
    out: Path,
    models_dev: Path | None,
    litellm: Path | None,
    manual_dir: Path | None = None,
    models_dev_date: dt.date | None = None,
    litellm_date: dt.date | None = None,
    genai_prices: Path | None = None,
) -> ImportResult:
    """Build and write the catalog at ``out`` and its `IMPORT_REPORT.md`; ``genai_prices``
    (a genai-prices snapshot) adds its dated prices to ``pricing.history``."""
    if manual_dir is None:
        manual_dir = out.resolve().parent / MANUAL_DIR
    built = build(
        models_dev=models_dev,
        litellm=litellm,
        manual_dir=manual_dir,
        models_dev_date=models_dev_date,
        litellm_date=litellm_date,
        genai_prices=genai_prices,
    )
    report_path = out / "IMPORT_REPORT.md"
    # one write: the catalog and its report change together, or (a full disk) not at all
    stats = write_catalog(built, out, {report_path: render_report(built, out)})
    return ImportResult(built, stats, report_path)
