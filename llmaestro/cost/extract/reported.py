"""What the provider says it charged, where its usage object tells (OpenRouter's ``cost``).

OpenRouter adds to an OpenAI-style usage object (chat completions and responses) ``cost``:
the credits charged for the request in USD, and ``is_byok``: the request ran on the caller's
own provider key, so ``cost`` is only OpenRouter's fee and the inference itself
(``cost_details.upstream_inference_cost``) is billed by the upstream provider. Neither is a
count, so :class:`~llmaestro.cost.Usage` has no field for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from llmaestro.cost.extract.fields import as_map, check_payload

__all__ = ["ReportedCost", "reported_cost"]


@dataclass(frozen=True, slots=True)
class ReportedCost:
    """The charge a response reports, in USD (exact decimal of the JSON number)."""

    charged: Decimal
    """What the caller was charged for the request (``usage.cost``)."""
    byok: bool
    """The caller's own provider key was used: ``charged`` is the router's fee only."""
    upstream: Decimal | None
    """The upstream inference cost (``cost_details.upstream_inference_cost``), if given."""


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = Decimal(str(value))  # str(float) is the JSON text's shortest repr
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


def reported_cost(payload: Mapping[str, Any]) -> ReportedCost | None:
    """The :class:`ReportedCost` of a response body or final stream chunk (or a bare usage
    object) that carries ``usage.cost``; ``None`` when it carries none."""
    payload = check_payload(payload)
    body = as_map(payload.get("response")) or payload  # responses stream events
    usage = as_map(body.get("usage")) or body
    charged = _decimal(usage.get("cost"))
    if charged is None:
        return None
    upstream = _decimal(as_map(usage.get("cost_details")).get("upstream_inference_cost"))
    return ReportedCost(charged=charged, byok=usage.get("is_byok") is True, upstream=upstream)
