"""An attached RateLimiter: reserve before sending, reconcile with the real usage, push back
on 429s (the limiter runs on a manual clock, so nothing really waits)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from llmaestro.clients import Message, RetryPolicy, client_for
from llmaestro.errors import RateLimiterUnavailable
from llmaestro.limits import (
    ManualClock,
    MemoryBackend,
    RateLimiter,
    RateLimiterWarning,
    RateLimits,
    Reservation,
)
from llmaestro.limits.gcra import Costs, Plan
from llmaestro.registry.core import Registry
from tests.clients._server import FAKE_KEY, LocalServer, Reply, Sequenced, Waits, sse_data

USAGE = {"prompt_tokens": 20, "completion_tokens": 5, "total_tokens": 25}
COMPLETION = {
    "id": "x",
    "model": "gpt-4o",
    "choices": [{"index": 0, "message": {"content": "ok"}, "finish_reason": "stop"}],
    "usage": USAGE,
}


class SpyLimiter(RateLimiter):
    """Records what was acquired and every pushback."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.granted: list[tuple[dict[str, Any], Reservation]] = []
        self.penalties: list[float] = []

    def acquire(self, tokens: int | None = None, **kwargs: Any) -> Reservation:
        reservation = super().acquire(tokens, **kwargs)
        self.granted.append((kwargs, reservation))
        return reservation

    async def aacquire(self, tokens: int | None = None, **kwargs: Any) -> Reservation:
        reservation = await super().aacquire(tokens, **kwargs)
        self.granted.append((kwargs, reservation))
        return reservation

    def penalize(self, retry_after_seconds: float) -> bool:
        self.penalties.append(retry_after_seconds)
        return super().penalize(retry_after_seconds)

    async def apenalize(self, retry_after_seconds: float) -> bool:
        self.penalties.append(retry_after_seconds)
        return await super().apenalize(retry_after_seconds)


class DyingBackend(MemoryBackend):
    """Grants, then loses its store (as a shared backend whose Redis died mid-request):
    settling and pushbacks fail as RedisBackend's do."""

    dead = False

    def adjust(self, key: str, plan: Plan, deltas: Costs, days: tuple[int, ...]) -> None:
        if self.dead:
            raise RateLimiterUnavailable("rate limiter backend is unavailable (test)")
        super().adjust(key, plan, deltas, days)

    def penalize(self, key: str, seconds: float) -> None:
        if self.dead:
            raise RateLimiterUnavailable("rate limiter backend is unavailable (test)")
        super().penalize(key, seconds)


def setup(
    server: LocalServer, registry: Registry, backend: MemoryBackend | None = None
) -> tuple[Any, SpyLimiter, Waits, ManualClock]:
    clock = backend.clock if isinstance(backend, MemoryBackend) else ManualClock()
    assert isinstance(clock, ManualClock)
    limiter = SpyLimiter(
        RateLimits(requests_per_minute=600, tokens_per_minute=1_000_000, concurrent_requests=2),
        key="openai",
        clock=clock,
        backend=backend,
    )
    waits = Waits(clock)
    client = client_for(
        "openai",
        api_key=FAKE_KEY,
        base_url=server.url + "/v1",
        registry=registry,
        rate_limiter=limiter,
        sleep=waits.sleep,
        asleep=waits.asleep,
        retry=RetryPolicy(jitter=0),
    )
    return client, limiter, waits, clock


def test_reserve_then_reconcile(server: LocalServer, registry: Registry) -> None:
    server.route = lambda r: Reply(json=COMPLETION)
    client, limiter, _, _ = setup(server, registry)
    with client:
        reply = client.chat([Message.user("Hello there")], "gpt-4o", max_tokens=300)
    ((asked, reservation),) = limiter.granted
    assert asked["output_tokens"] == 300  # max_tokens reserved for the output
    assert asked["input_tokens"] > 0  # the estimated prompt
    assert (reservation.input_tokens, reservation.output_tokens) == (20, 5)  # reconciled
    assert reply.usage.total_tokens == reservation.tokens
    assert not reservation.holds_slot  # the concurrency slot was released


def test_default_output_reservation_is_the_model_max_output(
    server: LocalServer, registry: Registry
) -> None:
    server.route = lambda r: Reply(json=COMPLETION)
    client, limiter, _, _ = setup(server, registry)
    with client:
        client.chat([Message.user("Hello")], "gpt-4o")
    limits = registry.get("openai/gpt-4o").limits
    expected = limits.max_output if limits is not None and limits.max_output else 0
    assert limiter.granted[0][0]["output_tokens"] == expected


def test_429_refunds_pushes_back_and_retries(server: LocalServer, registry: Registry) -> None:
    limited = Reply(429, json={"error": {"message": "slow down"}}, headers={"retry-after": "2"})
    server.route = Sequenced(limited, Reply(json=COMPLETION))
    client, limiter, waits, clock = setup(server, registry)
    start = clock.now()
    with client:
        client.chat([Message.user("Hello")], "gpt-4o", max_tokens=50)
    _, (_, second) = limiter.granted
    assert (limiter.granted[0][1].input_tokens, limiter.granted[0][1].output_tokens) == (0, 0)
    assert (second.input_tokens, second.output_tokens) == (20, 5)
    assert waits.waits == [2.0]
    assert clock.now() - start >= 2.0
    # the limiter was pushed back by the Retry-After header (apply_headers), not twice
    assert limiter.penalties == [2.0]


def test_429_without_headers_still_pushes_back(server: LocalServer, registry: Registry) -> None:
    server.route = Sequenced(Reply(429, json={}), Reply(json=COMPLETION))
    client, limiter, waits, _ = setup(server, registry)
    with client:
        client.chat([Message.user("Hello")], "gpt-4o", max_tokens=50)
    assert waits.waits == [0.5] and limiter.penalties == [0.5]


def test_stream_reconciles_with_the_streamed_usage(server: LocalServer, registry: Registry) -> None:
    chunks = sse_data(
        {"choices": [{"index": 0, "delta": {"content": "hi"}}]},
        {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
        {"choices": [], "usage": {"prompt_tokens": 33, "completion_tokens": 3}},
        done=True,
    )
    server.route = lambda r: Reply(sse=chunks)
    client, limiter, _, _ = setup(server, registry)

    async def main() -> None:
        async with client:
            await client.astream([Message.user("Hello")], "gpt-4o", max_tokens=40).final_response()

    asyncio.run(main())
    ((asked, reservation),) = limiter.granted
    assert asked["output_tokens"] == 40
    assert (reservation.input_tokens, reservation.output_tokens) == (33, 3)
    assert not reservation.holds_slot


def test_abandoned_stream_releases_its_slot(server: LocalServer, registry: Registry) -> None:
    chunks = sse_data(
        *({"choices": [{"index": 0, "delta": {"content": str(i)}}]} for i in range(5)),
        {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
        done=True,
    )
    server.route = lambda r: Reply(sse=chunks)
    client, limiter, _, _ = setup(server, registry)
    with client:
        with client.stream([Message.user("Hello")], "gpt-4o", max_tokens=40) as stream:
            next(stream)
        ((_, reservation),) = limiter.granted
        assert not reservation.holds_slot
        assert reservation.output_tokens == 40  # never settled: the estimate stays charged


def test_a_backend_dying_mid_request_never_fails_the_request(
    server: LocalServer, registry: Registry
) -> None:
    backend = DyingBackend(ManualClock())
    limited = Reply(429, json={"error": {"message": "slow down"}}, headers={"retry-after": "2"})
    replies = Sequenced(limited, Reply(json=COMPLETION))

    def route(request: Any) -> Reply:
        backend.dead = True  # the reservation was granted; the request is out
        return replies(request)

    server.route = route
    client, limiter, waits, _ = setup(server, registry, backend)
    with client, pytest.warns(RateLimiterWarning) as caught:
        reply = client.chat([Message.user("Hello")], "gpt-4o", max_tokens=50)
    assert reply.usage.total_tokens == 25  # the answer arrives all the same
    assert waits.waits == [2.0]  # the 429 was still retried after its Retry-After
    messages = [str(w.message) for w in caught]
    assert any("pushback was not shared" in m for m in messages), messages
    assert any("was not recorded" in m for m in messages), messages
    _, (_, second) = limiter.granted
    assert isinstance(second.reconcile_error, RateLimiterUnavailable)
    assert second.output_tokens == 50  # the estimate (max_tokens) stays charged
    assert not second.holds_slot
