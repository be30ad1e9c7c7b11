"""Chat message counting: the OpenAI cookbook's rules, tools, images, estimates, client hook."""

from __future__ import annotations

import base64
import math
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from llmaestro.tokens.count import (
    TokenCount,
    count_message_tokens,
    count_tokens,
    get_encoding,
)

# OpenAI cookbook, "How to count tokens with tiktoken", section 6.
COOKBOOK_MESSAGES: list[dict[str, Any]] = [
    {
        "role": "system",
        "content": "You are a helpful, pattern-following assistant that translates corporate "
        "jargon into plain English.",
    },
    {
        "role": "system",
        "name": "example_user",
        "content": "New synergies will help drive top-line growth.",
    },
    {
        "role": "system",
        "name": "example_assistant",
        "content": "Things working well together will increase revenue.",
    },
    {
        "role": "system",
        "name": "example_user",
        "content": "Let's circle back when we have more bandwidth to touch base on opportunities "
        "for increased leverage.",
    },
    {
        "role": "system",
        "name": "example_assistant",
        "content": "Let's talk later when we're less busy about how to do better.",
    },
    {
        "role": "user",
        "content": "This late pivot means we don't have time to boil the ocean for the client "
        "deliverable.",
    },
]

# Section 7.
COOKBOOK_TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "get_current_weather",
            "description": "Get the current weather in a given location",
            "parameters": {
                "type": "object",
                "properties": {
                    "location": {
                        "type": "string",
                        "description": "The city and state, e.g. San Francisco, CA",
                    },
                    "unit": {
                        "type": "string",
                        "description": "The unit of temperature to return",
                        "enum": ["celsius", "fahrenheit"],
                    },
                },
                "required": ["location"],
            },
        },
    }
]
COOKBOOK_TOOL_MESSAGES = [
    {
        "role": "system",
        "content": "You are a helpful assistant that can answer to questions about the weather.",
    },
    {"role": "user", "content": "What's the weather like in San Francisco?"},
]


def n(text: str, encoding: str = "o200k_base") -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


def by_hand(messages: Sequence[Mapping[str, str]], encoding: str) -> int:
    """The cookbook's num_tokens_from_messages, written out."""
    total = 0
    for message in messages:
        total += 3
        for key, value in message.items():
            total += n(value, encoding)
            if key == "name":
                total += 1
    return total + 3


# --------------------------------------------------------------------------- messages


@pytest.mark.parametrize(
    ("model", "encoding", "api_count"),
    [
        ("gpt-4o", "o200k_base", 124),
        ("gpt-4o-mini", "o200k_base", 124),
        ("gpt-4o-2024-08-06", "o200k_base", 124),
        ("gpt-4", "cl100k_base", 129),
        ("gpt-4-0613", "cl100k_base", 129),
        ("gpt-3.5-turbo", "cl100k_base", 129),
    ],
)
def test_cookbook_example(model: str, encoding: str, api_count: int) -> None:
    count = count_message_tokens(COOKBOOK_MESSAGES, model)
    # 124 / 129 are the prompt_tokens the OpenAI API reported in the cookbook
    assert count.value == api_count == by_hand(COOKBOOK_MESSAGES, encoding)
    assert count.exact
    assert count.method == f"tiktoken:{encoding}+chat"
    assert count.expected_error is None


def test_single_message_by_hand() -> None:
    # 3 per message + "user" (1) + "hello" (1) + 3 reply priming
    assert n("user") == 1
    assert n("hello") == 1
    assert count_message_tokens([{"role": "user", "content": "hello"}], "gpt-4o").value == 8
    # a name adds its tokens + 1
    named = [{"role": "user", "content": "hello", "name": "bob"}]
    assert count_message_tokens(named, "gpt-4o").value == 8 + n("bob") + 1
    assert count_message_tokens([], "gpt-4o").value == 3


def test_content_parts_and_none_content() -> None:
    parts = [{"role": "user", "content": [{"type": "text", "text": "hello there"}]}]
    plain = [{"role": "user", "content": "hello there"}]
    assert count_message_tokens(parts, "gpt-4o") == count_message_tokens(plain, "gpt-4o")
    two = [
        {"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}
    ]
    count = count_message_tokens(two, "gpt-4o")
    assert not count.exact
    assert "several text parts" in count.method
    empty = [{"role": "assistant", "content": None}]
    assert count_message_tokens(empty, "gpt-4o").value == 3 + n("assistant") + 3


# --------------------------------------------------------------------------- tools


def by_hand_tools(tools: list[dict[str, Any]], encoding: str, func_init: int) -> int:
    """The cookbook's num_tokens_for_tools (tool part only), written out."""
    total = 0
    for tool in tools:
        total += func_init
        f = tool["function"]
        total += n(f"{f['name']}:{f['description'].removesuffix('.')}", encoding)
        props = f["parameters"]["properties"]
        if props:
            total += 3  # prop_init
            for key, prop in props.items():
                total += 3  # prop_key
                if "enum" in prop:
                    total += -3  # enum_init
                    for item in prop["enum"]:
                        total += 3 + n(item, encoding)  # enum_item
                desc = prop["description"].removesuffix(".")
                total += n(f"{key}:{prop['type']}:{desc}", encoding)
    return total + 12  # func_end


@pytest.mark.parametrize(
    ("model", "encoding", "func_init", "api_count"),
    [
        ("gpt-4o", "o200k_base", 7, 101),
        ("gpt-4o-mini", "o200k_base", 7, 101),
        ("gpt-4", "cl100k_base", 10, 105),
        ("gpt-3.5-turbo", "cl100k_base", 10, 105),
    ],
)
def test_cookbook_tools_example(model: str, encoding: str, func_init: int, api_count: int) -> None:
    count = count_message_tokens(COOKBOOK_TOOL_MESSAGES, model, tools=COOKBOOK_TOOLS)
    expected = by_hand(COOKBOOK_TOOL_MESSAGES, encoding) + by_hand_tools(
        COOKBOOK_TOOLS, encoding, func_init
    )
    assert count.value == expected == api_count
    assert count.exact
    assert count.method == f"tiktoken:{encoding}+chat+tools"


def test_anthropic_style_tool_is_counted_like_openai_function() -> None:
    fn = COOKBOOK_TOOLS[0]["function"]
    anthropic_tool = {
        "name": fn["name"],
        "description": fn["description"],
        "input_schema": fn["parameters"],
    }
    ours = count_message_tokens(COOKBOOK_TOOL_MESSAGES, "gpt-4o", tools=[anthropic_tool])
    assert ours.value == 101


def test_nested_tool_schema_is_approximate() -> None:
    tool = {
        "type": "function",
        "function": {
            "name": "f",
            "description": "Do it.",
            "parameters": {
                "type": "object",
                "properties": {"xs": {"type": "array", "items": {"type": "integer"}}},
            },
        },
    }
    count = count_message_tokens(COOKBOOK_TOOL_MESSAGES, "gpt-4o", tools=[tool])
    assert not count.exact
    assert "nested tool schemas" in count.method
    assert count.expected_error is not None


def test_tool_calls_are_counted_but_approximate() -> None:
    arguments = '{"location": "Paris"}'
    messages: list[dict[str, Any]] = [
        {"role": "user", "content": "Weather in Paris?"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_current_weather", "arguments": arguments},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "18C"},
    ]
    count = count_message_tokens(messages, "gpt-4o")
    assert not count.exact
    assert "tool calls" in count.method
    assert "tool results" in count.method
    floor = by_hand([messages[0]], "o200k_base") + n("get_current_weather") + n(arguments)
    assert count.value > floor


# --------------------------------------------------------------------------- images


def png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + b"\0\0\0\0"


def image_message(part: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"role": "user", "content": [{"type": "text", "text": "What is this?"}, part]}]


TEXT_PART = 3 + n("user") + n("What is this?") + 3


def test_image_with_explicit_size() -> None:
    part = {
        "type": "image_url",
        "image_url": {"url": "https://example.com/cat.png", "detail": "high"},
        "width": 1024,
        "height": 1024,
    }
    count = count_message_tokens(image_message(part), "gpt-4o")
    assert count.value == TEXT_PART + 765
    assert count.exact
    assert count.method == "tiktoken:o200k_base+chat+images"


def test_image_size_read_from_data_url() -> None:
    url = "data:image/png;base64," + base64.b64encode(png_header(2048, 4096)).decode()
    part = {"type": "image_url", "image_url": {"url": url, "detail": "high"}}
    assert count_message_tokens(image_message(part), "gpt-4o").value == TEXT_PART + 1105
    mini = count_message_tokens(image_message(part), "gpt-4o-mini")
    assert mini.value == TEXT_PART + 2833 + 6 * 5667


def test_image_low_detail_needs_no_size() -> None:
    part = {"type": "image_url", "image_url": {"url": "https://x/y.jpg", "detail": "low"}}
    count = count_message_tokens(image_message(part), "gpt-4o")
    assert count.value == TEXT_PART + 85
    assert count.exact


def test_image_of_unknown_size_is_an_upper_bound() -> None:
    part = {"type": "image_url", "image_url": {"url": "https://x/y.jpg", "detail": "high"}}
    count = count_message_tokens(image_message(part), "gpt-4o")
    assert count.value == TEXT_PART + 85 + 8 * 170
    assert not count.exact


def test_anthropic_image_block() -> None:
    data = base64.b64encode(png_header(1000, 1000)).decode()
    part = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": data}}
    count = count_message_tokens(image_message(part), "claude-sonnet-4-5")
    text = math.ceil(TEXT_PART * 1.25)
    assert count.value == text + 1296  # 36 x 36 patches of 28 px
    assert not count.exact
    assert count.method.startswith("estimate:o200k_base×1.25(anthropic:claude-3..4.6)")


# --------------------------------------------------------------------------- estimates


@pytest.mark.parametrize(
    ("model", "family", "factor"),
    [
        ("claude-3-5-sonnet-20241022", "anthropic:claude-3..4.6", 1.25),
        ("anthropic/claude-opus-4", "anthropic:claude-3..4.6", 1.25),
        ("claude-opus-4-7", "anthropic:claude-opus-4.7+", 1.45),
        ("gemini-2.0-flash", "gemini:gemini-1.x/2.x", 1.10),
        ("gemini-3-pro-preview", "gemini:gemini-3+", 1.10),
        ("meta-llama/Llama-3.1-70B-Instruct", "llama", 1.05),
        ("mistral-large-latest", "mistral", 1.15),
        ("some-new-model", "unknown", 1.00),
    ],
)
def test_other_providers_are_labelled_estimates(model: str, family: str, factor: float) -> None:
    text = "The quick brown fox jumps over the lazy dog. " * 20
    count = count_tokens(text, model)
    assert not count.exact
    assert count.method == f"estimate:o200k_base×{factor:.2f}({family})"
    assert count.expected_error is not None
    assert 0 < count.expected_error < 1
    assert count.value == math.ceil(n(text) * factor)
    messages = count_message_tokens(COOKBOOK_MESSAGES, model)
    assert not messages.exact
    assert messages.value == math.ceil(by_hand(COOKBOOK_MESSAGES, "o200k_base") * factor)


def test_unverified_openai_framing_is_not_claimed_exact() -> None:
    count = count_message_tokens(COOKBOOK_MESSAGES, "o3-mini")
    assert count.value == 124
    assert not count.exact
    assert count.expected_error == pytest.approx(0.02)
    # the text itself is exact
    assert count_tokens("hello", "o3-mini").exact


# --------------------------------------------------------------------------- specs, client


@dataclass
class Offering:
    id: str
    provider: str
    tokenizer: str | None


def test_spec_objects() -> None:
    assert count_tokens("hello world", Offering("x", "azure", "o200k_base")).exact
    assert count_tokens("hello world", Offering("gpt-4", "openai", None)).method == (
        "tiktoken:cl100k_base"
    )
    est = count_tokens("hello world", Offering("x", "anthropic", None))
    assert est.method.endswith("(anthropic)")
    assert count_message_tokens(COOKBOOK_MESSAGES, Offering("gpt-4o", "openai", None)).exact


class FakeClient:
    def __init__(self, value: int) -> None:
        self.value = value
        self.calls: list[tuple[list[Mapping[str, Any]], str]] = []

    def count_tokens(self, messages: Sequence[Mapping[str, Any]], model: str) -> int:
        self.calls.append((list(messages), model))
        return self.value


def test_client_hook_gives_exact_endpoint_counts() -> None:
    client = FakeClient(42)
    spec = Offering("claude-sonnet-4-5", "anthropic", "anthropic")
    count = count_tokens("hello", spec, client=client)
    assert count == TokenCount(42, True, "endpoint:anthropic")
    assert client.calls == [([{"role": "user", "content": "hello"}], "claude-sonnet-4-5")]
    count = count_message_tokens(COOKBOOK_MESSAGES, spec, client=client)
    assert count == TokenCount(42, True, "endpoint:anthropic")
    with_tools = count_message_tokens(COOKBOOK_MESSAGES, spec, tools=COOKBOOK_TOOLS, client=client)
    assert with_tools.value > 42
    assert not with_tools.exact  # the tools part is an estimate for Anthropic


def test_token_count_addition() -> None:
    a = TokenCount(3, True, "x")
    b = TokenCount(4, False, "y", 0.1)
    assert a + a == TokenCount(6, True, "x")
    assert a + b == TokenCount(7, False, "x+y", 0.1)
    assert int(b) == 4


def test_bad_inputs() -> None:
    with pytest.raises(TypeError):
        count_tokens(b"bytes", "gpt-4o")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        count_tokens("x", 42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        count_message_tokens(["not a dict"], "gpt-4o")  # type: ignore[list-item]
