"""Usage and cost of a chat response, and the local token estimates a client needs.

* :func:`estimate_prompt`: the prompt's tokens counted locally (for the pre-send checks
  and the rate limiter's reservation); never raises.
* :func:`response_usage`: the :class:`~llmaestro.cost.Usage` the provider reported (body
  or stream events), else a local estimate flagged as such.
* :func:`response_cost`: the :class:`~llmaestro.cost.CostBreakdown` under the catalog
  offering at the response's service tier; always one (incomplete when prices are unknown).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from llmaestro.clients.types import Message, Tool
from llmaestro.clients.wire import openai_tool
from llmaestro.cost import (
    CostBreakdown,
    CostError,
    Usage,
    cost,
    extract_stream_usage,
    extract_usage,
)
from llmaestro.tokens import count_message_tokens, count_tokens

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro._records import Offering
    from llmaestro.clients.request import Prepared
    from llmaestro.tokens import TokenCount

__all__ = ["estimate_prompt", "estimate_usage", "response_cost", "response_usage"]

logger = logging.getLogger("llmaestro.clients")


def estimate_prompt(
    provider: str, messages: Sequence[Message], tools: Sequence[Tool], model: str | Offering
) -> TokenCount | None:
    """The local count of a prompt (None when it cannot be counted)."""
    try:
        return count_message_tokens(
            [m.to_openai() for m in messages],
            model,
            [openai_tool(t) for t in tools] or None,
        )
    except Exception:  # an estimate must never break a call
        logger.debug("%s: cannot estimate the prompt tokens", provider, exc_info=True)
        return None


def estimate_usage(provider: str, p: Prepared, message: Message) -> Usage:
    """Usage estimated locally: the prompt of ``p`` and the text and tool calls of
    ``message``."""
    model: str | Offering = p.offering or p.model
    prompt = p.prompt_tokens
    if prompt is None:
        found = estimate_prompt(provider, p.messages, p.options.tools, model)
        prompt = found.value if found is not None else 0
    text = message.text + "".join(c.name + c.arguments for c in message.tool_calls)
    try:
        output = count_tokens(text, model).value if text else 0
    except Exception:  # an estimate must never break a call
        output = math.ceil(len(text) / 4)
    return Usage(input_tokens=prompt, output_tokens=output)


def response_usage(
    provider: str,
    p: Prepared,
    message: Message,
    raw: Any,
    api_style: str,
    stream_events: Sequence[Mapping[str, Any]] | None = None,
) -> tuple[Usage, bool]:
    """The usage of a response (from ``stream_events`` when given, else the body ``raw``),
    and whether it was estimated because the provider reported none."""
    try:
        if stream_events is not None:
            return extract_stream_usage(stream_events, api_style), False
        return extract_usage(raw, api_style), False
    except (CostError, TypeError):
        return estimate_usage(provider, p, message), True


def response_cost(
    provider: str,
    model: str,
    offering: Offering | None,
    usage: Usage,
    service_tier: str | None,
    *,
    catalog: bool = True,
) -> CostBreakdown:
    """The cost of ``usage`` under ``offering`` at the response's service tier; always a
    breakdown: without an offering (``model`` of ``provider`` is not in the catalog) or for
    a service tier llmaestro does not know, one without prices (``complete`` False, the
    unknown components None), never a price of another tier or model. ``catalog``: whether
    the client has a catalog at all (the note says which is missing)."""
    if offering is None:
        note = f"the catalog has no offering {provider}/{model}" if catalog else "no catalog"
        return CostBreakdown.unpriced(provider, model, usage, note)
    try:
        return cost(offering, usage, service_tier=service_tier)
    except CostError as exc:  # a service tier name cost() does not know
        note = f"the response's service tier is not priced: {exc}"
        return CostBreakdown.unpriced(offering.provider, offering.model, usage, note)
