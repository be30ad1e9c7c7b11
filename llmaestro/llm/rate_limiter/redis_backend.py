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

from llmaestro.errors import RateLimiterUnavailable
from llmaestro.llm.rate_limiter._lua import SCRIPT, SCRIPT_SHA
from llmaestro.llm.rate_limiter.backend import Decision
from llmaestro.llm.rate_limiter.gcra import Costs, Plan
from llmaestro.llm.rate_limiter.memory import MemoryBackend

__all__ = ["OnUnavailable", "RedisBackend"]

logger = logging.getLogger("llmaestro.rate_limiter")

OnUnavailable = Literal["fail_closed", "fail_open", "fallback_memory"]
_POLICIES = ("fail_closed", "fail_open", "fallback_memory")


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
        """Wait for pending clean-ups, close this event loop's async client (if created
        here) and the sync pool."""
        loop = asyncio.get_running_loop()
        while pending := [t for t in self._background if t.get_loop() is loop]:
            await asyncio.gather(*pending, return_exceptions=True)
        client = self._aclients.pop(loop, None)
        if client is not None:
            await client.aclose()
        self.close()


def _swallow(task: asyncio.Task[Any]) -> None:
    if not task.cancelled():
        task.exception()
