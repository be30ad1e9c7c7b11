"""Offerings with published list prices (USD per 1M tokens unless stated), for the cost tests.

Prices as published by each provider on its pricing page (URLs below); the tests only need
them to be realistic, the arithmetic is checked by hand in ``test_cost_cases.py``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from llmaestro.catalog.model import Offering

_DATE_KEYS = {"effective", "until"}


def _convert(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _convert(v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return tuple(_convert(v, key) for v in value)
    if key in _DATE_KEYS and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if isinstance(value, str) and key not in {"provider", "model", "kind", "tokenizer"}:
        return Decimal(value)
    return value


def offering(
    provider: str,
    model: str,
    pricing: dict[str, Any] | None,
    *,
    context: int | None = None,
    max_input: int | None = None,
    max_output: int | None = None,
    tokenizer: str | None = None,
    kind: str = "chat",
) -> Offering:
    """An Offering from plain values: price strings become Decimals, dates are parsed."""
    data: dict[str, Any] = {"provider": provider, "model": model, "kind": kind}
    if pricing is not None:
        data["pricing"] = _convert(pricing)
    limits = {
        k: v
        for k, v in {"context": context, "max_input": max_input, "max_output": max_output}.items()
        if v is not None
    }
    if limits:
        data["limits"] = limits
    if tokenizer is not None:
        data["tokenizer"] = tokenizer
    return Offering.model_validate(data)


# --- OpenAI: https://openai.com/api/pricing/ , https://platform.openai.com/docs/pricing -----

GPT_4O = offering(
    "openai",
    "gpt-4o",
    {
        "input": "2.50",
        "output": "10.00",
        "cache_read": "1.25",
        "service_tiers": {"batch": {"input": "1.25", "output": "5.00"}},
        "effective": "2024-10-01",
        # gpt-4o-2024-05-13 launch prices, until the 2024-08-06 snapshot became gpt-4o
        "history": [
            {"effective": "2024-05-13", "until": "2024-09-30", "input": "5.00", "output": "15.00"}
        ],
    },
    context=128000,
    max_output=16384,
    tokenizer="o200k_base",
)
GPT_4O_MINI = offering(
    "openai",
    "gpt-4o-mini",
    {"input": "0.15", "output": "0.60", "cache_read": "0.075"},
    context=128000,
    max_output=16384,
    tokenizer="o200k_base",
)
O3_MINI = offering(
    "openai",
    "o3-mini",
    {"input": "1.10", "output": "4.40", "cache_read": "0.55"},
    context=200000,
    max_output=100000,
    tokenizer="o200k_base",
)
GPT_4O_AUDIO = offering(
    "openai",
    "gpt-4o-audio-preview-2024-12-17",
    {"input": "2.50", "output": "10.00", "input_audio": "40.00", "output_audio": "80.00"},
    tokenizer="o200k_base",
)
GPT_5 = offering(
    "openai",
    "gpt-5",
    {
        "input": "1.25",
        "output": "10.00",
        "cache_read": "0.125",
        "per_1k_web_searches": "10.00",
        "service_tiers": {
            "batch": {"input": "0.625", "output": "5.00", "cache_read": "0.0625"},
            "flex": {"input": "0.625", "output": "5.00", "cache_read": "0.0625"},
            "priority": {"input": "2.50", "output": "20.00", "cache_read": "0.25"},
        },
    },
    context=400000,
    max_input=272000,
    max_output=128000,
    tokenizer="o200k_base",
)
GPT_IMAGE_1 = offering(
    "openai",
    "gpt-image-1",
    {"input": "5.00", "input_image": "10.00", "cache_read": "1.25", "output_image": "40.00"},
    kind="image_generation",
)
DALL_E_3 = offering(
    "openai",
    "dall-e-3",
    # standard quality 1024x1024: $0.040 per image
    {"per_image": "0.040"},
    kind="image_generation",
)

# --- Anthropic: https://www.anthropic.com/pricing#api , docs "Pricing" ---------------------

CLAUDE_SONNET_4_5 = offering(
    "anthropic",
    "claude-sonnet-4-5-20250929",
    {
        "input": "3.00",
        "output": "15.00",
        "cache_read": "0.30",
        "cache_write": "3.75",
        "cache_write_1h": "6.00",
        "per_1k_web_searches": "10.00",
        "tiers": [
            {
                "above_tokens": 200000,
                "input": "6.00",
                "output": "22.50",
                "cache_read": "0.60",
                "cache_write": "7.50",
                "cache_write_1h": "12.00",
            }
        ],
        "service_tiers": {"batch": {"input": "1.50", "output": "7.50"}},
    },
    context=1000000,
    max_output=64000,
    tokenizer="anthropic",
)
CLAUDE_OPUS_4_1 = offering(
    "anthropic",
    "claude-opus-4-1-20250805",
    {
        "input": "15.00",
        "output": "75.00",
        "cache_read": "1.50",
        "cache_write": "18.75",
        "cache_write_1h": "30.00",
    },
    context=200000,
    tokenizer="anthropic",
)
CLAUDE_HAIKU_4_5 = offering(
    "anthropic",
    "claude-haiku-4-5-20251001",
    {
        "input": "1.00",
        "output": "5.00",
        "cache_read": "0.10",
        "cache_write": "1.25",
        "cache_write_1h": "2.00",
        "service_tiers": {"batch": {"input": "0.50", "output": "2.50"}},
    },
    context=200000,
    tokenizer="anthropic",
)
# a catalog entry that does not (yet) record the 1-hour cache write price
CLAUDE_3_5_HAIKU = offering(
    "anthropic",
    "claude-3-5-haiku-20241022",
    {"input": "0.80", "output": "4.00", "cache_read": "0.08", "cache_write": "1.00"},
    context=200000,
    tokenizer="anthropic",
)

# --- Google: https://ai.google.dev/gemini-api/docs/pricing ----------------------------------

GEMINI_2_5_PRO = offering(
    "google",
    "gemini-2.5-pro",
    {
        "input": "1.25",
        "output": "10.00",
        "cache_read": "0.125",
        "per_1k_web_searches": "35.00",
        "tiers": [
            {"above_tokens": 200000, "input": "2.50", "output": "15.00", "cache_read": "0.25"}
        ],
        "service_tiers": {
            "batch": {
                "input": "0.625",
                "output": "5.00",
                "tiers": [{"above_tokens": 200000, "input": "1.25", "output": "7.50"}],
            }
        },
    },
    context=1048576,
    max_output=65536,
    tokenizer="gemini",
)
GEMINI_2_5_FLASH = offering(
    "google",
    "gemini-2.5-flash",
    {
        "input": "0.30",
        "output": "2.50",
        "cache_read": "0.03",
        "input_audio": "1.00",
        "cache_read_audio": "0.10",
        "service_tiers": {"batch": {"input": "0.15", "output": "1.25"}},
    },
    context=1048576,
    tokenizer="gemini",
)
GEMINI_2_5_FLASH_IMAGE = offering(
    "google",
    "gemini-2.5-flash-image",
    # image output: $30 per 1M tokens, 1290 tokens per 1024x1024 image ($0.039)
    {"input": "0.30", "output": "2.50", "output_image": "30.00"},
    tokenizer="gemini",
)

# --- Mistral: https://mistral.ai/pricing#api-pricing ----------------------------------------

MISTRAL_MEDIUM_3 = offering(
    "mistral",
    "mistral-medium-2505",
    {"input": "0.40", "output": "2.00"},
    context=131072,
    tokenizer="mistral",
)
MISTRAL_LARGE = offering(
    "mistral",
    "mistral-large-2407",
    {
        "input": "2.00",
        "output": "6.00",
        # the September 2024 price cut; launch prices before it
        "effective": "2024-09-18",
        "history": [
            {"effective": "2024-07-24", "until": "2024-09-17", "input": "3.00", "output": "9.00"}
        ],
    },
    context=131072,
    tokenizer="mistral",
)
MAGISTRAL_MEDIUM = offering(
    "mistral",
    "magistral-medium-2506",
    {"input": "2.00", "output": "5.00"},
    context=40000,
    tokenizer="mistral",
)

# --- DeepSeek: https://api-docs.deepseek.com/quick_start/pricing ---------------------------

DEEPSEEK_CHAT = offering(
    "deepseek",
    "deepseek-chat",
    {
        # V3.2-Exp prices; "input" is the cache-miss price, "cache_read" the cache-hit one
        "input": "0.28",
        "output": "0.42",
        "cache_read": "0.028",
        "effective": "2025-09-29",
        "history": [
            {
                "effective": "2025-02-09",
                "until": "2025-09-28",
                "input": "0.27",
                "output": "1.10",
                "cache_read": "0.07",
            }
        ],
    },
    context=128000,
)

# --- xAI: https://docs.x.ai/docs/models ------------------------------------------------------

GROK_4 = offering(
    "xai",
    "grok-4-0709",
    {
        "input": "3.00",
        "output": "15.00",
        "cache_read": "0.75",
        # long-context prices above 128k tokens; the cached price is not restated
        "tiers": [{"above_tokens": 128000, "input": "6.00", "output": "30.00"}],
    },
    context=256000,
)
GROK_3_MINI = offering(
    "xai",
    "grok-3-mini",
    {"input": "0.30", "output": "0.50", "cache_read": "0.075"},
    context=131072,
)

# --- OpenRouter: https://openrouter.ai/models (pricing.prompt/completion/request/image) ------

OPENROUTER_SONAR = offering(
    "openrouter",
    "perplexity/sonar",
    # $1/M prompt, $1/M completion, $5 per 1k requests (search)
    {"input": "1.00", "output": "1.00", "per_request": "0.005"},
    context=127072,
)
OPENROUTER_GPT_4O = offering(
    "openrouter",
    "openai/gpt-4o",
    # per input image: $0.003613
    {"input": "2.50", "output": "10.00", "cache_read": "1.25", "per_input_image": "0.003613"},
    context=128000,
    tokenizer="o200k_base",
)
OPENROUTER_SONNET_4_5 = offering(
    "openrouter",
    "anthropic/claude-sonnet-4.5",
    {"input": "3.00", "output": "15.00", "cache_read": "0.30", "cache_write": "3.75"},
    context=1000000,
    tokenizer="anthropic",
)

# --- unpriced ---------------------------------------------------------------------------------

UNPRICED = offering("example", "no-prices", None, context=8192)
