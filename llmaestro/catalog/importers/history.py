"""Price history at import time: dated prices from the sources and hand-checked announcements.

A price without a date says nothing about the past: ``cost(..., at=DATE)`` can only answer
for a day the catalog knows the price of. This step writes, per offering,

* ``pricing.effective``: the first day the current prices applied;
* ``pricing.history``: the earlier price sets, newest first, each with its first
  (``effective``) and last (``until``) day.

from two kinds of timeline (a list of price sets, oldest first, each from its start day):

* **hand-checked announcements** in ``data/manual/price_history.yaml`` (each entry with the
  page that states it and the day it was checked), which win;
* **genai-prices** (``prices/providers/*.yml`` of its snapshot): a model whose ``prices`` is a
  list of price sets with ``constraint: start_date`` entries. Its first set carries no date:
  it is taken to apply from the offering's release day (``lifecycle.release_date``), and left
  out when the catalog does not know that day.

LiteLLM dates no prices (its map has one price per key), so it adds nothing here.

A timeline is applied only where it agrees with the offering's current prices: the newest set
that has started must equal them (the fields the set names). Where an *earlier* set equals
them, the other sources predate a dated change (Claude Sonnet 5's introductory $2/$10 ended on
2026-09-01 while models.dev and LiteLLM still give it): the newest set becomes the current
prices, each change is reported as corrected, and what was priced on the old figures and the
set does not give anew (context and service tiers, a cache price it does not name) is dropped
(reported) rather than kept wrong. Otherwise the offering is left alone and the disagreement
is logged (a stale source, or a price list of another region). A set that starts after the
import's day (a scheduled change) is not a price yet and is logged.
A historic set keeps its context tiers (``pricing.history[].tiers``, Claude Opus 4.6's >200K
surcharge until 2026-03-12); one whose tiers cannot be read ends the history there, so
``cost`` reports "no price known" before it rather than a flat price that would be wrong for
long prompts. Prices already dated by hand (an offering file
in ``data/manual/`` with ``effective`` or ``history``) are kept.
"""

from __future__ import annotations

import datetime as dt
import re
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from llmaestro.catalog.importers.common import Facts, to_decimal
from llmaestro.catalog.yamlread import parse_yaml

TYPE_CHECKING = False
if TYPE_CHECKING:
    from llmaestro.catalog.importers.builder import Builder
    from llmaestro.catalog.importers.draft import Draft

__all__ = [
    "GENAI_PRICES",
    "HISTORY_FILE",
    "DatedPrices",
    "Timeline",
    "genai_timelines",
    "manual_timelines",
    "merge_history",
]

GENAI_PRICES = "genai-prices"
#: The hand-checked announcements, in the overlay folder.
HISTORY_FILE = "price_history.yaml"

#: genai-prices' price keys -> the catalog's price fields (USD per 1M tokens on both sides).
_GENAI_FIELDS: dict[str, str] = {
    "input_mtok": "input",
    "output_mtok": "output",
    "cache_read_mtok": "cache_read",
    "cache_write_mtok": "cache_write",
    "cache_write_1h_mtok": "cache_write_1h",
    "input_audio_mtok": "input_audio",
    "output_audio_mtok": "output_audio",
    "cache_audio_read_mtok": "cache_read_audio",
}
#: The price fields a timeline may state (hand-checked entries use the catalog's names).
_FIELDS = frozenset(_GENAI_FIELDS.values())

#: genai-prices' provider files -> the catalog's provider ids they price.
_GENAI_PROVIDERS: dict[str, tuple[str, ...]] = {
    "anthropic": ("anthropic",),
    "openai": ("openai",),
    "aws": ("amazon-bedrock",),
    "google": ("google",),
    "openrouter": ("openrouter",),
    "deepseek": ("deepseek",),
    "mistral": ("mistral",),
    "x_ai": ("xai",),
    "groq": ("groq",),
    "together": ("togetherai",),
    "fireworks": ("fireworks-ai",),
    "cohere": ("cohere",),
    "moonshotai": ("moonshotai",),
    "azure": ("azure",),
}

_DAY = dt.timedelta(days=1)
#: After a `starts_with` prefix: the next version of the model (`-5`, `.1`), not a snapshot date.
_VERSION_STEP = re.compile(r"[-.]\d{1,2}(?!\d)")


@dataclass(frozen=True)
class DatedPrices:
    """One price set of a timeline and the day it started (None: not stated)."""

    effective: dt.date | None
    prices: dict[str, Decimal]
    tiered: bool = False
    """The source gives context tiers for this set (the base prices are in ``prices``)."""
    tiers: tuple[Facts, ...] | None = None
    """Those tiers as the catalog writes them (``above_tokens`` ascending, each with the
    prices it replaces); None when the set has none, or has some that cannot be read."""


@dataclass(frozen=True)
class Timeline:
    """A model's price sets at one provider, oldest first, and where they come from."""

    name: str
    """For the log: the genai-prices model id, or the hand-checked entry's models."""
    providers: tuple[str, ...]
    matches: Callable[[str], bool]
    sets: tuple[DatedPrices, ...]
    provenance: Facts
    origin: str


# --- reading the timelines ------------------------------------------------------------------


def _clause(spec: Any) -> Callable[[str], bool]:
    """genai-prices' model ``match`` clause as a predicate on a model id."""
    if not isinstance(spec, dict) or len(spec) != 1:
        return lambda _m: False
    ((kind, arg),) = spec.items()
    if kind in ("or", "and") and isinstance(arg, list | tuple):
        parts = [_clause(a) for a in arg]
        if kind == "or":
            return lambda m: any(p(m) for p in parts)
        return lambda m: all(p(m) for p in parts)
    if not isinstance(arg, str):
        return lambda _m: False
    if kind == "equals":
        return lambda m: m == arg
    if kind == "starts_with":
        # `claude-sonnet-5` names claude-sonnet-5-20260630, not claude-sonnet-5-5 (another
        # model): genai-prices relies on its file order for that, and only dated models are read
        return lambda m: m.startswith(arg) and _VERSION_STEP.match(m, len(arg)) is None
    if kind == "ends_with":
        return lambda m: m.endswith(arg)
    if kind == "contains":
        return lambda m: arg in m
    if kind == "regex":
        pattern = re.compile(arg)
        return lambda m: pattern.search(m) is not None
    return lambda _m: False


def _genai_set(raw: Any) -> DatedPrices | None:
    """One price set of genai-prices (``None`` when it prices nothing the catalog has). A
    field's ``tiers`` (``start``: the prompt size it applies above, as ``above_tokens``) are
    grouped by threshold into the catalog's context tiers."""
    if not isinstance(raw, dict):
        return None
    prices: dict[str, Decimal] = {}
    tiered = unreadable = False
    by_start: dict[int, Facts] = {}
    for key, value in raw.items():
        field = _GENAI_FIELDS.get(key)
        if field is None:
            continue
        if isinstance(value, dict):
            tiers = value.get("tiers")
            if tiers:
                tiered = True
                for tier in tiers if isinstance(tiers, list | tuple) else (None,):
                    start = tier.get("start") if isinstance(tier, dict) else None
                    price = to_decimal(tier.get("price")) if isinstance(tier, dict) else None
                    if not isinstance(start, int) or isinstance(start, bool) or price is None:
                        unreadable = True
                        continue
                    by_start.setdefault(start, {"above_tokens": start})[field] = price
            value = value.get("base")
        price = to_decimal(value)
        if price is not None:
            prices[field] = price
    if not prices:
        return None
    readable = tiered and not unreadable and by_start
    tier_facts = tuple(by_start[k] for k in sorted(by_start)) if readable else None
    return DatedPrices(None, prices, tiered, tier_facts)


def _genai_model(
    model: dict[str, Any], providers: tuple[str, ...], provenance: Facts, origin: str
) -> Timeline | None:
    raw = model.get("prices")
    if not isinstance(raw, list | tuple) or len(raw) < 2:
        return None
    sets: list[DatedPrices] = []
    for item in raw:
        if not isinstance(item, dict):
            return None
        constraint = item.get("constraint")
        start: dt.date | None = None
        if constraint is not None:
            start = constraint.get("start_date") if isinstance(constraint, dict) else None
            if not isinstance(start, dt.date) or len(constraint) != 1:
                return None  # a time-of-day price: not a date in the price's life
        found = _genai_set(item.get("prices"))
        if found is None:
            return None
        sets.append(DatedPrices(start, found.prices, found.tiered, found.tiers))
    if any(s.effective is None for s in sets[1:]) or sets[0].effective is not None:
        return None
    days = [s.effective for s in sets[1:] if s.effective is not None]
    if days != sorted(set(days)):
        return None
    return Timeline(
        str(model.get("id")),
        providers,
        _clause(model.get("match")),
        tuple(sets),
        provenance,
        origin,
    )


def _genai_files(path: Path) -> Iterator[tuple[str, bytes]]:
    """(provider file stem, content) of every provider file of a genai-prices snapshot (its
    tarball, or a checkout / extracted folder)."""
    if path.is_dir():
        for file in sorted(path.glob("**/prices/providers/*.yml")):
            yield file.stem, file.read_bytes()
        return
    with tarfile.open(path) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            parts = member.name.split("/")
            if (
                member.isfile()
                and len(parts) >= 3
                and parts[-3:-1] == ["prices", "providers"]
                and parts[-1].endswith(".yml")
            ):
                handle = tar.extractfile(member)
                if handle is not None:
                    yield parts[-1][: -len(".yml")], handle.read()


def genai_revision(path: Path) -> str | None:
    match = re.search(r"genai-prices-([0-9a-f]{7,40})", path.name)
    return match.group(1) if match else None


def genai_timelines(path: Path) -> list[Timeline]:
    """The dated prices of a genai-prices snapshot."""
    revision = genai_revision(path)
    provenance: Facts = {"source": GENAI_PRICES, "url": "https://github.com/pydantic/genai-prices"}
    if revision:
        provenance["revision"] = revision
    out: list[Timeline] = []
    for stem, content in _genai_files(path):
        providers = _GENAI_PROVIDERS.get(stem)
        if providers is None:
            continue
        doc = parse_yaml(content, f"{path.name}:prices/providers/{stem}.yml")
        models = doc.data.get("models") if isinstance(doc.data, dict) else None
        for model in models or ():
            if isinstance(model, dict):
                origin = f"{GENAI_PRICES} `{stem}/{model.get('id')}`"
                found = _genai_model(model, providers, provenance, origin)
                if found is not None:
                    out.append(found)
    return out


def manual_timelines(manual_dir: Path | None) -> list[Timeline]:
    """The hand-checked announcements of ``manual_dir / price_history.yaml``."""
    from llmaestro.catalog.importers.manual import ManualError

    if manual_dir is None or not (manual_dir / HISTORY_FILE).is_file():
        return []
    path = manual_dir / HISTORY_FILE
    shown = f"{'/'.join(manual_dir.resolve().parts[-2:])}/{HISTORY_FILE}"
    doc = parse_yaml(path.read_bytes(), str(path))
    if doc.diagnostics:
        raise ManualError("; ".join(d.format() for d in doc.diagnostics))
    entries = doc.data.get("changes") if isinstance(doc.data, dict) else None
    if not isinstance(entries, list | tuple):
        raise ManualError(f"{path}: expected a mapping with a `changes` list")
    out: list[Timeline] = []
    for n, entry in enumerate(entries):
        where = f"{path}: changes[{n}]"
        if not isinstance(entry, dict):
            raise ManualError(f"{where}: not a mapping")
        provider, models = entry.get("provider"), entry.get("models")
        url, checked = entry.get("url"), entry.get("checked")
        if not isinstance(provider, str) or not isinstance(models, list | tuple) or not models:
            raise ManualError(f"{where}: needs `provider` and a list of `models`")
        if not isinstance(url, str) or not isinstance(checked, dt.date):
            raise ManualError(f"{where}: needs the `url` that states the prices and `checked`")
        sets: list[DatedPrices] = []
        for k, raw in enumerate(entry.get("prices") or ()):
            start = raw.get("effective") if isinstance(raw, dict) else None
            if not isinstance(start, dt.date):
                raise ManualError(f"{where}.prices[{k}]: needs an `effective` day")
            unknown = set(raw) - _FIELDS - {"effective", "note"}
            if unknown:
                raise ManualError(f"{where}.prices[{k}]: unknown field(s) {sorted(unknown)}")
            prices = {f: to_decimal(v) for f, v in raw.items() if f in _FIELDS}
            if not prices or any(v is None or v < 0 for v in prices.values()):
                raise ManualError(f"{where}.prices[{k}]: prices must be numbers >= 0")
            sets.append(DatedPrices(start, {f: v for f, v in prices.items() if v is not None}))
        days = [s.effective for s in sets]
        if len(sets) < 2 or days != sorted({d for d in days if d is not None}):
            raise ManualError(f"{where}: needs two or more price sets, oldest first")
        names = tuple(str(m) for m in models)
        out.append(
            Timeline(
                ", ".join(names),
                (provider,),
                frozenset(names).__contains__,
                tuple(sets),
                {"source": "manual", "url": url, "checked": checked},
                shown,
            )
        )
    return out


# --- applying them ----------------------------------------------------------------------------


def _agrees(prices: dict[str, Decimal], pricing: Facts) -> bool:
    """The set's prices are the offering's (every field the set names)."""
    return all(to_decimal(pricing.get(f)) == v for f, v in prices.items())


def _release(draft: Draft) -> dt.date | None:
    life = draft.facts.get("lifecycle")
    day = life.get("release_date") if isinstance(life, dict) else None
    return day if isinstance(day, dt.date) else None


def _catch_up(
    builder: Builder,
    draft: Draft,
    timeline: Timeline,
    started: list[DatedPrices],
    pricing: Facts,
) -> bool:
    """The offering's prices are an earlier set of ``timeline``: the sources predate a dated
    change (an introductory price that ended, a cut they did not pick up). Write the latest
    started set as the current prices and say so (True); False when no earlier set agrees or
    the latest one cannot be written whole (context tiers the timeline does not give)."""
    latest = started[-1]
    if latest.tiered or latest.effective is None:
        return False
    if not any(_agrees(s.prices, pricing) for s in started[:-1]):
        return False
    log = builder.log
    changed = sorted(f for f, v in latest.prices.items() if to_decimal(pricing.get(f)) != v)
    stale = sorted(f for f in _FIELDS - latest.prices.keys() if f in pricing)
    for key in ("tiers", "service_tiers", *stale):
        if pricing.get(key) is not None:
            log.change(
                draft.target,
                f"pricing.{key}",
                pricing.pop(key),
                draft.origin_of(("pricing", key)),
                f"priced before the change of {latest.effective}, "
                f"and {timeline.origin} gives no figure since",
            )
    for f in changed:
        log.change(
            draft.target,
            f"pricing.{f}",
            latest.prices[f],
            timeline.origin,
            f"the other sources give the price before the change of {latest.effective} "
            f"(was {to_decimal(pricing.get(f))}): the timeline's current price",
            action="corrected",
        )
        pricing[f] = latest.prices[f]
        draft.field_origin[("pricing", f)] = timeline.origin
    return True


def apply_timeline(builder: Builder, draft: Draft, timeline: Timeline) -> bool:
    """Write ``pricing.effective`` / ``pricing.history`` from ``timeline`` (True when done)."""
    log = builder.log
    pricing = draft.facts.get("pricing")
    if not isinstance(pricing, dict):
        return False
    started = [s for s in timeline.sets if s.effective is None or s.effective <= builder.today]
    for s in timeline.sets[len(started) :]:
        log.change(
            draft.target,
            "pricing.history",
            s.effective,
            timeline.origin,
            f"a price change scheduled after the import's day ({builder.today}): not recorded",
            action="ignored",
        )
    if not started:
        return False
    if not _agrees(started[-1].prices, pricing) and not _catch_up(
        builder, draft, timeline, started, pricing
    ):
        log.change(
            draft.target,
            "pricing.history",
            started[-1].effective or "first prices",
            timeline.origin,
            "the current prices differ from the timeline's latest set: history not recorded",
            action="ignored",
        )
        return False
    release = _release(draft)
    days = [s.effective or release for s in started]
    history: list[Facts] = []
    for i in range(len(started) - 2, -1, -1):
        older, start, end = started[i], days[i], days[i + 1]
        why = None
        if older.tiered and older.tiers is None:
            why = "earlier prices had context tiers that cannot be read"
        elif start is None or end is None:
            why = "the first prices have no start day and the release day is unknown"
        elif end - _DAY < start:
            why = "the timeline's days are out of order"
        if why is not None or start is None or end is None:
            log.change(
                draft.target, "pricing.history", start, timeline.origin, f"history stops: {why}"
            )
            break
        entry: Facts = {"effective": start, "until": end - _DAY, **older.prices}
        if older.tiers:
            entry["tiers"] = [dict(t) for t in older.tiers]
        history.append(entry)
    effective = days[-1]
    if effective is None and not history:
        return False
    if effective is not None:
        pricing["effective"] = effective
    if history:
        pricing["history"] = history
    provenance = pricing.setdefault("provenance", [])
    if timeline.provenance not in provenance:
        provenance.append(dict(timeline.provenance))
    for key in ("effective", "history"):
        draft.field_origin[("pricing", key)] = timeline.origin
    return True


def merge_history(
    builder: Builder, genai_prices: Path | None, manual_dir: Path | None = None
) -> None:
    """Add ``pricing.history`` and ``pricing.effective`` from every source that dates prices."""
    timelines = manual_timelines(manual_dir)
    if genai_prices is not None:
        timelines += genai_timelines(genai_prices)
    by_provider: dict[str, list[Timeline]] = {}
    for timeline in timelines:  # hand-checked ones first: they win
        for pid in timeline.providers:
            by_provider.setdefault(pid, []).append(timeline)
    for (pid, mid), draft in sorted(builder.built.offerings.items()):
        candidates = by_provider.get(pid)
        pricing = draft.facts.get("pricing")
        if not candidates or not isinstance(pricing, dict):
            continue
        if "effective" in pricing or "history" in pricing:
            continue  # dated by hand in the offering's own file
        ids = (mid, *draft.aliases)
        for timeline in candidates:
            if any(timeline.matches(i) for i in ids) and apply_timeline(builder, draft, timeline):
                break
