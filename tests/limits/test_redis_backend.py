"""The Redis backend against a real redis-server (started by conftest.py).

Limits are chosen so outcomes do not depend on timing: budgets refill slowly (minutes)
compared to how long a test runs, and day boundaries are moved with ``time_offset``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from llmaestro.errors import RateLimiterUnavailable, RateLimitTimeout
from llmaestro.limits import RateLimiter, RateLimits, RedisBackend
from llmaestro.limits._lua import SCRIPT_SHA

REPO = Path(__file__).resolve().parents[2]

# 1 request and 10 tokens per minute, but a 10-minute burst: 10 requests / 100 tokens at once.
SLOW: dict[str, Any] = {"burst_seconds": 600.0}


def new_backend(made: list[RedisBackend], url: str, **kwargs: Any) -> RedisBackend:
    backend = RedisBackend(url, **kwargs)
    made.append(backend)
    return backend


def test_all_or_nothing(
    redis_url: str, backends: list[RedisBackend], key: str, redis_client: Any
) -> None:
    backend = new_backend(backends, redis_url)
    limiter = RateLimiter(
        RateLimits(requests_per_minute=1, tokens_per_minute=10, **SLOW), key=key, backend=backend
    )
    state_key, _ = backend.keys_for(key)
    assert limiter.try_acquire(tokens=60) is not None
    before = redis_client.hgetall(state_key)
    assert limiter.try_acquire(tokens=50) is None  # TPM refuses
    assert redis_client.hgetall(state_key) == before  # nothing committed
    assert limiter.try_acquire(tokens=40) is not None
    granted = sum(limiter.try_acquire(tokens=0) is not None for _ in range(12))
    assert granted == 8  # 10 requests in the burst, 2 used


def test_refunds_and_charges_on_reconcile(
    redis_url: str, backends: list[RedisBackend], key: str
) -> None:
    backend = new_backend(backends, redis_url)
    limiter = RateLimiter(
        RateLimits(tokens_per_minute=10, tokens_per_day=1000, **SLOW), key=key, backend=backend
    )
    r = limiter.try_acquire(tokens=80)
    assert r is not None
    assert limiter.try_acquire(tokens=30) is None
    r.reconcile(20)
    assert limiter.try_acquire(tokens=80) is not None
    assert limiter.try_acquire(tokens=1) is None
    r.reconcile(0)
    assert limiter.try_acquire(tokens=20) is not None
    r.reconcile(40)  # charge: over budget
    assert limiter.try_acquire(tokens=1) is None


def test_separate_input_output_limits(
    redis_url: str, backends: list[RedisBackend], key: str
) -> None:
    backend = new_backend(backends, redis_url)
    limiter = RateLimiter(
        RateLimits(input_tokens_per_minute=100, output_tokens_per_minute=10, **SLOW),
        key=key,
        backend=backend,
    )
    r = limiter.try_acquire(input_tokens=500, output_tokens=100)  # the whole OTPM burst
    assert r is not None
    assert limiter.try_acquire(input_tokens=1, output_tokens=1) is None
    assert limiter.try_acquire(input_tokens=400) is not None  # ITPM still has room
    r.reconcile(input_tokens=500, output_tokens=40)
    assert limiter.try_acquire(output_tokens=60) is not None
    assert limiter.try_acquire(output_tokens=1) is None


def test_daily_quota_rolls_over_at_configured_reset(
    redis_url: str, backends: list[RedisBackend], key: str
) -> None:
    backend = new_backend(backends, redis_url)
    server_now = backend.server_time()
    boundary = server_now + 3600  # a quota day ends one hour from now
    reset = dt.datetime.fromtimestamp(boundary, dt.UTC).time()
    limits = RateLimits(requests_per_day=2, tokens_per_day=100, daily_reset=reset)
    limiter = RateLimiter(limits, key=key, backend=backend)
    first = limiter.try_acquire(tokens=50)
    second = limiter.try_acquire(tokens=50)
    assert first is not None
    assert second is not None
    with pytest.raises(RateLimitTimeout, match="requests_per_day") as info:
        limiter.acquire(timeout=60)
    assert "next admission possible in 3.6e+03s" in str(info.value)
    # Another process whose Redis time is past the boundary sees a fresh quota ...
    later = new_backend(backends, redis_url, time_offset=3600 + 5)
    tomorrow = RateLimiter(limits, key=key, backend=later)
    assert tomorrow.try_acquire(tokens=60) is not None
    # ... and yesterday's reservation neither refunds today's quota nor escapes a charge.
    backend.time_offset = 3600 + 5
    second.reconcile(0)
    assert tomorrow.try_acquire(tokens=41) is None
    first.reconcile(60)  # +10 tokens, charged to today
    assert tomorrow.try_acquire(tokens=31) is None
    assert tomorrow.try_acquire(tokens=30) is not None  # exactly 100 tokens today
    assert tomorrow.try_acquire(tokens=0) is None  # and 2 requests: the day is spent


def test_state_keys_expire_and_stay_small(
    redis_url: str, backends: list[RedisBackend], key: str, redis_client: Any
) -> None:
    backend = new_backend(backends, redis_url)
    limiter = RateLimiter(
        RateLimits(requests_per_minute=10**6, tokens_per_minute=10**9, concurrent_requests=5),
        key=key,
        backend=backend,
        lease_ttl=30,
    )
    for _ in range(300):
        r = limiter.try_acquire(tokens=1000)
        assert r is not None
        r.release()
    state_key, slots_key = backend.keys_for(key)
    assert 0 < redis_client.pttl(state_key) <= 122_000
    assert redis_client.memory_usage(state_key) < 1024
    assert not redis_client.exists(slots_key)  # the last release removed the empty set
    held = limiter.try_acquire()
    assert held is not None
    assert 0 < redis_client.pttl(slots_key) <= 92_000
    held.release()


def test_noscript_fallback_after_script_flush(
    redis_url: str, backends: list[RedisBackend], key: str, redis_client: Any
) -> None:
    backend = new_backend(backends, redis_url)
    limiter = RateLimiter(RateLimits(requests_per_minute=5), key=key, backend=backend)
    assert limiter.try_acquire() is not None
    redis_client.script_flush()
    assert redis_client.script_exists(SCRIPT_SHA) == [False]
    assert limiter.try_acquire() is not None
    assert redis_client.script_exists(SCRIPT_SHA) == [True]


def test_retry_after_is_seen_by_another_instance(
    redis_url: str, backends: list[RedisBackend], key: str
) -> None:
    limits = RateLimits(requests_per_minute=1000)
    a = RateLimiter(limits, key=key, backend=new_backend(backends, redis_url))
    b = RateLimiter(limits, key=key, backend=new_backend(backends, redis_url))
    other = RateLimiter(limits, key=key + "-other", backend=new_backend(backends, redis_url))
    assert b.try_acquire() is not None
    assert a.apply_headers({"Retry-After": "30"}, status_code=429) == 30
    assert b.try_acquire() is None
    with pytest.raises(RateLimitTimeout, match="retry_after"):
        b.acquire(timeout=5)
    assert other.try_acquire() is not None
    # A shorter pushback never shortens the block.
    a.penalize(1)
    assert b.try_acquire() is None
    later = new_backend(backends, redis_url, time_offset=31)
    assert RateLimiter(limits, key=key, backend=later).try_acquire() is not None


def test_anthropic_reset_header_pushes_back(
    redis_url: str, backends: list[RedisBackend], key: str
) -> None:
    backend = new_backend(backends, redis_url)
    limiter = RateLimiter(RateLimits(input_tokens_per_minute=10**6), key=key, backend=backend)
    reset = dt.datetime.fromtimestamp(time.time() + 120, dt.UTC).isoformat()
    delay = limiter.apply_headers(
        {
            "anthropic-ratelimit-input-tokens-remaining": "0",
            "anthropic-ratelimit-input-tokens-reset": reset,
        }
    )
    assert delay is not None
    assert 100 < delay <= 120
    assert limiter.try_acquire(input_tokens=1) is None


def test_concurrency_and_cancellation_release_slots(
    redis_url: str, backends: list[RedisBackend], key: str, redis_client: Any
) -> None:
    backend = new_backend(backends, redis_url)
    limiter = RateLimiter(
        RateLimits(concurrent_requests=1), key=key, backend=backend, poll_interval=0.005
    )
    _, slots_key = backend.keys_for(key)

    async def main() -> None:
        entered = asyncio.Event()

        async def worker() -> None:
            async with limiter.aslot():
                entered.set()
                await asyncio.Event().wait()

        task = asyncio.create_task(worker())
        await entered.wait()
        assert await limiter.atry_acquire() is None
        waiter = asyncio.create_task(limiter.aacquire(timeout=30))  # polls for the slot
        await asyncio.sleep(0.02)
        waiter.cancel()
        task.cancel()
        for t in (task, waiter):
            with pytest.raises(asyncio.CancelledError):
                await t
        assert redis_client.zcard(slots_key) == 0
        async with limiter.aslot(timeout=5) as r:
            assert r.holds_slot
            assert redis_client.zcard(slots_key) == 1
        with pytest.raises(ValueError, match="inside"):
            async with limiter.aslot(timeout=5):
                raise ValueError("inside")
        # Cancel acquires at every point of their round trip: nothing may stay charged.
        for yields in range(8):
            t = asyncio.create_task(limiter.aacquire(timeout=5))
            for _ in range(yields):
                await asyncio.sleep(0)
            t.cancel()
            try:
                r = await t
            except asyncio.CancelledError:
                pass
            else:
                await r.arelease()
        await limiter.aclose()  # waits for the background undo tasks
        assert redis_client.zcard(slots_key) == 0

    asyncio.run(main())
    with limiter.slot(timeout=1), pytest.raises(RateLimitTimeout):
        limiter.acquire(timeout=0.05)
    assert redis_client.zcard(slots_key) == 0


def test_lease_of_a_killed_process_expires(
    redis_url: str, backends: list[RedisBackend], key: str, redis_client: Any
) -> None:
    code = textwrap.dedent(
        f"""
        import sys, time
        from llmaestro.limits import RateLimiter, RateLimits, RedisBackend
        limiter = RateLimiter(RateLimits(concurrent_requests=1), key={key!r},
                              backend=RedisBackend({redis_url!r}), lease_ttl=1.5)
        reservation = limiter.acquire(timeout=10)
        print(reservation.lease_id, flush=True)
        time.sleep(60)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, env=env, cwd=REPO
    ) as proc:
        assert proc.stdout is not None
        lease_id = proc.stdout.readline().decode().strip()
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert lease_id
    backend = new_backend(backends, redis_url)
    _, slots_key = backend.keys_for(key)
    expiry = redis_client.zscore(slots_key, lease_id)
    assert expiry is not None  # the dead process still holds its slot ...
    limiter = RateLimiter(RateLimits(concurrent_requests=1), key=key, backend=backend)
    if backend.server_time() * 1000 < expiry - 300:
        assert limiter.try_acquire() is None
    time.sleep(max(0.0, expiry / 1000 - backend.server_time()) + 0.05)
    r = limiter.try_acquire()  # ... until its lease expires
    assert r is not None
    assert redis_client.zscore(slots_key, lease_id) is None
    r.release()


POLICIES = ["fail_closed", "fail_open", "fallback_memory"]


@pytest.mark.parametrize("policy", POLICIES)
def test_redis_restart_mid_run_sync(
    redis_server: Any, redis_url: str, backends: list[RedisBackend], key: str, policy: str
) -> None:
    backend = new_backend(
        backends, redis_url, on_unavailable=policy, recheck_interval=0, socket_timeout=2
    )
    limiter = RateLimiter(
        RateLimits(requests_per_minute=1, concurrent_requests=10, burst_seconds=180.0),
        key=key,
        backend=backend,
    )  # 3 requests per burst
    before = limiter.try_acquire()
    assert before is not None
    assert not before.degraded

    redis_server.stop()
    if policy == "fail_closed":
        with pytest.raises(RateLimiterUnavailable, match="fail_closed"):
            limiter.try_acquire()
        with pytest.raises(RateLimiterUnavailable):
            limiter.acquire(timeout=10)
    elif policy == "fail_open":
        got = [limiter.try_acquire() for _ in range(10)]
        assert all(r is not None and r.degraded for r in got)
    else:
        got = [limiter.try_acquire() for _ in range(5)]
        assert [r is not None for r in got] == [True, True, True, False, False]
        assert all(r.degraded for r in got if r is not None)
        for r in got:
            if r is not None:
                r.release()
    before.release()  # never raises: the lease expires by itself

    redis_server.start()  # same port, empty data, empty script cache
    after = [limiter.try_acquire() for _ in range(4)]
    assert [r is not None for r in after] == [True, True, True, False]
    assert all(not r.degraded for r in after if r is not None)


@pytest.mark.parametrize("policy", POLICIES)
def test_redis_restart_mid_run_async(
    redis_server: Any, redis_url: str, backends: list[RedisBackend], key: str, policy: str
) -> None:
    backend = new_backend(
        backends, redis_url, on_unavailable=policy, recheck_interval=0, socket_timeout=2
    )
    limiter = RateLimiter(
        RateLimits(requests_per_minute=1, concurrent_requests=2, burst_seconds=180.0),
        key=key,
        backend=backend,
    )

    async def main() -> None:
        async with limiter.aslot() as before:
            assert not before.degraded
            redis_server.stop()
            if policy == "fail_closed":
                with pytest.raises(RateLimiterUnavailable):
                    await limiter.atry_acquire()
            elif policy == "fail_open":
                assert all([(await limiter.atry_acquire()) for _ in range(5)])
            else:
                first = await limiter.atry_acquire()
                second = await limiter.atry_acquire()
                assert first is not None
                assert first.degraded
                assert second is not None
                assert await limiter.atry_acquire() is None  # concurrency 2, in memory
                await first.arelease()
                await second.arelease()
        redis_server.start()
        got = [await limiter.atry_acquire() for _ in range(2)]
        assert all(r is not None and not r.degraded for r in got)
        assert await limiter.atry_acquire() is None  # concurrency 2 (Redis)
        for r in got:
            assert r is not None
            await r.arelease()
        await limiter.aclose()

    asyncio.run(main())


def test_unreachable_redis_message_is_clear(backends: list[RedisBackend], redis_url: str) -> None:
    backend = new_backend(backends, "redis://user:s3cret@127.0.0.1:1/0", socket_timeout=0.5)
    limiter = RateLimiter(RateLimits(requests_per_minute=5), backend=backend)
    with pytest.raises(RateLimiterUnavailable) as info:
        limiter.try_acquire()
    message = str(info.value)
    assert "127.0.0.1:1/0" in message
    assert "fail_closed" in message
    assert "s3cret" not in message


def test_async_twins_and_lease_renewal(
    redis_url: str, backends: list[RedisBackend], key: str, redis_client: Any
) -> None:
    backend = new_backend(backends, redis_url)
    limiter = RateLimiter(
        RateLimits(tokens_per_minute=10, concurrent_requests=2, **SLOW),
        key=key,
        backend=backend,
        lease_ttl=30,
    )
    _, slots_key = backend.keys_for(key)

    async def main() -> None:
        r = await limiter.atry_acquire(tokens=90)
        assert r is not None
        assert r.lease_id is not None
        assert await limiter.atry_acquire(tokens=20) is None
        await r.areconcile(50)
        before = redis_client.zscore(slots_key, r.lease_id)
        assert await r.arenew(120)
        assert redis_client.zscore(slots_key, r.lease_id) > before + 60_000
        async with limiter.aslot(tokens=50, timeout=1) as r2:
            assert r2.holds_slot
        await r.arelease()
        assert not await r.arenew()
        assert await limiter.aapply_headers({"retry-after": "20"}) == 20
        with pytest.raises(RateLimitTimeout, match="retry_after"):
            await limiter.aacquire(timeout=1)
        await limiter.aclose()

    asyncio.run(main())
    with pytest.raises(RateLimitTimeout):  # the sync client works after the loop is gone
        limiter.acquire(timeout=1)
