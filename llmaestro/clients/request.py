"""Internal records passed between the shared client machinery and the provider adapters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from llmaestro.clients.types import (
    ChatOptions,
    Message,
    Reasoning,
    ResponseFormat,
    Tool,
)

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro._records import Offering
    from llmaestro.clients.types import StreamEvent

__all__ = ["OPTION_KEYS", "HttpRequest", "Options", "Parsed", "Prepared", "StreamState"]

OPTION_KEYS: frozenset[str] = ChatOptions.__required_keys__ | ChatOptions.__optional_keys__
_TOOL_CHOICES = ("auto", "none", "required")


@dataclass(frozen=True, slots=True)
class Options:
    """The normalized :class:`~llmaestro.clients.types.ChatOptions` of one call."""

    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    stop: tuple[str, ...] = ()
    seed: int | None = None
    tools: tuple[Tool, ...] = ()
    tool_choice: str | None = None
    parallel_tool_calls: bool | None = None
    response_format: ResponseFormat | None = None
    reasoning: Reasoning | None = None
    extra_body: Mapping[str, Any] = field(default_factory=dict)
    extra_headers: Mapping[str, str] = field(default_factory=dict)
    timeout: float | None = None
    extended_context: bool = False

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Options:
        """Validate and normalize the keyword options of a call."""
        unknown = set(options) - OPTION_KEYS
        if unknown:
            raise TypeError(
                f"unknown option(s) {', '.join(sorted(unknown))}; known: "
                f"{', '.join(sorted(OPTION_KEYS))} (use extra_body= for provider extras)"
            )
        max_tokens = options.get("max_tokens")
        if max_tokens is not None and (
            isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1
        ):
            raise ValueError(f"max_tokens must be an int >= 1, got {max_tokens!r}")
        stop = options.get("stop")
        stops: tuple[str, ...] = (
            () if stop is None else (stop,) if isinstance(stop, str) else tuple(stop)
        )
        tools = tuple(Tool.coerce(t) for t in options.get("tools") or ())
        names = [t.name for t in tools]
        if len(set(names)) != len(names):
            raise ValueError("tool names must be unique")
        choice = options.get("tool_choice")
        if choice is not None:
            if not isinstance(choice, str) or not choice:
                raise TypeError("tool_choice must be 'auto', 'none', 'required' or a tool name")
            if choice not in _TOOL_CHOICES and choice not in names:
                raise ValueError(f"tool_choice {choice!r} names no tool of this request")
        fmt = options.get("response_format")
        reasoning = options.get("reasoning")
        timeout = options.get("timeout")
        if timeout is not None and not timeout > 0:
            raise ValueError("timeout must be > 0")
        return cls(
            max_tokens=max_tokens,
            temperature=options.get("temperature"),
            top_p=options.get("top_p"),
            stop=stops,
            seed=options.get("seed"),
            tools=tools,
            tool_choice=choice,
            parallel_tool_calls=options.get("parallel_tool_calls"),
            response_format=None if fmt is None else ResponseFormat.coerce(fmt),
            reasoning=None if reasoning is None else Reasoning.coerce(reasoning),
            extra_body=dict(options.get("extra_body") or {}),
            extra_headers=dict(options.get("extra_headers") or {}),
            timeout=None if timeout is None else float(timeout),
            extended_context=_flag(options, "extended_context"),
        )


def _flag(options: Mapping[str, Any], name: str) -> bool:
    value = options.get(name, False)
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__}")
    return value


@dataclass(frozen=True, slots=True)
class Prepared:
    """A checked chat call, ready for an adapter to turn into a request.

    ``prompt_tokens`` is the local estimate of the prompt (when it was needed: checks or a
    rate limiter); ``output_tokens`` what to reserve for the output. ``by_response``: the
    catalog lacks ``model``, so the response is priced under the model it names (``offering``
    is then the one a previous response named, or None).
    """

    messages: tuple[Message, ...]
    model: str
    offering: Offering | None
    options: Options
    stream: bool
    prompt_tokens: int | None = None
    output_tokens: int = 0
    by_response: bool = False


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """One HTTP request, relative to the client's base URL."""

    method: str
    path: str
    json: Any = None
    params: Mapping[str, str] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    timeout: float | None = None


@dataclass(frozen=True, slots=True)
class Parsed:
    """What an adapter read from a complete response (or an assembled stream)."""

    message: Message
    finish_reason: str | None = None
    id: str | None = None
    model: str | None = None
    service_tier: str | None = None


class StreamState:
    """Per-stream state of an adapter: turns SSE events into stream events.

    ``events`` keeps the parsed JSON events (for usage extraction and ``raw``);
    ``complete`` says whether the stream reached its end marker.
    """

    def __init__(self) -> None:
        self.events: list[Mapping[str, Any]] = []
        self.complete = False

    def feed(self, event: str, data: str) -> list[StreamEvent]:  # pragma: no cover - abstract
        """Consume one SSE event; return the stream events it produces."""
        raise NotImplementedError

    def result(self) -> Parsed:  # pragma: no cover - abstract
        """The assembled response."""
        raise NotImplementedError
