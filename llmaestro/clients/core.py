"""The request/response core of the provider clients: everything but the I/O.

Like httpx's ``BaseClient`` under ``Client`` / ``AsyncClient``, :class:`ClientCore` holds
the configuration and turns calls into requests and responses into results; it never sends
anything. The I/O twins :class:`~llmaestro.clients.sync_client.SyncClient` and
:class:`~llmaestro.clients.async_client.AsyncClient` send, retry and stream;
:class:`~llmaestro.clients.client.BaseClient` is both. The core:

* prepares a call: options, messages, the model id and its catalog offering
  (:mod:`.lookup`), the local prompt estimate, the catalog checks (:mod:`.checks`), and the
  adapter's wire request;
* maps failures to typed errors (:mod:`.error_mapping`, :mod:`.transport`);
* finishes a response: usage (reported or estimated) and cost (:mod:`.usage`), under the
  model the response names when the requested one is not in the catalog.

Adapters (``openai_compat``, ``anthropic``, ``gemini``) implement the hooks: they only turn
typed requests into wire requests and wire responses back into typed responses.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random as _random
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from llmaestro._http.redact import redact, safe_text
from llmaestro._http.retry import RetryPolicy, RetryState
from llmaestro._http.secrets import Secret
from llmaestro._optional import import_module
from llmaestro.clients import error_mapping
from llmaestro.clients.checks import check_request
from llmaestro.clients.lookup import CatalogLookup, wire_model
from llmaestro.clients.request import HttpRequest, Options, Parsed, Prepared, StreamState
from llmaestro.clients.transport import USER_AGENT, KeyAuth, as_timeout, transport_error
from llmaestro.clients.types import (
    ChatResponse,
    Message,
    MessageLike,
    ModelInfo,
    Tool,
    ToolLike,
)
from llmaestro.clients.usage import estimate_prompt, response_cost, response_usage
from llmaestro.errors import (
    CapabilityError,
    InvalidResponseError,
    ProviderAPIError,
    ProviderConnectionError,
    ServerError,
)

if TYPE_CHECKING:  # pragma: no cover
    import httpx

    from llmaestro._records import Offering
    from llmaestro.limits import RateLimiter
    from llmaestro.registry.core import Registry
    from llmaestro.tokens import TokenCount
else:
    httpx = import_module("httpx", "the provider clients (llmaestro.clients)")

__all__ = ["ASleep", "ClientCore", "Sleep"]

logger = logging.getLogger("llmaestro.clients")

Sleep = Callable[[float], None]
ASleep = Callable[[float], Awaitable[None]]


class ClientCore:
    """Configuration, request building and response mapping of a provider client (see
    :class:`~llmaestro.clients.client.BaseClient` for the arguments).

    Subclasses implement the wire format (``_chat_request``, ``_parse_chat``,
    ``_stream_state``, ``_error_info``, ``_models_request``, ``_parse_models`` and, where the
    provider has the endpoint, ``_count_request`` / ``_parse_count``).
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
            self._auth = KeyAuth(self._api_key, auth_header, auth_scheme, auth_query_param)
        self.default_model = default_model
        self._catalog = CatalogLookup(provider, registry, self._redact)
        self.rate_limiter = rate_limiter
        self.rate_limit_timeout = rate_limit_timeout
        self.retry = retry if retry is not None else RetryPolicy()
        self.timeout = as_timeout(timeout)
        self.check = check
        self.models_endpoint = models_endpoint
        self._headers = {"user-agent": USER_AGENT, **self._provider_headers(), **(headers or {})}
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

    def _provider_headers(self) -> dict[str, str]:
        """Headers every request of this provider carries (e.g. ``anthropic-version``)."""
        return {}

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(provider={self.provider!r}, "
            f"base_url={self._redact(self.base_url)!r}, "
            f"api_key={self._api_key!r})"
        )

    def _redact(self, text: str) -> str:
        """``text`` with this client's key masked in every form, and every key shape and key
        environment variable's value too (a keyless client still masks them)."""
        return redact(text, (self._api_key,) if self._api_key else ())

    # -- the model and its catalog offering ---------------------------------------------------

    def _wire_model(self, model: str | Offering | None) -> tuple[str, Offering | None]:
        """The model id to send, and its catalog offering when known."""
        return wire_model(self.provider, model, self.default_model)

    def _resolve(self, model: str | Offering | None) -> tuple[str, Offering | None, bool]:
        """The wire id, the offering to check against, and whether the catalog lacks the
        id (the response is then priced under the model it names)."""
        wire, offering = self._wire_model(model)
        if offering is not None:
            return wire, offering, False
        offering, lacking = self._catalog.resolve(wire)
        return wire, offering, lacking

    # -- preparing a call ------------------------------------------------------------------

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
        wire, offering, by_response = self._resolve(model)
        prompt: TokenCount | None = None
        if (check and offering is not None) or self.rate_limiter is not None:
            prompt = estimate_prompt(self.provider, msgs, opts.tools, offering or wire)
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
            by_response=by_response,
        )
        if check:
            check_request(self.provider, p, prompt)
        request = self._chat_request(p)
        return p, request

    def _count_call(
        self,
        messages: Sequence[MessageLike],
        model: str | Offering | None,
        tools: Sequence[ToolLike] | None,
    ) -> HttpRequest:
        msgs = tuple(Message.coerce(m) for m in messages)
        wire, _ = self._wire_model(model)
        return self._count_request(msgs, wire, tuple(Tool.coerce(t) for t in tools or ()))

    def _new_state(self) -> RetryState:
        return RetryState(self.retry, self._random)

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
        return {"message": error_mapping.generic_message(data, text, status)}

    def _models_request(self, cursor: str | None) -> HttpRequest:  # pragma: no cover
        raise NotImplementedError

    def _parse_models(self, data: Any) -> tuple[list[ModelInfo], str | None]:  # pragma: no cover
        raise NotImplementedError

    def _count_request(
        self, messages: Sequence[Message], model: str, tools: Sequence[Tool]
    ) -> HttpRequest:
        raise CapabilityError(
            f"{self.provider} has no count-tokens endpoint; use "
            "llmaestro.tokens.count.count_message_tokens() without client=",
            provider=self.provider,
        )

    def _parse_count(self, data: Any) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- errors ------------------------------------------------------------------------------

    def _request_id(self, headers: Mapping[str, str], data: Any = None) -> str | None:
        return error_mapping.request_id(headers, data)

    def _error_from_response(self, response: httpx.Response) -> ProviderAPIError:
        text = response.text if response.content else ""
        data = error_mapping.decode_error_body(text)
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
        headers: Mapping[str, str] | None = None,
    ) -> ProviderAPIError:
        return error_mapping.api_error(
            self.provider,
            status,
            info,
            redact=self._redact,
            clock=self._clock,
            request_id=request_id,
            headers=headers,
        )

    def _stream_error(self, payload: Any, status: int | None = None) -> ProviderAPIError:
        """An error object received inside a stream."""
        info = self._error_info(status or 0, payload, "")
        if not status and "kind" not in info:
            info["kind"] = ServerError  # a failure after the 200 response began
        return self._make_error(status, info, request_id=self._request_id({}, payload))

    def _transport_error(self, exc: httpx.TransportError, *, what: str) -> ProviderAPIError:
        return transport_error(exc, what=what, provider=self.provider, redact=self._redact)

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

    def _incomplete(self, response: httpx.Response) -> ProviderConnectionError:
        return ProviderConnectionError(
            "the stream ended before the response was complete",
            provider=self.provider,
            status_code=response.status_code,
            request_id=self._request_id(response.headers),
        )

    def _partial_listing(self, why: str) -> InvalidResponseError:
        """A model listing that cannot be complete is an error, never a short list."""
        return InvalidResponseError(f"the model listing did not end: {why}", provider=self.provider)

    def _log_retry(
        self, req: HttpRequest, error: ProviderAPIError, wait: float, state: RetryState
    ) -> None:
        logger.warning(
            "%s: %s %s failed: %s; retry %d of %d in %.2fs",
            self.provider,
            req.method,
            safe_text(self._redact(req.path), limit=300),
            error,
            state.attempts - 1,
            state.policy.max_attempts - 1,
            wait,
        )

    # -- finishing a response ------------------------------------------------------------------

    def _finish(
        self,
        p: Prepared,
        parsed: Parsed,
        raw: Any,
        headers: Mapping[str, str],
        *,
        stream_events: Sequence[Mapping[str, Any]] | None = None,
    ) -> ChatResponse:
        usage, estimated = response_usage(
            self.provider, p, parsed.message, raw, self.api_style, stream_events
        )
        offering = p.offering
        if p.by_response:
            offering = self._catalog.served(p.model, parsed.model)
        model = parsed.model if isinstance(parsed.model, str) and parsed.model else p.model
        return ChatResponse(
            provider=self.provider,
            model=model,
            message=parsed.message,
            finish_reason=self._normalize_finish(parsed.finish_reason, parsed.message),
            usage=usage,
            cost=response_cost(
                self.provider,
                model,
                offering,
                usage,
                parsed.service_tier,
                catalog=self._catalog.registry() is not None,
            ),
            id=parsed.id,
            request_id=self._request_id(headers),
            raw_finish_reason=parsed.finish_reason,
            usage_estimated=estimated,
            raw=raw,
        )
