"""Typed requests, responses and stream events of the interface layer.

Everything here is a frozen, slotted dataclass; nothing talks to the network and importing
this module imports neither ``httpx`` nor the catalog.

Requests
--------
* :class:`Message` (``system``, ``user``, ``assistant``, ``tool``) whose content is a tuple of
  parts: :class:`TextPart`, :class:`ImagePart` (URL or inline base64) and
  :class:`ThinkingPart` (reasoning text an assistant produced, echoed back in multi-turn
  tool use). OpenAI-style message dicts are accepted wherever messages are
  (:meth:`Message.coerce`).
* :class:`Tool` definitions (name, description, JSON Schema parameters) and the
  :class:`ToolCall` an assistant makes.
* :class:`ResponseFormat`: JSON mode or a JSON Schema for structured output.
* :class:`Reasoning`: effort level, thinking-token budget, on/off, thought summaries.
* :class:`ChatOptions`: the keyword options of ``chat()`` / ``stream()``.

Responses
---------
* :class:`ChatResponse`: the assistant :class:`Message`, the normalized finish reason,
  :class:`~llmaestro.cost.Usage` and :class:`~llmaestro.cost.CostBreakdown`.
* Stream events: :class:`TextDelta`, :class:`ReasoningDelta`, :class:`ToolCallDelta` and,
  last, :class:`ResponseCompleted` carrying the final :class:`ChatResponse`.
* :class:`ModelInfo`: one entry of a provider's model listing.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import mimetypes
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeAlias, TypedDict

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro.cost import CostBreakdown, Usage

__all__ = [
    "FINISH_REASONS",
    "ChatOptions",
    "ChatResponse",
    "FinishReason",
    "ImagePart",
    "Message",
    "MessageLike",
    "ModelInfo",
    "Part",
    "Reasoning",
    "ReasoningDelta",
    "ResponseCompleted",
    "ResponseFormat",
    "Role",
    "StreamEvent",
    "TextDelta",
    "TextPart",
    "ThinkingPart",
    "Tool",
    "ToolCall",
    "ToolCallDelta",
    "ToolLike",
]

Role: TypeAlias = Literal["system", "user", "assistant", "tool"]
_ROLES: frozenset[str] = frozenset(("system", "user", "assistant", "tool"))

#: Normalized finish reasons (``ChatResponse.finish_reason``).
FinishReason: TypeAlias = Literal["stop", "length", "tool_calls", "content_filter", "other"]
FINISH_REASONS: tuple[str, ...] = ("stop", "length", "tool_calls", "content_filter", "other")


# --- content parts ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextPart:
    """Plain text."""

    text: str
    type: ClassVar[str] = "text"


@dataclass(frozen=True, slots=True)
class ImagePart:
    """An image: a URL (``https://``, ``gs://``, a provider file URI or a ``data:`` URL) or
    inline base64 ``data`` with its ``media_type``. ``detail`` is OpenAI's ``low`` /
    ``high`` / ``auto`` hint (ignored by the other APIs).

    Build one with :meth:`from_url`, :meth:`from_bytes`, :meth:`from_base64` or
    :meth:`from_path`.
    """

    url: str | None = None
    data: str | None = field(default=None, repr=False)
    media_type: str | None = None
    detail: str | None = None
    type: ClassVar[str] = "image"

    def __post_init__(self) -> None:
        if (self.url is None) == (self.data is None):
            raise ValueError("ImagePart needs exactly one of url= or data=")
        if self.data is not None and not self.media_type:
            raise ValueError("ImagePart(data=...) needs media_type=, e.g. 'image/png'")

    @classmethod
    def from_url(cls, url: str, *, detail: str | None = None) -> ImagePart:
        """An image by URL (``data:`` URLs are kept as they are)."""
        return cls(url=url, detail=detail)

    @classmethod
    def from_base64(cls, data: str, media_type: str, *, detail: str | None = None) -> ImagePart:
        """An image from base64 text."""
        return cls(data=data, media_type=media_type, detail=detail)

    @classmethod
    def from_bytes(cls, raw: bytes, media_type: str, *, detail: str | None = None) -> ImagePart:
        """An image from its bytes."""
        return cls(data=base64.b64encode(raw).decode("ascii"), media_type=media_type, detail=detail)

    @classmethod
    def from_path(
        cls, path: str | Path, media_type: str | None = None, *, detail: str | None = None
    ) -> ImagePart:
        """An image read from a file (media type guessed from the suffix unless given)."""
        path = Path(path)
        kind = media_type or mimetypes.guess_type(path.name)[0]
        if not kind:
            raise ValueError(f"cannot guess the media type of {path.name}; pass media_type=")
        return cls.from_bytes(path.read_bytes(), kind, detail=detail)

    def inline(self) -> tuple[str, str] | None:
        """``(media_type, base64)`` for inline images and ``data:`` URLs, else None."""
        if self.data is not None:
            return (self.media_type or "application/octet-stream", self.data)
        url = self.url or ""
        if url.startswith("data:"):
            head, sep, payload = url[5:].partition(",")
            if sep and head.endswith(";base64"):
                return (head[: -len(";base64")] or "application/octet-stream", payload)
            if sep:  # percent-encoded or plain text data URL: re-encode
                raw = payload.encode("utf-8")
                return (head.split(";")[0] or "text/plain", base64.b64encode(raw).decode("ascii"))
        return None

    @property
    def data_url(self) -> str:
        """A URL for the image: ``url`` as given, or a ``data:`` URL for inline data."""
        if self.url is not None:
            return self.url
        return f"data:{self.media_type};base64,{self.data}"

    def raw_bytes(self) -> bytes | None:
        """The decoded bytes of an inline image (None for remote URLs)."""
        found = self.inline()
        if found is None:
            return None
        try:
            return base64.b64decode(found[1], validate=False)
        except (binascii.Error, ValueError):
            return None


@dataclass(frozen=True, slots=True)
class ThinkingPart:
    """Reasoning ("thinking") an assistant produced.

    ``signature`` (Anthropic, Gemini) must be sent back unchanged with the assistant turn in
    multi-turn tool use; ``redacted`` holds Anthropic's encrypted ``redacted_thinking``.
    APIs that do not take reasoning back (OpenAI chat completions) drop these parts.
    """

    text: str
    signature: str | None = field(default=None, repr=False)
    redacted: str | None = field(default=None, repr=False)
    type: ClassVar[str] = "thinking"


Part: TypeAlias = TextPart | ImagePart | ThinkingPart


# --- tools -------------------------------------------------------------------------------------


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


@dataclass(frozen=True, slots=True)
class Tool:
    """A function the model may call: ``parameters`` is a JSON Schema of its arguments
    (an object schema; None means no arguments). ``strict`` asks for schema-exact arguments
    where the API supports it (OpenAI ``strict``)."""

    name: str
    description: str | None = None
    parameters: Mapping[str, Any] | None = None
    strict: bool | None = None

    def schema(self) -> dict[str, Any]:
        """``parameters``, or an empty object schema."""
        if self.parameters is None:
            return {"type": "object", "properties": {}}
        return dict(self.parameters)

    @classmethod
    def coerce(cls, value: Tool | Mapping[str, Any]) -> Tool:
        """A Tool, an OpenAI tool dict (``{"type": "function", "function": {...}}``), a bare
        function dict, or an Anthropic tool (``input_schema``)."""
        if isinstance(value, Tool):
            return value
        if not isinstance(value, Mapping):
            raise TypeError(f"a tool must be a Tool or a mapping, got {type(value).__name__}")
        fn = value.get("function")
        fn = fn if isinstance(fn, Mapping) else value
        name = fn.get("name")
        if not isinstance(name, str) or not name:
            raise ValueError("a tool needs a name")
        params = fn.get("parameters", fn.get("input_schema"))
        strict = fn.get("strict")
        return cls(
            name=name,
            description=fn.get("description"),
            parameters=params if isinstance(params, Mapping) else None,
            strict=strict if isinstance(strict, bool) else None,
        )


ToolLike: TypeAlias = Tool | Mapping[str, Any]


# --- messages ----------------------------------------------------------------------------------


def _parts(
    content: str | Part | Iterable[Part | str | Mapping[str, Any]] | None,
) -> tuple[Part, ...]:
    if content is None:
        return ()
    if isinstance(content, str):
        return (TextPart(content),) if content else ()
    if isinstance(content, TextPart | ImagePart | ThinkingPart):
        return (content,)
    out: list[Part] = []
    for item in content:
        if isinstance(item, TextPart | ImagePart | ThinkingPart):
            out.append(item)
        elif isinstance(item, str):
            out.append(TextPart(item))
        elif isinstance(item, Mapping):
            out.append(_part_from_dict(item))
        else:
            raise TypeError(f"unsupported message content part: {type(item).__name__}")
    return tuple(out)


def _part_from_dict(item: Mapping[str, Any]) -> Part:
    kind = item.get("type")
    if kind in ("text", "input_text"):
        return TextPart(str(item.get("text", "")))
    if kind == "image_url":
        image = item.get("image_url")
        if isinstance(image, str):
            return ImagePart(url=image)
        if isinstance(image, Mapping) and isinstance(image.get("url"), str):
            return ImagePart(url=image["url"], detail=image.get("detail"))
        raise ValueError("an image_url part needs image_url.url")
    if kind == "image":  # Anthropic style
        source = item.get("source")
        if isinstance(source, Mapping):
            if source.get("type") == "base64":
                return ImagePart(data=source.get("data"), media_type=source.get("media_type"))
            if source.get("type") == "url":
                return ImagePart(url=source.get("url"))
        raise ValueError("an image part needs a base64 or url source")
    if kind == "thinking":
        return ThinkingPart(str(item.get("thinking", "")), signature=item.get("signature"))
    raise ValueError(f"unsupported message content part type {kind!r}")


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
        setter(self, "content", _parts(content))
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


# --- structured output and reasoning ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResponseFormat:
    """Ask for JSON: ``json_object`` (any valid JSON object) or ``json_schema`` (output
    constrained to ``schema``; ``name`` labels it for OpenAI; ``strict`` asks for exact
    adherence where the API has the switch)."""

    type: Literal["json_object", "json_schema"]
    schema: Mapping[str, Any] | None = None
    name: str = "response"
    strict: bool | None = None
    description: str | None = None

    def __post_init__(self) -> None:
        if self.type not in ("json_object", "json_schema"):
            raise ValueError("ResponseFormat.type must be 'json_object' or 'json_schema'")
        if self.type == "json_schema" and not isinstance(self.schema, Mapping):
            raise ValueError("ResponseFormat(type='json_schema') needs schema=")

    @classmethod
    def json_object(cls) -> ResponseFormat:
        """Any JSON object (OpenAI "JSON mode")."""
        return cls("json_object")

    @classmethod
    def json_schema(
        cls, schema: Mapping[str, Any], *, name: str = "response", strict: bool | None = True
    ) -> ResponseFormat:
        """Output constrained to a JSON Schema."""
        return cls("json_schema", schema=schema, name=name, strict=strict)

    @classmethod
    def coerce(cls, value: Any) -> ResponseFormat:
        """A ResponseFormat; an OpenAI ``response_format`` dict; a bare JSON Schema dict; or a
        pydantic model class (its ``model_json_schema()``)."""
        if isinstance(value, ResponseFormat):
            return value
        if isinstance(value, type) and hasattr(value, "model_json_schema"):
            return cls.json_schema(value.model_json_schema(), name=value.__name__)
        if isinstance(value, Mapping):
            kind = value.get("type")
            if kind == "json_object":
                return cls.json_object()
            if kind == "json_schema":
                inner = value.get("json_schema")
                inner = inner if isinstance(inner, Mapping) else value
                schema = inner.get("schema")
                if not isinstance(schema, Mapping):
                    raise ValueError("a json_schema response_format needs json_schema.schema")
                strict = inner.get("strict")
                return cls(
                    "json_schema",
                    schema=schema,
                    name=str(inner.get("name") or "response"),
                    strict=strict if isinstance(strict, bool) else None,
                    description=inner.get("description"),
                )
            if "properties" in value or kind == "object":
                return cls.json_schema(value)
        raise TypeError(
            "response_format must be a ResponseFormat, an OpenAI response_format dict, a JSON "
            "Schema dict or a pydantic model class"
        )


@dataclass(frozen=True, slots=True)
class Reasoning:
    """Reasoning ("thinking") controls.

    * ``effort``: an effort level (``"low"``, ``"medium"``, ``"high"``, ...): OpenAI
      ``reasoning_effort``, Anthropic ``output_config.effort``, Gemini ``thinkingLevel``.
    * ``budget_tokens``: a thinking-token budget: Anthropic ``thinking.budget_tokens``,
      Gemini ``thinkingBudget`` (not expressible in OpenAI chat completions).
    * ``enabled``: ``False`` switches reasoning off where it can be; ``True`` switches it on
      with the provider's default budget.
    * ``include_thoughts``: return thought summaries (Gemini ``includeThoughts``).
    """

    effort: str | None = None
    budget_tokens: int | None = None
    enabled: bool | None = None
    include_thoughts: bool | None = None

    def __post_init__(self) -> None:
        if self.budget_tokens is not None and (
            isinstance(self.budget_tokens, bool) or self.budget_tokens < 0
        ):
            raise ValueError("Reasoning.budget_tokens must be an int >= 0")

    @property
    def wanted(self) -> bool:
        """True when this asks for reasoning (rather than switching it off)."""
        if self.enabled is False:
            return False
        return bool(self.enabled or self.effort or self.budget_tokens)

    @classmethod
    def coerce(cls, value: Reasoning | str | Mapping[str, Any] | bool) -> Reasoning:
        """A Reasoning; an effort string (``"high"``); a bool (on/off); or a mapping of the
        fields (``{"effort": "low"}``, ``{"budget_tokens": 2048}``)."""
        if isinstance(value, Reasoning):
            return value
        if isinstance(value, bool):
            return cls(enabled=value)
        if isinstance(value, str):
            return cls(effort=value)
        if isinstance(value, Mapping):
            budget = value.get("budget_tokens", value.get("max_tokens"))
            return cls(
                effort=value.get("effort"),
                budget_tokens=budget,
                enabled=value.get("enabled"),
                include_thoughts=value.get("include_thoughts"),
            )
        raise TypeError("reasoning must be a Reasoning, an effort string, a bool or a mapping")


class ChatOptions(TypedDict, total=False):
    """Keyword options of ``chat()``, ``achat()``, ``stream()`` and ``astream()``.

    Every option is optional; unset options are not sent.
    """

    max_tokens: int
    """Most tokens to generate (OpenAI ``max_completion_tokens``, Gemini ``maxOutputTokens``)."""
    temperature: float
    top_p: float
    stop: str | Sequence[str]
    seed: int
    tools: Sequence[ToolLike]
    tool_choice: str
    """``"auto"``, ``"none"``, ``"required"`` or the name of one tool to force."""
    parallel_tool_calls: bool
    response_format: ResponseFormat | Mapping[str, Any] | type
    reasoning: Reasoning | str | Mapping[str, Any] | bool
    extra_body: Mapping[str, Any]
    """Merged (shallowly) into the JSON body last: provider features not modelled here."""
    extra_headers: Mapping[str, str]
    timeout: float
    """Seconds for this call (connect, read, write and pool timeouts)."""
    check: bool
    """Run the catalog checks (default: the client's ``check``)."""


# --- responses -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChatResponse:
    """A completed chat response.

    ``usage`` follows llmaestro's convention (:class:`~llmaestro.cost.Usage`);
    ``usage_estimated`` is True when the provider reported no usage and it was estimated
    locally (prompt tokens from the request, output tokens from the text). ``cost`` is the
    price under the catalog offering (None when the model is not in the catalog).
    ``finish_reason`` is normalized (``stop``, ``length``, ``tool_calls``,
    ``content_filter``, ``other``); ``raw_finish_reason`` is the provider's own value.
    ``raw`` is the parsed response body (for streams: the list of parsed events).
    """

    provider: str
    model: str
    message: Message
    finish_reason: str | None
    usage: Usage
    cost: CostBreakdown | None = None
    id: str | None = None
    request_id: str | None = None
    raw_finish_reason: str | None = None
    usage_estimated: bool = False
    raw: Any = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        """The assistant's text."""
        return self.message.text

    @property
    def tool_calls(self) -> tuple[ToolCall, ...]:
        """The tool calls the assistant made."""
        return self.message.tool_calls

    @property
    def reasoning(self) -> str | None:
        """The reasoning text returned (thinking, summaries), or None."""
        parts = self.message.thinking
        if not parts:
            return None
        return "".join(p.text for p in parts)

    def json(self) -> Any:
        """The text parsed as JSON (for structured output); ValueError when it is not JSON.

        A Markdown code fence around the JSON is tolerated.
        """
        text = self.text.strip()
        if text.startswith("```"):
            text = text.split("\n", 1)[1] if "\n" in text else ""
            text = text.rsplit("```", 1)[0]
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"the response text is not JSON: {exc}") from None


@dataclass(frozen=True, slots=True)
class TextDelta:
    """A piece of the assistant's text."""

    text: str
    type: ClassVar[str] = "text_delta"


@dataclass(frozen=True, slots=True)
class ReasoningDelta:
    """A piece of reasoning text (thinking, thought summary)."""

    text: str
    type: ClassVar[str] = "reasoning_delta"


@dataclass(frozen=True, slots=True)
class ToolCallDelta:
    """A piece of tool call ``index`` (0, 1, ... in the order the calls appear): ``id`` and
    ``name`` come with its first delta, ``arguments`` is the next fragment of its JSON
    arguments (concatenate them)."""

    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""
    type: ClassVar[str] = "tool_call_delta"


@dataclass(frozen=True, slots=True)
class ResponseCompleted:
    """The last event of a stream: the assembled response with its usage and cost."""

    response: ChatResponse
    type: ClassVar[str] = "response_completed"


StreamEvent: TypeAlias = TextDelta | ReasoningDelta | ToolCallDelta | ResponseCompleted


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """One model of a provider's model listing.

    ``id`` is the id to pass as ``model`` (Gemini's ``models/`` prefix removed);
    ``created`` is when the provider says it was created or released, when it says.
    """

    id: str
    provider: str
    display_name: str | None = None
    created: dt.datetime | None = None
    owned_by: str | None = None
    input_token_limit: int | None = None
    output_token_limit: int | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
