"""Small helpers the adapters share for reading and writing provider wire formats: lenient
views of decoded JSON, stream-event payloads, timestamps and the OpenAI tool shape."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from typing import Any

from llmaestro.clients.types import Tool
from llmaestro.errors import InvalidResponseError

__all__ = ["as_list", "as_map", "json_loads_event", "openai_tool", "parse_timestamp"]


def openai_tool(tool: Tool) -> dict[str, Any]:
    """``tool`` as an OpenAI chat completions ``{"type": "function", ...}`` entry."""
    fn: dict[str, Any] = {"name": tool.name, "parameters": tool.schema()}
    if tool.description:
        fn["description"] = tool.description
    if tool.strict is not None:
        fn["strict"] = tool.strict
    return {"type": "function", "function": fn}


def json_loads_event(provider: str, data: str) -> Any:
    """A stream event's JSON payload, or :class:`InvalidResponseError`."""
    try:
        return json.loads(data)
    except ValueError as exc:
        raise InvalidResponseError(
            f"a stream event is not valid JSON ({exc})", provider=provider
        ) from None


def as_map(value: Any) -> Mapping[str, Any]:
    """``value`` when it is a mapping, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` when it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def parse_timestamp(value: Any) -> Any:
    """A datetime from Unix seconds or an ISO 8601 text (None when neither)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and math.isfinite(value):
        return dt.datetime.fromtimestamp(value, tz=dt.UTC)
    if isinstance(value, str) and value:
        text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    return None
