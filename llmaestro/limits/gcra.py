"""The arithmetic shared by every backend: GCRA rules, daily counters and the acquire plan.

GCRA (generic cell rate algorithm) keeps one number per limit, the *theoretical arrival
time* (TAT). A limit of ``L`` units per ``P`` seconds has an emission interval
``T = P / L``; a burst tolerance ``tau`` lets ``tau / T`` units through at once. A request
of cost ``c`` is admitted at ``now`` when ``max(TAT, now) + c*T - max(tau, c*T) <= now``
and then sets ``TAT = max(TAT, now) + c*T``. A request larger than the whole burst is
admitted only when the bucket is full (it overdraws, so later requests wait for it).

Daily limits are a ``(day index, count)`` pair; the day index is
``floor((t - reset_offset) / 86400)`` on the Unix time scale, so a new day starts at the
configured reset time of day (UTC).

The Redis Lua script implements exactly the same rules in milliseconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from llmaestro.limits.limits import RateLimits

__all__ = [
    "DAY_SECONDS",
    "SOURCE_INPUT",
    "SOURCE_OUTPUT",
    "SOURCE_REQUESTS",
    "SOURCE_TOKENS",
    "Costs",
    "DailyRule",
    "GcraRule",
    "Plan",
    "day_index",
    "gcra_allow_at",
    "next_reset",
]

DAY_SECONDS = 86400.0

#: Indexes into a :data:`Costs` tuple.
SOURCE_REQUESTS = 0
SOURCE_TOKENS = 1
SOURCE_INPUT = 2
SOURCE_OUTPUT = 3

#: What one acquire costs: ``(requests, total tokens, input tokens, output tokens)``.
Costs = tuple[int, int, int, int]


def day_index(now: float, reset_offset: float) -> int:
    """The quota day ``now`` falls in, for days starting ``reset_offset`` s after 00:00 UTC."""
    return math.floor((now - reset_offset) / DAY_SECONDS)


def next_reset(day: int, reset_offset: float) -> float:
    """The Unix time at which quota day ``day`` ends."""
    return (day + 1) * DAY_SECONDS + reset_offset


def gcra_allow_at(
    tat: float | None, now: float, cost: int, interval: float, tau: float
) -> tuple[float, float]:
    """``(allow_at, new_tat)`` for a request of ``cost`` units; admitted iff ``allow_at <= now``."""
    base = now if tat is None or tat < now else tat
    inc = cost * interval
    return base + inc - max(tau, inc), base + inc


@dataclass(frozen=True, slots=True)
class GcraRule:
    """One rate limit enforced with GCRA."""

    name: str  #: the limit's name, e.g. ``tokens_per_minute`` (used in messages)
    field: str  #: the storage field, e.g. ``tpm``
    interval: float  #: seconds per unit
    tau: float  #: burst tolerance, seconds
    source: int  #: index into :data:`Costs`


@dataclass(frozen=True, slots=True)
class DailyRule:
    """One daily quota."""

    name: str
    field: str
    limit: int
    reset_offset: float  #: seconds after 00:00 UTC
    source: int


@dataclass(frozen=True, slots=True)
class Plan:
    """Every rule one acquire must satisfy, computed once per limiter."""

    gcra: tuple[GcraRule, ...]
    daily: tuple[DailyRule, ...]
    concurrency: int | None
    lease_ttl: float

    @classmethod
    def from_limits(cls, limits: RateLimits, lease_ttl: float) -> Plan:
        """Turn :class:`RateLimits` into rules."""
        tau = float(limits.burst_seconds)
        gcra: list[GcraRule] = []
        for name, field, source in (
            ("requests_per_minute", "rpm", SOURCE_REQUESTS),
            ("tokens_per_minute", "tpm", SOURCE_TOKENS),
            ("input_tokens_per_minute", "itpm", SOURCE_INPUT),
            ("output_tokens_per_minute", "otpm", SOURCE_OUTPUT),
        ):
            limit = getattr(limits, name)
            if limit is not None:
                gcra.append(GcraRule(name, field, 60.0 / limit, tau, source))
        daily: list[DailyRule] = []
        offset = limits.reset_offset_seconds
        for name, field, source in (
            ("requests_per_day", "rpd", SOURCE_REQUESTS),
            ("tokens_per_day", "tpd", SOURCE_TOKENS),
        ):
            limit = getattr(limits, name)
            if limit is not None:
                daily.append(DailyRule(name, field, limit, offset, source))
        return cls(tuple(gcra), tuple(daily), limits.concurrent_requests, float(lease_ttl))
