"""The retry policy, the retry budget and Retry-After parsing (llmaestro._http.retry)."""

from __future__ import annotations

import pytest

from llmaestro._http.retry import RetryPolicy, RetryState, parse_retry_after
from llmaestro.errors import (
    AuthenticationError,
    InvalidRequestError,
    ProviderConnectionError,
    ProviderTimeoutError,
    RateLimitedError,
    ServerError,
)


def test_backoff_and_jitter() -> None:
    policy = RetryPolicy(initial_delay=1, multiplier=2, max_delay=5, jitter=0.5)
    assert [policy.backoff(n, lambda: 0.0) for n in (1, 2, 3, 4)] == [1, 2, 4, 5]
    assert policy.backoff(2, lambda: 1.0) == 1.0  # up to half taken off
    for bad in ({"max_attempts": 0}, {"jitter": 2}, {"multiplier": 0.5}, {"max_delay": -1}):
        with pytest.raises(ValueError, match="must be"):
            RetryPolicy(**bad)


def test_what_is_retryable() -> None:
    policy = RetryPolicy()
    retryable = [
        RateLimitedError("x", status_code=429),
        ServerError("x", status_code=503),
        ServerError("x", status_code=529),
        ProviderTimeoutError("x"),
        ProviderConnectionError("x"),
        ProviderTimeoutError("x", status_code=408),
        InvalidRequestError("x", status_code=400, should_retry=True),
    ]
    never = [
        AuthenticationError("x", status_code=401),
        InvalidRequestError("x", status_code=400),
        ServerError("x", status_code=500, should_retry=False),
        RateLimitedError("x", status_code=429, error_code="insufficient_quota"),
        ValueError("not a provider error"),
    ]
    assert all(policy.is_retryable(e) for e in retryable)
    assert not any(policy.is_retryable(e) for e in never)
    assert not RetryPolicy(retry_timeouts=False).is_retryable(ProviderTimeoutError("x"))
    assert not RetryPolicy(retry_server_errors=False).is_retryable(
        ServerError("x", status_code=500)
    )


def test_retry_state_budget() -> None:
    state = RetryState(RetryPolicy(max_attempts=4, jitter=0, max_total_wait=5), lambda: 0.0)
    error = ServerError("x", status_code=500)
    assert [state.next_wait(error) for _ in range(4)] == [0.5, 1.0, 2.0, None]
    state = RetryState(RetryPolicy(max_attempts=9, jitter=0, max_total_wait=5), lambda: 0.0)
    limited = RateLimitedError("x", status_code=429, retry_after=2.0)
    assert [state.next_wait(limited) for _ in range(3)] == [2.0, 2.0, None]
    assert RetryState(RetryPolicy.none(), lambda: 0.0).next_wait(error) is None


def test_parse_retry_after() -> None:
    assert parse_retry_after({"retry-after": "7"}, 0) == 7.0
    assert parse_retry_after({"retry-after": "1.5"}, 0) == 1.5
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}, 0) == 0.25
    date = "Wed, 21 Oct 2015 07:28:05 GMT"
    assert parse_retry_after({"retry-after": date}, 1445412485.0 - 10) == 10.0
    assert parse_retry_after({"retry-after": date}, 1445412485.0 + 10) == 0.0
    for junk in ("soon", "-3", "inf", ""):
        assert parse_retry_after({"retry-after": junk}, 0) is None
    assert parse_retry_after({}, 0) is None
