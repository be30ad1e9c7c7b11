"""A small hand-written catalog document and hypothesis strategies for export tests.

Independent of the repository catalog (which other work edits concurrently), so expected
query results stay fixed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from llmaestro.catalog.model import CanonicalModel, Offering, Provider
from llmaestro.registry.core import Registry


def _dump(model: Any, data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = model.model_validate(data, strict=False).model_dump(
        mode="json", exclude_none=True
    )
    return out


_GPT4O_FACTS: dict[str, Any] = {
    "name": "GPT-4o",
    "family": "gpt",
    "kind": "chat",
    "open_weights": False,
    "knowledge_cutoff": "2023-09",
    "limits": {"context": 128000, "max_output": 16384},
    "modalities": {"input": ["text", "image", "pdf"], "output": ["text"]},
    "capabilities": {
        "tool_calling": True,
        "streaming": True,
        "structured_output": True,
        "reasoning": {"supported": False},
    },
    "lifecycle": {"status": "active", "release_date": "2024-05-13"},
}

_GEMINI_FACTS: dict[str, Any] = {
    "name": "Gemini 2.5 Pro",
    "family": "gemini-pro",
    "kind": "chat",
    "limits": {"context": 1048576, "max_output": 65536},
    "modalities": {"input": ["text", "image", "audio", "video", "pdf"], "output": ["text"]},
    "capabilities": {"tool_calling": True, "reasoning": {"supported": True}},
    "lifecycle": {"status": "active", "release_date": "2025-03-25"},
}


def sample_document() -> dict[str, Any]:
    """Providers openai, google (LiteLLM prefix `gemini`) and relay (a reseller); seven
    offerings, among them one retired and one with no known facts."""
    providers: dict[str, dict[str, Any]] = {
        "openai": {
            "provider": "openai",
            "name": "OpenAI",
            "api": {
                "style": "openai-chat",
                "base_url": "https://api.openai.com/v1",
                "auth": {"env": ["OPENAI_API_KEY"], "header": "Authorization", "scheme": "Bearer"},
            },
            "pricing_url": "https://openai.com/api/pricing/",
            "rate_limits": [
                {
                    "tier": "tier-1",
                    "models": ["gpt-4o", "gpt-4o-2024-08-06"],
                    "requests_per_minute": 500,
                    "tokens_per_minute": 30000,
                },
                {"tier": "free", "requests_per_day": 200},
            ],
        },
        "google": {
            "provider": "google",
            "name": "Google AI Studio",
            "litellm_prefix": "gemini",
            "api": {"style": "gemini", "base_url": "https://generativelanguage.googleapis.com"},
        },
        "relay": {
            "provider": "relay",
            "name": "Relay",
            "api": {"style": "openai-chat", "base_url": "https://relay.example/v1"},
        },
    }
    canonical = {
        "openai/gpt-4o": {"lab": "openai", "model": "gpt-4o", **_GPT4O_FACTS},
        "google/gemini-2.5-pro": {"lab": "google", "model": "gemini-2.5-pro", **_GEMINI_FACTS},
    }
    offerings: list[dict[str, Any]] = [
        {
            "provider": "openai",
            "model": "gpt-4o",
            "base": "openai/gpt-4o",
            **_GPT4O_FACTS,
            "aliases": ["gpt-4o-2024-08-06"],
            "pricing": {
                "input": "2.50",
                "output": "10.00",
                "cache_read": "1.25",
                "service_tiers": {"batch": {"input": "1.25", "output": "5.00"}},
                "effective": "2024-10-01",
                "history": [
                    {
                        "effective": "2024-05-13",
                        "until": "2024-09-30",
                        "input": "5.00",
                        "output": "15.00",
                        "tiers": [{"above_tokens": 64000, "input": "7.50"}],
                    }
                ],
                "provenance": [{"source": "manual", "url": "https://openai.com/api/pricing/"}],
            },
            "provenance": [{"source": "manual", "checked": "2026-11-27"}],
        },
        {
            "provider": "relay",
            "model": "gpt-4o",
            "base": "openai/gpt-4o",
            **_GPT4O_FACTS,
            "pricing": {"input": "2.00", "output": "8.00"},
        },
        {
            "provider": "openai",
            "model": "gpt-4-0613",
            "name": "GPT-4 (June 2023)",
            "kind": "chat",
            "limits": {"context": 8192, "max_output": 8192},
            "capabilities": {"tool_calling": True},
            "pricing": {"input": "30.00", "output": "60.00"},
            "lifecycle": {
                "status": "retired",
                "deprecation_date": "2024-06-06",
                "retirement_date": "2025-06-06",
                "replacement": "gpt-4o",
            },
        },
        {
            "provider": "openai",
            "model": "o3-mini",
            "name": "o3-mini",
            "kind": "chat",
            "limits": {"context": 200000, "max_output": 100000},
            "modalities": {"input": ["text"], "output": ["text"]},
            "capabilities": {
                "tool_calling": True,
                "reasoning": {"supported": True, "effort_levels": ["low", "medium", "high"]},
            },
            "pricing": {"input": "1.10", "output": "4.40", "cache_read": "0.55"},
            "lifecycle": {"status": "active", "release_date": "2025-01-31"},
        },
        {
            "provider": "google",
            "model": "gemini-2.5-pro",
            "base": "google/gemini-2.5-pro",
            **_GEMINI_FACTS,
            "pricing": {
                "input": "1.25",
                "output": "10.00",
                "tiers": [{"above_tokens": 200000, "input": "2.50", "output": "15.00"}],
                "service_tiers": {"batch": {"input": "0.625", "output": "5.00"}},
            },
        },
        {
            "provider": "openai",
            "model": "text-embedding-3-small",
            "kind": "embedding",
            "limits": {"context": 8191},
            "pricing": {"input": "0.02"},
            "lifecycle": {"status": "active"},
        },
        {"provider": "relay", "model": "mystery"},
    ]
    return {
        "fingerprint": "test-fingerprint",
        "providers": {pid: _dump(Provider, p) for pid, p in providers.items()},
        "canonical": {ref: _dump(CanonicalModel, m) for ref, m in canonical.items()},
        "offerings": [_dump(Offering, o) for o in offerings],
    }


def sample_registry() -> Registry:
    return Registry.from_document(sample_document(), source="sample")


# --- hypothesis: small random documents built from the strict data model -----------------------

_slug = st.from_regex(r"[a-z][a-z0-9.-]{0,7}", fullmatch=True)
_price = st.decimals(min_value=0, max_value=500, places=3, allow_nan=False, allow_infinity=False)
_date = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20
)
_tokens = st.integers(min_value=1, max_value=2_000_000)


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@st.composite
def _price_set(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("input", "output", "cache_read", "cache_write", "per_image", "per_request"):
        value = draw(_optional(_price))
        if value is not None:
            out[name] = value
    return out


@st.composite
def _pricing(draw: st.DrawFn) -> dict[str, Any]:
    pricing = draw(_price_set())
    if draw(st.booleans()):
        bounds = sorted(draw(st.sets(_tokens, min_size=1, max_size=2)))
        pricing["tiers"] = tuple({"above_tokens": b, **draw(_price_set())} for b in bounds)
    if draw(st.booleans()):
        tiers = {}
        for name in draw(st.sets(st.sampled_from(("batch", "flex", "priority")), max_size=2)):
            entry = draw(_price_set())
            if draw(st.booleans()):
                entry["tiers"] = ({"above_tokens": draw(_tokens), **draw(_price_set())},)
            tiers[name] = entry
        pricing["service_tiers"] = tiers
    if draw(st.booleans()):
        pricing["effective"] = draw(_date)
        pricing["history"] = tuple(
            {
                "effective": draw(_date),
                **({} if (until := draw(_optional(_date))) is None else {"until": until}),
                **draw(_price_set()),
            }
            for _ in range(draw(st.integers(0, 2)))
        )
    if draw(st.booleans()):
        pricing["provenance"] = (
            {"source": "manual", "url": "https://example.com/p", "checked": draw(_date)},
        )
    return pricing


@st.composite
def _facts(draw: st.DrawFn) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    modalities = st.sampled_from(("text", "image", "audio", "video", "pdf"))
    options: dict[str, st.SearchStrategy[Any]] = {
        "name": _text,
        "description": _text,
        "family": _slug,
        "kind": st.sampled_from(("chat", "embedding", "completion", "rerank", "speech")),
        "open_weights": st.booleans(),
        "license": st.sampled_from(("MIT", "Apache-2.0", "proprietary")),
        "knowledge_cutoff": _date | st.sampled_from(("2023-09", "2024-12")),
        "tokenizer": st.sampled_from(("o200k_base", "cl100k_base", "gemini")),
        "limits": st.fixed_dictionaries(
            {}, optional={"context": _tokens, "max_input": _tokens, "max_output": _tokens}
        ),
        "modalities": st.fixed_dictionaries(
            {},
            optional={
                "input": st.lists(modalities, unique=True, max_size=3).map(tuple),
                "output": st.lists(modalities, unique=True, max_size=2).map(tuple),
            },
        ),
        "capabilities": st.fixed_dictionaries(
            {},
            optional={
                "tool_calling": st.booleans(),
                "streaming": st.booleans(),
                "json_mode": st.booleans(),
                "web_search": st.booleans(),
                "reasoning": st.fixed_dictionaries(
                    {"supported": st.booleans()},
                    optional={
                        "effort_levels": st.lists(
                            st.sampled_from(("low", "medium", "high")), unique=True, min_size=1
                        ).map(tuple),
                        "toggle": st.booleans(),
                    },
                ),
            },
        ),
        "lifecycle": st.fixed_dictionaries(
            {},
            optional={
                "status": st.sampled_from(("preview", "active", "deprecated", "retired")),
                "release_date": _date,
                "retirement_date": _date,
                "replacement": _slug,
            },
        ),
        "provenance": st.just(({"source": "models.dev", "revision": "abc123"},)),
    }
    for key, strategy in options.items():
        if draw(st.booleans()):
            facts[key] = draw(strategy)
    return facts


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A small valid registry document (the form of `Registry.to_document()`)."""
    pids = draw(st.lists(_slug, min_size=1, max_size=3, unique=True))
    providers = {}
    for pid in pids:
        data: dict[str, Any] = {"provider": pid, "name": draw(_text)}
        if draw(st.booleans()):
            data["litellm_prefix"] = pid + "-ai"
        if draw(st.booleans()):
            data["api"] = {"style": "openai-chat", "base_url": f"https://{pid}.example/v1"}
        if draw(st.booleans()):
            tier: dict[str, Any] = {"tier": "tier-1"}
            models = tuple(draw(st.lists(_slug, max_size=2)))
            if models:  # absent means every model; an explicit null is refused
                tier["models"] = models
            tier["requests_per_minute"] = draw(_tokens)
            data["rate_limits"] = (tier,)
        providers[pid] = Provider.model_validate(data).model_dump(mode="json", exclude_none=True)
    refs = draw(st.lists(st.tuples(_slug, _slug), max_size=3, unique=True))
    canonical = {}
    for lab, model in refs:
        data = {"lab": lab, "model": model, **draw(_facts())}
        if draw(st.booleans()):
            data["pricing"] = draw(_pricing())
        canonical[f"{lab}/{model}"] = CanonicalModel.model_validate(data).model_dump(
            mode="json", exclude_none=True
        )
    keys = draw(st.lists(st.tuples(st.sampled_from(pids), _slug), max_size=6, unique=True))
    offerings = []
    for pid, model in keys:
        data = {"provider": pid, "model": model, **draw(_facts())}
        if bool(canonical) and draw(st.booleans()):
            data["base"] = draw(st.sampled_from(sorted(canonical)))
        if draw(st.booleans()):
            data["aliases"] = tuple(
                f"{model}-{s}" for s in draw(st.lists(_slug, max_size=2, unique=True))
            )
        if draw(st.booleans()):
            data["pricing"] = draw(_pricing())
        if draw(st.booleans()):
            data["rate_limit_group"] = draw(_slug)
        offerings.append(Offering.model_validate(data).model_dump(mode="json", exclude_none=True))
    fingerprint = draw(st.none() | st.just("f" * 32))
    return {
        "fingerprint": fingerprint,
        "providers": providers,
        "canonical": canonical,
        "offerings": offerings,
    }
