"""HTTP status and error body → typed errors (llmaestro.clients.error_mapping): pure, no I/O."""

from __future__ import annotations

import base64

import httpx
import pytest

from llmaestro._http.secrets import Secret
from llmaestro.clients.error_mapping import (
    MAX_MESSAGE,
    api_error,
    decode_error_body,
    generic_message,
    reason_phrase,
    request_id,
)
from llmaestro.errors import (
    AuthenticationError,
    ContextLengthExceededError,
    InvalidRequestError,
    NotFoundError,
    ProviderAPIError,
    RateLimitedError,
    ServerError,
)


def error(status: int | None, info: dict[str, object], **kwargs: object) -> ProviderAPIError:
    return api_error(
        "p",
        status,
        info,
        redact=lambda text: text.replace("sk-secret", "***"),
        clock=lambda: 1445412485.0,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, InvalidRequestError),
        (401, AuthenticationError),
        (404, NotFoundError),
        (429, RateLimitedError),
        (500, ServerError),
        (529, ServerError),
        (418, ProviderAPIError),
        (None, ProviderAPIError),
    ],
)
def test_the_status_picks_the_class(status: int | None, kind: type[ProviderAPIError]) -> None:
    found = error(status, {"message": "x"})
    assert type(found) is kind and found.status_code == status and found.provider == "p"


def test_the_adapter_kind_wins_and_context_overflows_are_named() -> None:
    assert type(error(400, {"message": "x", "kind": AuthenticationError})) is AuthenticationError
    overflow = error(400, {"message": "Prompt is too long: 300000 tokens"})
    assert isinstance(overflow, ContextLengthExceededError)
    by_code = error(400, {"message": "bad", "error_code": "context_length_exceeded"})
    assert isinstance(by_code, ContextLengthExceededError) and by_code.error_code == (
        "context_length_exceeded"
    )
    assert type(error(401, {"message": "context window"})) is AuthenticationError


def test_messages_are_redacted_and_cut() -> None:
    assert error(401, {"message": "bad key sk-secret"}).message == "bad key ***"
    long = error(500, {"message": "x" * (MAX_MESSAGE + 10)}).message
    assert len(long) == MAX_MESSAGE + 1 and long.endswith("…")
    assert error(500, {}).message == "request failed"


@pytest.mark.parametrize(
    "offset", [0, *range(180, 201, 2), *range(MAX_MESSAGE - 30, MAX_MESSAGE + 1, 3)]
)
def test_a_key_straddling_any_cut_is_redacted_first(offset: int) -> None:
    # a non-JSON body (an HTML error page, a proxy's text) echoing the key anywhere: the
    # whole text is redacted before the message is cut, so no fragment of the key survives
    body = "e" * offset + " Bearer sk-secret " + "z" * 300
    message = error(502, {"message": generic_message(None, body, 502)}).message
    assert "sk-" not in message and "secret" not in message
    nested = {"detail": {"echo": body}}
    assert "secret" not in error(400, {"message": generic_message(nested, "", 400)}).message


def test_headers_win_over_the_body() -> None:
    headers = httpx.Headers(
        {"Retry-After": "Wed, 21 Oct 2015 07:28:15 GMT", "x-should-retry": "false"}
    )
    found = error(429, {"message": "slow down", "retry_after": 99.0}, headers=headers)
    assert found.retry_after == 10.0 and found.should_retry is False
    assert error(429, {"retry_after": 3.0}).retry_after == 3.0
    assert error(500, {}, headers=httpx.Headers({"x-should-retry": "TRUE"})).should_retry is True
    assert error(500, {}, headers=httpx.Headers()).should_retry is None


def test_generic_messages_of_unknown_bodies() -> None:
    assert generic_message({"error": {"message": "nested"}}, "", 400) == "nested"
    assert generic_message({"error": "flat"}, "", 400) == "flat"
    assert generic_message({"detail": [{"loc": ["body"]}]}, "", 422) == '[{"loc": ["body"]}]'
    assert generic_message([{"message": "first"}], "", 400) == "first"
    assert generic_message(None, "<html>  Bad\n gateway </html>", 502) == (
        "HTTP 502 Bad Gateway: <html> Bad gateway </html>"
    )
    assert generic_message({}, "{}", 503) == "HTTP 503 Service Unavailable"
    assert reason_phrase(599) == "HTTP 599"


def test_request_ids_and_bodies() -> None:
    assert request_id(httpx.Headers({"Request-Id": "req_1"})) == "req_1"
    assert request_id(httpx.Headers({"x-request-id": "a", "request-id": "b"})) == "a"
    assert request_id({}, {"request_id": "req_2"}) == "req_2"
    assert request_id({}, {"request_id": 7}) is None
    assert decode_error_body('{"a": 1}') == {"a": 1}
    assert decode_error_body("") is None
    assert decode_error_body("not json") is None


PROJ_KEY = "sk-proj-" + "Qw3rTy9UiOp0AsDfGh1JkLzXcVbNm2" * 2  # 68 characters


@pytest.mark.parametrize("form", range(5))
@pytest.mark.parametrize(
    "offset", [0, *range(140, 201, 3), *range(MAX_MESSAGE - 70, MAX_MESSAGE + 1, 3)]
)
def test_every_echoed_form_of_the_key_is_gone_at_any_cut(form: int, offset: int) -> None:
    echo = [
        f"Bearer {PROJ_KEY}",
        PROJ_KEY.upper(),
        base64.b64encode(f"user:{PROJ_KEY}".encode()).decode(),
        f"Incorrect API key provided: {PROJ_KEY[:8]}{'*' * 56}{PROJ_KEY[-4:]}.",
        f"key={PROJ_KEY}\n\x1b]0;title\x07",
    ][form]
    body = "e" * offset + " " + echo + " " + "z" * 300
    message = api_error(
        "openai",
        401,
        {"message": generic_message(None, body, 401), "error_code": echo},
        redact=Secret(PROJ_KEY).redact,
        clock=lambda: 0.0,
        request_id=echo,
    )
    for text in (message.message, str(message), message.error_code or "", message.request_id or ""):
        low = text.lower()
        assert all(PROJ_KEY[i : i + 8].lower() not in low for i in range(8, len(PROJ_KEY) - 7))
        assert PROJ_KEY[-4:].lower() not in low
        assert "\x1b" not in text and "\n" not in text
