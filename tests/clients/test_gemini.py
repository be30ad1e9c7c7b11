"""Gemini API against a local server."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from llmaestro.clients import (
    GeminiClient,
    ImagePart,
    Message,
    Reasoning,
    ResponseFormat,
    RetryPolicy,
    TextDelta,
    Tool,
    ToolCallDelta,
    client_for,
)
from llmaestro.cost import cost
from llmaestro.errors import AuthenticationError, ProviderConnectionError, RateLimitedError
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

MODEL = "gemini-2.5-flash"
USAGE = {
    "promptTokenCount": 11,
    "candidatesTokenCount": 4,
    "thoughtsTokenCount": 6,
    "totalTokenCount": 21,
}


def candidate(
    *parts: dict[str, Any], finish: str | None = "STOP", usage: bool = True
) -> dict[str, Any]:
    cand: dict[str, Any] = {"content": {"role": "model", "parts": list(parts)}, "index": 0}
    if finish:
        cand["finishReason"] = finish
    body: dict[str, Any] = {"candidates": [cand], "modelVersion": MODEL, "responseId": "resp-1"}
    if usage:
        body["usageMetadata"] = USAGE
    return body


def make_client(server: LocalServer, waits: Waits, registry: Registry, **kw: Any) -> GeminiClient:
    kw.setdefault("retry", RetryPolicy(jitter=0))
    client = client_for(
        "google",
        api_key=FAKE_KEY,
        base_url=server.url + "/v1beta",
        registry=registry,
        sleep=waits.sleep,
        asleep=waits.asleep,
        **kw,
    )
    assert isinstance(client, GeminiClient)
    return client


def test_generate_content(server: LocalServer, waits: Waits, registry: Registry) -> None:
    server.route = lambda r: Reply(
        json=candidate(
            {"text": "Thinking...", "thought": True},
            {"text": "Answer: "},
            {"text": "42"},
            {"functionCall": {"name": "calc", "args": {"x": 1}}, "thoughtSignature": "ts-1"},
        )
    )
    calc = Tool("calc", "Compute", {"type": "object", "properties": {"x": {"type": "integer"}}})
    history = [
        Message.system("Be exact."),
        Message.user("What?", ImagePart.from_url("gs://bucket/cat.png")),
        Message.assistant(
            tool_calls=[
                {"id": "gemini-call-0", "function": {"name": "calc", "arguments": '{"x": 0}'}}
            ]
        ),
        Message.tool("gemini-call-0", {"y": 0}),
    ]
    with make_client(server, waits, registry) as client:
        reply = client.chat(
            history,
            "google/" + MODEL,
            tools=[calc],
            tool_choice="calc",
            max_tokens=500,
            temperature=0.1,
            reasoning=Reasoning(budget_tokens=1024, include_thoughts=True),
        )
    (req,) = server.requests
    assert req.path == f"/v1beta/models/{MODEL}:generateContent"
    ok = req.headers.get("x-goog-api-key") == FAKE_KEY and "key" not in req.query
    assert ok
    body = req.json
    assert body["systemInstruction"] == {"parts": [{"text": "Be exact."}]}
    assert body["contents"] == [
        {
            "role": "user",
            "parts": [
                {"text": "What?"},
                {"fileData": {"fileUri": "gs://bucket/cat.png", "mimeType": "image/png"}},
            ],
        },
        {"role": "model", "parts": [{"functionCall": {"name": "calc", "args": {"x": 0}}}]},
        {"role": "user", "parts": [{"functionResponse": {"name": "calc", "response": {"y": 0}}}]},
    ]
    assert body["tools"] == [
        {
            "functionDeclarations": [
                {"name": "calc", "description": "Compute", "parametersJsonSchema": calc.parameters}
            ]
        }
    ]
    assert body["toolConfig"] == {
        "functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["calc"]}
    }
    assert body["generationConfig"] == {
        "maxOutputTokens": 500,
        "temperature": 0.1,
        "thinkingConfig": {"thinkingBudget": 1024, "includeThoughts": True},
    }
    assert reply.text == "Answer: 42" and reply.reasoning == "Thinking..."
    (call,) = reply.tool_calls
    assert (call.name, call.parsed_arguments(), call.signature) == ("calc", {"x": 1}, "ts-1")
    assert reply.finish_reason == "tool_calls" and reply.raw_finish_reason == "STOP"
    # thoughts are billed as output on top of the candidates
    assert (reply.usage.input_tokens, reply.usage.output_tokens, reply.usage.reasoning_tokens) == (
        11,
        10,
        6,
    )
    assert reply.cost == cost(registry.get("google/" + MODEL), reply.usage)
    assert reply.id == "resp-1"


def test_structured_output(server: LocalServer, waits: Waits, registry: Registry) -> None:
    server.route = lambda r: Reply(json=candidate({"text": '{"ok": true}'}))
    schema = {"type": "object", "properties": {"ok": {"type": "boolean"}}}
    with make_client(server, waits, registry) as client:
        reply = client.chat([Message.user("?")], MODEL, response_format=schema, reasoning=False)
    gen = server.requests[0].json["generationConfig"]
    assert gen == {
        "responseMimeType": "application/json",
        "responseJsonSchema": schema,
        "thinkingConfig": {"thinkingBudget": 0},
    }
    assert reply.json() == {"ok": True}
    assert ResponseFormat.coerce(schema).type == "json_schema"


def test_stream_generate_content_sse(server: LocalServer, waits: Waits, registry: Registry) -> None:
    chunks = sse_data(
        candidate({"text": "Hel"}, finish=None, usage=False),
        candidate({"text": "lo"}, finish=None, usage=False),
        candidate({"functionCall": {"name": "calc", "args": {"x": 2}}}),
    )
    server.route = lambda r: Reply(sse=chunks)
    with (
        make_client(server, waits, registry) as client,
        client.stream([Message.user("Hi")], MODEL) as events,
    ):
        seen = list(events)
    req = server.requests[0]
    assert req.path == f"/v1beta/models/{MODEL}:streamGenerateContent"
    assert req.query == {"alt": "sse"}
    assert seen[:3] == [
        TextDelta("Hel"),
        TextDelta("lo"),
        ToolCallDelta(index=0, id="gemini-call-0", name="calc", arguments='{"x": 2}'),
    ]
    final = events.response
    assert final is not None and final.text == "Hello"
    assert final.usage.output_tokens == 10 and final.cost is not None


def test_async_stream_dropped(server: LocalServer, waits: Waits, registry: Registry) -> None:
    chunks = sse_data(candidate({"text": "a"}, finish=None), candidate({"text": "b"}))
    server.route = lambda r: Reply(sse=chunks, drop_after=1)

    async def main() -> None:
        async with make_client(server, waits, registry) as client:
            stream = client.astream([Message.user("Hi")], MODEL)
            with pytest.raises(ProviderConnectionError):
                async for _ in stream:
                    pass

    asyncio.run(main())
    assert len(server.requests) == 1 and waits.waits == []


def test_count_tokens(server: LocalServer, waits: Waits, registry: Registry) -> None:
    server.route = lambda r: Reply(json={"totalTokens": 77})
    with make_client(server, waits, registry) as client:
        assert (
            client.count_tokens([Message.system("S"), {"role": "user", "content": "Hi"}], MODEL)
            == 77
        )
        assert asyncio.run(_acount(client)) == 77
    req = server.requests[0]
    assert req.path == f"/v1beta/models/{MODEL}:countTokens"
    assert req.json == {
        "generateContentRequest": {
            "model": f"models/{MODEL}",
            "contents": [{"role": "user", "parts": [{"text": "Hi"}]}],
            "systemInstruction": {"parts": [{"text": "S"}]},
        }
    }


async def _acount(client: GeminiClient) -> int:
    try:
        return await client.acount_tokens([{"role": "user", "content": "Hi"}], MODEL)
    finally:
        await client.aclose()


def test_list_models_page_token(server: LocalServer, waits: Waits, registry: Registry) -> None:
    def route(r: Recorded) -> Reply:
        if r.query.get("pageToken") == "p2":
            return Reply(
                json={"models": [{"name": "models/gemini-2.5-pro", "inputTokenLimit": 1048576}]}
            )
        return Reply(
            json={
                "models": [
                    {
                        "name": "models/gemini-2.5-flash",
                        "displayName": "Flash",
                        "outputTokenLimit": 65536,
                    }
                ],
                "nextPageToken": "p2",
            }
        )

    server.route = route
    with make_client(server, waits, registry) as client:
        models = client.list_models()
    assert [m.id for m in models] == ["gemini-2.5-flash", "gemini-2.5-pro"]
    assert models[0].display_name == "Flash" and models[0].output_token_limit == 65536
    assert models[1].input_token_limit == 1048576
    assert [r.query for r in server.requests] == [
        {"pageSize": "1000"},
        {"pageSize": "1000", "pageToken": "p2"},
    ]


def gerror(code: int, message: str, status: str, *details: Any) -> dict[str, Any]:
    error = {"code": code, "message": message, "status": status, "details": list(details)}
    return {"error": error}


def test_errors(server: LocalServer, waits: Waits, registry: Registry) -> None:
    retry_info = {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "7s"}
    exhausted = Reply(429, json=gerror(429, "Quota exceeded", "RESOURCE_EXHAUSTED", retry_info))
    server.route = Sequenced(exhausted, Reply(json=candidate({"text": "ok"})))
    with make_client(server, waits, registry) as client:
        assert client.chat([Message.user("Hi")], MODEL).text == "ok"
        assert waits.waits == [7.0]  # RetryInfo.retryDelay
        reason = {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID"}
        invalid = gerror(400, "API key not valid.", "INVALID_ARGUMENT", reason)
        server.route = lambda r: Reply(400, json=invalid)
        with pytest.raises(AuthenticationError) as info:
            client.chat([Message.user("Hi")], MODEL)
        assert (info.value.error_type, info.value.error_code) == (
            "INVALID_ARGUMENT",
            "API_KEY_INVALID",
        )
        server.route = lambda r: Reply(
            429, json=[{"error": {"code": 429, "message": "slow", "status": "RESOURCE_EXHAUSTED"}}]
        )
        with pytest.raises(RateLimitedError, match="slow"):
            client.chat([Message.user("Hi")], MODEL, max_tokens=5)
    assert len(server.requests) == 2 + 1 + 3


def test_safety_block_is_a_content_filter(
    server: LocalServer, waits: Waits, registry: Registry
) -> None:
    server.route = lambda r: Reply(
        json={"promptFeedback": {"blockReason": "SAFETY"}, "usageMetadata": {"promptTokenCount": 3}}
    )
    with make_client(server, waits, registry) as client:
        reply = client.chat([Message.user("bad")], MODEL)
    assert reply.finish_reason == "content_filter" and reply.text == ""
