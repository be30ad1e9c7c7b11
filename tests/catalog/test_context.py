"""Context variants: the default window, the extended one behind an option, the tiers between.

The import runs on a small LiteLLM map (Claude Sonnet 4.5 on Anthropic, Bedrock and Vertex, as
LiteLLM states it: a 200k window and >200k prices) and the registry reads what it wrote.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import llmaestro
from llmaestro.catalog import rules
from llmaestro.catalog.importers.common import ImportLog
from llmaestro.catalog.importers.context import RULES, rule_for
from llmaestro.catalog.importers.pipeline import run_import
from llmaestro.catalog.importers.sanitize import sanitize
from llmaestro.catalog.model import Offering
from llmaestro.clients.anthropic import AnthropicClient
from llmaestro.clients.checks import check_request
from llmaestro.clients.request import Options, Prepared
from llmaestro.clients.types import Message
from llmaestro.cost import Usage, cost
from llmaestro.errors import CapabilityError
from llmaestro.tokens.fitting import fit_messages
from llmaestro.tokens.types import TokenCount

LL_DAY = dt.date(2026, 10, 26)
TODAY = dt.date(2025, 10, 1)  # before the deprecation dates LiteLLM gives

_LONG = {  # LiteLLM's >200k prices of Sonnet 4.5 (per token)
    "input_cost_per_token_above_200k_tokens": 6e-06,
    "output_cost_per_token_above_200k_tokens": 2.25e-05,
    "cache_read_input_token_cost_above_200k_tokens": 6e-07,
    "cache_creation_input_token_cost_above_200k_tokens": 7.5e-06,
}
_BASE = {
    "mode": "chat",
    "input_cost_per_token": 3e-06,
    "output_cost_per_token": 1.5e-05,
    "cache_read_input_token_cost": 3e-07,
    "cache_creation_input_token_cost": 3.75e-06,
    "max_input_tokens": 200000,
    "max_output_tokens": 64000,
}
ENTRIES: dict[str, dict[str, Any]] = {
    "claude-sonnet-4-5-20250929": {**_BASE, **_LONG, "litellm_provider": "anthropic"},
    "global.anthropic.claude-sonnet-4-5-20250929-v1:0": {
        **_BASE,
        **_LONG,
        "litellm_provider": "bedrock_converse",
    },
    "vertex_ai/claude-sonnet-4-5@20250929": {
        **_BASE,
        **_LONG,
        "litellm_provider": "vertex_ai-anthropic_models",
    },
    # Vertex without the long-context prices: the rule's hand-checked tier fills them in
    "vertex_ai/claude-sonnet-4@20250514": {**_BASE, "litellm_provider": "vertex_ai"},
    # not a Sonnet 4 / 4.5: a tier at its window's end stays dropped
    "claude-sonnet-4-6": {**_BASE, **_LONG, "litellm_provider": "anthropic"},
}
SONNETS = (
    "anthropic/claude-sonnet-4-5-20250929",
    "amazon-bedrock/global.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "google-vertex-anthropic/claude-sonnet-4-5@20250929",
)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    root = tmp_path_factory.mktemp("repo")
    source = root / "data" / "litellm-9.9.9-model_prices_and_context_window.json"
    source.parent.mkdir(parents=True)
    source.write_text(json.dumps(ENTRIES))
    (root / "data" / "manual").mkdir()
    result = run_import(
        out=root / "catalog",
        models_dev=None,
        litellm=source,
        manual_dir=root / "data" / "manual",
        litellm_date=LL_DAY,
    )
    return root / "catalog", result


@pytest.fixture(scope="module")
def registry(imported: tuple[Path, Any]) -> Any:
    return llmaestro.load(catalog=imported[0], today=TODAY)


# --- the rule table ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "model", "extended"),
    [
        ("anthropic", "claude-sonnet-4-5-20250929", True),
        ("anthropic", "claude-sonnet-4-5", True),
        ("anthropic", "claude-sonnet-4-20250514", True),
        ("anthropic", "claude-sonnet-4-0", True),
        ("amazon-bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", True),
        ("amazon-bedrock", "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0", True),
        ("amazon-bedrock", "anthropic.claude-sonnet-4-20250514-v1:0", True),
        ("google-vertex", "claude-sonnet-4-5@20250929", True),
        ("google-vertex-anthropic", "claude-sonnet-4@20250514", True),
        # 1M by default (Sonnet 4.6), another model, or a provider the table does not name
        ("anthropic", "claude-sonnet-4-6", False),
        ("anthropic", "claude-sonnet-4-50", False),
        ("anthropic", "claude-opus-4-6", False),
        ("amazon-bedrock", "us.anthropic.claude-sonnet-4-6", False),
        ("openrouter", "anthropic/claude-sonnet-4.5", False),
        ("anthropic", "claude-3-5-sonnet-20240620", False),
    ],
)
def test_rule_table(provider: str, model: str, extended: bool) -> None:
    rule = rule_for(provider, model)
    assert (rule is not None) is extended
    if rule is not None:
        assert (rule.context, rule.extended) == (200_000, 1_000_000)
        assert rule.via["value"] == "context-1m-2025-08-07"


def test_every_rule_names_its_source() -> None:
    for rule in RULES:
        assert rule.source.startswith("https://") and rule.via["url"].startswith("https://")
        assert isinstance(rule.checked, dt.date)
        assert ("header" in rule.via) != ("parameter" in rule.via)


# --- LM022 against the extended window -------------------------------------------------------


def _offering(limits: dict[str, Any], above: int) -> Offering:
    return Offering.model_validate(
        {
            "provider": "acme",
            "model": "m",
            "kind": "chat",
            "limits": limits,
            "pricing": {
                "input": Decimal(1),
                "tiers": ({"above_tokens": above, "input": Decimal(2)},),
            },
        }
    )


def _lm022(offering: Offering) -> list[str]:
    found: list[str] = []

    def report(code: str, ptr: str, message: str, **details: Any) -> None:
        if code == "LM022":
            found.append(f"{message} {details.get('expected')}")

    rules.check_offering(offering, report, dt.date(2026, 1, 1))
    return found


def test_lm022_checks_tiers_against_the_extended_window() -> None:
    assert _lm022(_offering({"context": 200_000, "extended_context": 1_000_000}, 200_000)) == []
    assert _lm022(_offering({"context": 200_000}, 200_000)) == [
        "tier threshold at or above the context window below context 200000"
    ]
    assert _lm022(_offering({"context": 200_000, "extended_context": 1_000_000}, 1_000_000)) == [
        "tier threshold at or above the context window below extended context 1000000"
    ]


# --- the import ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "model", "kept"),
    [
        ("amazon-bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", True),
        ("google-vertex-anthropic", "claude-sonnet-4-5@20250929", True),
        ("amazon-bedrock", "us.anthropic.claude-sonnet-4-6", False),
    ],
)
def test_sanitize_keeps_a_tier_below_the_window_the_import_will_extend(
    provider: str, model: str, kept: bool
) -> None:
    # what models.dev + LiteLLM gave before: a 200k window and a >200k tier, sanitized when
    # each source is merged (before the context step runs)
    facts = {
        "kind": "chat",
        "limits": {"context": 200_000},
        "pricing": {
            "input": Decimal(3),
            "tiers": [{"above_tokens": 200_000, "input": Decimal(6)}],
        },
    }
    log = ImportLog()
    out = sanitize(
        facts,
        "offering",
        {"provider": provider, "model": model},
        target=f"{provider}/{model}",
        log=log,
        origin=lambda _p: "test",
        today=dt.date(2026, 1, 1),
    )
    assert ("tiers" in out["pricing"]) is kept
    assert [c.why[:5] for c in log.changes] == ([] if kept else ["LM022"])


def test_no_tier_is_dropped_in_the_import(imported: Any) -> None:
    log = imported[1].built.log
    assert not [c for c in log.changes if c.why.startswith("LM022")]
    added = {c.target for c in log.changes if c.action == "added"}
    assert added == {"google-vertex/claude-sonnet-4@20250514"}


@pytest.mark.parametrize("ref", SONNETS)
def test_sonnet_4_5_windows_and_option(registry: Any, ref: str) -> None:
    limits = registry.get(ref).limits
    assert limits.context == 200_000
    assert limits.extended_context == 1_000_000
    via = limits.extended_context_via
    assert via.value == "context-1m-2025-08-07" and via.url.startswith("https://")
    if ref.startswith("amazon-bedrock/"):
        assert (via.header, via.parameter) == (None, "anthropic_beta")
    else:
        assert (via.header, via.parameter) == ("anthropic-beta", None)


@pytest.mark.parametrize("ref", SONNETS)
def test_a_300k_prompt_costs_the_long_context_price(registry: Any, ref: str) -> None:
    # 300,000 x $6 + 1,000 x $22.50 per 1M = 1.80 + 0.0225
    offering = registry.get(ref)
    breakdown = cost(offering, Usage(input_tokens=300_000, output_tokens=1_000))
    assert breakdown.complete
    assert breakdown.total == Decimal("1.8225")
    assert breakdown.prices.context_tier == 200_000
    # at the default window's edge the base prices apply
    assert cost(offering, Usage(input_tokens=200_000)).total == Decimal("0.6")


def test_the_rule_fills_in_missing_long_context_prices(registry: Any) -> None:
    offering = registry.get("google-vertex/claude-sonnet-4@20250514")
    assert offering.limits.extended_context == 1_000_000
    assert cost(offering, Usage(input_tokens=300_000)).total == Decimal("1.8")


def test_other_models_keep_their_window(registry: Any) -> None:
    limits = registry.get("anthropic/claude-sonnet-4-6").limits
    assert limits.extended_context is None and limits.extended_context_via is None


# --- fitting and the pre-send check -----------------------------------------------------------


def _small() -> Offering:
    return Offering.model_validate(
        {
            "provider": "anthropic",
            "model": "claude-x",
            "kind": "chat",
            "tokenizer": "o200k_base",
            "limits": {
                "context": 1_000,
                "extended_context": 5_000,
                "extended_context_via": {
                    "header": "anthropic-beta",
                    "value": "context-1m-2025-08-07",
                },
            },
        }
    )


def test_fit_messages_uses_the_default_window_unless_asked() -> None:
    messages = [
        {"role": "user", "content": "alpha " * 1500},
        {"role": "assistant", "content": "ok"},
        {"role": "user", "content": "and now?"},
    ]
    default = fit_messages(messages, _small(), reserve_output=100)
    assert default.budget == 900 and default.changed
    extended = fit_messages(messages, _small(), reserve_output=100, extended_context=True)
    assert extended.budget == 4_900 and not extended.changed
    with pytest.raises(TypeError):
        fit_messages(messages, _small(), reserve_output=100, extended_context="yes")  # type: ignore[arg-type]


def _prepared(**options: Any) -> Prepared:
    return Prepared(
        messages=(Message.coerce({"role": "user", "content": "hi"}),),
        model="claude-x",
        offering=_small(),  # type: ignore[arg-type]
        options=Options.from_options(options),
        stream=False,
    )


def test_pre_send_check_uses_the_default_window_unless_asked() -> None:
    prompt = TokenCount(3_000, exact=True, method="test")
    with pytest.raises(CapabilityError, match=r"1000 tokens.*extended_context=True asks for 5000"):
        check_request("anthropic", _prepared(), prompt)
    check_request("anthropic", _prepared(extended_context=True), prompt)
    with pytest.raises(CapabilityError, match="extended context window of 5000"):
        check_request("anthropic", _prepared(extended_context=True), TokenCount(6_000, True, "t"))
    with pytest.raises(TypeError, match="extended_context must be a bool"):
        Options.from_options({"extended_context": 1})


def test_anthropic_client_sends_the_beta_when_asked() -> None:
    client = AnthropicClient(api_key="test-key", betas=("files-api-2025-04-14",))
    plain = client._chat_request(_prepared(max_tokens=10))
    assert "anthropic-beta" not in plain.headers
    asked = client._chat_request(_prepared(max_tokens=10, extended_context=True))
    assert asked.headers["anthropic-beta"] == "files-api-2025-04-14,context-1m-2025-08-07"
    own = client._chat_request(
        _prepared(max_tokens=10, extended_context=True, extra_headers={"Anthropic-Beta": "x"})
    )
    assert own.headers == {"anthropic-beta": "x,context-1m-2025-08-07"}
