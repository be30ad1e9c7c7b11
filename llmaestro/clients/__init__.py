"""The interface layer: typed clients for provider APIs, built from the catalog.

::

    from llmaestro.clients import Message, client_for

    with client_for("openai/gpt-4o") as client:
        reply = client.chat([Message.system("Be brief."), Message.user("Hi!")], max_tokens=50)
        reply.text, reply.usage, reply.cost.total

* :func:`client_for` picks the client class from the provider's API style and configures
  it from the catalog (base URL, auth header, key from the environment).
* :class:`OpenAICompatClient` (OpenAI chat completions and compatible APIs),
  :class:`AnthropicClient` (Messages API), :class:`GeminiClient` (Gemini API): sync and
  async ``chat`` / ``stream``, ``list_models`` (every page) and, for Anthropic and Gemini,
  ``count_tokens``; every one of them follows :class:`ChatClient`.
* Every response carries :class:`~llmaestro.cost.Usage` and a
  :class:`~llmaestro.cost.CostBreakdown`, marked incomplete (``complete`` False, unknown
  components None) when the catalog has no price; an attached
  :class:`~llmaestro.limits.RateLimiter` is reserved and reconciled per call.
* Checks and prices come from the catalog offering of the client's own provider, never
  another provider's with the same id; when the requested id is unknown there, the model
  the response names prices it. An unknown or ambiguous id is an
  :class:`UnknownModelWarning` / :class:`AmbiguousModelWarning`, once per client and id.
* Failures raise :class:`~llmaestro.errors.ProviderAPIError` subclasses; retries follow
  :class:`RetryPolicy`; catalog checks raise :class:`~llmaestro.errors.CapabilityError`
  before anything is sent.

Layout (each module owns one noun; arrows import downward)::

    factory ─▶ openai_compat, anthropic, gemini    (adapters: wire formats; helpers in wire)
                 └─▶ client.BaseClient = sync_client.SyncClient + async_client.AsyncClient
                       │    (the I/O twins; with reservations and transport for httpx)
                       └─▶ core.ClientCore          (requests and responses, no I/O)
                             └─▶ error_mapping, lookup (catalog), usage (usage, cost),
                                 checks, request, types/

``protocols`` holds :class:`ChatClient` and the stream protocols every client follows.

Importing this package is cheap: ``httpx`` and the clients load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from llmaestro._http.retry import RetryPolicy
from llmaestro._http.secrets import Secret
from llmaestro.clients.protocols import AsyncChatStreamLike, ChatClient, ChatStreamLike
from llmaestro.clients.types import (
    ChatOptions,
    ChatResponse,
    ImagePart,
    Message,
    ModelInfo,
    Reasoning,
    ReasoningDelta,
    ResponseCompleted,
    ResponseFormat,
    StreamEvent,
    TextDelta,
    TextPart,
    ThinkingPart,
    Tool,
    ToolCall,
    ToolCallDelta,
)
from llmaestro.errors import (
    AmbiguousModelWarning,
    AuthenticationError,
    CapabilityError,
    ContextLengthExceededError,
    InvalidRequestError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    ProviderAPIError,
    ProviderConfigError,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeoutError,
    RateLimitedError,
    ServerError,
    UnknownModelWarning,
)

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro.clients.anthropic import AnthropicClient
    from llmaestro.clients.async_client import AsyncChatStream
    from llmaestro.clients.client import BaseClient
    from llmaestro.clients.factory import client_for
    from llmaestro.clients.gemini import GeminiClient
    from llmaestro.clients.openai_compat import OpenAICompatClient, OpenAICompatProfile
    from llmaestro.clients.sync_client import ChatStream

__all__ = [
    "AmbiguousModelWarning",
    "AnthropicClient",
    "AsyncChatStream",
    "AsyncChatStreamLike",
    "AuthenticationError",
    "BaseClient",
    "CapabilityError",
    "ChatClient",
    "ChatOptions",
    "ChatResponse",
    "ChatStream",
    "ChatStreamLike",
    "ContextLengthExceededError",
    "GeminiClient",
    "ImagePart",
    "InvalidRequestError",
    "InvalidResponseError",
    "Message",
    "ModelInfo",
    "NotFoundError",
    "OpenAICompatClient",
    "OpenAICompatProfile",
    "PermissionDeniedError",
    "ProviderAPIError",
    "ProviderConfigError",
    "ProviderConnectionError",
    "ProviderError",
    "ProviderTimeoutError",
    "RateLimitedError",
    "Reasoning",
    "ReasoningDelta",
    "ResponseCompleted",
    "ResponseFormat",
    "RetryPolicy",
    "Secret",
    "ServerError",
    "StreamEvent",
    "TextDelta",
    "TextPart",
    "ThinkingPart",
    "Tool",
    "ToolCall",
    "ToolCallDelta",
    "UnknownModelWarning",
    "client_for",
]

_LAZY = {
    "AnthropicClient": "llmaestro.clients.anthropic",
    "AsyncChatStream": "llmaestro.clients.async_client",
    "BaseClient": "llmaestro.clients.client",
    "ChatStream": "llmaestro.clients.sync_client",
    "GeminiClient": "llmaestro.clients.gemini",
    "OpenAICompatClient": "llmaestro.clients.openai_compat",
    "OpenAICompatProfile": "llmaestro.clients.openai_compat",
    "client_for": "llmaestro.clients.factory",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
