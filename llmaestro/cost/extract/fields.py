"""Readers of provider JSON, shared by the API families (internal).

Missing, null, negative or malformed counts read as 0, and :func:`build` clamps the parts a
malformed payload makes inconsistent, so that extraction never fails on odd numbers. What
is refused is a shape the reader does not know (:func:`check_shape`): a usage object with
none of the family's counts, or a positive count under a key the reader does not read, is a
:class:`~llmaestro.errors.CostError` naming the key, never a silent zero.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from llmaestro.cost.usage import Usage
from llmaestro.errors import CostError

__all__ = ["Shape", "as_int", "as_map", "build", "check_payload", "check_shape", "first"]


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
    cache_read_audio: int = 0,
    generated_images: int = 0,
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
        generated_images=generated_images,
        cache_read_audio_tokens=min(cache_read_audio, parts_in[0]),
    )


def check_payload(payload: Any) -> Mapping[str, Any]:
    """``payload`` if it is a mapping (a parsed JSON body), else TypeError."""
    if isinstance(payload, Mapping):
        return payload
    raise TypeError(
        f"payload must be a mapping (a parsed JSON body; call .model_dump() on SDK objects), "
        f"got {type(payload).__name__}"
    )


#: A key that holds a count someone bills (tokens, requests, searches).
_COUNT_KEY: Final = re.compile(r"(?:tokens?|token_?count|requests|searches|calls)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Shape:
    """The usage keys one API family reads: ``required`` (at least one present), the other
    top-level ``counts`` it reads or knowingly ignores, and per nested object (a details
    object, or a list of ``{modality, tokenCount}``) the keys or modalities it knows."""

    style: str
    required: frozenset[str]
    counts: frozenset[str]
    nested: Mapping[str, frozenset[str]]


def _unknown_counts(obj: Mapping[str, Any], known: frozenset[str], where: str) -> list[str]:
    return [
        f"{where}{key}={value!r}"
        for key, value in obj.items()
        if key not in known and isinstance(key, str) and _COUNT_KEY.search(key) and as_int(value)
    ]


def check_shape(usage: Mapping[str, Any], shape: Shape) -> None:
    """CostError when ``usage`` is not of ``shape``: none of its required counts, or a
    positive count the reader does not know (it would be dropped, billing 0 for it)."""
    if not any(usage.get(key) is not None for key in shape.required):
        keys = ", ".join(sorted(str(k) for k in usage)) or "no keys"
        raise CostError(
            f"not a {shape.style} usage object (it has {keys}; expected one of "
            f"{', '.join(sorted(shape.required))}): is api_style right?"
        )
    unknown = _unknown_counts(usage, shape.counts | shape.required | shape.nested.keys(), "")
    for key, known in shape.nested.items():
        value = usage.get(key)
        if isinstance(value, Mapping):
            unknown += _unknown_counts(value, known, f"{key}.")
        elif isinstance(value, list):  # Gemini: [{"modality": ..., "tokenCount": ...}]
            for entry in value:
                entry = as_map(entry)
                modality = str(entry.get("modality", ""))
                count = as_int(first(entry, "tokenCount", "token_count"))
                if count and modality.upper() not in known:
                    unknown.append(f"{key}[modality={modality}]={count}")
    if unknown:
        raise CostError(
            f"{shape.style} usage has counts this reader does not know: {', '.join(unknown)} "
            "(they would be billed as nothing)"
        )
