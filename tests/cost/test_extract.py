"""extract_usage / extract_stream_usage on realistic response bodies and stream events."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from llmaestro.cost import Usage, cost, extract_stream_usage, extract_usage
from llmaestro.errors import CostError, LLMaestroError
from tests.cost import offerings as o

# --- openai-chat -------------------------------------------------------------------------

OPENAI_CHAT = {
    "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
    "object": "chat.completion",
    "created": 1741570283,
    "model": "o3-mini-2025-01-31",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Paris.", "refusal": None},
            "logprobs": None,
            "finish_reason": "stop",
        }
    ],
    "usage": {
        "prompt_tokens": 1117,
        "completion_tokens": 46,
        "total_tokens": 1163,
        "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 38,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    },
    "service_tier": "default",
    "system_fingerprint": "fp_42bfad963b",
}


def test_openai_chat() -> None:
    assert extract_usage(OPENAI_CHAT, "openai-chat") == Usage(
        input_tokens=1117, cache_read_tokens=1024, output_tokens=46, reasoning_tokens=38
    )


def test_openai_chat_audio() -> None:
    payload = {
        "object": "chat.completion",
        "model": "gpt-4o-audio-preview-2024-12-17",
        "usage": {
            "prompt_tokens": 47,
            "completion_tokens": 183,
            "total_tokens": 230,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 30, "text_tokens": 17},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 145,
                "text_tokens": 38,
            },
        },
    }
    usage = extract_usage(payload, "openai-chat")
    assert usage == Usage(
        input_tokens=47, input_audio_tokens=30, output_tokens=183, output_audio_tokens=145
    )
    # (17 x 2.5 + 30 x 40 + 38 x 10 + 145 x 80) / 1M = (42.5 + 1200 + 380 + 11600) / 1M
    assert cost(o.GPT_4O_AUDIO, usage).total == Decimal("0.0132225")


def test_openai_chat_stream_final_chunk() -> None:
    chunks: list[dict[str, Any]] = [
        {
            "id": "chatcmpl-1",
            "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}],
            "usage": None,
        },
        {
            "id": "chatcmpl-1",
            "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": "stop"}],
            "usage": None,
        },
        {
            "id": "chatcmpl-1",
            "object": "chat.completion.chunk",
            "choices": [],
            "usage": {
                "prompt_tokens": 19,
                "completion_tokens": 10,
                "total_tokens": 29,
                "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
            },
        },
    ]
    expected = Usage(input_tokens=19, output_tokens=10)
    assert extract_stream_usage(chunks, "openai-chat") == expected
    assert extract_usage(chunks[-1], "openai-chat") == expected
    with pytest.raises(CostError, match="no usage"):
        extract_usage(chunks[0], "openai-chat")
    with pytest.raises(CostError, match="no usage"):
        extract_stream_usage(chunks[:2], "openai-chat")


def test_deepseek_cache_hit_fields() -> None:
    payload = {
        "model": "deepseek-chat",
        "usage": {
            "prompt_tokens": 100000,
            "completion_tokens": 1000,
            "total_tokens": 101000,
            "prompt_tokens_details": {"cached_tokens": 80000},
            "prompt_cache_hit_tokens": 80000,
            "prompt_cache_miss_tokens": 20000,
        },
    }
    usage = extract_usage(payload, "openai-chat")
    assert usage == Usage(input_tokens=100000, cache_read_tokens=80000, output_tokens=1000)
    # only the DeepSeek-specific fields
    bare = {"prompt_cache_hit_tokens": 80000, "prompt_cache_miss_tokens": 20000}
    usage = extract_usage({"usage": {**bare, "completion_tokens": 1000}}, "openai-chat")
    assert usage == Usage(input_tokens=100000, cache_read_tokens=80000, output_tokens=1000)
    assert cost(o.DEEPSEEK_CHAT, usage).total == Decimal("0.00826")


def test_xai_reasoning_outside_completion_tokens() -> None:
    payload = {
        "model": "grok-3-mini",
        "usage": {
            "prompt_tokens": 32,
            "completion_tokens": 9,
            "total_tokens": 135,
            "prompt_tokens_details": {
                "text_tokens": 32,
                "audio_tokens": 0,
                "image_tokens": 0,
                "cached_tokens": 6,
            },
            "completion_tokens_details": {
                "reasoning_tokens": 94,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
            "num_sources_used": 0,
        },
    }
    # total 135 = 32 + 9 + 94: the reasoning tokens come on top of completion_tokens
    assert extract_usage(payload, "openai-chat") == Usage(
        input_tokens=32, cache_read_tokens=6, output_tokens=103, reasoning_tokens=94
    )


def test_openrouter_cache_write_tokens() -> None:
    payload = {
        "object": "chat.completion",
        "usage": {
            "completion_tokens": 2,
            "completion_tokens_details": {"reasoning_tokens": 0},
            "cost": 0.000687,
            "prompt_tokens": 194,
            "prompt_tokens_details": {
                "cached_tokens": 0,
                "cache_write_tokens": 100,
                "audio_tokens": 0,
            },
            "total_tokens": 196,
        },
    }
    usage = extract_usage(payload, "openai-chat")
    assert usage == Usage(input_tokens=194, cache_write_tokens=100, output_tokens=2)
    # matches the cost OpenRouter itself reports for these prices
    assert cost(o.OPENROUTER_SONNET_4_5, usage).total == Decimal("0.000687")


def test_openai_chat_tolerates_nulls_and_garbage() -> None:
    payload = {
        "usage": {
            "prompt_tokens": 10,
            "completion_tokens": None,
            "prompt_tokens_details": None,
            "completion_tokens_details": {"reasoning_tokens": "many"},
        }
    }
    assert extract_usage(payload, "openai-chat") == Usage(input_tokens=10)
    # inconsistent parts are clamped, never negative
    bad = {"usage": {"prompt_tokens": 5, "prompt_tokens_details": {"cached_tokens": 9}}}
    assert extract_usage(bad, "openai-chat") == Usage(input_tokens=5, cache_read_tokens=5)
    # a bare usage object works too
    assert extract_usage({"prompt_tokens": 3, "completion_tokens": 4}, "openai") == Usage(
        input_tokens=3, output_tokens=4
    )


# --- openai-responses --------------------------------------------------------------------

RESPONSE = {
    "id": "resp_67ccd3a9da748190baa7f1570fe91ac6",
    "object": "response",
    "created_at": 1741476777,
    "status": "completed",
    "model": "gpt-5-2025-08-07",
    "output": [
        {"type": "reasoning", "id": "rs_1", "summary": []},
        {
            "type": "web_search_call",
            "id": "ws_1",
            "status": "completed",
            "action": {"type": "search", "query": "llm prices"},
        },
        {
            "type": "web_search_call",
            "id": "ws_2",
            "status": "completed",
            "action": {"type": "search", "query": "gpt-5 price"},
        },
        {
            "type": "message",
            "id": "msg_1",
            "status": "completed",
            "role": "assistant",
            "content": [{"type": "output_text", "text": "...", "annotations": []}],
        },
    ],
    "usage": {
        "input_tokens": 5000,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": 500,
        "output_tokens_details": {"reasoning_tokens": 384},
        "total_tokens": 5500,
    },
}


def test_openai_responses() -> None:
    usage = extract_usage(RESPONSE, "openai-responses")
    assert usage == Usage(
        input_tokens=5000, output_tokens=500, reasoning_tokens=384, web_searches=2
    )
    # 5,000 x 1.25 + 500 x 10 per 1M + 2 x $0.01
    assert cost(o.GPT_5, usage).total == Decimal("0.03125")


def test_openai_responses_stream() -> None:
    events: list[dict[str, Any]] = [
        {
            "type": "response.created",
            "sequence_number": 0,
            "response": {**RESPONSE, "status": "in_progress", "output": [], "usage": None},
        },
        {"type": "response.output_text.delta", "sequence_number": 5, "delta": "Pa"},
        {"type": "response.completed", "sequence_number": 9, "response": RESPONSE},
    ]
    expected = extract_usage(RESPONSE, "openai-responses")
    assert extract_stream_usage(events, "openai-responses") == expected
    assert extract_usage(events[-1], "responses") == expected
    with pytest.raises(CostError):
        extract_usage(events[0], "openai-responses")


def test_openai_responses_cached() -> None:
    payload = {
        "usage": {
            "input_tokens": 2006,
            "input_tokens_details": {"cached_tokens": 1920},
            "output_tokens": 300,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": 2306,
        }
    }
    assert extract_usage(payload, "openai-responses") == Usage(
        input_tokens=2006, cache_read_tokens=1920, output_tokens=300
    )


# --- anthropic-messages ------------------------------------------------------------------

ANTHROPIC_MESSAGE = {
    "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
    "type": "message",
    "role": "assistant",
    "model": "claude-sonnet-4-5-20250929",
    "content": [{"type": "text", "text": "Hello!"}],
    "stop_reason": "end_turn",
    "stop_sequence": None,
    "usage": {
        "input_tokens": 2000,
        "cache_creation_input_tokens": 8000,
        "cache_read_input_tokens": 40000,
        "cache_creation": {"ephemeral_5m_input_tokens": 3000, "ephemeral_1h_input_tokens": 5000},
        "output_tokens": 1000,
        "server_tool_use": {"web_search_requests": 2},
        "service_tier": "standard",
    },
}


def test_anthropic_message() -> None:
    usage = extract_usage(ANTHROPIC_MESSAGE, "anthropic-messages")
    assert usage == Usage(
        input_tokens=50000,
        cache_read_tokens=40000,
        cache_write_tokens=3000,
        cache_write_1h_tokens=5000,
        output_tokens=1000,
        web_searches=2,
    )
    # 2,000 x 3 + 40,000 x 0.30 + 3,000 x 3.75 + 5,000 x 6 + 1,000 x 15 per 1M + 2 x $0.01
    assert cost(o.CLAUDE_SONNET_4_5, usage).total == Decimal("0.0942500")


def test_anthropic_without_cache_creation_split() -> None:
    payload = {
        "type": "message",
        "usage": {
            "input_tokens": 21,
            "cache_creation_input_tokens": 188086,
            "cache_read_input_tokens": 0,
            "output_tokens": 393,
        },
    }
    assert extract_usage(payload, "anthropic") == Usage(
        input_tokens=188107, cache_write_tokens=188086, output_tokens=393
    )


def test_anthropic_stream_events() -> None:
    events: list[dict[str, Any]] = [
        {
            "type": "message_start",
            "message": {
                "id": "msg_1",
                "type": "message",
                "role": "assistant",
                "content": [],
                "model": "claude-sonnet-4-5-20250929",
                "stop_reason": None,
                "usage": {
                    "input_tokens": 472,
                    "cache_creation_input_tokens": 0,
                    "cache_read_input_tokens": 2048,
                    "cache_creation": {
                        "ephemeral_5m_input_tokens": 0,
                        "ephemeral_1h_input_tokens": 0,
                    },
                    "output_tokens": 2,
                    "service_tier": "standard",
                },
            },
        },
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        {"type": "ping"},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi"}},
        {"type": "content_block_stop", "index": 0},
        {
            "type": "message_delta",
            "delta": {"stop_reason": "end_turn", "stop_sequence": None},
            "usage": {"output_tokens": 89},
        },
        {"type": "message_stop"},
    ]
    usage = extract_stream_usage(events, "anthropic-messages")
    # output_tokens in message_delta is cumulative: 89, not 2 + 89
    assert usage == Usage(input_tokens=2520, cache_read_tokens=2048, output_tokens=89)
    # the message_start event alone
    assert extract_usage(events[0], "anthropic-messages") == Usage(
        input_tokens=2520, cache_read_tokens=2048, output_tokens=2
    )


def test_anthropic_stream_delta_with_cumulative_input_and_tools() -> None:
    events = [
        {"type": "message_start", "message": {"usage": {"input_tokens": 10, "output_tokens": 1}}},
        {
            "type": "message_delta",
            "usage": {
                "input_tokens": 3000,
                "cache_read_input_tokens": 0,
                "output_tokens": 400,
                "server_tool_use": {"web_search_requests": 1},
            },
        },
    ]
    assert extract_stream_usage(events, "anthropic-messages") == Usage(
        input_tokens=3000, output_tokens=400, web_searches=1
    )


# --- gemini ------------------------------------------------------------------------------

GEMINI = {
    "candidates": [
        {
            "content": {"parts": [{"text": "..."}], "role": "model"},
            "finishReason": "STOP",
            "index": 0,
            "groundingMetadata": {"webSearchQueries": ["gemini pricing", "gemini 2.5 pro"]},
        }
    ],
    "usageMetadata": {
        "promptTokenCount": 250000,
        "candidatesTokenCount": 2000,
        "totalTokenCount": 255000,
        "cachedContentTokenCount": 100000,
        "thoughtsTokenCount": 3000,
        "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 250000}],
        "cacheTokensDetails": [{"modality": "TEXT", "tokenCount": 100000}],
    },
    "modelVersion": "gemini-2.5-pro",
    "responseId": "abc",
}


def test_gemini_thoughts_are_added_to_output() -> None:
    usage = extract_usage(GEMINI, "gemini")
    assert usage == Usage(
        input_tokens=250000,
        cache_read_tokens=100000,
        output_tokens=5000,
        reasoning_tokens=3000,
        web_searches=1,  # Gemini 2.x bills per grounded prompt
    )
    # above 200k: 150,000 x 2.5 + 100,000 x 0.25 + 2,000 x 15 + 3,000 x 15 per 1M + $0.035
    assert cost(o.GEMINI_2_5_PRO, usage).total == Decimal("0.510")


def test_gemini_3_bills_per_search_query() -> None:
    payload = {**GEMINI, "modelVersion": "gemini-3-pro-preview"}
    assert extract_usage(payload, "gemini").web_searches == 2


def test_gemini_audio_modality() -> None:
    payload = {
        "usageMetadata": {
            "promptTokenCount": 10000,
            "candidatesTokenCount": 500,
            "totalTokenCount": 10500,
            "promptTokensDetails": [
                {"modality": "TEXT", "tokenCount": 1000},
                {"modality": "AUDIO", "tokenCount": 8000},
                {"modality": "IMAGE", "tokenCount": 1000},
            ],
            "candidatesTokensDetails": [{"modality": "TEXT", "tokenCount": 500}],
        },
        "modelVersion": "gemini-2.5-flash",
    }
    usage = extract_usage(payload, "gemini")
    assert usage == Usage(
        input_tokens=10000,
        input_audio_tokens=8000,
        input_image_tokens=1000,
        output_tokens=500,
    )
    # images at the text price: 2,000 x 0.30 + 8,000 x 1.00 + 500 x 2.50 per 1M
    assert cost(o.GEMINI_2_5_FLASH, usage).total == Decimal("0.00985")


def test_gemini_image_output_and_snake_case() -> None:
    payload = {
        "usage_metadata": {
            "prompt_token_count": 100,
            "candidates_token_count": 1300,
            "candidates_tokens_details": [
                {"modality": "TEXT", "token_count": 10},
                {"modality": "IMAGE", "token_count": 1290},
            ],
            "total_token_count": 1400,
        },
        "model_version": "gemini-2.5-flash-image",
    }
    usage = extract_usage(payload, "vertex")
    assert usage == Usage(input_tokens=100, output_tokens=1300, output_image_tokens=1290)
    assert cost(o.GEMINI_2_5_FLASH_IMAGE, usage).total == Decimal("0.038755")


def test_gemini_stream_takes_the_last_cumulative_chunk() -> None:
    chunks = [
        {
            "candidates": [{"content": {"parts": [{"text": "Hel"}], "role": "model"}}],
            "usageMetadata": {"promptTokenCount": 12, "totalTokenCount": 12},
        },
        {
            "candidates": [
                {
                    "content": {"parts": [{"text": "lo"}], "role": "model"},
                    "finishReason": "STOP",
                    "groundingMetadata": {"webSearchQueries": ["q"]},
                }
            ],
            "usageMetadata": {
                "promptTokenCount": 12,
                "candidatesTokenCount": 40,
                "thoughtsTokenCount": 100,
                "toolUsePromptTokenCount": 300,
                "totalTokenCount": 452,
            },
        },
    ]
    assert extract_stream_usage(chunks, "gemini") == Usage(
        input_tokens=312, output_tokens=140, reasoning_tokens=100, web_searches=1
    )


# --- ollama, errors -----------------------------------------------------------------------


def test_ollama() -> None:
    payload = {
        "model": "llama3.2",
        "done": True,
        "prompt_eval_count": 26,
        "eval_count": 259,
        "total_duration": 5043500667,
    }
    assert extract_usage(payload, "ollama") == Usage(input_tokens=26, output_tokens=259)
    stream = [{"model": "llama3.2", "done": False, "message": {"content": "x"}}, payload]
    assert extract_stream_usage(stream, "ollama") == Usage(input_tokens=26, output_tokens=259)


def test_unknown_style_is_a_clear_error() -> None:
    with pytest.raises(CostError, match=r"unknown api_style 'cohere'.*openai-chat"):
        extract_usage({"usage": {}}, "cohere")
    with pytest.raises(LLMaestroError):
        extract_stream_usage([], "bedrock")
    with pytest.raises(ValueError, match="unknown api_style"):
        extract_usage({}, "nope")


def test_payload_must_be_a_mapping() -> None:
    with pytest.raises(TypeError, match="mapping"):
        extract_usage([1, 2], "openai-chat")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="api_style"):
        extract_usage({}, None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "style", ["openai-chat", "openai-responses", "anthropic-messages", "gemini"]
)
def test_no_usage_raises(style: str) -> None:
    with pytest.raises(CostError, match="no usage"):
        extract_usage({"id": "x", "choices": []}, style)


# --- the conventions ------------------------------------------------------------------------


def test_openai_and_anthropic_conventions_normalize_to_the_same_usage() -> None:
    """The same billing (4,000 fresh + 6,000 cached prompt tokens, 500 output tokens)
    reported both ways: OpenAI counts cached tokens inside prompt_tokens, Anthropic outside
    input_tokens."""
    openai_style = {
        "usage": {
            "prompt_tokens": 10000,
            "completion_tokens": 500,
            "total_tokens": 10500,
            "prompt_tokens_details": {"cached_tokens": 6000},
        }
    }
    anthropic_style = {
        "type": "message",
        "usage": {
            "input_tokens": 4000,
            "cache_read_input_tokens": 6000,
            "cache_creation_input_tokens": 0,
            "output_tokens": 500,
        },
    }
    responses_style = {
        "usage": {
            "input_tokens": 10000,
            "input_tokens_details": {"cached_tokens": 6000},
            "output_tokens": 500,
        }
    }
    gemini_style = {
        "usageMetadata": {
            "promptTokenCount": 10000,
            "cachedContentTokenCount": 6000,
            "candidatesTokenCount": 500,
        }
    }
    a = extract_usage(openai_style, "openai-chat")
    b = extract_usage(anthropic_style, "anthropic-messages")
    c = extract_usage(responses_style, "openai-responses")
    d = extract_usage(gemini_style, "gemini")
    assert a == b == c == d == Usage(input_tokens=10000, cache_read_tokens=6000, output_tokens=500)
    assert a.uncached_input_tokens == 4000
    assert cost(o.CLAUDE_SONNET_4_5, a) == cost(o.CLAUDE_SONNET_4_5, b)


def test_reasoning_conventions() -> None:
    """Gemini reports thoughts outside candidates, OpenAI inside completion_tokens."""
    gemini = {
        "usageMetadata": {
            "promptTokenCount": 10,
            "candidatesTokenCount": 20,
            "thoughtsTokenCount": 30,
        }
    }
    openai = {
        "usage": {
            "prompt_tokens": 10,
            "completion_tokens": 50,
            "completion_tokens_details": {"reasoning_tokens": 30},
        }
    }
    assert extract_usage(gemini, "gemini") == extract_usage(openai, "openai-chat")
