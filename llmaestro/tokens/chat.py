"""Chat message token counting, following OpenAI's published rules.

Source: OpenAI cookbook, "How to count tokens with tiktoken" (sections 6 and 7,
``num_tokens_from_messages`` and ``num_tokens_for_tools``), verified there against the API
for gpt-3.5-turbo, gpt-4, gpt-4o and gpt-4o-mini:

* every message costs 3 tokens plus the tokens of each of its string values (``role``,
  ``content``, ``name``); a ``name`` costs 1 more token; every reply is primed with 3
  tokens (``<|start|>assistant<|message|>``). The first ChatGPT snapshot,
  ``gpt-3.5-turbo-0301``, framed messages differently: 4 tokens per message
  (``<|start|>{role/name}\n{content}<|end|>\n``) and -1 for a name, which replaces the
  role (the cookbook's example: 127 tokens where later models take 129);
* tool (function) definitions: per function ``func_init`` + tokens of
  ``"{name}:{description}"`` (a final period dropped); if it has properties, ``prop_init``
  once, then per property ``prop_key`` + tokens of ``"{key}:{type}:{description}"``, and
  if it has an ``enum``, ``enum_init`` once plus ``enum_item`` + the item's tokens per
  item; ``func_end`` once after all functions. gpt-4o family: func_init=7, prop_init=3,
  prop_key=3, enum_init=-3, enum_item=3, func_end=12; gpt-3.5/gpt-4: func_init=10, the
  others the same.

Anything those rules do not cover is still counted, as well as can be, but the result is
reported ``exact=False`` with the reason in ``method``: tool calls and tool results inside
messages, several text parts in one message, nested tool parameter schemas, models whose
framing the cookbook did not verify (o-series, gpt-5, bare encodings), images of unknown
size or ``detail="auto"``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from llmaestro.tokens.encodings import get_encoding
from llmaestro.tokens.images import (
    image_size_from_base64,
    image_size_from_data_url,
    image_tokens,
    image_tokens_unknown_size,
)
from llmaestro.tokens.resolve import Resolved, calibration_for
from llmaestro.tokens.types import TokenCount

__all__ = [
    "CL100K_TOOL_RULES",
    "O200K_TOOL_RULES",
    "REPLY_PRIMING",
    "TOKENS_PER_MESSAGE",
    "TOKENS_PER_NAME",
    "ToolRules",
    "count_messages",
]

TOKENS_PER_MESSAGE: Final = 3
TOKENS_PER_NAME: Final = 1
REPLY_PRIMING: Final = 3
#: (model id pattern, tokens per message, tokens per name) where the cookbook's
#: ``num_tokens_from_messages`` gives other values than 3 / 1 (read 2026-12-02:
#: https://cookbook.openai.com/examples/how_to_count_tokens_with_tiktoken).
_FRAMINGS: Final = ((re.compile(r"^(?:ft:)?gpt-3\.?5-turbo-0301(?:$|[-:@_])"), 4, -1),)
#: Per tool call in an assistant message (not published: an approximation).
_TOKENS_PER_TOOL_CALL: Final = 3


@dataclass(frozen=True, slots=True)
class ToolRules:
    """The cookbook's constants for counting function definitions."""

    func_init: int
    prop_init: int
    prop_key: int
    enum_init: int
    enum_item: int
    func_end: int


O200K_TOOL_RULES: Final = ToolRules(7, 3, 3, -3, 3, 12)
CL100K_TOOL_RULES: Final = ToolRules(10, 3, 3, -3, 3, 12)

# Models whose chat framing (3/1/3) the cookbook verified against the API.
_VERIFIED_CHAT: Final = re.compile(
    r"^(?:ft:)?(?:gpt-3\.5|gpt-35|gpt-4|gpt-4o|chatgpt-4o|gpt-4\.1)(?:$|[-:@_])"
)
# Models whose tool-definition constants the cookbook verified.
_VERIFIED_TOOLS: Final = re.compile(
    r"^(?:ft:)?(?:gpt-3\.5|gpt-35|gpt-4|gpt-4o|chatgpt-4o)(?:$|[-:@_])"
)

_TEXT_PARTS: Final = frozenset({"text", "input_text", "output_text"})
_IMAGE_PARTS: Final = frozenset({"image_url", "input_image", "image"})
_PARAM_KEYS_IGNORED: Final = frozenset({"type", "properties", "required", "additionalProperties"})
_PROP_KEYS_COUNTED: Final = frozenset({"type", "description", "enum"})

# Typical relative error when the count is computed with the right tokenizer but some part
# is not covered by the published rules.
_APPROX_ERROR: Final = 0.05
_FRAMING_ERROR: Final = 0.02


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


class _Counter:
    """Accumulates the text tokens (one encoding) and image tokens of a request."""

    def __init__(
        self, encode: Callable[[str], int], image_provider: str, model: str | None
    ) -> None:
        self.encode = encode
        self.image_provider = image_provider
        self.model = model
        self.per_message, self.per_name = _framing(_bare(model))
        self.text_tokens = 0
        self.images: list[TokenCount] = []
        self.reasons: dict[str, None] = {}  # ordered set

    def approx(self, reason: str) -> None:
        self.reasons.setdefault(reason, None)

    def text(self, value: str) -> None:
        self.text_tokens += self.encode(value)

    # ----------------------------------------------------------------- messages

    def message(self, message: Mapping[str, Any]) -> None:
        if not isinstance(message, Mapping):
            raise TypeError(f"a message must be a mapping, got {type(message).__name__}")
        self.text_tokens += self.per_message
        for key, value in message.items():
            if value is None:
                continue
            if key == "content":
                self.content(value)
            elif key == "role":
                self.text(str(value))
            elif key == "name":
                self.text(str(value))
                self.text_tokens += self.per_name
            elif key == "tool_calls":
                self.tool_calls(value)
            elif key == "function_call":
                self.tool_calls([{"function": value}])
            elif key == "tool_call_id":
                self.approx("tool results")
            elif isinstance(value, str):
                # the cookbook counts every string value of a message
                self.text(value)
                self.approx(f"message key {key!r}")
            else:
                self.text(_json(value))
                self.approx(f"message key {key!r}")

    def content(self, content: Any) -> None:
        if isinstance(content, str):
            self.text(content)
            return
        if isinstance(content, Mapping):
            content = [content]
        if not isinstance(content, Sequence):
            self.text(str(content))
            self.approx("non-text content")
            return
        text_parts = 0
        for part in content:
            if isinstance(part, str):
                text_parts += 1
                self.text(part)
            elif isinstance(part, Mapping):
                text_parts += self.part(part)
            else:
                self.text(str(part))
                self.approx("non-text content")
        if text_parts > 1:
            self.approx("several text parts")

    def part(self, part: Mapping[str, Any]) -> int:
        """Count one content part; return 1 if it was a text part."""
        kind = part.get("type")
        if kind in _TEXT_PARTS:
            self.text(str(part.get("text", "")))
            return 1
        if kind in _IMAGE_PARTS:
            self.image(part)
        elif kind == "refusal":
            self.text(str(part.get("refusal", "")))
            return 1
        elif kind == "tool_use":
            self.text(str(part.get("name", "")))
            self.text(_json(part.get("input", {})))
            self.text_tokens += _TOKENS_PER_TOOL_CALL
            self.approx("tool calls")
        elif kind == "tool_result":
            self.approx("tool results")
            inner = part.get("content")
            if inner is not None:
                self.content(inner)
        else:
            self.text(_json(part))
            self.approx(f"content part {kind!r}")
        return 0

    def tool_calls(self, calls: Any) -> None:
        self.approx("tool calls")
        if not isinstance(calls, Sequence) or isinstance(calls, str):
            self.text(_json(calls))
            return
        for call in calls:
            function = call.get("function", call) if isinstance(call, Mapping) else call
            if isinstance(function, Mapping):
                self.text(str(function.get("name", "")))
                arguments = function.get("arguments", "")
                self.text(arguments if isinstance(arguments, str) else _json(arguments))
            else:
                self.text(_json(function))
            self.text_tokens += _TOKENS_PER_TOOL_CALL

    # ------------------------------------------------------------------- images

    def image(self, part: Mapping[str, Any]) -> None:
        detail: Any = part.get("detail", part.get("media_resolution", "auto"))
        width: Any = part.get("width")
        height: Any = part.get("height")
        size: tuple[int, int] | None = None
        spec = part.get("image_url")
        url: Any = spec
        if isinstance(spec, Mapping):
            url = spec.get("url")
            detail = spec.get("detail", detail)
            width = width if width is not None else spec.get("width")
            height = height if height is not None else spec.get("height")
        if isinstance(detail, Mapping):  # Gemini: {"level": "MEDIA_RESOLUTION_HIGH"}
            detail = detail.get("level")
        if detail is None:
            detail = "auto"
        if isinstance(width, int) and isinstance(height, int):
            size = (width, height)
        elif isinstance(url, str):
            size = image_size_from_data_url(url)
        else:
            source = part.get("source")
            if isinstance(source, Mapping) and isinstance(source.get("data"), str):
                size = image_size_from_base64(source["data"])
        if size is None:
            self.images.append(
                image_tokens_unknown_size(
                    provider=self.image_provider, detail=str(detail), model=self.model
                )
            )
            return
        self.images.append(
            image_tokens(
                size[0], size[1], provider=self.image_provider, detail=str(detail), model=self.model
            )
        )

    # -------------------------------------------------------------------- tools

    def tools(self, tools: Iterable[Mapping[str, Any]], rules: ToolRules) -> None:
        any_tool = False
        for tool in tools:
            any_tool = True
            function = _function_of(tool)
            if function is None:
                self.text(_json(tool))
                self.approx("non-function tools")
                continue
            self.function(function, rules)
        if any_tool:
            self.text_tokens += rules.func_end

    def function(self, function: Mapping[str, Any], rules: ToolRules) -> None:
        self.text_tokens += rules.func_init
        name = str(function.get("name", ""))
        description = function.get("description")
        if not isinstance(description, str) or not description:
            self.approx("tool without description")
            description = ""
        self.text(f"{name}:{description.removesuffix('.')}")
        parameters = function.get("parameters")
        if parameters is None:
            parameters = function.get("input_schema")
        if not isinstance(parameters, Mapping):
            if parameters is not None:
                self.text(_json(parameters))
                self.approx("nested tool schemas")
            return
        extra = {k: v for k, v in parameters.items() if k not in _PARAM_KEYS_IGNORED}
        if extra:
            self.text(_json(extra))
            self.approx("nested tool schemas")
        properties = parameters.get("properties")
        if not isinstance(properties, Mapping) or not properties:
            return
        self.text_tokens += rules.prop_init
        for key, prop in properties.items():
            self.text_tokens += rules.prop_key
            if not isinstance(prop, Mapping):
                self.text(f"{key}:{_json(prop)}")
                self.approx("nested tool schemas")
                continue
            self.prop(str(key), prop, rules)

    def prop(self, key: str, prop: Mapping[str, Any], rules: ToolRules) -> None:
        p_type = prop.get("type", "")
        if not isinstance(p_type, str):
            p_type = _json(p_type)
            self.approx("nested tool schemas")
        p_desc = prop.get("description", "")
        if not isinstance(p_desc, str):
            p_desc = _json(p_desc)
            self.approx("nested tool schemas")
        enum = prop.get("enum")
        if isinstance(enum, Sequence) and not isinstance(enum, str):
            self.text_tokens += rules.enum_init
            for item in enum:
                self.text_tokens += rules.enum_item
                if isinstance(item, str):
                    self.text(item)
                else:
                    self.text(_json(item))
                    self.approx("non-string enums")
        elif enum is not None:
            self.text(_json(enum))
            self.approx("non-string enums")
        self.text(f"{key}:{p_type}:{p_desc.removesuffix('.')}")
        extra = {k: v for k, v in prop.items() if k not in _PROP_KEYS_COUNTED}
        if extra:
            self.text(_json(extra))
            self.approx("nested tool schemas")


def _function_of(tool: Any) -> Mapping[str, Any] | None:
    """The function definition of an OpenAI tool, legacy function or Anthropic tool."""
    if not isinstance(tool, Mapping):
        return None
    inner = tool.get("function")
    if isinstance(inner, Mapping):
        return inner
    if "name" in tool and ("parameters" in tool or "input_schema" in tool or "description" in tool):
        return tool
    return None


def _bare(model: str | None) -> str:
    return (model or "").strip().lower().rsplit("/", 1)[-1]


def _framing(bare: str) -> tuple[int, int]:
    """Tokens per message and per name for a model (bare id)."""
    for pattern, per_message, per_name in _FRAMINGS:
        if pattern.match(bare):
            return per_message, per_name
    return TOKENS_PER_MESSAGE, TOKENS_PER_NAME


def count_messages(
    messages: Iterable[Mapping[str, Any]],
    resolved: Resolved,
    tools: Iterable[Mapping[str, Any]] | None = None,
) -> TokenCount:
    """Count a chat request (messages, tools, reply priming) for ``resolved``."""
    exact_tokenizer = resolved.exact
    encoding_name = resolved.tokenizer if exact_tokenizer else "o200k_base"
    encoding = get_encoding(encoding_name)

    def encode(text: str) -> int:
        return len(encoding.encode_ordinary(text))

    image_provider = "openai" if exact_tokenizer else resolved.tokenizer
    counter = _Counter(encode, image_provider, resolved.model)
    for message in messages:
        counter.message(message)
    counter.text_tokens += REPLY_PRIMING
    bare = _bare(resolved.model)
    if tools is not None:
        rules = CL100K_TOOL_RULES if encoding_name == "cl100k_base" else O200K_TOOL_RULES
        before = counter.text_tokens
        counter.tools(tools, rules)
        if exact_tokenizer and counter.text_tokens != before and not _VERIFIED_TOOLS.match(bare):
            counter.approx("tool rules unverified for this model")
    image_total = sum(counter.images, TokenCount(0, True, "images"))
    parts = "+chat" + ("+tools" if tools else "") + ("+images" if counter.images else "")

    if exact_tokenizer:
        if not _VERIFIED_CHAT.match(bare):
            counter.approx("chat framing unverified for this model")
        value = counter.text_tokens + image_total.value
        reasons = list(counter.reasons)
        exact = not reasons and image_total.exact
        method = f"tiktoken:{encoding_name}{parts}"
        if reasons:
            method += f"(approx: {', '.join(reasons)})"
        if exact:
            return TokenCount(value, True, method)
        errors: list[float] = []
        if reasons:
            framing_only = reasons == ["chat framing unverified for this model"]
            errors.append(_FRAMING_ERROR if framing_only else _APPROX_ERROR)
        if image_total.expected_error is not None:
            errors.append(image_total.expected_error * image_total.value / max(value, 1))
        return TokenCount(value, False, method, max(errors, default=_APPROX_ERROR))

    family = resolved.tokenizer
    calibration = calibration_for(family, resolved.model)
    text_value = math.ceil(counter.text_tokens * calibration.factor)
    value = text_value + image_total.value
    errors = [calibration.expected_error]
    if image_total.expected_error is not None:
        errors.append(image_total.expected_error * image_total.value / max(value, 1))
    method = calibration.method(family) + parts
    return TokenCount(value, False, method, max(errors))
