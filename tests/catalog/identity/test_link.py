"""`link_offerings` on a small Builder: source links kept or corrected, rule links with their
provenance and variants, canonical models made from offerings, facts inherited, snapshots,
and the reasons of the offerings left unlinked; and the report's identity section."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from llmaestro.catalog.identity import link_offerings
from llmaestro.catalog.importers.builder import Builder
from llmaestro.catalog.importers.common import LITELLM, MODELS_DEV, SourceInfo
from llmaestro.catalog.importers.draft import Draft
from llmaestro.catalog.importers.identity_report import identity_section
from llmaestro.catalog.importers.manual import Manual

DAY = dt.date(2026, 7, 2)
SONNET_45: dict[str, Any] = {
    "name": "Claude Sonnet 4.5",
    "kind": "chat",
    "limits": {"context": 200000, "max_output": 64000},
    "modalities": {"input": ["text", "image"], "output": ["text"]},
    "lifecycle": {"release_date": dt.date(2025, 9, 29)},
    "pricing": {"input": Decimal("3"), "output": Decimal("15")},
}
SONNET_4: dict[str, Any] = {
    "name": "Claude Sonnet 4",
    "kind": "chat",
    "limits": {"context": 200000, "max_output": 64000},
    "lifecycle": {"release_date": dt.date(2025, 5, 22)},
    "pricing": {"input": Decimal("3"), "output": Decimal("15")},
}


def _chat(**facts: Any) -> dict[str, Any]:
    return {"kind": "chat", **facts}


def _builder() -> Builder:
    sources = [
        SourceInfo(MODELS_DEV, "abc1234", DAY, "models.dev-abc1234.tar.gz", ""),
        SourceInfo(LITELLM, "1.0", DAY, "litellm-1.0.json", ""),
    ]
    b = Builder(sources, Manual(), DAY)
    b.built.canonical["anthropic/claude-sonnet-4-5"] = dict(SONNET_45)
    b.built.canonical["anthropic/claude-sonnet-4-5-20250929"] = dict(SONNET_45)
    b.built.canonical["anthropic/claude-sonnet-4-0"] = dict(SONNET_4)
    b.built.canonical["openai/gpt-4o"] = _chat(pricing={"input": Decimal("2.5")})
    b.built.canonical["openai/gpt-4o-2024-05-13"] = _chat(pricing={"input": Decimal("5")})
    b.built.canonical["openai/gpt-4o-2024-08-06"] = _chat(pricing={"input": Decimal("2.5")})

    def add(provider: str, model: str, facts: dict[str, Any], **kw: Any) -> None:
        b.add_draft(Draft(provider, model, facts, f"{provider}/{model}", sources=[LITELLM], **kw))

    # a wrong source link: the id is Sonnet 4, models.dev says Sonnet 4.5
    wrong = {**SONNET_45, "pricing": {"input": Decimal("3")}}
    add("databricks", "databricks-claude-sonnet-4", wrong, base="anthropic/claude-sonnet-4-5")
    b.built.offerings[("databricks", "databricks-claude-sonnet-4")].base_declared = True
    # a right source link is kept
    add(
        "llmgateway",
        "claude-sonnet-4-5-20250929",
        dict(SONNET_45),
        base="anthropic/claude-sonnet-4-5-20250929",
    )
    b.built.offerings[("llmgateway", "claude-sonnet-4-5-20250929")].base_declared = True
    # rule links
    add(
        "amazon-bedrock",
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        _chat(limits={"max_output": 8192}),
    )
    add("nano-gpt", "claude-sonnet-4-5-20250929-thinking", _chat())
    add("openai", "gpt-4o-2024-05-13", _chat())
    add("azure", "gpt-4o-2024-08-06", _chat())
    # Llama 3.1 8B: no canonical model yet; three sellers, two say 131072 tokens
    add("deepinfra", "meta-llama/Meta-Llama-3.1-8B-Instruct", _chat(limits={"context": 131072}))
    add("groq", "llama-3.1-8b-instant", _chat(limits={"context": 131072}, open_weights=True))
    add(
        "togetherai", "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", _chat(limits={"context": 8192})
    )
    add("fireworks-ai", "accounts/fireworks/models/llama-v3p1-8b-instruct", _chat())
    # sold by one provider only, or nobody's family
    add("fireworks-ai", "accounts/fireworks/models/qwen2p5-coder-0p5b", _chat())
    add("venice", "venice-uncensored-1-2", _chat())
    add("nano-gpt", "TheDrummer/Gemma-4-31B-Cydonia", _chat())
    return b


@pytest.fixture
def linked() -> Builder:
    b = _builder()
    link_offerings(b)
    return b


def _o(b: Builder, provider: str, model: str) -> Draft:
    return b.built.offerings[(provider, model)]


def test_a_wrong_source_link_is_corrected_and_logged(linked: Builder) -> None:
    d = _o(linked, "databricks", "databricks-claude-sonnet-4")
    assert d.base == "anthropic/claude-sonnet-4-0"
    assert d.facts["linked_by"] == "rule:provider-prefix"
    # the facts the wrong model brought in are Sonnet 4's now, the offering's own price kept
    assert d.facts["name"] == "Claude Sonnet 4"
    assert d.facts["lifecycle"]["release_date"] == dt.date(2025, 5, 22)
    assert d.facts["pricing"] == {"input": Decimal("3")}
    [change] = [c for c in linked.log.changes if c.field == "base"]
    assert (change.target, change.value, change.action) == (
        "databricks/databricks-claude-sonnet-4",
        "anthropic/claude-sonnet-4-5",
        "corrected",
    )


def test_a_right_source_link_is_kept(linked: Builder) -> None:
    d = _o(linked, "llmgateway", "claude-sonnet-4-5-20250929")
    assert (d.base, d.facts["linked_by"]) == ("anthropic/claude-sonnet-4-5-20250929", "source")


def test_rule_links_say_their_rule_and_variant_and_inherit_the_window(linked: Builder) -> None:
    bedrock = _o(linked, "amazon-bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")
    assert bedrock.base == "anthropic/claude-sonnet-4-5"
    assert bedrock.facts["linked_by"] == "rule:region"
    assert bedrock.facts["limits"] == {"context": 200000, "max_output": 8192}  # own output kept
    assert "pricing" not in bedrock.facts  # a seller's price is never inherited
    thinking = _o(linked, "nano-gpt", "claude-sonnet-4-5-20250929-thinking")
    assert thinking.base == "anthropic/claude-sonnet-4-5"
    assert thinking.facts["variants"] == ["thinking"]


def test_snapshots_name_their_model_and_a_priced_one_is_its_own_entry(linked: Builder) -> None:
    canonical = linked.built.canonical
    assert canonical["openai/gpt-4o-2024-05-13"]["snapshot_of"] == "openai/gpt-4o"
    assert canonical["anthropic/claude-sonnet-4-5-20250929"]["snapshot_of"] == (
        "anthropic/claude-sonnet-4-5"
    )
    assert "snapshot_of" not in canonical["openai/gpt-4o"]
    assert _o(linked, "openai", "gpt-4o-2024-05-13").base == "openai/gpt-4o-2024-05-13"
    assert _o(linked, "azure", "gpt-4o-2024-08-06").base == "openai/gpt-4o"  # same price


def test_a_model_several_sell_gets_a_canonical_entry_by_consensus(linked: Builder) -> None:
    assert "meta/llama-3.1-8b" in linked.built.made_canonical
    llama = linked.built.canonical["meta/llama-3.1-8b"]
    assert llama["limits"] == {"context": 131072}  # two of three sellers; never 8192
    assert llama["open_weights"] is True
    for key in [
        ("deepinfra", "meta-llama/Meta-Llama-3.1-8B-Instruct"),
        ("groq", "llama-3.1-8b-instant"),
        ("togetherai", "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo"),
        ("fireworks-ai", "accounts/fireworks/models/llama-v3p1-8b-instruct"),
    ]:
        assert _o(linked, *key).base == "meta/llama-3.1-8b", key
    assert _o(linked, "togetherai", "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo").facts[
        "limits"
    ] == {"context": 8192}  # its own window stays
    fireworks = _o(linked, "fireworks-ai", "accounts/fireworks/models/llama-v3p1-8b-instruct")
    assert fireworks.facts["limits"] == {"context": 131072}  # inherited


def test_every_chat_offering_left_unlinked_has_a_reason(linked: Builder) -> None:
    unlinked = linked.built.unlinked
    assert set(unlinked) == {
        ("fireworks-ai", "accounts/fireworks/models/qwen2p5-coder-0p5b"),
        ("venice", "venice-uncensored-1-2"),
        ("nano-gpt", "TheDrummer/Gemma-4-31B-Cydonia"),
    }
    assert unlinked[("fireworks-ai", "accounts/fireworks/models/qwen2p5-coder-0p5b")] == (
        "sold by this provider only: no canonical `alibaba/qwen2.5-coder-0.5b`"
    )
    assert "provider's own model" in unlinked[("venice", "venice-uncensored-1-2")]
    unlinked_ids = {d.target for d in linked.built.offerings.values() if d.base is None}
    assert unlinked_ids == {f"{p}/{m}" for p, m in unlinked}


def test_the_report_section_shows_the_share_and_every_unlinked_offering(linked: Builder) -> None:
    text = "\n".join(identity_section(linked.built))
    assert "**10 of 13 chat offerings (76.9 %) are linked" in text
    assert "| venice/venice-uncensored-1-2 | a provider's own model" in text
    assert "| `meta/llama-3.1-8b` | 4 | 131072 |" in text
    assert "databricks/databricks-claude-sonnet-4 | `anthropic/claude-sonnet-4-5`" in text
