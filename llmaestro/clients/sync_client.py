"""The sync I/O twin: sending with retries and rate-limiter reservations, chat, streaming,
model listing and token counting over an ``httpx.Client``.

Everything else (request building, error mapping, usage and cost) is the
:class:`~llmaestro.clients.core.ClientCore`'s; :mod:`.async_client` is the async twin,
line for line.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, Unpack

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

__all__ = ["ChatStream", "SyncClient"]


class ChatStream:
    """The events of a streamed chat response (an iterator and a context manager).

    Nothing is sent until the first event is asked for. ``response`` is the final
    :class:`~llmaestro.clients.types.ChatResponse` once the
    :class:`~llmaestro.clients.types.ResponseCompleted` event went by;
    :meth:`final_response` consumes the rest and returns it. Leaving a ``with`` block (or
    :meth:`close`) closes the connection.
    """

    __slots__ = ("_events", "response")

    def __init__(self, events: Generator[StreamEvent, None, None]) -> None:
        self._events = events
        self.response: ChatResponse | None = None

    def __iter__(self) -> ChatStream:
        return self

    def __next__(self) -> StreamEvent:
        event = next(self._events)
        if isinstance(event, ResponseCompleted):
            self.response = event.response
        return event

    def final_response(self) -> ChatResponse:
        """Consume the remaining events and return the final response."""
        for _ in self:
            pass
        if self.response is None:  # pragma: no cover - the generator always ends with it
            raise InvalidResponseError("the stream ended without a response")
        return self.response

    def close(self) -> None:
        """Stop the stream and close its connection."""
        self._events.close()

    def __enter__(self) -> ChatStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class SyncClient(ClientCore):
    """Sync ``chat`` / ``stream`` / ``list_models`` / ``count_tokens`` / ``request_json``."""

    # -- the HTTP client -------------------------------------------------------------------

    def _sync_client(self) -> httpx.Client:
        if self._http is None:
            with self._lock:
                if self._http is None:
                    self._http = httpx.Client(
                        base_url=self.base_url,
                        timeout=self.timeout,
                        headers=self._headers,
                        transport=self._transport,
                    )
        return self._http

    def close(self) -> None:
        """Close the sync HTTP client (if this client created it)."""
        http, self._http = self._http, None
        if http is not None and self._owns_http:
            http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- sending with retries ------------------------------------------------------------------

    def _send(
        self, req: HttpRequest, state: RetryState, p: Prepared | None, *, stream: bool
    ) -> tuple[httpx.Response, Reservation | None]:
        """Send ``req`` until it succeeds or the retry budget is spent.

        Returns the response (body read unless ``stream``; for streams the caller closes
        it) and the rate-limiter reservation of the successful attempt (the caller settles
        it). Raises the last error otherwise.
        """
        client = self._sync_client()
        while True:
            reservation = reservations.acquire(self.rate_limiter, p, self.rate_limit_timeout)
            applied: float | None = None
            consumed = False
            try:
                request = build_request(client, self.base_url, req, self.timeout)
                response = client.send(request, stream=True, auth=self._auth)
            except httpx.TransportError as exc:
                error = self._transport_error(exc, what=f"{req.method} {req.path}")
                consumed = True
            except BaseException:
                reservations.refund(reservation, consumed=True)
                raise
            else:
                keep_open = False
                try:
                    applied = reservations.feedback(
                        self.rate_limiter, response.headers, response.status_code
                    )
                    if response.is_success and stream:
                        keep_open = True
                        return response, reservation
                    response.read()
                except httpx.TransportError as exc:
                    error = self._transport_error(exc, what=f"reading {req.method} {req.path}")
                    consumed = True
                except BaseException:
                    reservations.refund(reservation, consumed=True)
                    raise
                else:
                    if response.is_success:
                        return response, reservation
                    error = self._error_from_response(response)
                finally:
                    if not keep_open:
                        response.close()
            reservations.refund(reservation, consumed=consumed)
            wait = state.next_wait(error)
            push = reservations.pushback_needed(
                self.rate_limiter, error, applied, self.retry, self._random
            )
            if push is not None and self.rate_limiter is not None:
                self.rate_limiter.penalize(push)
            if wait is None:
                raise error
            self._log_retry(req, error, wait, state)
            self._sleep(wait)

    # -- chat ------------------------------------------------------------------------------------

    def chat(
        self,
        messages: Sequence[MessageLike],
        model: str | Offering | None = None,
        **options: Unpack[ChatOptions],
    ) -> ChatResponse:
        """Send a chat request and return the whole response.

        ``model``: the provider's model id, a catalog id (``"openai/gpt-4o"``) or an
        :class:`~llmaestro.Offering` (None: ``default_model``). ``options``: see
        :class:`~llmaestro.clients.types.ChatOptions`. Raises
        :class:`~llmaestro.errors.CapabilityError` before sending when the catalog says the
        request cannot work, and the :class:`~llmaestro.errors.ProviderAPIError` subclass
        matching the provider's answer once retries are spent.
        """
        p, req = self._prepare(messages, model, options, stream=False)
        response, reservation = self._send(req, self._new_state(), p, stream=False)
        try:
            data = self._decode_json(response)
            result = self._finish(p, self._parse_chat(p, data), data, response.headers)
            reservations.settle(reservation, result)
            return result
        finally:
            if reservation is not None:
                reservation.release()

    def stream(
        self,
        messages: Sequence[MessageLike],
        model: str | Offering | None = None,
        **options: Unpack[ChatOptions],
    ) -> ChatStream:
        """Stream a chat response (server-sent events).

        Checks run now; the request is sent when the first event is asked for. Events:
        :class:`~llmaestro.clients.types.TextDelta`, ``ReasoningDelta``,
        ``ToolCallDelta``, and last ``ResponseCompleted`` with usage and cost. A failure
        before the first byte of the body is retried like :meth:`chat`; once a byte was
        received, it is raised (``ProviderConnectionError`` for a dropped connection).
        """
        p, req = self._prepare(messages, model, options, stream=True)
        return ChatStream(self._stream_events(p, req))

    def _stream_events(self, p: Prepared, req: HttpRequest) -> Generator[StreamEvent, None, None]:
        state = self._new_state()
        while True:
            response, reservation = self._send(req, state, p, stream=True)
            try:
                decoder = SSEDecoder()
                adapter = self._stream_state(p)
                try:
                    for line in response.iter_lines():
                        event = decoder.feed(line)
                        if event is not None:
                            yield from adapter.feed(event.event, event.data)
                    event = decoder.flush()
                    if event is not None:
                        yield from adapter.feed(event.event, event.data)
                except httpx.TransportError as exc:
                    error = self._transport_error(exc, what="the stream")
                    if response.num_bytes_downloaded == 0:
                        wait = state.next_wait(error)
                        if wait is not None:
                            response.close()
                            reservations.refund(reservation, consumed=True)
                            reservation = None
                            self._log_retry(req, error, wait, state)
                            self._sleep(wait)
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
                reservations.settle(reservation, result)
                yield ResponseCompleted(result)
                return
            finally:
                response.close()
                if reservation is not None:
                    reservation.release()

    # -- models, token counting, other endpoints ---------------------------------------------------

    def list_models(self) -> list[ModelInfo]:
        """Every model the provider lists for this key, following every page."""
        found: list[ModelInfo] = []
        cursor: str | None = None
        seen: set[str] = set()
        for _ in range(self.max_model_pages):
            response, _ = self._send(
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

    def count_tokens(
        self,
        messages: Sequence[MessageLike],
        model: str | Offering | None = None,
        *,
        tools: Sequence[ToolLike] | None = None,
    ) -> int:
        """Prompt tokens of ``messages`` (and ``tools``) as the provider's count-tokens
        endpoint reports them: exact, and one request (no rate-limiter reservation).

        Raises :class:`~llmaestro.errors.CapabilityError` for providers without the
        endpoint. Usable as the ``client=`` of
        :func:`llmaestro.tokens.count.count_message_tokens`.
        """
        req = self._count_call(messages, model, tools)
        response, _ = self._send(req, self._new_state(), None, stream=False)
        return self._parse_count(self._decode_json(response))

    def request_json(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
    ) -> Any:
        """One request to ``path`` (relative to the base URL) with this client's auth,
        retries, timeouts and typed, redacted errors; the decoded JSON body, or None for an
        empty body. For endpoints this client has no method for."""
        response, _ = self._send(
            HttpRequest(method, path, json=json, params=params),
            self._new_state(),
            None,
            stream=False,
        )
        if not response.content:
            return None
        return self._decode_json(response)
