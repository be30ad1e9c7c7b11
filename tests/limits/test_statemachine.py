"""The in-process limiter against a plain token-bucket reference model (hypothesis).

Limits are chosen so every interval is a power of two and the clock moves in steps of
1/32 s: float arithmetic in the limiter is then exact and must agree with the model,
which counts in Fractions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, rule

from llmaestro.limits import (
    ManualClock,
    MemoryBackend,
    RateLimiter,
    RateLimits,
    Reservation,
)

DAY = 86400
START = 19_999 * DAY - 40  # 40 s before a UTC midnight
BURST = 4  # seconds
LEASE_TTL = 8
LIMITS = RateLimits(
    requests_per_minute=120,  # 2/s  -> bucket of 8
    tokens_per_minute=1920,  # 32/s -> 128
    input_tokens_per_minute=960,  # 16/s -> 64
    output_tokens_per_minute=480,  # 8/s -> 32
    requests_per_day=25,
    tokens_per_day=1500,
    concurrent_requests=2,
    burst_seconds=BURST,
)


@dataclass
class Bucket:
    rate: Fraction  # units per second
    level: Fraction
    updated: Fraction

    @property
    def cap(self) -> Fraction:
        return self.rate * BURST

    def refill(self, now: Fraction) -> None:
        self.level = min(self.cap, self.level + (now - self.updated) * self.rate)
        self.updated = now

    def admits(self, cost: int) -> bool:
        return cost == 0 or self.level >= min(Fraction(cost), self.cap)


@dataclass
class Model:
    now: Fraction
    buckets: dict[str, Bucket] = field(default_factory=dict)
    daily: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> (day, count)
    daily_limits: dict[str, int] = field(default_factory=dict)
    leases: dict[int, Fraction] = field(default_factory=dict)
    block: Fraction = Fraction(0)
    next_id: int = 0

    def day(self) -> int:
        return int(self.now // DAY)

    def count(self, name: str) -> int:
        day, n = self.daily.get(name, (self.day(), 0))
        return n if day == self.day() else 0

    def acquire(self, costs: dict[str, int]) -> int | None:
        for b in self.buckets.values():
            b.refill(self.now)
        self.leases = {k: v for k, v in self.leases.items() if v > self.now}
        ok = self.block <= self.now
        ok = ok and all(self.buckets[n].admits(c) for n, c in costs.items() if n in self.buckets)
        ok = ok and all(self.count(n) + costs[n] <= lim for n, lim in self.daily_limits.items())
        ok = ok and len(self.leases) < 2
        if not ok:
            return None
        for n, b in self.buckets.items():
            b.level -= costs[n]
        for n in self.daily_limits:
            if costs[n]:
                self.daily[n] = (self.day(), self.count(n) + costs[n])
        self.next_id += 1
        self.leases[self.next_id] = self.now + LEASE_TTL
        return self.next_id

    def adjust(self, deltas: dict[str, int], day: int) -> None:
        for n, b in self.buckets.items():
            b.refill(self.now)
            b.level = min(b.cap, b.level - deltas[n])
        for n in self.daily_limits:
            d = deltas[n]
            if d == 0:
                continue
            count = self.count(n)
            if day == self.day():
                count = max(0, count + d)
            elif d > 0:
                count += d
            self.daily[n] = (self.day(), count)


def costs_of(inp: int, out: int) -> dict[str, int]:
    return {"rpm": 1, "rpd": 1, "tpm": inp + out, "tpd": inp + out, "itpm": inp, "otpm": out}


@dataclass
class Held:
    reservation: Reservation
    model_id: int
    costs: dict[str, int]
    day: int


class LimiterMachine(RuleBasedStateMachine):
    held = Bundle("held")

    def __init__(self) -> None:
        super().__init__()
        self.clock = ManualClock(START)
        self.limiter = RateLimiter(LIMITS, clock=self.clock, lease_ttl=LEASE_TTL)
        now = Fraction(START)
        self.model = Model(
            now=now,
            buckets={
                "rpm": Bucket(Fraction(2), Fraction(8), now),
                "tpm": Bucket(Fraction(32), Fraction(128), now),
                "itpm": Bucket(Fraction(16), Fraction(64), now),
                "otpm": Bucket(Fraction(8), Fraction(32), now),
            },
            daily_limits={"rpd": 25, "tpd": 1500},
        )

    @rule(target=held, inp=st.integers(0, 90), out=st.integers(0, 45))
    def acquire(self, inp: int, out: int) -> object:
        got = self.limiter.try_acquire(input_tokens=inp, output_tokens=out)
        costs = costs_of(inp, out)
        expected = self.model.acquire(costs)
        assert (got is not None) == (expected is not None), (inp, out, self.model)
        if got is None or expected is None:
            return None
        return Held(got, expected, costs, self.model.day())

    @rule(steps=st.integers(0, 32 * 12))
    def advance(self, steps: int) -> None:
        self.clock.advance(steps / 32)
        self.model.now += Fraction(steps, 32)

    @rule(h=held, inp=st.integers(0, 90), out=st.integers(0, 45))
    def reconcile(self, h: Held | None, inp: int, out: int) -> None:
        if h is None:
            return
        h.reservation.reconcile(input_tokens=inp, output_tokens=out)
        new = costs_of(inp, out)
        self.model.adjust({k: new[k] - h.costs[k] for k in new}, h.day)
        h.costs = new

    @rule(h=consumes(held))
    def release(self, h: Held | None) -> None:
        if h is None:
            return
        h.reservation.release()
        self.model.leases.pop(h.model_id, None)

    @rule(steps=st.integers(1, 32 * 5))
    def penalize(self, steps: int) -> None:
        self.limiter.penalize(steps / 32)
        self.model.block = max(self.model.block, self.model.now + Fraction(steps, 32))

    @invariant()
    def clocks_agree(self) -> None:
        assert self.clock.now() == float(self.model.now)

    @invariant()
    def buckets_agree(self) -> None:
        backend = self.limiter.backend
        assert isinstance(backend, MemoryBackend)
        tats = backend.state(self.limiter.key)["tat"]
        assert isinstance(tats, dict)
        now = self.model.now
        for name, bucket in self.model.buckets.items():
            expected = min(bucket.cap, bucket.level + (now - bucket.updated) * bucket.rate)
            tat = Fraction(tats.get(name, float(now)))
            debt = max(tat - now, Fraction(0))
            assert bucket.cap - debt * bucket.rate == expected, name


LimiterMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
test_limiter_matches_reference_model = LimiterMachine.TestCase
