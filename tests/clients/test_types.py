"""The typed requests, responses and stream events (llmaestro.clients.types)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from llmaestro.clients import (
    ChatResponse,
    ImagePart,
    Message,
    Reasoning,
    ResponseFormat,
    TextPart,
    Tool,
    ToolCall,
)
from llmaestro.cost import CostBreakdown, Usage

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
    assert fmt.schema is not None
    assert (fmt.type, fmt.name, fmt.schema["properties"]["x"]["type"]) == (
        "json_schema",
        "Point",
        "integer",
    )
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


def reply_of(text: str) -> ChatResponse:
    cost = CostBreakdown.unpriced("p", "m", Usage(), "not in the catalog")
    return ChatResponse("p", "m", Message.assistant(text), "stop", Usage(), cost)


def test_response_json_tolerates_a_code_fence() -> None:
    assert reply_of('```json\n{"a": 1}\n```').json() == {"a": 1}
    with pytest.raises(ValueError, match="not JSON"):
        reply_of("nope").json()
