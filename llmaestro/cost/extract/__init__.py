"""Usage extraction: from a provider's response body or stream events to a :class:`Usage`.

How each API maps onto it (:func:`extract_usage`):

==================== =========================================================================
openai-chat          ``prompt_tokens`` already includes ``cached_tokens`` and audio tokens;
                     ``completion_tokens`` includes reasoning and audio tokens. Exception
                     detected from ``total_tokens``: xAI reports ``reasoning_tokens`` *outside*
                     ``completion_tokens``, so they are added. DeepSeek's
                     ``prompt_cache_hit_tokens``, Mistral's ``num_cached_tokens``,
                     OpenRouter's ``cache_write_tokens`` and image tokens are read.
openai-responses     ``input_tokens`` includes ``cached_tokens`` and ``cache_write_tokens``;
                     ``output_tokens`` includes ``reasoning_tokens``; ``web_search_call``
                     output items are web searches, ``image_generation_call`` ones
                     generated images.
anthropic-messages   ``input_tokens`` **excludes** cache tokens: input = ``input_tokens`` +
                     ``cache_creation_input_tokens`` + ``cache_read_input_tokens``; the
                     ``cache_creation`` object splits writes into 5-minute and 1-hour ones;
                     ``output_tokens_details.thinking_tokens`` are reasoning.
gemini               ``promptTokenCount`` includes ``cachedContentTokenCount``;
                     ``thoughtsTokenCount`` is **not** in ``candidatesTokenCount`` and is
                     added to the output; ``toolUsePromptTokenCount`` is added to the input;
                     DOCUMENT tokens count with IMAGE ones, cached AUDIO is cached audio.
==================== =========================================================================

A usage object of a shape its reader does not know (none of the style's counts, or a
positive count under a key it does not read: Bedrock's ``inputTokens`` sent as
``anthropic-messages``, Cohere's ``billed_units`` as ``openai-chat``) raises
:class:`~llmaestro.errors.CostError` naming the keys, never a usage of zeros.
:func:`reported_cost` reads what OpenRouter says it charged (``usage.cost``, ``is_byok``).

Streaming: all four APIs report *cumulative* usage in their stream events, so stream events
must not be added with ``+``; use :func:`extract_stream_usage`, which combines them the way
each API means. ``Usage.__add__`` is for separate requests (or separately billed parts).

Each API family has its module (:mod:`.openai`, :mod:`.anthropic`, :mod:`.gemini`,
:mod:`.ollama`): ``find`` locates the usage object in a payload, ``read`` converts it, and
``read_stream`` combines stream events where the last one is not enough.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from llmaestro.cost.extract import anthropic, gemini, ollama, openai
from llmaestro.cost.extract.fields import check_payload
from llmaestro.cost.extract.reported import ReportedCost, reported_cost
from llmaestro.cost.usage import Usage
from llmaestro.errors import CostError

__all__ = [
    "API_STYLES",
    "ReportedCost",
    "extract_stream_usage",
    "extract_usage",
    "reported_cost",
]


@dataclass(frozen=True, slots=True)
class _Family:
    """How one API style reports usage."""

    find: Callable[[Mapping[str, Any]], Mapping[str, Any] | None]
    """The usage object of a payload, or None when it carries none."""
    read: Callable[[Mapping[str, Any], Mapping[str, Any]], Usage]
    """(payload, its usage object) -> Usage."""
    read_stream: Callable[[Iterable[Mapping[str, Any]]], Usage | None] | None = None
    """Combines stream events; None when the last event with usage tells all."""


_FAMILIES: Final[dict[str, _Family]] = {
    "openai-chat": _Family(openai.find_chat, openai.read_chat),
    "openai-responses": _Family(openai.find_responses, openai.read_responses),
    "anthropic-messages": _Family(anthropic.find, anthropic.read, anthropic.read_stream),
    "gemini": _Family(gemini.find, gemini.read, gemini.read_stream),
    "ollama": _Family(ollama.find, ollama.read),
}

#: API styles :func:`extract_usage` understands (aliases map onto these).
API_STYLES: Final[tuple[str, ...]] = tuple(_FAMILIES)
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


def _no_usage(style: str) -> CostError:
    return CostError(f"no usage found in the {style} payload")


def extract_usage(payload: Mapping[str, Any], api_style: str) -> Usage:
    """The normalized :class:`Usage` of one response body (parsed JSON) of ``api_style``.

    ``api_style`` is ``"openai-chat"`` (also OpenAI-compatible APIs: DeepSeek, xAI,
    OpenRouter, Mistral...), ``"openai-responses"``, ``"anthropic-messages"``, ``"gemini"``
    (also Vertex AI) or ``"ollama"``; aliases: ``openai``, ``openai-completions``,
    ``responses``, ``anthropic``, ``vertex``, ``google``. ``payload`` may be a whole response,
    a stream event carrying usage (an OpenAI final chunk, ``response.completed``,
    Anthropic ``message_start`` / ``message_delta``, a Gemini chunk) or the bare usage object.
    Missing or null fields count as 0. The result has ``requests=1``.

    Raises :class:`~llmaestro.errors.CostError` for an unknown style, a payload without
    usage (e.g. an OpenAI stream chunk whose ``usage`` is null) or a usage object of a shape
    the style's reader does not know (it names the keys).
    """
    style = _style(api_style)
    payload = check_payload(payload)
    family = _FAMILIES[style]
    found = family.find(payload)
    if found is None:
        raise _no_usage(style)
    return family.read(payload, found)


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
    family = _FAMILIES[style]
    if family.read_stream is not None:
        usage = family.read_stream(events)
        if usage is None:
            raise _no_usage(style)
        return usage
    final: tuple[Mapping[str, Any], Mapping[str, Any]] | None = None
    for event in events:
        event = check_payload(event)
        found = family.find(event)
        if found is not None:
            final = (event, found)
    if final is None:
        raise _no_usage(style)
    return family.read(*final)
