"""Context variants at import time: the default window, the extended one and its option.

Some providers sell a larger context window behind a request option: Anthropic's Claude
Sonnet 4 and 4.5 answer with 200,000 tokens unless the request carries the
``context-1m-2025-08-07`` beta, and then take up to 1,000,000 (prompts above 200,000 tokens
at the long-context prices). The sources state either window as "the" context (models.dev
and the hand-authored Anthropic file said 1M, LiteLLM 200k), so a request sized by the
catalog was either refused by the API or priced without its long-context tier.

:data:`RULES` is the hand-checked table (each rule with the page that states it and the day
it was checked). For every offering a rule names, :func:`extend_context` writes

* ``limits.context``: the window a request gets by default;
* ``limits.extended_context`` and ``limits.extended_context_via``: the larger window and the
  header or body parameter that enables it;
* the long-context price tier, where the rule states one and the sources gave none (only
  when the offering's base input price is the rule's, so a regional price list is never
  given another list's tier).

Tiers between the two windows are kept: LM022 checks thresholds against the extended window
(:func:`extended_window` tells the sanitizer, which runs before this step, which offerings
will have one). Every change is logged for the import report.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from llmaestro.catalog.importers.common import Facts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from llmaestro.catalog.importers.builder import Builder

__all__ = ["RULES", "ContextRule", "extend_context", "extended_window", "rule_for"]

#: Sonnet 4 and Sonnet 4.5 under every provider's id scheme: `claude-sonnet-4-5-20250929`,
#: `claude-sonnet-4-0`, `us.anthropic.claude-sonnet-4-5-20250929-v1:0`,
#: `claude-sonnet-4@20250514` (and not Sonnet 4.6 or later, whose 1M window is the default).
_SONNET_4 = re.compile(
    r"^(?:[a-z]+(?:-[a-z]+)?\.)?(?:anthropic\.)?claude-sonnet-4(?:-5)?(?:-0)?"
    r"(?:[-@]\d{8})?(?:-v\d+(?::\d+)?)?$"
)

_BETA = "context-1m-2025-08-07"
_ANTHROPIC_DOCS = (
    "https://docs.claude.com/en/docs/build-with-claude/context-windows#1m-token-context-window"
)
_CHECKED = dt.date(2026, 12, 3)

#: Anthropic's long-context prices for Sonnet 4 / 4.5 (prompts above 200,000 tokens), USD per
#: 1M tokens: https://docs.claude.com/en/docs/about-claude/pricing#long-context-pricing and,
#: for Vertex AI's global endpoint, https://cloud.google.com/vertex-ai/generative-ai/pricing
_SONNET_LONG_TIER: Facts = {
    "above_tokens": 200_000,
    "input": Decimal("6.00"),
    "output": Decimal("22.50"),
    "cache_read": Decimal("0.60"),
    "cache_write": Decimal("7.50"),
    "cache_write_1h": Decimal("12.00"),
}


@dataclass(frozen=True)
class ContextRule:
    """One hand-checked fact: these offerings get ``context`` tokens by default and
    ``extended`` tokens when a request enables ``via``."""

    name: str
    providers: frozenset[str]
    model: re.Pattern[str]
    """Matched against the offering's id (and its aliases)."""
    context: int
    extended: int
    via: Facts
    """``limits.extended_context_via``: header/value or parameter/value, and the docs url."""
    source: str
    """The page that states the windows and the option."""
    checked: dt.date
    tier: Facts | None = None
    """The long-context tier to add where the sources gave none ..."""
    tier_base_input: Decimal | None = None
    """... when the offering's base input price is this one."""
    extra_sources: tuple[str, ...] = field(default=())

    def matches(self, provider: str, ids: tuple[str, ...]) -> bool:
        return provider in self.providers and any(self.model.match(i) for i in ids)


RULES: tuple[ContextRule, ...] = (
    ContextRule(
        name="Claude Sonnet 4 / 4.5 1M context beta (Claude API, Vertex AI)",
        providers=frozenset({"anthropic", "google-vertex", "google-vertex-anthropic"}),
        model=_SONNET_4,
        context=200_000,
        extended=1_000_000,
        via={"header": "anthropic-beta", "value": _BETA, "url": _ANTHROPIC_DOCS},
        source=_ANTHROPIC_DOCS,
        checked=_CHECKED,
        tier=_SONNET_LONG_TIER,
        tier_base_input=Decimal(3),
        extra_sources=(
            "https://docs.claude.com/en/docs/about-claude/pricing#long-context-pricing",
            "https://cloud.google.com/vertex-ai/generative-ai/pricing#claude-models",
        ),
    ),
    ContextRule(
        # Bedrock's InvokeModel takes the beta in the body: "anthropic_beta": [<beta>]
        name="Claude Sonnet 4 / 4.5 1M context beta (Amazon Bedrock)",
        providers=frozenset({"amazon-bedrock"}),
        model=_SONNET_4,
        context=200_000,
        extended=1_000_000,
        via={
            "parameter": "anthropic_beta",
            "value": _BETA,
            "url": "https://docs.aws.amazon.com/bedrock/latest/userguide/"
            "model-parameters-anthropic-claude-messages-request-response.html",
        },
        source=_ANTHROPIC_DOCS,
        checked=_CHECKED,
    ),
)


def rule_for(provider: str, model: str, aliases: tuple[str, ...] = ()) -> ContextRule | None:
    """The rule naming this offering, if any."""
    ids = (model, *aliases)
    return next((r for r in RULES if r.matches(provider, ids)), None)


def extended_window(provider: str | None, model: str | None) -> int | None:
    """The extended window the import will give this offering (for LM022 before this step)."""
    if not provider or not model:
        return None
    rule = rule_for(provider, model)
    return rule.extended if rule is not None else None


def extend_context(builder: Builder) -> None:
    """Split each offering's window into ``limits.context`` (what a request gets by default)
    and ``limits.extended_context`` (behind an option), keeping the tiers between them."""
    log = builder.log
    for (pid, mid), draft in sorted(builder.built.offerings.items()):
        rule = rule_for(pid, mid, tuple(draft.aliases))
        if rule is None:
            continue
        origin = f"importers/context.py ({rule.source}, checked {rule.checked})"
        limits: Facts = draft.facts.setdefault("limits", {})
        old = limits.get("context")
        if old != rule.context:
            log.change(
                draft.target,
                "limits.context",
                old,
                origin,
                f"the default window is {rule.context}; {rule.extended} needs "
                f"{rule.via.get('header') or rule.via.get('parameter')}: {rule.via['value']} "
                "(limits.extended_context)",
                action="corrected",
            )
        limits["context"] = rule.context
        max_input = limits.get("max_input")
        if isinstance(max_input, int) and max_input > rule.context:
            del limits["max_input"]
            log.change(
                draft.target,
                "limits.max_input",
                max_input,
                origin,
                "the prompt limit of the extended window, not of the default one",
            )
        limits["extended_context"] = rule.extended
        limits["extended_context_via"] = dict(rule.via)
        for path in (("limits", "context"), ("limits", "extended_context")):
            draft.field_origin[path] = origin
        draft.field_origin[("limits", "extended_context_via")] = origin
        _add_tier(builder, draft.target, draft.facts, rule, origin)


def _add_tier(builder: Builder, target: str, facts: Facts, rule: ContextRule, origin: str) -> None:
    pricing = facts.get("pricing")
    if rule.tier is None or not isinstance(pricing, dict) or pricing.get("tiers"):
        return
    if pricing.get("input") != rule.tier_base_input:
        return
    tier = {k: v for k, v in rule.tier.items() if k == "above_tokens" or pricing.get(k) is not None}
    pricing["tiers"] = [tier]
    builder.log.change(
        target,
        "pricing.tiers",
        tier,
        origin,
        "long-context prices the sources leave out (" + ", ".join(rule.extra_sources) + ")",
        action="added",
    )
