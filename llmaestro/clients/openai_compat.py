"""OpenAI chat completions, and every API that speaks it.

One client class serves OpenAI, Groq, Together, xAI, DeepSeek, Fireworks, OpenRouter,
Mistral and Ollama's OpenAI endpoint; what differs between them (base URL, key, the name
of the max-tokens field, whether ``stream_options`` is accepted) comes from the catalog
provider entry and :data:`PROFILES`.

Wire format: ``POST {base}/chat/completions`` (``stream: true`` for SSE ``data:`` chunks
ending with ``data: [DONE]``; ``stream_options.include_usage`` makes the last chunk carry
the usage), ``GET {base}/models`` (``{"data": [...]}``, a bare list for Together;
``has_more`` / ``last_id`` → ``?after=`` where paginated). Errors:
``{"error": {"message", "type", "code", "param"}}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from llmaestro.clients.client import BaseClient
from llmaestro.clients.request import HttpRequest, Parsed, Prepared, StreamState
from llmaestro.clients.types import (
    Message,
    ModelInfo,
    Part,
    ReasoningDelta,
    StreamEvent,
    TextDelta,
    TextPart,
    ThinkingPart,
    ToolCall,
    ToolCallDelta,
)
from llmaestro.clients.wire import as_list, as_map, json_loads_event, openai_tool, parse_timestamp
from llmaestro.errors import CapabilityError, InvalidResponseError

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro._http.secrets import Secret

__all__ = ["PROFILES", "OpenAICompatClient", "OpenAICompatProfile"]


@dataclass(frozen=True, slots=True)
class OpenAICompatProfile:
    """What differs between OpenAI-compatible APIs."""

    max_tokens_field: str = "max_tokens"
    """``max_completion_tokens`` (OpenAI, required by its reasoning models) or ``max_tokens``."""
    stream_usage: bool = True
    """Send ``stream_options: {"include_usage": true}`` (some APIs reject the field and
    report usage in the last chunk anyway)."""
    reasoning_effort: bool = True
    """The API takes ``reasoning_effort``."""


#: Per-provider profiles; providers not listed use the defaults.
PROFILES: dict[str, OpenAICompatProfile] = {
    "openai": OpenAICompatProfile(max_tokens_field="max_completion_tokens"),
    "azure": OpenAICompatProfile(max_tokens_field="max_completion_tokens"),
    "mistral": OpenAICompatProfile(stream_usage=False, reasoning_effort=False),
}


_FINISH = {
    "stop": "stop",
    "eos": "stop",
    "end_turn": "stop",
    "length": "length",
    "max_tokens": "length",
    "model_length": "length",
    "tool_calls": "tool_calls",
    "function_call": "tool_calls",
    "content_filter": "content_filter",
}


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # some APIs return content parts
        return "".join(
            str(p.get("text", "")) for p in content if isinstance(p, Mapping) and "text" in p
        )
    return ""


class OpenAICompatClient(BaseClient):
    """A client for OpenAI chat completions and compatible APIs.

    ``profile`` overrides the provider's :data:`PROFILES` entry. See
    :class:`~llmaestro.clients.core.BaseClient` for the other arguments.
    """

    api_style: ClassVar[str] = "openai-chat"

    def __init__(
        self,
        *,
        provider: str = "openai",
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        profile: OpenAICompatProfile | None = None,
        **kwargs: Any,
    ) -> None:
        base = base_url
        if not base:
            raise ValueError(f"base_url is required for provider {provider!r}")
        self.profile = profile or PROFILES.get(provider, OpenAICompatProfile())
        super().__init__(provider=provider, base_url=base, api_key=api_key, **kwargs)

    # -- requests ------------------------------------------------------------------------------

    def _chat_request(self, p: Prepared) -> HttpRequest:
        o = p.options
        body: dict[str, Any] = {
            "model": p.model,
            "messages": [m.to_openai() for m in p.messages],
        }
        if o.max_tokens is not None:
            body[self.profile.max_tokens_field] = o.max_tokens
        for key, value in (("temperature", o.temperature), ("top_p", o.top_p), ("seed", o.seed)):
            if value is not None:
                body[key] = value
        if o.stop:
            body["stop"] = list(o.stop)
        if o.tools:
            body["tools"] = [openai_tool(t) for t in o.tools]
            if o.parallel_tool_calls is not None:
                body["parallel_tool_calls"] = o.parallel_tool_calls
        if o.tool_choice is not None:
            body["tool_choice"] = (
                o.tool_choice
                if o.tool_choice in ("auto", "none", "required")
                else {"type": "function", "function": {"name": o.tool_choice}}
            )
        fmt = o.response_format
        if fmt is not None:
            if fmt.type == "json_object":
                body["response_format"] = {"type": "json_object"}
            else:
                spec: dict[str, Any] = {"name": fmt.name, "schema": dict(fmt.schema or {})}
                if fmt.strict is not None:
                    spec["strict"] = fmt.strict
                if fmt.description:
                    spec["description"] = fmt.description
                body["response_format"] = {"type": "json_schema", "json_schema": spec}
        self._reasoning(p, body)
        if p.stream:
            body["stream"] = True
            if self.profile.stream_usage:
                body["stream_options"] = {"include_usage": True}
        body.update(o.extra_body)
        return HttpRequest(
            "POST", "/chat/completions", json=body, headers=o.extra_headers, timeout=o.timeout
        )

    def _reasoning(self, p: Prepared, body: dict[str, Any]) -> None:
        r = p.options.reasoning
        if r is None:
            return
        if r.budget_tokens is not None and r.enabled is not False:
            raise CapabilityError(
                "OpenAI chat completions take no reasoning token budget; use "
                "reasoning=Reasoning(effort=...) or pass the provider's own field in extra_body=",
                provider=self.provider,
            )
        effort = r.effort
        if r.enabled is False:
            facts = p.offering.capabilities if p.offering is not None else None
            levels = (
                facts.reasoning.effort_levels
                if facts is not None and facts.reasoning is not None
                else None
            )
            effort = next((x for x in ("none", "minimal") if levels and x in levels), None)
            if effort is None:
                raise CapabilityError(
                    "cannot switch reasoning off through chat completions for this model "
                    "(no 'none' or 'minimal' effort level known)",
                    provider=self.provider,
                )
        if effort is not None:
            if not self.profile.reasoning_effort:
                raise CapabilityError(
                    f"{self.provider} takes no reasoning_effort", provider=self.provider
                )
            body["reasoning_effort"] = effort

    # -- responses -----------------------------------------------------------------------------

    def _parse_chat(self, p: Prepared, data: Any) -> Parsed:
        if not isinstance(data, Mapping):
            raise InvalidResponseError("the response is not a JSON object", provider=self.provider)
        if data.get("error"):  # some compatible APIs answer errors with HTTP 200
            raise self._stream_error(data)
        choices = as_list(data.get("choices"))
        if not choices or not isinstance(choices[0], Mapping):
            raise InvalidResponseError("the response has no choices", provider=self.provider)
        choice = choices[0]
        msg = as_map(choice.get("message"))
        parts: list[Part] = []
        thinking = msg.get("reasoning_content") or msg.get("reasoning")
        if isinstance(thinking, str) and thinking:
            parts.append(ThinkingPart(thinking))
        text = _content_text(msg.get("content"))
        if not text and isinstance(msg.get("refusal"), str):
            text = msg["refusal"]
        if text:
            parts.append(TextPart(text))
        calls = []
        for i, call in enumerate(as_list(msg.get("tool_calls"))):
            fn = as_map(as_map(call).get("function"))
            args = fn.get("arguments")
            calls.append(
                ToolCall(
                    id=str(as_map(call).get("id") or f"call_{i}"),
                    name=str(fn.get("name") or ""),
                    arguments=args if isinstance(args, str) else "{}",
                )
            )
        return Parsed(
            message=Message("assistant", parts, tool_calls=calls),
            finish_reason=choice.get("finish_reason"),
            id=data.get("id"),
            model=data.get("model"),
            service_tier=data.get("service_tier"),
        )

    def _normalize_finish(self, raw: str | None, message: Message) -> str | None:
        if raw is None:
            return None
        return _FINISH.get(raw, "other")

    def _stream_state(self, p: Prepared) -> StreamState:
        return _OpenAIStream(self)

    def _error_info(self, status: int, data: Any, text: str) -> dict[str, Any]:
        info = super()._error_info(status, data, text)
        error = as_map(as_map(data).get("error"))
        if error:
            info["error_type"] = error.get("type")
            info["error_code"] = error.get("code")
        elif isinstance(data, Mapping) and isinstance(data.get("type"), str):  # Mistral
            info["error_type"] = data.get("type")
            info["error_code"] = data.get("code")
        return info

    # -- models --------------------------------------------------------------------------------

    def _models_request(self, cursor: str | None) -> HttpRequest:
        return HttpRequest(
            "GET", self.models_endpoint, params={"after": cursor} if cursor else None
        )

    def _parse_models(self, data: Any) -> tuple[list[ModelInfo], str | None]:
        items = data if isinstance(data, list) else as_map(data).get("data")
        if not isinstance(items, list):
            raise InvalidResponseError("the model list has no data", provider=self.provider)
        models = []
        for item in items:
            item = as_map(item)
            if not isinstance(item.get("id"), str):
                continue
            limit = item.get("context_length", item.get("context_window"))
            models.append(
                ModelInfo(
                    id=item["id"],
                    provider=self.provider,
                    display_name=item.get("display_name") or item.get("name"),
                    created=parse_timestamp(item.get("created")),
                    owned_by=item.get("owned_by"),
                    input_token_limit=limit if isinstance(limit, int) else None,
                    raw=item,
                )
            )
        cursor = None
        if isinstance(data, Mapping) and data.get("has_more") and data.get("last_id"):
            cursor = str(data["last_id"])
        return models, cursor


class _OpenAIStream(StreamState):
    """Assembles chat completion chunks."""

    def __init__(self, client: OpenAICompatClient) -> None:
        super().__init__()
        self._client = client
        self._text: list[str] = []
        self._thinking: list[str] = []
        self._calls: dict[int, dict[str, Any]] = {}
        self._finish: str | None = None
        self._done = False
        self._id: str | None = None
        self._model: str | None = None
        self._tier: str | None = None

    def feed(self, event: str, data: str) -> list[StreamEvent]:
        if data.strip() == "[DONE]":
            self._done = True
            self.complete = True
            return []
        chunk = json_loads_event(self._client.provider, data)
        if not isinstance(chunk, Mapping):
            raise InvalidResponseError("a stream chunk is not an object", provider="openai")
        self.events.append(chunk)
        if chunk.get("error"):
            code = as_map(chunk.get("error")).get("code")
            status = code if isinstance(code, int) and 400 <= code <= 599 else None
            raise self._client._stream_error(chunk, status)
        self._id = self._id or chunk.get("id")
        self._model = self._model or chunk.get("model")
        self._tier = chunk.get("service_tier") or self._tier
        out: list[StreamEvent] = []
        for choice in as_list(chunk.get("choices")):
            choice = as_map(choice)
            if choice.get("index", 0) != 0:
                continue
            delta = as_map(choice.get("delta"))
            thinking = delta.get("reasoning_content") or delta.get("reasoning")
            if isinstance(thinking, str) and thinking:
                self._thinking.append(thinking)
                out.append(ReasoningDelta(thinking))
            text = _content_text(delta.get("content")) or _content_text(delta.get("refusal"))
            if text:
                self._text.append(text)
                out.append(TextDelta(text))
            for call in as_list(delta.get("tool_calls")):
                call = as_map(call)
                key = call.get("index")
                if not isinstance(key, int):
                    key = len(self._calls)
                slot = self._calls.get(key)
                if slot is None:
                    slot = {"ordinal": len(self._calls), "id": None, "name": "", "args": []}
                    self._calls[key] = slot
                fn = as_map(call.get("function"))
                new_id = call.get("id") if slot["id"] is None else None
                if new_id:
                    slot["id"] = str(new_id)
                name = fn.get("name") if isinstance(fn.get("name"), str) else None
                if name and not slot["name"]:
                    slot["name"] = name
                else:
                    name = None
                args = fn.get("arguments")
                args = args if isinstance(args, str) else ""
                slot["args"].append(args)
                out.append(
                    ToolCallDelta(index=slot["ordinal"], id=new_id, name=name, arguments=args)
                )
            if choice.get("finish_reason"):
                self._finish = str(choice["finish_reason"])
                self.complete = True
        return out

    def result(self) -> Parsed:
        parts: list[Part] = []
        if self._thinking:
            parts.append(ThinkingPart("".join(self._thinking)))
        if self._text:
            parts.append(TextPart("".join(self._text)))
        calls = [
            ToolCall(
                id=slot["id"] or f"call_{slot['ordinal']}",
                name=slot["name"],
                arguments="".join(slot["args"]) or "{}",
            )
            for slot in sorted(self._calls.values(), key=lambda s: int(s["ordinal"]))
        ]
        return Parsed(
            message=Message("assistant", parts, tool_calls=calls),
            finish_reason=self._finish,
            id=self._id,
            model=self._model,
            service_tier=self._tier,
        )
