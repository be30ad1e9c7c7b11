"""Hand-computed costs from published prices (see offerings.py for the price lists).

Every case states its arithmetic: tokens x USD per 1M tokens / 1,000,000, or count x unit
price. Components not listed are expected to be exactly 0 (or None when listed as unknown).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from llmaestro.catalog.model import Offering
from llmaestro.cost import COMPONENTS, Usage, cost
from tests.cost import offerings as o

D = Decimal


@dataclass(frozen=True)
class Case:
    id: str
    offering: Offering
    usage: Usage
    expected: dict[str, Decimal]
    total: Decimal
    kwargs: dict[str, Any] = field(default_factory=dict)
    unknown: tuple[str, ...] = ()


CASES = [
    # --- OpenAI ---------------------------------------------------------------------------
    Case(
        "openai-gpt-4o-cached-input",
        o.GPT_4O,
        Usage(input_tokens=10_000, cache_read_tokens=6_000, output_tokens=500),
        # input 4,000 x 2.50 = 0.01; cache read 6,000 x 1.25 = 0.0075; output 500 x 10 = 0.005
        {"input": D("0.01"), "cache_read": D("0.0075"), "output": D("0.005")},
        D("0.0225"),
    ),
    Case(
        "openai-gpt-4o-batch",
        o.GPT_4O,
        Usage(input_tokens=1_000_000, output_tokens=100_000),
        # batch: 1,000,000 x 1.25 = 1.25; 100,000 x 5.00 = 0.5
        {"input": D("1.25"), "output": D("0.5")},
        D("1.75"),
        {"batch": True},
    ),
    Case(
        "openai-gpt-4o-history",
        o.GPT_4O,
        Usage(input_tokens=10_000, output_tokens=1_000),
        # 2024-06-01 is in the 2024-05-13..2024-09-30 history entry: 10,000 x 5 = 0.05;
        # 1,000 x 15 = 0.015
        {"input": D("0.05"), "output": D("0.015")},
        D("0.065"),
        {"at": dt.date(2024, 6, 1)},
    ),
    Case(
        "openai-gpt-4o-current-on-effective-day",
        o.GPT_4O,
        Usage(input_tokens=10_000, output_tokens=1_000),
        # at == pricing.effective (2024-10-01): current prices 10,000 x 2.5 + 1,000 x 10
        {"input": D("0.025"), "output": D("0.01")},
        D("0.035"),
        {"at": dt.date(2024, 10, 1)},
    ),
    Case(
        "openai-o3-mini-reasoning",
        o.O3_MINI,
        Usage(input_tokens=2_000, output_tokens=5_000, reasoning_tokens=4_000),
        # input 2,000 x 1.10 = 0.0022; visible output 1,000 x 4.40 = 0.0044; reasoning
        # 4,000 x 4.40 (no reasoning price: billed as output) = 0.0176
        {"input": D("0.0022"), "output": D("0.0044"), "reasoning": D("0.0176")},
        D("0.0242"),
    ),
    Case(
        "openai-gpt-4o-audio",
        o.GPT_4O_AUDIO,
        Usage(
            input_tokens=1_500, input_audio_tokens=1_000, output_tokens=800, output_audio_tokens=600
        ),
        # text in 500 x 2.50 = 0.00125; audio in 1,000 x 40 = 0.04; text out 200 x 10 = 0.002;
        # audio out 600 x 80 = 0.048
        {
            "input": D("0.00125"),
            "input_audio": D("0.04"),
            "output": D("0.002"),
            "output_audio": D("0.048"),
        },
        D("0.09125"),
    ),
    Case(
        "openai-gpt-5-flex-cached-reasoning",
        o.GPT_5,
        Usage(
            input_tokens=20_000,
            cache_read_tokens=10_000,
            output_tokens=3_000,
            reasoning_tokens=2_000,
        ),
        # flex: input 10,000 x 0.625 = 0.00625; cached 10,000 x 0.0625 = 0.000625;
        # output 1,000 x 5 = 0.005; reasoning 2,000 x 5 = 0.01
        {
            "input": D("0.00625"),
            "cache_read": D("0.000625"),
            "output": D("0.005"),
            "reasoning": D("0.01"),
        },
        D("0.021875"),
        {"service_tier": "flex"},
    ),
    Case(
        "openai-gpt-5-priority",
        o.GPT_5,
        Usage(input_tokens=1_000, output_tokens=1_000),
        # priority: 1,000 x 2.50 = 0.0025; 1,000 x 20 = 0.02
        {"input": D("0.0025"), "output": D("0.02")},
        D("0.0225"),
        {"service_tier": "priority"},
    ),
    Case(
        "openai-gpt-5-web-search",
        o.GPT_5,
        Usage(input_tokens=5_000, output_tokens=500, web_searches=2),
        # 5,000 x 1.25 = 0.00625; 500 x 10 = 0.005; 2 searches x $10/1k = 0.02
        {"input": D("0.00625"), "output": D("0.005"), "web_searches": D("0.02")},
        D("0.03125"),
    ),
    Case(
        "openai-gpt-image-1-image-tokens",
        o.GPT_IMAGE_1,
        Usage(
            input_tokens=1_200,
            input_image_tokens=1_000,
            output_tokens=4_160,
            output_image_tokens=4_160,
        ),
        # text in 200 x 5 = 0.001; image in 1,000 x 10 = 0.01; image out 4,160 x 40 = 0.1664
        {"input": D("0.001"), "input_image": D("0.01"), "output_image": D("0.1664")},
        D("0.1774"),
    ),
    Case(
        "openai-dall-e-3-per-image",
        o.DALL_E_3,
        Usage(generated_images=3),
        # 3 images x 0.040 = 0.12
        {"generated_images": D("0.12")},
        D("0.12"),
    ),
    # --- Anthropic ------------------------------------------------------------------------
    Case(
        "anthropic-sonnet-4-5-cache-5m",
        o.CLAUDE_SONNET_4_5,
        Usage(
            input_tokens=50_000,
            cache_read_tokens=40_000,
            cache_write_tokens=8_000,
            output_tokens=1_000,
        ),
        # uncached 2,000 x 3 = 0.006; read 40,000 x 0.30 = 0.012; write 8,000 x 3.75 = 0.03;
        # output 1,000 x 15 = 0.015
        {
            "input": D("0.006"),
            "cache_read": D("0.012"),
            "cache_write": D("0.03"),
            "output": D("0.015"),
        },
        D("0.063"),
    ),
    Case(
        "anthropic-opus-4-1-cache-1h",
        o.CLAUDE_OPUS_4_1,
        Usage(input_tokens=12_000, cache_write_1h_tokens=10_000, output_tokens=500),
        # uncached 2,000 x 15 = 0.03; 1h write 10,000 x 30 = 0.3; output 500 x 75 = 0.0375
        {"input": D("0.03"), "cache_write_1h": D("0.3"), "output": D("0.0375")},
        D("0.3675"),
    ),
    Case(
        "anthropic-sonnet-4-5-long-context",
        o.CLAUDE_SONNET_4_5,
        Usage(input_tokens=300_000, cache_read_tokens=100_000, output_tokens=2_000),
        # > 200k prompt tokens: whole request at the tier: uncached 200,000 x 6 = 1.2;
        # read 100,000 x 0.60 = 0.06; output 2,000 x 22.50 = 0.045
        {"input": D("1.2"), "cache_read": D("0.06"), "output": D("0.045")},
        D("1.305"),
    ),
    Case(
        "anthropic-sonnet-4-5-at-threshold",
        o.CLAUDE_SONNET_4_5,
        Usage(input_tokens=200_000, output_tokens=2_000),
        # exactly 200k is not "more than 200k": base 200,000 x 3 = 0.6; 2,000 x 15 = 0.03
        {"input": D("0.6"), "output": D("0.03")},
        D("0.63"),
    ),
    Case(
        "anthropic-haiku-4-5-batch",
        o.CLAUDE_HAIKU_4_5,
        Usage(input_tokens=100_000, output_tokens=10_000),
        # batch: 100,000 x 0.50 = 0.05; 10,000 x 2.50 = 0.025
        {"input": D("0.05"), "output": D("0.025")},
        D("0.075"),
        {"service_tier": "batch"},
    ),
    Case(
        "anthropic-3-5-haiku-unknown-1h-write",
        o.CLAUDE_3_5_HAIKU,
        Usage(input_tokens=6_000, cache_write_1h_tokens=5_000, output_tokens=100),
        # input 1,000 x 0.80 = 0.0008; output 100 x 4 = 0.0004; the 1h write price is not in
        # the catalog: unknown (NOT the 5-minute price), total 0.0012 is a lower bound
        {"input": D("0.0008"), "output": D("0.0004")},
        D("0.0012"),
        unknown=("cache_write_1h",),
    ),
    Case(
        "anthropic-sonnet-4-5-web-search",
        o.CLAUDE_SONNET_4_5,
        Usage(input_tokens=10_000, output_tokens=1_000, web_searches=3),
        # 10,000 x 3 = 0.03; 1,000 x 15 = 0.015; 3 searches x $10/1k = 0.03
        {"input": D("0.03"), "output": D("0.015"), "web_searches": D("0.03")},
        D("0.075"),
    ),
    # --- Google ---------------------------------------------------------------------------
    Case(
        "google-gemini-2-5-pro-above-200k",
        o.GEMINI_2_5_PRO,
        Usage(
            input_tokens=250_000,
            cache_read_tokens=100_000,
            output_tokens=5_000,
            reasoning_tokens=3_000,
        ),
        # > 200k: uncached 150,000 x 2.50 = 0.375; cached 100,000 x 0.25 = 0.025;
        # output 2,000 x 15 = 0.03; thoughts 3,000 x 15 = 0.045
        {
            "input": D("0.375"),
            "cache_read": D("0.025"),
            "output": D("0.03"),
            "reasoning": D("0.045"),
        },
        D("0.475"),
    ),
    Case(
        "google-gemini-2-5-pro-batch",
        o.GEMINI_2_5_PRO,
        Usage(input_tokens=100_000, output_tokens=10_000),
        # batch <= 200k: 100,000 x 0.625 = 0.0625; 10,000 x 5 = 0.05
        {"input": D("0.0625"), "output": D("0.05")},
        D("0.1125"),
        {"batch": True},
    ),
    Case(
        "google-gemini-2-5-pro-batch-above-200k",
        o.GEMINI_2_5_PRO,
        Usage(input_tokens=300_000, output_tokens=10_000),
        # batch's own tier > 200k: 300,000 x 1.25 = 0.375; 10,000 x 7.50 = 0.075
        {"input": D("0.375"), "output": D("0.075")},
        D("0.45"),
        {"batch": True},
    ),
    Case(
        "google-gemini-2-5-flash-audio",
        o.GEMINI_2_5_FLASH,
        Usage(input_tokens=10_000, input_audio_tokens=8_000, output_tokens=500),
        # text 2,000 x 0.30 = 0.0006; audio 8,000 x 1.00 = 0.008; output 500 x 2.50 = 0.00125
        {"input": D("0.0006"), "input_audio": D("0.008"), "output": D("0.00125")},
        D("0.00985"),
    ),
    Case(
        "google-gemini-2-5-flash-batch-audio-unknown",
        o.GEMINI_2_5_FLASH,
        Usage(input_tokens=10_000, input_audio_tokens=8_000, output_tokens=500),
        # batch lists no audio price: text 2,000 x 0.15 = 0.0003; output 500 x 1.25 =
        # 0.000625; audio unknown -> total 0.000925 is a lower bound
        {"input": D("0.0003"), "output": D("0.000625")},
        D("0.000925"),
        {"batch": True},
        unknown=("input_audio",),
    ),
    Case(
        "google-gemini-2-5-flash-image-output",
        o.GEMINI_2_5_FLASH_IMAGE,
        Usage(input_tokens=100, output_tokens=1_300, output_image_tokens=1_290),
        # in 100 x 0.30 = 0.00003; text out 10 x 2.50 = 0.000025; image 1,290 x 30 = 0.0387
        {"input": D("0.00003"), "output": D("0.000025"), "output_image": D("0.0387")},
        D("0.038755"),
    ),
    # --- Mistral --------------------------------------------------------------------------
    Case(
        "mistral-medium-3",
        o.MISTRAL_MEDIUM_3,
        Usage(input_tokens=10_000, output_tokens=2_000),
        # 10,000 x 0.40 = 0.004; 2,000 x 2 = 0.004
        {"input": D("0.004"), "output": D("0.004")},
        D("0.008"),
    ),
    Case(
        "mistral-large-before-price-cut",
        o.MISTRAL_LARGE,
        Usage(input_tokens=1_000_000, output_tokens=100_000),
        # 2024-08-01: history entry 3/9: 1,000,000 x 3 = 3; 100,000 x 9 = 0.9
        {"input": D("3"), "output": D("0.9")},
        D("3.9"),
        {"at": dt.date(2024, 8, 1)},
    ),
    Case(
        "mistral-large-after-price-cut",
        o.MISTRAL_LARGE,
        Usage(input_tokens=1_000_000, output_tokens=100_000),
        # 2024-10-01 >= effective 2024-09-18: 1,000,000 x 2 = 2; 100,000 x 6 = 0.6
        {"input": D("2"), "output": D("0.6")},
        D("2.6"),
        {"at": dt.date(2024, 10, 1)},
    ),
    Case(
        "mistral-large-before-any-price",
        o.MISTRAL_LARGE,
        Usage(input_tokens=1_000, output_tokens=100),
        # 2024-01-01 is before every known price: every used component is unknown (the
        # request fee too: nothing is priced that day), total 0 is a lower bound
        {},
        D("0"),
        {"at": dt.date(2024, 1, 1)},
        unknown=("input", "output", "requests"),
    ),
    Case(
        "mistral-magistral-reasoning",
        o.MAGISTRAL_MEDIUM,
        Usage(input_tokens=1_000, output_tokens=3_000, reasoning_tokens=2_500),
        # 1,000 x 2 = 0.002; answer 500 x 5 = 0.0025; reasoning 2,500 x 5 = 0.0125
        {"input": D("0.002"), "output": D("0.0025"), "reasoning": D("0.0125")},
        D("0.017"),
    ),
    # --- DeepSeek -------------------------------------------------------------------------
    Case(
        "deepseek-chat-cache-hit",
        o.DEEPSEEK_CHAT,
        Usage(input_tokens=100_000, cache_read_tokens=80_000, output_tokens=1_000),
        # miss 20,000 x 0.28 = 0.0056; hit 80,000 x 0.028 = 0.00224; out 1,000 x 0.42 = 0.00042
        {"input": D("0.0056"), "cache_read": D("0.00224"), "output": D("0.00042")},
        D("0.00826"),
    ),
    Case(
        "deepseek-chat-before-v3-2",
        o.DEEPSEEK_CHAT,
        Usage(input_tokens=100_000, cache_read_tokens=80_000, output_tokens=1_000),
        # 2025-06-01: miss 20,000 x 0.27 = 0.0054; hit 80,000 x 0.07 = 0.0056;
        # out 1,000 x 1.10 = 0.0011
        {"input": D("0.0054"), "cache_read": D("0.0056"), "output": D("0.0011")},
        D("0.0121"),
        {"at": dt.date(2025, 6, 1)},
    ),
    # --- xAI ------------------------------------------------------------------------------
    Case(
        "xai-grok-4-long-context-cached",
        o.GROK_4,
        Usage(
            input_tokens=150_000,
            cache_read_tokens=50_000,
            output_tokens=1_000,
            reasoning_tokens=800,
        ),
        # > 128k: uncached 100,000 x 6 = 0.6; cached 50,000 x 0.75 (tier has no cached price:
        # base price) = 0.0375; answer 200 x 30 = 0.006; reasoning 800 x 30 = 0.024
        {
            "input": D("0.6"),
            "cache_read": D("0.0375"),
            "output": D("0.006"),
            "reasoning": D("0.024"),
        },
        D("0.6675"),
    ),
    Case(
        "xai-grok-3-mini-reasoning",
        o.GROK_3_MINI,
        Usage(input_tokens=1_000, output_tokens=2_000, reasoning_tokens=1_800),
        # 1,000 x 0.30 = 0.0003; answer 200 x 0.50 = 0.0001; reasoning 1,800 x 0.50 = 0.0009
        {"input": D("0.0003"), "output": D("0.0001"), "reasoning": D("0.0009")},
        D("0.0013"),
    ),
    # --- OpenRouter -----------------------------------------------------------------------
    Case(
        "openrouter-sonar-per-request",
        o.OPENROUTER_SONAR,
        Usage(input_tokens=1_000, output_tokens=500),
        # 1,000 x 1 = 0.001; 500 x 1 = 0.0005; 1 request x 0.005
        {"input": D("0.001"), "output": D("0.0005"), "requests": D("0.005")},
        D("0.0065"),
    ),
    Case(
        "openrouter-gpt-4o-input-images",
        o.OPENROUTER_GPT_4O,
        Usage(input_tokens=1_000, output_tokens=100, images=2),
        # 1,000 x 2.50 = 0.0025; 100 x 10 = 0.001; 2 images x 0.003613 = 0.007226
        {"input": D("0.0025"), "output": D("0.001"), "images": D("0.007226")},
        D("0.010726"),
    ),
    Case(
        "openrouter-sonnet-4-5-cache-write",
        o.OPENROUTER_SONNET_4_5,
        Usage(input_tokens=194, cache_write_tokens=100, output_tokens=2),
        # uncached 94 x 3 = 0.000282; write 100 x 3.75 = 0.000375; out 2 x 15 = 0.00003
        {"input": D("0.000282"), "cache_write": D("0.000375"), "output": D("0.00003")},
        D("0.000687"),
    ),
    # --- no prices at all -----------------------------------------------------------------
    Case(
        "unpriced-offering",
        o.UNPRICED,
        Usage(input_tokens=10, output_tokens=10),
        # nothing is priced: every used component is unknown, requests included
        {},
        D("0"),
        unknown=("input", "output", "requests"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hand_computed(case: Case) -> None:
    breakdown = cost(case.offering, case.usage, **case.kwargs)
    for name in COMPONENTS:
        value = getattr(breakdown, name)
        if name in case.unknown:
            assert value is None, name
        else:
            assert value == case.expected.get(name, D(0)), name
    assert breakdown.total == case.total
    assert breakdown.unknown == case.unknown
    assert breakdown.complete is (not case.unknown)
    assert breakdown.provider == case.offering.provider
    assert breakdown.model == case.offering.model


def test_enough_cases_per_provider() -> None:
    providers = {c.offering.provider for c in CASES}
    assert {
        "openai",
        "anthropic",
        "google",
        "mistral",
        "deepseek",
        "xai",
        "openrouter",
    } <= providers
    assert len(CASES) >= 20


def test_applied_prices_describe_the_selection() -> None:
    long = cost(o.GEMINI_2_5_PRO, Usage(input_tokens=250_000, output_tokens=1))
    assert long.prices.context_tier == 200_000
    assert long.prices.input == D("2.50")
    assert long.prices.service_tier is None
    short = cost(o.GEMINI_2_5_PRO, Usage(input_tokens=1_000, output_tokens=1), batch=True)
    assert short.prices.context_tier is None
    assert short.prices.service_tier == "batch"
    old = cost(o.GPT_4O, Usage(input_tokens=1), at=dt.date(2024, 6, 1))
    assert old.prices.historic
    assert old.prices.effective == dt.date(2024, 5, 13)
    assert old.prices.until == dt.date(2024, 9, 30)
    reasoning = cost(o.O3_MINI, Usage(output_tokens=10, reasoning_tokens=5))
    assert reasoning.prices.reasoning_as_output
    assert reasoning.prices.reasoning == D("4.40")
