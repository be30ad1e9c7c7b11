"""Pre-send catalog checks: CapabilityError before anything is sent; unknown facts never block."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from llmaestro._records import (
    BudgetRange,
    Capabilities,
    Limits,
    Modalities,
    Offering,
)
from llmaestro._records import Reasoning as ReasoningFacts
from llmaestro.clients import (
    AnthropicClient,
    ImagePart,
    Message,
    OpenAICompatClient,
    Reasoning,
    ResponseFormat,
    Tool,
)
from llmaestro.errors import CapabilityError
from llmaestro.registry.core import Registry
from tests.clients._server import FAKE_KEY

BASE = "https://api.example.test/v1"

TINY = Offering(
    provider="openai",
    model="tiny-1",
    kind="chat",
    limits=Limits(context=200, max_output=50),
    modalities=Modalities(input=("text",), output=("text",)),
    capabilities=Capabilities(
        tool_calling=False,
        structured_output=False,
        json_mode=False,
        system_prompt=False,
        temperature=False,
        streaming=False,
        reasoning=ReasoningFacts(supported=False),
    ),
)
UNKNOWN = Offering(provider="openai", model="mystery-1")  # no facts at all
THINKER = Offering(
    provider="anthropic",
    model="thinker-1",
    limits=Limits(context=10_000, max_output=4_000),
    capabilities=Capabilities(
        reasoning=ReasoningFacts(
            supported=True,
            effort_levels=("low", "high"),
            budget_tokens=BudgetRange(min=1024, max=2048),
            toggle=False,
        )
    ),
)
IMAGE = ImagePart.from_bytes(b"GIF89a\x01\x00\x01\x00", "image/gif")
TOOL = Tool("f", None, {"type": "object", "properties": {}})
SENT: list[httpx.Request] = []


def _reply(request: httpx.Request) -> httpx.Response:
    SENT.append(request)
    if request.url.path.endswith("/messages"):
        body = {
            "content": [{"type": "text", "text": "ok"}],
            "stop_reason": "end_turn",
            "usage": {"input_tokens": 1, "output_tokens": 1},
        }
    else:
        body = {
            "choices": [{"index": 0, "message": {"content": "ok"}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1},
        }
    return httpx.Response(200, json=body)


@pytest.fixture
def openai() -> Any:
    SENT.clear()
    client = OpenAICompatClient(
        api_key=FAKE_KEY, base_url=BASE, registry=False, transport=httpx.MockTransport(_reply)
    )
    with client:
        yield client


@pytest.fixture
def anthropic() -> Any:
    SENT.clear()
    client = AnthropicClient(
        api_key=FAKE_KEY, base_url=BASE, registry=False, transport=httpx.MockTransport(_reply)
    )
    with client:
        yield client


@pytest.mark.parametrize(
    ("options", "messages", "match"),
    [
        ({"tools": [TOOL]}, [Message.user("hi")], "does not support tool calling"),
        ({}, [Message.user("look", IMAGE)], "does not accept images"),
        (
            {"response_format": ResponseFormat.json_schema({"type": "object"})},
            [Message.user("x")],
            "structured output",
        ),
        ({"response_format": ResponseFormat.json_object()}, [Message.user("x")], "JSON mode"),
        ({}, [Message.system("s"), Message.user("x")], "system prompt"),
        ({"temperature": 0.5}, [Message.user("x")], "temperature"),
        ({"reasoning": "high"}, [Message.user("x")], "does not reason"),
        ({"max_tokens": 51}, [Message.user("x")], "generates at most 50 tokens"),
        ({}, [Message.user("word " * 400)], "context window of 200 tokens"),
        ({"max_tokens": 50}, [Message.user("word " * 250)], r"\+ max_tokens 50"),
    ],
)
def test_capability_errors_before_sending(
    openai: OpenAICompatClient, options: dict[str, Any], messages: list[Message], match: str
) -> None:
    with pytest.raises(CapabilityError, match=match) as info:
        openai.chat(messages, TINY, **options)
    assert "openai/tiny-1" in str(info.value)
    assert SENT == []


def test_streaming_refused(openai: OpenAICompatClient) -> None:
    with pytest.raises(CapabilityError, match="streaming"):
        openai.stream([Message.user("x")], TINY)
    assert SENT == []


def test_check_false_and_unknown_facts_never_block(openai: OpenAICompatClient) -> None:
    reply = openai.chat([Message.user("look", IMAGE)], TINY, tools=[TOOL], check=False)
    assert reply.text == "ok"
    everything: dict[str, Any] = {
        "tools": [TOOL],
        "temperature": 1.0,
        "max_tokens": 100_000,
        "response_format": ResponseFormat.json_object(),
        "reasoning": "high",
    }
    reply = openai.chat(
        [Message.system("s"), Message.user("x" * 5000, IMAGE)], UNKNOWN, **everything
    )
    assert reply.text == "ok"
    assert len(SENT) == 2


def test_reasoning_facts(anthropic: AnthropicClient) -> None:
    msgs = [Message.user("x")]
    with pytest.raises(CapabilityError, match="no reasoning effort 'medium'"):
        anthropic.chat(msgs, THINKER, reasoning="medium")
    with pytest.raises(CapabilityError, match="budget >= 1024"):
        anthropic.chat(msgs, THINKER, reasoning=Reasoning(budget_tokens=100))
    with pytest.raises(CapabilityError, match="budget <= 2048"):
        anthropic.chat(msgs, THINKER, reasoning=Reasoning(budget_tokens=4096))
    with pytest.raises(CapabilityError, match="cannot be switched off"):
        anthropic.chat(msgs, THINKER, reasoning=False)
    assert SENT == []
    anthropic.chat(msgs, THINKER, reasoning=Reasoning(effort="high", budget_tokens=1500))
    assert len(SENT) == 1


def test_offering_of_another_provider_is_refused(openai: OpenAICompatClient) -> None:
    with pytest.raises(ValueError, match="not an offering of openai"):
        openai.chat([Message.user("x")], THINKER)


def test_catalog_facts(registry: Registry) -> None:
    """Checks read the real catalog when the model id is given as a string."""
    SENT.clear()
    client = OpenAICompatClient(
        api_key=FAKE_KEY, base_url=BASE, registry=registry, transport=httpx.MockTransport(_reply)
    )
    found = registry.query(provider="openai", kind="embedding", status="active", limit=1)
    embedding = found[0] if found else None
    with client:
        if embedding is not None:
            with pytest.raises(CapabilityError, match="not a chat model"):
                client.chat([Message.user("x")], f"openai/{embedding.model}")
        context = registry.get("openai/gpt-4o").limits.context  # type: ignore[union-attr]
        assert context is not None
        with pytest.raises(CapabilityError, match="context window"):
            client.chat([Message.user("hello " * context)], "gpt-4o")
        assert SENT == []
        client.chat([Message.user("hello")], "gpt-4o", max_tokens=10)
    assert len(SENT) == 1
