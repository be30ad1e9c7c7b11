"""The rule table as data: real offering ids (from the pinned models.dev and LiteLLM sources)
and the canonical model each must resolve to, the rule that links it and the variant it is."""

from __future__ import annotations

import pytest

from llmaestro.catalog.identity.index import CanonicalIndex
from llmaestro.catalog.identity.normalise import match_key, normalise
from llmaestro.catalog.identity.rules import RULES, lab_of

#: Real canonical refs (models.dev's and ones identity resolution makes).
CANONICAL = (
    "anthropic/claude-sonnet-4-5",
    "anthropic/claude-sonnet-4-5-20250929",
    "anthropic/claude-sonnet-4-0",
    "anthropic/claude-sonnet-4-20250514",
    "anthropic/claude-opus-4-0",
    "anthropic/claude-opus-4-20250514",
    "anthropic/claude-opus-4-1",
    "anthropic/claude-opus-4-5",
    "anthropic/claude-haiku-4-5",
    "anthropic/claude-haiku-4-5-20251001",
    "anthropic/claude-3-5-haiku-20241022",
    "anthropic/claude-3-5-sonnet-20241022",
    "anthropic/claude-3-7-sonnet-20250219",
    "openai/gpt-4o",
    "openai/gpt-4o-2024-05-13",
    "openai/gpt-4o-2024-08-06",
    "openai/gpt-4o-2024-11-20",
    "openai/gpt-4o-mini",
    "openai/gpt-3.5-turbo",
    "openai/gpt-oss-20b",
    "openai/gpt-oss-120b",
    "meta/llama-3-8b",
    "meta/llama-3.1-8b",
    "meta/llama-3.1-70b",
    "meta/llama-3.1-405b",
    "meta/llama-3.2-3b",
    "meta/llama-3.3-70b-instruct",
    "meta/llama-4-scout-17b-instruct",
    "meta/llama-4-maverick-17b-instruct",
    "alibaba/qwen3-32b",
    "alibaba/qwen3-30b-a3b",
    "alibaba/qwen3-235b-a22b",
    "alibaba/qwen3-235b-a22b-2507",
    "alibaba/qwen3-next-80b-a3b-instruct",
    "alibaba/qwen3-next-80b-a3b-thinking",
    "alibaba/qwen2.5-72b",
    "alibaba/qwen2.5-coder-32b",
    "alibaba/qwen3-coder-480b-a35b-instruct",
    "alibaba/qwen3.7-plus",
    "alibaba/qwen-turbo",
    "deepseek/deepseek-v3.1",
    "deepseek/deepseek-v3.2",
    "deepseek/deepseek-r1",
    "deepseek/deepseek-v4-pro",
    "google/gemma-3-27b",
    "google/gemini-2.5-pro",
    "google/gemini-2.5-flash",
    "mistral/mistral-large-2407",
    "mistral/mixtral-8x7b-v0.1",
    "mistral/mistral-small-2503",
    "zhipuai/glm-4.6",
    "zhipuai/glm-4.7",
    "zhipuai/glm-5.1",
    "moonshotai/kimi-k2",
    "moonshotai/kimi-k2.5",
    "moonshotai/kimi-k2.6",
    "moonshotai/kimi-k2-thinking",
    "minimax/MiniMax-M2.5",
    "anthropic/claude-opus-4-6",
    "meta/codellama-34b",
    "openai/o3-mini",
    "google/gemini-3-pro-preview",
    "meta/llama-3.2-11b-vision",
    "deepseek/deepseek-v3-0324",
    "openai/gpt-5",
)
DISTINCT = ("openai/gpt-4o-2024-05-13",)  # a snapshot with its own price

#: (offering id, canonical model, linking rule, variants)
CASES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    # Claude Sonnet 4.5, as the issue lists it
    ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic/claude-sonnet-4-5", "region", ()),
    ("eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic/claude-sonnet-4-5", "region", ()),
    (
        "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "anthropic/claude-sonnet-4-5",
        "region",
        (),
    ),
    (
        "anthropic.claude-sonnet-4-5-20250929-v1:0",
        "anthropic/claude-sonnet-4-5",
        "vendor-prefix",
        (),
    ),
    ("anthropic/claude-4.5-sonnet", "anthropic/claude-sonnet-4-5", "hub-org", ()),
    ("anthropic/claude-sonnet-4.5", "anthropic/claude-sonnet-4-5", "hub-org", ()),
    (
        "claude-sonnet-4-5-20250929-thinking",
        "anthropic/claude-sonnet-4-5",
        "thinking-suffix",
        ("thinking",),
    ),
    ("anthropic--claude-4.5-sonnet", "anthropic/claude-sonnet-4-5", "vendor-dashes", ()),
    ("anthropic-claude-4.5-sonnet", "anthropic/claude-sonnet-4-5", "vendor-dashes", ()),
    ("claude-4.5-sonnet", "anthropic/claude-sonnet-4-5", "claude-order", ()),
    ("claude-4-5-sonnet", "anthropic/claude-sonnet-4-5", "claude-order", ()),
    ("claude-sonnet-4-5@20250929", "anthropic/claude-sonnet-4-5", "dated-snapshot", ()),
    ("claude-sonnet-4-5-20250929", "anthropic/claude-sonnet-4-5", "dated-snapshot", ()),
    ("databricks-claude-sonnet-4-5", "anthropic/claude-sonnet-4-5", "provider-prefix", ()),
    ("claude_platform/claude-sonnet-4-5", "anthropic/claude-sonnet-4-5", "hub-org", ()),
    # Claude Sonnet 4 is not Sonnet 4.5
    ("databricks-claude-sonnet-4", "anthropic/claude-sonnet-4-0", "provider-prefix", ()),
    ("claude-sonnet-4", "anthropic/claude-sonnet-4-0", "separators", ()),
    ("global.anthropic.claude-sonnet-4-20250514-v1:0", "anthropic/claude-sonnet-4-0", "region", ()),
    ("claude-sonnet-4-thinking:8192", "anthropic/claude-sonnet-4-0", "route-tag", ("thinking",)),
    ("claude-4.0-opus", "anthropic/claude-opus-4-0", "claude-order", ()),
    ("claude-opus-4-20250514", "anthropic/claude-opus-4-0", "dated-snapshot", ()),
    ("anthropic-claude-opus-4", "anthropic/claude-opus-4-0", "vendor-dashes", ()),
    ("claude-opus-4-1-thinking", "anthropic/claude-opus-4-1", "thinking-suffix", ("thinking",)),
    (
        "claude-opus-4-5-20251101-thinking",
        "anthropic/claude-opus-4-5",
        "thinking-suffix",
        ("thinking",),
    ),
    ("claude-4.5-haiku", "anthropic/claude-haiku-4-5", "claude-order", ()),
    (
        "eu.anthropic.claude-3-5-haiku-20241022-v1:0",
        "anthropic/claude-3-5-haiku-20241022",
        "region",
        (),
    ),
    ("anthropic/claude-3.5-haiku", "anthropic/claude-3-5-haiku-20241022", "hub-org", ()),
    (
        "claude-3.7-sonnet:thinking",
        "anthropic/claude-3-7-sonnet-20250219",
        "thinking-tag",
        ("thinking",),
    ),
    ("anthropic/claude-3-7-sonnet-latest", "anthropic/claude-3-7-sonnet-20250219", "hub-org", ()),
    ("claude-sonnet-3.7", "anthropic/claude-3-7-sonnet-20250219", "claude-order", ()),
    # GPT: a snapshot with its own price is its own entry; one without is the model
    ("gpt-4o-2024-05-13", "openai/gpt-4o-2024-05-13", "dated-snapshot", ()),
    ("gpt-4o-2024-08-06", "openai/gpt-4o", "dated-snapshot", ()),
    ("azure-gpt-4o", "openai/gpt-4o", "provider-prefix", ()),
    ("openai-gpt-4o", "openai/gpt-4o", "vendor-dashes", ()),
    ("openai/gpt-4o-mini", "openai/gpt-4o-mini", "hub-org", ()),
    ("gpt-35-turbo", "openai/gpt-3.5-turbo", "azure-gpt35", ()),
    ("gpt-5-thinking", "openai/gpt-5", "thinking-suffix", ("thinking",)),
    # gpt-oss
    ("openai/gpt-oss-20b:free", "openai/gpt-oss-20b", "hub-org", ("free",)),
    ("gpt-oss:20b", "openai/gpt-oss-20b", "ollama-tag", ()),
    ("gpt-oss:120b-cloud", "openai/gpt-oss-120b", "ollama-tag", ()),
    ("accounts/fireworks/models/gpt-oss-120b", "openai/gpt-oss-120b", "path-prefix", ()),
    ("gpt-oss-20b-mxfp4-GGUF", "openai/gpt-oss-20b", "quantisation", ("mxfp4",)),
    ("@cf/openai/gpt-oss-120b", "openai/gpt-oss-120b", "path-prefix", ()),
    # Llama
    ("meta-llama/Meta-Llama-3.1-8B-Instruct", "meta/llama-3.1-8b", "hub-org", ()),
    ("meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", "meta/llama-3.1-8b", "hub-org", ("turbo",)),
    ("accounts/fireworks/models/llama-v3p1-8b-instruct", "meta/llama-3.1-8b", "path-prefix", ()),
    ("@cf/meta/llama-3.1-8b-instruct-fp8", "meta/llama-3.1-8b", "path-prefix", ("fp8",)),
    ("meta.llama3-1-8b-instruct-v1:0", "meta/llama-3.1-8b", "vendor-prefix", ()),
    ("llama-3.1-8b-instant", "meta/llama-3.1-8b", "groq-names", ()),
    ("llama3.1-8b", "meta/llama-3.1-8b", "separators", ()),
    ("meta-llama-3.1-8b-instruct", "meta/llama-3.1-8b", "vendor-dashes", ()),
    ("meta-llama/Meta-Llama-3.1-70B-Instruct", "meta/llama-3.1-70b", "hub-org", ()),
    ("meta.llama-3.1-405b-instruct", "meta/llama-3.1-405b", "vendor-prefix", ()),
    ("eu.meta.llama3-2-3b-instruct-v1:0", "meta/llama-3.2-3b", "region", ()),
    ("llama-3.2-3b-instruct-fast", "meta/llama-3.2-3b", "turbo-suffix", ("fast",)),
    ("meta-llama-3-8b-instruct", "meta/llama-3-8b", "vendor-dashes", ()),
    ("llama-3.3-70b-versatile", "meta/llama-3.3-70b-instruct", "groq-names", ()),
    ("llama-3.3-70b-instruct-maas", "meta/llama-3.3-70b-instruct", "vertex-maas", ()),
    ("llama-4-scout-17b-16e-instruct", "meta/llama-4-scout-17b-instruct", "llama-experts", ()),
    (
        "Llama-4-Maverick-17B-128E-Instruct-FP8",
        "meta/llama-4-maverick-17b-instruct",
        "quantisation",
        ("fp8",),
    ),
    ("meta-llama/llama-4-maverick", "meta/llama-4-maverick-17b-instruct", "hub-org", ()),
    ("meta.llama3-2-11b-instruct-v1:0", "meta/llama-3.2-11b-vision", "vendor-prefix", ()),
    # Qwen
    ("Qwen/Qwen3-32B", "alibaba/qwen3-32b", "hub-org", ()),
    ("qwen3-32b-fp8", "alibaba/qwen3-32b", "quantisation", ("fp8",)),
    ("qwen/qwen3-30b-a3b", "alibaba/qwen3-30b-a3b", "hub-org", ()),
    ("Qwen/Qwen3-235B-A22B-Instruct-2507", "alibaba/qwen3-235b-a22b-2507", "hub-org", ()),
    ("Qwen/Qwen3-Next-80B-A3B-Thinking", "alibaba/qwen3-next-80b-a3b-thinking", "hub-org", ()),
    ("Qwen/Qwen2.5-72B-Instruct-Turbo", "alibaba/qwen2.5-72b", "hub-org", ("turbo",)),
    (
        "accounts/fireworks/models/qwen2p5-coder-32b-instruct",
        "alibaba/qwen2.5-coder-32b",
        "path-prefix",
        (),
    ),
    (
        "qwen3-coder-480b-a35b-instruct-turbo",
        "alibaba/qwen3-coder-480b-a35b-instruct",
        "instruct-turbo",
        ("turbo",),
    ),
    ("qwen3.7-plus:thinking", "alibaba/qwen3.7-plus", "thinking-tag", ("thinking",)),
    ("qwen3-7-plus:variant1", "alibaba/qwen3.7-plus", "route-tag", ()),
    ("qwen-turbo-2025-04-28", "alibaba/qwen-turbo", "dated-snapshot", ()),
    # DeepSeek
    ("deepseek-ai/DeepSeek-V3.1", "deepseek/deepseek-v3.1", "hub-org", ()),
    ("deepseek-v3.1:671b-cloud", "deepseek/deepseek-v3.1", "ollama-tag", ()),
    ("deepseek-ai/DeepSeek-V3.2-NVFP4", "deepseek/deepseek-v3.2", "hub-org", ("nvfp4",)),
    ("deepseek/deepseek-r1:free", "deepseek/deepseek-r1", "hub-org", ("free",)),
    ("deepseek-v4-pro-fast", "deepseek/deepseek-v4-pro", "turbo-suffix", ("fast",)),
    ("deepseek/deepseek-v3.2-thinking", "deepseek/deepseek-v3.2", "hub-org", ("thinking",)),
    ("deepseek/deepseek-chat-v3-0324", "deepseek/deepseek-v3-0324", "hub-org", ()),
    # Gemma, Gemini, Mistral
    ("gemma-3-27b-it", "google/gemma-3-27b", "instruct", ()),
    ("google/gemma-3-27b-it:free", "google/gemma-3-27b", "hub-org", ("free",)),
    ("google/gemini-2.5-pro", "google/gemini-2.5-pro", "hub-org", ()),
    ("~google/gemini-2.5-flash", "google/gemini-2.5-flash", "path-prefix", ()),
    ("mistral.mistral-large-2407-v1:0", "mistral/mistral-large-2407", "vendor-prefix", ()),
    ("mistralai/Mixtral-8x7B-Instruct-v0.1", "mistral/mixtral-8x7b-v0.1", "hub-org", ()),
    ("mistral-small-2503@001", "mistral/mistral-small-2503", "cloud-version", ()),
    # GLM, Kimi, MiniMax
    ("zai-org/GLM-4.6", "zhipuai/glm-4.6", "hub-org", ()),
    ("glm-4.7-free", "zhipuai/glm-4.7", "free-tag", ("free",)),
    ("zai-org/glm-5.1:thinking", "zhipuai/glm-5.1", "hub-org", ("thinking",)),
    ("moonshotai/Kimi-K2-Instruct", "moonshotai/kimi-k2", "hub-org", ()),
    ("accounts/fireworks/models/kimi-k2p6", "moonshotai/kimi-k2.6", "path-prefix", ()),
    ("FW-Kimi-K2.6", "moonshotai/kimi-k2.6", "provider-prefix", ()),
    ("kimi-k2-thinking", "moonshotai/kimi-k2-thinking", "separators", ()),
    ("kimi-k2.5-free", "moonshotai/kimi-k2.5", "free-tag", ("free",)),
    # reasoning-effort settings, Hugging Face names, Claude 3.5 v2, `.0` versions
    (
        "anthropic/claude-opus-4.6:thinking:medium",
        "anthropic/claude-opus-4-6",
        "hub-org",
        ("effort-medium", "thinking"),
    ),
    ("openai/o3-mini-low", "openai/o3-mini", "hub-org", ("effort-low",)),
    ("codellama/CodeLlama-34b-Instruct-hf", "meta/codellama-34b", "hub-org", ()),
    ("claude-3.5-sonnet-v2", "anthropic/claude-3-5-sonnet-20241022", "claude-v2", ()),
    ("gemini-3.0-pro-preview", "google/gemini-3-pro-preview", "point-zero", ()),
    ("MiniMaxAI/MiniMax-M2.5", "minimax/MiniMax-M2.5", "hub-org", ()),
    ("FW-MiniMax-M2.5", "minimax/MiniMax-M2.5", "provider-prefix", ()),
)

INDEX = CanonicalIndex.of(CANONICAL, DISTINCT)


@pytest.mark.parametrize(("model", "ref", "rule", "variants"), CASES, ids=[c[0] for c in CASES])
def test_an_offering_id_resolves_to_its_canonical_model(
    model: str, ref: str, rule: str, variants: tuple[str, ...]
) -> None:
    cands = normalise(model)
    found = INDEX.resolve(cands, lab_of(cands[-1].model))
    assert found is not None, [c.model for c in cands]
    assert found.ref == ref
    assert found.candidate.rule == rule
    assert found.candidate.variants == variants


def test_the_table_has_sixty_real_ids_and_every_rule_is_exercised() -> None:
    assert len({c[0] for c in CASES}) >= 60
    used = {name for model, *_ in CASES for c in normalise(model) for name in c.rules}
    assert {r.name for r in RULES} - used == set()


@pytest.mark.parametrize(
    "model",
    [
        "claude-sonnet-4-6",  # a model the index does not hold is not another one
        "llama-3.1-8b-hanami",  # a fine-tune
        "anthropic.claude-3-7-sonnet-20240620-v1:0",  # a snapshot no entry is
        "qwen3-coder-30b-a3b-instruct",
        "gpt-3.5-turbo-instruct",  # not gpt-3.5-turbo
        "gpt-4-turbo",  # not gpt-4
        "kimi-k2-thinking-turbo",  # not kimi-k2-thinking
        "glm-5-turbo",
    ],
)
def test_ids_of_other_models_resolve_to_nothing(model: str) -> None:
    cands = normalise(model)
    assert INDEX.resolve(cands, lab_of(cands[-1].model)) is None


def test_match_key_compares_dots_dashes_case_and_fireworks_points() -> None:
    assert match_key("claude-4.5-sonnet") == match_key("Claude-4-5_Sonnet")
    assert match_key("llama3.1-8b") == match_key("llama-v3p1-8b".replace("v", "")) != ""
    assert match_key("qwen3-32b") != match_key("qwen3-30b-a3b")


def test_a_dated_snapshot_is_recorded_on_the_candidate() -> None:
    assert normalise("gpt-4o-2024-08-06")[0].snapshot == "2024-08-06"
    assert normalise("claude-sonnet-4-5@20250929")[0].snapshot == "2025-09-29"
    assert normalise("mistral-large-2411")[0].snapshot is None


@pytest.mark.parametrize(
    ("model", "lab"),
    [
        ("nova-3", "deepgram"),  # Deepgram's speech to text, not Amazon's Nova
        ("nova-3-medical", "deepgram"),
        ("nova-2-phonecall", "deepgram"),
        ("aura-2-en", "deepgram"),
        ("nova-pro", "amazon"),
        ("nova-2-lite", "amazon"),
        ("nova-2-multimodal-embeddings", "amazon"),
        ("nova-premier", "amazon"),
    ],
)
def test_a_family_name_two_labs_use_names_the_right_lab(model: str, lab: str) -> None:
    assert lab_of(model) == lab
