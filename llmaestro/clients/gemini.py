"""Google Gemini API (generativelanguage, ``v1beta``).

Wire format: ``POST {base}/models/{model}:generateContent`` and
``:streamGenerateContent?alt=sse`` (SSE ``data:`` chunks, each a partial
``GenerateContentResponse``; the stream ends after the chunk with a ``finishReason``),
``POST {base}/models/{model}:countTokens`` (``{"generateContentRequest": ...}`` →
``totalTokens``), ``GET {base}/models?pageSize=&pageToken=`` (``models``,
``nextPageToken``). The key goes in ``x-goog-api-key``. Roles are ``user`` / ``model``;
system prompts go to ``systemInstruction``; tool results are ``functionResponse`` parts.
Errors: ``{"error": {"code", "message", "status", "details"}}`` (``RetryInfo.retryDelay``
is read as the retry wait, ``ErrorInfo.reason == "API_KEY_INVALID"`` as an authentication
failure).

Reasoning: ``budget_tokens`` → ``thinkingConfig.thinkingBudget`` (``enabled=False`` → 0,
``enabled=True`` alone → -1, dynamic), ``effort`` → ``thinkingLevel``,
``include_thoughts`` → ``includeThoughts``. Structured output: ``responseMimeType:
application/json`` with ``responseJsonSchema``.
"""

from __future__ import annotations

import json
import mimetypes
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from llmaestro.clients.client import BaseClient
from llmaestro.clients.request import HttpRequest, Parsed, Prepared, StreamState
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
from llmaestro.clients.wire import as_list, as_map, json_loads_event
from llmaestro.errors import (
    AuthenticationError,
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

__all__ = ["GeminiClient"]

_SYNTHETIC_ID = "gemini-call-"
_STATUS_KINDS: dict[str, type[ProviderAPIError]] = {
    "INVALID_ARGUMENT": InvalidRequestError,
    "FAILED_PRECONDITION": InvalidRequestError,
    "OUT_OF_RANGE": InvalidRequestError,
    "UNAUTHENTICATED": AuthenticationError,
    "PERMISSION_DENIED": PermissionDeniedError,
    "NOT_FOUND": NotFoundError,
    "RESOURCE_EXHAUSTED": RateLimitedError,
    "INTERNAL": ServerError,
    "UNAVAILABLE": ServerError,
    "DEADLINE_EXCEEDED": ProviderTimeoutError,
}
_FILTERED = frozenset(
    {
        "SAFETY",
        "RECITATION",
        "BLOCKLIST",
        "PROHIBITED_CONTENT",
        "SPII",
        "IMAGE_SAFETY",
        "IMAGE_PROHIBITED_CONTENT",
        "IMAGE_RECITATION",
        "LANGUAGE",
    }
)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d*)?)s\s*$")


def model_path(model: str) -> str:
    """``models/<id>`` for a bare id; ``models/...`` and ``tunedModels/...`` unchanged."""
    if model.startswith(("models/", "tunedModels/")):
        return model
    return "models/" + model


def _tool_response(m: Message) -> dict[str, Any]:
    text = m.text
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = text
    return parsed if isinstance(parsed, dict) else {"result": parsed}


class GeminiClient(BaseClient):
    """A client for the Gemini API (Google AI Studio). See
    :class:`~llmaestro.clients.core.BaseClient` for the arguments."""

    api_style: ClassVar[str] = "gemini"
    supports_count_tokens: ClassVar[bool] = True

    def __init__(
        self,
        *,
        provider: str = "google",
        base_url: str = "https://generativelanguage.googleapis.com/v1beta",
        api_key: str | Secret | None = None,
        auth_header: str | None = "x-goog-api-key",
        auth_scheme: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            provider=provider,
            base_url=base_url,
            api_key=api_key,
            auth_header=auth_header,
            auth_scheme=auth_scheme,
            **kwargs,
        )

    # -- requests ------------------------------------------------------------------------------

    def _part(self, part: Part) -> dict[str, Any] | None:
        if isinstance(part, TextPart):
            return {"text": part.text} if part.text else None
        if isinstance(part, ImagePart):
            inline = part.inline()
            if inline is not None:
                return {"inlineData": {"mimeType": inline[0], "data": inline[1]}}
            data: dict[str, Any] = {"fileUri": part.data_url}
            kind = part.media_type or mimetypes.guess_type(part.data_url)[0]
            if kind:
                data["mimeType"] = kind
            return {"fileData": data}
        if part.signature is None or part.redacted is not None:
            return None
        return {"text": part.text, "thought": True, "thoughtSignature": part.signature}

    def _contents(
        self, messages: Sequence[Message]
    ) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        names = {c.id: c.name for m in messages for c in m.tool_calls}
        system = [m.text for m in messages if m.role == "system"]
        contents: list[dict[str, Any]] = []
        for m in messages:
            if m.role == "system":
                continue
            parts: list[dict[str, Any]]
            if m.role == "tool":
                call_id = m.tool_call_id or ""
                response: dict[str, Any] = {
                    "name": m.name or names.get(call_id) or call_id,
                    "response": _tool_response(m),
                }
                if call_id and not call_id.startswith(_SYNTHETIC_ID):
                    response["id"] = call_id
                parts = [{"functionResponse": response}]
            else:
                parts = [b for b in (self._part(p) for p in m.content) if b is not None]
                for call in m.tool_calls:
                    try:
                        args = call.parsed_arguments()
                    except ValueError:
                        args = {}
                    fc: dict[str, Any] = {"name": call.name, "args": args}
                    if call.id and not call.id.startswith(_SYNTHETIC_ID):
                        fc["id"] = call.id
                    item: dict[str, Any] = {"functionCall": fc}
                    if call.signature:
                        item["thoughtSignature"] = call.signature
                    parts.append(item)
            role = "model" if m.role == "assistant" else "user"
            if contents and contents[-1]["role"] == role:
                contents[-1]["parts"].extend(parts)
            else:
                contents.append({"role": role, "parts": parts})
        instruction = {"parts": [{"text": "\n\n".join(system)}]} if system else None
        return instruction, contents

    @staticmethod
    def _tools(tools: Sequence[Tool]) -> list[dict[str, Any]]:
        declarations = []
        for tool in tools:
            decl: dict[str, Any] = {"name": tool.name}
            if tool.description:
                decl["description"] = tool.description
            if tool.parameters is not None:
                decl["parametersJsonSchema"] = dict(tool.parameters)
            declarations.append(decl)
        return [{"functionDeclarations": declarations}]

    def _body(self, messages: Sequence[Message], tools: Sequence[Tool]) -> dict[str, Any]:
        instruction, contents = self._contents(messages)
        body: dict[str, Any] = {"contents": contents}
        if instruction is not None:
            body["systemInstruction"] = instruction
        if tools:
            body["tools"] = self._tools(tools)
        return body

    def _chat_request(self, p: Prepared) -> HttpRequest:
        o = p.options
        body = self._body(p.messages, o.tools)
        if o.tool_choice is not None:
            modes = {"auto": "AUTO", "none": "NONE", "required": "ANY"}
            config: dict[str, Any] = {"mode": modes.get(o.tool_choice, "ANY")}
            if o.tool_choice not in modes:
                config["allowedFunctionNames"] = [o.tool_choice]
            body["toolConfig"] = {"functionCallingConfig": config}
        gen: dict[str, Any] = {}
        for key, value in (
            ("maxOutputTokens", o.max_tokens),
            ("temperature", o.temperature),
            ("topP", o.top_p),
            ("seed", o.seed),
        ):
            if value is not None:
                gen[key] = value
        if o.stop:
            gen["stopSequences"] = list(o.stop)
        fmt = o.response_format
        if fmt is not None:
            gen["responseMimeType"] = "application/json"
            if fmt.type == "json_schema":
                gen["responseJsonSchema"] = dict(fmt.schema or {})
        r = o.reasoning
        if r is not None:
            thinking: dict[str, Any] = {}
            if r.enabled is False:
                thinking["thinkingBudget"] = 0
            elif r.budget_tokens is not None:
                thinking["thinkingBudget"] = r.budget_tokens
            elif r.enabled and not r.effort:
                thinking["thinkingBudget"] = -1
            if r.effort is not None and r.enabled is not False:
                thinking["thinkingLevel"] = r.effort
            if r.include_thoughts is not None:
                thinking["includeThoughts"] = r.include_thoughts
            if thinking:
                gen["thinkingConfig"] = thinking
        if gen:
            body["generationConfig"] = gen
        body.update(o.extra_body)
        path = quote(model_path(p.model), safe="/-._~")
        if p.stream:
            return HttpRequest(
                "POST",
                f"/{path}:streamGenerateContent",
                json=body,
                params={"alt": "sse"},
                headers=o.extra_headers,
                timeout=o.timeout,
            )
        return HttpRequest(
            "POST",
            f"/{path}:generateContent",
            json=body,
            headers=o.extra_headers,
            timeout=o.timeout,
        )

    def _count_request(
        self, messages: Sequence[Message], model: str, tools: Sequence[Tool]
    ) -> HttpRequest:
        path = model_path(model)
        inner = {"model": path, **self._body(messages, tools)}
        return HttpRequest(
            "POST",
            f"/{quote(path, safe='/-._~')}:countTokens",
            json={"generateContentRequest": inner},
        )

    def _parse_count(self, data: Any) -> int:
        # proto3 JSON omits zero values: a response without totalTokens counted 0 tokens
        value = data.get("totalTokens", 0) if isinstance(data, Mapping) else None
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidResponseError(
                "countTokens returned no totalTokens", provider=self.provider
            )
        return value

    # -- responses -----------------------------------------------------------------------------

    def _parse_chat(self, p: Prepared, data: Any) -> Parsed:
        if not isinstance(data, Mapping):
            raise InvalidResponseError("the response is not a JSON object", provider=self.provider)
        assembler = _GeminiAssembler()
        assembler.add(data)
        if not assembler.finish and not as_list(data.get("candidates")):
            raise InvalidResponseError("the response has no candidates", provider=self.provider)
        return assembler.result()

    def _normalize_finish(self, raw: str | None, message: Message) -> str | None:
        if raw is None:
            return None
        if raw == "STOP":
            return "tool_calls" if message.tool_calls else "stop"
        if raw == "MAX_TOKENS":
            return "length"
        if raw in _FILTERED:
            return "content_filter"
        return "other"

    def _stream_state(self, p: Prepared) -> StreamState:
        return _GeminiStream(self)

    def _error_info(self, status: int, data: Any, text: str) -> dict[str, Any]:
        if isinstance(data, list) and data:  # streaming endpoints wrap errors in a list
            data = data[0]
        info = super()._error_info(status, data, text)
        error = as_map(as_map(data).get("error"))
        code = error.get("status")
        if isinstance(code, str):
            info["error_type"] = code
            if code in _STATUS_KINDS and (status == 0 or code != "INVALID_ARGUMENT"):
                info["kind"] = _STATUS_KINDS[code]
        for detail in as_list(error.get("details")):
            detail = as_map(detail)
            kind = str(detail.get("@type", ""))
            if kind.endswith("RetryInfo"):
                match = _DURATION.match(str(detail.get("retryDelay", "")))
                if match:
                    info["retry_after"] = float(match.group(1))
            elif kind.endswith("ErrorInfo") and detail.get("reason"):
                info["error_code"] = detail["reason"]
                if detail["reason"] in ("API_KEY_INVALID", "API_KEY_EXPIRED"):
                    info["kind"] = AuthenticationError
        return info

    # -- models --------------------------------------------------------------------------------

    def _models_request(self, cursor: str | None) -> HttpRequest:
        params = {"pageSize": "1000"}
        if cursor:
            params["pageToken"] = cursor
        return HttpRequest("GET", self.models_endpoint, params=params)

    def _parse_models(self, data: Any) -> tuple[list[ModelInfo], str | None]:
        if not isinstance(data, Mapping):
            raise InvalidResponseError("the model list is not an object", provider=self.provider)
        models = []
        for item in map(as_map, as_list(data.get("models"))):
            name = item.get("name")
            if not isinstance(name, str):
                continue
            models.append(
                ModelInfo(
                    id=name.removeprefix("models/"),
                    provider=self.provider,
                    display_name=item.get("displayName"),
                    owned_by="google",
                    input_token_limit=item.get("inputTokenLimit"),
                    output_token_limit=item.get("outputTokenLimit"),
                    raw=item,
                )
            )
        cursor = data.get("nextPageToken")
        return models, str(cursor) if cursor else None


class _GeminiAssembler:
    """Accumulates ``GenerateContentResponse`` chunks (one for non-streamed responses)."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.thoughts: list[str] = []
        self.thought_signature: str | None = None
        self.calls: list[ToolCall] = []
        self.finish: str | None = None
        self.id: str | None = None
        self.model: str | None = None

    def add(self, chunk: Mapping[str, Any]) -> list[StreamEvent]:
        out: list[StreamEvent] = []
        self.id = self.id or chunk.get("responseId")
        self.model = self.model or chunk.get("modelVersion")
        candidates = as_list(chunk.get("candidates"))
        if not candidates:
            blocked = as_map(chunk.get("promptFeedback")).get("blockReason")
            if blocked:
                self.finish = str(blocked)
            return out
        candidate = as_map(candidates[0])
        for part in map(as_map, as_list(as_map(candidate.get("content")).get("parts"))):
            if "functionCall" in part:
                fc = as_map(part.get("functionCall"))
                index = len(self.calls)
                call = ToolCall(
                    id=str(fc.get("id") or f"{_SYNTHETIC_ID}{index}"),
                    name=str(fc.get("name") or ""),
                    arguments=json.dumps(fc.get("args") or {}, ensure_ascii=False),
                    signature=part.get("thoughtSignature"),
                )
                self.calls.append(call)
                out.append(
                    ToolCallDelta(index=index, id=call.id, name=call.name, arguments=call.arguments)
                )
            elif isinstance(part.get("text"), str):
                text = part["text"]
                if part.get("thought"):
                    self.thoughts.append(text)
                    if part.get("thoughtSignature"):
                        self.thought_signature = part["thoughtSignature"]
                    if text:
                        out.append(ReasoningDelta(text))
                elif text:
                    self.text.append(text)
                    out.append(TextDelta(text))
        reason = candidate.get("finishReason")
        if reason:
            self.finish = str(reason)
        return out

    def result(self) -> Parsed:
        parts: list[Part] = []
        if self.thoughts:
            parts.append(ThinkingPart("".join(self.thoughts), signature=self.thought_signature))
        if self.text:
            parts.append(TextPart("".join(self.text)))
        return Parsed(
            message=Message("assistant", parts, tool_calls=self.calls),
            finish_reason=self.finish,
            id=self.id,
            model=self.model,
        )


class _GeminiStream(StreamState):
    """Assembles ``streamGenerateContent?alt=sse`` chunks."""

    def __init__(self, client: GeminiClient) -> None:
        super().__init__()
        self._client = client
        self._assembler = _GeminiAssembler()

    def feed(self, event: str, data: str) -> list[StreamEvent]:
        chunk = json_loads_event(self._client.provider, data)
        if isinstance(chunk, list) and chunk:
            chunk = chunk[0]
        if not isinstance(chunk, Mapping):
            raise InvalidResponseError("a stream chunk is not an object", provider="google")
        if chunk.get("error"):
            code = as_map(chunk.get("error")).get("code")
            raise self._client._stream_error(chunk, code if isinstance(code, int) else None)
        self.events.append(chunk)
        out = self._assembler.add(chunk)
        if self._assembler.finish is not None:
            self.complete = True
        return out

    def result(self) -> Parsed:
        return self._assembler.result()
