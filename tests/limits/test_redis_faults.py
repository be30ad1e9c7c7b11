"""The Redis backend when Redis hangs or dies: bounded waits, and nothing raised into a
request that already happened.

A hang is a real redis-server stopped with SIGSTOP (the kernel still accepts connections
and takes the bytes, nothing answers): the case where every read waits its whole timeout.
The only timing asserts are the bounds the limiter promises, with a generous margin for
a loaded machine; the configured timeouts are chosen so the old behaviour (three reads
of ``socket_timeout`` per call, an acquire's ``timeout`` ignored) falls well outside them.
"""

from __future__ import annotations

import asyncio
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from llmaestro.errors import RateLimiterUnavailable, RateLimitTimeout
from llmaestro.limits import (
    ManualClock,
    MemoryBackend,
    RateLimiter,
    RateLimiterWarning,
    RateLimits,
    RedisBackend,
)
from llmaestro.limits.gcra import Costs, Plan

MARGIN = 0.7  # seconds on top of every promised bound (the CI machine is loaded)
SOCKET_TIMEOUT = 0.6  # the old code took 3 x 0.6 = 1.8 s per call, over 0.6 + MARGIN
POLICIES = ["fail_closed", "fail_open", "fallback_memory"]
# 100 tokens and 10 requests at once, refilling slowly compared to a test
LIMITS = {"tokens_per_minute": 10, "requests_per_minute": 1, "burst_seconds": 600.0}


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Assert the block returns or raises within ``seconds`` + MARGIN."""
    start = time.monotonic()
    try:
        yield
    finally:
        elapsed = time.monotonic() - start
        assert elapsed < seconds + MARGIN, f"blocked {elapsed:.2f}s, bound {seconds}+{MARGIN}s"


@pytest.fixture
def made() -> Iterator[list[RedisBackend]]:
    backends: list[RedisBackend] = []
    yield backends
    for backend in backends:
        backend.close()


def limiter_on(made: list[RedisBackend], url: str, key: str, **kwargs: Any) -> RateLimiter:
    backend = RedisBackend(url, **kwargs)
    made.append(backend)
    return RateLimiter(
        RateLimits(concurrent_requests=5, **LIMITS),  # type: ignore[arg-type]
        key=key,
        backend=backend,
    )


# --- a hung Redis: no call waits longer than socket_timeout ------------------------------


def test_hung_redis_blocks_no_sync_call_longer_than_socket_timeout(
    hung_redis: Any, made: list[RedisBackend], key: str
) -> None:
    limiter = limiter_on(
        made, hung_redis.url, key, socket_timeout=SOCKET_TIMEOUT, recheck_interval=0
    )
    before = limiter.try_acquire(tokens=10)  # a pooled connection exists from here on
    assert before is not None
    assert not before.degraded

    hung_redis.pause()
    with within(SOCKET_TIMEOUT), pytest.raises(RateLimiterUnavailable, match="Timeout"):
        limiter.try_acquire(tokens=10)  # a read on the pooled connection
    with within(SOCKET_TIMEOUT), pytest.raises(RateLimiterUnavailable):
        limiter.acquire(tokens=10)  # a new connection: connect and handshake in the budget
    with within(SOCKET_TIMEOUT), pytest.warns(RateLimiterWarning, match="not recorded"):
        before.reconcile(5)
    assert isinstance(before.reconcile_error, RateLimiterUnavailable)
    assert before.tokens == 10  # the estimate stays charged
    with within(SOCKET_TIMEOUT), pytest.warns(RateLimiterWarning, match="pushback"):
        assert limiter.apply_headers({"retry-after": "30"}) is None
    with within(SOCKET_TIMEOUT):
        assert not before.renew()
    with within(SOCKET_TIMEOUT):
        before.release()  # never raises: the lease expires by itself

    hung_redis.resume()
    after = limiter.try_acquire(tokens=10)
    assert after is not None
    assert not after.degraded
    after.release()


def test_hung_redis_blocks_no_async_call_longer_than_socket_timeout(
    hung_redis: Any, made: list[RedisBackend], key: str
) -> None:
    limiter = limiter_on(
        made, hung_redis.url, key, socket_timeout=SOCKET_TIMEOUT, recheck_interval=0
    )

    async def main() -> None:
        before = await limiter.atry_acquire(tokens=10)
        assert before is not None
        hung_redis.pause()
        with within(SOCKET_TIMEOUT), pytest.raises(RateLimiterUnavailable):
            await limiter.atry_acquire(tokens=10)
        with within(SOCKET_TIMEOUT), pytest.raises(RateLimiterUnavailable):
            await limiter.aacquire(tokens=10)
        with within(SOCKET_TIMEOUT), pytest.warns(RateLimiterWarning, match="not recorded"):
            await before.areconcile(5)
        assert isinstance(before.reconcile_error, RateLimiterUnavailable)
        with within(SOCKET_TIMEOUT), pytest.warns(RateLimiterWarning, match="pushback"):
            assert await limiter.aapply_headers({"retry-after": "30"}) is None
        with within(SOCKET_TIMEOUT):
            assert not await before.arenew()
        with within(SOCKET_TIMEOUT):
            await before.arelease()
        hung_redis.resume()
        after = await limiter.atry_acquire(tokens=10)
        assert after is not None
        assert not after.degraded
        await after.arelease()
        await limiter.aclose()

    asyncio.run(main())


# --- acquire(timeout=) bounds the whole call, Redis included -----------------------------


def call(limiter: RateLimiter, api: str, method: str, **kwargs: Any) -> object:
    """``limiter.<method>(**kwargs)``, or its async twin in an event loop of its own (whose
    client is closed after), returning a RateLimitTimeout instead of raising it."""

    async def twin() -> object:
        try:
            return await getattr(limiter, "a" + method)(**kwargs)
        finally:
            await limiter.aclose()

    try:
        return getattr(limiter, method)(**kwargs) if api == "sync" else asyncio.run(twin())
    except RateLimitTimeout as exc:
        return exc


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("api", ["sync", "async"])
def test_acquire_timeout_bounds_the_call_when_redis_hangs(
    hung_redis: Any, made: list[RedisBackend], key: str, policy: str, api: str
) -> None:
    # socket_timeout 5 s and recheck_interval 60 s: only the acquire's 0.2 s can end it
    limiter = limiter_on(
        made, hung_redis.url, key, socket_timeout=5, recheck_interval=60, on_unavailable=policy
    )
    assert call(limiter, api, "try_acquire") is not None
    hung_redis.pause()
    with within(0.2):
        outcome = call(limiter, api, "acquire", tokens=10, timeout=0.2)
    if policy == "fail_closed":
        assert isinstance(outcome, RateLimitTimeout)
        assert "did not answer within the acquire's timeout" in str(outcome)
    else:  # the policy applies to that call
        assert getattr(outcome, "degraded", False), outcome
    hung_redis.resume()
    # the caller's short timeout did not judge Redis down (else: skipped for 60 s)
    after = call(limiter, api, "try_acquire")
    assert getattr(after, "degraded", None) is False, after


@pytest.mark.parametrize("policy", ["fail_open", "fallback_memory"])
@pytest.mark.parametrize("api", ["sync", "async"])
def test_hung_redis_degrades_within_socket_timeout_then_at_once(
    hung_redis: Any, made: list[RedisBackend], key: str, policy: str, api: str
) -> None:
    limiter = limiter_on(
        made,
        hung_redis.url,
        key,
        socket_timeout=SOCKET_TIMEOUT,
        recheck_interval=60,
        on_unavailable=policy,
    )
    assert call(limiter, api, "try_acquire") is not None
    hung_redis.pause()
    with within(SOCKET_TIMEOUT):
        first = call(limiter, api, "acquire", tokens=10)
    assert getattr(first, "degraded", None) is True, first
    with within(0):  # judged down: not asked again for recheck_interval
        again = call(limiter, api, "acquire", tokens=10, timeout=5)
    assert getattr(again, "degraded", None) is True, again


# --- reconcile after Redis died: recorded, warned, never raised --------------------------


@pytest.mark.parametrize("policy", POLICIES)
def test_reconcile_after_redis_died_warns_and_never_raises(
    redis_server: Any, redis_url: str, made: list[RedisBackend], key: str, policy: str
) -> None:
    limiter = limiter_on(made, redis_url, key, on_unavailable=policy, recheck_interval=0)
    sync_one = limiter.try_acquire(input_tokens=30, output_tokens=20)
    async_one = limiter.try_acquire(tokens=10)
    assert sync_one is not None
    assert async_one is not None
    redis_server.stop()  # the request went out and came back; now Redis is gone

    with pytest.warns(RateLimiterWarning, match="was not recorded") as caught:
        sync_one.reconcile(input_tokens=25, output_tokens=3)
    assert len(caught) == 1
    assert "input_tokens=25" in str(caught[0].message)
    assert "Connection refused" in str(caught[0].message)
    assert isinstance(sync_one.reconcile_error, RateLimiterUnavailable)
    assert (sync_one.input_tokens, sync_one.output_tokens) == (30, 20)  # still charged

    async def main() -> None:
        with pytest.warns(RateLimiterWarning, match="was not recorded"):
            await async_one.areconcile(0)
        await async_one.arelease()  # never raises either
        await limiter.aclose()

    asyncio.run(main())
    assert isinstance(async_one.reconcile_error, RateLimiterUnavailable)
    sync_one.release()

    if policy != "fail_closed":  # a degraded grant settles with its own backend, silently
        degraded = limiter.try_acquire(tokens=10)
        assert degraded is not None
        assert degraded.degraded
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            degraded.reconcile(4)
        assert degraded.reconcile_error is None
        assert degraded.tokens == 4
        degraded.release()


class FlakyBackend(MemoryBackend):
    """A memory backend whose adjust fails while ``failing`` (a custom backend's error)."""

    failing = False

    def adjust(self, key: str, plan: Plan, deltas: Costs, days: tuple[int, ...]) -> None:
        if self.failing:
            raise RuntimeError("store offline")
        super().adjust(key, plan, deltas, days)


def test_failed_reconcile_is_recorded_and_a_later_one_settles_it() -> None:
    backend = FlakyBackend(ManualClock())
    limiter = RateLimiter(RateLimits(**LIMITS), backend=backend)  # type: ignore[arg-type]
    reservation = limiter.try_acquire(tokens=80)
    assert reservation is not None
    backend.failing = True
    with pytest.warns(RateLimiterWarning, match="RuntimeError: store offline"):
        reservation.reconcile(20)
    assert isinstance(reservation.reconcile_error, RuntimeError)
    assert reservation.tokens == 80
    assert limiter.try_acquire(tokens=50) is None  # 80 of 100 still charged

    backend.failing = False
    reservation.reconcile(20)  # settles the whole difference now
    assert reservation.reconcile_error is None
    assert reservation.tokens == 20
    assert limiter.try_acquire(tokens=50) is not None


def ghost_setup(made: list[RedisBackend], url: str, key: str) -> tuple[RateLimiter, str]:
    """A limiter with one concurrency slot on a backend that only the acquires' timeouts
    (0.2 s) end, and the key of its lease set."""
    backend = RedisBackend(url, socket_timeout=5, recheck_interval=0)
    made.append(backend)
    limiter = RateLimiter(RateLimits(concurrent_requests=1), key=key, backend=backend)
    return limiter, backend.keys_for(key)[1]


def test_a_lease_sent_to_a_hung_redis_is_released_once_it_answers(
    hung_redis: Any, made: list[RedisBackend], key: str, redis_client: Any
) -> None:
    limiter, slots_key = ghost_setup(made, hung_redis.url, key)
    limiter.acquire().release()  # a pooled connection: the next acquire is sent
    hung_redis.pause()
    with pytest.raises(RateLimitTimeout):
        limiter.acquire(timeout=0.2)
    hung_redis.resume()  # Redis now runs the acquire it had received: the one slot is taken
    assert redis_client.zcard(slots_key) == 1
    # the next answered acquire releases that lease (a poll later, the slot is free)
    with limiter.slot(timeout=2) as held:
        assert redis_client.zrange(slots_key, 0, -1) == [str(held.lease_id).encode()]


def test_a_lease_sent_to_a_hung_redis_is_released_once_it_answers_async(
    hung_redis: Any, made: list[RedisBackend], key: str, redis_client: Any
) -> None:
    limiter, slots_key = ghost_setup(made, hung_redis.url, key)

    async def main() -> None:
        await (await limiter.aacquire()).arelease()
        hung_redis.pause()
        with pytest.raises(RateLimitTimeout):
            await limiter.aacquire(timeout=0.2)
        hung_redis.resume()
        assert redis_client.zcard(slots_key) == 1
        async with limiter.aslot(timeout=2) as held:
            assert redis_client.zrange(slots_key, 0, -1) == [str(held.lease_id).encode()]
        await limiter.aclose()

    asyncio.run(main())
