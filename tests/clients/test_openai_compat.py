"""OpenAI chat completions (and compatible APIs) against a local server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterable, Iterable
from typing import Any

import pytest

from llmaestro.clients import (
    ImagePart,
    Message,
    OpenAICompatClient,
    Reasoning,
    ReasoningDelta,
    ResponseCompleted,
    ResponseFormat,
    RetryPolicy,
    TextDelta,
    Tool,
    ToolCallDelta,
    client_for,
)
from llmaestro.cost import cost
from llmaestro.errors import (
    AuthenticationError,
    ContextLengthExceededError,
    InvalidResponseError,
    ProviderConnectionError,
    ProviderTimeoutError,
    RateLimitedError,
    ServerError,
    UnknownModelWarning,
)
from llmaestro.registry.core import Registry
from tests.clients._server import (
    FAKE_KEY,
    LocalServer,
    Recorded,
    Reply,
    Sequenced,
    Waits,
    sse_data,
)

USAGE = {
    "prompt_tokens": 20,
    "completion_tokens": 5,
    "total_tokens": 25,
    "prompt_tokens_details": {"cached_tokens": 10},
}
WEATHER = Tool(
    "get_weather",
    "Weather of a city",
    {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)


def completion(text: str = "Hello!", **extra: Any) -> dict[str, Any]:
    body = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "gpt-4o-2024-08-06",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": USAGE,
    }
    body.update(extra)
    return body


def stream_chunks(*deltas: dict[str, Any], finish: str = "stop", usage: bool = True) -> list[str]:
    chunks: list[dict[str, Any]] = [
        {"id": "c1", "model": "gpt-4o", "choices": [{"index": 0, "delta": d}]} for d in deltas
    ]
    chunks.append(
        {
            "id": "c1",
            "model": "gpt-4o",
            "choices": [{"index": 0, "delta": {}, "finish_reason": finish}],
        }
    )
    if usage:
        chunks.append({"id": "c1", "model": "gpt-4o", "choices": [], "usage": USAGE})
    return sse_data(*chunks, done=True)


def make_client(
    server: LocalServer, waits: Waits, registry: Registry, **kwargs: Any
) -> OpenAICompatClient:
    kwargs.setdefault("retry", RetryPolicy(jitter=0, initial_delay=0.5))
    client = client_for(
        "openai",
        api_key=FAKE_KEY,
        base_url=server.url + "/v1",
        registry=registry,
        sleep=waits.sleep,
        asleep=waits.asleep,
        **kwargs,
    )
    assert isinstance(client, OpenAICompatClient)
    return client


def collect(events: Iterable[Any], into: list[str]) -> None:
    for event in events:
        if isinstance(event, TextDelta):
            into.append(event.text)


async def acollect(events: AsyncIterable[Any], into: list[str]) -> None:
    async for event in events:
        if isinstance(event, TextDelta):
            into.append(event.text)


def auth_ok(request: Recorded) -> bool:
    return request.headers.get("authorization") == "Bearer " + FAKE_KEY


# --- chat ----------------------------------------------------------------------------------


def test_chat_sends_the_wire_format_and_returns_usage_and_cost(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    server.route = lambda r: Reply(json=completion(), headers={"x-request-id": "req_42"})
    with make_client(server, waits, registry) as client:
        reply = client.chat(
            [Message.system("Be brief."), {"role": "user", "content": "Hi"}],
            "openai/gpt-4o",
            max_tokens=100,
            temperature=0.2,
            stop="END",
            seed=7,
        )
    (req,) = server.requests
    ok = auth_ok(req)
    assert ok
    assert (req.method, req.path) == ("POST", "/v1/chat/completions")
    body = req.json
    assert body["model"] == "gpt-4o"
    assert body["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hi"},
    ]
    assert body["max_completion_tokens"] == 100  # OpenAI's field (reasoning models need it)
    assert (body["temperature"], body["stop"], body["seed"]) == (0.2, ["END"], 7)
    assert "stream" not in body
    assert reply.text == "Hello!"
    assert reply.finish_reason == "stop"
    assert reply.request_id == "req_42"
    assert reply.id == "chatcmpl-1"
    assert (reply.usage.input_tokens, reply.usage.output_tokens) == (20, 5)
    assert reply.usage.cache_read_tokens == 10
    assert not reply.usage_estimated
    assert reply.cost == cost(registry.get("openai/gpt-4o"), reply.usage)
    assert reply.cost.total > 0


@pytest.mark.filterwarnings("ignore::llmaestro.DeprecatedModelWarning")  # o3-mini: past its date
def test_tools_structured_output_and_reasoning_options(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    call = {
        "id": "call_1",
        "type": "function",
        "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
    }
    message = {"role": "assistant", "content": None, "tool_calls": [call]}
    server.route = lambda r: Reply(
        json=completion(
            choices=[{"index": 0, "message": message, "finish_reason": "tool_calls"}],
            model="o3-mini",
        )
    )
    image = ImagePart.from_bytes(b"\x89PNG fake", "image/png", detail="low")
    with make_client(server, waits, registry) as client:
        reply = client.chat(
            [Message.user("Weather?")],
            "o3-mini",
            tools=[WEATHER],
            tool_choice="get_weather",
            parallel_tool_calls=False,
            reasoning="high",
        )
        client.chat(
            [Message.user("Describe", image)],
            "gpt-4o",
            response_format=ResponseFormat.json_schema(
                {"type": "object", "properties": {"a": {"type": "integer"}}}, name="thing"
            ),
        )
    body = server.requests[0].json
    assert body["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "parameters": WEATHER.parameters,
                "description": "Weather of a city",
            },
        }
    ]
    assert body["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}
    assert body["parallel_tool_calls"] is False
    assert body["reasoning_effort"] == "high"
    assert reply.finish_reason == "tool_calls"
    (tc,) = reply.tool_calls
    assert (tc.id, tc.name, tc.parsed_arguments()) == ("call_1", "get_weather", {"city": "Paris"})
    second = server.requests[1].json
    assert second["response_format"] == {
        "type": "json_schema",
        "json_schema": {
            "name": "thing",
            "schema": {"type": "object", "properties": {"a": {"type": "integer"}}},
            "strict": True,
        },
    }
    parts = second["messages"][0]["content"]
    assert parts[0] == {"type": "text", "text": "Describe"}
    assert parts[1]["image_url"]["url"].startswith("data:image/png;base64,")
    assert parts[1]["image_url"]["detail"] == "low"


def test_tool_loop_messages_round_trip(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    server.route = lambda r: Reply(json=completion("It is sunny."))
    history = [
        Message.user("Weather in Paris?"),
        Message.assistant(
            tool_calls=[{"id": "call_1", "function": {"name": "get_weather", "arguments": "{}"}}]
        ),
        Message.tool("call_1", {"temp": 21}),
    ]
    with make_client(server, waits, registry) as client:
        assert client.chat(history, "gpt-4o", tools=[WEATHER]).text == "It is sunny."
    sent = server.requests[0].json["messages"]
    assert sent[1] == {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "get_weather", "arguments": "{}"},
            }
        ],
    }
    assert sent[2] == {"role": "tool", "content": '{"temp": 21}', "tool_call_id": "call_1"}


def test_unknown_model_is_unchecked_and_priced_under_the_served_model(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    server.route = lambda r: Reply(json=completion(usage=None))
    with (
        make_client(server, waits, registry) as client,
        pytest.warns(UnknownModelWarning, match="my-finetune-xyz"),
    ):
        reply = client.chat([Message.user("Hi")], "my-finetune-xyz", max_tokens=10**9)
    assert server.requests[0].json["max_completion_tokens"] == 10**9  # sent unchecked
    assert reply.usage_estimated  # no usage reported: estimated locally
    assert reply.usage.input_tokens > 0 and reply.usage.output_tokens > 0
    assert reply.model == "gpt-4o-2024-08-06"  # what the response names, in the catalog
    assert reply.cost == cost(registry.get("openai/gpt-4o"), reply.usage)


# --- streaming -----------------------------------------------------------------------------


def test_stream_text_reasoning_and_tool_call_deltas(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    deltas: list[dict[str, Any]] = [
        {"role": "assistant", "reasoning_content": "Let me think."},
        {"content": "Hel"},
        {"content": "lo"},
        {
            "tool_calls": [
                {
                    "index": 0,
                    "id": "call_9",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": ""},
                }
            ]
        },
        {"tool_calls": [{"index": 0, "function": {"arguments": '{"city":'}}]},
        {"tool_calls": [{"index": 0, "function": {"arguments": ' "Oslo"}'}}]},
    ]
    server.route = lambda r: Reply(sse=stream_chunks(*deltas, finish="tool_calls"))
    with (
        make_client(server, waits, registry) as client,
        client.stream([Message.user("Hi")], "gpt-4o", tools=[WEATHER]) as events,
    ):
        seen = list(events)
    body = server.requests[0].json
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert [type(e).__name__ for e in seen] == [
        "ReasoningDelta",
        "TextDelta",
        "TextDelta",
        "ToolCallDelta",
        "ToolCallDelta",
        "ToolCallDelta",
        "ResponseCompleted",
    ]
    assert seen[0] == ReasoningDelta("Let me think.")
    assert seen[3] == ToolCallDelta(index=0, id="call_9", name="get_weather", arguments="")
    final = events.response
    assert final is not None and isinstance(seen[-1], ResponseCompleted)
    assert final.text == "Hello"
    assert final.reasoning == "Let me think."
    assert final.tool_calls[0].parsed_arguments() == {"city": "Oslo"}
    assert final.finish_reason == "tool_calls"
    assert (final.usage.input_tokens, final.usage.output_tokens) == (20, 5)
    assert final.cost is not None and final.cost.total > 0


def test_astream_and_achat(server: LocalServer, waits: Waits, registry: Registry) -> None:
    def route(r: Recorded) -> Reply:
        if r.json.get("stream"):
            return Reply(sse=stream_chunks({"content": "A"}, {"content": "B"}))
        return Reply(json=completion("sync-free"))

    server.route = route

    async def main() -> tuple[list[str], Any, Any]:
        async with make_client(server, waits, registry) as client:
            texts = []
            stream = client.astream([Message.user("Hi")], "gpt-4o")
            async with stream:
                async for event in stream:
                    if isinstance(event, TextDelta):
                        texts.append(event.text)
            reply = await client.achat([Message.user("Hi")], "gpt-4o")
            return texts, stream.response, reply

    texts, final, reply = asyncio.run(main())
    assert texts == ["A", "B"]
    assert final.text == "AB" and final.usage.output_tokens == 5
    assert reply.text == "sync-free" and reply.cost is not None


def test_stream_without_usage_is_estimated(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    server.route = lambda r: Reply(sse=stream_chunks({"content": "Hi there"}, usage=False))
    with make_client(server, waits, registry) as client:
        final = client.stream([Message.user("Hi")], "gpt-4o").final_response()
    assert final.usage_estimated and final.usage.output_tokens == 2


# --- faults and retries --------------------------------------------------------------------


def test_429_with_retry_after_then_success(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    limited = Reply(
        429,
        json={
            "error": {
                "message": "Rate limit reached",
                "type": "requests",
                "code": "rate_limit_exceeded",
            }
        },
        headers={"retry-after": "3", "x-request-id": "req_rl"},
    )
    server.route = Sequenced(limited, Reply(json=completion()))
    with make_client(server, waits, registry) as client:
        reply = client.chat([Message.user("Hi")], "gpt-4o")
    assert reply.text == "Hello!"
    assert len(server.requests) == 2
    assert waits.waits == [3.0]  # Retry-After honoured


def test_retry_after_http_date(server: LocalServer, registry: Registry) -> None:
    waits = Waits()
    limited = Reply(429, json={}, headers={"retry-after": "Wed, 21 Oct 2015 07:28:05 GMT"})
    server.route = Sequenced(limited, Reply(json=completion()))
    now = 1445412485.0 - 25  # 25 s before that date
    with make_client(server, waits, registry, clock=lambda: now) as client:
        client.chat([Message.user("Hi")], "gpt-4o")
    assert waits.waits == [25.0]


def test_500_then_success_backs_off_exponentially(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    boom = Reply(500, json={"error": {"message": "internal", "type": "server_error"}})
    server.route = Sequenced(
        boom, Reply(502, body=b"<html>bad gateway</html>"), Reply(json=completion())
    )
    with make_client(
        server, waits, registry, retry=RetryPolicy(max_attempts=4, jitter=0)
    ) as client:
        assert client.chat([Message.user("Hi")], "gpt-4o").text == "Hello!"
    assert waits.waits == [0.5, 1.0]
    assert len(server.requests) == 3


def test_retries_end_with_the_last_error(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    server.route = lambda r: Reply(503, json={"error": {"message": "overloaded"}})
    with make_client(server, waits, registry) as client, pytest.raises(ServerError) as info:
        client.chat([Message.user("Hi")], "gpt-4o")
    assert info.value.status_code == 503
    assert "overloaded" in str(info.value)
    assert len(server.requests) == 3 and waits.waits == [0.5, 1.0]


def test_retry_budget_caps_total_wait_and_long_retry_after(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    server.route = lambda r: Reply(429, json={}, headers={"retry-after": "120"})
    with make_client(server, waits, registry) as client, pytest.raises(RateLimitedError) as info:
        client.chat([Message.user("Hi")], "gpt-4o")
    assert info.value.retry_after == 120.0
    assert waits.waits == [] and len(server.requests) == 1  # above max_retry_after: no retry
    waits.waits.clear()
    server.route = lambda r: Reply(429, json={}, headers={"retry-after": "4"})
    policy = RetryPolicy(max_attempts=10, jitter=0, max_total_wait=10)
    with (
        make_client(server, waits, registry, retry=policy) as client,
        pytest.raises(RateLimitedError),
    ):
        client.chat([Message.user("Hi")], "gpt-4o")
    assert waits.waits == [4.0, 4.0]  # a third wait would pass the 10 s budget


def test_insufficient_quota_and_should_retry_false_are_not_retried(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    server.route = lambda r: Reply(
        429,
        json={
            "error": {
                "message": "quota",
                "type": "insufficient_quota",
                "code": "insufficient_quota",
            }
        },
    )
    with make_client(server, waits, registry) as client:
        with pytest.raises(RateLimitedError):
            client.chat([Message.user("Hi")], "gpt-4o")
        server.route = lambda r: Reply(500, json={}, headers={"x-should-retry": "false"})
        with pytest.raises(ServerError):
            client.chat([Message.user("Hi")], "gpt-4o")
    assert len(server.requests) == 2 and waits.waits == []


def test_auth_failure_is_not_retried(server: LocalServer, waits: Waits, registry: Registry) -> None:
    server.route = lambda r: Reply(
        401,
        json={
            "error": {
                "message": "Incorrect API key provided: " + FAKE_KEY,
                "type": "invalid_request_error",
                "code": "invalid_api_key",
            }
        },
        headers={"x-request-id": "req_auth"},
    )
    with make_client(server, waits, registry) as client, pytest.raises(AuthenticationError) as info:
        client.chat([Message.user("Hi")], "gpt-4o")
    error = info.value
    assert (error.status_code, error.request_id, error.error_code) == (
        401,
        "req_auth",
        "invalid_api_key",
    )
    assert FAKE_KEY not in str(error) and "***" in error.message
    assert len(server.requests) == 1


def test_context_length_exceeded(server: LocalServer, waits: Waits, registry: Registry) -> None:
    server.route = lambda r: Reply(
        400,
        json={
            "error": {
                "message": "This model's maximum context length is 128000 tokens.",
                "type": "invalid_request_error",
                "code": "context_length_exceeded",
            }
        },
    )
    with (
        make_client(server, waits, registry) as client,
        pytest.raises(ContextLengthExceededError) as info,
    ):
        client.chat([Message.user("Hi")], "gpt-4o", check=False)
    assert info.value.error_code == "context_length_exceeded"


def test_malformed_json(server: LocalServer, waits: Waits, registry: Registry) -> None:
    server.route = lambda r: Reply(body=b'{"choices": [')
    with make_client(server, waits, registry) as client:
        with pytest.raises(InvalidResponseError, match="not valid JSON"):
            client.chat([Message.user("Hi")], "gpt-4o")
        server.route = lambda r: Reply(sse=["data: {oops"])
        with pytest.raises(InvalidResponseError, match="not valid JSON"):
            list(client.stream([Message.user("Hi")], "gpt-4o"))


def test_timeout_is_retried_then_raised(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    server.route = lambda r: Reply(json=completion(), delay=5)
    policy = RetryPolicy(max_attempts=2, jitter=0)
    with (
        make_client(server, waits, registry, retry=policy, timeout=0.2) as client,
        pytest.raises(ProviderTimeoutError, match="timed out"),
    ):
        client.chat([Message.user("Hi")], "gpt-4o")
    assert len(server.requests) == 2 and waits.waits == [0.5]


def test_connection_refused_is_a_connection_error(waits: Waits, registry: Registry) -> None:
    dead = LocalServer()
    url = dead.url
    dead.close()
    client = client_for(
        "openai",
        api_key=FAKE_KEY,
        base_url=url + "/v1",
        registry=registry,
        sleep=waits.sleep,
        retry=RetryPolicy(max_attempts=2, jitter=0),
    )
    with client, pytest.raises(ProviderConnectionError):
        client.chat([Message.user("Hi")], "gpt-4o")
    assert waits.waits == [0.5]


def test_stream_dropped_mid_way_is_not_retried(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    events = stream_chunks({"content": "A"}, {"content": "B"}, {"content": "C"})
    server.route = lambda r: Reply(sse=events, drop_after=2)
    got: list[str] = []
    with make_client(server, waits, registry) as client, pytest.raises(ProviderConnectionError):
        collect(client.stream([Message.user("Hi")], "gpt-4o"), got)
    assert got == ["A", "B"]
    assert len(server.requests) == 1 and waits.waits == []


def test_stream_dropped_before_the_first_byte_is_retried(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    events = stream_chunks({"content": "ok"})
    server.route = Sequenced(Reply(sse=events, drop_after=0), Reply(sse=events))
    with make_client(server, waits, registry) as client:
        final = client.stream([Message.user("Hi")], "gpt-4o").final_response()
    assert final.text == "ok"
    assert len(server.requests) == 2 and waits.waits == [0.5]


def test_async_stream_dropped_mid_way(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    server.route = lambda r: Reply(
        sse=stream_chunks({"content": "A"}, {"content": "B"}), drop_after=1
    )

    async def main() -> list[str]:
        got: list[str] = []
        async with make_client(server, waits, registry) as client:
            with pytest.raises(ProviderConnectionError):
                await acollect(client.astream([Message.user("Hi")], "gpt-4o"), got)
        return got

    assert asyncio.run(main()) == ["A"]
    assert len(server.requests) == 1


def test_stream_cut_cleanly_before_the_end_is_incomplete(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    # a well-formed body that never says it is finished (no finish_reason, no [DONE])
    server.route = lambda r: Reply(
        sse=sse_data({"choices": [{"index": 0, "delta": {"content": "A"}}]})
    )
    with (
        make_client(server, waits, registry) as client,
        pytest.raises(ProviderConnectionError, match="before the response was complete"),
    ):
        list(client.stream([Message.user("Hi")], "gpt-4o"))


def test_error_inside_a_stream(server: LocalServer, waits: Waits, registry: Registry) -> None:
    server.route = lambda r: Reply(
        sse=sse_data({"error": {"message": "upstream failed", "code": 502}})
    )
    with (
        make_client(server, waits, registry) as client,
        pytest.raises(ServerError, match="upstream failed"),
    ):
        list(client.stream([Message.user("Hi")], "gpt-4o"))


# --- models --------------------------------------------------------------------------------


def test_list_models_follows_pages(server: LocalServer, waits: Waits, registry: Registry) -> None:
    def route(r: Recorded) -> Reply:
        if r.query.get("after") == "m2":
            return Reply(
                json={
                    "object": "list",
                    "data": [{"id": "m3", "created": 1700000000}],
                    "has_more": False,
                }
            )
        return Reply(
            json={
                "object": "list",
                "data": [{"id": "m1", "owned_by": "openai"}, {"id": "m2"}],
                "has_more": True,
                "last_id": "m2",
            }
        )

    server.route = route
    with make_client(server, waits, registry) as client:
        models = client.list_models()
    assert [m.id for m in models] == ["m1", "m2", "m3"]
    assert models[0].owned_by == "openai" and models[2].created is not None
    assert server.paths() == ["/v1/models", "/v1/models"]
    assert all(r.method == "GET" for r in server.requests)


def test_bare_list_models_of_together(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    server.route = lambda r: Reply(json=[{"id": "meta-llama/x", "context_length": 8192}])
    client = client_for(
        "togetherai", api_key=FAKE_KEY, base_url=server.url + "/v1", registry=registry
    )
    with client:
        (model,) = asyncio.run(_alist(client))
    assert (model.id, model.input_token_limit) == ("meta-llama/x", 8192)


async def _alist(client: Any) -> Any:
    try:
        return await client.alist_models()
    finally:
        await client.aclose()


def test_count_tokens_is_not_offered(server: LocalServer, waits: Waits, registry: Registry) -> None:
    from llmaestro.errors import CapabilityError

    with (
        make_client(server, waits, registry) as client,
        pytest.raises(CapabilityError, match="no count-tokens endpoint"),
    ):
        client.count_tokens([{"role": "user", "content": "hi"}], "gpt-4o")
    assert server.requests == []


def test_compat_profiles(server: LocalServer, waits: Waits, registry: Registry) -> None:
    server.route = lambda r: Reply(sse=stream_chunks({"content": "x"}))
    client = client_for("mistral", api_key=FAKE_KEY, base_url=server.url + "/v1", registry=registry)
    with client:
        client.stream([Message.user("Hi")], "mistral-small", max_tokens=9).final_response()
    body = server.requests[0].json
    assert body["max_tokens"] == 9 and "stream_options" not in body  # Mistral rejects it
    ok = auth_ok(server.requests[0])
    assert ok


def test_reasoning_budget_is_refused_before_sending(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    from llmaestro.errors import CapabilityError

    with (
        make_client(server, waits, registry) as client,
        pytest.raises(CapabilityError, match="no reasoning token budget"),
    ):
        client.chat([Message.user("Hi")], "o3-mini", reasoning=Reasoning(budget_tokens=2048))
    assert server.requests == []


def test_options_are_validated() -> None:
    client = OpenAICompatClient(
        api_key=FAKE_KEY, base_url="https://api.example.test/v1", registry=False
    )
    with pytest.raises(TypeError, match="unknown option"):
        client.chat([Message.user("Hi")], "gpt-4o", max_token=5)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="names no tool"):
        client.chat([Message.user("Hi")], "gpt-4o", tool_choice="nope")
    with pytest.raises(ValueError, match="no model"):
        client.chat([Message.user("Hi")])
    json.dumps(Message.user("x").to_openai())
