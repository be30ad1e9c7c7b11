"""What comes back: a completed :class:`ChatResponse`, the stream events, and the entries of a
model listing (:class:`ModelInfo`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeAlias

from llmaestro.clients.types.messages import Message, ToolCall

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro.cost import CostBreakdown, Usage

__all__ = [
    "FINISH_REASONS",
    "ChatResponse",
    "FinishReason",
    "ModelInfo",
    "ReasoningDelta",
    "ResponseCompleted",
    "StreamEvent",
    "TextDelta",
    "ToolCallDelta",
]

#: Normalized finish reasons (``ChatResponse.finish_reason``).
FinishReason: TypeAlias = Literal["stop", "length", "tool_calls", "content_filter", "other"]
FINISH_REASONS: tuple[str, ...] = ("stop", "length", "tool_calls", "content_filter", "other")


@dataclass(frozen=True, slots=True)
class ChatResponse:
    """A completed chat response.

    ``usage`` follows llmaestro's convention (:class:`~llmaestro.cost.Usage`);
    ``usage_estimated`` is True when the provider reported no usage and it was estimated
    locally (prompt tokens from the request, output tokens from the text). ``cost`` is the
    price under the catalog offering of the requested model, or of the model the response
    names (``model``) when the requested id is not in the catalog; it is always a
    :class:`~llmaestro.cost.CostBreakdown`, incomplete (``complete`` False, the unknown
    components None, ``total`` a lower bound) when prices are unknown or the catalog has
    neither model.
    ``finish_reason`` is normalized (``stop``, ``length``, ``tool_calls``,
    ``content_filter``, ``other``); ``raw_finish_reason`` is the provider's own value.
    ``raw`` is the parsed response body (for streams: the list of parsed events).
    """

    provider: str
    model: str
    message: Message
    finish_reason: str | None
    usage: Usage
    cost: CostBreakdown
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
