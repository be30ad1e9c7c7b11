"""The protocol every provider client implements.

::

    from llmaestro.clients import Message, TextDelta, client_for

    with client_for("anthropic") as client:
        reply = client.chat([Message.user("Hello")], "claude-haiku-4-5-20251001", max_tokens=200)
        print(reply.text, reply.usage.total_tokens, reply.cost.total, reply.cost.complete)

        with client.stream([Message.user("Count to 5")], "claude-haiku-4-5-20251001") as events:
            for event in events:
                if isinstance(event, TextDelta):
                    print(event.text, end="")
        print(events.response.usage)

``count_tokens`` makes a client usable as the ``client=`` of
:func:`llmaestro.tokens.count.count_message_tokens` (the ``CountTokensClient`` protocol).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, Unpack, runtime_checkable

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro._records import Offering
    from llmaestro.clients.types import (
        ChatOptions,
        ChatResponse,
        MessageLike,
        ModelInfo,
        StreamEvent,
    )

__all__ = ["AsyncChatStreamLike", "ChatClient", "ChatStreamLike"]


@runtime_checkable
class ChatStreamLike(Protocol):
    """What ``stream()`` returns: an iterator of events and a context manager that closes
    the connection; ``response`` is the final response once the stream is complete."""

    @property
    def response(self) -> ChatResponse | None: ...

    def __iter__(self) -> Iterator[StreamEvent]: ...

    def __next__(self) -> StreamEvent: ...

    def close(self) -> None: ...


@runtime_checkable
class AsyncChatStreamLike(Protocol):
    """What ``astream()`` returns: the async twin of :class:`ChatStreamLike`."""

    @property
    def response(self) -> ChatResponse | None: ...

    def __aiter__(self) -> AsyncIterator[StreamEvent]: ...

    async def __anext__(self) -> StreamEvent: ...

    async def aclose(self) -> None: ...


@runtime_checkable
class ChatClient(Protocol):
    """A chat-capable provider client.

    ``model`` is the provider's model id (``"gpt-4o"``), a catalog id
    (``"openai/gpt-4o"``) or a catalog :class:`~llmaestro.Offering`; None uses the client's
    ``default_model``. ``options`` are :class:`~llmaestro.clients.types.ChatOptions`.
    """

    provider: str

    def chat(
        self,
        messages: Sequence[MessageLike],
        model: str | Offering | None = None,
        **options: Unpack[ChatOptions],
    ) -> ChatResponse:
        """Send a chat request and wait for the whole response."""
        ...

    async def achat(
        self,
        messages: Sequence[MessageLike],
        model: str | Offering | None = None,
        **options: Unpack[ChatOptions],
    ) -> ChatResponse:
        """Async :meth:`chat`."""
        ...

    def stream(
        self,
        messages: Sequence[MessageLike],
        model: str | Offering | None = None,
        **options: Unpack[ChatOptions],
    ) -> ChatStreamLike:
        """Stream a chat response: text, reasoning and tool-call deltas, then
        ``ResponseCompleted``."""
        ...

    def astream(
        self,
        messages: Sequence[MessageLike],
        model: str | Offering | None = None,
        **options: Unpack[ChatOptions],
    ) -> AsyncChatStreamLike:
        """Async :meth:`stream` (``async for event in client.astream(...)``)."""
        ...

    def list_models(self) -> list[ModelInfo]:
        """Every model the provider lists for this key (all pages)."""
        ...

    async def alist_models(self) -> list[ModelInfo]:
        """Async :meth:`list_models`."""
        ...

    def count_tokens(self, messages: Sequence[Mapping[str, Any] | Any], model: str) -> int:
        """Input tokens of ``messages`` as the provider's count-tokens endpoint reports them
        (raises :class:`~llmaestro.errors.CapabilityError` where there is none)."""
        ...

    async def acount_tokens(self, messages: Sequence[Mapping[str, Any] | Any], model: str) -> int:
        """Async :meth:`count_tokens`."""
        ...

    def close(self) -> None:
        """Close the HTTP connections."""
        ...

    async def aclose(self) -> None:
        """Close the HTTP connections (async and sync)."""
        ...
