"""Chat messages and the tool calls an assistant makes.

A :class:`Message` (``system``, ``user``, ``assistant``, ``tool``) holds a tuple of parts
(:mod:`llmaestro.clients.types.parts`); OpenAI-style message dicts are accepted wherever
messages are (:meth:`Message.coerce`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

from llmaestro.clients.types.parts import (
    ImagePart,
    Part,
    TextPart,
    ThinkingPart,
    coerce_parts,
)

__all__ = ["Message", "MessageLike", "Role", "ToolCall"]

Role: TypeAlias = Literal["system", "user", "assistant", "tool"]
_ROLES: frozenset[str] = frozenset(("system", "user", "assistant", "tool"))


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A call of a tool by the assistant: ``arguments`` is the JSON text the model wrote.

    ``signature`` is Gemini's ``thoughtSignature`` of the call, echoed back unchanged.
    """

    id: str
    name: str
    arguments: str = "{}"
    signature: str | None = field(default=None, repr=False)

    def parsed_arguments(self) -> Any:
        """``arguments`` parsed as JSON (an empty string is ``{}``); ValueError if invalid."""
        text = self.arguments.strip()
        if not text:
            return {}
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"tool call {self.name!r} has invalid JSON arguments: {exc}") from None

    @classmethod
    def coerce(cls, value: ToolCall | Mapping[str, Any]) -> ToolCall:
        """A ToolCall, or an OpenAI-style ``{"id", "type": "function", "function": {...}}``."""
        if isinstance(value, ToolCall):
            return value
        if not isinstance(value, Mapping):
            raise TypeError(f"a tool call must be a ToolCall or a mapping, got {type(value)}")
        fn = value.get("function")
        fn = fn if isinstance(fn, Mapping) else value
        args = fn.get("arguments", "{}")
        if not isinstance(args, str):
            args = json.dumps(args, ensure_ascii=False)
        return cls(id=str(value.get("id") or ""), name=str(fn.get("name") or ""), arguments=args)


@dataclass(frozen=True, slots=True, init=False)
class Message:
    """One chat message.

    * ``system``: instructions (the Anthropic and Gemini adapters move them out of the
      message list, where those APIs want them).
    * ``user``: text and images.
    * ``assistant``: text, :class:`ThinkingPart` and ``tool_calls``.
    * ``tool``: the result of the tool call ``tool_call_id`` (``name`` is the tool's name;
      Gemini needs it and it is looked up from the earlier call when missing).

    ``content`` may be given as a string or any iterable of parts (strings become
    :class:`TextPart`); it is stored as a tuple of parts.
    """

    role: Role
    content: tuple[Part, ...]
    tool_calls: tuple[ToolCall, ...]
    tool_call_id: str | None
    name: str | None

    def __init__(
        self,
        role: Role,
        content: str | Part | Iterable[Part | str | Mapping[str, Any]] | None = (),
        *,
        tool_calls: Iterable[ToolCall | Mapping[str, Any]] = (),
        tool_call_id: str | None = None,
        name: str | None = None,
    ) -> None:
        if role not in _ROLES:
            raise ValueError(f"unknown message role {role!r}; expected one of {sorted(_ROLES)}")
        setter = object.__setattr__
        setter(self, "role", role)
        setter(self, "content", coerce_parts(content))
        setter(self, "tool_calls", tuple(ToolCall.coerce(c) for c in tool_calls))
        setter(self, "tool_call_id", tool_call_id)
        setter(self, "name", name)
        if role == "tool" and not tool_call_id:
            raise ValueError("a tool message needs tool_call_id=")

    # -- constructors --------------------------------------------------------------------

    @classmethod
    def system(cls, text: str) -> Message:
        """A system message."""
        return cls("system", text)

    @classmethod
    def user(cls, *content: str | Part) -> Message:
        """A user message from text and parts: ``Message.user("Describe", image)``."""
        return cls("user", content)

    @classmethod
    def assistant(
        cls,
        content: str | Iterable[Part | str] | None = None,
        *,
        tool_calls: Iterable[ToolCall | Mapping[str, Any]] = (),
    ) -> Message:
        """An assistant message (e.g. an earlier turn, or one with tool calls)."""
        return cls("assistant", content, tool_calls=tool_calls)

    @classmethod
    def tool(cls, tool_call_id: str, content: str | Any, *, name: str | None = None) -> Message:
        """The result of a tool call (non-string content is sent as JSON)."""
        if not isinstance(content, str):
            content = json.dumps(content, ensure_ascii=False)
        return cls("tool", content, tool_call_id=tool_call_id, name=name)

    @classmethod
    def coerce(cls, value: Message | Mapping[str, Any]) -> Message:
        """A Message, or an OpenAI chat message dict (``role``, ``content`` as a string or a
        list of ``text`` / ``image_url`` parts, ``tool_calls``, ``tool_call_id``, ``name``).
        The ``developer`` role is read as ``system``."""
        if isinstance(value, Message):
            return value
        if not isinstance(value, Mapping):
            raise TypeError(f"a message must be a Message or a mapping, got {type(value).__name__}")
        role = value.get("role")
        if role == "developer":
            role = "system"
        if role == "function":  # legacy OpenAI function result
            role = "tool"
        if role not in _ROLES:
            raise ValueError(f"unknown message role {role!r}")
        calls = value.get("tool_calls") or ()
        return cls(
            role,
            value.get("content"),
            tool_calls=calls,
            tool_call_id=value.get("tool_call_id")
            or (value.get("name") if role == "tool" else None),
            name=value.get("name"),
        )

    # -- views ---------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The text parts, joined (thinking excluded)."""
        return "".join(p.text for p in self.content if isinstance(p, TextPart))

    @property
    def images(self) -> tuple[ImagePart, ...]:
        """The image parts."""
        return tuple(p for p in self.content if isinstance(p, ImagePart))

    @property
    def thinking(self) -> tuple[ThinkingPart, ...]:
        """The reasoning parts."""
        return tuple(p for p in self.content if isinstance(p, ThinkingPart))

    def to_openai(self) -> dict[str, Any]:
        """This message as an OpenAI chat completions message dict (thinking dropped)."""
        out: dict[str, Any] = {"role": self.role}
        visible = [p for p in self.content if not isinstance(p, ThinkingPart)]
        if visible and all(isinstance(p, TextPart) for p in visible):
            out["content"] = "".join(p.text for p in visible if isinstance(p, TextPart))
        elif visible:
            parts: list[dict[str, Any]] = []
            for p in visible:
                if isinstance(p, TextPart):
                    parts.append({"type": "text", "text": p.text})
                elif isinstance(p, ImagePart):
                    image: dict[str, Any] = {"url": p.data_url}
                    if p.detail:
                        image["detail"] = p.detail
                    parts.append({"type": "image_url", "image_url": image})
            out["content"] = parts
        else:
            out["content"] = None if self.role == "assistant" and self.tool_calls else ""
        if self.tool_calls:
            out["tool_calls"] = [
                {
                    "id": c.id,
                    "type": "function",
                    "function": {"name": c.name, "arguments": c.arguments},
                }
                for c in self.tool_calls
            ]
        if self.tool_call_id is not None:
            out["tool_call_id"] = self.tool_call_id
        if self.name is not None and self.role in ("user", "assistant", "system"):
            out["name"] = self.name
        return out


MessageLike: TypeAlias = Message | Mapping[str, Any]
