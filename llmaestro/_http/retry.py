"""Retry policy: exponential backoff with jitter, ``Retry-After``, a per-call budget.

A failed attempt is retried when all of these hold:

* the error is retryable: HTTP 408, 409, 429 or 5xx (``retry_statuses``), a timeout or a
  connection error (``retry_timeouts`` / ``retry_connection_errors``); the provider's
  ``x-should-retry`` header overrides the status rule either way, and OpenAI's
  ``insufficient_quota`` 429 (a billing problem, not a rate) is never retried;
* fewer than ``max_attempts`` attempts were made (``max_attempts=1`` never retries);
* the wait fits the budget: a ``Retry-After`` above ``max_retry_after`` is not waited for
  (the error is raised, carrying ``retry_after``), and the waits of one call never add up
  to more than ``max_total_wait`` seconds;
* for streams: no byte of the response body was received yet.

The wait is the provider's ``Retry-After`` (``retry-after-ms``, seconds or an HTTP date,
Gemini ``RetryInfo``) when given, else ``initial_delay * multiplier ** (retry - 1)`` capped at
``max_delay``, minus up to ``jitter`` of itself at random (so that clients do not retry in
lockstep).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from llmaestro.errors import (
    ProviderAPIError,
    ProviderConnectionError,
    ProviderTimeoutError,
)

__all__ = ["DEFAULT_RETRY_STATUSES", "RetryPolicy", "parse_retry_after"]

#: HTTP statuses retried by default (with every status >= 500).
DEFAULT_RETRY_STATUSES: frozenset[int] = frozenset({408, 409, 429})
_NEVER_RETRY_CODES = frozenset({"insufficient_quota", "billing_hard_limit_reached"})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """When and how long to retry; see the module documentation.

    ``RetryPolicy(max_attempts=1)`` (or :meth:`none`) disables retries.
    """

    max_attempts: int = 3
    """Attempts per call, the first included."""
    initial_delay: float = 0.5
    """Backoff before the first retry, in seconds."""
    multiplier: float = 2.0
    """Backoff growth per retry."""
    max_delay: float = 8.0
    """Cap of one backoff wait (not of ``Retry-After``)."""
    jitter: float = 0.25
    """Up to this fraction of each backoff wait is taken off at random (0 = none)."""
    max_retry_after: float = 60.0
    """Longest ``Retry-After`` honoured; a longer one ends the retries."""
    max_total_wait: float = 120.0
    """Most seconds one call may spend waiting between attempts."""
    retry_statuses: frozenset[int] = DEFAULT_RETRY_STATUSES
    """Statuses retried besides 5xx."""
    retry_server_errors: bool = True
    """Retry every 5xx status."""
    retry_timeouts: bool = True
    retry_connection_errors: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.max_attempts, bool) or self.max_attempts < 1:
            raise ValueError("max_attempts must be >= 1")
        for name in ("initial_delay", "max_delay", "max_retry_after", "max_total_wait"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and value >= 0 and math.isfinite(value)):
                raise ValueError(f"{name} must be a finite number >= 0")
        if not self.multiplier >= 1:
            raise ValueError("multiplier must be >= 1")
        if not 0 <= self.jitter <= 1:
            raise ValueError("jitter must be within [0, 1]")

    @classmethod
    def none(cls) -> RetryPolicy:
        """Never retry."""
        return cls(max_attempts=1)

    def is_retryable(self, error: BaseException) -> bool:
        """Whether ``error`` may be retried (ignoring the attempt and wait budget)."""
        if not isinstance(error, ProviderAPIError):
            return False
        if error.error_code in _NEVER_RETRY_CODES or error.error_type in _NEVER_RETRY_CODES:
            return False
        if error.should_retry is not None:
            return error.should_retry
        status = error.status_code
        if status is not None:
            if status >= 500 and self.retry_server_errors:
                return True
            return status in self.retry_statuses
        if isinstance(error, ProviderTimeoutError):
            return self.retry_timeouts
        if isinstance(error, ProviderConnectionError):
            return self.retry_connection_errors
        return False

    def backoff(self, retry: int, random: Callable[[], float]) -> float:
        """The backoff before retry number ``retry`` (1 for the first retry)."""
        base = min(self.max_delay, self.initial_delay * self.multiplier ** max(retry - 1, 0))
        if self.jitter:
            base *= 1.0 - self.jitter * min(max(random(), 0.0), 1.0)
        return base


class RetryState:
    """The retry budget of one call: counts attempts and the time waited so far."""

    __slots__ = ("attempts", "policy", "random", "waited")

    def __init__(self, policy: RetryPolicy, random: Callable[[], float]) -> None:
        self.policy = policy
        self.random = random
        self.attempts = 1
        self.waited = 0.0

    def next_wait(self, error: BaseException) -> float | None:
        """Seconds to wait before the next attempt, or None to give up (and raise)."""
        policy = self.policy
        if self.attempts >= policy.max_attempts or not policy.is_retryable(error):
            return None
        retry_after = error.retry_after if isinstance(error, ProviderAPIError) else None
        if retry_after is not None:
            if retry_after > policy.max_retry_after:
                return None
            wait = max(retry_after, 0.0)
        else:
            wait = policy.backoff(self.attempts, self.random)
        if self.waited + wait > policy.max_total_wait:
            return None
        self.attempts += 1
        self.waited += wait
        return wait


def parse_retry_after(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date,
    relative to ``now``, a Unix time), or None. ``headers`` must be case-insensitive (e.g.
    ``httpx.Headers``) or use lower-case names."""
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            value = float(ms) / 1000.0
        except ValueError:
            value = math.nan
        if math.isfinite(value) and value >= 0:
            return value
    text = (headers.get("retry-after") or "").strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, when.timestamp() - now)
