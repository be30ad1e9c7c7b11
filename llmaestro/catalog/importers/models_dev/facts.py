"""The catalog facts a models.dev model file states, and the kind it does not state.

Every value that breaks a rule or has no catalog field is reported (dropped or corrected),
and every key the catalog does not model gets one report line.
"""

from __future__ import annotations

from typing import Any, get_args

from llmaestro.catalog.importers.common import (
    MODELS_DEV,
    NOISE_DIGITS,
    Facts,
    ImportLog,
    parse_day,
    parse_month_or_day,
    plain_decimal,
    significant,
    to_decimal,
)
from llmaestro.catalog.model import MODALITIES, ReasoningEffort
from llmaestro.catalog.price_precision import artefact_note, round_artefact

EFFORTS: tuple[str, ...] = get_args(ReasoningEffort)

#: Keys of a models.dev cost table -> our price field.
COST_KEYS: dict[str, str] = {
    "input": "input",
    "output": "output",
    "cache_read": "cache_read",
    "cache_write": "cache_write",
    "input_audio": "input_audio",
    "output_audio": "output_audio",
    "reasoning": "reasoning",
}
#: Keys models.dev's schema does not know (it drops them silently) whose meaning is clear.
COST_ALIASES: dict[str, tuple[str, str]] = {
    "cache_input": ("cache_read", "cached prompt tokens are cache reads"),
    "cached_input": ("cache_read", "cached prompt tokens are cache reads"),
    "cached_read": ("cache_read", "cached prompt tokens are cache reads"),
    "cache_hit": ("cache_read", "cache hits are cache reads"),
    "cached_write": ("cache_write", "written to the cache"),
    "cache_creation": ("cache_write", "written to the cache"),
    "request": ("per_request", "a price per request"),
}
#: Keys whose unit or meaning the source does not state: reported, not imported.
COST_UNCLEAR: dict[str, str] = {
    "citation": "citation tokens are billed apart; the catalog has no field for them",
    "image": "the unit is not stated (per image, or per 1M image tokens)",
}

#: Top-level keys the catalog does not model: one report line per key.
NOT_MODELLED: dict[str, str] = {
    "benchmarks": "benchmark scores are not catalog facts",
    "links": "links to weights and papers are not modelled",
    "weights": "weight downloads are not modelled",
    "interleaved": "the reasoning-content field name of the wire format is not modelled",
    "provider": "per-model SDK package, endpoint and API shape are not modelled",
    "attachment": "represented by `modalities.input` (image, pdf, audio, video)",
}


class _Mapper:
    """Maps one raw file to facts, logging what it drops or corrects."""

    def __init__(self, log: ImportLog, target: str, src: str) -> None:
        self.log = log
        self.target = target
        self.src = src

    def drop(self, fld: str, value: Any, why: str) -> None:
        self.log.change(self.target, fld, value, self.src, why)

    def fix(self, fld: str, value: Any, why: str) -> None:
        self.log.change(self.target, fld, value, self.src, why, action="corrected")

    def boolean(self, raw: dict[str, Any], key: str, fld: str) -> bool | None:
        value = raw.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.drop(fld, value, "not a boolean")
            return None
        return value

    def count(self, value: Any, fld: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.drop(fld, value, "not a whole number of tokens")
            return None
        if value < 1:
            self.drop(fld, value, "a token limit must be at least 1 (0 stands for unknown)")
            return None
        return value

    def prices(self, cost: dict[str, Any], fld: str) -> Facts:
        out: Facts = {}
        for key, value in cost.items():
            if key in ("tiers", "context_over_200k"):
                continue
            if isinstance(value, dict):
                self.log.ignore(MODELS_DEV, f"cost.{key}", "nested cost table not modelled")
                self.drop(f"{fld}.{key}", value, "nested cost table has no field in the catalog")
                continue
            if key in COST_KEYS:
                name = COST_KEYS[key]
            elif key in COST_ALIASES:
                name, meaning = COST_ALIASES[key]
                if name in out or any(COST_KEYS.get(k) == name for k in cost):
                    self.drop(f"{fld}.{key}", value, f"unknown cost key; `{name}` is already given")
                    continue
                self.fix(
                    f"{fld}.{key}", value, f"unknown cost key `{key}` mapped to `{name}`: {meaning}"
                )
            elif key in COST_UNCLEAR:
                self.drop(f"{fld}.{key}", value, f"unknown cost key `{key}`: {COST_UNCLEAR[key]}")
                continue
            else:
                self.drop(f"{fld}.{key}", value, f"unknown cost key `{key}`: meaning not clear")
                continue
            price = to_decimal(value)
            if price is None or price < 0:
                self.drop(f"{fld}.{key}", value, "not a price (a number of USD, at least 0)")
                continue
            rounded = plain_decimal(significant(price))
            if rounded != price:
                self.fix(
                    f"{fld}.{name}",
                    price,
                    f"binary floating-point noise: rounded to {NOISE_DIGITS} significant digits "
                    f"(now {rounded})",
                )
            round_price = round_artefact(rounded)
            if round_price is not None:
                self.fix(f"{fld}.{name}", rounded, artefact_note(round_price))
                rounded = round_price
            out[name] = rounded
        return out

    def pricing(self, cost: Any) -> Facts:
        if not isinstance(cost, dict):
            self.drop("pricing", cost, "`cost` is not a table")
            return {}
        out = self.prices(cost, "pricing")
        tiers: list[Facts] = []
        for i, tier in enumerate(cost.get("tiers") or ()):
            spec = tier.get("tier") if isinstance(tier, dict) else None
            size = spec.get("size") if isinstance(spec, dict) else None
            kind = spec.get("type", "context") if isinstance(spec, dict) else None
            if kind != "context" or isinstance(size, bool) or not isinstance(size, int):
                self.drop(f"pricing.tiers.{i}", tier, "tier without a context size")
                continue
            prices = {k: v for k, v in tier.items() if k != "tier"}
            tiers.append({"above_tokens": size, **self.prices(prices, f"pricing.tiers.{i}")})
        over = cost.get("context_over_200k")
        if isinstance(over, dict):
            tiers.append({"above_tokens": 200_000, **self.prices(over, "pricing.tiers")})
        if tiers:
            out["tiers"] = sorted(tiers, key=lambda t: t["above_tokens"])
        return out

    def reasoning_controls(self, options: Any) -> Facts:
        out: Facts = {}
        if not isinstance(options, list):
            self.drop("capabilities.reasoning", options, "`reasoning_options` is not a list")
            return out
        for option in options:
            kind = option.get("type") if isinstance(option, dict) else None
            if kind == "effort":
                levels: list[str] = []
                for level in option.get("values") or ():
                    if level in EFFORTS and level not in levels:
                        levels.append(level)
                    elif level not in EFFORTS:
                        self.drop(
                            "capabilities.reasoning.effort_levels",
                            level,
                            "not an effort level (" + ", ".join(EFFORTS) + ")",
                        )
                if levels:
                    out["effort_levels"] = levels
            elif kind == "budget_tokens":
                budget = {}
                for bound in ("min", "max"):
                    value = option.get(bound)
                    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                        budget[bound] = value
                    elif value is not None:
                        self.drop(
                            f"capabilities.reasoning.budget_tokens.{bound}",
                            value,
                            "not a token count",
                        )
                if budget:
                    out["budget_tokens"] = budget
                else:
                    self.log.ignore(
                        MODELS_DEV,
                        "reasoning_options budget_tokens (no min/max)",
                        "a budget control with no range: nothing to record",
                    )
            elif kind == "toggle":
                out["toggle"] = True
            else:
                self.drop("capabilities.reasoning", option, "unknown reasoning option")
        return out

    def modality_list(self, values: Any, fld: str) -> list[str] | None:
        if not isinstance(values, list):
            self.drop(fld, values, "not a list")
            return None
        out: list[str] = []
        for value in values:
            if value in MODALITIES and value not in out:
                out.append(value)
            elif value not in MODALITIES:
                self.drop(fld, value, "not a modality (" + ", ".join(MODALITIES) + ")")
        return out

    def facts(self, raw: dict[str, Any]) -> Facts:
        """The facts one raw file states (only the keys it has: a partial set when it has a
        base model)."""
        f: Facts = {}
        for key in ("name", "family", "license"):
            value = raw.get(key)
            if isinstance(value, str) and value.strip():
                f[key] = value.strip()
            elif value is not None:
                self.drop(key, value, "not a non-empty text")
        life: Facts = {}
        for key in ("release_date", "last_updated"):
            if key in raw:
                day = parse_day(raw[key])
                if day is None:
                    self.drop(f"lifecycle.{key}", raw[key], _date_problem(raw[key]))
                else:
                    life[key] = day
        status = raw.get("status")
        if status is not None:
            mapped = {"alpha": "preview", "beta": "preview", "deprecated": "deprecated"}.get(
                str(status)
            )
            if mapped is None:
                self.drop("lifecycle.status", status, "unknown status")
            else:
                life["status"] = mapped
        if life:
            f["lifecycle"] = life
        if "knowledge" in raw:
            cutoff = parse_month_or_day(raw["knowledge"])
            if cutoff is None:
                self.drop("knowledge_cutoff", raw["knowledge"], "not a date or YYYY-MM month")
            else:
                f["knowledge_cutoff"] = cutoff
        weights = self.boolean(raw, "open_weights", "open_weights")
        if weights is not None:
            f["open_weights"] = weights
        caps: Facts = {}
        for key, name in (
            ("tool_call", "tool_calling"),
            ("structured_output", "structured_output"),
            ("temperature", "temperature"),
        ):
            value = self.boolean(raw, key, f"capabilities.{name}")
            if value is not None:
                caps[name] = value
        reasoning: Facts = {}
        supported = self.boolean(raw, "reasoning", "capabilities.reasoning.supported")
        if supported is not None:
            reasoning["supported"] = supported
        if "reasoning_options" in raw:
            reasoning.update(self.reasoning_controls(raw["reasoning_options"]))
        if reasoning:
            caps["reasoning"] = reasoning
        if caps:
            f["capabilities"] = caps
        modalities = raw.get("modalities")
        if isinstance(modalities, dict):
            mods: Facts = {}
            for side in ("input", "output"):
                if side in modalities:
                    values = self.modality_list(modalities[side], f"modalities.{side}")
                    if values:
                        mods[side] = values
            if mods:
                f["modalities"] = mods
        limit = raw.get("limit")
        if isinstance(limit, dict):
            limits: Facts = {}
            for key, name in (
                ("context", "context"),
                ("input", "max_input"),
                ("output", "max_output"),
            ):
                if key in limit:
                    value = self.count(limit[key], f"limits.{name}")
                    if value is not None:
                        limits[name] = value
            if limits:
                f["limits"] = limits
        if "cost" in raw:
            pricing = self.pricing(raw["cost"])
            if pricing:
                f["pricing"] = pricing
        fast = (((raw.get("experimental") or {}).get("modes") or {}).get("fast")) or None
        if isinstance(fast, dict):
            body = ((fast.get("provider") or {}).get("body")) or {}
            if body.get("service_tier") == "priority" and isinstance(fast.get("cost"), dict):
                priority = self.prices(fast["cost"], "pricing.service_tiers.priority")
                if priority:
                    f.setdefault("pricing", {})["service_tiers"] = {"priority": priority}
            else:
                self.log.ignore(
                    MODELS_DEV,
                    "experimental.modes.fast",
                    "fast modes other than `service_tier = priority` have no field",
                )
        for key in raw:
            if key in NOT_MODELLED:
                self.log.ignore(MODELS_DEV, key, NOT_MODELLED[key])
            elif key not in _KNOWN_KEYS:
                self.log.ignore(MODELS_DEV, key, "unknown key, not imported")
        return f


_KNOWN_KEYS = frozenset(
    [
        "name",
        "family",
        "license",
        "release_date",
        "last_updated",
        "status",
        "knowledge",
        "open_weights",
        "tool_call",
        "structured_output",
        "temperature",
        "reasoning",
        "reasoning_options",
        "modalities",
        "limit",
        "cost",
        "experimental",
        "base_model",
        "base_model_omit",
    ]
)


def map_model(raw: dict[str, Any], log: ImportLog, target: str, src: str) -> Facts:
    """The catalog facts a models.dev model table states."""
    return _Mapper(log, target, src).facts(raw)


def _date_problem(value: Any) -> str:
    text = str(value).strip()
    if len(text) == 7 and parse_month_or_day(text) is not None:
        return "a month (YYYY-MM): lifecycle dates are whole days; the day is unknown"
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit():
        return "an impossible calendar date"
    return "not a date (YYYY-MM-DD)"


# --- kinds -----------------------------------------------------------------------------------


def infer_kind(model_id: str, facts: Facts) -> str:
    """models.dev has no `kind`: guess it from the id, the name and the modalities."""
    name = str(facts.get("name") or "")
    text = f"{model_id} {name} {facts.get('family') or ''}".lower()
    mods = facts.get("modalities") or {}
    out = set(mods.get("output") or ())
    inp = set(mods.get("input") or ())
    if "deepgram" in text:  # models.dev gives Deepgram's audio models text in and out
        if "aura" in text:
            return "speech"
        if "nova" in text:
            return "transcription"
    if "melotts" in text:
        return "speech"
    if "embed" in text:
        return "embedding"
    if "rerank" in text:
        return "rerank"
    if "moderation" in text:
        return "moderation"
    if out and "text" not in out:
        if "video" in out:
            return "video"
        if "image" in out:
            return "image_generation"
        if out == {"audio"}:
            return "speech"
    if "whisper" in text or "transcri" in text or (inp == {"audio"} and out == {"text"}):
        return "transcription"
    if ("tts" in text.replace("-", " ").split() or "-tts" in text) and "audio" in out:
        return "speech"
    return "chat"
