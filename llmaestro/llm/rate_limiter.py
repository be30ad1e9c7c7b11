"""The seed's rate limiter (see :mod:`llmaestro.limits`).

A facade: it re-exports, and holds no logic of its own.
"""

from llmaestro.limits import (
    DEFAULT_LEASE_TTL,
    LIMIT_NAMES,
    Backend,
    Clock,
    Decision,
    ManualClock,
    MemoryBackend,
    OnUnavailable,
    RateLimiter,
    RateLimitError,
    RateLimiterUnavailable,
    RateLimiterWarning,
    RateLimits,
    RateLimitTimeout,
    RedisBackend,
    Reservation,
    SystemClock,
    delay_from_headers,
    parse_duration,
    parse_retry_after,
    parse_rfc3339,
)

__all__ = [
    "DEFAULT_LEASE_TTL",
    "LIMIT_NAMES",
    "Backend",
    "Clock",
    "Decision",
    "ManualClock",
    "MemoryBackend",
    "OnUnavailable",
    "RateLimitError",
    "RateLimitTimeout",
    "RateLimiter",
    "RateLimiterUnavailable",
    "RateLimiterWarning",
    "RateLimits",
    "RedisBackend",
    "Reservation",
    "SystemClock",
    "delay_from_headers",
    "parse_duration",
    "parse_retry_after",
    "parse_rfc3339",
]
