"""What an acquire grants: the :class:`Reservation`, and the :class:`Slot` context manager
that acquires on enter and releases on exit."""

from __future__ import annotations

import warnings
from types import TracebackType
from typing import TYPE_CHECKING

from llmaestro.limits.backend import Backend, RateLimiterWarning
from llmaestro.limits.gcra import Costs

if TYPE_CHECKING:
    from llmaestro.limits.limiter import RateLimiter

__all__ = ["Reservation", "Slot", "costs_of"]


def costs_of(tokens: int | None, input_tokens: int | None, output_tokens: int | None) -> Costs:
    """``(requests, total, input, output)`` from the acquire/reconcile arguments.

    With only ``tokens``: all of them count as input. With ``input_tokens`` and/or
    ``output_tokens``: the total is their sum unless ``tokens`` is also given.
    """
    for name, value in (("tokens", tokens), ("input_tokens", input_tokens)):
        if value is not None and (isinstance(value, bool) or value < 0):
            raise ValueError(f"{name} must be a non-negative int, got {value!r}")
    if output_tokens is not None and (isinstance(output_tokens, bool) or output_tokens < 0):
        raise ValueError(f"output_tokens must be a non-negative int, got {output_tokens!r}")
    if input_tokens is None and output_tokens is None:
        total = tokens or 0
        return (1, total, total, 0)
    inp = input_tokens or 0
    out = output_tokens or 0
    return (1, tokens if tokens is not None else inp + out, inp, out)


class Reservation:
    """What one acquire was granted: the charged budget and, maybe, a concurrency slot.

    Settle it with :meth:`reconcile` once the real token usage is known (refunds or
    charges the difference) and :meth:`release` the slot when the request is over; or use
    it as a (async) context manager, which releases on exit whatever happens.

    ``degraded`` is True when it was granted without the shared backend (Redis down and
    ``fail_open`` / ``fallback_memory``).

    ``reconcile_error`` is the backend's error when the last reconcile could not be
    recorded (None otherwise): reconciling follows a request that already happened, so it
    never raises for the backend; it warns (:class:`~llmaestro.limits.RateLimiterWarning`),
    keeps what is charged (the estimate), and a later reconcile settles the whole
    difference again.
    """

    __slots__ = (
        "_backend",
        "_costs",
        "_limiter",
        "_released",
        "days",
        "degraded",
        "lease_id",
        "reconcile_error",
    )

    def __init__(
        self,
        limiter: RateLimiter,
        backend: Backend,
        costs: Costs,
        lease_id: str | None,
        days: tuple[int, ...],
        degraded: bool,
    ) -> None:
        self._limiter = limiter
        self._backend = backend
        self._costs = costs
        self.lease_id = lease_id
        self.days = days
        self.degraded = degraded
        self._released = lease_id is None
        self.reconcile_error: Exception | None = None

    def __repr__(self) -> str:
        _, total, inp, out = self._costs
        return (
            f"Reservation(key={self._limiter.key!r}, tokens={total}, input_tokens={inp}, "
            f"output_tokens={out}, slot={'held' if not self._released else 'none'}"
            f"{', degraded' if self.degraded else ''})"
        )

    @property
    def tokens(self) -> int:
        """Total tokens currently charged."""
        return self._costs[1]

    @property
    def input_tokens(self) -> int:
        """Input tokens currently charged."""
        return self._costs[2]

    @property
    def output_tokens(self) -> int:
        """Output tokens currently charged."""
        return self._costs[3]

    @property
    def holds_slot(self) -> bool:
        """True while this reservation holds a concurrency slot."""
        return not self._released

    def _deltas(
        self, tokens: int | None, input_tokens: int | None, output_tokens: int | None
    ) -> tuple[Costs, Costs]:
        new = costs_of(tokens, input_tokens, output_tokens)
        old = self._costs
        return new, (0, new[1] - old[1], new[2] - old[2], new[3] - old[3])

    def reconcile(
        self,
        tokens: int | None = None,
        *,
        input_tokens: int | None = None,
        output_tokens: int | None = None,
    ) -> None:
        """Charge the actual usage instead of the estimate: refunds or charges the difference.

        Pass the same kind of arguments as to the acquire (``tokens``, or
        ``input_tokens``/``output_tokens``). May be called again; each call settles
        against what is charged so far. Never raises for the backend (see
        ``reconcile_error``): the request it settles has already happened.
        """
        new, deltas = self._deltas(tokens, input_tokens, output_tokens)
        if deltas != (0, 0, 0, 0):
            try:
                self._backend.adjust(self._limiter.key, self._limiter.plan, deltas, self.days)
            except Exception as exc:  # whatever the backend raised, the request has happened
                self._not_settled(exc, new)
                return
        self._settled(new)

    async def areconcile(
        self,
        tokens: int | None = None,
        *,
        input_tokens: int | None = None,
        output_tokens: int | None = None,
    ) -> None:
        """Async :meth:`reconcile`."""
        new, deltas = self._deltas(tokens, input_tokens, output_tokens)
        if deltas != (0, 0, 0, 0):
            try:
                await self._backend.aadjust(
                    self._limiter.key, self._limiter.plan, deltas, self.days
                )
            except Exception as exc:  # whatever the backend raised, the request has happened
                self._not_settled(exc, new)
                return
        self._settled(new)

    def _settled(self, new: Costs) -> None:
        self._costs = new
        self.reconcile_error = None

    def _not_settled(self, exc: Exception, new: Costs) -> None:
        self.reconcile_error = exc
        _, total, inp, out = self._costs
        warnings.warn(
            RateLimiterWarning(
                f"rate limiter {self._limiter.key!r}: the actual usage (tokens={new[1]}, "
                f"input_tokens={new[2]}, output_tokens={new[3]}) was not recorded, the "
                f"estimate stays charged (tokens={total}, input_tokens={inp}, "
                f"output_tokens={out}): {type(exc).__name__}: {exc}"
            ),
            stacklevel=3,
        )

    def release(self) -> None:
        """Free the concurrency slot (idempotent; never raises for an unreachable backend)."""
        if not self._released and self.lease_id is not None:
            self._released = True
            self._backend.release(self._limiter.key, self.lease_id)

    async def arelease(self) -> None:
        """Async :meth:`release`."""
        if not self._released and self.lease_id is not None:
            self._released = True
            await self._backend.arelease(self._limiter.key, self.lease_id)

    def renew(self, ttl: float | None = None) -> bool:
        """Extend the slot's lease (default: the limiter's lease TTL); False if it expired."""
        if self._released or self.lease_id is None:
            return False
        ttl = self._limiter.lease_ttl if ttl is None else ttl
        return self._backend.renew(self._limiter.key, self.lease_id, ttl)

    async def arenew(self, ttl: float | None = None) -> bool:
        """Async :meth:`renew`."""
        if self._released or self.lease_id is None:
            return False
        ttl = self._limiter.lease_ttl if ttl is None else ttl
        return await self._backend.arenew(self._limiter.key, self.lease_id, ttl)

    def __enter__(self) -> Reservation:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

    async def __aenter__(self) -> Reservation:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.arelease()


class Slot:
    """``with limiter.slot(...) as reservation:``: acquire on enter, release on exit."""

    __slots__ = ("_args", "_limiter", "_reservation", "_timeout")

    def __init__(
        self,
        limiter: RateLimiter,
        args: tuple[int | None, int | None, int | None],
        timeout: float | None,
    ) -> None:
        self._limiter = limiter
        self._args = args
        self._timeout = timeout
        self._reservation: Reservation | None = None

    def __enter__(self) -> Reservation:
        tokens, inp, out = self._args
        self._reservation = self._limiter.acquire(
            tokens, input_tokens=inp, output_tokens=out, timeout=self._timeout
        )
        return self._reservation

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._reservation is not None:
            self._reservation.release()

    async def __aenter__(self) -> Reservation:
        tokens, inp, out = self._args
        self._reservation = await self._limiter.aacquire(
            tokens, input_tokens=inp, output_tokens=out, timeout=self._timeout
        )
        return self._reservation

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._reservation is not None:
            await self._reservation.arelease()
