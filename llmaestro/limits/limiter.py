"""The public face: :class:`RateLimiter`, which acquires, waits and takes server feedback.

What it grants, the :class:`~llmaestro.limits.reservation.Reservation`, is in
:mod:`llmaestro.limits.reservation`.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import os
import warnings
from types import TracebackType
from typing import Any

import llmaestro  # for llmaestro.load, looked up when called (it may be replaced)
from llmaestro.errors import RateLimitError, RateLimitTimeout
from llmaestro.limits.backend import Backend, Decision, RateLimiterWarning
from llmaestro.limits.clock import Clock, SystemClock
from llmaestro.limits.gcra import Costs, Plan
from llmaestro.limits.headers import HeadersLike, delay_from_headers
from llmaestro.limits.limits import RateLimits
from llmaestro.limits.memory import MemoryBackend
from llmaestro.limits.reservation import Reservation, Slot, costs_of

__all__ = ["DEFAULT_LEASE_TTL", "RateLimiter"]

#: Seconds a concurrency slot stays held when its holder never releases it (crash, leak).
DEFAULT_LEASE_TTL = 300.0

_MIN_SLEEP = 1e-4
_lease_prefix = os.urandom(6).hex() + ":"
_lease_counter = itertools.count(1)


class RateLimiter:
    """Token-based rate limiting, request throttling and quota management for one budget.

    Every acquire checks every limit of :class:`RateLimits` (per-minute requests and tokens
    with GCRA, daily quotas, concurrent requests) and commits all of them or none::

        limiter = RateLimiter(RateLimits(requests_per_minute=500, tokens_per_minute=30_000))
        with limiter.slot(tokens=1_200) as reservation:   # waits as needed
            response = call_the_model()
            reservation.reconcile(response.usage.total_tokens)
        limiter.apply_headers(response.headers, status_code=response.status_code)

    Args:
        limits: what to enforce.
        key: names the shared budget (e.g. ``"openai:gpt-4o"``); limiters on the same
            backend and key share it.
        backend: where budgets live: a private :class:`MemoryBackend` by default (pass one
            :class:`MemoryBackend` to several limiters to share, or a ``RedisBackend`` to
            share between processes).
        clock: time source and sleeper; defaults to the memory backend's clock (or a
            :class:`SystemClock`). The Redis backend takes time from the Redis server.
        lease_ttl: seconds a concurrency slot stays held if never released.
        poll_interval: longest sleep while waiting for a concurrency slot.
    """

    def __init__(
        self,
        limits: RateLimits,
        *,
        key: str = "default",
        backend: Backend | None = None,
        clock: Clock | None = None,
        lease_ttl: float = DEFAULT_LEASE_TTL,
        poll_interval: float = 0.05,
    ) -> None:
        if not isinstance(limits, RateLimits):
            raise TypeError("limits must be a RateLimits")
        if not lease_ttl > 0:
            raise ValueError("lease_ttl must be positive")
        if not poll_interval > 0:
            raise ValueError("poll_interval must be positive")
        if backend is None:
            backend = MemoryBackend(clock)
        if clock is None:
            clock = backend.clock if isinstance(backend, MemoryBackend) else SystemClock()
        self.limits = limits
        self.key = key
        self.backend: Backend = backend
        self.clock: Clock = clock
        self.lease_ttl = float(lease_ttl)
        self.poll_interval = float(poll_interval)
        self.plan = Plan.from_limits(limits, self.lease_ttl)

    def __repr__(self) -> str:
        shown = {k: v for k, v in self.limits.as_dict().items() if v is not None}
        return f"RateLimiter(key={self.key!r}, limits={shown}, backend={self.backend!r})"

    @classmethod
    def from_limits(
        cls,
        *,
        requests_per_minute: int | None = None,
        tokens_per_minute: int | None = None,
        input_tokens_per_minute: int | None = None,
        output_tokens_per_minute: int | None = None,
        requests_per_day: int | None = None,
        tokens_per_day: int | None = None,
        concurrent_requests: int | None = None,
        burst_seconds: float = 60.0,
        daily_reset: _dt.time = _dt.time(0, 0),
        key: str = "default",
        backend: Backend | None = None,
        clock: Clock | None = None,
        lease_ttl: float = DEFAULT_LEASE_TTL,
        poll_interval: float = 0.05,
    ) -> RateLimiter:
        """Build a limiter from limits given as keywords (``None`` = not enforced)."""
        limits = RateLimits(
            requests_per_minute=requests_per_minute,
            tokens_per_minute=tokens_per_minute,
            input_tokens_per_minute=input_tokens_per_minute,
            output_tokens_per_minute=output_tokens_per_minute,
            requests_per_day=requests_per_day,
            tokens_per_day=tokens_per_day,
            concurrent_requests=concurrent_requests,
            burst_seconds=burst_seconds,
            daily_reset=daily_reset,
        )
        return cls(
            limits,
            key=key,
            backend=backend,
            clock=clock,
            lease_ttl=lease_ttl,
            poll_interval=poll_interval,
        )

    @classmethod
    def from_tier(
        cls,
        tier: object,
        *,
        burst_seconds: float = 60.0,
        daily_reset: _dt.time = _dt.time(0, 0),
        key: str = "default",
        backend: Backend | None = None,
        clock: Clock | None = None,
        lease_ttl: float = DEFAULT_LEASE_TTL,
        poll_interval: float = 0.05,
    ) -> RateLimiter:
        """Build a limiter from a provider rate-limit tier (any object with optional int
        attributes ``requests_per_minute``, ``tokens_per_minute``,
        ``input_tokens_per_minute``, ``output_tokens_per_minute``, ``requests_per_day``,
        ``tokens_per_day``, ``concurrent_requests``)."""
        limits = RateLimits.from_tier(tier, burst_seconds=burst_seconds, daily_reset=daily_reset)
        return cls(
            limits,
            key=key,
            backend=backend,
            clock=clock,
            lease_ttl=lease_ttl,
            poll_interval=poll_interval,
        )

    @classmethod
    def from_offering(
        cls,
        offering: object,
        tier: str,
        *,
        registry: object | None = None,
        key: str | None = None,
        **options: Any,
    ) -> RateLimiter:
        """Build a limiter from the catalog: the provider's rate-limit ``tier`` that applies to
        ``offering`` (an Offering or a model id). The key defaults to ``provider/tier/group``
        so every process using the same tier and model group shares one budget.

        Raises ``LookupError`` when the provider has no such tier for this model.
        """
        if registry is None:
            registry = llmaestro.load()
        found = registry.rate_limit_tier(offering, tier)  # type: ignore[attr-defined]
        if found is None:
            model = offering if isinstance(offering, str) else getattr(offering, "model", "?")
            raise LookupError(f"no rate-limit tier `{tier}` covers `{model}` in the catalog")
        group = ",".join(found.models) if found.models else "*"
        provider = getattr(offering, "provider", None) or str(offering).split("/", 1)[0]
        return cls.from_tier(found, key=key or f"{provider}/{tier}/{group}", **options)

    # --- acquiring -----------------------------------------------------------------------

    def _prepare(
        self, tokens: int | None, input_tokens: int | None, output_tokens: int | None
    ) -> tuple[Costs, str | None]:
        costs = costs_of(tokens, input_tokens, output_tokens)
        for rule in self.plan.daily:
            if costs[rule.source] > rule.limit:
                raise RateLimitError(
                    f"rate limiter {self.key!r}: a request costing {costs[rule.source]} "
                    f"exceeds {rule.name}={rule.limit} and can never be admitted"
                )
        lease = None
        if self.plan.concurrency is not None:
            lease = f"{_lease_prefix}{next(_lease_counter)}"
        return costs, lease

    def _granted(self, decision: Decision, costs: Costs, lease: str | None) -> Reservation:
        backend = decision.via if decision.via is not None else self.backend
        return Reservation(self, backend, costs, lease, decision.days, decision.degraded)

    def _wait_for(self, decision: Decision, deadline: float | None, timeout: float | None) -> float:
        wait = decision.retry_after
        if not decision.exact:
            wait = min(wait, self.poll_interval)
        wait = max(wait, _MIN_SLEEP)
        if deadline is not None:
            remaining = deadline - self.clock.now()
            if remaining <= 0 or (decision.exact and decision.retry_after > remaining):
                raise RateLimitTimeout(
                    f"rate limiter {self.key!r}: not admitted within {timeout:g}s "
                    f"(limited by {decision.reason or 'unknown'}; next admission possible "
                    f"in {decision.retry_after:.3g}s)"
                )
            wait = min(wait, remaining)
        return wait

    def try_acquire(
        self,
        tokens: int | None = None,
        *,
        input_tokens: int | None = None,
        output_tokens: int | None = None,
    ) -> Reservation | None:
        """Acquire now or not at all: a :class:`Reservation`, or None if any limit refuses.

        ``tokens`` is the estimated total (input counted as input tokens); or give
        ``input_tokens``/``output_tokens`` (e.g. output = ``max_tokens``) for limits that
        meter them separately.
        """
        costs, lease = self._prepare(tokens, input_tokens, output_tokens)
        decision = self.backend.acquire(self.key, self.plan, costs, lease)
        return self._granted(decision, costs, lease) if decision.granted else None

    def acquire(
        self,
        tokens: int | None = None,
        *,
        input_tokens: int | None = None,
        output_tokens: int | None = None,
        timeout: float | None = None,
    ) -> Reservation:
        """Wait until every limit admits the request, then commit it.

        Raises :class:`~llmaestro.errors.RateLimitTimeout` once it is clear it cannot be
        admitted within ``timeout`` seconds (``None``: wait as long as needed), and
        :class:`~llmaestro.errors.RateLimiterUnavailable` when a fail-closed shared backend
        is down. ``timeout`` bounds the whole call, waits for the backend included.
        """
        costs, lease = self._prepare(tokens, input_tokens, output_tokens)
        clock = self.clock
        deadline = None if timeout is None else clock.now() + timeout
        while True:
            if deadline is None:
                decision = self.backend.acquire(self.key, self.plan, costs, lease)
            else:
                left = deadline - clock.now()
                decision = self.backend.acquire(self.key, self.plan, costs, lease, timeout=left)
            if decision.granted:
                return self._granted(decision, costs, lease)
            clock.sleep(self._wait_for(decision, deadline, timeout))

    async def atry_acquire(
        self,
        tokens: int | None = None,
        *,
        input_tokens: int | None = None,
        output_tokens: int | None = None,
    ) -> Reservation | None:
        """Async :meth:`try_acquire`."""
        costs, lease = self._prepare(tokens, input_tokens, output_tokens)
        decision = await self.backend.aacquire(self.key, self.plan, costs, lease)
        return self._granted(decision, costs, lease) if decision.granted else None

    async def aacquire(
        self,
        tokens: int | None = None,
        *,
        input_tokens: int | None = None,
        output_tokens: int | None = None,
        timeout: float | None = None,
    ) -> Reservation:
        """Async :meth:`acquire`; cancelling it never leaves anything charged or held."""
        costs, lease = self._prepare(tokens, input_tokens, output_tokens)
        clock = self.clock
        deadline = None if timeout is None else clock.now() + timeout
        backend = self.backend
        while True:
            if deadline is None:
                decision = await backend.aacquire(self.key, self.plan, costs, lease)
            else:
                left = deadline - clock.now()
                decision = await backend.aacquire(self.key, self.plan, costs, lease, timeout=left)
            if decision.granted:
                return self._granted(decision, costs, lease)
            await clock.asleep(self._wait_for(decision, deadline, timeout))

    def slot(
        self,
        tokens: int | None = None,
        *,
        input_tokens: int | None = None,
        output_tokens: int | None = None,
        timeout: float | None = None,
    ) -> Slot:
        """``with limiter.slot(tokens=N) as reservation:``: :meth:`acquire` on enter, and
        release the concurrency slot on exit (success, error or timeout)."""
        return Slot(self, (tokens, input_tokens, output_tokens), timeout)

    def aslot(
        self,
        tokens: int | None = None,
        *,
        input_tokens: int | None = None,
        output_tokens: int | None = None,
        timeout: float | None = None,
    ) -> Slot:
        """``async with limiter.aslot(tokens=N) as reservation:``: like :meth:`slot`, and
        the slot is also released when the task is cancelled."""
        return Slot(self, (tokens, input_tokens, output_tokens), timeout)

    # --- server feedback -----------------------------------------------------------------

    def penalize(self, retry_after_seconds: float) -> bool:
        """Admit nothing on this key, for every limiter sharing it, for that many seconds.

        False (with a :class:`~llmaestro.limits.RateLimiterWarning`) when the backend did
        not take it: a pushback follows a response, so it never raises into that request.
        """
        if not retry_after_seconds > 0:
            return False
        try:
            self.backend.penalize(self.key, float(retry_after_seconds))
        except Exception as exc:  # whatever the backend raised, the request has happened
            return self._not_recorded(exc, retry_after_seconds)
        return True

    async def apenalize(self, retry_after_seconds: float) -> bool:
        """Async :meth:`penalize`."""
        if not retry_after_seconds > 0:
            return False
        try:
            await self.backend.apenalize(self.key, float(retry_after_seconds))
        except Exception as exc:  # whatever the backend raised, the request has happened
            return self._not_recorded(exc, retry_after_seconds)
        return True

    def _not_recorded(self, exc: Exception, seconds: float) -> bool:
        warnings.warn(
            RateLimiterWarning(
                f"rate limiter {self.key!r}: a {seconds:g}s pushback was not shared: "
                f"{type(exc).__name__}: {exc}"
            ),
            stacklevel=3,
        )
        return False

    def apply_headers(
        self, headers: HeadersLike, *, status_code: int | None = None
    ) -> float | None:
        """Push the shared budget back as the provider's response headers ask.

        Reads ``Retry-After`` (seconds or HTTP date), ``retry-after-ms``, OpenAI's
        ``x-ratelimit-reset-{requests,tokens}`` and Anthropic's
        ``anthropic-ratelimit-*-reset`` (see :mod:`llmaestro.limits.headers` for
        when reset headers count). Returns the pushback applied, in seconds, or None (also
        when the backend could not take it; see :meth:`penalize`).
        """
        delay = delay_from_headers(headers, self.clock.now(), status_code)
        # `is not False`: an override of penalize that returns None still counts
        if delay is not None and delay > 0 and self.penalize(delay) is not False:
            return delay
        return None

    async def aapply_headers(
        self, headers: HeadersLike, *, status_code: int | None = None
    ) -> float | None:
        """Async :meth:`apply_headers`."""
        delay = delay_from_headers(headers, self.clock.now(), status_code)
        if delay is not None and delay > 0 and await self.apenalize(delay) is not False:
            return delay
        return None

    # --- lifecycle -----------------------------------------------------------------------

    def close(self) -> None:
        """Close the backend's connections."""
        self.backend.close()

    async def aclose(self) -> None:
        """Close the backend's connections bound to the running event loop."""
        await self.backend.aclose()

    def __enter__(self) -> RateLimiter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> RateLimiter:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
