"""Tolerant readers of provider JSON, shared by the API families (internal).

Missing, null, negative or malformed counts read as 0, and :func:`build` clamps the parts a
malformed payload makes inconsistent, so that extraction never fails on odd numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from llmaestro.cost.usage import Usage

__all__ = ["as_int", "as_map", "build", "check_payload", "first"]


def as_int(value: Any) -> int:
    """A token count from a JSON value; missing, null, negative or malformed -> 0."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value if value > 0 else 0
    if isinstance(value, float) and value.is_integer() and value > 0:
        return int(value)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return 0


def as_map(value: Any) -> Mapping[str, Any]:
    """``value`` if it is a JSON object, else an empty mapping."""
    return value if isinstance(value, Mapping) else {}


def first(mapping: Mapping[str, Any], *keys: str) -> Any:
    """The first present, non-null value among ``keys`` (camelCase / snake_case spellings)."""
    for key in keys:
        value = mapping.get(key)
        if value is not None:
            return value
    return None


def build(
    *,
    input_tokens: int,
    output_tokens: int,
    cache_read: int = 0,
    cache_write: int = 0,
    cache_write_1h: int = 0,
    reasoning: int = 0,
    input_audio: int = 0,
    output_audio: int = 0,
    input_image: int = 0,
    output_image: int = 0,
    web_searches: int = 0,
) -> Usage:
    """Build a :class:`Usage`, clamping parts that a malformed payload makes inconsistent."""
    room = input_tokens
    parts_in = []
    for part in (cache_read, cache_write, cache_write_1h, input_audio, input_image):
        part = min(part, room)
        room -= part
        parts_in.append(part)
    room = output_tokens
    parts_out = []
    for part in (reasoning, output_audio, output_image):
        part = min(part, room)
        room -= part
        parts_out.append(part)
    return Usage(
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cache_read_tokens=parts_in[0],
        cache_write_tokens=parts_in[1],
        cache_write_1h_tokens=parts_in[2],
        input_audio_tokens=parts_in[3],
        input_image_tokens=parts_in[4],
        reasoning_tokens=parts_out[0],
        output_audio_tokens=parts_out[1],
        output_image_tokens=parts_out[2],
        web_searches=web_searches,
    )


def check_payload(payload: Any) -> Mapping[str, Any]:
    """``payload`` if it is a mapping (a parsed JSON body), else TypeError."""
    if isinstance(payload, Mapping):
        return payload
    raise TypeError(
        f"payload must be a mapping (a parsed JSON body; call .model_dump() on SDK objects), "
        f"got {type(payload).__name__}"
    )
