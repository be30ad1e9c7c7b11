"""Clocks: where the in-process limiter gets its time, and how it waits.

Times are float seconds on the Unix epoch scale (so daily quotas can find the UTC day
boundary) but :class:`SystemClock` never goes backwards: it is ``time.monotonic()`` shifted
once onto the epoch when the clock is created.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "ManualClock", "SystemClock"]


@runtime_checkable
class Clock(Protocol):
    """Time source and sleeper of the in-process limiter."""

    def now(self) -> float:
        """Current time, in seconds on the Unix epoch scale; never decreases."""
        ...

    def sleep(self, seconds: float) -> None:
        """Block the calling thread for ``seconds``."""
        ...

    async def asleep(self, seconds: float) -> None:
        """Suspend the calling task for ``seconds``."""
        ...


class SystemClock:
    """The real clock: monotonic, anchored to wall time at creation."""

    __slots__ = ("_offset",)

    def __init__(self) -> None:
        self._offset = time.time() - time.monotonic()

    def now(self) -> float:
        """Monotonic seconds on the Unix epoch scale."""
        return time.monotonic() + self._offset

    def sleep(self, seconds: float) -> None:
        """``time.sleep`` (non-positive durations return at once)."""
        if seconds > 0:
            time.sleep(seconds)

    async def asleep(self, seconds: float) -> None:
        """``asyncio.sleep``."""
        await asyncio.sleep(max(seconds, 0.0))

    def __repr__(self) -> str:
        return "SystemClock()"


class ManualClock:
    """A clock that only moves when told to; ``sleep`` advances it instead of waiting.

    Thread-safe. Meant for tests and simulations::

        clock = ManualClock(start=1_700_000_000.0)
        clock.advance(30)
    """

    __slots__ = ("_lock", "_now")

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        """The current manual time."""
        return self._now

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds`` (must not be negative)."""
        if seconds < 0:
            raise ValueError("a ManualClock cannot go backwards")
        with self._lock:
            self._now += seconds

    def set(self, when: float) -> None:
        """Jump to ``when`` (must not be earlier than now)."""
        with self._lock:
            if when < self._now:
                raise ValueError("a ManualClock cannot go backwards")
            self._now = float(when)

    def sleep(self, seconds: float) -> None:
        """Advance time by ``seconds`` without waiting."""
        if seconds > 0:
            self.advance(seconds)

    async def asleep(self, seconds: float) -> None:
        """Advance time by ``seconds`` and yield to the event loop once."""
        if seconds > 0:
            self.advance(seconds)
        await asyncio.sleep(0)

    def __repr__(self) -> str:
        return f"ManualClock(now={self._now!r})"
