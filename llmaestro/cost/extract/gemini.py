"""Gemini usage (Google AI and Vertex AI): ``thoughtsTokenCount`` and
``toolUsePromptTokenCount`` are added to the output and the input; grounding searches are
counted per prompt (Gemini 2.x) or per query (Gemini 3). Per modality: uncached AUDIO prompt
tokens are audio input, uncached IMAGE and DOCUMENT (PDF) ones image input, cached AUDIO
ones (``cacheTokensDetails``) cached audio (priced at ``cache_read_audio``); TEXT and VIDEO
tokens are plain input."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from llmaestro.cost.extract.fields import (
    Shape,
    as_int,
    as_map,
    build,
    check_payload,
    check_shape,
    first,
)
from llmaestro.cost.usage import Usage

__all__ = ["SHAPE", "find", "read", "read_stream"]

_MODALITIES: Final = frozenset({"TEXT", "IMAGE", "AUDIO", "VIDEO", "DOCUMENT"})
_DETAILS: Final = (
    ("promptTokensDetails", "prompt_tokens_details", "promptTokenDetails"),
    ("cacheTokensDetails", "cache_tokens_details"),
    ("toolUsePromptTokensDetails", "tool_use_prompt_tokens_details"),
    ("candidatesTokensDetails", "candidates_tokens_details"),
)
_COUNTS: Final = (
    ("promptTokenCount", "prompt_token_count"),
    ("toolUsePromptTokenCount", "tool_use_prompt_token_count"),
    ("cachedContentTokenCount", "cached_content_token_count"),
    ("candidatesTokenCount", "candidates_token_count"),
    ("thoughtsTokenCount", "thoughts_token_count"),
    ("totalTokenCount", "total_token_count"),
)
#: Counts of a ``usageMetadata`` object, in both spellings.
SHAPE: Final = Shape(
    "gemini",
    required=frozenset(_COUNTS[0] + _COUNTS[3]),
    counts=frozenset(key for pair in _COUNTS for key in pair),
    nested={key: _MODALITIES for keys in _DETAILS for key in keys},
)


def find(payload: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The ``usageMetadata`` of a response or chunk (or a bare one), else None."""
    usage = first(payload, "usageMetadata", "usage_metadata")
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
                tokens = as_int(first(entry, "tokenCount", "token_count"))
                counts[modality] = counts.get(modality, 0) + tokens
    return counts


def _queries(payload: Mapping[str, Any]) -> tuple[set[str], bool]:
    """Distinct Google Search queries of a response, and whether it is a Gemini 3+ model."""
    queries: set[str] = set()
    candidates = payload.get("candidates")
    if isinstance(candidates, list):
        for candidate in candidates:
            grounding = as_map(first(as_map(candidate), "groundingMetadata", "grounding_metadata"))
            found = first(grounding, "webSearchQueries", "web_search_queries")
            if isinstance(found, list):
                queries.update(str(q) for q in found)
    version = str(first(payload, "modelVersion", "model_version") or "")
    return queries, version.startswith("gemini-3")


def _searches(queries: set[str], per_query: bool) -> int:
    # Gemini 2.x bills grounding per grounded prompt, Gemini 3 per search query.
    if not queries:
        return 0
    return len(queries) if per_query else 1


def _from_usage(usage: Mapping[str, Any], web_searches: int = 0) -> Usage:
    check_shape(usage, SHAPE)
    prompt = as_int(first(usage, "promptTokenCount", "prompt_token_count"))
    tool_prompt = as_int(first(usage, "toolUsePromptTokenCount", "tool_use_prompt_token_count"))
    cached = as_int(first(usage, "cachedContentTokenCount", "cached_content_token_count"))
    candidates = as_int(first(usage, "candidatesTokenCount", "candidates_token_count"))
    thoughts = as_int(first(usage, "thoughtsTokenCount", "thoughts_token_count"))
    prompt_by, cached_by, tool_by, out_by = (
        _modality_tokens(first(usage, *keys)) for keys in _DETAILS
    )

    def uncached(modality: str) -> int:
        return max(
            prompt_by.get(modality, 0) + tool_by.get(modality, 0) - cached_by.get(modality, 0),
            0,
        )

    return build(
        input_tokens=prompt + tool_prompt,
        output_tokens=candidates + thoughts,
        cache_read=cached,
        cache_read_audio=cached_by.get("AUDIO", 0),
        reasoning=thoughts,
        input_audio=uncached("AUDIO"),
        input_image=uncached("IMAGE") + uncached("DOCUMENT"),
        output_audio=out_by.get("AUDIO", 0),
        output_image=out_by.get("IMAGE", 0),
        web_searches=web_searches,
    )


def read(payload: Mapping[str, Any], found: Mapping[str, Any]) -> Usage:
    """The usage of a response whose usage metadata :func:`find` found."""
    queries, per_query = _queries(payload)
    return _from_usage(found, _searches(queries, per_query))


def read_stream(events: Iterable[Mapping[str, Any]]) -> Usage | None:
    """The last chunk's usage, with the search queries of every chunk; None without usage."""
    last: Mapping[str, Any] | None = None
    queries: set[str] = set()
    per_query = False
    for event in events:
        event = check_payload(event)
        found, gemini3 = _queries(event)
        queries |= found
        per_query = per_query or gemini3
        usage = find(event)
        if usage is not None:
            last = usage
    return None if last is None else _from_usage(last, _searches(queries, per_query))
