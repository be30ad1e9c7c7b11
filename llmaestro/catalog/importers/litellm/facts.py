"""The catalog facts of one LiteLLM entry: limits, capabilities, modality flags, prices.

Per-token prices become USD per 1M tokens, exactly (the JSON is parsed with Decimal); tier
(`_above_<N>k_tokens`) and service-tier (`_batches`, `_flex`, `_priority`) suffixes become
context tiers and service tiers. Every key that has no catalog field is reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from typing import Any, get_args

from llmaestro.catalog.importers.common import (
    LITELLM,
    NOISE_DIGITS,
    Facts,
    ImportLog,
    parse_day,
    plain_decimal,
    significant,
    to_decimal,
)
from llmaestro.catalog.importers.litellm.keys import Entry
from llmaestro.catalog.importers.litellm.windows import window_of
from llmaestro.catalog.model import MODALITIES, ReasoningEffort
from llmaestro.catalog.price_precision import artefact_note, round_artefact

EFFORTS: tuple[str, ...] = get_args(ReasoningEffort)

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
        round_price = round_artefact(rounded)
        if round_price is not None:
            source = f"litellm `{self.entry.key}`"
            self.log.change(
                self.target, fld, rounded, source, artefact_note(round_price), action="corrected"
            )
            return round_price
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
        window = window_of(e.provider, e.kind, limits.get("max_input"), limits.get("max_output"))
        if window is not None:
            limits["context"] = window
            self.log.counts[(LITELLM, "windows from a provider's one stated limit")] += 1
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
