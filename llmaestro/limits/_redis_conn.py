"""The Redis backend's connection, and what it does when Redis cannot be reached.

:class:`RedisConnection` owns the clients (one sync pool, one async client per event
loop), imports ``redis`` on first use, runs the Lua script (``EVALSHA``, falling back to
``EVAL`` on ``NOSCRIPT``), notices when Redis goes down and comes back (logging each once,
not retrying for ``recheck_interval`` seconds), and applies the ``on_unavailable``
policy. :class:`~llmaestro.limits.redis_backend.RedisBackend` builds on it with the
operations themselves.
"""

from __future__ import annotations

import asyncio
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
from llmaestro.limits._redis_wire import bulk
from llmaestro.limits.backend import Decision
from llmaestro.limits.gcra import Costs, Plan
from llmaestro.limits.memory import MemoryBackend

__all__ = ["OnUnavailable", "RedisConnection", "Unreachable", "logger", "where"]

logger = logging.getLogger("llmaestro.rate_limiter")

OnUnavailable = Literal["fail_closed", "fail_open", "fallback_memory"]
_POLICIES = ("fail_closed", "fail_open", "fallback_memory")
_FEATURE = "RedisBackend (the distributed rate limiter)"


class Unreachable(Exception):
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
        self._down_until = 0.0
        self._down = False
        self._last_error: BaseException | None = None
        self._errors: tuple[type[BaseException], ...] | None = None
        self._noscript: type[BaseException] | None = None

    # --- clients -------------------------------------------------------------------------

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

    def _unavailable_error(self, u: Unreachable) -> RateLimiterUnavailable:
        cause = u.cause if u.cause is not None else self._last_error
        detail = f"{type(cause).__name__}: {cause}" if cause is not None else "unreachable"
        return RateLimiterUnavailable(
            f"rate limiter backend Redis at {where(self.url)} is unavailable ({detail}); "
            "on_unavailable='fail_closed' refuses requests while it is down (use "
            "'fail_open' or 'fallback_memory' to keep going without it)"
        )

    # --- running the script --------------------------------------------------------------

    def _run(self, key: str, args: list[Any]) -> Any:
        errors, noscript = self._redis_errors()
        if self._down and time.monotonic() < self._down_until:
            raise Unreachable(None)
        k1, k2 = self.keys_for(key)
        try:
            client = self._sync_client()
            try:
                raw = client.execute_command("EVALSHA", SCRIPT_SHA, 2, k1, k2, *args)
            except noscript:
                raw = client.execute_command("EVAL", SCRIPT, 2, k1, k2, *args)
        except errors as exc:
            self._mark_down(exc)
            raise Unreachable(exc) from exc
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
            raise Unreachable(None)
        command = packed + b"".join([bulk(t.encode()) for t in tail])
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
            raise Unreachable(exc) from exc
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
            raise Unreachable(None)
        k1, k2 = self.keys_for(key)
        try:
            client = self._async_client()
            try:
                raw = await client.execute_command("EVALSHA", SCRIPT_SHA, 2, k1, k2, *args)
            except noscript:
                raw = await client.execute_command("EVAL", SCRIPT, 2, k1, k2, *args)
        except errors as exc:
            self._mark_down(exc)
            raise Unreachable(exc) from exc
        self._mark_up()
        return raw

    # --- policy when Redis is down -------------------------------------------------------

    def _degraded_acquire(
        self, u: Unreachable, key: str, plan: Plan, costs: Costs, lease_id: str | None
    ) -> Decision:
        if self.on_unavailable == "fail_closed":
            raise self._unavailable_error(u) from u.cause
        if self.on_unavailable == "fail_open":
            return Decision(True, via=_NULL, degraded=True)
        decision = self.fallback.acquire(key, plan, costs, lease_id)
        return replace(decision, via=self.fallback, degraded=True)

    def _degraded_write(self, u: Unreachable, what: str) -> None:
        if self.on_unavailable == "fail_closed":
            raise self._unavailable_error(u) from u.cause
        logger.debug("rate limiter: Redis unavailable, %s dropped", what)

    def _degraded_penalty(self, u: Unreachable, key: str, seconds: float) -> None:
        if self.on_unavailable == "fallback_memory":
            self.fallback.penalize(key, seconds)
        else:
            self._degraded_write(u, "penalty")

    # --- closing -------------------------------------------------------------------------

    def close(self) -> None:
        """Close the synchronous connection pool (if this backend created it)."""
        if self._owns_client and self._client is not None:
            client, self._client = self._client, None
            client.close()

    async def _aclose_clients(self) -> None:
        """Close this event loop's async client (if created here) and the sync pool."""
        client = self._aclients.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.aclose()
        self.close()
