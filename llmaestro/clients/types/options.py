"""What a chat call can ask for besides its messages: tools, structured output, reasoning,
and the keyword options of ``chat()`` (:class:`ChatOptions`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias, TypedDict

__all__ = ["ChatOptions", "Reasoning", "ResponseFormat", "Tool", "ToolLike"]


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
    extended_context: bool
    """Ask for the offering's ``limits.extended_context`` window (e.g. Claude Sonnet 4.5's
    1M tokens): the request carries the option the catalog names (``extended_context_via``,
    sent by the Anthropic client) and the pre-send check sizes the prompt against that
    window. Without it the check uses ``limits.context``, the window a request gets by
    default."""
