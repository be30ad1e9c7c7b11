"""Read LiteLLM's model map (`model_prices_and_context_window.json`) and merge it into a build.

One JSON object per key. The key names the model as LiteLLM routes it (`gpt-4o`,
`bedrock/anthropic.claude-…`, `vertex_ai/gemini-…`); `litellm_provider` names the provider,
mapped to ours through the one table in :mod:`provider_map`. Not every key is a model:

* `sample_spec` documents the format, `fallback_generalizations` holds routing rules;
* `alias_of` stubs name another key: they become aliases of that offering;
* size and quality buckets (`256-x-256/dall-e-2`, `hd/1024-x-1792/dall-e-3`), provisioned
  throughput commitments and model-size price classes (`fireworks-ai-up-to-4b`) are prices,
  not models;
* regional price variants (`bedrock/us-east-1/…`, `azure/eu/…`) are the same model in a
  region: the catalog does not model regional prices;
* modes the catalog does not model (realtime, image edit, OCR, search …) are reported.

Per-token prices become USD per 1M tokens, exactly (the JSON is parsed with Decimal).
"""

from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args

from llmaestro.catalog.importers.common import (
    LITELLM,
    MODELS_DEV,
    NOISE_DIGITS,
    Facts,
    ImportLog,
    copy_data,
    dotted,
    parse_day,
    plain_decimal,
    significant,
    to_decimal,
)
from llmaestro.catalog.importers.provider_map import LITELLM_PROVIDERS
from llmaestro.catalog.model import MODALITIES, ReasoningEffort

EFFORTS: tuple[str, ...] = get_args(ReasoningEffort)

#: LiteLLM `mode` -> our kind.
MODES: dict[str, str] = {
    "chat": "chat",
    "responses": "chat",
    "completion": "completion",
    "embedding": "embedding",
    "rerank": "rerank",
    "moderation": "moderation",
    "image_generation": "image_generation",
    "audio_speech": "speech",
    "audio_transcription": "transcription",
    "video_generation": "video",
}

#: Price keys (without tier and service-tier suffixes) -> (our field, multiplier).
PRICE_KEYS: dict[str, tuple[str, int]] = {
    "input_cost_per_token": ("input", 1_000_000),
    "output_cost_per_token": ("output", 1_000_000),
    "cache_read_input_token_cost": ("cache_read", 1_000_000),
    "input_cost_per_token_cache_hit": ("cache_read", 1_000_000),
    "cache_creation_input_token_cost": ("cache_write", 1_000_000),
    "cache_creation_input_token_cost_above_1hr": ("cache_write_1h", 1_000_000),
    "input_cost_per_audio_token": ("input_audio", 1_000_000),
    "output_cost_per_audio_token": ("output_audio", 1_000_000),
    "cache_read_input_audio_token_cost": ("cache_read_audio", 1_000_000),
    "input_cost_per_image_token": ("input_image", 1_000_000),
    "output_cost_per_image_token": ("output_image", 1_000_000),
    "output_cost_per_reasoning_token": ("reasoning", 1_000_000),
    "input_cost_per_image": ("per_input_image", 1),
    "output_cost_per_image": ("per_image", 1),
    "input_cost_per_second": ("per_second", 1),
    "output_cost_per_second": ("per_second", 1),
    "input_cost_per_character": ("per_1k_characters", 1000),
    "input_cost_per_request": ("per_request", 1),
    "input_cost_per_query": ("per_request", 1),
}
SERVICE_TIERS = {"batches": "batch", "flex": "flex", "priority": "priority"}
_SUFFIX = re.compile(
    r"^(?P<base>.+?)(?:_above_(?P<k>[0-9]+)k_tokens)?(?:_(?P<st>batches|flex|priority))?$"
)

CAPABILITIES: dict[str, str] = {
    "supports_function_calling": "tool_calling",
    "supports_parallel_function_calling": "parallel_tool_calls",
    "supports_tool_choice": "tool_choice",
    "supports_response_schema": "structured_output",
    "supports_system_messages": "system_prompt",
    "supports_prompt_caching": "prompt_caching",
    "supports_web_search": "web_search",
    "supports_computer_use": "computer_use",
    "supports_native_streaming": "streaming",
}
#: supports_* flags -> (modalities side, modality)
MODALITY_FLAGS: dict[str, tuple[str, str]] = {
    "supports_vision": ("input", "image"),
    "supports_pdf_input": ("input", "pdf"),
    "supports_audio_input": ("input", "audio"),
    "supports_video_input": ("input", "video"),
    "supports_audio_output": ("output", "audio"),
}
_CONSUMED = frozenset(
    {
        "litellm_provider",
        "mode",
        "max_input_tokens",
        "max_output_tokens",
        "deprecation_date",
        "supports_reasoning",
        "reasoning_effort_levels",
        "rpm",
        "tpm",
        "successor_model",
        "supported_modalities",
        "supported_output_modalities",
        "search_context_cost_per_query",
        "tiered_pricing",
        "alias_of",
        "max_tokens",
    }
)

_SIZE = re.compile(r"^([0-9]+|max)-x-([0-9]+|max)$|^([0-9]+|max)-steps$")
_COMMITMENT = re.compile(r"^[0-9]+-months?-commitment$")
_REGION = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-[0-9]$")
_SCOPES = frozenset({"us", "eu", "global", "global-standard", "apac", "us-gov", "jp", "au"})
_SIZE_CLASS = re.compile(r"^(fireworks-ai|together-ai)-")


@dataclass
class Entry:
    """One LiteLLM key that is a model of a kind the catalog has."""

    key: str
    litellm_provider: str
    provider: str
    model: str
    kind: str
    facts: Facts
    flags: dict[str, dict[str, bool]] = field(default_factory=dict)
    prefixed: bool = False
    rpm: int | None = None
    tpm: int | None = None
    successor: str | None = None


@dataclass
class Snapshot:
    entries: list[Entry] = field(default_factory=list)
    aliases: list[tuple[str, str]] = field(default_factory=list)
    by_key: dict[str, Entry] = field(default_factory=dict)


def read_json(path: Path) -> dict[str, Any]:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    data = json.loads(raw.decode("utf-8"), parse_float=Decimal)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a JSON object")
    return data


def split_key(key: str, prefixes: tuple[str, ...]) -> tuple[str, bool]:
    """(model id, whether a provider prefix was stripped)."""
    head, sep, rest = key.partition("/")
    if sep and head in prefixes and rest:
        return rest, True
    return key, False


def classify(key: str, raw: dict[str, Any], log: ImportLog) -> Entry | None:
    """The entry of a key, or None (and a report line) when it is not a catalog model."""
    lp = raw.get("litellm_provider")
    where = str(lp) if lp else "-"
    if key == "sample_spec":
        log.skip(LITELLM, "-", key, "format documentation, not a model")
        return None
    if not isinstance(lp, str):
        log.skip(LITELLM, where, key, "no `litellm_provider`: not a model entry")
        return None
    mapping = LITELLM_PROVIDERS.get(lp)
    if mapping is None:
        log.skip(LITELLM, lp, key, f"LiteLLM provider `{lp}` is not in the provider table")
        return None
    model, prefixed = split_key(key, mapping.prefixes)
    segments = model.split("/")
    if _SIZE_CLASS.match(key) and "/" not in key:
        log.skip(LITELLM, mapping.provider, key, "pricing bucket: a price class by model size")
        return None
    if any(_SIZE.match(s) or _COMMITMENT.match(s) for s in segments):
        rest = segments
        while rest and (
            _SIZE.match(rest[0])
            or _COMMITMENT.match(rest[0])
            or _REGION.match(rest[0])
            or rest[0] in _SCOPES
            or rest[0] in ("*", "low", "medium", "high", "hd", "standard", "xhigh", "auto")
            or rest[0] in mapping.prefixes
        ):
            rest = rest[1:]
        what = (
            "provisioned-throughput commitment"
            if any(_COMMITMENT.match(s) for s in segments)
            else "size or quality"
        )
        log.skip(
            LITELLM,
            mapping.provider,
            key,
            f"pricing bucket ({what}) of `{'/'.join(rest)}`, not a model",
        )
        return None
    if len(segments) > 1 and (_REGION.match(segments[0]) or segments[0] in _SCOPES):
        log.skip(
            LITELLM,
            mapping.provider,
            key,
            f"regional price variant of `{'/'.join(segments[1:])}` ({segments[0]}): "
            "regional prices are not modelled",
        )
        return None
    if len(segments) > 1 and segments[0] == "invoke":
        log.skip(
            LITELLM,
            mapping.provider,
            key,
            f"route variant of `{'/'.join(segments[1:])}` (InvokeModel API), same model",
        )
        return None
    mode = raw.get("mode")
    kind = MODES.get(str(mode)) if mode is not None else None
    if kind is None:
        reason = f"unsupported kind `{mode}`" if mode is not None else "no `mode`: kind unknown"
        log.skip(LITELLM, mapping.provider, key, reason)
        return None
    return Entry(key, lp, mapping.provider, model, kind, {}, prefixed=prefixed)


class _Mapper:
    def __init__(self, log: ImportLog, entry: Entry) -> None:
        self.log = log
        self.entry = entry

    @property
    def target(self) -> str:
        return f"{self.entry.provider}/{self.entry.model}"

    def drop(self, fld: str, value: Any, why: str) -> None:
        self.log.change(self.target, fld, value, f"litellm `{self.entry.key}`", why)

    def count(self, value: Any, fld: str) -> int | None:
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.drop(fld, value, "not a whole number of tokens")
            return None
        if value < 1:
            self.drop(fld, value, "a token limit must be at least 1")
            return None
        return value

    def price(self, key: str, value: Any, scale: int, fld: str) -> Decimal | None:
        price = to_decimal(value)
        if price is None or price < 0:
            self.drop(fld, value, f"`{key}` is not a price")
            return None
        exact = plain_decimal(price * scale)
        rounded = plain_decimal(significant(exact, NOISE_DIGITS))
        if rounded != exact:
            self.log.change(
                self.target,
                fld,
                exact,
                f"litellm `{self.entry.key}`",
                f"binary floating-point noise: rounded to {NOISE_DIGITS} significant digits "
                f"(now {rounded})",
                action="corrected",
            )
        return rounded

    def prices(self, raw: dict[str, Any]) -> Facts:
        kind = self.entry.kind
        pricing: Facts = {}
        per_second: dict[str, Decimal] = {}
        for key, value in raw.items():
            match = _SUFFIX.match(key)
            if not match or "cost" not in key:
                continue
            base, k, st = match.group("base"), match.group("k"), match.group("st")
            if base not in PRICE_KEYS:
                if key not in _CONSUMED:
                    self.log.ignore(LITELLM, _generic(key), "price with no catalog field")
                continue
            name, scale = PRICE_KEYS[base]
            fld = (
                "pricing"
                + (f".service_tiers.{SERVICE_TIERS[st]}" if st else "")
                + (f".tiers.{int(k) * 1000}" if k else "")
                + f".{name}"
            )
            price = self.price(key, value, scale, fld)
            if price is None:
                continue
            if name == "per_second" and not k and not st:
                per_second[base] = price
                continue
            node = pricing
            if st:
                node = node.setdefault("service_tiers", {}).setdefault(SERVICE_TIERS[st], {})
            if k:
                tiers = node.setdefault("tiers", [])
                above = int(k) * 1000
                tier = next((t for t in tiers if t["above_tokens"] == above), None)
                if tier is None:
                    tier = {"above_tokens": above}
                    tiers.append(tier)
                    tiers.sort(key=lambda t: t["above_tokens"])
                node = tier
            if name in node and node[name] != price:
                self.drop(fld, price, f"`{key}` repeats a price already given ({node[name]})")
                continue
            node[name] = price
        if per_second:
            wanted = (
                "input_cost_per_second" if kind == "transcription" else "output_cost_per_second"
            )
            chosen = wanted if wanted in per_second else next(iter(per_second))
            for base, price in per_second.items():
                if base != chosen:
                    self.drop(
                        "pricing.per_second",
                        price,
                        f"`{base}`: one per-second price is kept per kind ({kind}), `{chosen}` is",
                    )
            pricing["per_second"] = per_second[chosen]
        search = raw.get("search_context_cost_per_query")
        if isinstance(search, dict):
            value = search.get("search_context_size_medium")
            if value is None:
                value = search.get("search_context_size_low")
            price = self.price("search_context_cost_per_query", value, 1, "pricing.per_web_search")
            if price is not None:
                pricing["per_web_search"] = price
            if len(search) > 1:
                self.log.ignore(
                    LITELLM,
                    "search_context_cost_per_query (low/high)",
                    "only the medium context size is kept as `per_web_search`",
                )
        tiered = raw.get("tiered_pricing")
        if isinstance(tiered, list):
            self._tiered(tiered, pricing)
        return pricing

    def _tiered(self, ranges: list[Any], pricing: Facts) -> None:
        for i, spec in enumerate(ranges):
            bounds = spec.get("range") if isinstance(spec, dict) else None
            if not isinstance(bounds, list) or not bounds:
                self.drop(f"pricing.tiers.{i}", spec, "`tiered_pricing` entry without a range")
                continue
            low = to_decimal(bounds[0])
            if low is None or low != low.to_integral_value() or low < 0:
                self.drop(f"pricing.tiers.{i}", spec, "range start is not a token count")
                continue
            prices: Facts = {}
            for key, value in spec.items():
                if key in PRICE_KEYS:
                    name, scale = PRICE_KEYS[key]
                    price = self.price(key, value, scale, f"pricing.tiers.{i}.{name}")
                    if price is not None:
                        prices[name] = price
            if int(low) == 0:
                for name, price in prices.items():
                    pricing.setdefault(name, price)
                continue
            tiers = pricing.setdefault("tiers", [])
            if any(t["above_tokens"] == int(low) for t in tiers):
                continue
            tiers.append({"above_tokens": int(low), **prices})
            tiers.sort(key=lambda t: t["above_tokens"])

    def facts(self, raw: dict[str, Any]) -> Facts:
        e = self.entry
        f: Facts = {"kind": e.kind}
        limits: Facts = {}
        for key, name in (("max_input_tokens", "max_input"), ("max_output_tokens", "max_output")):
            if raw.get(key) is not None:
                value = self.count(raw[key], f"limits.{name}")
                if value is not None:
                    limits[name] = value
        if limits:
            f["limits"] = limits
        caps: Facts = {}
        for key, name in CAPABILITIES.items():
            value = raw.get(key)
            if isinstance(value, bool):
                caps[name] = value
        reasoning: Facts = {}
        if isinstance(raw.get("supports_reasoning"), bool):
            reasoning["supported"] = raw["supports_reasoning"]
        levels = raw.get("reasoning_effort_levels")
        if isinstance(levels, list):
            kept = [lv for lv in EFFORTS if lv in levels]
            for lv in levels:
                if lv not in EFFORTS:
                    self.drop("capabilities.reasoning.effort_levels", lv, "not an effort level")
            if kept:
                reasoning["effort_levels"] = kept
        if reasoning:
            caps["reasoning"] = reasoning
        if caps:
            f["capabilities"] = caps
        flags: dict[str, dict[str, bool]] = defaultdict(dict)
        for key, (side, modality) in MODALITY_FLAGS.items():
            if isinstance(raw.get(key), bool):
                flags[side][modality] = raw[key]
        for key, side in (
            ("supported_modalities", "input"),
            ("supported_output_modalities", "output"),
        ):
            values = raw.get(key)
            if isinstance(values, list) and values:
                for value in values:
                    if value in MODALITIES:
                        flags[side][value] = True
                    else:
                        self.drop(f"modalities.{side}", value, "not a modality")
                if any(v in MODALITIES for v in values):
                    for modality in MODALITIES:
                        flags[side].setdefault(modality, False)
        e.flags = dict(flags)
        pricing = self.prices(raw)
        if pricing:
            f["pricing"] = pricing
        if raw.get("deprecation_date") is not None:
            day = parse_day(raw["deprecation_date"])
            if day is None:
                self.drop(
                    "lifecycle.deprecation_date",
                    raw["deprecation_date"],
                    "not a calendar date (YYYY-MM-DD)",
                )
            else:
                f["lifecycle"] = {"deprecation_date": day}
        for key, attr in (("rpm", "rpm"), ("tpm", "tpm")):
            if raw.get(key) is not None:
                value = self.count(raw[key], f"rate_limits.{key}")
                if value is not None:
                    setattr(e, attr, value)
        successor = raw.get("successor_model")
        if isinstance(successor, str) and successor.strip():
            e.successor = successor.strip()
        for key in raw:
            if key in _CONSUMED or key in CAPABILITIES or key in MODALITY_FLAGS:
                continue
            if "cost" in key and _SUFFIX.match(key):
                continue
            self.log.ignore(LITELLM, _generic(key), "not modelled")
        return f


def map_entry(entry: Entry, raw: dict[str, Any], log: ImportLog) -> Facts:
    """The catalog facts of a classified entry (also sets its flags, limits and successor)."""
    return _Mapper(log, entry).facts(raw)


def _generic(key: str) -> str:
    """Group price keys for the report: tier sizes and service tiers written as patterns."""
    key = re.sub(r"_above_[0-9]+k_tokens", "_above_<N>k_tokens", key)
    return key


def modalities_from_flags(flags: dict[str, dict[str, bool]], kind: str) -> Facts:
    """Modality lists of an offering only LiteLLM describes."""
    out: Facts = {}
    for side in ("input", "output"):
        known = flags.get(side) or {}
        if not known:
            continue
        values = [m for m in MODALITIES if known.get(m)]
        if kind in ("chat", "completion") and "text" not in known:
            values = ["text", *values]
        if values:
            out[side] = values
    return out


def load(path: Path, log: ImportLog) -> Snapshot:
    data = read_json(path)
    snap = Snapshot()
    log.counts[(LITELLM, "keys")] = len(data)
    for key in sorted(data):
        raw = data[key]
        if not isinstance(raw, dict):
            log.skip(LITELLM, "-", key, "not an object")
            continue
        if "alias_of" in raw:
            snap.aliases.append((key, str(raw["alias_of"])))
            continue
        if key == "fallback_generalizations":
            log.skip(LITELLM, "-", key, "routing rules for unmapped ids, not a model")
            continue
        entry = classify(key, raw, log)
        if entry is None:
            continue
        entry.facts = map_entry(entry, raw, log)
        snap.entries.append(entry)
        snap.by_key[key] = entry
    log.counts[(LITELLM, "model entries of a modelled kind")] = len(snap.entries)
    log.counts[(LITELLM, "alias stubs")] = len(snap.aliases)
    return snap


# --- merging into a build --------------------------------------------------------------------


def _is_price(path: tuple[str, ...]) -> bool:
    return bool(path) and path[0] == "pricing"


def merge_into(
    builder: Any,
    snap: Snapshot,
    provider_facts: dict[str, Facts],
    provider_origin: dict[str, str],
    provider_sources: dict[str, list[str]],
) -> None:
    """Merge LiteLLM's entries into the builder's offerings (models.dev first)."""
    from llmaestro.catalog.importers.merge import Draft, fill

    log: ImportLog = builder.log
    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in snap.entries:
        existing = builder.find(entry.provider, entry.model)
        model = existing.model if existing is not None else entry.model
        groups[(entry.provider, model)].append(entry)
    price_source = (
        builder.later_source(MODELS_DEV, LITELLM) if MODELS_DEV in builder.by_name else LITELLM
    )
    final_id: dict[str, tuple[str, str]] = {}
    pending: list[tuple[Any, Entry]] = []
    for (pid, mid), entries in sorted(groups.items()):
        entries.sort(key=lambda e: (not e.prefixed, e.key))
        primary = entries[0]
        target = f"{pid}/{mid}"
        facts, flags, origin_of = _combine(log, target, entries)
        for entry in entries:
            final_id[entry.key] = (pid, mid)
        origin = f"litellm `{primary.key}`"
        cleaned = builder.clean(
            facts,
            "offering",
            {"provider": pid, "model": mid},
            target,
            _origin_fn(origin_of, origin),
            defer=("LM027",),
        )
        if cleaned is None:
            for entry in entries:
                log.skip(LITELLM, pid, entry.key, "breaks the catalog's rules beyond repair")
            continue
        draft = builder.find(pid, mid)
        if draft is not None and MODELS_DEV in draft.sources:
            _merge_with_models_dev(builder, draft, cleaned, flags, primary, price_source, origin_of)
        elif draft is not None:  # a hand-authored-only offering already drafted: not expected
            fill(
                draft.facts,
                cleaned,
                prefer_other=lambda _p: False,
                on_conflict=lambda *_a: None,
                on_fill=lambda _p: None,
            )
        else:
            mods = modalities_from_flags(flags, primary.kind)
            if mods:
                cleaned["modalities"] = mods
            from llmaestro.catalog.importers.pipeline import same_model

            base = same_model(pid, mid, builder.built.canonical)
            draft = Draft(pid, mid, cleaned, origin, base, [LITELLM])
            draft.field_origin.update(origin_of)
            builder.add_draft(draft)
        draft.litellm_keys.extend(e.key for e in entries)
        if LITELLM not in draft.sources:
            draft.sources.append(LITELLM)
        rpm = next((e.rpm for e in entries if e.rpm), None)
        tpm = next((e.tpm for e in entries if e.tpm), None)
        if rpm or tpm:
            tier: Facts = {"tier": "default", "models": [mid]}
            if rpm:
                tier["requests_per_minute"] = rpm
            if tpm:
                tier["tokens_per_minute"] = tpm
            provider_facts.setdefault(pid, {}).setdefault("rate_limits", []).append(tier)
        successor = next((e for e in entries if e.successor), None)
        if successor is not None:
            pending.append((draft, successor))
    _resolve_successors(builder, snap, final_id, pending)
    contributed = {p for p, _ in final_id.values()}
    _aliases(builder, snap, final_id)
    for lp, mapping in LITELLM_PROVIDERS.items():
        pid = mapping.provider
        if pid not in contributed:
            continue
        facts = provider_facts.setdefault(pid, {})
        sources = provider_sources.setdefault(pid, [])
        if LITELLM not in sources:
            sources.append(LITELLM)
        provider_origin.setdefault(pid, f"litellm provider `{lp}`")
        names = [n for n, m in LITELLM_PROVIDERS.items() if m.provider == pid]
        if pid not in names and "litellm_prefix" not in facts:
            facts["litellm_prefix"] = names[0]


def _origin_fn(origin_of: dict[tuple[str, ...], str], default: str) -> OriginFn:
    def origin(path: tuple[str | int, ...]) -> str:
        return origin_of.get(tuple(map(str, path)), default)

    return origin


def _combine(
    log: ImportLog, target: str, entries: list[Entry]
) -> tuple[Facts, dict[str, dict[str, bool]], dict[tuple[str, ...], str]]:
    """One set of facts from several LiteLLM keys for the same offering (the first wins)."""
    from llmaestro.catalog.importers.merge import fill

    primary = entries[0]
    facts = copy_data(primary.facts)
    flags = {side: dict(v) for side, v in primary.flags.items()}
    origin_of: dict[tuple[str, ...], str] = {}
    for other in entries[1:]:
        label = f"litellm `{other.key}`"

        def conflict(
            path: tuple[str, ...], mine: Any, theirs: Any, take: bool, label: str = label
        ) -> None:
            log.conflict(
                target,
                dotted(path),
                f"litellm `{primary.key}`",
                mine,
                label,
                theirs,
                "two LiteLLM keys for one offering: the provider-prefixed key wins",
            )

        def filled(path: tuple[str, ...], label: str = label) -> None:
            origin_of[path] = label

        fill(facts, other.facts, prefer_other=_never, on_conflict=conflict, on_fill=filled)
        for side, known in other.flags.items():
            for modality, value in known.items():
                flags.setdefault(side, {}).setdefault(modality, value)
        log.skip(
            LITELLM,
            primary.provider,
            other.key,
            f"duplicate of `{primary.key}` (both are {target}): merged into it",
        )
    return facts, flags, origin_of


def _never(_path: tuple[str, ...]) -> bool:
    return False


def _merge_with_models_dev(
    builder: Any,
    draft: Any,
    ll_facts: Facts,
    flags: dict[str, dict[str, bool]],
    primary: Entry,
    price_source: str,
    origin_of: dict[tuple[str, ...], str],
) -> None:
    from llmaestro.catalog.importers.merge import fill

    log: ImportLog = builder.log
    target = draft.target
    key_label = f"litellm `{primary.key}`"

    def prefer_litellm(path: tuple[str, ...]) -> bool:
        if _is_price(path):
            return price_source == LITELLM
        return path == ("kind",)

    def conflict(path: tuple[str, ...], mine: Any, theirs: Any, take: bool) -> None:
        if path == ("kind",):
            why = "models.dev states no kind (guessed from modalities): LiteLLM's `mode` wins"
        elif _is_price(path):
            why = f"prices: the later snapshot ({price_source}) wins"
        else:
            why = "models.dev is the primary source for facts other than prices"
        md_label = draft.origin_of(path)
        if take:
            log.conflict(target, dotted(path), key_label, theirs, md_label, mine, why)
            draft.field_origin[path] = origin_of.get(path, key_label)
        else:
            log.conflict(target, dotted(path), md_label, mine, key_label, theirs, why)

    def filled(path: tuple[str, ...]) -> None:
        draft.field_origin[path] = origin_of.get(path, key_label)

    limits = ll_facts.get("limits") or {}
    context = (draft.facts.get("limits") or {}).get("context")
    if limits.get("max_input") is not None and limits.get("max_input") == context:
        limits.pop("max_input")  # LiteLLM's input limit is models.dev's context: nothing new
        if not limits:
            ll_facts.pop("limits", None)
    fill(draft.facts, ll_facts, prefer_other=prefer_litellm, on_conflict=conflict, on_fill=filled)
    mods = draft.facts.get("modalities")
    if not mods:
        built = modalities_from_flags(flags, primary.kind)
        if built:
            draft.facts["modalities"] = built
            draft.field_origin[("modalities",)] = key_label
        return
    for side, known in flags.items():
        have = mods.get(side)
        if have is None:
            continue
        for modality, value in known.items():
            if value != (modality in have):
                log.conflict(
                    target,
                    f"modalities.{side}",
                    draft.origin_of(("modalities", side)),
                    have,
                    key_label,
                    f"{modality}: {'yes' if value else 'no'}",
                    "models.dev is the primary source for facts other than prices",
                )


def _resolve_successors(
    builder: Any,
    snap: Snapshot,
    final_id: dict[str, tuple[str, str]],
    pending: list[tuple[Any, Entry]],
) -> None:
    """`successor_model` -> `lifecycle.replacement`, when the successor is in the catalog."""
    log: ImportLog = builder.log
    for draft, entry in pending:
        successor = entry.successor
        assert successor is not None
        life = draft.facts.setdefault("lifecycle", {})
        if "replacement" in life:
            continue
        found = final_id.get(successor)
        mapping = LITELLM_PROVIDERS.get(entry.litellm_provider)
        for prefix in mapping.prefixes if mapping and found is None else ():
            found = final_id.get(f"{prefix}/{successor}")
            if found:
                break
        if found is None:
            if not life:
                draft.facts.pop("lifecycle")
            log.change(
                draft.target,
                "lifecycle.replacement",
                successor,
                f"litellm `{entry.key}`",
                "LM031 `successor_model` names no offering in the catalog",
            )
            continue
        pid, mid = found
        life["replacement"] = mid if pid == draft.provider else f"{pid}/{mid}"
        draft.field_origin[("lifecycle", "replacement")] = f"litellm `{entry.key}`"
    del snap


def _aliases(builder: Any, snap: Snapshot, final_id: dict[str, tuple[str, str]]) -> None:
    log: ImportLog = builder.log
    for alias_key, target_key in snap.aliases:
        found = final_id.get(target_key)
        head = alias_key.split("/", 1)[0] if "/" in alias_key else ""
        if found is None:
            for lp, mapping in LITELLM_PROVIDERS.items():
                if head in mapping.prefixes:
                    found = final_id.get(f"{head}/{target_key}") or final_id.get(
                        f"{lp}/{target_key}"
                    )
                    if found:
                        break
        if found is None:
            log.skip(
                LITELLM,
                head or "-",
                alias_key,
                f"alias stub of `{target_key}`, which is not in the catalog",
            )
            continue
        pid, mid = found
        alias = alias_key.split("/", 1)[1] if head and head in _prefixes_of(pid) else alias_key
        draft = builder.built.offerings.get((pid, mid))
        if draft is None:
            log.skip(
                LITELLM,
                pid,
                alias_key,
                f"alias stub of `{target_key}` ({pid}/{mid}), which is not in the catalog",
            )
            continue
        if alias not in draft.aliases:
            draft.aliases.append(alias)
            draft.field_origin[("aliases",)] = f"litellm `{alias_key}`"
        log.skip(LITELLM, pid, alias_key, f"alias stub: written as alias `{alias}` of {pid}/{mid}")


def _prefixes_of(pid: str) -> set[str]:
    return {p for m in LITELLM_PROVIDERS.values() if m.provider == pid for p in m.prefixes}


OriginFn = Callable[[tuple[str | int, ...]], str]
