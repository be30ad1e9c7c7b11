"""Anthropic messages usage: ``input_tokens`` excludes the cache reads and writes, which are
added back; ``output_tokens`` includes ``output_tokens_details.thinking_tokens`` (reasoning);
stream events are merged (``message_start`` updated by each ``message_delta``). The
``iterations`` list is not read: the top-level counts are the request's ``message``
iterations, at its model's prices; an ``advisor_message`` iteration ran on another model
(its ``model``), is not in them and is not priced here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from llmaestro.cost.extract.fields import Shape, as_int, as_map, build, check_payload, check_shape
from llmaestro.cost.usage import Usage

__all__ = ["SHAPE", "find", "read", "read_stream"]

#: Counts of a Messages usage object (web fetches are billed as tokens only).
SHAPE: Final = Shape(
    "anthropic-messages",
    required=frozenset(
        {"input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"}
    ),
    counts=frozenset(),
    nested={
        "cache_creation": frozenset({"ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens"}),
        "server_tool_use": frozenset({"web_search_requests", "web_fetch_requests"}),
        "output_tokens_details": frozenset({"thinking_tokens"}),
    },
)


def find(payload: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The ``usage`` of a message, ``message_start`` or ``message_delta`` (or a bare one), else
    None."""
    if payload.get("type") == "message_start":
        usage = as_map(payload.get("message")).get("usage")
    else:
        usage = payload.get("usage")
    if isinstance(usage, Mapping):
        return usage
    if "input_tokens" in payload or "output_tokens" in payload:
        return payload  # a bare usage object
    return None


def _from_usage(usage: Mapping[str, Any]) -> Usage:
    check_shape(usage, SHAPE)
    uncached = as_int(usage.get("input_tokens"))
    read = as_int(usage.get("cache_read_input_tokens"))
    written = as_int(usage.get("cache_creation_input_tokens"))
    split = usage.get("cache_creation")
    if isinstance(split, Mapping):
        w1h = as_int(split.get("ephemeral_1h_input_tokens"))
        w5m = as_int(split.get("ephemeral_5m_input_tokens"))
        written = max(written, w5m + w1h)
        w5m = written - w1h  # writes not attributed to either lifetime are 5-minute ones
    else:
        w5m, w1h = written, 0
    tools = as_map(usage.get("server_tool_use"))
    return build(
        input_tokens=uncached + read + written,
        output_tokens=as_int(usage.get("output_tokens")),
        cache_read=read,
        cache_write=w5m,
        cache_write_1h=w1h,
        reasoning=as_int(as_map(usage.get("output_tokens_details")).get("thinking_tokens")),
        web_searches=as_int(tools.get("web_search_requests")),
    )


def _merge(base: Mapping[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` updated with the non-null values of ``update`` (one level of nesting)."""
    merged = dict(base)
    for key, value in update.items():
        if value is None:
            continue
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def read(payload: Mapping[str, Any], found: Mapping[str, Any]) -> Usage:
    """The usage of a message whose usage object :func:`find` found."""
    return _from_usage(found)


def read_stream(events: Iterable[Mapping[str, Any]]) -> Usage | None:
    """``message_start``'s usage updated with each ``message_delta``'s; None without usage."""
    merged: dict[str, Any] | None = None
    for event in events:
        found = find(check_payload(event))
        if found is not None:
            merged = _merge(merged or {}, found)
    return None if merged is None else _from_usage(merged)
