"""Billing kinds at import time: how each provider (and each offering that differs) is billed.

The sources price every offering per token, also where nobody pays per token: a coding
plan's models read ``$0.00``, a local runtime's too. This step writes ``billing`` on the
providers and offerings the table below names, so that price rankings (see
:mod:`llmaestro.registry.ranking`) compare only metered prices. It is the one place the
per-provider billing table lives:

* :data:`PROVIDER_BILLING` — provider id -> kind, with the reason; checked first.
* :data:`ID_RULES` — provider id patterns (``*-coding-plan``, ``*-token-plan``) -> kind.
* an offering whose id ends in ``:free`` or ``-free`` and whose known prices are all 0
  (OpenRouter's ``:free`` routes, OpenCode Zen's free models) is a ``free_tier`` offering of
  a provider that otherwise bills per token;
* an offering of a ``free_tier`` provider that states a price above 0 is metered
  (``per_token``): the free tier is what the provider's other, unpriced offerings give.

Everything else stays ``per_token`` (the bundle's default), where ``0`` per token still means
free. A plan's name, monthly price or a free tier's limits are never guessed here: they come
from a hand-checked ``billing:`` in ``data/manual/providers/<id>/provider.yaml`` (with its
``url``), which overrides this table. Counts per kind go to the import report's summary.
"""

from __future__ import annotations

import re
from decimal import Decimal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from llmaestro.catalog.importers.builder import Builder
    from llmaestro.catalog.importers.common import Facts

#: provider id -> (billing kind, why): the providers whose offerings are not metered tokens.
PROVIDER_BILLING: dict[str, tuple[str, str]] = {
    # subscriptions: a monthly plan, the per-token prices (if any) are not what one pays
    "kimi-for-coding": ("subscription", "Kimi's coding plan"),
    "github-copilot": ("subscription", "GitHub Copilot plans"),
    "chatgpt": ("subscription", "ChatGPT plans (the provider's name says subscription)"),
    "microsoft-365-copilot": ("subscription", "Microsoft 365 Copilot licences"),
    "gitlab": ("subscription", "GitLab Duo, part of a GitLab subscription"),
    "opencode-go": ("subscription", "OpenCode Go, a monthly plan"),
    # local runtimes and per-instance billing: the hardware is the cost
    "ollama": ("self_hosted", "a local runtime"),
    "lmstudio": ("self_hosted", "a local runtime"),
    "lemonade": ("self_hosted", "a local runtime (GGUF models)"),
    "atomic-chat": ("self_hosted", "a local app running GGUF/MLX models"),
    "llama.cpp": ("self_hosted", "a local runtime"),
    "llamacpp": ("self_hosted", "a local runtime"),
    "vllm": ("self_hosted", "a self-hosted server"),
    "localai": ("self_hosted", "a self-hosted server"),
    "jan": ("self_hosted", "a local app"),
    "sagemaker": ("self_hosted", "billed per endpoint instance-hour"),
    # free tiers: every price 0 in the sources, and the provider offers free access
    "iflowcn": ("free_tier", "iFlow's free API"),
    "llama": ("free_tier", "Meta's Llama API preview, free of charge"),
    "nova": ("free_tier", "Amazon Nova developer access"),
    "github-models": ("free_tier", "GitHub Models: free, rate-limited use for prototyping"),
    "nvidia": ("free_tier", "NVIDIA's API catalog (build.nvidia.com): free trial endpoints"),
    "modelscope": ("free_tier", "ModelScope API-Inference: a free daily quota of calls"),
}

#: (pattern on the provider id, kind, why), tried in order after PROVIDER_BILLING.
ID_RULES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"-coding-plan(-|$)"), "subscription", "a coding plan"),
    (re.compile(r"-token-plan(-|$)"), "subscription", "a token plan"),
)

_FREE_ID = re.compile(r"(:|-)free$")


def provider_kind(provider: str) -> tuple[str, str] | None:
    """The billing kind the table gives ``provider`` and why, or None (per token)."""
    known = PROVIDER_BILLING.get(provider)
    if known is not None:
        return known
    for pattern, kind, why in ID_RULES:
        if pattern.search(provider):
            return kind, why
    return None


def is_free_variant(model: str, facts: Facts) -> bool:
    """An offering id marked free (``…:free``, ``…-free``) whose known prices are all 0."""
    return _FREE_ID.search(model) is not None and all(v == 0 for v in _known_prices(facts))


def _known_prices(facts: Facts) -> list[Decimal | int | float]:
    """The flat prices the offering states (not its tiers, service tiers or history)."""
    pricing = facts.get("pricing") or {}
    return [v for v in pricing.values() if isinstance(v, Decimal | int | float)]


def assign_billing(builder: Builder, provider_facts: dict[str, Facts]) -> None:
    """Say how each provider and offering is billed (per_token, subscription, free_tier,
    self_hosted)."""
    counts = builder.log.counts
    providers = {p for p, _ in builder.built.offerings} | set(provider_facts)
    kinds: dict[str, str] = {}
    for pid in sorted(providers):
        found = provider_kind(pid)
        if found is None:
            continue
        kinds[pid] = found[0]
        facts = provider_facts.setdefault(pid, {})
        facts.setdefault("billing", {"kind": found[0]})
    for (pid, model), draft in builder.built.offerings.items():
        kind = kinds.get(pid, "per_token")
        if kind == "per_token" and is_free_variant(model, draft.facts):
            draft.facts.setdefault("billing", {"kind": "free_tier"})
        elif kind == "free_tier" and any(v > 0 for v in _known_prices(draft.facts)):
            draft.facts.setdefault("billing", {"kind": "per_token"})
        billing = draft.facts.get("billing")
        counts[("billing", billing["kind"] if billing else kind)] += 1
