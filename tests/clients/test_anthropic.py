"""Anthropic Messages API against a local server."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from llmaestro.clients import (
    AnthropicClient,
    ImagePart,
    Message,
    Reasoning,
    ReasoningDelta,
    ResponseFormat,
    RetryPolicy,
    TextDelta,
    ThinkingPart,
    Tool,
    ToolCall,
    ToolCallDelta,
    client_for,
)
from llmaestro.cost import cost
from llmaestro.errors import (
    AuthenticationError,
    CapabilityError,
    ContextLengthExceededError,
    InvalidResponseError,
    RateLimitedError,
    ServerError,
)
from llmaestro.registry.core import Registry
from llmaestro.tokens.count import count_message_tokens
from tests.clients._server import (
    FAKE_KEY,
    LocalServer,
    Recorded,
    Reply,
    Sequenced,
    Waits,
    sse_named,
)

MODEL = "claude-haiku-4-5-20251001"
USAGE = {
    "input_tokens": 12,
    "output_tokens": 7,
    "cache_read_input_tokens": 100,
    "cache_creation_input_tokens": 0,
}


def message(*content: dict[str, Any], stop: str = "end_turn") -> dict[str, Any]:
    return {
        "id": "msg_01",
        "type": "message",
        "role": "assistant",
        "model": MODEL,
        "content": list(content),
        "stop_reason": stop,
        "usage": USAGE,
    }


def make_client(
    server: LocalServer, waits: Waits, registry: Registry, **kw: Any
) -> AnthropicClient:
    kw.setdefault("retry", RetryPolicy(jitter=0))
    client = client_for(
        "anthropic",
        api_key=FAKE_KEY,
        base_url=server.url + "/v1",
        registry=registry,
        sleep=waits.sleep,
        asleep=waits.asleep,
        **kw,
    )
    assert isinstance(client, AnthropicClient)
    return client


def test_messages_request_and_response(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    server.route = lambda r: Reply(
        json=message(
            {"type": "thinking", "thinking": "Hmm.", "signature": "sig-1"},
            {"type": "text", "text": "Calling the tool."},
            {"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {"q": "x"}},
            stop="tool_use",
        ),
        headers={"request-id": "req_ant_1"},
    )
    tool = Tool("lookup", "Look up", {"type": "object", "properties": {"q": {"type": "string"}}})
    history = [
        Message.system("You are terse."),
        Message.user("Find x", ImagePart.from_base64("AAAA", "image/png")),
        Message.assistant(
            [ThinkingPart("earlier", signature="sig-0"), "Looking."],
            tool_calls=[ToolCall("toolu_0", "lookup", '{"q": "y"}')],
        ),
        Message.tool("toolu_0", "found y"),
        Message.user("Now x"),
    ]
    with make_client(server, waits, registry) as client:
        reply = client.chat(
            history,
            MODEL,
            tools=[tool],
            tool_choice="required",
            parallel_tool_calls=False,
            reasoning=Reasoning(budget_tokens=2048),
            stop=["###"],
        )
    (req,) = server.requests
    assert (req.method, req.path) == ("POST", "/v1/messages")
    ok = req.headers.get("x-api-key") == FAKE_KEY and "authorization" not in req.headers
    assert ok
    assert req.headers["anthropic-version"] == "2023-06-01"
    body = req.json
    assert body["model"] == MODEL
    assert body["system"] == "You are terse."
    limit = registry.get("anthropic/" + MODEL).limits
    expected = 2048 + 4096  # the thinking budget + the default output cap
    if limit is not None and limit.max_output is not None:
        expected = min(expected, limit.max_output)
    assert body["max_tokens"] == expected
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 2048}
    assert body["tool_choice"] == {"type": "any", "disable_parallel_tool_use": True}
    assert body["stop_sequences"] == ["###"]
    assert body["tools"] == [
        {"name": "lookup", "input_schema": tool.parameters, "description": "Look up"}
    ]
    turns = body["messages"]
    assert [t["role"] for t in turns] == ["user", "assistant", "user"]
    assert turns[0]["content"][1] == {
        "type": "image",
        "source": {"type": "base64", "media_type": "image/png", "data": "AAAA"},
    }
    assert turns[1]["content"] == [
        {"type": "thinking", "thinking": "earlier", "signature": "sig-0"},
        {"type": "text", "text": "Looking."},
        {"type": "tool_use", "id": "toolu_0", "name": "lookup", "input": {"q": "y"}},
    ]
    # the tool result and the next user message share one user turn
    assert turns[2]["content"] == [
        {
            "type": "tool_result",
            "tool_use_id": "toolu_0",
            "content": [{"type": "text", "text": "found y"}],
        },
        {"type": "text", "text": "Now x"},
    ]
    assert reply.text == "Calling the tool."
    assert reply.reasoning == "Hmm."
    assert reply.message.thinking[0].signature == "sig-1"
    assert reply.tool_calls == (ToolCall("toolu_1", "lookup", '{"q": "x"}'),)
    assert reply.finish_reason == "tool_calls" and reply.raw_finish_reason == "tool_use"
    assert reply.request_id == "req_ant_1"
    # Anthropic input_tokens exclude the cache: normalized input counts them all
    assert (reply.usage.input_tokens, reply.usage.cache_read_tokens) == (112, 100)
    assert reply.cost == cost(registry.get("anthropic/" + MODEL), reply.usage)


def test_structured_output_and_effort(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    server.route = lambda r: Reply(json=message({"type": "text", "text": '{"a": 1}'}))
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}}
    with make_client(server, waits, registry) as client:
        reply = client.chat(
            [Message.user("Give a")],
            MODEL,
            response_format=ResponseFormat.json_schema(schema),
            reasoning="low",
            max_tokens=300,
        )
        with pytest.raises(CapabilityError, match="no JSON mode"):
            client.chat([Message.user("x")], MODEL, response_format=ResponseFormat.json_object())
        with pytest.raises(CapabilityError, match="no seed"):
            client.chat([Message.user("x")], MODEL, seed=1)
    body = server.requests[0].json
    assert body["output_config"] == {
        "format": {"type": "json_schema", "schema": schema},
        "effort": "low",
    }
    assert body["max_tokens"] == 300 and "thinking" not in body
    assert reply.json() == {"a": 1}
    assert len(server.requests) == 1


def _event(kind: str, **fields: Any) -> tuple[str, dict[str, Any]]:
    return kind, {"type": kind, **fields}


def _start(index: int, **block: Any) -> tuple[str, dict[str, Any]]:
    return _event("content_block_start", index=index, content_block=block)


def _delta(index: int, **delta: Any) -> tuple[str, dict[str, Any]]:
    return _event("content_block_delta", index=index, delta=delta)


def _stop(index: int) -> tuple[str, dict[str, Any]]:
    return _event("content_block_stop", index=index)


STREAM = sse_named(
    _event(
        "message_start",
        message={
            "id": "msg_s",
            "type": "message",
            "role": "assistant",
            "model": MODEL,
            "content": [],
            "usage": {"input_tokens": 30, "output_tokens": 1},
        },
    ),
    _start(0, type="thinking", thinking=""),
    _delta(0, type="thinking_delta", thinking="Plan."),
    _delta(0, type="signature_delta", signature="sig-s"),
    _stop(0),
    _event("ping"),
    _start(1, type="text", text=""),
    _delta(1, type="text_delta", text="Hi "),
    _delta(1, type="text_delta", text="there"),
    _stop(1),
    _start(2, type="tool_use", id="toolu_s", name="lookup", input={}),
    _delta(2, type="input_json_delta", partial_json='{"q": '),
    _delta(2, type="input_json_delta", partial_json='"z"}'),
    _stop(2),
    _event("message_delta", delta={"stop_reason": "tool_use"}, usage={"output_tokens": 42}),
    _event("message_stop"),
)


def test_stream_events_usage_and_cost(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    server.route = lambda r: Reply(sse=STREAM)
    with (
        make_client(server, waits, registry) as client,
        client.stream([Message.user("Hi")], MODEL) as events,
    ):
        seen = list(events)
    assert server.requests[0].json["stream"] is True
    deltas = [e for e in seen if not hasattr(e, "response")]
    assert deltas == [
        ReasoningDelta("Plan."),
        TextDelta("Hi "),
        TextDelta("there"),
        ToolCallDelta(index=0, id="toolu_s", name="lookup", arguments=""),
        ToolCallDelta(index=0, arguments='{"q": '),
        ToolCallDelta(index=0, arguments='"z"}'),
    ]
    final = events.response
    assert final is not None
    assert final.text == "Hi there" and final.reasoning == "Plan."
    assert final.message.thinking[0].signature == "sig-s"
    assert final.tool_calls[0].parsed_arguments() == {"q": "z"}
    assert final.finish_reason == "tool_calls"
    assert (final.usage.input_tokens, final.usage.output_tokens) == (30, 42)
    assert final.cost is not None and final.cost.total > 0
    assert final.id == "msg_s"


def test_async_stream(server: LocalServer, waits: Waits, registry: Registry) -> None:
    server.route = lambda r: Reply(sse=STREAM)

    async def main() -> Any:
        async with make_client(server, waits, registry) as client:
            return await client.astream([Message.user("Hi")], MODEL).final_response()

    final = asyncio.run(main())
    assert final.usage.output_tokens == 42 and final.text == "Hi there"


def test_error_event_mid_stream(server: LocalServer, waits: Waits, registry: Registry) -> None:
    events = [
        *STREAM[:1],
        *sse_named(
            (
                "error",
                {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
            )
        ),
    ]
    server.route = lambda r: Reply(sse=events)
    with (
        make_client(server, waits, registry) as client,
        pytest.raises(ServerError, match="Overloaded") as info,
    ):
        list(client.stream([Message.user("Hi")], MODEL))
    assert info.value.error_type == "overloaded_error"
    assert len(server.requests) == 1  # bytes were received: never retried


def test_overloaded_529_is_retried(server: LocalServer, waits: Waits, registry: Registry) -> None:
    overloaded = Reply(
        529, json={"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    )
    server.route = Sequenced(overloaded, Reply(json=message({"type": "text", "text": "ok"})))
    with make_client(server, waits, registry) as client:
        assert client.chat([Message.user("Hi")], MODEL).text == "ok"
    assert waits.waits == [0.5]


def test_error_types(server: LocalServer, waits: Waits, registry: Registry) -> None:
    def error(status: int, kind: str, text: str, **headers: str) -> Reply:
        return Reply(
            status,
            json={"type": "error", "error": {"type": kind, "message": text}},
            headers=headers,
        )

    with make_client(server, waits, registry) as client:
        server.route = lambda r: error(
            401, "authentication_error", "invalid x-api-key", **{"request-id": "req_x"}
        )
        with pytest.raises(AuthenticationError) as auth:
            client.chat([Message.user("Hi")], MODEL)
        assert (auth.value.request_id, auth.value.error_type) == ("req_x", "authentication_error")
        server.route = lambda r: error(
            400, "invalid_request_error", "prompt is too long: 250000 tokens > 200000 maximum"
        )
        with pytest.raises(ContextLengthExceededError):
            client.chat([Message.user("Hi")], MODEL, check=False)
        server.route = lambda r: error(
            429, "rate_limit_error", "slow down", **{"retry-after": "61"}
        )
        with pytest.raises(RateLimitedError) as limited:
            client.chat([Message.user("Hi")], MODEL)
        assert limited.value.retry_after == 61.0
    assert len(server.requests) == 3 and waits.waits == []


def test_count_tokens_and_token_utils(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    def route(r: Recorded) -> Reply:
        assert r.path == "/v1/messages/count_tokens"
        return Reply(json={"input_tokens": 1234})

    server.route = route
    tool = Tool("lookup", None, None)
    with make_client(server, waits, registry) as client:
        assert (
            client.count_tokens([Message.system("S"), Message.user("Hi")], MODEL, tools=[tool])
            == 1234
        )
        counted = count_message_tokens(
            [{"role": "user", "content": "Hi"}], "anthropic/" + MODEL, client=client
        )
    assert counted.exact and counted.value == 1234
    body = server.requests[0].json
    assert body == {
        "model": MODEL,
        "messages": [{"role": "user", "content": [{"type": "text", "text": "Hi"}]}],
        "system": "S",
        "tools": [{"name": "lookup", "input_schema": {"type": "object", "properties": {}}}],
    }
    assert "max_tokens" not in body


def test_list_models_with_after_id(server: LocalServer, waits: Waits, registry: Registry) -> None:
    def route(r: Recorded) -> Reply:
        if r.query.get("after_id") == "b":
            return Reply(
                json={
                    "data": [{"id": "c", "type": "model", "display_name": "C"}],
                    "has_more": False,
                    "first_id": "c",
                    "last_id": "c",
                }
            )
        return Reply(
            json={
                "data": [
                    {"id": "a", "type": "model", "created_at": "2025-02-19T00:00:00Z"},
                    {"id": "b", "type": "model"},
                ],
                "has_more": True,
                "first_id": "a",
                "last_id": "b",
            }
        )

    server.route = route
    with make_client(server, waits, registry) as client:
        models = client.list_models()
    assert [m.id for m in models] == ["a", "b", "c"]
    assert models[0].created is not None and models[0].created.year == 2025
    assert models[2].display_name == "C"
    assert server.requests[0].query == {"limit": "1000"}
    assert server.requests[1].query == {"limit": "1000", "after_id": "b"}
    assert all(r.headers.get("anthropic-version") for r in server.requests)


def test_a_listing_that_does_not_end_is_an_error(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    """A cursor that comes back again would make a short list look complete: it raises."""
    server.route = lambda r: Reply(
        json={"data": [{"id": "a", "type": "model"}], "has_more": True, "last_id": "a"}
    )
    with (
        make_client(server, waits, registry) as client,
        pytest.raises(
            InvalidResponseError, match="did not end: the page cursor 'a' came back twice"
        ),
    ):
        client.list_models()
    assert len(server.requests) == 2
