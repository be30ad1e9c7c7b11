"""Fixtures of the interface tests: the fake key, an injected sleep, and the shared
127.0.0.1 server of :mod:`tests._localserver` (JSON, raw bytes, SSE, delays, drops)."""

from __future__ import annotations

from typing import Any

from tests._localserver import LocalServer, Recorded, Reply, Sequenced, sse_data, sse_named

__all__ = [
    "FAKE_KEY",
    "LocalServer",
    "Recorded",
    "Reply",
    "Sequenced",
    "Waits",
    "sse_data",
    "sse_named",
]

#: A distinctive fake API key: tests assert it never shows up in any output.
FAKE_KEY = "sk-llmaestro-CANARY-7f3a9c1e5d"


class Waits:
    """An injected ``sleep`` / ``asleep`` recording the waits instead of waiting (and moving
    a manual clock along, when given one)."""

    def __init__(self, clock: Any = None) -> None:
        self.waits: list[float] = []
        self._clock = clock

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        if self._clock is not None:
            self._clock.advance(seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)
