"""The LiteLLM export's naming rules, on small hand-written registries (no litellm needed).

How the real litellm files the export is tested in test_litellm_interop.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from llmaestro.catalog.importers.provider_map import LITELLM_PROVIDERS
from llmaestro.cli.export import export
from llmaestro.errors import UnknownProviderError
from llmaestro.exports import export_json
from llmaestro.exports.litellm import (
    KIND_NAMES,
    LITELLM_NAMES,
    REFUSED,
    build_litellm_export,
    export_litellm,
    litellm_route,
)
from llmaestro.registry import Registry
from tests.exports._fixtures import documents


def _offering(provider: str, model: str, kind: str = "chat", **facts: Any) -> dict[str, Any]:
    return {
        "provider": provider,
        "model": model,
        "kind": kind,
        "pricing": {"input": "1.5", "output": "6"},
        **facts,
    }


def _registry(*offerings: dict[str, Any], **providers: dict[str, Any]) -> Registry:
    pids = {o["provider"] for o in offerings} | set(providers)
    return Registry.from_document(
        {
            "providers": {p: {"name": p, **providers.get(p, {})} for p in sorted(pids)},
            "canonical": {},
            "offerings": list(offerings),
        }
    )


def test_the_provider_table_read_in_reverse() -> None:
    assert {n for names in LITELLM_NAMES.values() for n in names} == set(LITELLM_PROVIDERS)
    for pid, names in LITELLM_NAMES.items():
        assert all(LITELLM_PROVIDERS[n].provider == pid for n in names)
    assert set(KIND_NAMES) <= set(LITELLM_PROVIDERS)


@pytest.mark.parametrize(
    ("provider", "kind", "prefix", "litellm_provider"),
    [
        ("openai", "chat", "openai", "openai"),
        ("openai", "completion", "openai", "text-completion-openai"),
        ("openai", "embedding", "openai", "openai"),
        ("anthropic", "chat", "anthropic", "anthropic"),
        ("google", "chat", "gemini", "gemini"),
        ("google-vertex", "chat", "vertex_ai", "vertex_ai-language-models"),
        ("google-vertex", "embedding", "vertex_ai", "vertex_ai-embedding-models"),
        ("google-vertex", "rerank", "vertex_ai", "vertex_ai"),
        ("google-vertex-anthropic", "chat", "vertex_ai", "vertex_ai-anthropic_models"),
        ("amazon-bedrock", "chat", "bedrock", "bedrock_converse"),
        ("amazon-bedrock", "embedding", "bedrock", "bedrock"),
        ("cohere", "chat", "cohere", "cohere_chat"),
        ("cohere", "rerank", "cohere", "cohere"),
        ("mistral", "chat", "mistral", "mistral"),
        ("mistral", "completion", "mistral", "mistral"),  # not Codestral's own endpoint
        ("azure", "completion", "azure", "azure_text"),
        ("azure-cognitive-services", "chat", "azure_ai", "azure_ai"),
        ("fireworks-ai", "embedding", "fireworks_ai", "fireworks_ai-embedding-models"),
        ("togetherai", "chat", "together_ai", "together_ai"),
        ("amazon-nova", "chat", "amazon-nova", "amazon_nova"),
        ("openrouter", "chat", "openrouter", "openrouter"),
    ],
)
def test_routes_follow_litellm_names(
    provider: str, kind: str, prefix: str, litellm_provider: str
) -> None:
    assert litellm_route(provider, {}, kind) == (prefix, litellm_provider, True)


def test_providers_litellm_does_not_know_keep_their_id_or_declared_prefix() -> None:
    assert litellm_route("kilo", {}, "chat") == ("kilo", "kilo", False)
    assert litellm_route("mine", {"litellm_prefix": "my_llm"}, "chat") == (
        "my_llm",
        "my_llm",
        False,
    )
    # a private provider declaring a LiteLLM name: LiteLLM's prefix for it
    assert litellm_route("mine", {"litellm_prefix": "vertex_ai-anthropic_models"}, "chat")[0] == (
        "vertex_ai"
    )


def test_keys_are_prefixed_and_azure_ai_never_takes_an_openai_name() -> None:
    registry = _registry(
        _offering("openai", "gpt-4o", aliases=["gpt-4o-2024-08-06"]),
        _offering("azure-cognitive-services", "gpt-4o"),
        _offering("azure-cognitive-services", "gpt-4o-2024-08-06"),
        _offering("azure-cognitive-services", "DeepSeek-R1"),
        _offering("kilo", "gpt-4o"),
    )
    result = build_litellm_export(registry)
    assert set(result.model_cost) == {
        "openai/gpt-4o",
        "openai/gpt-4o-2024-08-06",
        "azure_ai/DeepSeek-R1",
        "kilo/gpt-4o",
    }
    skipped = dict(result.skipped)
    assert set(skipped) == {
        "azure-cognitive-services/gpt-4o",
        "azure-cognitive-services/gpt-4o-2024-08-06",  # OpenAI's alias is a name too
    }
    assert "under `openai`'s `gpt-4o`" in skipped["azure-cognitive-services/gpt-4o"]
    assert result.model_cost["kilo/gpt-4o"]["litellm_provider"] == "kilo"
    assert "gpt-4o" not in result.model_cost  # never a bare key


def test_a_provider_may_not_borrow_another_providers_litellm_name() -> None:
    registry = _registry(
        _offering("proxy", "gpt-4o"), _offering("openai", "o3"), proxy={"litellm_prefix": "openai"}
    )
    result = build_litellm_export(registry)
    assert list(result.model_cost) == ["openai/o3"]
    ((label, why),) = result.skipped
    assert label == "proxy/gpt-4o"
    assert "provider `openai`" in why
    # even alone: its entries would replace OpenAI's LiteLLM entries
    alone = build_litellm_export(
        _registry(_offering("proxy", "x"), proxy={"litellm_prefix": "openai"})
    )
    assert alone.model_cost == {}


@pytest.mark.parametrize("provider", ["huggingface", "ollama", "lemonade"])
def test_providers_litellm_does_not_price_from_its_map_are_left_out(provider: str) -> None:
    result = build_litellm_export(_registry(_offering(provider, "m")))
    assert result.model_cost == {}
    assert result.skipped == ((f"{provider}/m", REFUSED[provider]),)


def test_the_more_specific_provider_wins_a_shared_key_whatever_the_filter() -> None:
    registry = _registry(
        _offering("google-vertex", "claude-x@1"),
        _offering("google-vertex", "gemini-x"),
        _offering("google-vertex-anthropic", "claude-x@1", pricing={"input": "3", "output": "15"}),
    )
    whole = build_litellm_export(registry)
    claude = whole.model_cost["vertex_ai/claude-x@1"]
    assert claude["litellm_provider"] == "vertex_ai-anthropic_models"
    assert claude["input_cost_per_token"] == pytest.approx(3e-6)
    assert dict(whole.skipped) == {
        "google-vertex/claude-x@1": "`vertex_ai/claude-x@1` is "
        "google-vertex-anthropic/claude-x@1's key"
    }
    only_vertex = build_litellm_export(registry, providers=["google-vertex"])
    assert list(only_vertex.model_cost) == ["vertex_ai/gemini-x"]
    assert [label for label, _ in only_vertex.skipped] == ["google-vertex/claude-x@1"]


def test_offerings_win_over_aliases_and_successors_name_export_keys() -> None:
    registry = _registry(
        _offering("google", "gemini-new"),
        _offering(
            "google",
            "gemini-old",
            aliases=["gemini-new", "gemini-old-001"],
            lifecycle={"deprecation_date": "2026-01-01", "replacement": "gemini-new"},
        ),
        _offering("google", "gemini-older", lifecycle={"replacement": "gemini-old-001"}),
        _offering("google", "gemini-oldest", lifecycle={"replacement": "nowhere-1"}),
        google={"litellm_prefix": "gemini"},
    )
    cost = export_litellm(registry)
    assert set(cost) == {
        "gemini/gemini-new",
        "gemini/gemini-old",
        "gemini/gemini-old-001",
        "gemini/gemini-older",
        "gemini/gemini-oldest",
    }
    assert cost["gemini/gemini-old"]["successor_model"] == "gemini/gemini-new"
    assert cost["gemini/gemini-older"]["successor_model"] == "gemini/gemini-old-001"  # an alias
    assert "successor_model" not in cost["gemini/gemini-oldest"]  # unknown: left out
    assert cost["gemini/gemini-old-001"] == cost["gemini/gemini-old"]
    assert cost["gemini/gemini-new"].get("successor_model") is None


def test_filters() -> None:
    registry = _registry(
        _offering("openai", "gpt-4o"), _offering("anthropic", "claude-x"), _offering("kilo", "y")
    )
    assert list(export_litellm(registry, providers=["anthropic"])) == ["anthropic/claude-x"]
    assert list(export_litellm(registry, only_litellm_providers=True)) == [
        "anthropic/claude-x",
        "openai/gpt-4o",
    ]
    assert export_litellm(registry, providers=["kilo"], only_litellm_providers=True) == {}
    with pytest.raises(UnknownProviderError, match="did you mean `anthropic`"):
        export_litellm(registry, providers=["anthropc"])


def test_litellm_names_are_not_provider_ids_but_say_which_they_are() -> None:
    registry = _registry(_offering("google", "gemini-x"))
    with pytest.raises(
        UnknownProviderError, match="unknown provider `gemini`; did you mean `google`"
    ):
        export_litellm(registry, providers=["gemini"])


@settings(max_examples=40)
@given(documents(), st.data())
def test_a_filtered_export_is_the_whole_export_s_part(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    registry = Registry.from_document(doc)
    whole = export_litellm(registry)
    assert all("/" in key for key in whole)
    chosen = data.draw(st.sets(st.sampled_from(sorted(doc["providers"]))))
    part = export_litellm(registry, providers=sorted(chosen))
    assert part.items() <= whole.items()
    by_provider = {
        f"{litellm_route(o['provider'], doc['providers'][o['provider']], o.get('kind')).prefix}"
        f"/{o['model']}": o["provider"]
        for o in doc["offerings"]
    }
    assert {k for k in part if k in by_provider} == {
        k for k in whole if by_provider.get(k) in chosen
    }


# --- the command ------------------------------------------------------------------------------


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    registry = _registry(
        _offering("openai", "gpt-4o"),
        _offering("anthropic", "claude-x"),
        _offering("kilo", "y"),
        _offering("huggingface", "z"),
    )
    path = tmp_path / "catalog.json"
    path.write_text(export_json(registry), "utf-8")
    return path


def _run(catalog: Path, *args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(export, [*args, "--catalog", str(catalog)])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result


def test_cli_filters_and_reports_what_it_left_out(catalog: Path, tmp_path: Path) -> None:
    result = _run(catalog, "--format", "litellm", "--provider", "openai", "--provider", "kilo")
    assert sorted(json.loads(result.stdout)) == ["kilo/y", "openai/gpt-4o"]
    assert result.stderr == ""
    result = _run(catalog, "--format", "litellm", "--only-litellm-providers")
    assert sorted(json.loads(result.stdout)) == ["anthropic/claude-x", "openai/gpt-4o"]
    assert result.stderr.startswith("left out 1 entries")
    assert "huggingface/z: LiteLLM reads" in result.stderr
    out = tmp_path / "cost.json"
    result = _run(catalog, "--format", "litellm", "--provider", "anthropic", "--out", str(out))
    assert list(json.loads(out.read_text("utf-8"))) == ["anthropic/claude-x"]
    assert result.stderr == f"wrote 1 entries as litellm to {out}\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "json", "--provider", "openai"], "filter --format litellm"),
        (["--format", "yaml", "--only-litellm-providers"], "filter --format litellm"),
        (["--format", "litellm", "--provider", "gemini"], "unknown provider `gemini`"),
    ],
)
def test_cli_usage_errors_exit_2(catalog: Path, args: list[str], message: str) -> None:
    result = _run(catalog, *args, code=2)
    assert message in result.stderr
