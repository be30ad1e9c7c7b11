"""Anthropic Messages API.

Wire format: ``POST {base}/messages`` with ``x-api-key`` and ``anthropic-version`` headers;
``max_tokens`` is required (default: the model's max output, capped at
``default_max_tokens``); system prompts go to the top-level ``system``; tool results are
``tool_result`` blocks of a user turn; consecutive turns of one role are merged. Streaming
events: ``message_start``, ``content_block_start`` / ``_delta`` (``text_delta``,
``input_json_delta``, ``thinking_delta``, ``signature_delta``) / ``_stop``,
``message_delta`` (stop reason, cumulative usage), ``message_stop``, ``ping`` and
``error``. ``POST {base}/messages/count_tokens`` → ``{"input_tokens": N}``;
``GET {base}/models?limit=&after_id=`` → ``data``, ``has_more``, ``last_id``. Errors:
``{"type": "error", "error": {"type", "message"}}``.

Reasoning: ``budget_tokens`` → ``thinking: {"type": "enabled", "budget_tokens"}``,
``enabled=False`` → ``{"type": "disabled"}``, ``effort`` → ``output_config.effort``.
Structured output: ``output_config.format`` (``json_schema``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from llmaestro.clients.client import BaseClient
from llmaestro.clients.request import (
    HttpRequest,
    Options,
    Parsed,
    Prepared,
    StreamState,
)
from llmaestro.clients.types import (
    ImagePart,
    Message,
    ModelInfo,
    Part,
    ReasoningDelta,
    StreamEvent,
    TextDelta,
    TextPart,
    ThinkingPart,
    Tool,
    ToolCall,
    ToolCallDelta,
)
from llmaestro.clients.wire import as_map, json_loads_event, parse_timestamp
from llmaestro.errors import (
    AuthenticationError,
    CapabilityError,
    InvalidRequestError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    ProviderAPIError,
    ProviderTimeoutError,
    RateLimitedError,
    ServerError,
)

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro._http.secrets import Secret
    from llmaestro._records import Offering

__all__ = ["DEFAULT_ANTHROPIC_VERSION", "AnthropicClient"]

#: The ``anthropic-version`` header sent by default.
DEFAULT_ANTHROPIC_VERSION = "2023-06-01"

_ERROR_TYPES: dict[str, type[ProviderAPIError]] = {
    "invalid_request_error": InvalidRequestError,
    "request_too_large": InvalidRequestError,
    "authentication_error": AuthenticationError,
    "permission_error": PermissionDeniedError,
    "not_found_error": NotFoundError,
    "rate_limit_error": RateLimitedError,
    "api_error": ServerError,
    "overloaded_error": ServerError,
    "timeout_error": ProviderTimeoutError,
}
_STREAM_ERROR_STATUS = {"overloaded_error": 529, "api_error": 500, "rate_limit_error": 429}
_FINISH = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "pause_turn": "other",
    "max_tokens": "length",
    "model_context_window_exceeded": "length",
    "tool_use": "tool_calls",
    "refusal": "content_filter",
}


def _json_args(call: ToolCall) -> Any:
    try:
        parsed = call.parsed_arguments()
    except ValueError:
        return {}
    return parsed if isinstance(parsed, Mapping) else {"value": parsed}


class AnthropicClient(BaseClient):
    """A client for the Anthropic Messages API.

    ``anthropic_version`` is the ``anthropic-version`` header; ``betas`` are sent as
    ``anthropic-beta``; ``default_max_tokens`` caps the ``max_tokens`` sent when a call
    gives none. See :class:`~llmaestro.clients.core.BaseClient` for the rest.
    """

    api_style: ClassVar[str] = "anthropic-messages"
    supports_count_tokens: ClassVar[bool] = True

    def __init__(
        self,
        *,
        provider: str = "anthropic",
        base_url: str = "https://api.anthropic.com/v1",
        api_key: str | Secret | None = None,
        anthropic_version: str = DEFAULT_ANTHROPIC_VERSION,
        betas: Sequence[str] = (),
        default_max_tokens: int = 4096,
        auth_header: str | None = "x-api-key",
        auth_scheme: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.anthropic_version = anthropic_version
        self.betas = tuple(betas)
        self.default_max_tokens = default_max_tokens
        super().__init__(
            provider=provider,
            base_url=base_url,
            api_key=api_key,
            auth_header=auth_header,
            auth_scheme=auth_scheme,
            **kwargs,
        )

    def _provider_headers(self) -> dict[str, str]:
        headers = {"anthropic-version": self.anthropic_version}
        if self.betas:
            headers["anthropic-beta"] = ",".join(self.betas)
        return headers

    def _default_max_tokens(self, options: Options, offering: Offering | None) -> int | None:
        cap = self.default_max_tokens
        known = offering.limits.max_output if offering and offering.limits else None
        budget = options.reasoning.budget_tokens if options.reasoning else None
        if budget and (options.reasoning is None or options.reasoning.enabled is not False):
            cap = budget + cap  # the thinking budget is part of max_tokens
        return min(cap, known) if known else cap

    # -- requests ------------------------------------------------------------------------------

    def _messages(self, messages: Sequence[Message]) -> tuple[str | None, list[dict[str, Any]]]:
        system = [m.text for m in messages if m.role == "system"]
        turns: list[dict[str, Any]] = []
        for m in messages:
            if m.role == "system":
                continue
            role = "assistant" if m.role == "assistant" else "user"
            blocks = self._blocks(m)
            if turns and turns[-1]["role"] == role:
                turns[-1]["content"].extend(blocks)
            else:
                turns.append({"role": role, "content": blocks})
        return ("\n\n".join(system) if system else None), turns

    def _blocks(self, m: Message) -> list[dict[str, Any]]:
        if m.role == "tool":
            inner = [b for b in (self._part(p) for p in m.content) if b is not None]
            block: dict[str, Any] = {"type": "tool_result", "tool_use_id": m.tool_call_id}
            if inner:
                block["content"] = inner
            return [block]
        blocks = [b for b in (self._part(p) for p in m.content) if b is not None]
        for call in m.tool_calls:
            blocks.append(
                {"type": "tool_use", "id": call.id, "name": call.name, "input": _json_args(call)}
            )
        return blocks

    def _part(self, part: Part) -> dict[str, Any] | None:
        if isinstance(part, TextPart):
            return {"type": "text", "text": part.text} if part.text else None
        if isinstance(part, ImagePart):
            inline = part.inline()
            if inline is not None:
                source = {"type": "base64", "media_type": inline[0], "data": inline[1]}
            else:
                source = {"type": "url", "url": part.data_url}
            return {"type": "image", "source": source}
        if part.redacted is not None:
            return {"type": "redacted_thinking", "data": part.redacted}
        if part.signature is None:
            return None  # thinking without its signature is refused by the API
        return {"type": "thinking", "thinking": part.text, "signature": part.signature}

    @staticmethod
    def _tool(tool: Tool) -> dict[str, Any]:
        out: dict[str, Any] = {"name": tool.name, "input_schema": tool.schema()}
        if tool.description:
            out["description"] = tool.description
        if tool.strict:
            out["strict"] = True
        return out

    def _base_body(
        self, messages: Sequence[Message], model: str, tools: Sequence[Tool]
    ) -> dict[str, Any]:
        system, turns = self._messages(messages)
        body: dict[str, Any] = {"model": model, "messages": turns}
        if system:
            body["system"] = system
        if tools:
            body["tools"] = [self._tool(t) for t in tools]
        return body

    def _chat_request(self, p: Prepared) -> HttpRequest:
        o = p.options
        body = self._base_body(p.messages, p.model, o.tools)
        body["max_tokens"] = o.max_tokens or self._default_max_tokens(o, p.offering)
        for key, value in (("temperature", o.temperature), ("top_p", o.top_p)):
            if value is not None:
                body[key] = value
        if o.seed is not None:
            raise CapabilityError("the Anthropic API takes no seed", provider=self.provider)
        if o.stop:
            body["stop_sequences"] = list(o.stop)
        choice: dict[str, Any] | None = None
        if o.tool_choice is not None:
            kinds = {
                "auto": {"type": "auto"},
                "none": {"type": "none"},
                "required": {"type": "any"},
            }
            choice = dict(kinds.get(o.tool_choice, {"type": "tool", "name": o.tool_choice}))
        if o.parallel_tool_calls is False and o.tools:
            choice = choice or {"type": "auto"}
            choice["disable_parallel_tool_use"] = True
        if choice is not None:
            body["tool_choice"] = choice
        output_config: dict[str, Any] = {}
        fmt = o.response_format
        if fmt is not None:
            if fmt.type != "json_schema":
                raise CapabilityError(
                    "the Anthropic API has no JSON mode without a schema; pass "
                    "ResponseFormat.json_schema(...)",
                    provider=self.provider,
                )
            output_config["format"] = {"type": "json_schema", "schema": dict(fmt.schema or {})}
        r = o.reasoning
        if r is not None:
            if r.enabled is False:
                body["thinking"] = {"type": "disabled"}
            elif r.budget_tokens is not None or (r.enabled and not r.effort):
                budget = r.budget_tokens if r.budget_tokens is not None else 1024
                body["thinking"] = {"type": "enabled", "budget_tokens": budget}
            if r.effort is not None and r.enabled is not False:
                output_config["effort"] = r.effort
        if output_config:
            body["output_config"] = output_config
        if p.stream:
            body["stream"] = True
        body.update(o.extra_body)
        return HttpRequest(
            "POST", "/messages", json=body, headers=self._extension_headers(p), timeout=o.timeout
        )

    def _extension_headers(self, p: Prepared) -> Mapping[str, str]:
        """The call's headers, plus the beta of the offering's extended context window when
        the call asks for it (``extended_context=True``) and the catalog names a header."""
        headers, limits = p.options.extra_headers, p.offering and p.offering.limits
        via = limits.extended_context_via if limits else None
        if not p.options.extended_context or not via or not via.header or not via.value:
            return headers
        name = via.header.lower()
        given = [v for k, v in headers.items() if k.lower() == name] or [
            self._headers.get(name, "")
        ]
        values = [v.strip() for v in given[0].split(",") if v.strip()]
        merged = {k: v for k, v in headers.items() if k.lower() != name}
        merged[name] = ",".join([*values, *([via.value] if via.value not in values else [])])
        return merged

    def _count_request(
        self, messages: Sequence[Message], model: str, tools: Sequence[Tool]
    ) -> HttpRequest:
        return HttpRequest(
            "POST", "/messages/count_tokens", json=self._base_body(messages, model, tools)
        )

    def _parse_count(self, data: Any) -> int:
        value = as_map(data).get("input_tokens")
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidResponseError(
                "count_tokens returned no input_tokens", provider=self.provider
            )
        return value

    # -- responses -----------------------------------------------------------------------------

    def _parse_chat(self, p: Prepared, data: Any) -> Parsed:
        if not isinstance(data, Mapping) or not isinstance(data.get("content"), list):
            raise InvalidResponseError("the response has no content", provider=self.provider)
        parts: list[Part] = []
        calls: list[ToolCall] = []
        for block in data["content"]:
            block = as_map(block)
            kind = block.get("type")
            if kind == "text":
                parts.append(TextPart(str(block.get("text", ""))))
            elif kind == "thinking":
                parts.append(
                    ThinkingPart(str(block.get("thinking", "")), signature=block.get("signature"))
                )
            elif kind == "redacted_thinking":
                parts.append(ThinkingPart("", redacted=str(block.get("data", ""))))
            elif kind == "tool_use":
                calls.append(
                    ToolCall(
                        id=str(block.get("id") or ""),
                        name=str(block.get("name") or ""),
                        arguments=json.dumps(block.get("input") or {}, ensure_ascii=False),
                    )
                )
        return Parsed(
            message=Message("assistant", parts, tool_calls=calls),
            finish_reason=data.get("stop_reason"),
            id=data.get("id"),
            model=data.get("model"),
            service_tier=as_map(data.get("usage")).get("service_tier"),
        )

    def _normalize_finish(self, raw: str | None, message: Message) -> str | None:
        if raw is None:
            return None
        return _FINISH.get(raw, "other")

    def _stream_state(self, p: Prepared) -> StreamState:
        return _AnthropicStream(self)

    def _error_info(self, status: int, data: Any, text: str) -> dict[str, Any]:
        info = super()._error_info(status, data, text)
        error = as_map(as_map(data).get("error"))
        kind = error.get("type")
        if isinstance(kind, str):
            info["error_type"] = kind
            found = _ERROR_TYPES.get(kind)
            if found is not None and (status == 0 or found is not InvalidRequestError):
                info["kind"] = found
        return info

    # -- models --------------------------------------------------------------------------------

    def _models_request(self, cursor: str | None) -> HttpRequest:
        params = {"limit": "1000"}
        if cursor:
            params["after_id"] = cursor
        return HttpRequest("GET", self.models_endpoint, params=params)

    def _parse_models(self, data: Any) -> tuple[list[ModelInfo], str | None]:
        items = as_map(data).get("data")
        if not isinstance(items, list):
            raise InvalidResponseError("the model list has no data", provider=self.provider)
        models = [
            ModelInfo(
                id=item["id"],
                provider=self.provider,
                display_name=item.get("display_name"),
                created=parse_timestamp(item.get("created_at")),
                owned_by="anthropic",
                input_token_limit=item.get("max_input_tokens"),
                output_token_limit=item.get("max_tokens"),
                raw=item,
            )
            for item in map(as_map, items)
            if isinstance(item.get("id"), str)
        ]
        cursor = None
        if data.get("has_more") and data.get("last_id"):
            cursor = str(data["last_id"])
        return models, cursor


class _AnthropicStream(StreamState):
    """Assembles Messages API stream events."""

    def __init__(self, client: AnthropicClient) -> None:
        super().__init__()
        self._client = client
        self._blocks: dict[int, dict[str, Any]] = {}
        self._tool_ordinals: dict[int, int] = {}
        self._finish: str | None = None
        self._id: str | None = None
        self._model: str | None = None
        self._tier: str | None = None

    def feed(self, event: str, data: str) -> list[StreamEvent]:
        payload = json_loads_event(self._client.provider, data)
        if not isinstance(payload, Mapping):
            raise InvalidResponseError("a stream event is not an object", provider="anthropic")
        kind = payload.get("type") or event
        if kind == "ping":
            return []
        if kind == "error":
            error_type = as_map(payload.get("error")).get("type")
            raise self._client._stream_error(payload, _STREAM_ERROR_STATUS.get(str(error_type)))
        self.events.append(payload)
        out: list[StreamEvent] = []
        if kind == "message_start":
            message = as_map(payload.get("message"))
            self._id = message.get("id")
            self._model = message.get("model")
            self._tier = as_map(message.get("usage")).get("service_tier")
        elif kind == "content_block_start":
            index = payload.get("index")
            block = dict(as_map(payload.get("content_block")))
            if not isinstance(index, int):
                return []
            block["_text"] = [str(block.get("text") or block.get("thinking") or "")]
            block["_json"] = []
            self._blocks[index] = block
            if block.get("type") == "tool_use":
                ordinal = len(self._tool_ordinals)
                self._tool_ordinals[index] = ordinal
                out.append(
                    ToolCallDelta(
                        index=ordinal, id=block.get("id"), name=block.get("name"), arguments=""
                    )
                )
            elif block.get("type") == "text" and block["_text"][0]:
                out.append(TextDelta(block["_text"][0]))
            elif block.get("type") == "thinking" and block["_text"][0]:
                out.append(ReasoningDelta(block["_text"][0]))
        elif kind == "content_block_delta":
            index = payload.get("index")
            found = self._blocks.get(index) if isinstance(index, int) else None
            if found is None or not isinstance(index, int):
                raise InvalidResponseError(
                    "a content_block_delta for a block never started", provider="anthropic"
                )
            block = found
            delta = as_map(payload.get("delta"))
            dtype = delta.get("type")
            if dtype == "text_delta":
                text = str(delta.get("text", ""))
                block["_text"].append(text)
                out.append(TextDelta(text))
            elif dtype == "thinking_delta":
                text = str(delta.get("thinking", ""))
                block["_text"].append(text)
                out.append(ReasoningDelta(text))
            elif dtype == "signature_delta":
                block["signature"] = str(delta.get("signature", ""))
            elif dtype == "input_json_delta":
                fragment = str(delta.get("partial_json", ""))
                block["_json"].append(fragment)
                tool = self._tool_ordinals.get(index)
                if tool is not None:
                    out.append(ToolCallDelta(index=tool, arguments=fragment))
        elif kind == "message_delta":
            reason = as_map(payload.get("delta")).get("stop_reason")
            if reason:
                self._finish = str(reason)
        elif kind == "message_stop":
            self.complete = True
        return out

    def result(self) -> Parsed:
        parts: list[Part] = []
        calls: list[ToolCall] = []
        for index in sorted(self._blocks):
            block = self._blocks[index]
            kind = block.get("type")
            text = "".join(block["_text"])
            if kind == "text":
                parts.append(TextPart(text))
            elif kind == "thinking":
                parts.append(ThinkingPart(text, signature=block.get("signature")))
            elif kind == "redacted_thinking":
                parts.append(ThinkingPart("", redacted=str(block.get("data", ""))))
            elif kind == "tool_use":
                raw = "".join(block["_json"])
                if not raw:
                    raw = json.dumps(block.get("input") or {}, ensure_ascii=False)
                calls.append(
                    ToolCall(
                        id=str(block.get("id") or ""),
                        name=str(block.get("name") or ""),
                        arguments=raw,
                    )
                )
        return Parsed(
            message=Message("assistant", parts, tool_calls=calls),
            finish_reason=self._finish,
            id=self._id,
            model=self._model,
            service_tier=self._tier,
        )
