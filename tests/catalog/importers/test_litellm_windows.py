"""LiteLLM entries of providers that state one serving window: the window becomes
``limits.context``, only for the providers of the table, and the table's evidence holds on
the pinned snapshots."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmaestro.catalog.importers.common import ImportLog
from llmaestro.catalog.importers.litellm.read import load as load_litellm
from llmaestro.catalog.importers.litellm.windows import ONE_WINDOW, window_of
from llmaestro.catalog.importers.models_dev.snapshot import load_snapshot
from tests.catalog.importers.test_litellm import mapped
from tests.conftest import ROOT

SOURCES = ROOT / "data" / "sources"
LITELLM_MAP = SOURCES / "litellm-1.110.2-model_prices_and_context_window.json.gz"
MODELS_DEV = SOURCES / "models.dev-f3fc69229967.tar.gz"

tokens = st.integers(min_value=1, max_value=20_000_000)


def limits_of(key: str, raw: dict[str, Any]) -> dict[str, Any]:
    entry, _log = mapped(key, {"mode": "chat", **raw})
    limits: dict[str, Any] = entry.facts.get("limits", {})
    return limits


def test_equal_limits_of_a_listed_provider_are_its_window() -> None:
    raw = {"litellm_provider": "fireworks_ai", "max_input_tokens": 16384}
    limits = limits_of(
        "fireworks_ai/accounts/fireworks/models/code-llama-13b", raw | {"max_output_tokens": 16384}
    )
    assert limits == {"max_input": 16384, "max_output": 16384, "context": 16384}


def test_different_limits_state_no_window() -> None:
    raw = {
        "litellm_provider": "fireworks_ai",
        "max_input_tokens": 262144,
        "max_output_tokens": 4096,
    }
    limits = limits_of("fireworks_ai/accounts/fireworks/models/qwen3-coder-480b", raw)
    assert "context" not in limits


def test_equal_limits_of_another_provider_state_no_window() -> None:
    raw = {"litellm_provider": "openai", "max_input_tokens": 8192, "max_output_tokens": 8192}
    assert "context" not in limits_of("gpt-x-test", raw)
    # xAI's equal limits are not its window: Grok 4.20 states 1M and 1M of a 2M window
    raw = {"litellm_provider": "xai", "max_input_tokens": 1000000, "max_output_tokens": 1000000}
    assert "context" not in limits_of("xai/grok-4.20", raw)


@given(provider=st.sampled_from(sorted(ONE_WINDOW)), a=tokens, b=tokens)
def test_window_only_from_two_equal_limits(provider: str, a: int, b: int) -> None:
    assert window_of(provider, "chat", a, b) == (a if a == b else None)
    assert window_of(provider, "completion", a, b) == (a if a == b else None)
    assert window_of(provider, "chat", a, None) is None
    assert window_of(provider, "chat", None, b) is None
    assert window_of(provider, "embedding", a, a) is None


@given(provider=st.text(min_size=1, max_size=30), a=tokens)
def test_unlisted_providers_never_give_a_window(provider: str, a: int) -> None:
    if provider not in ONE_WINDOW:
        assert window_of(provider, "chat", a, a) is None


@pytest.fixture(scope="module")
def agreement() -> dict[str, list[tuple[str, int, int]]]:
    """provider -> (model, LiteLLM's equal limit, models.dev's limit.context) for every model
    both pinned snapshots list, where LiteLLM's two limits are equal."""
    log = ImportLog()
    ll_snap = load_litellm(LITELLM_MAP, log)
    md_snap = load_snapshot(MODELS_DEV, log)
    out: dict[str, list[tuple[str, int, int]]] = {p: [] for p in ONE_WINDOW}
    for entry in ll_snap.entries:
        limits = entry.facts.get("limits") or {}
        if entry.provider not in ONE_WINDOW or "context" not in limits:
            continue
        md = md_snap.offerings.get((entry.provider, entry.model))
        context = ((md.raw.get("limit") or {}).get("context")) if md else None
        if isinstance(context, int):
            out[entry.provider].append((entry.model, limits["context"], context))
    return out


@pytest.mark.parametrize("provider", sorted(ONE_WINDOW))
def test_the_evidence_holds_on_the_pinned_snapshots(
    provider: str, agreement: dict[str, list[tuple[str, int, int]]]
) -> None:
    pairs = agreement[provider]
    assert len(pairs) >= 2, f"{provider}: too few models in both snapshots to check the rule"
    exact = [p for p in pairs if p[1] == p[2]]
    # within 0.1%: 512,288 against 512,300 is the same window counted by two people
    close = [p for p in pairs if abs(p[1] - p[2]) <= p[2] // 1000]
    assert close == pairs, f"{provider}: windows that disagree: {sorted(set(pairs) - set(close))}"
    assert len(exact) >= len(pairs) - 1
