"""Providers whose LiteLLM entries state their one serving window as both token limits.

LiteLLM has no context-window field: ``max_input_tokens`` is "the input limit, if the provider
specifies it" and ``max_output_tokens`` the output limit. Some providers publish a single figure
per model, the window that prompt and completion share ("Context length" on Fireworks' model
pages, ``context_length`` in its and DeepInfra's model listings), and LiteLLM copies that one
figure into both fields. For those providers, an entry whose two limits are the same number
states the window, and the importer writes it as ``limits.context`` (keeping both limits).

The table is hand-checked, provider by provider; each entry names its evidence:

* the provider's own statement that output may use the whole window, or
* agreement with models.dev's ``limit.context`` on every model both sources list for the
  provider in the pinned snapshots (counted by ``tests/catalog/importers/test_litellm_windows.py``,
  which fails when a snapshot update breaks the agreement).

Entries whose limits differ (Fireworks' 262,144-token prompts with a 4,096-token output cap)
say nothing about the window, and no other provider's equal limits are read as one: OpenAI's
and Bedrock's input limits are not windows (GPT-5 takes 272,000 input tokens of a 400,000
window), and neither are xAI's: its Grok 4.20 entries state 1,000,000 and 1,000,000 for a
2,000,000-token window. Where models.dev states a window for the same offering, models.dev's
is kept and a disagreement is logged by the merge
(:mod:`~llmaestro.catalog.importers.litellm.merge`). A window found this way is the seller's:
its origin ends with :data:`~llmaestro.catalog.identity.families.SELLER_WINDOW`, and it does
not vote in a canonical model's consensus (a model's window is the lab's, not a host's cap).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["KINDS", "ONE_WINDOW", "OneWindow", "window_of"]


@dataclass(frozen=True)
class OneWindow:
    """Why this provider's equal LiteLLM limits are its serving window."""

    evidence: str
    url: str | None = None
    """The page that states it, where the evidence is a statement (not a count)."""


ONE_WINDOW: dict[str, OneWindow] = {
    "fireworks-ai": OneWindow(
        "Fireworks' output limit is its context limit (Fireworks support, quoted when "
        "models.dev set both equal, 2025-12-27 and 2026-01-29); agrees with models.dev's "
        "limit.context on both models both list",
        "https://github.com/anomalyco/models.dev/pull/575",
    ),
    "deepinfra": OneWindow(
        "agrees with models.dev's limit.context on all 22 models both list",
    ),
    "cloudflare-workers-ai": OneWindow(
        "agrees with models.dev's limit.context on all 20 models both list",
    ),
    "togetherai": OneWindow(
        "agrees with models.dev's limit.context on 15 of the 16 models both list (the other "
        "within 12 tokens)",
    ),
}
"""Our provider id -> the evidence. Hand-checked on 2026-12-03 against the pinned snapshots."""


#: The kinds whose two limits share one window (an embedding's "output" is not a completion).
KINDS = frozenset({"chat", "completion"})


def window_of(
    provider: str, kind: str, max_input: int | None, max_output: int | None
) -> int | None:
    """The serving window that ``provider``'s LiteLLM entry states, or None when it states none
    (a provider not in :data:`ONE_WINDOW`, another kind than chat or completion, or limits that
    differ or are missing)."""
    if provider not in ONE_WINDOW or kind not in KINDS:
        return None
    if max_input is None or max_input != max_output:
        return None
    return max_input
