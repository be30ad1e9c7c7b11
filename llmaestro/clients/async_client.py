"""The async I/O twin: sending with retries and rate-limiter reservations, chat, streaming,
model listing and token counting over an ``httpx.AsyncClient``.

Everything else (request building, error mapping, usage and cost) is the
:class:`~llmaestro.clients.core.ClientCore`'s; :mod:`.sync_client` is the sync twin, line
for line.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Self, Unpack

from llmaestro._http.retry import RetryState
from llmaestro._http.sse import SSEDecoder
from llmaestro._optional import import_module
from llmaestro.clients import reservations
from llmaestro.clients.core import ClientCore
from llmaestro.clients.request import HttpRequest, Prepared
from llmaestro.clients.transport import build_request
from llmaestro.clients.types import (
    ChatOptions,
    ChatResponse,
    MessageLike,
    ModelInfo,
    ResponseCompleted,
    StreamEvent,
    ToolLike,
)
from llmaestro.errors import InvalidResponseError

if TYPE_CHECKING:  # pragma: no cover
    import httpx

    from llmaestro._records import Offering
    from llmaestro.limits import Reservation
else:
    httpx = import_module("httpx", "the provider clients (llmaestro.clients)")

__all__ = ["AsyncChatStream", "AsyncClient"]


class AsyncChatStream:
    """Async :class:`~llmaestro.clients.sync_client.ChatStream`: ``async for`` and
    ``async with``."""

    __slots__ = ("_events", "response")

    def __init__(self, events: AsyncGenerator[StreamEvent, None]) -> None:
        self._events = events
        self.response: ChatResponse | None = None

    def __aiter__(self) -> AsyncChatStream:
        return self

    async def __anext__(self) -> StreamEvent:
        event = await self._events.__anext__()
        if isinstance(event, ResponseCompleted):
            self.response = event.response
        return event

    async def final_response(self) -> ChatResponse:
        """Consume the remaining events and return the final response."""
        async for _ in self:
            pass
        if self.response is None:  # pragma: no cover - the generator always ends with it
            raise InvalidResponseError("the stream ended without a response")
        return self.response

    async def aclose(self) -> None:
        """Stop the stream and close its connection."""
        await self._events.aclose()

    async def __aenter__(self) -> AsyncChatStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


class AsyncClient(ClientCore):
    """Async ``achat`` / ``astream`` / ``alist_models`` / ``acount_tokens``."""

    # -- the HTTP client -------------------------------------------------------------------

    def _async_client(self) -> httpx.AsyncClient:
        if self._ahttp is None:
            self._ahttp = httpx.AsyncClient(
                base_url=self.base_url,
                timeout=self.timeout,
                headers=self._headers,
                transport=self._async_transport,
            )
        return self._ahttp

    async def aclose(self) -> None:
        """Close the async HTTP client (if this client created it)."""
        ahttp, self._ahttp = self._ahttp, None
        if ahttp is not None and self._owns_ahttp:
            await ahttp.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # -- sending with retries ------------------------------------------------------------------

    async def _asend(
        self, req: HttpRequest, state: RetryState, p: Prepared | None, *, stream: bool
    ) -> tuple[httpx.Response, Reservation | None]:
        """Async :meth:`~llmaestro.clients.sync_client.SyncClient._send`."""
        client = self._async_client()
        while True:
            reservation = await reservations.aacquire(self.rate_limiter, p, self.rate_limit_timeout)
            applied: float | None = None
            consumed = False
            try:
                request = build_request(client, self.base_url, req, self.timeout)
                response = await client.send(request, stream=True, auth=self._auth)
            except httpx.TransportError as exc:
                error = self._transport_error(exc, what=f"{req.method} {req.path}")
                consumed = True
            except BaseException:
                await reservations.arefund(reservation, consumed=True)
                raise
            else:
                keep_open = False
                try:
                    applied = await reservations.afeedback(
                        self.rate_limiter, response.headers, response.status_code
                    )
                    if response.is_success and stream:
                        keep_open = True
                        return response, reservation
                    await response.aread()
                except httpx.TransportError as exc:
                    error = self._transport_error(exc, what=f"reading {req.method} {req.path}")
                    consumed = True
                except BaseException:
                    await reservations.arefund(reservation, consumed=True)
                    raise
                else:
                    if response.is_success:
                        return response, reservation
                    error = self._error_from_response(response)
                finally:
                    if not keep_open:
                        await response.aclose()
            await reservations.arefund(reservation, consumed=consumed)
            wait = state.next_wait(error)
            push = reservations.pushback_needed(
                self.rate_limiter, error, applied, self.retry, self._random
            )
            if push is not None and self.rate_limiter is not None:
                await self.rate_limiter.apenalize(push)
            if wait is None:
                raise error
            self._log_retry(req, error, wait, state)
            await self._asleep(wait)

    # -- chat ------------------------------------------------------------------------------------

    async def achat(
        self,
        messages: Sequence[MessageLike],
        model: str | Offering | None = None,
        **options: Unpack[ChatOptions],
    ) -> ChatResponse:
        """Async :meth:`~llmaestro.clients.sync_client.SyncClient.chat`."""
        p, req = self._prepare(messages, model, options, stream=False)
        response, reservation = await self._asend(req, self._new_state(), p, stream=False)
        try:
            data = self._decode_json(response)
            result = self._finish(p, self._parse_chat(p, data), data, response.headers)
            await reservations.asettle(reservation, result)
            return result
        finally:
            if reservation is not None:
                await reservation.arelease()

    def astream(
        self,
        messages: Sequence[MessageLike],
        model: str | Offering | None = None,
        **options: Unpack[ChatOptions],
    ) -> AsyncChatStream:
        """Async :meth:`~llmaestro.clients.sync_client.SyncClient.stream`:
        ``async for event in client.astream(...)``."""
        p, req = self._prepare(messages, model, options, stream=True)
        return AsyncChatStream(self._astream_events(p, req))

    async def _astream_events(
        self, p: Prepared, req: HttpRequest
    ) -> AsyncGenerator[StreamEvent, None]:
        state = self._new_state()
        while True:
            response, reservation = await self._asend(req, state, p, stream=True)
            try:
                decoder = SSEDecoder()
                adapter = self._stream_state(p)
                try:
                    async for line in response.aiter_lines():
                        event = decoder.feed(line)
                        if event is not None:
                            for out in adapter.feed(event.event, event.data):
                                yield out
                    event = decoder.flush()
                    if event is not None:
                        for out in adapter.feed(event.event, event.data):
                            yield out
                except httpx.TransportError as exc:
                    error = self._transport_error(exc, what="the stream")
                    if response.num_bytes_downloaded == 0:
                        wait = state.next_wait(error)
                        if wait is not None:
                            await response.aclose()
                            await reservations.arefund(reservation, consumed=True)
                            reservation = None
                            self._log_retry(req, error, wait, state)
                            await self._asleep(wait)
                            continue
                    raise error from None
                if not adapter.complete:
                    raise self._incomplete(response)
                result = self._finish(
                    p,
                    adapter.result(),
                    adapter.events,
                    response.headers,
                    stream_events=adapter.events,
                )
                await reservations.asettle(reservation, result)
                yield ResponseCompleted(result)
                return
            finally:
                await response.aclose()
                if reservation is not None:
                    await reservation.arelease()

    # -- models and token counting -----------------------------------------------------------------

    async def alist_models(self) -> list[ModelInfo]:
        """Async :meth:`~llmaestro.clients.sync_client.SyncClient.list_models`."""
        found: list[ModelInfo] = []
        cursor: str | None = None
        seen: set[str] = set()
        for _ in range(self.max_model_pages):
            response, _ = await self._asend(
                self._models_request(cursor), self._new_state(), None, stream=False
            )
            models, cursor = self._parse_models(self._decode_json(response))
            found.extend(models)
            if not cursor:
                return found
            if cursor in seen:
                raise self._partial_listing(f"the page cursor {cursor!r} came back twice")
            seen.add(cursor)
        raise self._partial_listing(f"more than {self.max_model_pages} pages")

    async def acount_tokens(
        self,
        messages: Sequence[MessageLike],
        model: str | Offering | None = None,
        *,
        tools: Sequence[ToolLike] | None = None,
    ) -> int:
        """Async :meth:`~llmaestro.clients.sync_client.SyncClient.count_tokens`."""
        req = self._count_call(messages, model, tools)
        response, _ = await self._asend(req, self._new_state(), None, stream=False)
        return self._parse_count(self._decode_json(response))
