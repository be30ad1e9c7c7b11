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
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
import time
import weakref
from dataclasses import replace
from typing import Any, Literal
from urllib.parse import urlsplit

from llmaestro._optional import import_module
from llmaestro.errors import RateLimiterUnavailable
from llmaestro.limits._lua import SCRIPT, SCRIPT_SHA
from llmaestro.limits.backend import Decision
from llmaestro.limits.gcra import Costs, Plan
from llmaestro.limits.memory import MemoryBackend

__all__ = ["OnUnavailable", "RedisBackend"]

logger = logging.getLogger("llmaestro.rate_limiter")

OnUnavailable = Literal["fail_closed", "fail_open", "fallback_memory"]
_POLICIES = ("fail_closed", "fail_open", "fallback_memory")
_FEATURE = "RedisBackend (the distributed rate limiter)"


class _Unreachable(Exception):
    """Internal: Redis could not be reached (or was not retried yet)."""

    def __init__(self, cause: BaseException | None) -> None:
        super().__init__(str(cause) if cause else "recently unreachable")
        self.cause = cause


class _NullBackend:
    """Follow-ups of fail-open grants: nothing to do."""

    def acquire(self, key: str, plan: Plan, costs: Costs, lease_id: str | None) -> Decision:
        return Decision(True, degraded=True)

    async def aacquire(self, key: str, plan: Plan, costs: Costs, lease_id: str | None) -> Decision:
        return Decision(True, degraded=True)

    def adjust(self, key: str, plan: Plan, deltas: Costs, days: tuple[int, ...]) -> None:
        return None

    async def aadjust(self, key: str, plan: Plan, deltas: Costs, days: tuple[int, ...]) -> None:
        return None

    def release(self, key: str, lease_id: str) -> None:
        return None

    async def arelease(self, key: str, lease_id: str) -> None:
        return None

    def renew(self, key: str, lease_id: str, ttl: float) -> bool:
        return True

    async def arenew(self, key: str, lease_id: str, ttl: float) -> bool:
        return True

    def penalize(self, key: str, seconds: float) -> None:
        return None

    async def apenalize(self, key: str, seconds: float) -> None:
        return None

    def close(self) -> None:
        return None

    async def aclose(self) -> None:
        return None


_NULL = _NullBackend()


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes | bytearray) else str(value)


def _where(url: str) -> str:
    """``host:port/db`` of a Redis URL, without credentials."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "localhost"
        port = parts.port or 6379
        path = parts.path or "/0"
    except ValueError:
        return "<unparsable url>"
    if parts.scheme == "unix":
        return f"unix:{path}"
    return f"{host}:{port}{path}"


def _bulk(value: bytes) -> bytes:
    return b"$%d\r\n%b\r\n" % (len(value), value)


_GRANTED = Decision(True)


def _swallow(task: asyncio.Task[Any]) -> None:
    if not task.cancelled():
        task.exception()


class RedisBackend:
    """Budgets in Redis, shared by every process and host using the same keys.

    Args:
        url: ``redis://[user:password@]host:port/db`` (also ``rediss://``, ``unix://``).
        client: an existing ``redis.Redis`` to use instead of ``url`` (not closed by us).
        async_client: an existing ``redis.asyncio.Redis`` for the async methods (not closed
            by us); otherwise one is created per event loop from ``url``.
        prefix: prepended to every key: ``{prefix}:{<key>}`` and ``{prefix}:{<key>}:slots``.
        on_unavailable: ``"fail_closed"`` (default), ``"fail_open"`` or ``"fallback_memory"``.
        socket_timeout: connect and read timeout, seconds.
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
        if on_unavailable not in _POLICIES:
            raise ValueError(f"on_unavailable must be one of {_POLICIES}, not {on_unavailable!r}")
        self.url = url
        self.prefix = prefix
        self.on_unavailable: OnUnavailable = on_unavailable
        self.socket_timeout = socket_timeout
        self.recheck_interval = recheck_interval
        self.time_offset = time_offset
        self.fallback = fallback if fallback is not None else MemoryBackend()
        self._client_kwargs = client_kwargs
        self._client: Any = client
        self._owns_client = client is None
        self._user_async_client: Any = async_client
        self._aclients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()
        self._keys: dict[str, tuple[str, str]] = {}
        self._static: dict[tuple[str, int], tuple[Plan, list[Any], bytes]] = {}
        self._get_connection_needs_name: bool | None = None
        self._down_until = 0.0
        self._down = False
        self._last_error: BaseException | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self._errors: tuple[type[BaseException], ...] | None = None
        self._noscript: type[BaseException] | None = None

    def __repr__(self) -> str:
        return (
            f"RedisBackend({_where(self.url)!r}, prefix={self.prefix!r}, "
            f"on_unavailable={self.on_unavailable!r})"
        )

    # --- redis plumbing ------------------------------------------------------------------

    def _redis_errors(self) -> tuple[tuple[type[BaseException], ...], type[BaseException]]:
        if self._errors is None or self._noscript is None:
            exceptions = import_module("redis.exceptions", _FEATURE)
            self._errors = (exceptions.ConnectionError, exceptions.TimeoutError, OSError)
            self._noscript = exceptions.NoScriptError
        return self._errors, self._noscript

    def _common_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "socket_timeout": self.socket_timeout,
            "socket_connect_timeout": self.socket_timeout,
        }
        kwargs.update(self._client_kwargs)
        return kwargs

    def _sync_client(self) -> Any:
        client = self._client
        if client is None:
            with self._lock:
                if self._client is None:
                    self._redis_errors()
                    import redis
                    from redis.backoff import NoBackoff
                    from redis.retry import Retry

                    kwargs = self._common_kwargs()
                    # one immediate retry: reconnects a pooled connection after a restart
                    kwargs.setdefault("retry", Retry(NoBackoff(), 1))
                    self._client = redis.Redis.from_url(self.url, **kwargs)
                client = self._client
        return client

    def _async_client(self) -> Any:
        if self._user_async_client is not None:
            return self._user_async_client
        loop = asyncio.get_running_loop()
        client = self._aclients.get(loop)
        if client is None:
            self._redis_errors()
            import redis.asyncio
            from redis.asyncio.retry import Retry
            from redis.backoff import NoBackoff

            kwargs = self._common_kwargs()
            kwargs.setdefault("retry", Retry(NoBackoff(), 1))
            client = redis.asyncio.Redis.from_url(self.url, **kwargs)
            self._aclients[loop] = client
        return client

    def keys_for(self, key: str) -> tuple[str, str]:
        """The Redis keys of a budget: ``(state hash, lease sorted set)``."""
        keys = self._keys.get(key)
        if keys is None:
            base = f"{self.prefix}:{{{key}}}"
            keys = self._keys[key] = (base, base + ":slots")
        return keys

    def _mark_down(self, exc: BaseException) -> None:
        self._down_until = time.monotonic() + self.recheck_interval
        self._last_error = exc
        if not self._down:
            self._down = True
            logger.warning(
                "rate limiter: Redis at %s is unreachable (%s: %s); policy %s",
                _where(self.url),
                type(exc).__name__,
                exc,
                self.on_unavailable,
            )

    def _mark_up(self) -> None:
        if self._down:
            self._down = False
            logger.warning("rate limiter: Redis at %s is reachable again", _where(self.url))

    def _unavailable_error(self, u: _Unreachable) -> RateLimiterUnavailable:
        cause = u.cause if u.cause is not None else self._last_error
        detail = f"{type(cause).__name__}: {cause}" if cause is not None else "unreachable"
        return RateLimiterUnavailable(
            f"rate limiter backend Redis at {_where(self.url)} is unavailable ({detail}); "
            "on_unavailable='fail_closed' refuses requests while it is down (use "
            "'fail_open' or 'fallback_memory' to keep going without it)"
        )

    def _run(self, key: str, args: list[Any]) -> Any:
        errors, noscript = self._redis_errors()
        if self._down and time.monotonic() < self._down_until:
            raise _Unreachable(None)
        k1, k2 = self.keys_for(key)
        try:
            client = self._sync_client()
            try:
                raw = client.execute_command("EVALSHA", SCRIPT_SHA, 2, k1, k2, *args)
            except noscript:
                raw = client.execute_command("EVAL", SCRIPT, 2, k1, k2, *args)
        except errors as exc:
            self._mark_down(exc)
            raise _Unreachable(exc) from exc
        self._mark_up()
        return raw

    def _run_packed(self, key: str, static: list[Any], packed: bytes, tail: list[str]) -> Any:
        """:meth:`_run` for an acquire, sending the pre-encoded command on a pooled
        connection (redis-py's per-argument encoding costs more than the Lua script)."""
        pool = getattr(self._sync_client(), "connection_pool", None) if self._owns_client else None
        if pool is None:
            return self._run(key, static + tail)
        errors, noscript = self._redis_errors()
        if self._down and time.monotonic() < self._down_until:
            raise _Unreachable(None)
        command = packed + b"".join([_bulk(t.encode()) for t in tail])
        try:
            for attempt in (0, 1):  # one retry: a pooled connection may predate a restart
                conn = self._get_connection(pool)
                try:
                    conn.send_packed_command([command])
                    raw = conn.read_response()
                    break
                except noscript:
                    pool.release(conn)
                    conn = None
                    k1, k2 = self.keys_for(key)
                    raw = self._sync_client().execute_command(
                        "EVAL", SCRIPT, 2, k1, k2, *static, *tail
                    )
                    break
                except errors:
                    conn.disconnect()
                    if attempt:
                        raise
                finally:
                    if conn is not None:
                        pool.release(conn)
        except errors as exc:
            self._mark_down(exc)
            raise _Unreachable(exc) from exc
        self._mark_up()
        return raw

    def _get_connection(self, pool: Any) -> Any:
        # redis-py < 5.3 requires a command name; later versions deprecate passing one
        if self._get_connection_needs_name is None:
            try:
                conn = pool.get_connection()
            except TypeError:
                self._get_connection_needs_name = True
            else:
                self._get_connection_needs_name = False
                return conn
        if self._get_connection_needs_name:
            return pool.get_connection("EVALSHA")
        return pool.get_connection()

    async def _arun(self, key: str, args: list[Any]) -> Any:
        errors, noscript = self._redis_errors()
        if self._down and time.monotonic() < self._down_until:
            raise _Unreachable(None)
        k1, k2 = self.keys_for(key)
        try:
            client = self._async_client()
            try:
                raw = await client.execute_command("EVALSHA", SCRIPT_SHA, 2, k1, k2, *args)
            except noscript:
                raw = await client.execute_command("EVAL", SCRIPT, 2, k1, k2, *args)
        except errors as exc:
            self._mark_down(exc)
            raise _Unreachable(exc) from exc
        self._mark_up()
        return raw

    # --- argument encoding ---------------------------------------------------------------

    def _off(self) -> str:
        return repr(self.time_offset * 1000.0)

    def _acquire_static(self, key: str, plan: Plan) -> tuple[list[Any], bytes]:
        """The constant part of an acquire: as arguments, and pre-encoded (RESP) with the
        EVALSHA header and keys, so each call only encodes its few per-call values."""
        cached = self._static.get((key, id(plan)))
        if cached is not None and cached[0] is plan:
            return cached[1], cached[2]
        args: list[Any] = ["acquire", len(plan.gcra)]
        for g in plan.gcra:
            args += (g.field, repr(g.interval * 1000.0), repr(g.tau * 1000.0))
        args.append(len(plan.daily))
        for d in plan.daily:
            args += (d.field, d.limit, repr(d.reset_offset * 1000.0))
        args += (plan.concurrency or 0, repr(plan.lease_ttl * 1000.0))
        k1, k2 = self.keys_for(key)
        total = 5 + len(args) + 1 + len(plan.gcra) + len(plan.daily) + 1
        head = [b"EVALSHA", SCRIPT_SHA.encode(), b"2", k1.encode(), k2.encode()]
        head += [str(a).encode() for a in args]
        packed = b"*%d\r\n" % total + b"".join(_bulk(h) for h in head)
        if len(self._static) > 4096:
            self._static.clear()
        self._static[(key, id(plan))] = (plan, args, packed)
        return args, packed

    @staticmethod
    def _acquire_tail(plan: Plan, offset: str, costs: Costs, lease_id: str | None) -> list[str]:
        tail = [offset]
        tail += [str(costs[g.source]) for g in plan.gcra]
        tail += [str(costs[d.source]) for d in plan.daily]
        tail.append(lease_id or "")
        return tail

    def _adjust_args(self, plan: Plan, deltas: Costs, days: tuple[int, ...]) -> list[Any]:
        args: list[Any] = ["adjust", self._off()]
        rules = [g for g in plan.gcra if deltas[g.source] != 0]
        args.append(len(rules))
        for g in rules:
            args += (g.field, repr(deltas[g.source] * g.interval * 1000.0))
        dailies = [(i, d) for i, d in enumerate(plan.daily) if deltas[d.source] != 0]
        args.append(len(dailies))
        for i, d in dailies:
            day = days[i] if i < len(days) else -1
            args += (d.field, deltas[d.source], day, repr(d.reset_offset * 1000.0))
        return args

    @staticmethod
    def _decode(raw: Any, plan: Plan) -> Decision:
        if raw.__class__ is int:
            return _GRANTED
        if int(raw[0]) == 1:
            return Decision(True, days=tuple(int(x) for x in raw[1:]))
        reason = _text(raw[2])
        names = {g.field: g.name for g in plan.gcra} | {d.field: d.name for d in plan.daily}
        reason = names.get(reason, reason)
        return Decision(False, max(0.0, float(raw[1]) / 1000.0), reason, int(raw[3]) == 1)

    # --- policy when Redis is down -------------------------------------------------------

    def _degraded_acquire(
        self, u: _Unreachable, key: str, plan: Plan, costs: Costs, lease_id: str | None
    ) -> Decision:
        if self.on_unavailable == "fail_closed":
            raise self._unavailable_error(u) from u.cause
        if self.on_unavailable == "fail_open":
            return Decision(True, via=_NULL, degraded=True)
        decision = self.fallback.acquire(key, plan, costs, lease_id)
        return replace(decision, via=self.fallback, degraded=True)

    def _degraded_write(self, u: _Unreachable, what: str) -> None:
        if self.on_unavailable == "fail_closed":
            raise self._unavailable_error(u) from u.cause
        logger.debug("rate limiter: Redis unavailable, %s dropped", what)

    # --- background work -----------------------------------------------------------------

    def _track(self, task: asyncio.Task[Any]) -> None:
        """Keep a background task alive until done; :meth:`aclose` waits for them."""
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        task.add_done_callback(_swallow)

    def _undo_if_granted(
        self, key: str, plan: Plan, costs: Costs, lease_id: str | None, task: asyncio.Task[Any]
    ) -> None:
        if task.cancelled() or task.exception() is not None:
            return
        decision = self._decode(task.result(), plan)
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
            await self._arun(key, self._adjust_args(plan, refund, days))
        except _Unreachable:
            logger.debug("rate limiter: could not undo a cancelled acquire; lease will expire")

    # --- Backend protocol ----------------------------------------------------------------

    def acquire(self, key: str, plan: Plan, costs: Costs, lease_id: str | None) -> Decision:
        """Check and commit every rule of ``plan`` in one Lua script."""
        static, packed = self._acquire_static(key, plan)
        try:
            raw = self._run_packed(
                key, static, packed, self._acquire_tail(plan, self._off(), costs, lease_id)
            )
        except _Unreachable as u:
            return self._degraded_acquire(u, key, plan, costs, lease_id)
        return self._decode(raw, plan)

    async def aacquire(self, key: str, plan: Plan, costs: Costs, lease_id: str | None) -> Decision:
        """Async :meth:`acquire`; a grant whose caller was cancelled meanwhile is undone."""
        static, _ = self._acquire_static(key, plan)
        args = static + self._acquire_tail(plan, self._off(), costs, lease_id)
        task = asyncio.ensure_future(self._arun(key, args))
        try:
            raw = await asyncio.shield(task)
        except _Unreachable as u:
            return self._degraded_acquire(u, key, plan, costs, lease_id)
        except asyncio.CancelledError:
            # The script may still run (or have run): undo its grant once it answers.
            task.add_done_callback(
                functools.partial(self._undo_if_granted, key, plan, costs, lease_id)
            )
            self._track(task)
            raise
        return self._decode(raw, plan)

    def adjust(self, key: str, plan: Plan, deltas: Costs, days: tuple[int, ...]) -> None:
        """Refund or charge the difference between an estimate and the actual cost."""
        try:
            self._run(key, self._adjust_args(plan, deltas, days))
        except _Unreachable as u:
            self._degraded_write(u, "reconcile")

    async def aadjust(self, key: str, plan: Plan, deltas: Costs, days: tuple[int, ...]) -> None:
        """Async :meth:`adjust`."""
        try:
            await self._arun(key, self._adjust_args(plan, deltas, days))
        except _Unreachable as u:
            self._degraded_write(u, "reconcile")

    def release(self, key: str, lease_id: str) -> None:
        """Free a concurrency lease; if Redis is down, it expires by itself."""
        try:
            self._run(key, ["release", self._off(), lease_id])
        except _Unreachable:
            logger.debug("rate limiter: Redis unavailable, lease left to expire")

    async def arelease(self, key: str, lease_id: str) -> None:
        """Async :meth:`release` (completes even if the caller is cancelled meanwhile)."""
        task = asyncio.ensure_future(self._arun(key, ["release", self._off(), lease_id]))
        try:
            await asyncio.shield(task)
        except _Unreachable:
            logger.debug("rate limiter: Redis unavailable, lease left to expire")
        except asyncio.CancelledError:
            self._track(task)
            raise

    def renew(self, key: str, lease_id: str, ttl: float) -> bool:
        """Extend a live lease to ``ttl`` seconds from now."""
        try:
            raw = self._run(key, ["renew", self._off(), lease_id, repr(ttl * 1000.0)])
        except _Unreachable:
            return False
        return int(raw) == 1

    async def arenew(self, key: str, lease_id: str, ttl: float) -> bool:
        """Async :meth:`renew`."""
        try:
            raw = await self._arun(key, ["renew", self._off(), lease_id, repr(ttl * 1000.0)])
        except _Unreachable:
            return False
        return int(raw) == 1

    def penalize(self, key: str, seconds: float) -> None:
        """Block every acquire on ``key``, in every process, for ``seconds``."""
        if not seconds > 0:
            return
        try:
            self._run(key, ["penalize", self._off(), repr(seconds * 1000.0)])
        except _Unreachable as u:
            if self.on_unavailable == "fallback_memory":
                self.fallback.penalize(key, seconds)
            else:
                self._degraded_write(u, "penalty")

    async def apenalize(self, key: str, seconds: float) -> None:
        """Async :meth:`penalize`."""
        if not seconds > 0:
            return
        try:
            await self._arun(key, ["penalize", self._off(), repr(seconds * 1000.0)])
        except _Unreachable as u:
            if self.on_unavailable == "fallback_memory":
                self.fallback.penalize(key, seconds)
            else:
                self._degraded_write(u, "penalty")

    def server_time(self) -> float:
        """The Redis server's time plus ``time_offset``, Unix seconds (raises if unreachable)."""
        try:
            raw = self._run("_", ["now", self._off()])
        except _Unreachable as u:
            raise self._unavailable_error(u) from u.cause
        return float(raw) / 1000.0

    def close(self) -> None:
        """Close the synchronous connection pool (if this backend created it)."""
        if self._owns_client and self._client is not None:
            client, self._client = self._client, None
            client.close()

    async def aclose(self) -> None:
        """Wait for pending clean-ups, then close this event loop's async client (if
        created here) and the sync pool."""
        loop = asyncio.get_running_loop()
        while pending := [t for t in self._background if t.get_loop() is loop]:
            await asyncio.gather(*pending, return_exceptions=True)
        client = self._aclients.pop(loop, None)
        if client is not None:
            await client.aclose()
        self.close()
