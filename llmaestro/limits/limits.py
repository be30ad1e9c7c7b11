"""The explicit limits a :class:`~llmaestro.limits.RateLimiter` enforces."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, fields
from typing import Any

__all__ = ["LIMIT_NAMES", "RateLimits"]

#: The attribute names of every limit, as the catalog's rate-limit tier model spells them.
LIMIT_NAMES: tuple[str, ...] = (
    "requests_per_minute",
    "tokens_per_minute",
    "input_tokens_per_minute",
    "output_tokens_per_minute",
    "requests_per_day",
    "tokens_per_day",
    "concurrent_requests",
)


def _check_limit(name: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int or None, not {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{name} must be positive (use None for 'not enforced'), got {value}")
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class RateLimits:
    """Every limit of one shared budget; ``None`` means "not known, not enforced".

    Per-minute limits are enforced with GCRA (a token bucket kept as one theoretical
    arrival time): the budget refills continuously at ``limit / 60`` units per second and
    holds at most ``burst_seconds`` worth of refill, so the first window may overshoot the
    steady rate by at most that burst. The default burst (60 s) is a full minute of budget,
    which is how Anthropic's token buckets behave; use e.g. ``burst_seconds=1`` to spread a
    per-minute limit evenly (OpenAI enforces 60,000 RPM roughly as 1,000 per second).

    Daily limits are counters that reset at ``daily_reset`` (a time of day; naive times are
    UTC, aware ones with a fixed offset are converted), midnight UTC by default.

    ``concurrent_requests`` caps how many reservations hold a concurrency slot at once.
    """

    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None
    input_tokens_per_minute: int | None = None
    output_tokens_per_minute: int | None = None
    requests_per_day: int | None = None
    tokens_per_day: int | None = None
    concurrent_requests: int | None = None
    burst_seconds: float = 60.0
    daily_reset: _dt.time = _dt.time(0, 0)

    def __post_init__(self) -> None:
        for name in LIMIT_NAMES:
            _check_limit(name, getattr(self, name))
        burst = self.burst_seconds
        if isinstance(burst, bool) or not isinstance(burst, int | float):
            raise TypeError("burst_seconds must be a number")
        if not burst > 0 or burst != burst or burst == float("inf"):
            raise ValueError(f"burst_seconds must be positive and finite, got {burst}")
        if not isinstance(self.daily_reset, _dt.time):
            raise TypeError("daily_reset must be a datetime.time")
        if self.daily_reset.tzinfo is not None and self.daily_reset.utcoffset() is None:
            raise ValueError("daily_reset must be naive (UTC) or have a fixed UTC offset")

    @classmethod
    def from_tier(
        cls,
        tier: object,
        *,
        burst_seconds: float = 60.0,
        daily_reset: _dt.time = _dt.time(0, 0),
    ) -> RateLimits:
        """Read the limits of any object with (optional) attributes named as in :data:`LIMIT_NAMES`.

        Missing attributes and ``None`` values are "not enforced".
        """
        values: dict[str, Any] = {name: getattr(tier, name, None) for name in LIMIT_NAMES}
        return cls(**values, burst_seconds=burst_seconds, daily_reset=daily_reset)

    @property
    def reset_offset_seconds(self) -> float:
        """Seconds after 00:00 UTC at which the daily counters reset (0 <= x < 86400)."""
        t = self.daily_reset
        seconds = t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6
        offset = t.utcoffset()
        if offset is not None:
            seconds -= offset.total_seconds()
        return seconds % 86400.0

    @property
    def is_unlimited(self) -> bool:
        """True when no limit at all is enforced."""
        return all(getattr(self, name) is None for name in LIMIT_NAMES)

    def as_dict(self) -> dict[str, Any]:
        """The limits as a plain dict (for logs and reprs)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}
