"""The in-process backend: thread- and asyncio-safe, time from an injectable clock."""

from __future__ import annotations

import threading

from llmaestro.limits.backend import Decision
from llmaestro.limits.clock import Clock, SystemClock
from llmaestro.limits.gcra import Costs, Plan, day_index, next_reset

__all__ = ["MemoryBackend"]


class _KeyState:
    __slots__ = ("block", "counts", "leases", "tat")

    def __init__(self) -> None:
        self.tat: dict[str, float] = {}
        self.counts: dict[str, tuple[int, int]] = {}
        self.block = 0.0
        self.leases: dict[str, float] = {}


class MemoryBackend:
    """Budgets kept in this process. Share one instance between limiters to share budgets.

    Every operation holds one lock for a few microseconds and never awaits, so the same
    instance is safe from many threads and many asyncio tasks at once. Storage per key is
    constant (one float per rate limit, one pair per daily quota, at most
    ``concurrent_requests`` leases).
    """

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock: Clock = clock if clock is not None else SystemClock()
        self._lock = threading.Lock()
        self._states: dict[str, _KeyState] = {}

    def __repr__(self) -> str:
        return f"MemoryBackend(clock={self.clock!r}, keys={len(self._states)})"

    def _state(self, key: str) -> _KeyState:
        state = self._states.get(key)
        if state is None:
            state = self._states[key] = _KeyState()
        return state

    def state(self, key: str) -> dict[str, object]:
        """A copy of what is stored for ``key`` (for debugging and tests).

        ``tat``: theoretical arrival time per rate limit field; ``days``: ``(day, count)``
        per daily field; ``block``: no admission before this time; ``leases``: lease id to
        expiry.
        """
        with self._lock:
            st = self._states.get(key) or _KeyState()
            return {
                "tat": dict(st.tat),
                "days": dict(st.counts),
                "block": st.block,
                "leases": dict(st.leases),
            }

    def acquire(
        self, key: str, plan: Plan, costs: Costs, lease_id: str | None, timeout: float | None = None
    ) -> Decision:
        """Check every rule of ``plan`` and commit all or none."""
        with self._lock:
            now = self.clock.now()
            st = self._state(key)
            wait = 0.0
            reason = ""
            if st.block > now:
                wait = st.block - now
                reason = "retry_after"
            new_tats: list[tuple[str, float]] = []
            for g in plan.gcra:
                cost = costs[g.source]
                if cost <= 0:
                    continue
                tat = st.tat.get(g.field, now)
                if tat < now:
                    tat = now
                inc = cost * g.interval
                allow_at = tat + inc - (g.tau if g.tau > inc else inc)
                if allow_at - now > wait:
                    wait = allow_at - now
                    reason = g.name
                new_tats.append((g.field, tat + inc))
            days: list[int] = []
            new_counts: list[tuple[str, int, int]] = []
            for d in plan.daily:
                day = day_index(now, d.reset_offset)
                days.append(day)
                cost = costs[d.source]
                if cost <= 0:
                    continue
                stored_day, count = st.counts.get(d.field, (day, 0))
                if stored_day != day:
                    count = 0
                if count + cost > d.limit:
                    w = next_reset(day, d.reset_offset) - now
                    if w > wait:
                        wait = w
                        reason = d.name
                new_counts.append((d.field, day, count + cost))
            slot_missing = False
            hint = 0.0
            if plan.concurrency is not None and lease_id is not None:
                leases = st.leases
                if leases:
                    for lid in [lid for lid, exp in leases.items() if exp <= now]:
                        del leases[lid]
                if len(leases) >= plan.concurrency:
                    slot_missing = True
                    hint = min(leases.values()) - now
            if wait > 0.0:
                return Decision(False, wait, reason, True)
            if slot_missing:
                return Decision(False, hint, "concurrent_requests", False)
            for field, tat in new_tats:
                st.tat[field] = tat
            for field, day, count in new_counts:
                st.counts[field] = (day, count)
            if plan.concurrency is not None and lease_id is not None:
                st.leases[lease_id] = now + plan.lease_ttl
            return Decision(True, days=tuple(days))

    async def aacquire(
        self, key: str, plan: Plan, costs: Costs, lease_id: str | None, timeout: float | None = None
    ) -> Decision:
        """Same as :meth:`acquire` (it never blocks)."""
        return self.acquire(key, plan, costs, lease_id)

    def adjust(self, key: str, plan: Plan, deltas: Costs, days: tuple[int, ...]) -> None:
        """Refund or charge the difference between an estimate and the actual cost."""
        with self._lock:
            now = self.clock.now()
            st = self._state(key)
            for g in plan.gcra:
                delta = deltas[g.source]
                if delta == 0:
                    continue
                tat = st.tat.get(g.field, now)
                if tat < now:
                    tat = now
                tat += delta * g.interval
                st.tat[g.field] = tat if tat > now else now
            for i, d in enumerate(plan.daily):
                delta = deltas[d.source]
                if delta == 0:
                    continue
                day = day_index(now, d.reset_offset)
                stored_day, count = st.counts.get(d.field, (day, 0))
                if stored_day != day:
                    count = 0
                if i < len(days) and days[i] == day:
                    count = max(0, count + delta)
                elif delta > 0:
                    count += delta
                st.counts[d.field] = (day, count)

    async def aadjust(self, key: str, plan: Plan, deltas: Costs, days: tuple[int, ...]) -> None:
        """Same as :meth:`adjust`."""
        self.adjust(key, plan, deltas, days)

    def release(self, key: str, lease_id: str) -> None:
        """Free a concurrency slot."""
        with self._lock:
            st = self._states.get(key)
            if st is not None:
                st.leases.pop(lease_id, None)

    async def arelease(self, key: str, lease_id: str) -> None:
        """Same as :meth:`release`."""
        self.release(key, lease_id)

    def renew(self, key: str, lease_id: str, ttl: float) -> bool:
        """Extend a live lease to ``ttl`` seconds from now."""
        with self._lock:
            now = self.clock.now()
            st = self._states.get(key)
            if st is None or st.leases.get(lease_id, now) <= now:
                return False
            st.leases[lease_id] = now + ttl
            return True

    async def arenew(self, key: str, lease_id: str, ttl: float) -> bool:
        """Same as :meth:`renew`."""
        return self.renew(key, lease_id, ttl)

    def penalize(self, key: str, seconds: float) -> None:
        """Admit nothing on ``key`` for ``seconds``."""
        if not seconds > 0:
            return
        with self._lock:
            st = self._state(key)
            until = self.clock.now() + seconds
            if until > st.block:
                st.block = until

    async def apenalize(self, key: str, seconds: float) -> None:
        """Same as :meth:`penalize`."""
        self.penalize(key, seconds)

    def close(self) -> None:
        """Nothing to release."""

    async def aclose(self) -> None:
        """Nothing to release."""
