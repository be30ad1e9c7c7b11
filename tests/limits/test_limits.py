"""RateLimits validation, tiers, plans and header parsing (no backend involved)."""

from __future__ import annotations

import datetime as dt
import email.utils
import subprocess
import sys
from types import SimpleNamespace
from typing import Any

import pytest

from llmaestro.limits import (
    LIMIT_NAMES,
    RateLimiter,
    RateLimits,
    delay_from_headers,
    parse_duration,
    parse_retry_after,
    parse_rfc3339,
)
from llmaestro.limits.gcra import Plan, day_index, next_reset

NOW = 1_700_000_000.0


def test_import_does_not_need_redis() -> None:
    code = (
        "import sys; sys.modules['redis'] = None\n"
        "import llmaestro.limits as rl\n"
        "rl.RedisBackend('redis://127.0.0.1:1/0')\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def _one(name: str, value: object) -> dict[str, Any]:
    return {name: value}


@pytest.mark.parametrize("name", LIMIT_NAMES)
def test_limits_reject_non_positive(name: str) -> None:
    with pytest.raises(ValueError, match=name):
        RateLimits(**_one(name, 0))
    with pytest.raises(TypeError):
        RateLimits(**_one(name, 1.5))
    with pytest.raises(TypeError):
        RateLimits(**_one(name, True))


def test_limits_burst_and_reset_validation() -> None:
    with pytest.raises(ValueError, match="burst"):
        RateLimits(burst_seconds=0)
    with pytest.raises(ValueError, match="burst"):
        RateLimits(burst_seconds=float("inf"))
    assert RateLimits().is_unlimited
    assert not RateLimits(concurrent_requests=1).is_unlimited
    assert RateLimits(daily_reset=dt.time(7, 30)).reset_offset_seconds == 27000
    tz = dt.timezone(dt.timedelta(hours=-8))
    assert RateLimits(daily_reset=dt.time(0, 0, tzinfo=tz)).reset_offset_seconds == 8 * 3600


def test_limits_are_frozen() -> None:
    limits = RateLimits(requests_per_minute=5)
    with pytest.raises(AttributeError):
        limits.requests_per_minute = 6  # type: ignore[misc]


def test_from_tier_reads_any_object() -> None:
    tier = SimpleNamespace(requests_per_minute=50, input_tokens_per_minute=40_000, other="x")
    limits = RateLimits.from_tier(tier, burst_seconds=5)
    assert limits.requests_per_minute == 50
    assert limits.input_tokens_per_minute == 40_000
    assert limits.tokens_per_minute is None
    assert limits.burst_seconds == 5
    limiter = RateLimiter.from_tier(tier, key="anthropic:tier-1")
    assert limiter.limits.requests_per_minute == 50
    assert limiter.key == "anthropic:tier-1"
    assert [g.name for g in limiter.plan.gcra] == ["requests_per_minute", "input_tokens_per_minute"]


def test_from_limits_keywords() -> None:
    limiter = RateLimiter.from_limits(
        requests_per_minute=10, tokens_per_day=1000, daily_reset=dt.time(8), key="k", lease_ttl=5
    )
    assert limiter.limits == RateLimits(
        requests_per_minute=10, tokens_per_day=1000, daily_reset=dt.time(8)
    )
    assert limiter.key == "k"
    assert limiter.plan.lease_ttl == 5
    assert "requests_per_minute" in repr(limiter)


def test_plan_intervals() -> None:
    plan = Plan.from_limits(
        RateLimits(tokens_per_minute=600, requests_per_day=10, burst_seconds=2), lease_ttl=9
    )
    (g,) = plan.gcra
    assert g.interval == pytest.approx(0.1)
    assert g.tau == 2
    assert plan.daily[0].limit == 10
    assert plan.lease_ttl == 9


def test_day_index_and_reset() -> None:
    midnight = 19_000 * 86400.0
    assert day_index(midnight - 0.001, 0) == 18_999
    assert day_index(midnight, 0) == 19_000
    assert next_reset(19_000, 0) == midnight + 86400
    assert day_index(midnight + 3600, 7200) == 18_999
    assert next_reset(18_999, 7200) == midnight + 7200


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1s", 1.0),
        ("6m0s", 360.0),
        ("20ms", 0.02),
        ("1h2m3.5s", 3723.5),
        ("0.5", 0.5),
        ("17", 17.0),
        ("250us", 0.00025),
    ],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "abc", "1x", "s", "-1", "1s junk", "nan"])
def test_parse_duration_rejects(text: str) -> None:
    assert parse_duration(text) is None


def test_parse_retry_after() -> None:
    assert parse_retry_after("30", NOW) == 30
    date = email.utils.formatdate(NOW + 45, usegmt=True)
    assert parse_retry_after(date, NOW) == pytest.approx(45)
    assert parse_retry_after(email.utils.formatdate(NOW - 45, usegmt=True), NOW) == 0
    assert parse_retry_after("soon", NOW) is None


def test_parse_rfc3339() -> None:
    when = dt.datetime.fromtimestamp(NOW, dt.UTC)
    assert parse_rfc3339(when.strftime("%Y-%m-%dT%H:%M:%SZ")) == NOW
    assert parse_rfc3339(when.isoformat()) == NOW
    assert parse_rfc3339("2023-11-14T14:13:20-08:00") == NOW
    assert parse_rfc3339("yesterday") is None


def test_delay_from_headers_rules() -> None:
    # Retry-After always counts, and the largest delay wins.
    assert delay_from_headers({"Retry-After": "3", "retry-after-ms": "4500"}, NOW) == 4.5
    # OpenAI reset headers only when the matching remaining is 0 ...
    ok = {"x-ratelimit-remaining-requests": "10", "x-ratelimit-reset-requests": "6m0s"}
    assert delay_from_headers(ok, NOW, status_code=200) is None
    assert delay_from_headers(ok, NOW, status_code=429) is None
    empty = {
        "x-ratelimit-remaining-requests": "5",
        "x-ratelimit-reset-requests": "6m0s",
        "x-ratelimit-remaining-tokens": "0",
        "x-ratelimit-reset-tokens": "20ms",
    }
    assert delay_from_headers(empty, NOW, status_code=200) == pytest.approx(0.02)
    # ... or, without a remaining header, on a 429 or when no status is given.
    bare = [("X-RateLimit-Reset-Tokens", "1s")]
    assert delay_from_headers(bare, NOW) == 1.0
    assert delay_from_headers(bare, NOW, status_code=429) == 1.0
    assert delay_from_headers(bare, NOW, status_code=200) is None
    # Anthropic: RFC 3339 resets.
    reset = dt.datetime.fromtimestamp(NOW + 12, dt.UTC).isoformat().replace("+00:00", "Z")
    anthropic = {
        "anthropic-ratelimit-output-tokens-remaining": "0",
        "anthropic-ratelimit-output-tokens-reset": reset,
        "anthropic-ratelimit-requests-remaining": "40",
        "anthropic-ratelimit-requests-reset": reset,
    }
    assert delay_from_headers(anthropic, NOW, status_code=200) == pytest.approx(12)
    assert delay_from_headers({"content-type": "application/json"}, NOW) is None
