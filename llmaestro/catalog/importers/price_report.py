"""Compare the catalog's prices with independent sources: pydantic's genai-prices and LiteLLM.

For every offering a source also prices, each price both state (input, output, cache, audio
and context tiers matched on their threshold) is compared; differences are listed per provider
with the absolute and the relative difference. genai-prices finds a model by `match` rules
(`equals`, `starts_with`, `ends_with`, `contains`, `regex`, `or`, `and`; the first model that
matches wins, case-insensitively, as in genai-prices) and may give several price sets under
date constraints: the one in effect on the newest `prices_checked` day of the snapshot is used.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from llmaestro.catalog.importers.common import ImportLog, to_decimal
from llmaestro.catalog.importers.litellm import Entry, classify, map_entry, read_json
from llmaestro.catalog.importers.source_file import SourceError, open_tarball
from llmaestro.catalog.validate import validate_catalog

#: genai-prices provider ids -> ours (providers not listed are not compared).
GENAI_PROVIDERS: dict[str, str] = {
    "anthropic": "anthropic",
    "aws": "amazon-bedrock",
    "azure": "azure",
    "cerebras": "cerebras",
    "cohere": "cohere",
    "deepseek": "deepseek",
    "fireworks": "fireworks-ai",
    "google": "google",
    "groq": "groq",
    "minimax": "minimax",
    "mistral": "mistral",
    "moonshotai": "moonshotai",
    "novita": "novita-ai",
    "openai": "openai",
    "openrouter": "openrouter",
    "ovhcloud": "ovhcloud",
    "perplexity": "perplexity",
    "together": "togetherai",
    "voyageai": "voyage",
    "x-ai": "xai",
    "zai": "zai",
    "zhipuai": "zhipuai",
}

#: genai-prices price keys -> (our field, multiplier to our unit).
GENAI_FIELDS: dict[str, tuple[str, int]] = {
    "input_mtok": ("input", 1),
    "output_mtok": ("output", 1),
    "cache_read_mtok": ("cache_read", 1),
    "cache_write_mtok": ("cache_write", 1),
    "cache_write_1h_mtok": ("cache_write_1h", 1),
    "input_audio_mtok": ("input_audio", 1),
    "output_audio_mtok": ("output_audio", 1),
    "cache_audio_read_mtok": ("cache_read_audio", 1),
    "input_image_mtok": ("input_image", 1),
    "output_image_mtok": ("output_image", 1),
    "output_reasoning_mtok": ("reasoning", 1),
    "web_searches_kcount": ("per_1k_web_searches", 1),
}

#: Our price fields compared (tiers are compared field by field too).
COMPARED = (
    "input",
    "output",
    "cache_read",
    "cache_write",
    "cache_write_1h",
    "reasoning",
    "input_audio",
    "output_audio",
    "cache_read_audio",
    "input_image",
    "output_image",
    "per_1k_web_searches",
    "per_web_search",
    "per_image",
    "per_second",
    "per_1k_characters",
    "per_request",
)

Prices = dict[str, Decimal]
"""Flat prices: `input`, `tiers.200000.input`, `service_tiers.batch.input` …"""


@dataclass(frozen=True, order=True)
class Difference:
    provider: str
    model: str
    source: str
    field: str
    ours: Decimal
    theirs: Decimal

    @property
    def absolute(self) -> Decimal:
        return self.ours - self.theirs

    @property
    def percent(self) -> Decimal | None:
        if self.theirs == 0:
            return None
        return (self.ours - self.theirs) / self.theirs * 100


@dataclass
class PriceComparison:
    sources: list[str] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    compared: int = 0
    #: source -> offerings both price
    matched: dict[str, int] = field(default_factory=dict)
    #: source -> prices compared
    per_source: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def flatten(pricing: Mapping[str, Any], prefix: str = "") -> Prices:
    """Flat prices of a pricing mapping (tiers keyed by their threshold)."""
    out: Prices = {}
    for name in COMPARED:
        value = pricing.get(name)
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            out[prefix + name] = Decimal(value)
    for tier in pricing.get("tiers") or ():
        out.update(flatten(tier, f"{prefix}tiers.{tier['above_tokens']}."))
    for tier_name, tier in (pricing.get("service_tiers") or {}).items():
        if isinstance(tier, Mapping):
            out.update(flatten(tier, f"{prefix}service_tiers.{tier_name}."))
    return out


# --- genai-prices ----------------------------------------------------------------------------


def matches(rule: Any, model: str) -> bool:
    """genai-prices' model match clauses, case-insensitive."""
    if not isinstance(rule, Mapping):
        return False
    text = model.lower()
    for key, value in rule.items():
        if key == "or":
            if not any(matches(r, model) for r in value or ()):
                return False
        elif key == "and":
            if not all(matches(r, model) for r in value or ()):
                return False
        elif key == "equals":
            if text != str(value).lower():
                return False
        elif key == "starts_with":
            if not text.startswith(str(value).lower()):
                return False
        elif key == "ends_with":
            if not text.endswith(str(value).lower()):
                return False
        elif key == "contains":
            if str(value).lower() not in text:
                return False
        elif key == "regex":
            if not re.search(str(value), model, re.IGNORECASE):
                return False
        else:
            return False
    return True


def _read_genai_files(path: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    if path.is_dir():
        for file in sorted(path.rglob("*.yml")) + sorted(path.rglob("*.yaml")):
            files[file.name] = file.read_bytes()
        return files
    with open_tarball(path, "a genai-prices snapshot") as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.endswith((".yml", ".yaml")):
                handle = tar.extractfile(member)
                if handle is not None:
                    files[member.name.rsplit("/", 1)[-1]] = handle.read()
    return files


@dataclass
class GenaiModel:
    id: str
    match: Any
    prices: Prices


def _genai_prices(spec: Any, as_of: dt.date) -> Prices | None:
    """The flat prices in effect on ``as_of`` (a date-constrained list picks the newest)."""
    if isinstance(spec, list):
        chosen: Any = None
        chosen_day = dt.date.min
        for option in spec:
            if not isinstance(option, Mapping):
                continue
            constraint = option.get("constraint") or {}
            if set(constraint) - {"start_date"}:
                continue  # time-of-day and other conditional prices are not comparable
            start = constraint.get("start_date") or dt.date.min
            if isinstance(start, dt.date) and start <= as_of and start >= chosen_day:
                chosen, chosen_day = option.get("prices"), start
        spec = chosen
    if not isinstance(spec, Mapping):
        return None
    out: Prices = {}
    for key, value in spec.items():
        if key not in GENAI_FIELDS:
            continue
        name, scale = GENAI_FIELDS[key]
        if isinstance(value, Mapping):
            base = to_decimal(value.get("base"))
            if base is not None:
                out[name] = base * scale
            for tier in value.get("tiers") or ():
                price = to_decimal(tier.get("price")) if isinstance(tier, Mapping) else None
                start = tier.get("start") if isinstance(tier, Mapping) else None
                if price is not None and isinstance(start, int):
                    out[f"tiers.{start}.{name}"] = price * scale
        else:
            price = to_decimal(value)
            if price is not None:
                out[name] = price * scale
    return out


def load_genai_prices(path: Path) -> tuple[dict[str, list[GenaiModel]], dt.date, list[str]]:
    """(our provider -> models in file order, the snapshot's newest check day, notes)."""
    providers: dict[str, list[GenaiModel]] = {}
    notes: list[str] = []
    docs: list[dict[str, Any]] = []
    for _name, raw in sorted(_read_genai_files(path).items()):
        try:
            doc = yaml.safe_load(raw)
        except (yaml.YAMLError, RecursionError) as exc:
            raise SourceError(f"{path}: {_name} is not readable YAML ({exc})") from None
        if isinstance(doc, dict) and "models" in doc:
            docs.append(doc)
    checked: list[dt.date] = [
        m["prices_checked"]
        for doc in docs
        for m in doc.get("models") or ()
        if isinstance(m, Mapping) and isinstance(m.get("prices_checked"), dt.date)
    ]
    as_of = max(checked, default=dt.date.today())
    for doc in docs:
        gid = str(doc.get("id"))
        ours = GENAI_PROVIDERS.get(gid)
        if ours is None:
            notes.append(f"genai-prices provider `{gid}` has no counterpart: not compared")
            continue
        for model in doc.get("models") or ():
            prices = _genai_prices(model.get("prices"), as_of)
            if prices:
                providers.setdefault(ours, []).append(
                    GenaiModel(str(model.get("id")), model.get("match"), prices)
                )
    return providers, as_of, notes


# --- LiteLLM ---------------------------------------------------------------------------------


def load_litellm_prices(path: Path) -> dict[tuple[str, str], tuple[str, Prices]]:
    """(our provider, model id) -> (LiteLLM key, flat prices), mapped as the importer maps."""
    data = read_json(path)
    log = ImportLog()
    entries: dict[tuple[str, str], Entry] = {}
    for key in sorted(data):
        raw = data[key]
        if not isinstance(raw, dict) or "alias_of" in raw:
            continue
        entry = classify(key, raw, log)
        if entry is None:
            continue
        entry.facts = map_entry(entry, raw, log)
        current = entries.get((entry.provider, entry.model))
        if current is None or (entry.prefixed and not current.prefixed):
            entries[(entry.provider, entry.model)] = entry
    return {k: (e.key, flatten(e.facts.get("pricing") or {})) for k, e in entries.items()}


# --- comparing -------------------------------------------------------------------------------


def _offering_prices(root: Path) -> dict[tuple[str, str], Prices]:
    result = validate_catalog(root)
    out: dict[tuple[str, str], Prices] = {}
    for key, offering in result.offerings.items():
        if offering.pricing is not None:
            out[key] = flatten(offering.pricing.model_dump(exclude_none=True))
    return out


def _compare(
    result: PriceComparison, source: str, provider: str, model: str, ours: Prices, theirs: Prices
) -> None:
    shared = sorted(set(ours) & set(theirs))
    if not shared:
        return
    result.matched[source] = result.matched.get(source, 0) + 1
    for name in shared:
        result.compared += 1
        result.per_source[source] = result.per_source.get(source, 0) + 1
        if ours[name] != theirs[name]:
            result.differences.append(
                Difference(provider, model, source, name, ours[name], theirs[name])
            )


def compare_prices(root: Path, against: Iterable[tuple[str, Path]]) -> PriceComparison:
    """Compare the catalog at ``root`` with each ``(kind, path)`` source."""
    ours = _offering_prices(root)
    result = PriceComparison()
    for kind, path in against:
        if kind == "genai-prices":
            providers, as_of, notes = load_genai_prices(path)
            label = "genai-prices"
            result.sources.append(f"{label} ({path.name}, prices in effect on {as_of})")
            result.notes.extend(notes)
            for (pid, mid), prices in sorted(ours.items()):
                for model in providers.get(pid, ()):
                    if matches(model.match, mid):
                        _compare(result, label, pid, mid, prices, model.prices)
                        break
        elif kind == "litellm":
            label = "litellm"
            result.sources.append(f"{label} ({path.name})")
            theirs = load_litellm_prices(path)
            folded = {(p, m.casefold()): (p, m) for p, m in theirs}
            for (pid, mid), prices in sorted(ours.items()):
                found = theirs.get((pid, mid)) or theirs.get(
                    folded.get((pid, mid.casefold()), ("", ""))
                )
                if found is not None:
                    _compare(result, label, pid, mid, prices, found[1])
        else:  # pragma: no cover - the CLI restricts the choices
            raise ValueError(f"unknown price source {kind}")
    result.differences.sort()
    return result


def _money(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def render_markdown(result: PriceComparison, *, min_percent: float = 0.0) -> str:
    """The comparison as Markdown: a summary, then one table per provider."""
    rows = [
        d
        for d in result.differences
        if d.percent is None or abs(d.percent) >= Decimal(str(min_percent))
    ]
    out = [
        "# Price discrepancies",
        "",
        "Written by `llmaestro report prices`: the catalog's prices (USD per 1M tokens, or per",
        "unit) against independent sources, for the offerings both price. `diff` is ours minus",
        "theirs; `%` is relative to theirs. Sources:",
        "",
        *[f"* {s}" for s in result.sources],
        "",
        *(
            [
                "LiteLLM is also a source of the import (its later prices win over models.dev),",
                "so a difference with it is a price a hand-authored file or a rule overrode.",
                "",
            ]
            if any(s.startswith("litellm") for s in result.sources)
            else []
        ),
        "| source | offerings compared | prices compared | differences |",
        "|---|---|---|---|",
    ]
    for label in sorted(result.per_source):
        count = sum(1 for d in rows if d.source == label)
        out.append(
            f"| {label} | {result.matched.get(label, 0)} | {result.per_source[label]} | {count} |"
        )
    providers = sorted({d.provider for d in rows})
    for pid in providers:
        mine = [d for d in rows if d.provider == pid]
        out += [
            "",
            f"## {pid}",
            "",
            "| model | source | price | ours | theirs | diff | % |",
            "|---|---|---|---|---|---|---|",
        ]
        for d in mine:
            pct = "n/a" if d.percent is None else f"{d.percent:+.1f}%"
            out.append(
                f"| `{d.model}` | {d.source} | {d.field} | {_money(d.ours)} | "
                f"{_money(d.theirs)} | {_money(d.absolute)} | {pct} |"
            )
    if result.notes:
        out += ["", "## Not compared", ""]
        out += [f"* {n}" for n in sorted(set(result.notes))]
    return "\n".join(out) + "\n"
