"""Recorded response shapes of the three wire formats (OpenAI chat completions, Anthropic
Messages, Gemini generateContent), whole and streamed, naming a given served model, and one
way to drive a client through each of ``chat``, ``achat``, ``stream`` and ``astream``."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from llmaestro.clients import (
    AnthropicClient,
    ChatResponse,
    GeminiClient,
    Message,
    OpenAICompatClient,
    RetryPolicy,
    client_for,
)
from llmaestro.clients.client import BaseClient
from llmaestro.registry.core import Registry
from tests.clients._server import FAKE_KEY, LocalServer, Recorded, Reply, sse_data, sse_named

__all__ = ["BASE_PATHS", "MODES", "PROVIDERS", "call", "make", "serve"]

#: The providers of the three wire formats, and the path their clients' base URL ends in.
BASE_PATHS = {"openai": "/v1", "anthropic": "/v1", "google": "/v1beta"}
PROVIDERS = tuple(BASE_PATHS)
MODES = ("chat", "achat", "stream", "astream")


def _openai(served: Any, stream: bool, tier: str | None) -> Reply:
    usage = {"prompt_tokens": 20, "completion_tokens": 5, "total_tokens": 25}
    head: dict[str, Any] = {"id": "chatcmpl-9", "object": "chat.completion", "model": served}
    if tier is not None:
        head["service_tier"] = tier
    if not stream:
        choice = {"index": 0, "message": {"role": "assistant", "content": "Hi"}}
        return Reply(
            json={**head, "choices": [{**choice, "finish_reason": "stop"}], "usage": usage}
        )
    chunk = {**head, "object": "chat.completion.chunk"}
    return Reply(
        sse=sse_data(
            {**chunk, "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hi"}}]},
            {**chunk, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
            {**chunk, "choices": [], "usage": usage},
            done=True,
        )
    )


def _anthropic(served: Any, stream: bool, tier: str | None) -> Reply:
    usage: dict[str, Any] = {
        "input_tokens": 20,
        "output_tokens": 5,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
    }
    if tier is not None:
        usage["service_tier"] = tier
    head = {"id": "msg_9", "type": "message", "role": "assistant", "model": served}
    if not stream:
        text = [{"type": "text", "text": "Hi"}]
        body = {**head, "content": text, "stop_reason": "end_turn", "stop_sequence": None}
        return Reply(json={**body, "usage": usage})
    started = {**head, "content": [], "stop_reason": None, "usage": {**usage, "output_tokens": 1}}
    return Reply(
        sse=sse_named(
            ("message_start", {"type": "message_start", "message": started}),
            (
                "content_block_start",
                {"type": "content_block_start", "index": 0, "content_block": {"type": "text"}},
            ),
            (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "text_delta", "text": "Hi"},
                },
            ),
            ("content_block_stop", {"type": "content_block_stop", "index": 0}),
            (
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                    "usage": {"output_tokens": 5},
                },
            ),
            ("message_stop", {"type": "message_stop"}),
        )
    )


def _google(served: Any, stream: bool, tier: str | None) -> Reply:
    usage = {"promptTokenCount": 20, "candidatesTokenCount": 5, "totalTokenCount": 25}
    content = {"role": "model", "parts": [{"text": "Hi"}]}
    body = {
        "candidates": [{"content": content, "finishReason": "STOP", "index": 0}],
        "usageMetadata": usage,
        "modelVersion": served,
        "responseId": "resp-9",
    }
    return Reply(sse=sse_data(body)) if stream else Reply(json=body)


_SHAPES = {"openai": _openai, "anthropic": _anthropic, "google": _google}


def serve(server: LocalServer, provider: str, served: Any, tier: str | None = None) -> None:
    """Answer every chat request (whole or streamed) naming ``served`` as the model."""

    def route(request: Recorded) -> Reply:
        body = request.json if isinstance(request.json, dict) else {}
        stream = bool(body.get("stream")) or ":streamGenerateContent" in request.path
        return _SHAPES[provider](served, stream, tier)

    server.route = route


def make(server: LocalServer, provider: str, registry: Registry | Literal[False]) -> BaseClient:
    """The provider's client against ``server`` (``registry=False``: without a catalog)."""
    base_url = server.url + BASE_PATHS[provider]
    retry = RetryPolicy(max_attempts=1)
    if registry is False:
        classes: dict[str, type[BaseClient]] = {
            "openai": OpenAICompatClient,
            "anthropic": AnthropicClient,
            "google": GeminiClient,
        }
        return classes[provider](
            provider=provider, base_url=base_url, api_key=FAKE_KEY, registry=False, retry=retry
        )
    client = client_for(
        provider, api_key=FAKE_KEY, base_url=base_url, registry=registry, retry=retry
    )
    assert isinstance(client, BaseClient)
    return client


def call(client: BaseClient, mode: str, model: str, **options: Any) -> ChatResponse:
    """One call through ``mode``; the final response."""
    messages = [Message.user("Hi")]
    if mode == "chat":
        return client.chat(messages, model, **options)
    if mode == "stream":
        with client.stream(messages, model, **options) as events:
            return events.final_response()

    async def run() -> ChatResponse:
        try:
            if mode == "achat":
                return await client.achat(messages, model, **options)
            async with client.astream(messages, model, **options) as events:
                return await events.final_response()
        finally:  # the async HTTP client belongs to this loop (made again on the next call)
            await client.aclose()

    return asyncio.run(run())
