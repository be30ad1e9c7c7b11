"""The Redis backend: budgets shared by every process using the same Redis and key.

Every operation is ONE Lua script run with ``EVALSHA`` (falling back to ``EVAL`` on
``NOSCRIPT``, e.g. after a Redis restart), so all the limits of one acquire are checked
and committed atomically. Time comes from the Redis server (``TIME`` inside the script),
so clients with skewed clocks still share one timeline. Keys expire by themselves
(``PEXPIRE``); concurrency slots are leases in a sorted set scored by expiry, so a crashed
process holds a slot for at most the lease TTL.

The ``redis`` package is imported only when a backend first talks to Redis; install it with
``pip install 'llmaestro[redis]'``.

When Redis cannot be reached, ``on_unavailable`` decides (default ``"fail_closed"``):

* ``"fail_closed"``: acquire raises :class:`~llmaestro.errors.RateLimiterUnavailable`;
* ``"fail_open"``: acquire grants a *degraded* reservation that limits nothing;
* ``"fallback_memory"``: this process enforces the same limits in memory until Redis is
  back (each process then has the whole budget to itself).

After a failure the backend does not retry Redis for ``recheck_interval`` seconds.

No call waits for Redis longer than ``socket_timeout`` in all (connecting, the handshake,
sending, reading and the one reconnect after a restart together; a timeout is never
retried, since a hung Redis would only hang again), and an acquire given a ``timeout``
waits at most what is left of it (at least 0.1 s). When only that shorter timeout runs
out, Redis is not judged down: the policy applies to that call alone, and under
``"fail_closed"`` it raises :class:`~llmaestro.errors.RateLimitTimeout`. With your own
``client=``, that client's timeouts and retries apply instead.

A reconcile or a pushback Redis does not take raises
:class:`~llmaestro.errors.RateLimiterUnavailable` from the backend under every policy;
the limiter never lets it reach a request that already happened (it records it on the
reservation and warns with :class:`~llmaestro.limits.RateLimiterWarning`). An acquire
that timed out against a hung Redis may still be applied when Redis resumes: its charge
stays (whether it landed is unknown), and its concurrency lease is released after the
next acquire Redis answers (releasing a lease never taken changes nothing), instead of
holding a slot for the whole lease TTL.

Synchronous calls on a backend's own client hold one connection per thread out of
redis-py's pool (redis-py connects it and runs the handshake) and send each pre-encoded
command on its socket themselves: one ``sendall`` and one ``recv`` per acquire.

Layout: the connection, the script runs and that policy are in
:mod:`llmaestro.limits._redis_conn`; one round trip on a held connection in
:mod:`llmaestro.limits._redis_io`; the script's arguments and answers (pure encoding and
parsing) in :mod:`llmaestro.limits._redis_wire`; this module holds the operations, sync
and async.
"""

from __future__ import annotations

import asyncio
import collections
import functools
from typing import Any, NamedTuple

from llmaestro.limits._redis_conn import OnUnavailable, RedisConnection, Unreachable, logger, where
from llmaestro.limits._redis_wire import (
    acquire_args,
    acquire_sources,
    acquire_tail,
    adjust_args,
    bulk,
    bulk_int,
    decode,
    pack_acquire,
)
from llmaestro.limits.backend import Decision
from llmaestro.limits.gcra import Costs, Plan
from llmaestro.limits.memory import MemoryBackend

__all__ = ["OnUnavailable", "RedisBackend"]


_NO_LEASE = bulk(b"")


class _Static(NamedTuple):
    """An acquire's constant part for one key and plan (see ``_acquire_static``)."""

    key: str
    plan: Plan
    args: list[Any]  # its arguments after the keys, for a caller's client
    packed: bytes  # RESP: array header, EVALSHA, sha, keys, args
    sources: tuple[int, ...]  # which cost each rule charges (acquire_sources)


def _swallow(task: asyncio.Task[Any]) -> None:
    if not task.cancelled():
        task.exception()


class RedisBackend(RedisConnection):
    """Budgets in Redis, shared by every process and host using the same keys.

    Args:
        url: ``redis://[user:password@]host:port/db`` (also ``rediss://``, ``unix://``).
        client: an existing ``redis.Redis`` to use instead of ``url`` (not closed by us;
            its own timeouts and retries bound the synchronous calls).
        async_client: an existing ``redis.asyncio.Redis`` for the async methods (not closed
            by us); otherwise one is created per event loop from ``url``.
        prefix: prepended to every key: ``{prefix}:{<key>}`` and ``{prefix}:{<key>}:slots``.
        on_unavailable: ``"fail_closed"`` (default), ``"fail_open"`` or ``"fallback_memory"``.
        socket_timeout: the longest one call waits for Redis, seconds, in all (connect,
            handshake, reads and the one reconnect together); after it Redis counts as
            unreachable and ``on_unavailable`` applies.
        recheck_interval: after a failure, seconds before Redis is tried again.
        time_offset: seconds added to the Redis server's time (tests, simulations).
        fallback: the in-memory backend used by ``"fallback_memory"`` (one is created).
        client_kwargs: extra keyword arguments for ``redis.Redis.from_url``.

    Call :meth:`close` (sync) or ``await`` :meth:`aclose` (in each event loop that used
    the async methods) when done, or let the limiter do it (``with``/``async with``).
    """

    def __init__(
        self,
        url: str = "redis://127.0.0.1:6379/0",
        *,
        client: Any = None,
        async_client: Any = None,
        prefix: str = "llmaestro:ratelimit",
        on_unavailable: OnUnavailable = "fail_closed",
        socket_timeout: float = 1.0,
        recheck_interval: float = 0.5,
        time_offset: float = 0.0,
        fallback: MemoryBackend | None = None,
        **client_kwargs: Any,
    ) -> None:
        super().__init__(
            url,
            client=client,
            async_client=async_client,
            prefix=prefix,
            on_unavailable=on_unavailable,
            socket_timeout=socket_timeout,
            recheck_interval=recheck_interval,
            fallback=fallback,
            client_kwargs=client_kwargs,
        )
        self.time_offset = time_offset
        self._static: dict[tuple[str, int], _Static] = {}
        self._last: _Static | None = None  # the last acquire's (most calls repeat it)
        self._offset_for = time_offset
        self._offset_bulk = bulk(self._off().encode())
        self._background: set[asyncio.Task[Any]] = set()
        self._orphans: collections.deque[tuple[str, str]] = collections.deque(maxlen=10_000)

    def __repr__(self) -> str:
        return (
            f"RedisBackend({where(self.url)!r}, prefix={self.prefix!r}, "
            f"on_unavailable={self.on_unavailable!r})"
        )

    # --- argument encoding ---------------------------------------------------------------

    def _off(self) -> str:
        return repr(self.time_offset * 1000.0)

    def _acquire_static(self, key: str, plan: Plan) -> _Static:
        """The constant part of an acquire: as arguments, and pre-encoded (RESP) with the
        EVALSHA header and keys, so each call only encodes its few per-call values."""
        cached = self._static.get((key, id(plan)))
        if cached is None or cached.plan is not plan:
            args = acquire_args(plan)
            packed = pack_acquire(self.keys_for(key), args, plan)
            if len(self._static) > 4096:
                self._static.clear()
            cached = _Static(key, plan, args, packed, acquire_sources(plan))
            self._static[(key, id(plan))] = cached
        self._last = cached
        return cached

    def _acquire_command(self, static: _Static, costs: Costs, lease_id: str | None) -> bytes:
        """The whole ``EVALSHA`` of an acquire: the static head, then the time offset, the
        cost of each rule and the lease id."""
        if self.time_offset != self._offset_for:
            self._offset_for = self.time_offset
            self._offset_bulk = bulk(self._off().encode())
        parts = [static.packed, self._offset_bulk]
        parts += [bulk_int(costs[i]) for i in static.sources]
        parts.append(_NO_LEASE if lease_id is None else bulk(lease_id.encode()))
        return b"".join(parts)

    # --- background work -----------------------------------------------------------------

    def _track(self, task: asyncio.Task[Any]) -> None:
        """Keep a background task alive until done; :meth:`aclose` waits for them."""
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        task.add_done_callback(_swallow)

    def _orphan(self, u: Unreachable, key: str, lease_id: str | None) -> None:
        """Remember the lease of an acquire that may have reached Redis without its answer
        reaching us (a hung Redis runs it when it resumes): it is released once Redis
        answers again, instead of holding a concurrency slot for the whole lease TTL.
        Releasing a lease that was never taken changes nothing."""
        if lease_id is not None and u.cause is not None:
            self._orphans.append((key, lease_id))

    def _next_orphan(self) -> tuple[str, str] | None:
        try:
            return self._orphans.popleft()
        except IndexError:  # empty (another thread may have taken the last one)
            return None

    def _release_orphans(self) -> None:
        while (orphan := self._next_orphan()) is not None:
            try:
                self._run(orphan[0], ["release", self._off(), orphan[1]])
            except Unreachable:
                return self._orphans.appendleft(orphan)

    async def _arelease_orphans(self) -> None:
        while (orphan := self._next_orphan()) is not None:
            try:
                await self._arun(orphan[0], ["release", self._off(), orphan[1]])
            except Unreachable:
                return self._orphans.appendleft(orphan)

    def _undo_if_granted(
        self, key: str, plan: Plan, costs: Costs, lease_id: str | None, task: asyncio.Task[Any]
    ) -> None:
        if task.cancelled():
            return
        error = task.exception()
        if isinstance(error, Unreachable):
            self._orphan(error, key, lease_id)
        if error is not None:
            return
        decision = decode(task.result(), plan)
        if decision.granted:
            refund: Costs = (-costs[0], -costs[1], -costs[2], -costs[3])
            self._track(
                asyncio.ensure_future(self._aundo(key, plan, refund, decision.days, lease_id))
            )

    async def _aundo(
        self, key: str, plan: Plan, refund: Costs, days: tuple[int, ...], lease_id: str | None
    ) -> None:
        try:
            if lease_id is not None:
                await self._arun(key, ["release", self._off(), lease_id])
            await self._arun(key, adjust_args(plan, self._off(), refund, days))
        except Unreachable:
            logger.debug("rate limiter: could not undo a cancelled acquire; lease will expire")

    # --- Backend protocol ----------------------------------------------------------------

    def acquire(
        self, key: str, plan: Plan, costs: Costs, lease_id: str | None, timeout: float | None = None
    ) -> Decision:
        """Check and commit every rule of ``plan`` in one Lua script, waiting for Redis at
        most ``socket_timeout`` or ``timeout`` (the caller's time left), whichever is less."""
        static = self._last
        if static is None or static.plan is not plan or static.key != key:
            static = self._acquire_static(key, plan)
        try:
            if self._owns_client:
                raw = self._run_packed(self._acquire_command(static, costs, lease_id), timeout)
            else:
                tail = acquire_tail(plan, self._off(), costs, lease_id)
                raw = self._run(key, static.args + tail, timeout)
        except Unreachable as u:
            self._orphan(u, key, lease_id)
            return self._degraded_acquire(u, key, plan, costs, lease_id)
        if self._orphans:
            self._release_orphans()
        return decode(raw, plan)

    async def aacquire(
        self, key: str, plan: Plan, costs: Costs, lease_id: str | None, timeout: float | None = None
    ) -> Decision:
        """Async :meth:`acquire`; a grant whose caller was cancelled meanwhile is undone."""
        static = self._acquire_static(key, plan)
        args = static.args + acquire_tail(plan, self._off(), costs, lease_id)
        task = asyncio.ensure_future(self._arun(key, args, timeout))
        try:
            raw = await asyncio.shield(task)
        except Unreachable as u:
            self._orphan(u, key, lease_id)
            return self._degraded_acquire(u, key, plan, costs, lease_id)
        except asyncio.CancelledError:
            # The script may still run (or have run): undo its grant once it answers.
            task.add_done_callback(
                functools.partial(self._undo_if_granted, key, plan, costs, lease_id)
            )
            self._track(task)
            raise
        if self._orphans:
            self._track(asyncio.ensure_future(self._arelease_orphans()))
        return decode(raw, plan)

    def adjust(self, key: str, plan: Plan, deltas: Costs, days: tuple[int, ...]) -> None:
        """Refund or charge the difference between an estimate and the actual cost.

        Raises :class:`~llmaestro.errors.RateLimiterUnavailable` when Redis does not take
        it, under every policy (the reservation records and warns; it never raises)."""
        try:
            self._run(key, adjust_args(plan, self._off(), deltas, days))
        except Unreachable as u:
            raise self._not_written(u, "reconcile") from u.cause

    async def aadjust(self, key: str, plan: Plan, deltas: Costs, days: tuple[int, ...]) -> None:
        """Async :meth:`adjust`."""
        try:
            await self._arun(key, adjust_args(plan, self._off(), deltas, days))
        except Unreachable as u:
            raise self._not_written(u, "reconcile") from u.cause

    def release(self, key: str, lease_id: str) -> None:
        """Free a concurrency lease; if Redis is down, it expires by itself."""
        try:
            self._run(key, ["release", self._off(), lease_id])
        except Unreachable:
            logger.debug("rate limiter: Redis unavailable, lease left to expire")

    async def arelease(self, key: str, lease_id: str) -> None:
        """Async :meth:`release` (completes even if the caller is cancelled meanwhile)."""
        task = asyncio.ensure_future(self._arun(key, ["release", self._off(), lease_id]))
        try:
            await asyncio.shield(task)
        except Unreachable:
            logger.debug("rate limiter: Redis unavailable, lease left to expire")
        except asyncio.CancelledError:
            self._track(task)
            raise

    def renew(self, key: str, lease_id: str, ttl: float) -> bool:
        """Extend a live lease to ``ttl`` seconds from now."""
        try:
            raw = self._run(key, ["renew", self._off(), lease_id, repr(ttl * 1000.0)])
        except Unreachable:
            return False
        return int(raw) == 1

    async def arenew(self, key: str, lease_id: str, ttl: float) -> bool:
        """Async :meth:`renew`."""
        try:
            raw = await self._arun(key, ["renew", self._off(), lease_id, repr(ttl * 1000.0)])
        except Unreachable:
            return False
        return int(raw) == 1

    def penalize(self, key: str, seconds: float) -> None:
        """Block every acquire on ``key``, in every process, for ``seconds``.

        When Redis does not take it: ``fallback_memory`` blocks this process; otherwise
        raises :class:`~llmaestro.errors.RateLimiterUnavailable` (the limiter warns)."""
        if not seconds > 0:
            return
        try:
            self._run(key, ["penalize", self._off(), repr(seconds * 1000.0)])
        except Unreachable as u:
            self._degraded_penalty(u, key, seconds)

    async def apenalize(self, key: str, seconds: float) -> None:
        """Async :meth:`penalize`."""
        if not seconds > 0:
            return
        try:
            await self._arun(key, ["penalize", self._off(), repr(seconds * 1000.0)])
        except Unreachable as u:
            self._degraded_penalty(u, key, seconds)

    def server_time(self) -> float:
        """The Redis server's time plus ``time_offset``, Unix seconds (raises if unreachable)."""
        try:
            raw = self._run("_", ["now", self._off()])
        except Unreachable as u:
            raise self._unavailable_error(u) from u.cause
        return float(raw) / 1000.0

    async def aclose(self) -> None:
        """Wait for pending clean-ups, then close this event loop's async client (if
        created here) and the sync pool."""
        loop = asyncio.get_running_loop()
        while pending := [t for t in self._background if t.get_loop() is loop]:
            await asyncio.gather(*pending, return_exceptions=True)
        await self._aclose_clients()
