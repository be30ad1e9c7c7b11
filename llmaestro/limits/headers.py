"""Reading providers' rate-limit response headers into "wait this long" decisions.

Understood headers (names are case-insensitive):

* ``Retry-After`` (seconds or an HTTP date) and ``retry-after-ms``: always applied;
* OpenAI style ``x-ratelimit-reset-requests`` / ``x-ratelimit-reset-tokens`` with Go-like
  durations (``"1s"``, ``"6m0s"``, ``"20ms"``, ``"1h2m3.5s"``);
* Anthropic style ``anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-reset``
  as RFC 3339 timestamps.

Providers send the ``*-reset`` headers on every response, where they describe when the
bucket will be *full* again, not when the next request may go. So a reset header is only
applied when its matching ``*-remaining`` header says 0, or when there is no
``*-remaining`` header and the response was a 429 (or no status code was given).
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import math
import re
from collections.abc import Iterable, Mapping

__all__ = [
    "HeadersLike",
    "delay_from_headers",
    "parse_duration",
    "parse_retry_after",
    "parse_rfc3339",
]

HeadersLike = Mapping[str, str] | Iterable[tuple[str, str]]

_UNIT_SECONDS = {
    "h": 3600.0,
    "m": 60.0,
    "s": 1.0,
    "ms": 1e-3,
    "us": 1e-6,
    "µs": 1e-6,
    "μs": 1e-6,
    "ns": 1e-9,
}
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ms|us|µs|μs|ns|h|m|s)")


def parse_duration(value: str) -> float | None:
    """Seconds in a Go-style duration (``"6m0s"``, ``"20ms"``) or a bare number of seconds."""
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pos, total = 0, 0.0
        for match in _DURATION_PART.finditer(text):
            if match.start() != pos:
                return None
            total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
            pos = match.end()
        if pos != len(text) or pos == 0:
            return None
        return total
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def parse_rfc3339(value: str) -> float | None:
    """Unix time of an RFC 3339 timestamp (``2024-05-01T12:00:30Z``); naive means UTC."""
    text = value.strip()
    if not text:
        return None
    if text[-1] in "zZ":
        text = text[:-1] + "+00:00"
    try:
        when = _dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.UTC)
    return when.timestamp()


def parse_retry_after(value: str, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: delta-seconds or an HTTP date.

    ``now`` is the current Unix time, used for dates. Dates in the past give 0.
    """
    text = value.strip()
    seconds = parse_duration(text) if text and (text[0].isdigit() or text[0] == ".") else None
    if seconds is not None:
        return seconds
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.UTC)
    return max(0.0, when.timestamp() - now)


def _normalize(headers: HeadersLike) -> dict[str, str]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {str(k).lower(): str(v) for k, v in items}


def _is_zero(value: str | None) -> bool | None:
    if value is None:
        return None
    try:
        return float(value.strip()) <= 0
    except ValueError:
        return None


def delay_from_headers(
    headers: HeadersLike, now: float, status_code: int | None = None
) -> float | None:
    """How long the whole budget should wait according to ``headers``, or None.

    ``now`` is the current Unix time (for HTTP dates and RFC 3339 timestamps). See the
    module docstring for which reset headers count.
    """
    h = _normalize(headers)
    delays: list[float] = []
    if "retry-after-ms" in h:
        ms = parse_duration(h["retry-after-ms"])
        if ms is not None:
            delays.append(ms / 1000.0)
    if "retry-after" in h:
        seconds = parse_retry_after(h["retry-after"], now)
        if seconds is not None:
            delays.append(seconds)

    def applies(remaining_header: str) -> bool:
        zero = _is_zero(h.get(remaining_header))
        if zero is None:
            return status_code is None or status_code == 429
        return zero

    for resource in ("requests", "tokens"):
        reset = h.get(f"x-ratelimit-reset-{resource}")
        if reset is not None and applies(f"x-ratelimit-remaining-{resource}"):
            seconds = parse_duration(reset)
            if seconds is not None:
                delays.append(seconds)
    for resource in ("requests", "tokens", "input-tokens", "output-tokens"):
        reset = h.get(f"anthropic-ratelimit-{resource}-reset")
        if reset is not None and applies(f"anthropic-ratelimit-{resource}-remaining"):
            when = parse_rfc3339(reset)
            if when is not None:
                delays.append(max(0.0, when - now))
    return max(delays) if delays else None
