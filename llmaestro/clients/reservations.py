"""A client's rate-limiter reservations, one per attempt.

Each attempt reserves the estimated prompt tokens plus the output budget before it is sent
(:func:`acquire`); a success reconciles with the real usage (:func:`settle`), a failure
refunds the tokens unless the provider may have used them (:func:`refund`). Rate-limit
headers of every response feed the limiter (:func:`feedback`), and a 429 they do not
explain pushes it back (:func:`pushback_needed`). Every function takes ``None`` for "no
limiter" / "no reservation" and then does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from llmaestro.errors import ProviderAPIError, RateLimitedError

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro._http.retry import RetryPolicy
    from llmaestro.clients.request import Prepared
    from llmaestro.clients.types import ChatResponse
    from llmaestro.limits import RateLimiter, Reservation

__all__ = [
    "aacquire",
    "acquire",
    "afeedback",
    "arefund",
    "asettle",
    "feedback",
    "pushback_needed",
    "refund",
    "settle",
]


def acquire(
    limiter: RateLimiter | None, p: Prepared | None, timeout: float | None
) -> Reservation | None:
    """Reserve a chat call's tokens (None without a limiter or for calls that are not
    chats: listings, token counts)."""
    if limiter is None or p is None:
        return None
    return limiter.acquire(
        input_tokens=p.prompt_tokens or 0, output_tokens=p.output_tokens, timeout=timeout
    )


async def aacquire(
    limiter: RateLimiter | None, p: Prepared | None, timeout: float | None
) -> Reservation | None:
    """Async :func:`acquire`."""
    if limiter is None or p is None:
        return None
    return await limiter.aacquire(
        input_tokens=p.prompt_tokens or 0, output_tokens=p.output_tokens, timeout=timeout
    )


def refund(reservation: Reservation | None, *, consumed: bool) -> None:
    """Settle a failed attempt: refund its tokens unless the provider may have used them
    (a transport failure), and free its slot."""
    if reservation is None:
        return
    try:
        if not consumed:
            reservation.reconcile(input_tokens=0, output_tokens=0)
    finally:
        reservation.release()


async def arefund(reservation: Reservation | None, *, consumed: bool) -> None:
    """Async :func:`refund`."""
    if reservation is None:
        return
    try:
        if not consumed:
            await reservation.areconcile(input_tokens=0, output_tokens=0)
    finally:
        await reservation.arelease()


def settle(reservation: Reservation | None, response: ChatResponse) -> None:
    """Reconcile a successful attempt with the usage of its response."""
    if reservation is not None:
        reservation.reconcile(
            input_tokens=response.usage.input_tokens,
            output_tokens=response.usage.output_tokens,
        )


async def asettle(reservation: Reservation | None, response: ChatResponse) -> None:
    """Async :func:`settle`."""
    if reservation is not None:
        await reservation.areconcile(
            input_tokens=response.usage.input_tokens,
            output_tokens=response.usage.output_tokens,
        )


def feedback(
    limiter: RateLimiter | None, headers: Mapping[str, str], status_code: int
) -> float | None:
    """Apply a response's rate-limit headers to the limiter; the pushback they caused."""
    if limiter is None:
        return None
    return limiter.apply_headers(headers, status_code=status_code)


async def afeedback(
    limiter: RateLimiter | None, headers: Mapping[str, str], status_code: int
) -> float | None:
    """Async :func:`feedback`."""
    if limiter is None:
        return None
    return await limiter.aapply_headers(headers, status_code=status_code)


def pushback_needed(
    limiter: RateLimiter | None,
    error: ProviderAPIError,
    applied: float | None,
    retry: RetryPolicy,
    random: Callable[[], float],
) -> float | None:
    """The pushback to apply to the limiter for a 429 its headers did not explain."""
    if limiter is None or not isinstance(error, RateLimitedError) or applied:
        return None
    if error.retry_after is not None:
        return error.retry_after
    return retry.backoff(1, random)
