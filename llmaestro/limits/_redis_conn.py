"""The Redis backend's connection, and what it does when Redis cannot be reached.

:class:`RedisConnection` owns the clients (one sync pool, whose connections it holds one
per thread, see :mod:`llmaestro.limits._redis_io`; one async client per event loop),
imports ``redis`` on first use, runs the Lua script (``EVALSHA``, falling back to ``EVAL``
on ``NOSCRIPT``), notices when Redis goes down and comes back (logging each once,
not retrying for ``recheck_interval`` seconds), and applies the ``on_unavailable``
policy. :class:`~llmaestro.limits.redis_backend.RedisBackend` builds on it with the
operations themselves.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
import weakref
from dataclasses import replace
from typing import Any, Literal
from urllib.parse import urlsplit

from llmaestro._optional import import_module
from llmaestro.errors import RateLimiterUnavailable, RateLimitTimeout
from llmaestro.limits._lua import SCRIPT, SCRIPT_SHA
from llmaestro.limits._redis_io import Link, deadline_class, left, past, until
from llmaestro.limits._redis_wire import pack_command, to_eval
from llmaestro.limits.backend import Decision
from llmaestro.limits.gcra import Costs, Plan
from llmaestro.limits.memory import MemoryBackend

__all__ = ["MIN_WAIT", "OnUnavailable", "RedisConnection", "Unreachable", "logger", "where"]

logger = logging.getLogger("llmaestro.rate_limiter")

OnUnavailable = Literal["fail_closed", "fail_open", "fallback_memory"]
_POLICIES = ("fail_closed", "fail_open", "fallback_memory")
_FEATURE = "RedisBackend (the distributed rate limiter)"

#: Shortest wait for Redis a caller's timeout leaves (an acquire at its deadline still asks).
MIN_WAIT = 0.1

_LIVE: weakref.WeakSet[RedisConnection] = weakref.WeakSet()


def _forget_links() -> None:
    """In a forked child: drop the parent's held connections (their replies are the
    parent's); each backend connects afresh."""
    for backend in list(_LIVE):
        backend._idle = []


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_links)


class Unreachable(Exception):
    """Internal: Redis could not be reached (or was not retried yet); ``late`` when only
    the caller's own, shorter timeout ran out (Redis is then not judged down)."""

    def __init__(self, cause: BaseException | None, *, late: bool = False) -> None:
        super().__init__(str(cause) if cause else "recently unreachable")
        self.cause = cause
        self.late = late


class _NullBackend:
    """Follow-ups of fail-open grants: nothing to do."""

    def acquire(
        self, key: str, plan: Plan, costs: Costs, lease_id: str | None, timeout: float | None = None
    ) -> Decision:
        return Decision(True, degraded=True)

    async def aacquire(
        self, key: str, plan: Plan, costs: Costs, lease_id: str | None, timeout: float | None = None
    ) -> Decision:
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


def where(url: str) -> str:
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


class RedisConnection:
    """Clients, script runs and the failure policy of one Redis backend.

    The arguments are those of :class:`~llmaestro.limits.redis_backend.RedisBackend`
    (``client_kwargs`` as a dict).
    """

    def __init__(
        self,
        url: str,
        *,
        client: Any,
        async_client: Any,
        prefix: str,
        on_unavailable: OnUnavailable,
        socket_timeout: float,
        recheck_interval: float,
        fallback: MemoryBackend | None,
        client_kwargs: dict[str, Any],
    ) -> None:
        if on_unavailable not in _POLICIES:
            raise ValueError(f"on_unavailable must be one of {_POLICIES}, not {on_unavailable!r}")
        self.url = url
        self.prefix = prefix
        self.on_unavailable: OnUnavailable = on_unavailable
        self.socket_timeout = socket_timeout
        self.recheck_interval = recheck_interval
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
        self._get_connection_needs_name: bool | None = None
        self._pool: Any = None  # our own client's pool (None: not made yet, or the caller's)
        self._idle: list[Link] = []  # connections held out of the pool, free for a call
        _LIVE.add(self)
        self._down_until = 0.0
        self._down = False
        self._last_error: BaseException | None = None
        self._errors: tuple[type[BaseException], ...] | None = None
        self._noscript: type[BaseException] | None = None
        self._reconnect_on: type[BaseException] = ConnectionError  # until redis is imported
        self._timeout_errors: tuple[type[BaseException], ...] = (TimeoutError,)

    # --- clients -------------------------------------------------------------------------

    def _redis_errors(self) -> tuple[tuple[type[BaseException], ...], type[BaseException]]:
        if self._errors is None or self._noscript is None:
            exceptions = import_module("redis.exceptions", _FEATURE)
            self._errors = (exceptions.ConnectionError, exceptions.TimeoutError, OSError)
            self._noscript = exceptions.NoScriptError
            self._reconnect_on = exceptions.ConnectionError
            self._timeout_errors = (exceptions.TimeoutError, TimeoutError)
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
                    # no retry inside redis-py: _exchange retries once, within the deadline
                    kwargs.setdefault("retry", Retry(NoBackoff(), 0))
                    made = redis.Redis.from_url(self.url, **kwargs)
                    pool = made.connection_pool
                    pool.connection_class = deadline_class(pool.connection_class)
                    self._pool = pool
                    self._client = made
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
            # one immediate retry reconnects a pooled connection after a restart; none
            # after a timeout (a hung Redis would only hang again)
            errors = import_module("redis.exceptions", _FEATURE)
            kwargs.setdefault("retry", Retry(NoBackoff(), 1, (errors.ConnectionError,)))
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

    # --- up and down ---------------------------------------------------------------------

    def _mark_down(self, exc: BaseException) -> None:
        self._down_until = time.monotonic() + self.recheck_interval
        self._last_error = exc
        if not self._down:
            self._down = True
            logger.warning(
                "rate limiter: Redis at %s is unreachable (%s: %s); policy %s",
                where(self.url),
                type(exc).__name__,
                exc,
                self.on_unavailable,
            )

    def _mark_up(self) -> None:
        if self._down:
            self._down = False
            logger.warning("rate limiter: Redis at %s is reachable again", where(self.url))

    def _detail(self, u: Unreachable) -> str:
        """What went wrong, e.g. ``TimeoutError: Timeout reading from socket``."""
        cause = u.cause if u.cause is not None else self._last_error
        if cause is None:
            return "unreachable"
        text = str(cause)
        return f"{type(cause).__name__}: {text}" if text else type(cause).__name__

    def _unavailable_error(self, u: Unreachable) -> RateLimiterUnavailable:
        detail = self._detail(u)
        return RateLimiterUnavailable(
            f"rate limiter backend Redis at {where(self.url)} is unavailable ({detail}); "
            "on_unavailable='fail_closed' refuses requests while it is down (use "
            "'fail_open' or 'fallback_memory' to keep going without it)"
        )

    # --- running the script --------------------------------------------------------------

    def _budget(self, timeout: float | None) -> tuple[float | None, bool]:
        """Seconds one call may wait for Redis, and whether the caller's ``timeout`` (rather
        than ``socket_timeout``) set it: Redis is judged unreachable only after
        ``socket_timeout``; a caller's shorter timeout only ends that caller's wait."""
        configured = self.socket_timeout
        if timeout is None:
            return configured, False
        timeout = max(timeout, MIN_WAIT)
        if configured is None or timeout < configured:
            return timeout, True
        return configured, False

    def _failed(self, exc: BaseException, late: bool) -> Unreachable:
        if late and isinstance(exc, self._timeout_errors):
            return Unreachable(exc, late=True)  # not a verdict on Redis: not marked down
        self._mark_down(exc)
        return Unreachable(exc)

    def _run(self, key: str, args: list[Any], timeout: float | None = None) -> Any:
        """Run the script with ``args``, waiting for Redis at most ``socket_timeout`` (or
        the caller's shorter ``timeout``) in all: connecting, the handshake, sending and
        reading together."""
        if self._owns_client:
            k1, k2 = self.keys_for(key)
            return self._run_packed(pack_command("EVALSHA", SCRIPT_SHA, 2, k1, k2, *args), timeout)
        errors, noscript = self._redis_errors()
        if self._down and time.monotonic() < self._down_until:
            raise Unreachable(None)
        k1, k2 = self.keys_for(key)
        late = self._budget(timeout)[1]
        try:  # a client of the caller's: its own timeouts and retries apply
            client = self._sync_client()
            try:
                raw = client.execute_command("EVALSHA", SCRIPT_SHA, 2, k1, k2, *args)
            except noscript:
                raw = client.execute_command("EVAL", SCRIPT, 2, k1, k2, *args)
        except errors as exc:
            raise self._failed(exc, late) from exc
        self._mark_up()
        return raw

    def _run_packed(self, command: bytes, timeout: float | None = None) -> Any:
        """:meth:`_run` of an ``EVALSHA`` already encoded (:func:`pack_command`), on a
        client of our own."""
        if self._down and time.monotonic() < self._down_until:
            raise Unreachable(None)
        budget: float | None = self.socket_timeout
        late = False
        if timeout is not None:
            budget, late = self._budget(timeout)
        if self._pool is None:
            self._sync_client()
        try:
            raw = self._exchange(command, budget)
        except self._errors as exc:  # type: ignore[misc]  # (set by _sync_client)
            raise self._failed(exc, late) from exc
        if self._down:
            self._mark_up()
        return raw

    def _exchange(self, command: bytes, budget: float | None) -> Any:
        """Send one pre-encoded command on a held connection and read its answer within
        ``budget`` seconds (connecting included); on ``NOSCRIPT`` once more as ``EVAL``.
        One retry after a connection error (a held connection may predate a Redis
        restart), never after a timeout: a hung Redis would only hang again."""
        deadline = None if budget is None else time.monotonic() + budget
        idle = self._idle
        try:
            link: Link | None = idle.pop()
        except IndexError:
            link = None
        retried = False
        try:
            while True:
                try:
                    wait = left(deadline) if retried else budget
                    if link is None or link.sock is None:
                        link = self._connect(link, deadline)
                        wait = left(deadline)
                    try:
                        return link.roundtrip(command, wait, deadline)
                    except self._noscript:  # type: ignore[misc]  # (set by _sync_client)
                        return link.roundtrip(to_eval(command), left(deadline), deadline)
                except self._reconnect_on:
                    if retried or past(deadline):
                        raise
                    retried = True
        finally:
            if link is not None:
                idle.append(link)

    def _connect(self, link: Link | None, deadline: float | None) -> Link:
        """``link`` reconnected, or a new one from the pool, by ``deadline``."""
        until(deadline)
        try:
            if link is None:
                return Link(self._get_connection(self._pool))
            link.connect()
            return link
        finally:
            until(None)

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

    async def _arun(self, key: str, args: list[Any], timeout: float | None = None) -> Any:
        """Async :meth:`_run`: the whole exchange (reconnect and retry included) within
        ``socket_timeout`` or the caller's shorter ``timeout``."""
        errors, noscript = self._redis_errors()
        if self._down and time.monotonic() < self._down_until:
            raise Unreachable(None)
        k1, k2 = self.keys_for(key)
        budget, late = self._budget(timeout)
        try:
            async with asyncio.timeout(budget):
                client = self._async_client()
                try:
                    raw = await client.execute_command("EVALSHA", SCRIPT_SHA, 2, k1, k2, *args)
                except noscript:
                    raw = await client.execute_command("EVAL", SCRIPT, 2, k1, k2, *args)
        except errors as exc:
            raise self._failed(exc, late) from exc
        self._mark_up()
        return raw

    # --- policy when Redis is down -------------------------------------------------------

    def _degraded_acquire(
        self, u: Unreachable, key: str, plan: Plan, costs: Costs, lease_id: str | None
    ) -> Decision:
        if self.on_unavailable == "fail_closed":
            if u.late:
                raise RateLimitTimeout(
                    f"rate limiter backend Redis at {where(self.url)} did not answer within "
                    f"the acquire's timeout ({self._detail(u)}); it counts as unavailable "
                    f"only after socket_timeout={self.socket_timeout:g}s"
                ) from u.cause
            raise self._unavailable_error(u) from u.cause
        if self.on_unavailable == "fail_open":
            return Decision(True, via=_NULL, degraded=True)
        decision = self.fallback.acquire(key, plan, costs, lease_id)
        return replace(decision, via=self.fallback, degraded=True)

    def _not_written(self, u: Unreachable, what: str) -> RateLimiterUnavailable:
        """The error of a write (reconcile, penalty) Redis did not take, whatever the
        policy: it concerns a request already made, so the limiter records and warns
        instead of raising it into that request."""
        return RateLimiterUnavailable(
            f"rate limiter backend Redis at {where(self.url)} is unavailable "
            f"({self._detail(u)}); the {what} was not recorded"
        )

    def _degraded_penalty(self, u: Unreachable, key: str, seconds: float) -> None:
        if self.on_unavailable == "fallback_memory":
            self.fallback.penalize(key, seconds)
        else:
            raise self._not_written(u, "pushback") from u.cause

    # --- closing -------------------------------------------------------------------------

    def close(self) -> None:
        """Close the synchronous connection pool (if this backend created it)."""
        if self._owns_client and self._client is not None:
            client, self._client = self._client, None
            self._pool, self._idle = None, []
            client.close()  # disconnects the held connections too

    async def _aclose_clients(self) -> None:
        """Close this event loop's async client (if created here) and the sync pool."""
        client = self._aclients.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.aclose()
        self.close()
