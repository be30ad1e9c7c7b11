"""The in-process limiter, with an injected ManualClock (no real waiting, exact counts)."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading

import pytest

from llmaestro.errors import RateLimitError, RateLimitTimeout
from llmaestro.limits import (
    ManualClock,
    MemoryBackend,
    RateLimiter,
    RateLimits,
    SystemClock,
)

DAY = 86400.0
START = 19_700 * DAY + 12 * 3600.0  # noon UTC


def make(clock: ManualClock | None = None, **limits: object) -> tuple[RateLimiter, ManualClock]:
    clock = clock or ManualClock(START)
    return RateLimiter(RateLimits(**limits), clock=clock), clock  # type: ignore[arg-type]


def test_unlimited_always_grants() -> None:
    limiter, _ = make()
    assert all(limiter.try_acquire(tokens=10**9) for _ in range(100))


def test_all_or_nothing_rpm_ok_tpm_not() -> None:
    limiter, _ = make(requests_per_minute=2, tokens_per_minute=100)
    assert limiter.try_acquire(tokens=60) is not None
    assert limiter.try_acquire(tokens=50) is None  # TPM refuses ...
    assert limiter.try_acquire(tokens=40) is not None  # ... and RPM was not charged for it
    assert limiter.try_acquire(tokens=0) is None  # now RPM is spent


def test_all_or_nothing_daily_and_concurrency() -> None:
    limiter, _ = make(requests_per_day=5, tokens_per_day=100, concurrent_requests=1)
    first = limiter.try_acquire(tokens=90)
    assert first is not None
    assert limiter.try_acquire(tokens=5) is None  # slot taken: nothing charged
    first.release()
    assert limiter.try_acquire(tokens=20) is None  # TPD refuses: no slot taken, no request
    second = limiter.try_acquire(tokens=10)
    assert second is not None
    second.release()
    for _ in range(3):
        r = limiter.try_acquire()
        assert r is not None
        r.release()
    assert limiter.try_acquire() is None  # 5 requests today


def test_burst_bounds_first_window_then_steady_rate() -> None:
    limiter, clock = make(requests_per_minute=600, burst_seconds=1)  # 10/s, burst 10
    first = sum(limiter.try_acquire() is not None for _ in range(100))
    assert first == 10
    for _ in range(50):
        clock.advance(0.1)
        assert limiter.try_acquire() is not None
        assert limiter.try_acquire() is None


def test_input_and_output_tokens_metered_separately() -> None:
    limiter, _ = make(input_tokens_per_minute=1000, output_tokens_per_minute=100)
    assert limiter.try_acquire(input_tokens=900, output_tokens=50) is not None
    assert limiter.try_acquire(input_tokens=50, output_tokens=60) is None  # OTPM
    assert limiter.try_acquire(input_tokens=200, output_tokens=10) is None  # ITPM
    r = limiter.try_acquire(input_tokens=100, output_tokens=50)
    assert r is not None
    assert (r.tokens, r.input_tokens, r.output_tokens) == (150, 100, 50)


def test_reconcile_refunds_and_charges() -> None:
    limiter, _ = make(tokens_per_minute=100)
    r = limiter.try_acquire(tokens=80)
    assert r is not None
    assert limiter.try_acquire(tokens=30) is None
    r.reconcile(20)  # refund 60
    assert r.tokens == 20
    assert limiter.try_acquire(tokens=80) is not None
    assert limiter.try_acquire(tokens=1) is None
    r.reconcile(10)  # another refund of 10
    assert limiter.try_acquire(tokens=10) is not None
    r.reconcile(50)  # charge 40 more: over budget now
    assert limiter.try_acquire(tokens=1) is None


def test_reconcile_input_output_and_daily() -> None:
    limiter, _ = make(output_tokens_per_minute=100, tokens_per_day=1000)
    r = limiter.try_acquire(input_tokens=300, output_tokens=100)  # max_tokens estimate
    assert r is not None
    assert limiter.try_acquire(output_tokens=1) is None
    r.reconcile(input_tokens=300, output_tokens=25)
    assert limiter.try_acquire(input_tokens=0, output_tokens=75) is not None
    # TPD: 325 + 75 charged; 600 left
    assert limiter.try_acquire(tokens=601) is None
    assert limiter.try_acquire(tokens=600) is not None


def test_daily_quota_resets_at_utc_midnight() -> None:
    clock = ManualClock(START)
    limiter, _ = make(clock, requests_per_day=3)
    for _ in range(3):
        assert limiter.try_acquire() is not None
    assert limiter.try_acquire() is None
    with pytest.raises(RateLimitTimeout, match="requests_per_day"):
        limiter.acquire(timeout=3600)
    clock.set(19_701 * DAY - 0.001)
    assert limiter.try_acquire() is None
    clock.set(19_701 * DAY)
    assert limiter.try_acquire() is not None
    # a blocking acquire waits exactly until the next reset
    for _ in range(2):
        assert limiter.try_acquire() is not None
    limiter.acquire()
    assert clock.now() == pytest.approx(19_702 * DAY)


def test_daily_quota_with_configured_reset_time() -> None:
    clock = ManualClock(19_700 * DAY + 7 * 3600)  # 07:00 UTC
    limiter, _ = make(clock, tokens_per_day=100, daily_reset=dt.time(7, 30))
    assert limiter.try_acquire(tokens=100) is not None
    assert limiter.try_acquire(tokens=1) is None
    clock.advance(29 * 60)
    assert limiter.try_acquire(tokens=1) is None
    clock.advance(60)  # 07:30 UTC: a new quota day
    assert limiter.try_acquire(tokens=100) is not None


def test_reconcile_after_day_boundary_does_not_refund_the_new_day() -> None:
    clock = ManualClock(19_701 * DAY - 10)
    limiter, _ = make(clock, tokens_per_day=100)
    r = limiter.try_acquire(tokens=100)
    assert r is not None
    clock.advance(20)  # new day
    r.reconcile(0)  # refund of yesterday's tokens is dropped
    assert limiter.try_acquire(tokens=100) is not None
    assert limiter.try_acquire(tokens=1) is None
    r2 = limiter.try_acquire(tokens=0)
    assert r2 is not None
    clock.advance(DAY)
    r2.reconcile(30)  # a charge lands on the current day
    assert limiter.try_acquire(tokens=71) is None
    assert limiter.try_acquire(tokens=70) is not None


def test_request_larger_than_daily_quota_is_refused_at_once() -> None:
    limiter, _ = make(tokens_per_day=100)
    with pytest.raises(RateLimitError, match="can never be admitted"):
        limiter.try_acquire(tokens=101)
    with pytest.raises(ValueError, match="non-negative"):
        limiter.try_acquire(tokens=-1)


def test_oversized_request_passes_only_with_a_full_bucket() -> None:
    limiter, clock = make(tokens_per_minute=60, burst_seconds=10)  # 1/s, burst 10
    assert limiter.try_acquire(tokens=25) is not None  # full bucket: overdraws by 15
    assert limiter.try_acquire(tokens=1) is None
    clock.advance(15)  # back at level 0
    assert limiter.try_acquire(tokens=1) is None
    clock.advance(1)
    assert limiter.try_acquire(tokens=1) is not None


def test_blocking_acquire_waits_exactly_on_manual_clock() -> None:
    limiter, clock = make(requests_per_minute=60, burst_seconds=1)
    limiter.acquire()
    limiter.acquire()
    assert clock.now() - START == pytest.approx(1.0, abs=1e-3)


def test_acquire_timeout_raises_without_waiting_in_vain() -> None:
    limiter, clock = make(requests_per_minute=60, burst_seconds=1)
    limiter.acquire()
    with pytest.raises(RateLimitTimeout, match="requests_per_minute") as info:
        limiter.acquire(timeout=0.5)
    assert isinstance(info.value, TimeoutError)
    assert clock.now() == START
    assert limiter.acquire(timeout=1.0) is not None


def test_penalize_blocks_every_limiter_on_the_key() -> None:
    clock = ManualClock(START)
    backend = MemoryBackend(clock)
    limits = RateLimits(requests_per_minute=1000)
    a = RateLimiter(limits, key="k", backend=backend)
    b = RateLimiter(limits, key="k", backend=backend)
    other = RateLimiter(limits, key="other", backend=backend)
    a.penalize(30)
    assert b.try_acquire() is None
    assert other.try_acquire() is not None
    with pytest.raises(RateLimitTimeout, match="retry_after"):
        b.acquire(timeout=10)
    clock.advance(30)
    assert b.try_acquire() is not None


def test_apply_headers_pushes_back() -> None:
    limiter, clock = make(requests_per_minute=1000)
    assert limiter.apply_headers({"x-ratelimit-remaining-requests": "3"}, status_code=200) is None
    assert limiter.try_acquire() is not None
    headers = {"x-ratelimit-remaining-tokens": "0", "x-ratelimit-reset-tokens": "6m0s"}
    assert limiter.apply_headers(headers, status_code=200) == 360
    assert limiter.try_acquire() is None
    clock.advance(360)
    assert limiter.try_acquire() is not None
    clock.set(dt.datetime(2033, 10, 21, 7, 27, 0, tzinfo=dt.UTC).timestamp())
    assert limiter.apply_headers({"Retry-After": "Fri, 21 Oct 2033 07:28:00 GMT"}) == 60
    assert limiter.try_acquire() is None


def test_slot_releases_on_success_error_and_timeout() -> None:
    limiter, _ = make(concurrent_requests=1)
    with limiter.slot() as r:
        assert r.holds_slot
        assert limiter.try_acquire() is None
    assert not r.holds_slot
    with pytest.raises(KeyError), limiter.slot():
        raise KeyError("boom")
    holder = limiter.try_acquire()
    assert holder is not None
    with pytest.raises(RateLimitTimeout), limiter.slot(timeout=0.2):
        pass
    holder.release()
    holder.release()  # idempotent
    with limiter.slot(timeout=0):
        pass


def test_leaked_lease_expires_and_renew_extends() -> None:
    clock = ManualClock(START)
    limiter = RateLimiter(RateLimits(concurrent_requests=1), clock=clock, lease_ttl=10)
    r = limiter.try_acquire()
    assert r is not None
    clock.advance(9)
    assert r.renew()
    clock.advance(9)
    assert limiter.try_acquire() is None
    clock.advance(1)
    assert not r.renew()
    again = limiter.try_acquire()
    assert again is not None


def test_blocking_acquire_waits_for_a_slot_until_lease_expiry() -> None:
    clock = ManualClock(START)
    limiter = RateLimiter(
        RateLimits(concurrent_requests=1), clock=clock, lease_ttl=2, poll_interval=0.5
    )
    assert limiter.try_acquire() is not None  # never released
    limiter.acquire()
    assert clock.now() - START == pytest.approx(2.0)


def test_async_twins() -> None:
    async def main() -> None:
        limiter, clock = make(requests_per_minute=60, tokens_per_minute=600, burst_seconds=1)
        r = await limiter.atry_acquire(tokens=10)
        assert r is not None
        assert await limiter.atry_acquire(tokens=10) is None
        r2 = await limiter.aacquire(tokens=10)
        assert clock.now() - START == pytest.approx(1.0, abs=1e-3)
        await r2.areconcile(0)
        with pytest.raises(RateLimitTimeout):
            await limiter.aacquire(tokens=10, timeout=0.1)
        await limiter.apenalize(5)
        assert await limiter.aapply_headers({"retry-after": "7"}) == 7
        async with limiter.aslot(tokens=1) as r3:
            assert r3.tokens == 1
        async with limiter:
            pass

    asyncio.run(main())


def test_cancellation_inside_async_with_releases_the_slot() -> None:
    async def main() -> None:
        limiter = RateLimiter(RateLimits(concurrent_requests=1), clock=ManualClock(START))
        entered = asyncio.Event()

        async def worker() -> None:
            async with limiter.aslot():
                entered.set()
                await asyncio.Event().wait()

        task = asyncio.create_task(worker())
        await entered.wait()
        assert await limiter.atry_acquire() is None
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        r = await limiter.atry_acquire()
        assert r is not None
        await r.arelease()

    asyncio.run(main())


def test_cancellation_while_waiting_holds_nothing() -> None:
    async def main() -> None:
        limiter = RateLimiter(RateLimits(concurrent_requests=1), poll_interval=0.001)
        holder = await limiter.aacquire()
        waiter = asyncio.create_task(limiter.aacquire(timeout=30))
        await asyncio.sleep(0.01)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        await holder.arelease()
        r = await limiter.atry_acquire()
        assert r is not None
        assert await limiter.atry_acquire() is None

    asyncio.run(main())


def test_threads_hammering_never_exceed_the_budget() -> None:
    clock = ManualClock(START)  # frozen: exactly the burst may pass
    limiter = RateLimiter(
        RateLimits(requests_per_minute=1000, tokens_per_minute=30_000, requests_per_day=900),
        clock=clock,
    )
    granted = [0] * 8
    barrier = threading.Barrier(8)

    def hammer(i: int) -> None:
        barrier.wait()
        for _ in range(400):
            if limiter.try_acquire(tokens=25) is not None:
                granted[i] += 1

    threads = [threading.Thread(target=hammer, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(granted) == 900  # RPD (900) binds before RPM (1000) and TPM (1200)


def test_threads_hammering_concurrency_slots() -> None:
    limiter = RateLimiter(
        RateLimits(concurrent_requests=3), clock=SystemClock(), poll_interval=0.0005
    )
    lock = threading.Lock()
    active = 0
    peak = 0
    done = 0

    def work() -> None:
        nonlocal active, peak, done
        for _ in range(40):
            with limiter.slot(timeout=30):
                with lock:
                    active += 1
                    peak = max(peak, active)
                with lock:
                    active -= 1
                    done += 1

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert done == 240
    assert 1 <= peak <= 3
