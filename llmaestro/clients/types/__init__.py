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

Modules: :mod:`.parts` (content parts), :mod:`.messages` (messages, tool calls),
:mod:`.options` (tools, structured output, reasoning, ``ChatOptions``), :mod:`.responses`
(responses, stream events, model listings). This package re-exports them.
"""

from __future__ import annotations

from llmaestro.clients.types.messages import Message, MessageLike, Role, ToolCall
from llmaestro.clients.types.options import (
    ChatOptions,
    Reasoning,
    ResponseFormat,
    Tool,
    ToolLike,
)
from llmaestro.clients.types.parts import ImagePart, Part, TextPart, ThinkingPart
from llmaestro.clients.types.responses import (
    FINISH_REASONS,
    ChatResponse,
    FinishReason,
    ModelInfo,
    ReasoningDelta,
    ResponseCompleted,
    StreamEvent,
    TextDelta,
    ToolCallDelta,
)

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
