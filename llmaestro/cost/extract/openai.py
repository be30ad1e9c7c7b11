"""OpenAI usage: the chat completions API (also DeepSeek, xAI, OpenRouter, Mistral and the other
OpenAI-compatible APIs) and the responses API.

The OpenAI-compatible extensions read: DeepSeek's ``prompt_cache_hit_tokens`` /
``prompt_cache_miss_tokens``, Mistral's ``num_cached_tokens``, a top-level ``cached_tokens``,
OpenRouter's ``prompt_tokens_details.cache_write_tokens`` and
``completion_tokens_details.image_tokens``; OpenRouter's ``usage.cost`` / ``is_byok`` are what
the provider charged (:func:`reported_cost`), not counts. Groq's timings are not counts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from llmaestro.cost.extract.fields import Shape, as_int, as_map, build, check_shape, first
from llmaestro.cost.usage import Usage

__all__ = [
    "CHAT_SHAPE",
    "RESPONSES_SHAPE",
    "find_chat",
    "find_responses",
    "read_chat",
    "read_responses",
]

#: Counts of a chat completion usage object (``text``/``video``/prediction counts are parts
#: of the prompt or completion billed at its price).
CHAT_SHAPE: Final = Shape(
    "openai-chat",
    required=frozenset({"prompt_tokens", "completion_tokens", "prompt_cache_miss_tokens"}),
    counts=frozenset(
        {
            "total_tokens",
            "prompt_cache_hit_tokens",
            "cache_creation_input_tokens",
            "num_cached_tokens",
            "cached_tokens",
        }
    ),
    nested={
        "prompt_tokens_details": frozenset(
            {
                "cached_tokens",
                "audio_tokens",
                "cache_write_tokens",
                "cache_creation_tokens",
                "text_tokens",
                "image_tokens",
                "video_tokens",
            }
        ),
        "completion_tokens_details": frozenset(
            {
                "reasoning_tokens",
                "audio_tokens",
                "image_tokens",
                "text_tokens",
                "accepted_prediction_tokens",
                "rejected_prediction_tokens",
            }
        ),
    },
)
#: Counts of a responses API usage object.
RESPONSES_SHAPE: Final = Shape(
    "openai-responses",
    required=frozenset({"input_tokens", "output_tokens"}),
    counts=frozenset({"total_tokens"}),
    nested={
        key: frozenset(
            {"cached_tokens", "cache_write_tokens", "audio_tokens", "text_tokens", "image_tokens"}
        )
        for key in ("input_tokens_details", "input_token_details")
    }
    | {
        key: frozenset({"reasoning_tokens", "audio_tokens", "text_tokens", "image_tokens"})
        for key in ("output_tokens_details", "output_token_details")
    },
)


# --- chat completions --------------------------------------------------------------------------


def find_chat(payload: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The ``usage`` object of a chat completion or chunk (or a bare one), else None."""
    usage = payload.get("usage")
    if isinstance(usage, Mapping):
        return usage
    if "prompt_tokens" in payload or "completion_tokens" in payload:
        return payload  # a bare usage object
    return None


def _from_chat(usage: Mapping[str, Any]) -> Usage:
    check_shape(usage, CHAT_SHAPE)
    prompt_details = as_map(usage.get("prompt_tokens_details"))
    completion_details = as_map(usage.get("completion_tokens_details"))
    hit = as_int(usage.get("prompt_cache_hit_tokens"))  # DeepSeek
    prompt = as_int(usage.get("prompt_tokens"))
    if not prompt and (hit or usage.get("prompt_cache_miss_tokens")):
        prompt = hit + as_int(usage.get("prompt_cache_miss_tokens"))
    completion = as_int(usage.get("completion_tokens"))
    reasoning = as_int(completion_details.get("reasoning_tokens"))
    total = usage.get("total_tokens")
    if (
        reasoning
        and isinstance(total, int)
        and total != prompt + completion
        and total == prompt + completion + reasoning
    ):
        completion += reasoning  # xAI: reasoning tokens are reported outside completion_tokens
    cached = (
        as_int(prompt_details.get("cached_tokens"))
        or hit
        or as_int(first(usage, "num_cached_tokens", "cached_tokens"))  # Mistral, others
    )
    writes = as_int(
        first(prompt_details, "cache_write_tokens", "cache_creation_tokens")
        or usage.get("cache_creation_input_tokens")
    )
    return build(
        input_tokens=prompt,
        output_tokens=completion,
        cache_read=cached,
        cache_write=writes,
        reasoning=reasoning,
        input_audio=as_int(prompt_details.get("audio_tokens")),
        input_image=as_int(prompt_details.get("image_tokens")),
        output_audio=as_int(completion_details.get("audio_tokens")),
        output_image=as_int(completion_details.get("image_tokens")),
    )


def read_chat(payload: Mapping[str, Any], found: Mapping[str, Any]) -> Usage:
    """The usage of a chat completion whose usage object :func:`find_chat` found."""
    return _from_chat(found)


# --- responses ---------------------------------------------------------------------------------


def _body(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    inner = payload.get("response")
    if isinstance(inner, Mapping):  # stream events: response.completed / .incomplete / .failed
        return inner
    return payload


def find_responses(payload: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The ``usage`` of a response or of a stream event's response (or a bare one), else None."""
    body = _body(payload)
    usage = body.get("usage")
    if isinstance(usage, Mapping):
        return usage
    if "input_tokens" in body and "output_tokens" in body and "usage" not in body:
        return body  # a bare usage object
    return None


def _calls(body: Mapping[str, Any], kind: str) -> int:
    """Output items of ``kind`` (``web_search_call``, ``image_generation_call``) not failed."""
    output = body.get("output")
    if not isinstance(output, list):
        return 0
    return sum(
        1
        for item in output
        if isinstance(item, Mapping) and item.get("type") == kind and item.get("status") != "failed"
    )


def _from_responses(
    usage: Mapping[str, Any], web_searches: int = 0, generated_images: int = 0
) -> Usage:
    check_shape(usage, RESPONSES_SHAPE)
    input_details = as_map(first(usage, "input_tokens_details", "input_token_details"))
    output_details = as_map(first(usage, "output_tokens_details", "output_token_details"))
    return build(
        input_tokens=as_int(usage.get("input_tokens")),
        output_tokens=as_int(usage.get("output_tokens")),
        cache_read=as_int(input_details.get("cached_tokens")),
        cache_write=as_int(input_details.get("cache_write_tokens")),
        reasoning=as_int(output_details.get("reasoning_tokens")),
        input_audio=as_int(input_details.get("audio_tokens")),
        input_image=as_int(input_details.get("image_tokens")),
        output_audio=as_int(output_details.get("audio_tokens")),
        output_image=as_int(output_details.get("image_tokens")),
        web_searches=web_searches,
        generated_images=generated_images,
    )


def read_responses(payload: Mapping[str, Any], found: Mapping[str, Any]) -> Usage:
    """The usage of a response whose usage object :func:`find_responses` found: its
    ``web_search_call`` output items are web searches, its ``image_generation_call`` items
    generated images (the image tool is billed apart from the response's tokens)."""
    body = _body(payload)
    return _from_responses(
        found, _calls(body, "web_search_call"), _calls(body, "image_generation_call")
    )
