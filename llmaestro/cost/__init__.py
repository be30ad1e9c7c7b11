"""What LLM requests cost: normalized usage, usage extraction, exact cost breakdowns.

::

    from llmaestro.cost import Usage, cost, extract_usage

    usage = extract_usage(response_json, "anthropic-messages")
    breakdown = cost("anthropic/claude-sonnet-4-5", usage)   # or an Offering
    breakdown.total, breakdown.complete, breakdown.unknown

* :class:`Usage`: one convention for every provider: ``input_tokens`` counts **all**
  prompt tokens (cached and cache-written included), ``output_tokens`` **all** generated
  tokens (reasoning and audio included); the other token fields are parts of those two.
* :func:`extract_usage` / :func:`extract_stream_usage` convert response bodies and stream
  events of the OpenAI chat and responses APIs, Anthropic messages, Gemini and Ollama.
* :func:`cost` prices a usage under an offering's catalog prices: context tiers, service
  tiers (batch, flex, priority), price history (``at=``). Unknown prices are never taken
  as 0: see :class:`CostBreakdown` (``complete``, ``unknown``; ``total`` is then a lower
  bound); :meth:`CostBreakdown.unpriced` is the breakdown of a model without prices.

Nothing is computed at import; each offering's price tables are resolved on its first
:func:`cost` call and cached while the offering is alive.
"""

from __future__ import annotations

from llmaestro.cost.breakdown import CostBreakdown
from llmaestro.cost.compute import cost, resolve_offering
from llmaestro.cost.extract import API_STYLES, extract_stream_usage, extract_usage
from llmaestro.cost.prices import COMPONENTS, SERVICE_TIERS, AppliedPrices
from llmaestro.cost.usage import Usage
from llmaestro.errors import CostError

__all__ = [
    "API_STYLES",
    "COMPONENTS",
    "SERVICE_TIERS",
    "AppliedPrices",
    "CostBreakdown",
    "CostError",
    "Usage",
    "cost",
    "extract_stream_usage",
    "extract_usage",
    "resolve_offering",
]
