"""What the sync and async twins share about ``httpx``: the default timeout, the key auth,
building a request from an :class:`~llmaestro.clients.request.HttpRequest`, and transport
failures as typed errors. Nothing here sends anything."""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator

from llmaestro._http.redact import redact, safe_text
from llmaestro._http.secrets import Secret
from llmaestro._optional import import_module
from llmaestro.clients.request import HttpRequest
from llmaestro.errors import ProviderAPIError, ProviderConnectionError, ProviderTimeoutError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import httpx
else:
    httpx = import_module("httpx", "the provider clients (llmaestro.clients)")

__all__ = [
    "DEFAULT_TIMEOUT",
    "USER_AGENT",
    "KeyAuth",
    "RedactingFilter",
    "as_timeout",
    "build_request",
    "transport_error",
]

#: Default HTTP timeout: generous for long generations, short to connect.
DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=10.0)
#: The ``user-agent`` header of every request.
USER_AGENT = "llmaestro/0.1 (+interfaces)"


class RedactingFilter(logging.Filter):
    """Redacts every record of a logger (:func:`llmaestro._http.redact.redact`: the live
    keys, key shapes, key environment variables). Installed on ``httpx`` and ``httpcore``,
    whose ``HTTP Request: POST https://…?key=…`` lines carry a key sent as a query parameter
    (``auth_query_param``) after :class:`KeyAuth` put it there, and on ``llmaestro.clients``
    as a safety net under the clients' own redaction. It costs nothing unless those loggers
    are enabled."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


# A logger's filters do not apply to its children's records, so each logger that emits is
# named: httpcore logs only through its children (a response header echoing a key is in
# ``httpcore.http11``'s DEBUG lines).
_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "llmaestro.clients",
)
for _name in _LOGGERS:
    _logger = logging.getLogger(_name)
    if not any(isinstance(f, RedactingFilter) for f in _logger.filters):
        _logger.addFilter(RedactingFilter())


class KeyAuth(httpx.Auth):
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
        return f"KeyAuth(header={self._header!r}, secret={self._secret!r})"


def as_timeout(value: float | httpx.Timeout | None) -> httpx.Timeout:
    """``value`` as an ``httpx.Timeout`` (None: :data:`DEFAULT_TIMEOUT`)."""
    if value is None:
        return DEFAULT_TIMEOUT
    return value if isinstance(value, httpx.Timeout) else httpx.Timeout(value)


def build_request(
    client: httpx.Client | httpx.AsyncClient,
    base_url: str,
    req: HttpRequest,
    timeout: httpx.Timeout,
) -> httpx.Request:
    """``req`` as an ``httpx.Request`` of ``client`` (``timeout`` unless ``req`` has one)."""
    return client.build_request(
        req.method,
        base_url + req.path,  # absolute: an injected client may have another base
        json=req.json,
        params=req.params,
        headers=dict(req.headers) if req.headers else None,
        timeout=httpx.Timeout(req.timeout) if req.timeout is not None else timeout,
    )


def transport_error(
    exc: httpx.TransportError, *, what: str, provider: str, redact: Callable[[str], str]
) -> ProviderAPIError:
    """A failed connection, read or write as :class:`~llmaestro.errors.ProviderTimeoutError`
    (timeouts) or :class:`~llmaestro.errors.ProviderConnectionError` (the rest). The
    exception's text (which may hold a URL with a ``key=`` parameter) is redacted whole,
    escaped to one line, then cut."""
    detail = safe_text(redact(str(exc)), limit=500) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return ProviderTimeoutError(
            f"{what} timed out ({type(exc).__name__}: {detail})", provider=provider
        )
    return ProviderConnectionError(
        f"{what} failed ({type(exc).__name__}: {detail})", provider=provider
    )
