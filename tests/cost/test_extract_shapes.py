"""The usage shapes the providers return today (issue 16), each read as billed: cache writes in
Responses bodies, Anthropic thinking tokens, Gemini cached audio and DOCUMENT tokens, the
OpenAI-compatible extensions, what OpenRouter says it charged, and a clear error for a shape
no reader knows. The shapes are those of real recorded bodies (``tests/fixtures/recorded``);
the numbers here are small ones that are easy to check by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from llmaestro.cost import Usage, cost, extract_stream_usage, extract_usage
from llmaestro.cost.extract import ReportedCost, reported_cost
from llmaestro.errors import CostError
from tests.cost.offerings import GEMINI_2_5_FLASH, offering

NO_AUDIO_CACHE = offering(
    "google", "gemini-x", {"input": "0.30", "output": "2.50", "cache_read": "0.03"}
)


# --- OpenAI Responses: cache writes --------------------------------------------------------


def test_responses_cache_write_tokens_are_cache_writes() -> None:
    body = {
        "object": "response",
        "model": "gpt-5.6-sol",
        "usage": {
            "input_tokens": 4000,
            "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 3000},
            "output_tokens": 10,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": 4010,
        },
    }
    usage = extract_usage(body, "openai-responses")
    assert usage == Usage(input_tokens=4000, cache_write_tokens=3000, output_tokens=10)
    priced = offering(
        "openai",
        "gpt-x",
        {"input": "1", "output": "10", "cache_write": "1.25", "cache_read": "0.1"},
    )
    # 1000 x 1 + 3000 x 1.25 + 10 x 10 = 4850 per 1M
    assert cost(priced, usage).total == Decimal("0.00485")
    # the stream's response.completed event reads the same
    event = {"type": "response.completed", "response": body}
    assert extract_stream_usage([{"type": "response.created"}, event], "responses") == usage


def test_responses_image_generation_calls_are_generated_images() -> None:
    body = {
        "object": "response",
        "output": [
            {"type": "reasoning"},
            {"type": "image_generation_call", "status": "completed"},
            {"type": "image_generation_call", "status": "failed"},
            {"type": "message", "status": "completed"},
        ],
        "usage": {"input_tokens": 2000, "output_tokens": 300},
    }
    usage = extract_usage(body, "openai-responses")
    assert usage == Usage(input_tokens=2000, output_tokens=300, generated_images=1)
    # the image tool is billed apart: without a per-image price the cost is incomplete
    breakdown = cost(offering("openai", "gpt-x", {"input": "1", "output": "10"}), usage)
    assert breakdown.unknown == ("generated_images",)


def test_chat_and_responses_image_tokens() -> None:
    chat = {
        "usage": {
            "prompt_tokens": 300,
            "completion_tokens": 1300,
            "prompt_tokens_details": {"cached_tokens": 0, "image_tokens": 258, "text_tokens": 42},
            "completion_tokens_details": {"image_tokens": 1290, "reasoning_tokens": 0},
        }
    }
    assert extract_usage(chat, "openai-chat") == Usage(
        input_tokens=300, input_image_tokens=258, output_tokens=1300, output_image_tokens=1290
    )


# --- Anthropic: thinking tokens ------------------------------------------------------------


def test_anthropic_thinking_tokens_are_reasoning() -> None:
    body = {
        "type": "message",
        "model": "claude-opus-5",
        "usage": {
            "input_tokens": 20,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
            "output_tokens": 50,
            "output_tokens_details": {"thinking_tokens": 30},
            "service_tier": "standard",
            "inference_geo": "global",
        },
    }
    usage = extract_usage(body, "anthropic")
    assert usage == Usage(input_tokens=20, output_tokens=50, reasoning_tokens=30)
    # thinking is billed at the output price: never twice
    priced = offering("anthropic", "claude-x", {"input": "5", "output": "25"})
    assert cost(priced, usage).total == Decimal("0.00135")  # 20 x 5 + 50 x 25 per 1M


# --- Gemini: cached audio, DOCUMENT tokens ----------------------------------------------------


def _gemini(cached: list[dict[str, Any]], prompt: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "modelVersion": "gemini-2.5-flash",
        "usageMetadata": {
            "promptTokenCount": sum(d["tokenCount"] for d in prompt),
            "cachedContentTokenCount": sum(d["tokenCount"] for d in cached),
            "candidatesTokenCount": 100,
            "promptTokensDetails": prompt,
            "cacheTokensDetails": cached,
        },
    }


def test_gemini_cached_audio_has_its_own_price() -> None:
    body = _gemini(
        cached=[
            {"modality": "AUDIO", "tokenCount": 200_000},
            {"modality": "TEXT", "tokenCount": 1000},
        ],
        prompt=[
            {"modality": "AUDIO", "tokenCount": 300_000},
            {"modality": "TEXT", "tokenCount": 2000},
        ],
    )
    usage = extract_usage(body, "gemini")
    assert usage == Usage(
        input_tokens=302_000,
        cache_read_tokens=201_000,
        cache_read_audio_tokens=200_000,
        input_audio_tokens=100_000,
        output_tokens=100,
    )
    breakdown = cost(GEMINI_2_5_FLASH, usage)
    assert breakdown.cache_read_audio == Decimal("0.02")  # 200,000 x $0.10 / 1M, not $0.03
    assert breakdown.cache_read == Decimal("0.00003")  # 1,000 text tokens x $0.03 / 1M
    assert breakdown.input_audio == Decimal("0.1")
    assert breakdown.complete
    # no cached-audio price: incomplete, never the text cache rate
    unknown = cost(NO_AUDIO_CACHE, usage)
    assert not unknown.complete
    assert unknown.unknown == ("cache_read_audio", "input_audio")
    assert unknown.cache_read_audio is None
    assert unknown.cache_read == Decimal("0.00003")


def test_gemini_document_tokens_count_with_images() -> None:
    body = _gemini(
        cached=[
            {"modality": "TEXT", "tokenCount": 50},
            {"modality": "DOCUMENT", "tokenCount": 150},
        ],
        prompt=[
            {"modality": "TEXT", "tokenCount": 80},
            {"modality": "DOCUMENT", "tokenCount": 250},
        ],
    )
    usage = extract_usage(body, "gemini")
    assert usage == Usage(
        input_tokens=330, cache_read_tokens=200, input_image_tokens=100, output_tokens=100
    )


def test_gemini_prompt_token_details_spelling() -> None:
    embedding = {
        "usageMetadata": {
            "promptTokenCount": 12,
            "totalTokenCount": 12,
            "promptTokenDetails": [{"modality": "IMAGE", "tokenCount": 10}],
        }
    }
    assert extract_usage(embedding, "gemini") == Usage(input_tokens=12, input_image_tokens=10)


# --- OpenAI-compatible extensions --------------------------------------------------------------


def test_deepseek_hit_and_miss() -> None:
    body = {
        "model": "deepseek-v4-flash",
        "usage": {
            "prompt_tokens": 600,
            "completion_tokens": 120,
            "total_tokens": 720,
            "prompt_tokens_details": {"cached_tokens": 512},
            "completion_tokens_details": {"reasoning_tokens": 64},
            "prompt_cache_hit_tokens": 512,
            "prompt_cache_miss_tokens": 88,
        },
    }
    assert extract_usage(body, "openai-chat") == Usage(
        input_tokens=600, cache_read_tokens=512, output_tokens=120, reasoning_tokens=64
    )


def test_mistral_num_cached_tokens() -> None:
    body = {"usage": {"prompt_tokens": 70, "completion_tokens": 12, "num_cached_tokens": 64}}
    assert extract_usage(body, "openai-chat") == Usage(
        input_tokens=70, cache_read_tokens=64, output_tokens=12
    )


def test_groq_timings_are_not_counts() -> None:
    body = {
        "usage": {
            "queue_time": 0.05,
            "prompt_tokens": 40,
            "prompt_time": 0.002,
            "completion_tokens": 9,
            "completion_time": 0.01,
            "total_tokens": 49,
            "total_time": 0.012,
        }
    }
    assert extract_usage(body, "openai-chat") == Usage(input_tokens=40, output_tokens=9)


def test_openrouter_reported_cost() -> None:
    paid = {
        "usage": {
            "prompt_tokens": 14,
            "completion_tokens": 4,
            "cost": 0.000102,
            "is_byok": False,
            "cost_details": {"upstream_inference_cost": 0.000102},
        }
    }
    assert reported_cost(paid) == ReportedCost(Decimal("0.000102"), False, Decimal("0.000102"))
    byok = {"usage": {"prompt_tokens": 300, "cost": 0, "is_byok": True, "cost_details": {}}}
    assert reported_cost(byok) == ReportedCost(Decimal("0"), True, None)
    assert reported_cost({"usage": {"prompt_tokens": 3}}) is None
    responses = {"type": "response.completed", "response": {"usage": {"cost": 0.5}}}
    assert reported_cost(responses) == ReportedCost(Decimal("0.5"), False, None)
    # a cost is no count
    assert extract_usage(paid, "openai-chat") == Usage(input_tokens=14, output_tokens=4)


# --- shapes no reader knows -----------------------------------------------------------------

BEDROCK_CONVERSE = {
    "usage": {"inputTokens": 30, "outputTokens": 5, "totalTokens": 35, "cacheReadInputTokens": 0}
}
COHERE = {
    "usage": {
        "billed_units": {"input_tokens": 40, "output_tokens": 20},
        "tokens": {"input_tokens": 1400, "output_tokens": 21},
        "cached_tokens": 1000,
    }
}


@pytest.mark.parametrize(
    ("body", "style", "names"),
    [
        (BEDROCK_CONVERSE, "anthropic-messages", "inputTokens"),
        (BEDROCK_CONVERSE, "openai-chat", "inputTokens"),
        (COHERE, "openai-chat", "billed_units"),
        ({"usageMetadata": {"totalTokenCount": 3}}, "gemini", "totalTokenCount"),
    ],
)
def test_an_unknown_shape_is_an_error_not_zero(
    body: dict[str, Any], style: str, names: str
) -> None:
    with pytest.raises(CostError, match=f"not a {style} usage object.*{names}"):
        extract_usage(body, style)


@pytest.mark.parametrize(
    ("body", "style", "key"),
    [
        (
            {"usage": {"prompt_tokens": 9, "reasoning_tokens": 4}},
            "openai-chat",
            "reasoning_tokens=4",
        ),
        (
            {"usage": {"input_tokens": 9, "output_tokens": 2, "cache_hit_tokens": 5}},
            "anthropic",
            "cache_hit_tokens=5",
        ),
        (
            {"usage": {"input_tokens": 9, "input_tokens_details": {"cache_hits_tokens": 5}}},
            "responses",
            "input_tokens_details.cache_hits_tokens=5",
        ),
        (
            {
                "usageMetadata": {
                    "promptTokenCount": 9,
                    "promptTokensDetails": [{"modality": "SMELL", "tokenCount": 5}],
                }
            },
            "gemini",
            r"promptTokensDetails\[modality=SMELL\]=5",
        ),
    ],
)
def test_a_count_no_reader_knows_is_named(body: dict[str, Any], style: str, key: str) -> None:
    with pytest.raises(CostError, match=f"does not know: {key}"):
        extract_usage(body, style)


def test_unknown_zero_counts_and_other_keys_are_harmless() -> None:
    body = {
        "usage": {
            "prompt_tokens": 9,
            "completion_tokens": 1,
            "future_tokens": 0,
            "service_tier": "default",
            "pydantic_ai_gateway": {"cost_estimate": 0.1},
        }
    }
    assert extract_usage(body, "openai-chat") == Usage(input_tokens=9, output_tokens=1)
