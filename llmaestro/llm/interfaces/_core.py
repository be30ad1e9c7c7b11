"""Shared machinery of the provider clients: HTTP, auth, retries, rate limiting, catalog
checks, usage and cost. Adapters (``openai_compat``, ``anthropic``, ``gemini``) only turn
typed requests into wire requests and wire responses back into typed responses."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import random as _random
import threading
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Unpack

from llmaestro._optional import import_module
from llmaestro.errors import (
    AuthenticationError,
    CapabilityError,
    ContextLengthExceededError,
    InvalidRequestError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    ProviderAPIError,
    ProviderConnectionError,
    ProviderTimeoutError,
    RateLimitedError,
    ServerError,
)
from llmaestro.llm.interfaces._checks import check_request
from llmaestro.llm.interfaces._request import (
    HttpRequest,
    Options,
    Parsed,
    Prepared,
    StreamState,
)
from llmaestro.llm.interfaces._sse import SSEDecoder
from llmaestro.llm.interfaces.retry import RetryPolicy, RetryState, parse_retry_after
from llmaestro.llm.interfaces.secret import Secret
from llmaestro.llm.interfaces.types import (
    ChatOptions,
    ChatResponse,
    Message,
    MessageLike,
    ModelInfo,
    ResponseCompleted,
    StreamEvent,
    Tool,
    ToolLike,
)

if TYPE_CHECKING:  # pragma: no cover
    import httpx

    from llmaestro.cost import CostBreakdown, Usage
    from llmaestro.llm._records import Offering
    from llmaestro.llm.rate_limiter import RateLimiter, Reservation
    from llmaestro.llm.token_utils import TokenCount
    from llmaestro.registry import Registry
else:
    httpx = import_module("httpx", "the provider clients (llmaestro.llm.interfaces)")

__all__ = ["DEFAULT_TIMEOUT", "AsyncChatStream", "BaseClient", "ChatStream"]

logger = logging.getLogger("llmaestro.llm.interfaces")

#: Default HTTP timeout: generous for long generations, short to connect.
DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=10.0)
_USER_AGENT = "llmaestro/0.1 (+interfaces)"
_MAX_MESSAGE = 500
_CONTEXT_MARKERS = (
    "context_length_exceeded",
    "context length",
    "maximum context",
    "context window",
    "prompt is too long",
    "exceeds the maximum number of tokens",
    "input is too long",
    "too many tokens",
)
_STATUS_ERRORS: dict[int, type[ProviderAPIError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    408: ProviderTimeoutError,
    413: InvalidRequestError,
    422: InvalidRequestError,
    429: RateLimitedError,
}

Sleep = Callable[[float], None]
ASleep = Callable[[float], Awaitable[None]]


class _KeyAuth(httpx.Auth):
    """Adds the API key to each request (header or query parameter) at send time, so the
    key never sits in the client's default headers."""

    def __init__(
        self, secret: Secret, header: str | None, scheme: str | None, query_param: str | None
    ) -> None:
        self._secret = secret
        self._header = header
        self._scheme = scheme
        self._query_param = query_param

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        key = self._secret.get_secret_value()
        if self._header:
            request.headers[self._header] = f"{self._scheme} {key}" if self._scheme else key
        if self._query_param:
            request.url = request.url.copy_merge_params({self._query_param: key})
        yield request

    def __repr__(self) -> str:
        return f"_KeyAuth(header={self._header!r}, secret={self._secret!r})"


# --- streams -----------------------------------------------------------------------------------


class ChatStream:
    """The events of a streamed chat response (an iterator and a context manager).

    Nothing is sent until the first event is asked for. ``response`` is the final
    :class:`~llmaestro.llm.interfaces.types.ChatResponse` once the
    :class:`~llmaestro.llm.interfaces.types.ResponseCompleted` event went by;
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


class AsyncChatStream:
    """Async :class:`ChatStream`: ``async for`` and ``async with``."""

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


# --- the client ----------------------------------------------------------------------------------


class BaseClient:
    """A provider client: sync and async chat, streaming, model listing, token counting.

    Subclasses implement the wire format (``_chat_request``, ``_parse_chat``,
    ``_stream_state``, ``_error_info``, ``_models_request``, ``_parse_models`` and, where the
    provider has the endpoint, ``_count_request`` / ``_parse_count``).

    Args:
        provider: provider id (as in the catalog), used for catalog lookups and messages.
        base_url: API base URL (e.g. ``https://api.openai.com/v1``).
        api_key: the credential (a str or a :class:`Secret`); None for keyless servers.
        auth_header / auth_scheme / auth_query_param: where the key goes
            (``Authorization`` + ``Bearer``, ``x-api-key``, or a query parameter).
        default_model: model used when a call passes none.
        registry: the catalog :class:`~llmaestro.Registry` for checks and cost (default:
            ``llmaestro.load()`` on first need); ``False`` disables catalog lookups.
        rate_limiter: a :class:`~llmaestro.llm.rate_limiter.RateLimiter`: each attempt
            reserves (estimated prompt tokens + max output) before sending and reconciles
            with the real usage; 429s and rate-limit headers push it back.
        rate_limit_timeout: most seconds to wait for the rate limiter (None: no limit).
        retry: the :class:`~llmaestro.llm.interfaces.retry.RetryPolicy`.
        timeout: default HTTP timeout (seconds or an ``httpx.Timeout``).
        headers: extra headers sent with every request.
        check: run the catalog checks before sending (per call: ``check=``).
        transport / async_transport: ``httpx`` transports (e.g. ``httpx.MockTransport``;
            one that implements both is used for both).
        http_client / async_http_client: ready ``httpx`` clients to use (not closed by
            this client).
        sleep / asleep: how to wait between retries (tests inject fakes).
        clock: Unix time source (for ``Retry-After`` HTTP dates).
        random: ``[0, 1)`` source for the backoff jitter.
    """

    #: API style of the wire format (for :func:`llmaestro.cost.extract_usage`).
    api_style: ClassVar[str] = ""
    #: Whether the provider has a count-tokens endpoint.
    supports_count_tokens: ClassVar[bool] = False
    #: Most pages :meth:`list_models` follows.
    max_model_pages: ClassVar[int] = 1000

    def __init__(
        self,
        *,
        provider: str,
        base_url: str,
        api_key: str | Secret | None = None,
        auth_header: str | None = "Authorization",
        auth_scheme: str | None = "Bearer",
        auth_query_param: str | None = None,
        default_model: str | Offering | None = None,
        registry: Registry | Literal[False] | None = None,
        rate_limiter: RateLimiter | None = None,
        rate_limit_timeout: float | None = None,
        retry: RetryPolicy | None = None,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
        check: bool = True,
        models_endpoint: str = "/models",
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        sleep: Sleep = time.sleep,
        asleep: ASleep = asyncio.sleep,
        clock: Callable[[], float] = time.time,
        random: Callable[[], float] = _random.random,
    ) -> None:
        if not base_url:
            raise ValueError("base_url is required")
        self.provider = provider
        self.base_url = base_url.rstrip("/")
        self._api_key = (
            None if api_key is None else api_key if isinstance(api_key, Secret) else Secret(api_key)
        )
        self._auth: httpx.Auth | None = None
        if self._api_key and (auth_header or auth_query_param):
            self._auth = _KeyAuth(self._api_key, auth_header, auth_scheme, auth_query_param)
        self.default_model = default_model
        self._registry = registry
        self.rate_limiter = rate_limiter
        self.rate_limit_timeout = rate_limit_timeout
        self.retry = retry if retry is not None else RetryPolicy()
        self.timeout = (
            DEFAULT_TIMEOUT
            if timeout is None
            else timeout
            if isinstance(timeout, httpx.Timeout)
            else httpx.Timeout(timeout)
        )
        self.check = check
        self.models_endpoint = models_endpoint
        self._headers = {"user-agent": _USER_AGENT, **self._provider_headers(), **(headers or {})}
        self._transport = transport if isinstance(transport, httpx.BaseTransport) else None
        self._async_transport = async_transport or (
            transport if isinstance(transport, httpx.AsyncBaseTransport) else None
        )
        self._http = http_client
        self._ahttp = async_http_client
        self._owns_http = http_client is None
        self._owns_ahttp = async_http_client is None
        self._lock = threading.Lock()
        self._sleep = sleep
        self._asleep = asleep
        self._clock = clock
        self._random = random
        self._offerings: dict[str, Offering | None] = {}

    # -- plumbing ------------------------------------------------------------------------

    def _provider_headers(self) -> dict[str, str]:
        """Headers every request of this provider carries (e.g. ``anthropic-version``)."""
        return {}

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(provider={self.provider!r}, base_url={self.base_url!r}, "
            f"api_key={self._api_key!r})"
        )

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

    def _async_client(self) -> httpx.AsyncClient:
        if self._ahttp is None:
            self._ahttp = httpx.AsyncClient(
                base_url=self.base_url,
                timeout=self.timeout,
                headers=self._headers,
                transport=self._async_transport,
            )
        return self._ahttp

    def close(self) -> None:
        """Close the sync HTTP client (if this client created it)."""
        http, self._http = self._http, None
        if http is not None and self._owns_http:
            http.close()

    async def aclose(self) -> None:
        """Close the async and the sync HTTP clients (those this client created)."""
        ahttp, self._ahttp = self._ahttp, None
        if ahttp is not None and self._owns_ahttp:
            await ahttp.aclose()
        self.close()

    def __enter__(self) -> BaseClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> BaseClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def _redact(self, text: str) -> str:
        return self._api_key.redact(text) if self._api_key else text

    def _build(self, client: httpx.Client | httpx.AsyncClient, req: HttpRequest) -> httpx.Request:
        timeout = httpx.Timeout(req.timeout) if req.timeout is not None else self.timeout
        return client.build_request(
            req.method,
            self.base_url + req.path,  # absolute: an injected client may have another base
            json=req.json,
            params=req.params,
            headers=dict(req.headers) if req.headers else None,
            timeout=timeout,
        )

    # -- catalog ---------------------------------------------------------------------------

    def _catalog(self) -> Registry | None:
        if self._registry is False:
            return None
        if self._registry is None:
            from llmaestro.errors import CatalogError
            from llmaestro.loader import load

            try:
                self._registry = load()
            except CatalogError as exc:  # calls still work, without checks and cost
                logger.warning(
                    "%s: the catalog cannot be loaded (%s); no checks, no cost", self.provider, exc
                )
                self._registry = False
                return None
        return self._registry

    def _lookup(self, model: str) -> Offering | None:
        if model in self._offerings:
            return self._offerings[model]
        found: Offering | None = None
        registry = self._catalog()
        if registry is not None:
            try:
                found = registry.get(model, provider=self.provider)
            except LookupError:
                found = None
        self._offerings[model] = found
        return found

    def _wire_model(self, model: str | Offering | None) -> tuple[str, Offering | None]:
        """The model id to send, and its catalog offering when known."""
        if model is None:
            model = self.default_model
        if model is None:
            raise ValueError(f"{self.provider}: no model given and the client has no default")
        if not isinstance(model, str):
            offering = model
            if offering.provider != self.provider:
                raise ValueError(
                    f"{offering.provider}/{offering.model} is not an offering of {self.provider}"
                )
            return offering.model, offering
        prefix = self.provider + "/"
        wire = model[len(prefix) :] if model.startswith(prefix) else model
        return wire, None

    def _resolve(
        self, model: str | Offering | None, use_catalog: bool
    ) -> tuple[str, Offering | None]:
        wire, offering = self._wire_model(model)
        if offering is None and use_catalog:
            offering = self._lookup(wire)
        return wire, offering

    # -- preparing a call ------------------------------------------------------------------

    def _estimate_prompt(
        self, messages: Sequence[Message], tools: Sequence[Tool], model: str | Offering
    ) -> TokenCount | None:
        from llmaestro.llm.token_utils import count_message_tokens

        try:
            return count_message_tokens(
                [m.to_openai() for m in messages],
                model,
                [_openai_tool(t) for t in tools] or None,
            )
        except Exception:  # an estimate must never break a call
            logger.debug("%s: cannot estimate the prompt tokens", self.provider, exc_info=True)
            return None

    def _default_max_tokens(self, options: Options, offering: Offering | None) -> int | None:
        """``max_tokens`` to send when the call gives none (None: do not send one)."""
        return None

    def _prepare(
        self,
        messages: Sequence[MessageLike],
        model: str | Offering | None,
        options: Mapping[str, Any],
        *,
        stream: bool,
    ) -> tuple[Prepared, HttpRequest]:
        opts = Options.from_options(options)
        msgs = tuple(Message.coerce(m) for m in messages)
        if not msgs:
            raise ValueError("messages must not be empty")
        check = bool(options.get("check", self.check))
        wire, offering = self._resolve(model, use_catalog=True)
        prompt: TokenCount | None = None
        if (check and offering is not None) or self.rate_limiter is not None:
            prompt = self._estimate_prompt(msgs, opts.tools, offering or wire)
        limits = offering.limits if offering is not None else None
        max_out = opts.max_tokens or self._default_max_tokens(opts, offering)
        if max_out is None and limits is not None:
            max_out = limits.max_output
        p = Prepared(
            messages=msgs,
            model=wire,
            offering=offering,
            options=opts,
            stream=stream,
            prompt_tokens=None if prompt is None else prompt.value,
            output_tokens=max_out or 0,
        )
        if check:
            check_request(self.provider, p, prompt)
        request = self._chat_request(p)
        return p, request

    # -- adapter hooks -----------------------------------------------------------------------

    def _chat_request(self, p: Prepared) -> HttpRequest:  # pragma: no cover - abstract
        raise NotImplementedError

    def _parse_chat(self, p: Prepared, data: Any) -> Parsed:  # pragma: no cover - abstract
        raise NotImplementedError

    def _stream_state(self, p: Prepared) -> StreamState:  # pragma: no cover - abstract
        raise NotImplementedError

    def _normalize_finish(self, raw: str | None, message: Message) -> str | None:
        return raw

    def _error_info(self, status: int, data: Any, text: str) -> dict[str, Any]:
        """``message``, ``error_type``, ``error_code``, ``retry_after``, ``kind`` (an error
        class overriding the status mapping) from an error body."""
        return {"message": _generic_message(data, text, status)}

    def _models_request(self, cursor: str | None) -> HttpRequest:  # pragma: no cover
        raise NotImplementedError

    def _parse_models(self, data: Any) -> tuple[list[ModelInfo], str | None]:  # pragma: no cover
        raise NotImplementedError

    def _count_request(
        self, messages: Sequence[Message], model: str, tools: Sequence[Tool]
    ) -> HttpRequest:
        raise CapabilityError(
            f"{self.provider} has no count-tokens endpoint; use "
            "llmaestro.llm.token_utils.count_message_tokens() without client=",
            provider=self.provider,
        )

    def _parse_count(self, data: Any) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- errors ------------------------------------------------------------------------------

    def _request_id(self, headers: httpx.Headers, data: Any = None) -> str | None:
        found: str | None = headers.get("x-request-id") or headers.get("request-id")
        if not found and isinstance(data, Mapping) and isinstance(data.get("request_id"), str):
            found = str(data["request_id"])
        return found

    def _error_from_response(self, response: httpx.Response) -> ProviderAPIError:
        text = response.text if response.content else ""
        try:
            data: Any = json.loads(text) if text else None
        except ValueError:
            data = None
        info = self._error_info(response.status_code, data, text)
        return self._make_error(
            response.status_code,
            info,
            request_id=self._request_id(response.headers, data),
            headers=response.headers,
        )

    def _make_error(
        self,
        status: int | None,
        info: Mapping[str, Any],
        *,
        request_id: str | None = None,
        headers: httpx.Headers | None = None,
    ) -> ProviderAPIError:
        message = self._redact(str(info.get("message") or "request failed"))
        if len(message) > _MAX_MESSAGE:
            message = message[:_MAX_MESSAGE] + "…"
        error_type = _text(info.get("error_type"))
        error_code = _text(info.get("error_code"))
        kind: type[ProviderAPIError] | None = info.get("kind")
        if kind is None:
            kind = _STATUS_ERRORS.get(status or 0)
            if kind is None:
                kind = ServerError if (status or 0) >= 500 else ProviderAPIError
        if kind is InvalidRequestError:
            haystack = " ".join(x for x in (message, error_type, error_code) if x).lower()
            if any(marker in haystack for marker in _CONTEXT_MARKERS):
                kind = ContextLengthExceededError
        retry_after = info.get("retry_after")
        should_retry = None
        if headers is not None:
            header_wait = parse_retry_after(headers, self._clock())
            if header_wait is not None:
                retry_after = header_wait
            hint = headers.get("x-should-retry", "").strip().lower()
            should_retry = True if hint == "true" else False if hint == "false" else None
        return kind(
            message,
            provider=self.provider,
            status_code=status,
            request_id=request_id,
            error_type=error_type,
            error_code=error_code,
            retry_after=retry_after,
            should_retry=should_retry,
        )

    def _transport_error(self, exc: httpx.TransportError, *, what: str) -> ProviderAPIError:
        detail = self._redact(str(exc)) or type(exc).__name__
        if isinstance(exc, httpx.TimeoutException):
            return ProviderTimeoutError(
                f"{what} timed out ({type(exc).__name__}: {detail})", provider=self.provider
            )
        return ProviderConnectionError(
            f"{what} failed ({type(exc).__name__}: {detail})", provider=self.provider
        )

    def _decode_json(self, response: httpx.Response) -> Any:
        try:
            return json.loads(response.content)
        except ValueError as exc:
            raise InvalidResponseError(
                f"the response body is not valid JSON ({exc})",
                provider=self.provider,
                status_code=response.status_code,
                request_id=self._request_id(response.headers),
            ) from None

    def _stream_error(self, payload: Any, status: int | None = None) -> ProviderAPIError:
        """An error object received inside a stream."""
        info = self._error_info(status or 0, payload, "")
        if not status and "kind" not in info:
            info["kind"] = ServerError  # a failure after the 200 response began
        return self._make_error(status, info, request_id=self._request_id(httpx.Headers(), payload))

    # -- rate limiting -------------------------------------------------------------------------

    def _acquire(self, p: Prepared | None) -> Reservation | None:
        if self.rate_limiter is None or p is None:
            return None
        return self.rate_limiter.acquire(
            input_tokens=p.prompt_tokens or 0,
            output_tokens=p.output_tokens,
            timeout=self.rate_limit_timeout,
        )

    async def _aacquire(self, p: Prepared | None) -> Reservation | None:
        if self.rate_limiter is None or p is None:
            return None
        return await self.rate_limiter.aacquire(
            input_tokens=p.prompt_tokens or 0,
            output_tokens=p.output_tokens,
            timeout=self.rate_limit_timeout,
        )

    @staticmethod
    def _refund(reservation: Reservation | None, *, consumed: bool) -> None:
        """Settle a failed attempt: refund its tokens unless the provider may have used them
        (a transport failure), and free its slot."""
        if reservation is None:
            return
        try:
            if not consumed:
                reservation.reconcile(input_tokens=0, output_tokens=0)
        finally:
            reservation.release()

    @staticmethod
    async def _arefund(reservation: Reservation | None, *, consumed: bool) -> None:
        if reservation is None:
            return
        try:
            if not consumed:
                await reservation.areconcile(input_tokens=0, output_tokens=0)
        finally:
            await reservation.arelease()

    def _feedback(self, response: httpx.Response) -> float | None:
        if self.rate_limiter is None:
            return None
        return self.rate_limiter.apply_headers(response.headers, status_code=response.status_code)

    async def _afeedback(self, response: httpx.Response) -> float | None:
        if self.rate_limiter is None:
            return None
        return await self.rate_limiter.aapply_headers(
            response.headers, status_code=response.status_code
        )

    def _pushback_needed(self, error: ProviderAPIError, applied: float | None) -> float | None:
        """The pushback to apply to the limiter for a 429 its headers did not explain."""
        if self.rate_limiter is None or not isinstance(error, RateLimitedError) or applied:
            return None
        if error.retry_after is not None:
            return error.retry_after
        return self.retry.backoff(1, self._random)

    # -- sending with retries ------------------------------------------------------------------

    def _log_retry(
        self, req: HttpRequest, error: ProviderAPIError, wait: float, state: RetryState
    ) -> None:
        logger.warning(
            "%s: %s %s failed: %s; retry %d of %d in %.2fs",
            self.provider,
            req.method,
            req.path,
            error,
            state.attempts - 1,
            state.policy.max_attempts - 1,
            wait,
        )

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
            reservation = self._acquire(p)
            applied: float | None = None
            consumed = False
            try:
                response = client.send(self._build(client, req), stream=True, auth=self._auth)
            except httpx.TransportError as exc:
                error = self._transport_error(exc, what=f"{req.method} {req.path}")
                consumed = True
            except BaseException:
                self._refund(reservation, consumed=True)
                raise
            else:
                keep_open = False
                try:
                    applied = self._feedback(response)
                    if response.is_success and stream:
                        keep_open = True
                        return response, reservation
                    response.read()
                except httpx.TransportError as exc:
                    error = self._transport_error(exc, what=f"reading {req.method} {req.path}")
                    consumed = True
                except BaseException:
                    self._refund(reservation, consumed=True)
                    raise
                else:
                    if response.is_success:
                        return response, reservation
                    error = self._error_from_response(response)
                finally:
                    if not keep_open:
                        response.close()
            self._refund(reservation, consumed=consumed)
            wait = state.next_wait(error)
            push = self._pushback_needed(error, applied)
            if push is not None and self.rate_limiter is not None:
                self.rate_limiter.penalize(push)
            if wait is None:
                raise error
            self._log_retry(req, error, wait, state)
            self._sleep(wait)

    async def _asend(
        self, req: HttpRequest, state: RetryState, p: Prepared | None, *, stream: bool
    ) -> tuple[httpx.Response, Reservation | None]:
        """Async :meth:`_send`."""
        client = self._async_client()
        while True:
            reservation = await self._aacquire(p)
            applied: float | None = None
            consumed = False
            try:
                response = await client.send(self._build(client, req), stream=True, auth=self._auth)
            except httpx.TransportError as exc:
                error = self._transport_error(exc, what=f"{req.method} {req.path}")
                consumed = True
            except BaseException:
                await self._arefund(reservation, consumed=True)
                raise
            else:
                keep_open = False
                try:
                    applied = await self._afeedback(response)
                    if response.is_success and stream:
                        keep_open = True
                        return response, reservation
                    await response.aread()
                except httpx.TransportError as exc:
                    error = self._transport_error(exc, what=f"reading {req.method} {req.path}")
                    consumed = True
                except BaseException:
                    await self._arefund(reservation, consumed=True)
                    raise
                else:
                    if response.is_success:
                        return response, reservation
                    error = self._error_from_response(response)
                finally:
                    if not keep_open:
                        await response.aclose()
            await self._arefund(reservation, consumed=consumed)
            wait = state.next_wait(error)
            push = self._pushback_needed(error, applied)
            if push is not None and self.rate_limiter is not None:
                await self.rate_limiter.apenalize(push)
            if wait is None:
                raise error
            self._log_retry(req, error, wait, state)
            await self._asleep(wait)

    def _new_state(self) -> RetryState:
        return RetryState(self.retry, self._random)

    # -- finishing a response ------------------------------------------------------------------

    def _finish(
        self,
        p: Prepared,
        parsed: Parsed,
        raw: Any,
        headers: httpx.Headers,
        *,
        stream_events: Sequence[Mapping[str, Any]] | None = None,
    ) -> ChatResponse:
        from llmaestro.cost import CostError, extract_stream_usage, extract_usage

        estimated = False
        try:
            if stream_events is not None:
                usage = extract_stream_usage(stream_events, self.api_style)
            else:
                usage = extract_usage(raw, self.api_style)
        except (CostError, TypeError):
            usage = self._estimate_usage(p, parsed.message)
            estimated = True
        return ChatResponse(
            provider=self.provider,
            model=parsed.model or p.model,
            message=parsed.message,
            finish_reason=self._normalize_finish(parsed.finish_reason, parsed.message),
            usage=usage,
            cost=self._cost(p.offering, usage, parsed.service_tier),
            id=parsed.id,
            request_id=self._request_id(headers),
            raw_finish_reason=parsed.finish_reason,
            usage_estimated=estimated,
            raw=raw,
        )

    def _estimate_usage(self, p: Prepared, message: Message) -> Usage:
        from llmaestro.cost import Usage
        from llmaestro.llm.token_utils import count_tokens

        model: str | Offering = p.offering or p.model
        prompt = p.prompt_tokens
        if prompt is None:
            found = self._estimate_prompt(p.messages, p.options.tools, model)
            prompt = found.value if found is not None else 0
        text = message.text + "".join(c.name + c.arguments for c in message.tool_calls)
        try:
            output = count_tokens(text, model).value if text else 0
        except Exception:  # an estimate must never break a call
            output = math.ceil(len(text) / 4)
        return Usage(input_tokens=prompt, output_tokens=output)

    def _cost(
        self, offering: Offering | None, usage: Usage, service_tier: str | None
    ) -> CostBreakdown | None:
        if offering is None or offering.pricing is None:
            return None
        from llmaestro.cost import CostError, cost

        for tier in (service_tier, None) if service_tier else (None,):
            try:
                return cost(offering, usage, service_tier=tier)
            except CostError:
                continue
        return None

    @staticmethod
    def _settle(reservation: Reservation | None, response: ChatResponse) -> None:
        if reservation is not None:
            reservation.reconcile(
                input_tokens=response.usage.input_tokens,
                output_tokens=response.usage.output_tokens,
            )

    @staticmethod
    async def _asettle(reservation: Reservation | None, response: ChatResponse) -> None:
        if reservation is not None:
            await reservation.areconcile(
                input_tokens=response.usage.input_tokens,
                output_tokens=response.usage.output_tokens,
            )

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
        :class:`~llmaestro.llm.interfaces.types.ChatOptions`. Raises
        :class:`~llmaestro.errors.CapabilityError` before sending when the catalog says the
        request cannot work, and the :class:`~llmaestro.errors.ProviderAPIError` subclass
        matching the provider's answer once retries are spent.
        """
        p, req = self._prepare(messages, model, options, stream=False)
        response, reservation = self._send(req, self._new_state(), p, stream=False)
        try:
            data = self._decode_json(response)
            result = self._finish(p, self._parse_chat(p, data), data, response.headers)
            self._settle(reservation, result)
            return result
        finally:
            if reservation is not None:
                reservation.release()

    async def achat(
        self,
        messages: Sequence[MessageLike],
        model: str | Offering | None = None,
        **options: Unpack[ChatOptions],
    ) -> ChatResponse:
        """Async :meth:`chat`."""
        p, req = self._prepare(messages, model, options, stream=False)
        response, reservation = await self._asend(req, self._new_state(), p, stream=False)
        try:
            data = self._decode_json(response)
            result = self._finish(p, self._parse_chat(p, data), data, response.headers)
            await self._asettle(reservation, result)
            return result
        finally:
            if reservation is not None:
                await reservation.arelease()

    def stream(
        self,
        messages: Sequence[MessageLike],
        model: str | Offering | None = None,
        **options: Unpack[ChatOptions],
    ) -> ChatStream:
        """Stream a chat response (server-sent events).

        Checks run now; the request is sent when the first event is asked for. Events:
        :class:`~llmaestro.llm.interfaces.types.TextDelta`, ``ReasoningDelta``,
        ``ToolCallDelta``, and last ``ResponseCompleted`` with usage and cost. A failure
        before the first byte of the body is retried like :meth:`chat`; once a byte was
        received, it is raised (``ProviderConnectionError`` for a dropped connection).
        """
        p, req = self._prepare(messages, model, options, stream=True)
        return ChatStream(self._stream_events(p, req))

    def astream(
        self,
        messages: Sequence[MessageLike],
        model: str | Offering | None = None,
        **options: Unpack[ChatOptions],
    ) -> AsyncChatStream:
        """Async :meth:`stream`: ``async for event in client.astream(...)``."""
        p, req = self._prepare(messages, model, options, stream=True)
        return AsyncChatStream(self._astream_events(p, req))

    def _incomplete(self, response: httpx.Response) -> ProviderConnectionError:
        return ProviderConnectionError(
            "the stream ended before the response was complete",
            provider=self.provider,
            status_code=response.status_code,
            request_id=self._request_id(response.headers),
        )

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
                            self._refund(reservation, consumed=True)
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
                self._settle(reservation, result)
                yield ResponseCompleted(result)
                return
            finally:
                response.close()
                if reservation is not None:
                    reservation.release()

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
                            await self._arefund(reservation, consumed=True)
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
                await self._asettle(reservation, result)
                yield ResponseCompleted(result)
                return
            finally:
                await response.aclose()
                if reservation is not None:
                    await reservation.arelease()

    # -- models and token counting -----------------------------------------------------------------

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

    def _partial_listing(self, why: str) -> InvalidResponseError:
        """A model listing that cannot be complete is an error, never a short list."""
        return InvalidResponseError(f"the model listing did not end: {why}", provider=self.provider)

    async def alist_models(self) -> list[ModelInfo]:
        """Async :meth:`list_models`."""
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

    def _count_call(
        self,
        messages: Sequence[MessageLike],
        model: str | Offering | None,
        tools: Sequence[ToolLike] | None,
    ) -> HttpRequest:
        msgs = tuple(Message.coerce(m) for m in messages)
        wire, _ = self._wire_model(model)
        return self._count_request(msgs, wire, tuple(Tool.coerce(t) for t in tools or ()))

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
        :func:`llmaestro.llm.token_utils.count_message_tokens`.
        """
        req = self._count_call(messages, model, tools)
        response, _ = self._send(req, self._new_state(), None, stream=False)
        return self._parse_count(self._decode_json(response))

    async def acount_tokens(
        self,
        messages: Sequence[MessageLike],
        model: str | Offering | None = None,
        *,
        tools: Sequence[ToolLike] | None = None,
    ) -> int:
        """Async :meth:`count_tokens`."""
        req = self._count_call(messages, model, tools)
        response, _ = await self._asend(req, self._new_state(), None, stream=False)
        return self._parse_count(self._decode_json(response))


# --- helpers shared by the adapters ------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


def _openai_tool(tool: Tool) -> dict[str, Any]:
    fn: dict[str, Any] = {"name": tool.name, "parameters": tool.schema()}
    if tool.description:
        fn["description"] = tool.description
    if tool.strict is not None:
        fn["strict"] = tool.strict
    return {"type": "function", "function": fn}


def _generic_message(data: Any, text: str, status: int) -> str:
    """The most useful message in an error body of unknown shape."""
    if isinstance(data, Mapping):
        error = data.get("error")
        if isinstance(error, Mapping) and isinstance(error.get("message"), str):
            return str(error["message"])
        if isinstance(error, str) and error:
            return error
        for key in ("message", "detail", "error_description"):
            value = data.get(key)
            if isinstance(value, str) and value:
                return value
            if value:
                return json.dumps(value, ensure_ascii=False)[:_MAX_MESSAGE]
    if isinstance(data, list) and data and isinstance(data[0], Mapping):
        return _generic_message(data[0], text, status)
    snippet = " ".join(text.split())[:200] if data is None else ""
    phrase = _reason_phrase(status)
    return f"{phrase}: {snippet}" if snippet else phrase


def _reason_phrase(status: int) -> str:
    try:
        from http import HTTPStatus

        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def json_loads_event(provider: str, data: str) -> Any:
    """A stream event's JSON payload, or :class:`InvalidResponseError`."""
    try:
        return json.loads(data)
    except ValueError as exc:
        raise InvalidResponseError(
            f"a stream event is not valid JSON ({exc})", provider=provider
        ) from None


def as_map(value: Any) -> Mapping[str, Any]:
    """``value`` when it is a mapping, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` when it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def parse_timestamp(value: Any) -> Any:
    """A datetime from Unix seconds or an ISO 8601 text (None when neither)."""
    import datetime as dt

    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and math.isfinite(value):
        return dt.datetime.fromtimestamp(value, tz=dt.UTC)
    if isinstance(value, str) and value:
        text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    return None
