"""Token-based rate limiting, request throttling and quota management.

One :class:`RateLimiter` guards one budget (a provider account, a model) against every
limit the provider publishes: requests and tokens per minute (or input and output tokens
per minute separately, as Anthropic meters them), requests and tokens per day, and
concurrent requests. One acquire checks all of them and commits all or none::

    from llmaestro.limits import RateLimiter, RateLimits

    limiter = RateLimiter(RateLimits(requests_per_minute=50, input_tokens_per_minute=40_000,
                                     output_tokens_per_minute=8_000, concurrent_requests=4))
    async with limiter.aslot(input_tokens=estimate, output_tokens=max_tokens) as reservation:
        response = await client.messages.create(...)
        await reservation.areconcile(input_tokens=response.usage.input_tokens,
                                     output_tokens=response.usage.output_tokens)
    await limiter.aapply_headers(response.headers)

Budgets live in this process (:class:`MemoryBackend`, the default) or in Redis
(:class:`RedisBackend`, ``pip install 'llmaestro[redis]'``), where every process using the
same key shares them. See :mod:`llmaestro.limits.redis_backend` for what
happens when Redis is unreachable (default: fail closed).
"""

from llmaestro.errors import RateLimitError, RateLimiterUnavailable, RateLimitTimeout
from llmaestro.limits.backend import Backend, Decision, RateLimiterWarning
from llmaestro.limits.clock import Clock, ManualClock, SystemClock
from llmaestro.limits.headers import (
    delay_from_headers,
    parse_duration,
    parse_retry_after,
    parse_rfc3339,
)
from llmaestro.limits.limiter import DEFAULT_LEASE_TTL, RateLimiter
from llmaestro.limits.limits import LIMIT_NAMES, RateLimits
from llmaestro.limits.memory import MemoryBackend
from llmaestro.limits.redis_backend import OnUnavailable, RedisBackend
from llmaestro.limits.reservation import Reservation

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
