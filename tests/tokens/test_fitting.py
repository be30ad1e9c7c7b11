"""fit_messages and cheapest_model_for."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import llmaestro
from llmaestro.catalog.model import Offering
from llmaestro.errors import CostError
from llmaestro.tokens.count import count_message_tokens
from llmaestro.tokens.fitting import DEFAULT_OUTPUT_TOKENS, cheapest_model_for, fit_messages
from tests.cost import offerings as o

SYSTEM = {"role": "system", "content": "You are a careful assistant."}
LOREM = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. "


def conversation(turns: int, words: int = 40) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = [SYSTEM]
    for i in range(turns):
        messages.append({"role": "user", "content": f"Question {i}: " + LOREM * (words // 8)})
        messages.append({"role": "assistant", "content": f"Answer {i}: " + LOREM * (words // 8)})
    messages.append({"role": "user", "content": "And the final question?"})
    return messages


def tokens(messages: Iterable[Mapping[str, Any]], model: Any = "gpt-4o") -> int:
    return count_message_tokens(list(messages), model).value


def test_unchanged_when_it_fits() -> None:
    messages = conversation(3)
    result = fit_messages(messages, "gpt-4o", reserve_output=100, context_window=100_000)
    assert result.fits
    assert not result.changed
    assert result.dropped == result.truncated == ()
    assert all(a is b for a, b in zip(result.messages, messages, strict=True))
    assert result.tokens == result.original_tokens
    assert result.budget == 100_000 - 100


def test_drops_oldest_turns_first_and_keeps_system_and_last_user() -> None:
    messages = conversation(6)
    total = tokens(messages)
    per_turn = tokens(messages[1:3]) - tokens([])
    budget = total - 2 * per_turn - 5  # a bit more than two turns must go
    result = fit_messages(
        messages, "gpt-4o", reserve_output=0, context_window=budget, min_truncated_tokens=10_000
    )
    assert result.fits
    assert result.tokens.value <= budget
    assert result.tokens.value == tokens(result.messages)
    assert result.dropped == (1, 2, 3, 4, 5, 6)  # three oldest turns (no truncation allowed)
    assert result.messages[0] is SYSTEM
    assert result.messages[-1] is messages[-1]
    assert result.messages[1] is messages[7]


def test_truncates_instead_of_dropping_a_whole_turn() -> None:
    messages = conversation(2, words=400)
    total = tokens(messages)
    budget = total - 50
    result = fit_messages(messages, "gpt-4o", reserve_output=0, context_window=budget)
    assert result.fits
    assert result.dropped == ()
    assert len(result.truncated) == 1
    index = result.truncated[0]
    original = messages[index]["content"]
    cut = result.messages[index]["content"]
    assert original.startswith(cut)
    assert len(cut) < len(original)
    assert budget - 5 <= result.tokens.value <= budget  # cut by about what was needed
    assert messages[index]["content"] == original  # the input is never modified


def test_truncates_text_parts() -> None:
    image = {"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "low"}}
    old = {"role": "user", "content": [{"type": "text", "text": LOREM * 80}, image]}
    messages: list[dict[str, Any]] = [
        SYSTEM,
        old,
        {"role": "assistant", "content": "ok"},
        {"role": "user", "content": "q"},
    ]
    budget = tokens(messages) - 100
    result = fit_messages(messages, "gpt-4o", reserve_output=0, context_window=budget)
    assert result.truncated == (1,)
    parts = result.messages[1]["content"]
    assert parts[1] == image
    assert parts[0]["text"] != LOREM * 80
    assert (LOREM * 80).startswith(parts[0]["text"])


def test_tool_calls_are_dropped_with_their_results() -> None:
    call = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "lookup", "arguments": '{"q": "' + LOREM * 20 + '"}'},
            }
        ],
    }
    result_msg = {"role": "tool", "tool_call_id": "call_1", "content": LOREM * 30}
    messages: list[dict[str, Any]] = [
        SYSTEM,
        {"role": "user", "content": "Look this up."},
        call,
        result_msg,
        {"role": "assistant", "content": "Found it."},
        {"role": "user", "content": "Thanks, now summarize."},
    ]
    budget = tokens(messages) - 20
    result = fit_messages(messages, "gpt-4o", reserve_output=0, context_window=budget)
    assert result.fits
    assert result.dropped == (1, 2, 3, 4)
    assert all(m.get("role") != "tool" for m in result.messages)


def test_anthropic_tool_results_stay_with_their_turn() -> None:
    use = {
        "role": "assistant",
        "content": [{"type": "tool_use", "id": "t1", "name": "lookup", "input": {"q": "x"}}],
    }
    tool_result = {
        "role": "user",
        "content": [{"type": "tool_result", "tool_use_id": "t1", "content": LOREM * 30}],
    }
    messages: list[dict[str, Any]] = [
        {"role": "user", "content": "Look it up"},
        use,
        tool_result,
        {"role": "assistant", "content": "Done."},
        {"role": "user", "content": "Next?"},
    ]
    budget = tokens(messages, o.CLAUDE_HAIKU_4_5) - 10
    result = fit_messages(messages, o.CLAUDE_HAIKU_4_5, reserve_output=0, context_window=budget)
    assert result.dropped == (0, 1, 2, 3)
    assert not result.tokens.exact  # an estimate for Claude, labelled as such
    assert result.tokens.value <= budget


def test_the_current_turn_is_never_touched() -> None:
    current_turn = [
        {"role": "assistant", "content": LOREM * 50},
        {"role": "tool", "tool_call_id": "x", "content": LOREM * 50},
    ]
    messages = [*conversation(2), *current_turn]
    result = fit_messages(messages, "gpt-4o", reserve_output=0, context_window=60)
    assert not result.fits
    assert result.messages == (SYSTEM, *messages[-3:])
    assert result.dropped == (1, 2, 3, 4)
    assert result.truncated == ()


def test_protected_messages_that_do_not_fit() -> None:
    big_system = {"role": "system", "content": LOREM * 100}
    messages = [
        big_system,
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello"},
    ]
    messages.append({"role": "user", "content": LOREM * 100})
    result = fit_messages(messages, "gpt-4o", reserve_output=10, context_window=100)
    assert not result.fits
    assert result.messages == (big_system, messages[-1])
    assert result.tokens.value > result.budget


def test_window_from_the_offering() -> None:
    messages = conversation(1)
    assert fit_messages(messages, o.GPT_4O, reserve_output=1000).budget == 128_000 - 1000
    # gpt-5: context 400k but at most 272k prompt tokens
    assert fit_messages(messages, o.GPT_5, reserve_output=1000).budget == 272_000
    assert fit_messages(messages, o.GPT_5, reserve_output=200_000).budget == 200_000
    # an explicit window wins over the offering's
    assert fit_messages(messages, o.GPT_5, reserve_output=0, context_window=5000).budget == 5000


def test_window_unknown_or_too_small() -> None:
    with pytest.raises(CostError, match="context window of openai/gpt-image-1 is unknown"):
        fit_messages(conversation(1), o.GPT_IMAGE_1, reserve_output=10)
    with pytest.raises(CostError, match="no room"):
        fit_messages(conversation(1), o.GPT_4O, reserve_output=128_000)
    with pytest.raises(ValueError, match="reserve_output"):
        fit_messages(conversation(1), o.GPT_4O, reserve_output=-1)
    with pytest.raises(TypeError):
        fit_messages("hello", o.GPT_4O, reserve_output=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        fit_messages(["hello"], o.GPT_4O, reserve_output=1)  # type: ignore[list-item]


def test_model_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    class Registry:
        def get(self, model_id: str) -> Offering:
            assert model_id == "openai/gpt-4o"
            return o.GPT_4O

    def no_registry() -> None:
        raise AssertionError("the registry must not be needed with context_window=")

    monkeypatch.setattr(llmaestro, "load", no_registry, raising=False)
    result = fit_messages(conversation(1), "gpt-4o", reserve_output=10, context_window=50_000)
    assert result.budget == 49_990
    monkeypatch.setattr(llmaestro, "load", Registry, raising=False)
    assert fit_messages(conversation(1), "openai/gpt-4o", reserve_output=10).budget == 127_990


roles = st.sampled_from(["user", "assistant", "system"])
texts = st.text(alphabet="abc de\nfgh.", max_size=300)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(roles, texts), min_size=1, max_size=12),
    st.integers(min_value=20, max_value=600),
)
def test_fit_properties(pairs: list[tuple[str, str]], window: int) -> None:
    messages = [{"role": role, "content": text} for role, text in pairs]
    result = fit_messages(messages, "gpt-4o", reserve_output=0, context_window=window)
    assert result.tokens.value == tokens(result.messages)
    if result.fits:
        assert result.tokens.value <= window
    kept = [i for i in range(len(messages)) if i not in result.dropped]
    assert len(kept) == len(result.messages)
    for i, message in zip(kept, result.messages, strict=True):
        if i in result.truncated:
            assert messages[i]["content"].startswith(message["content"])
        else:
            assert message is messages[i]
    users = [i for i, m in enumerate(messages) if m["role"] == "user"]
    protected = {i for i, m in enumerate(messages) if m["role"] == "system"}
    protected |= set(range(users[-1] if users else len(messages) - 1, len(messages)))
    assert protected.isdisjoint(result.dropped)
    assert protected.isdisjoint(result.truncated)


# --- cheapest_model_for ---------------------------------------------------------------------

TINY = o.offering("example", "tiny-context", {"input": "0.01", "output": "0.01"}, context=50)


class FakeRegistry:
    def __init__(self, offerings: list[Offering]) -> None:
        self.offerings = offerings
        self.queries: list[dict[str, Any]] = []

    def query(self, **requirements: Any) -> list[Offering]:
        self.queries.append(requirements)
        return self.offerings


def test_cheapest_model_for() -> None:
    registry = FakeRegistry(
        [o.GPT_4O, o.CLAUDE_HAIKU_4_5, o.GPT_4O_MINI, o.UNPRICED, TINY, o.MISTRAL_MEDIUM_3]
    )
    messages = conversation(2)
    choice = cheapest_model_for(
        messages, {"kind": "chat"}, registry, output_tokens=500, tool_calling=True
    )
    assert registry.queries == [{"kind": "chat", "tool_calling": True}]
    assert choice.offering is o.GPT_4O_MINI
    assert choice.output_tokens == 500
    n = tokens(messages, o.GPT_4O_MINI)
    assert choice.input_tokens.value == n
    assert choice.input_tokens.exact
    # n x 0.15 + 500 x 0.60, per 1M
    assert choice.cost.total == (Decimal(n) * Decimal("0.15") + 500 * Decimal("0.60")) / 1_000_000
    ranked = [name for name, _ in choice.ranking]
    assert ranked[0] == "openai/gpt-4o-mini"
    totals = [b.total for _, b in choice.ranking]
    assert totals == sorted(totals)
    assert {"openai/gpt-4o", "anthropic/claude-haiku-4-5-20251001"} <= set(ranked)
    skipped = "\n".join(choice.skipped)
    assert "example/no-prices: unknown price (input, output, requests)" in skipped
    assert "example/tiny-context" in skipped and "context 50" in skipped


def test_cheapest_default_output_and_max_output() -> None:
    small_out = o.offering("example", "short", {"input": "0", "output": "0"}, max_output=100)
    choice = cheapest_model_for(conversation(1), registry=FakeRegistry([small_out, o.GPT_4O_MINI]))
    assert choice.output_tokens == DEFAULT_OUTPUT_TOKENS
    assert choice.offering is o.GPT_4O_MINI
    assert choice.skipped == ("example/short: 1024 output tokens > max_output",)


def test_cheapest_none_left() -> None:
    with pytest.raises(CostError, match="no offering can be priced"):
        cheapest_model_for(conversation(1), registry=FakeRegistry([o.UNPRICED]))
    with pytest.raises(CostError, match="returned no offering"):
        cheapest_model_for(conversation(1), registry=FakeRegistry([]))


def test_cheapest_uses_load_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = FakeRegistry([o.GPT_4O])
    monkeypatch.setattr(llmaestro, "load", lambda: registry, raising=False)
    assert cheapest_model_for(conversation(1), kind="chat").offering is o.GPT_4O
    assert registry.queries == [{"kind": "chat"}]
