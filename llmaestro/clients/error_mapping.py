"""An HTTP status and an error body → the typed errors of :mod:`llmaestro.errors`.

Pure functions (no I/O, no ``httpx``): headers are any case-insensitive mapping (e.g.
``httpx.Headers``). The adapters read their provider's error body shape
(``_error_info``); :func:`api_error` picks the class:

* ``info["kind"]`` when the adapter chose one, else the status (:data:`STATUS_ERRORS`;
  ``5xx`` → :class:`~llmaestro.errors.ServerError`, anything else
  :class:`~llmaestro.errors.ProviderAPIError`);
* an :class:`~llmaestro.errors.InvalidRequestError` whose message or codes mention the
  context window (:data:`CONTEXT_MARKERS`) becomes
  :class:`~llmaestro.errors.ContextLengthExceededError`;
* ``Retry-After`` / ``retry-after-ms`` and ``x-should-retry`` headers win over the body.

Everything taken from the provider (message, error type and code, request id) is
redacted on the whole text first (the client's key in every echoed form, key shapes, key
environment variables: :func:`llmaestro._http.redact.redact`), then made one terminal-safe
line, then cut (:data:`MAX_MESSAGE` characters for the message): a key cut first would no
longer be recognised.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from llmaestro._http.redact import safe_text
from llmaestro._http.retry import parse_retry_after
from llmaestro.errors import (
    AuthenticationError,
    ContextLengthExceededError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    ProviderAPIError,
    ProviderTimeoutError,
    RateLimitedError,
    ServerError,
)

__all__ = [
    "CONTEXT_MARKERS",
    "MAX_FIELD",
    "MAX_MESSAGE",
    "STATUS_ERRORS",
    "api_error",
    "decode_error_body",
    "generic_message",
    "reason_phrase",
    "request_id",
]

#: Longest error message kept (longer ones are cut, with an ellipsis).
MAX_MESSAGE = 500
#: Longest error type, code or request id kept.
MAX_FIELD = 200
#: Phrases that mark an invalid request as a context-window overflow.
CONTEXT_MARKERS = (
    "context_length_exceeded",
    "context length",
    "maximum context",
    "context window",
    "prompt is too long",
    "exceeds the maximum number of tokens",
    "input is too long",
    "too many tokens",
)
#: HTTP status → error class (other ``5xx``: ``ServerError``; the rest: ``ProviderAPIError``).
STATUS_ERRORS: dict[int, type[ProviderAPIError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    408: ProviderTimeoutError,
    413: InvalidRequestError,
    422: InvalidRequestError,
    429: RateLimitedError,
}


def request_id(headers: Mapping[str, str], data: Any = None) -> str | None:
    """The provider's request id: the ``x-request-id`` / ``request-id`` header, else a
    ``request_id`` field of the body."""
    found: str | None = headers.get("x-request-id") or headers.get("request-id")
    if not found and isinstance(data, Mapping) and isinstance(data.get("request_id"), str):
        found = str(data["request_id"])
    return found


def decode_error_body(text: str) -> Any:
    """An error body's JSON (None when it is empty or not JSON)."""
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def generic_message(data: Any, text: str, status: int) -> str:
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
                return json.dumps(value, ensure_ascii=False)
    if isinstance(data, list) and data and isinstance(data[0], Mapping):
        return generic_message(data[0], text, status)
    # never cut here: the key is redacted from the whole text first, then the message is cut
    # (api_error); a key straddling a cut would no longer be recognised
    snippet = " ".join(text.split()) if data is None else ""
    phrase = reason_phrase(status)
    return f"{phrase}: {snippet}" if snippet else phrase


def reason_phrase(status: int) -> str:
    """``HTTP 404 Not Found`` (``HTTP 599`` for a status without a phrase)."""
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def _text(value: Any, redact: Callable[[str], str]) -> str | None:
    if value is None or value == "":
        return None
    return safe_text(redact(str(value)), limit=MAX_FIELD)


def api_error(
    provider: str,
    status: int | None,
    info: Mapping[str, Any],
    *,
    redact: Callable[[str], str],
    clock: Callable[[], float],
    request_id: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> ProviderAPIError:
    """The error for ``status`` and the adapter's reading of the body (``info``:
    ``message``, ``error_type``, ``error_code``, ``retry_after``, ``kind``). ``clock`` is
    the Unix time for ``Retry-After`` dates."""
    message = safe_text(redact(str(info.get("message") or "request failed")), limit=MAX_MESSAGE)
    error_type = _text(info.get("error_type"), redact)
    error_code = _text(info.get("error_code"), redact)
    kind: type[ProviderAPIError] | None = info.get("kind")
    if kind is None:
        kind = STATUS_ERRORS.get(status or 0)
        if kind is None:
            kind = ServerError if (status or 0) >= 500 else ProviderAPIError
    if kind is InvalidRequestError:
        haystack = " ".join(x for x in (message, error_type, error_code) if x).lower()
        if any(marker in haystack for marker in CONTEXT_MARKERS):
            kind = ContextLengthExceededError
    retry_after = info.get("retry_after")
    should_retry = None
    if headers is not None:
        header_wait = parse_retry_after(headers, clock())
        if header_wait is not None:
            retry_after = header_wait
        hint = headers.get("x-should-retry", "").strip().lower()
        should_retry = True if hint == "true" else False if hint == "false" else None
    return kind(
        message,
        provider=provider,
        status_code=status,
        request_id=_text(request_id, redact),
        error_type=error_type,
        error_code=error_code,
        retry_after=retry_after,
        should_retry=should_retry,
    )
