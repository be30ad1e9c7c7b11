"""The seed's interface layer: provider clients (see :mod:`llmaestro.clients`).

A facade: it re-exports, and holds no logic of its own. The clients need httpx (the
``clients`` extra), so the names load on first use and the module imports on the core install.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from llmaestro.clients import (
        AnthropicClient,
        AsyncChatStream,
        AsyncChatStreamLike,
        AuthenticationError,
        BaseClient,
        CapabilityError,
        ChatClient,
        ChatOptions,
        ChatResponse,
        ChatStream,
        ChatStreamLike,
        ContextLengthExceededError,
        GeminiClient,
        ImagePart,
        InvalidRequestError,
        InvalidResponseError,
        Message,
        ModelInfo,
        NotFoundError,
        OpenAICompatClient,
        OpenAICompatProfile,
        PermissionDeniedError,
        ProviderAPIError,
        ProviderConfigError,
        ProviderConnectionError,
        ProviderError,
        ProviderTimeoutError,
        RateLimitedError,
        Reasoning,
        ReasoningDelta,
        ResponseCompleted,
        ResponseFormat,
        RetryPolicy,
        Secret,
        ServerError,
        StreamEvent,
        TextDelta,
        TextPart,
        ThinkingPart,
        Tool,
        ToolCall,
        ToolCallDelta,
        client_for,
    )

__all__ = [
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
    "client_for",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        import llmaestro.clients

        return getattr(llmaestro.clients, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
