"""The storage interface a :class:`~llmaestro.limits.RateLimiter` talks to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from llmaestro.errors import RateLimiterWarning
from llmaestro.limits.gcra import Costs, Plan

__all__ = ["Backend", "Decision", "RateLimiterWarning"]


@dataclass(frozen=True, slots=True)
class Decision:
    """What a backend answered to one acquire."""

    granted: bool
    #: seconds until the earliest possible admission (0 when granted)
    retry_after: float = 0.0
    #: name of the limit that refused (``retry_after`` for a server pushback)
    reason: str = ""
    #: False when only a concurrency slot was missing: ``retry_after`` is then just a hint
    exact: bool = True
    #: quota day index per daily rule of the plan, at grant time
    days: tuple[int, ...] = ()
    #: the backend that holds the grant when it is not the one asked (fallbacks)
    via: Backend | None = None
    #: True when granted by a fallback policy rather than by the shared backend
    degraded: bool = False


@runtime_checkable
class Backend(Protocol):
    """Where budgets live. Every method is atomic for one key.

    ``acquire`` checks every rule of ``plan`` and commits all of them or none; a backend
    that can block (network) waits at most ``timeout`` seconds (the caller's time left,
    passed only when the caller set one) and then answers as its failure policy says.
    ``adjust`` adds ``deltas`` (same layout as the costs, may be negative) to the budgets
    consumed by an earlier grant made on quota days ``days``. ``penalize`` blocks every
    acquire on ``key`` for ``seconds``. Both may raise when the backend cannot take them:
    the limiter records that and warns (:class:`RateLimiterWarning`), never raising into
    the request they concern.
    """

    def acquire(
        self, key: str, plan: Plan, costs: Costs, lease_id: str | None, timeout: float | None = None
    ) -> Decision:
        """Check every rule and commit all or none."""
        ...

    async def aacquire(
        self, key: str, plan: Plan, costs: Costs, lease_id: str | None, timeout: float | None = None
    ) -> Decision:
        """Async :meth:`acquire`."""
        ...

    def adjust(self, key: str, plan: Plan, deltas: Costs, days: tuple[int, ...]) -> None:
        """Refund (negative) or charge (positive) the difference after a grant."""
        ...

    async def aadjust(self, key: str, plan: Plan, deltas: Costs, days: tuple[int, ...]) -> None:
        """Async :meth:`adjust`."""
        ...

    def release(self, key: str, lease_id: str) -> None:
        """Free a concurrency slot (no error if it already expired)."""
        ...

    async def arelease(self, key: str, lease_id: str) -> None:
        """Async :meth:`release`."""
        ...

    def renew(self, key: str, lease_id: str, ttl: float) -> bool:
        """Extend a lease to ``ttl`` seconds from now; False if it had already expired."""
        ...

    async def arenew(self, key: str, lease_id: str, ttl: float) -> bool:
        """Async :meth:`renew`."""
        ...

    def penalize(self, key: str, seconds: float) -> None:
        """Admit nothing on ``key`` for ``seconds`` (never shortens an existing block)."""
        ...

    async def apenalize(self, key: str, seconds: float) -> None:
        """Async :meth:`penalize`."""
        ...

    def close(self) -> None:
        """Release resources (connections)."""
        ...

    async def aclose(self) -> None:
        """Release resources bound to the running event loop."""
        ...
