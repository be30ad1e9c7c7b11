"""Unit tests: types, retry policy, Retry-After parsing, the SSE decoder."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmaestro._http.retry import RetryState, parse_retry_after
from llmaestro._http.sse import SSEDecoder, SSEEvent
from llmaestro.clients import (
    ChatResponse,
    ImagePart,
    Message,
    Reasoning,
    ResponseFormat,
    RetryPolicy,
    TextPart,
    Tool,
    ToolCall,
)
from llmaestro.errors import (
    AuthenticationError,
    InvalidRequestError,
    ProviderConnectionError,
    ProviderTimeoutError,
    RateLimitedError,
    ServerError,
)

# --- messages and parts ----------------------------------------------------------------------


def test_message_coercion_from_openai_dicts() -> None:
    m = Message.coerce(
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "look"},
                {"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "high"}},
                {"type": "image_url", "image_url": "data:image/png;base64,QUJD"},
            ],
        }
    )
    assert m.text == "look" and len(m.images) == 2
    assert m.images[0] == ImagePart(url="https://x/y.png", detail="high")
    assert m.images[1].inline() == ("image/png", "QUJD")
    assert Message.coerce({"role": "developer", "content": "rules"}).role == "system"
    tool = Message.coerce({"role": "tool", "tool_call_id": "c1", "content": "42"})
    assert (tool.role, tool.tool_call_id, tool.text) == ("tool", "c1", "42")
    assistant = Message.coerce(
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "c1", "type": "function", "function": {"name": "f", "arguments": {"a": 1}}}
            ],
        }
    )
    assert assistant.tool_calls == (ToolCall("c1", "f", '{"a": 1}'),)
    assert assistant.to_openai()["content"] is None
    with pytest.raises(ValueError, match="role"):
        Message.coerce({"role": "robot", "content": "x"})
    with pytest.raises(ValueError, match="tool_call_id"):
        Message("tool", "x")
    with pytest.raises(ValueError, match="unsupported"):
        Message.coerce({"role": "user", "content": [{"type": "audio"}]})
    with pytest.raises(TypeError):
        Message.coerce("hello")  # type: ignore[arg-type]


def test_message_round_trip_to_openai() -> None:
    m = Message.user("a", TextPart("b"))
    assert m.to_openai() == {"role": "user", "content": "ab"}
    assert Message.coerce(m.to_openai()) == Message.user("ab")
    assert hash(m) == hash(Message.user("a", TextPart("b")))


def test_image_parts(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        ImagePart()
    with pytest.raises(ValueError, match="media_type"):
        ImagePart(data="QUJD")
    path = tmp_path / "pic.png"
    path.write_bytes(b"\x89PNG")
    image = ImagePart.from_path(path)
    assert image.media_type == "image/png" and image.raw_bytes() == b"\x89PNG"
    assert image.data_url == "data:image/png;base64," + base64.b64encode(b"\x89PNG").decode()
    assert ImagePart.from_url("https://x").inline() is None
    assert ImagePart.from_url("data:text/plain,hi").inline() == ("text/plain", "aGk=")
    assert "data=" not in repr(image)  # no megabytes of base64 in reprs
    with pytest.raises(ValueError, match="media type"):
        ImagePart.from_path(tmp_path / "noext")


def test_tools_formats_and_reasoning() -> None:
    openai_style = {
        "type": "function",
        "function": {"name": "f", "parameters": {"type": "object"}, "strict": True},
    }
    assert Tool.coerce(openai_style) == Tool("f", None, {"type": "object"}, True)
    assert Tool.coerce({"name": "g", "input_schema": {"type": "object"}}).parameters == {
        "type": "object"
    }
    assert Tool("h").schema() == {"type": "object", "properties": {}}
    with pytest.raises(ValueError, match="name"):
        Tool.coerce({"description": "x"})
    with pytest.raises(ValueError, match="invalid JSON"):
        ToolCall("c", "f", "{oops").parsed_arguments()
    assert ToolCall("c", "f", "").parsed_arguments() == {}

    pydantic = pytest.importorskip("pydantic")

    class Point(pydantic.BaseModel):  # type: ignore[name-defined,misc]
        x: int

    fmt = ResponseFormat.coerce(Point)
    assert (fmt.type, fmt.name, fmt.schema["properties"]["x"]["type"]) == (
        "json_schema",
        "Point",
        "integer",
    )  # type: ignore[index]
    wrapped = {
        "type": "json_schema",
        "json_schema": {"name": "n", "schema": {"type": "object"}, "strict": False},
    }
    assert ResponseFormat.coerce(wrapped) == ResponseFormat(
        "json_schema", {"type": "object"}, "n", False
    )
    assert ResponseFormat.coerce({"type": "json_object"}) == ResponseFormat.json_object()
    with pytest.raises(TypeError):
        ResponseFormat.coerce(42)
    with pytest.raises(ValueError, match="schema"):
        ResponseFormat("json_schema")

    assert Reasoning.coerce("low") == Reasoning(effort="low")
    assert (
        Reasoning.coerce(False) == Reasoning(enabled=False) and not Reasoning(enabled=False).wanted
    )
    assert Reasoning.coerce({"budget_tokens": 1024}).wanted
    with pytest.raises(ValueError, match="budget_tokens"):
        Reasoning(budget_tokens=-1)


def test_response_json_tolerates_a_code_fence() -> None:
    from llmaestro.cost import Usage

    reply = ChatResponse("p", "m", Message.assistant('```json\n{"a": 1}\n```'), "stop", Usage())
    assert reply.json() == {"a": 1}
    with pytest.raises(ValueError, match="not JSON"):
        ChatResponse("p", "m", Message.assistant("nope"), "stop", Usage()).json()


# --- retry policy ------------------------------------------------------------------------------


def test_backoff_and_jitter() -> None:
    policy = RetryPolicy(initial_delay=1, multiplier=2, max_delay=5, jitter=0.5)
    assert [policy.backoff(n, lambda: 0.0) for n in (1, 2, 3, 4)] == [1, 2, 4, 5]
    assert policy.backoff(2, lambda: 1.0) == 1.0  # up to half taken off
    for bad in ({"max_attempts": 0}, {"jitter": 2}, {"multiplier": 0.5}, {"max_delay": -1}):
        with pytest.raises(ValueError, match="must be"):
            RetryPolicy(**bad)  # type: ignore[arg-type]


def test_what_is_retryable() -> None:
    policy = RetryPolicy()
    retryable = [
        RateLimitedError("x", status_code=429),
        ServerError("x", status_code=503),
        ServerError("x", status_code=529),
        ProviderTimeoutError("x"),
        ProviderConnectionError("x"),
        ProviderTimeoutError("x", status_code=408),
        InvalidRequestError("x", status_code=400, should_retry=True),
    ]
    never = [
        AuthenticationError("x", status_code=401),
        InvalidRequestError("x", status_code=400),
        ServerError("x", status_code=500, should_retry=False),
        RateLimitedError("x", status_code=429, error_code="insufficient_quota"),
        ValueError("not a provider error"),
    ]
    assert all(policy.is_retryable(e) for e in retryable)
    assert not any(policy.is_retryable(e) for e in never)
    assert not RetryPolicy(retry_timeouts=False).is_retryable(ProviderTimeoutError("x"))
    assert not RetryPolicy(retry_server_errors=False).is_retryable(
        ServerError("x", status_code=500)
    )


def test_retry_state_budget() -> None:
    state = RetryState(RetryPolicy(max_attempts=4, jitter=0, max_total_wait=5), lambda: 0.0)
    error = ServerError("x", status_code=500)
    assert [state.next_wait(error) for _ in range(4)] == [0.5, 1.0, 2.0, None]
    state = RetryState(RetryPolicy(max_attempts=9, jitter=0, max_total_wait=5), lambda: 0.0)
    limited = RateLimitedError("x", status_code=429, retry_after=2.0)
    assert [state.next_wait(limited) for _ in range(3)] == [2.0, 2.0, None]
    assert RetryState(RetryPolicy.none(), lambda: 0.0).next_wait(error) is None


def test_parse_retry_after() -> None:
    assert parse_retry_after({"retry-after": "7"}, 0) == 7.0
    assert parse_retry_after({"retry-after": "1.5"}, 0) == 1.5
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}, 0) == 0.25
    date = "Wed, 21 Oct 2015 07:28:05 GMT"
    assert parse_retry_after({"retry-after": date}, 1445412485.0 - 10) == 10.0
    assert parse_retry_after({"retry-after": date}, 1445412485.0 + 10) == 0.0
    for junk in ("soon", "-3", "inf", ""):
        assert parse_retry_after({"retry-after": junk}, 0) is None
    assert parse_retry_after({}, 0) is None


# --- server-sent events -----------------------------------------------------------------------


def feed_all(text: str) -> list[SSEEvent]:
    decoder = SSEDecoder()
    events = [e for line in text.split("\n") if (e := decoder.feed(line)) is not None]
    tail = decoder.flush()
    return events + ([tail] if tail else [])


def test_sse_decoder() -> None:
    text = (
        ": comment\n"
        'event: message_start\ndata: {"a": 1}\n\n'
        "data: line one\ndata:line two\n\n"
        "id: 7\nevent: ping\n\n"  # no data: not dispatched
        "retry: 100\nunknown: x\ndata: [DONE]\r\n\r\n"
        "data: tail without blank line"
    )
    assert feed_all(text) == [
        SSEEvent("message_start", '{"a": 1}'),
        SSEEvent("message", "line one\nline two"),
        SSEEvent("message", "[DONE]", "7"),
        SSEEvent("message", "tail without blank line", "7"),
    ]


@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_characters="\r\n"), max_size=20),
        min_size=1,
        max_size=5,
    )
)
def test_sse_data_lines_round_trip(lines: list[str]) -> None:
    text = "".join(f"data: {line}\n" for line in lines) + "\n"
    (event,) = feed_all(text)
    assert event.data == "\n".join(lines)
