"""Normalized usage (:class:`Usage`) and its extraction from provider response bodies.

The one convention
------------------
Every provider reports usage its own way; :class:`Usage` has exactly one meaning:

* ``input_tokens`` is **every** prompt token of the request: uncached ones, those read from
  the cache, those written to the cache (5-minute and 1-hour), audio and image prompt
  tokens. It is what context windows and context-tier thresholds are compared with.
* ``cache_read_tokens``, ``cache_write_tokens`` (5-minute), ``cache_write_1h_tokens``,
  ``input_audio_tokens`` and ``input_image_tokens`` are disjoint parts **of**
  ``input_tokens``; what is left is plain text prompt tokens. Audio or image tokens read from
  the cache count as ``cache_read_tokens`` (priced at ``cache_read``).
* ``output_tokens`` is **every** generated token: visible text, reasoning ("thinking"),
  audio and image tokens. ``reasoning_tokens``, ``output_audio_tokens`` and
  ``output_image_tokens`` are disjoint parts **of** ``output_tokens``.
* ``images`` counts the images in the prompt (for per-image prices; their tokens, if any,
  are in ``input_tokens``), ``generated_images`` the images generated, ``requests`` the API
  requests (default 1), ``web_searches`` the web-search tool calls billed.

How each API maps onto it (:func:`extract_usage`):

==================== =========================================================================
openai-chat          ``prompt_tokens`` already includes ``cached_tokens`` and audio tokens;
                     ``completion_tokens`` includes reasoning and audio tokens. Exception
                     detected from ``total_tokens``: xAI reports ``reasoning_tokens`` *outside*
                     ``completion_tokens``, so they are added. DeepSeek's
                     ``prompt_cache_hit_tokens`` and OpenRouter's ``cache_write_tokens`` are read.
openai-responses     ``input_tokens`` includes ``cached_tokens``; ``output_tokens`` includes
                     ``reasoning_tokens``; ``web_search_call`` output items are web searches.
anthropic-messages   ``input_tokens`` **excludes** cache tokens: input = ``input_tokens`` +
                     ``cache_creation_input_tokens`` + ``cache_read_input_tokens``; the
                     ``cache_creation`` object splits writes into 5-minute and 1-hour ones.
gemini               ``promptTokenCount`` includes ``cachedContentTokenCount``;
                     ``thoughtsTokenCount`` is **not** in ``candidatesTokenCount`` and is
                     added to the output; ``toolUsePromptTokenCount`` is added to the input.
==================== =========================================================================

Streaming: all four APIs report *cumulative* usage in their stream events, so stream events
must not be added with ``+``; use :func:`extract_stream_usage`, which combines them the way
each API means. ``Usage.__add__`` is for separate requests (or separately billed parts).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Final

from llmaestro.errors import CostError

__all__ = ["API_STYLES", "Usage", "extract_stream_usage", "extract_usage"]


@dataclass(frozen=True, slots=True)
class Usage:
    """What one request (or a sum of requests) used, in llmaestro's normalized convention.

    See the module documentation: ``input_tokens`` counts *all* prompt tokens (cached and
    cache-written ones included) and ``output_tokens`` *all* generated tokens (reasoning and
    audio included); the other token fields are parts of those two. Every field is an
    ``int >= 0``; inconsistent parts (e.g. more cached tokens than input tokens) raise
    :class:`~llmaestro.errors.CostError`.
    """

    input_tokens: int = 0
    """All prompt tokens, including cached, cache-written, audio and image prompt tokens."""
    output_tokens: int = 0
    """All generated tokens, including reasoning, audio and image output tokens."""
    cache_read_tokens: int = 0
    """Prompt tokens read from the cache (part of ``input_tokens``)."""
    cache_write_tokens: int = 0
    """Prompt tokens written to the 5-minute cache (part of ``input_tokens``)."""
    cache_write_1h_tokens: int = 0
    """Prompt tokens written to the 1-hour cache (part of ``input_tokens``)."""
    reasoning_tokens: int = 0
    """Reasoning / thinking tokens (part of ``output_tokens``)."""
    input_audio_tokens: int = 0
    """Audio prompt tokens not read from the cache (part of ``input_tokens``)."""
    output_audio_tokens: int = 0
    """Audio output tokens (part of ``output_tokens``)."""
    input_image_tokens: int = 0
    """Image prompt tokens not read from the cache (part of ``input_tokens``)."""
    output_image_tokens: int = 0
    """Image output tokens (part of ``output_tokens``)."""
    images: int = 0
    """Images in the prompt (for per-image prices)."""
    generated_images: int = 0
    """Images generated (for per-image prices)."""
    requests: int = 1
    """API requests (for per-request prices)."""
    web_searches: int = 0
    """Web-search tool calls billed."""

    def __post_init__(self) -> None:
        for name in _FIELDS:
            value = getattr(self, name)
            if type(value) is not int:
                if isinstance(value, bool) or not isinstance(value, int):
                    raise TypeError(f"Usage.{name} must be an int, got {type(value).__name__}")
                object.__setattr__(self, name, int(value))  # an int subclass: plain int
            if value < 0:
                raise CostError(f"Usage.{name} must be >= 0, got {value}")
        inside = (
            self.cache_read_tokens
            + self.cache_write_tokens
            + self.cache_write_1h_tokens
            + self.input_audio_tokens
            + self.input_image_tokens
        )
        if inside > self.input_tokens:
            raise CostError(
                f"Usage.input_tokens ({self.input_tokens}) must include the cache read, cache "
                f"write, audio and image prompt tokens ({inside}): input_tokens counts every "
                "prompt token (for Anthropic-style usage add the cache tokens to input_tokens)"
            )
        generated = self.reasoning_tokens + self.output_audio_tokens + self.output_image_tokens
        if generated > self.output_tokens:
            raise CostError(
                f"Usage.output_tokens ({self.output_tokens}) must include the reasoning, audio "
                f"and image output tokens ({generated}): output_tokens counts every generated "
                "token (for xAI-style usage add reasoning_tokens to output_tokens)"
            )

    # --- derived views ---------------------------------------------------------------------

    @property
    def prompt_tokens(self) -> int:
        """All prompt tokens (same as ``input_tokens``): what context tiers are compared with."""
        return self.input_tokens

    @property
    def completion_tokens(self) -> int:
        """All generated tokens (same as ``output_tokens``)."""
        return self.output_tokens

    @property
    def uncached_input_tokens(self) -> int:
        """Prompt tokens neither read from nor written to the cache."""
        return (
            self.input_tokens
            - self.cache_read_tokens
            - self.cache_write_tokens
            - self.cache_write_1h_tokens
        )

    @property
    def total_tokens(self) -> int:
        """``input_tokens + output_tokens``."""
        return self.input_tokens + self.output_tokens

    # --- arithmetic ------------------------------------------------------------------------

    def __add__(self, other: Usage) -> Usage:
        """Field-wise sum: the usage of two separate requests (``requests`` adds up too).

        Not for stream events, which are cumulative: see :func:`extract_stream_usage`.
        """
        if not isinstance(other, Usage):
            return NotImplemented
        return Usage(*(getattr(self, n) + getattr(other, n) for n in _FIELDS))

    def __radd__(self, other: object) -> Usage:
        """Lets ``sum(usages)`` start from ``0``."""
        if other == 0 and not isinstance(other, bool):
            return self
        return NotImplemented

    def to_dict(self) -> dict[str, int]:
        """The fields as a plain dict."""
        return {n: getattr(self, n) for n in _FIELDS}


_FIELDS: Final[tuple[str, ...]] = tuple(f.name for f in fields(Usage))

#: API styles :func:`extract_usage` understands (aliases map onto these).
API_STYLES: Final[tuple[str, ...]] = (
    "openai-chat",
    "openai-responses",
    "anthropic-messages",
    "gemini",
    "ollama",
)
_STYLE_ALIASES: Final[dict[str, str]] = {
    "openai": "openai-chat",
    "openai-completions": "openai-chat",
    "chat-completions": "openai-chat",
    "responses": "openai-responses",
    "anthropic": "anthropic-messages",
    "vertex": "gemini",
    "google": "gemini",
}


def _style(api_style: str) -> str:
    if not isinstance(api_style, str):
        raise TypeError(f"api_style must be a str, got {type(api_style).__name__}")
    style = _STYLE_ALIASES.get(api_style, api_style)
    if style not in API_STYLES:
        raise CostError(
            f"unknown api_style {api_style!r}; known: {', '.join(API_STYLES)} "
            f"(aliases: {', '.join(sorted(_STYLE_ALIASES))})"
        )
    return style


# --- tolerant readers ------------------------------------------------------------------------


def _int(value: Any) -> int:
    """A token count from a JSON value; missing, null, negative or malformed -> 0."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value if value > 0 else 0
    if isinstance(value, float) and value.is_integer() and value > 0:
        return int(value)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return 0


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _first(mapping: Mapping[str, Any], *keys: str) -> Any:
    """The first present, non-null value among ``keys`` (camelCase / snake_case spellings)."""
    for key in keys:
        value = mapping.get(key)
        if value is not None:
            return value
    return None


def _usage(
    *,
    input_tokens: int,
    output_tokens: int,
    cache_read: int = 0,
    cache_write: int = 0,
    cache_write_1h: int = 0,
    reasoning: int = 0,
    input_audio: int = 0,
    output_audio: int = 0,
    input_image: int = 0,
    output_image: int = 0,
    web_searches: int = 0,
) -> Usage:
    """Build a :class:`Usage`, clamping parts that a malformed payload makes inconsistent."""
    room = input_tokens
    parts_in = []
    for part in (cache_read, cache_write, cache_write_1h, input_audio, input_image):
        part = min(part, room)
        room -= part
        parts_in.append(part)
    room = output_tokens
    parts_out = []
    for part in (reasoning, output_audio, output_image):
        part = min(part, room)
        room -= part
        parts_out.append(part)
    return Usage(
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cache_read_tokens=parts_in[0],
        cache_write_tokens=parts_in[1],
        cache_write_1h_tokens=parts_in[2],
        input_audio_tokens=parts_in[3],
        input_image_tokens=parts_in[4],
        reasoning_tokens=parts_out[0],
        output_audio_tokens=parts_out[1],
        output_image_tokens=parts_out[2],
        web_searches=web_searches,
    )


# --- openai-chat -----------------------------------------------------------------------------


def _chat_raw(payload: Mapping[str, Any]) -> Mapping[str, Any] | None:
    usage = payload.get("usage")
    if isinstance(usage, Mapping):
        return usage
    if "prompt_tokens" in payload or "completion_tokens" in payload:
        return payload  # a bare usage object
    return None


def _from_chat(usage: Mapping[str, Any]) -> Usage:
    prompt_details = _map(usage.get("prompt_tokens_details"))
    completion_details = _map(usage.get("completion_tokens_details"))
    hit = _int(usage.get("prompt_cache_hit_tokens"))  # DeepSeek
    prompt = _int(usage.get("prompt_tokens"))
    if not prompt and (hit or usage.get("prompt_cache_miss_tokens")):
        prompt = hit + _int(usage.get("prompt_cache_miss_tokens"))
    completion = _int(usage.get("completion_tokens"))
    reasoning = _int(completion_details.get("reasoning_tokens"))
    total = usage.get("total_tokens")
    if (
        reasoning
        and isinstance(total, int)
        and total != prompt + completion
        and total == prompt + completion + reasoning
    ):
        completion += reasoning  # xAI: reasoning tokens are reported outside completion_tokens
    cached = _int(prompt_details.get("cached_tokens")) or hit
    writes = _int(
        _first(prompt_details, "cache_write_tokens", "cache_creation_tokens")
        or usage.get("cache_creation_input_tokens")
    )
    return _usage(
        input_tokens=prompt,
        output_tokens=completion,
        cache_read=cached,
        cache_write=writes,
        reasoning=reasoning,
        input_audio=_int(prompt_details.get("audio_tokens")),
        output_audio=_int(completion_details.get("audio_tokens")),
    )


# --- openai-responses ------------------------------------------------------------------------


def _responses_body(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    inner = payload.get("response")
    if isinstance(inner, Mapping):  # stream events: response.completed / .incomplete / .failed
        return inner
    return payload


def _responses_raw(payload: Mapping[str, Any]) -> Mapping[str, Any] | None:
    body = _responses_body(payload)
    usage = body.get("usage")
    if isinstance(usage, Mapping):
        return usage
    if "input_tokens" in body and "output_tokens" in body and "usage" not in body:
        return body  # a bare usage object
    return None


def _web_search_calls(body: Mapping[str, Any]) -> int:
    output = body.get("output")
    if not isinstance(output, list):
        return 0
    return sum(
        1
        for item in output
        if isinstance(item, Mapping)
        and item.get("type") == "web_search_call"
        and item.get("status") != "failed"
    )


def _from_responses(usage: Mapping[str, Any], web_searches: int = 0) -> Usage:
    input_details = _map(_first(usage, "input_tokens_details", "input_token_details"))
    output_details = _map(_first(usage, "output_tokens_details", "output_token_details"))
    return _usage(
        input_tokens=_int(usage.get("input_tokens")),
        output_tokens=_int(usage.get("output_tokens")),
        cache_read=_int(input_details.get("cached_tokens")),
        reasoning=_int(output_details.get("reasoning_tokens")),
        input_audio=_int(input_details.get("audio_tokens")),
        output_audio=_int(output_details.get("audio_tokens")),
        web_searches=web_searches,
    )


# --- anthropic-messages ----------------------------------------------------------------------


def _anthropic_raw(payload: Mapping[str, Any]) -> Mapping[str, Any] | None:
    if payload.get("type") == "message_start":
        usage = _map(payload.get("message")).get("usage")
    else:
        usage = payload.get("usage")
    if isinstance(usage, Mapping):
        return usage
    if "input_tokens" in payload or "output_tokens" in payload:
        return payload  # a bare usage object
    return None


def _from_anthropic(usage: Mapping[str, Any]) -> Usage:
    uncached = _int(usage.get("input_tokens"))
    read = _int(usage.get("cache_read_input_tokens"))
    written = _int(usage.get("cache_creation_input_tokens"))
    split = usage.get("cache_creation")
    if isinstance(split, Mapping):
        w1h = _int(split.get("ephemeral_1h_input_tokens"))
        w5m = _int(split.get("ephemeral_5m_input_tokens"))
        written = max(written, w5m + w1h)
        w5m = written - w1h  # writes not attributed to either lifetime are 5-minute ones
    else:
        w5m, w1h = written, 0
    tools = _map(usage.get("server_tool_use"))
    return _usage(
        input_tokens=uncached + read + written,
        output_tokens=_int(usage.get("output_tokens")),
        cache_read=read,
        cache_write=w5m,
        cache_write_1h=w1h,
        web_searches=_int(tools.get("web_search_requests")),
    )


def _merge(base: Mapping[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` updated with the non-null values of ``update`` (one level of nesting)."""
    merged = dict(base)
    for key, value in update.items():
        if value is None:
            continue
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


# --- gemini ----------------------------------------------------------------------------------


def _gemini_raw(payload: Mapping[str, Any]) -> Mapping[str, Any] | None:
    usage = _first(payload, "usageMetadata", "usage_metadata")
    if isinstance(usage, Mapping):
        return usage
    if "promptTokenCount" in payload or "prompt_token_count" in payload:
        return payload  # a bare usage metadata object
    return None


def _modality_tokens(details: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    if isinstance(details, list):
        for entry in details:
            if isinstance(entry, Mapping):
                modality = str(entry.get("modality", "")).upper()
                tokens = _int(_first(entry, "tokenCount", "token_count"))
                counts[modality] = counts.get(modality, 0) + tokens
    return counts


def _gemini_queries(payload: Mapping[str, Any]) -> tuple[set[str], bool]:
    """Distinct Google Search queries of a response, and whether it is a Gemini 3+ model."""
    queries: set[str] = set()
    candidates = payload.get("candidates")
    if isinstance(candidates, list):
        for candidate in candidates:
            grounding = _map(_first(_map(candidate), "groundingMetadata", "grounding_metadata"))
            found = _first(grounding, "webSearchQueries", "web_search_queries")
            if isinstance(found, list):
                queries.update(str(q) for q in found)
    version = str(_first(payload, "modelVersion", "model_version") or "")
    return queries, version.startswith("gemini-3")


def _gemini_searches(queries: set[str], per_query: bool) -> int:
    # Gemini 2.x bills grounding per grounded prompt, Gemini 3 per search query.
    if not queries:
        return 0
    return len(queries) if per_query else 1


def _from_gemini(usage: Mapping[str, Any], web_searches: int = 0) -> Usage:
    prompt = _int(_first(usage, "promptTokenCount", "prompt_token_count"))
    tool_prompt = _int(_first(usage, "toolUsePromptTokenCount", "tool_use_prompt_token_count"))
    cached = _int(_first(usage, "cachedContentTokenCount", "cached_content_token_count"))
    candidates = _int(_first(usage, "candidatesTokenCount", "candidates_token_count"))
    thoughts = _int(_first(usage, "thoughtsTokenCount", "thoughts_token_count"))
    prompt_by = _modality_tokens(_first(usage, "promptTokensDetails", "prompt_tokens_details"))
    cached_by = _modality_tokens(_first(usage, "cacheTokensDetails", "cache_tokens_details"))
    tool_by = _modality_tokens(
        _first(usage, "toolUsePromptTokensDetails", "tool_use_prompt_tokens_details")
    )
    out_by = _modality_tokens(_first(usage, "candidatesTokensDetails", "candidates_tokens_details"))

    def uncached(modality: str) -> int:
        return max(
            prompt_by.get(modality, 0) + tool_by.get(modality, 0) - cached_by.get(modality, 0),
            0,
        )

    return _usage(
        input_tokens=prompt + tool_prompt,
        output_tokens=candidates + thoughts,
        cache_read=cached,
        reasoning=thoughts,
        input_audio=uncached("AUDIO"),
        input_image=uncached("IMAGE"),
        output_audio=out_by.get("AUDIO", 0),
        output_image=out_by.get("IMAGE", 0),
        web_searches=web_searches,
    )


# --- ollama ----------------------------------------------------------------------------------


def _ollama_raw(payload: Mapping[str, Any]) -> Mapping[str, Any] | None:
    if "prompt_eval_count" in payload or "eval_count" in payload:
        return payload
    return None


def _from_ollama(usage: Mapping[str, Any]) -> Usage:
    return _usage(
        input_tokens=_int(usage.get("prompt_eval_count")),
        output_tokens=_int(usage.get("eval_count")),
    )


# --- public API ------------------------------------------------------------------------------


def _no_usage(style: str) -> CostError:
    return CostError(f"no usage found in the {style} payload")


def _check_payload(payload: Any) -> Mapping[str, Any]:
    if isinstance(payload, Mapping):
        return payload
    raise TypeError(
        f"payload must be a mapping (a parsed JSON body; call .model_dump() on SDK objects), "
        f"got {type(payload).__name__}"
    )


def extract_usage(payload: Mapping[str, Any], api_style: str) -> Usage:
    """The normalized :class:`Usage` of one response body (parsed JSON) of ``api_style``.

    ``api_style`` is ``"openai-chat"`` (also OpenAI-compatible APIs: DeepSeek, xAI,
    OpenRouter, Mistral...), ``"openai-responses"``, ``"anthropic-messages"``, ``"gemini"``
    (also Vertex AI) or ``"ollama"``; aliases: ``openai``, ``openai-completions``,
    ``responses``, ``anthropic``, ``vertex``, ``google``. ``payload`` may be a whole response,
    a stream event carrying usage (an OpenAI final chunk, ``response.completed``,
    Anthropic ``message_start`` / ``message_delta``, a Gemini chunk) or the bare usage object.
    Missing or null fields count as 0. The result has ``requests=1``.

    Raises :class:`~llmaestro.errors.CostError` for an unknown style or a payload without
    usage (e.g. an OpenAI stream chunk whose ``usage`` is null).
    """
    style = _style(api_style)
    payload = _check_payload(payload)
    if style == "openai-chat":
        raw = _chat_raw(payload)
        if raw is None:
            raise _no_usage(style)
        return _from_chat(raw)
    if style == "openai-responses":
        raw = _responses_raw(payload)
        if raw is None:
            raise _no_usage(style)
        return _from_responses(raw, _web_search_calls(_responses_body(payload)))
    if style == "anthropic-messages":
        raw = _anthropic_raw(payload)
        if raw is None:
            raise _no_usage(style)
        return _from_anthropic(raw)
    if style == "gemini":
        raw = _gemini_raw(payload)
        if raw is None:
            raise _no_usage(style)
        queries, per_query = _gemini_queries(payload)
        return _from_gemini(raw, _gemini_searches(queries, per_query))
    raw = _ollama_raw(payload)
    if raw is None:
        raise _no_usage(style)
    return _from_ollama(raw)


def extract_stream_usage(events: Iterable[Mapping[str, Any]], api_style: str) -> Usage:
    """The :class:`Usage` of one streamed response, from its parsed events (in order).

    Stream usage is cumulative in every supported API, so this never adds events up:

    * ``openai-chat``: the last chunk whose ``usage`` is not null (sent when
      ``stream_options.include_usage`` is set);
    * ``openai-responses``: the last event carrying a response with usage
      (``response.completed``, ``response.incomplete``, ``response.failed``);
    * ``anthropic-messages``: ``message_start``'s ``message.usage`` updated with each
      ``message_delta``'s ``usage`` (cumulative ``output_tokens``, and cumulative input
      and cache counts where present);
    * ``gemini`` / ``ollama``: the last chunk with usage (Gemini search queries are gathered
      from every chunk).

    Events without usage are skipped; raises :class:`~llmaestro.errors.CostError` when no
    event carries usage.
    """
    style = _style(api_style)
    if style == "anthropic-messages":
        merged: dict[str, Any] | None = None
        for event in events:
            raw = _anthropic_raw(_check_payload(event))
            if raw is not None:
                merged = _merge(merged or {}, raw)
        if merged is None:
            raise _no_usage(style)
        return _from_anthropic(merged)
    if style == "gemini":
        last: Mapping[str, Any] | None = None
        queries: set[str] = set()
        per_query = False
        for event in events:
            event = _check_payload(event)
            found, gemini3 = _gemini_queries(event)
            queries |= found
            per_query = per_query or gemini3
            raw = _gemini_raw(event)
            if raw is not None:
                last = raw
        if last is None:
            raise _no_usage(style)
        return _from_gemini(last, _gemini_searches(queries, per_query))
    final: Mapping[str, Any] | None = None
    for event in events:
        event = _check_payload(event)
        if style == "openai-chat":
            found_raw = _chat_raw(event)
        elif style == "openai-responses":
            found_raw = _responses_raw(event)
        else:
            found_raw = _ollama_raw(event)
        if found_raw is not None:
            final = event
    if final is None:
        raise _no_usage(style)
    return extract_usage(final, style)
