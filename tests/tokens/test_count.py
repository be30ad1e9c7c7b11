"""tokenizer_for (the model table) and fit_text (truncation on token boundaries)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmaestro.tokens.count import count_tokens, fit_text, get_encoding, tokenizer_for


@pytest.mark.parametrize(
    ("name", "tokenizer"),
    [
        ("o200k_base", "o200k_base"),
        ("cl100k_base", "cl100k_base"),
        ("O200K_BASE", "o200k_base"),
        ("o200k_harmony", "o200k_base"),
        ("gpt-4o", "o200k_base"),
        ("gpt-4o-mini-2024-07-18", "o200k_base"),
        ("chatgpt-4o-latest", "o200k_base"),
        ("gpt-4.1-nano", "o200k_base"),
        ("gpt-5", "o200k_base"),
        ("gpt-5.1-codex", "o200k_base"),
        ("o1", "o200k_base"),
        ("o3-mini", "o200k_base"),
        ("o4-mini-2025-04-16", "o200k_base"),
        ("openai/gpt-4o", "o200k_base"),
        ("ft:gpt-4o-mini:org::abc", "o200k_base"),
        ("gpt-4", "cl100k_base"),
        ("gpt-4-turbo", "cl100k_base"),
        ("gpt-4-32k-0613", "cl100k_base"),
        ("gpt-3.5-turbo-0125", "cl100k_base"),
        ("text-embedding-3-small", "cl100k_base"),
        ("text-embedding-ada-002", "cl100k_base"),
        ("claude-3-5-haiku-latest", "anthropic"),
        ("anthropic.claude-3-sonnet-20240229-v1:0", "anthropic"),
        ("gemini-2.0-flash", "gemini"),
        ("models/gemma-3-27b-it", "gemini"),
        ("llama-3.3-70b-versatile", "llama"),
        ("codestral-latest", "mistral"),
        ("gpt-4.2-hypothetical", "unknown"),
        ("o10", "unknown"),
        ("qwen-max", "unknown"),
    ],
)
def test_tokenizer_for(name: str, tokenizer: str) -> None:
    assert tokenizer_for(name) == tokenizer


@dataclass
class Spec:
    tokenizer: str | None
    id: str | None = None
    provider: str | None = None


def test_tokenizer_for_specs() -> None:
    assert tokenizer_for(Spec("o200k_base", "whatever")) == "o200k_base"
    assert tokenizer_for(Spec("llama", "gpt-4o")) == "llama"  # the catalog wins
    assert tokenizer_for(Spec(None, "gpt-4o-mini")) == "o200k_base"
    assert tokenizer_for(Spec(None, "sonnet", "anthropic")) == "anthropic"
    assert tokenizer_for(Spec(None, "x", "google")) == "gemini"
    assert tokenizer_for(Spec(None)) == "unknown"
    with pytest.raises(TypeError):
        tokenizer_for(3.5)


# ------------------------------------------------------------------------------- fit_text

TEXT = "Hello wonderful world, héllo 😀 again and again"


def test_fit_text_examples() -> None:
    encoding = get_encoding("o200k_base")
    assert fit_text(TEXT, "gpt-4o", 10_000) == TEXT
    assert fit_text(TEXT, "gpt-4o", 0) == ""
    cut = fit_text(TEXT, "gpt-4o", 5)
    assert cut == encoding.decode(encoding.encode_ordinary(TEXT)[:5])
    assert count_tokens(cut, "gpt-4o").value == 5
    # the emoji is 1+ tokens: a cut never splits a character
    for budget in range(count_tokens(TEXT, "gpt-4o").value + 1):
        assert TEXT.startswith(fit_text(TEXT, "gpt-4o", budget))


def test_fit_text_estimate_respects_estimated_count() -> None:
    text = "The quick brown fox jumps over the lazy dog. " * 50
    cut = fit_text(text, "claude-sonnet-4", 100)
    assert text.startswith(cut)
    assert count_tokens(cut, "claude-sonnet-4").value <= 100
    assert count_tokens(cut, "claude-sonnet-4").value >= 95


def test_fit_text_bad_budget() -> None:
    with pytest.raises(ValueError, match=">= 0"):
        fit_text("x", "gpt-4o", -1)
    with pytest.raises(TypeError):
        fit_text("x", "gpt-4o", 1.5)  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(max_size=80),
    budget=st.integers(min_value=0, max_value=30),
    model=st.sampled_from(["gpt-4o", "gpt-4", "gemini-2.5-pro"]),
)
def test_fit_text_properties(text: str, budget: int, model: str) -> None:
    cut = fit_text(text, model, budget)
    assert text.startswith(cut)
    total = count_tokens(text, model).value
    counted = count_tokens(cut, model).value
    assert counted <= budget
    if total <= budget:
        assert cut == text


@settings(max_examples=50, deadline=None)
@given(text=st.text(alphabet=st.characters(categories=["Cs", "Ll"]), max_size=30))
def test_fit_text_with_lone_surrogates(text: str) -> None:
    cut = fit_text(text, "gpt-4o", 3)
    assert count_tokens(cut, "gpt-4o").value <= 3


def test_the_tokenizer_of_a_catalog_id_comes_from_the_catalog() -> None:
    import llmaestro
    from llmaestro.tokens.count import count_tokens

    registry = llmaestro.load()
    embedding = registry.get("openai/text-embedding-3-small")
    assert embedding.tokenizer == "cl100k_base"  # the catalog says so
    counted = count_tokens("Hello, world", "openai/text-embedding-3-small")
    assert counted.method == "tiktoken:cl100k_base"
    assert counted.exact
