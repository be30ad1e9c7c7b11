"""Ollama usage: ``prompt_eval_count`` and ``eval_count``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from llmaestro.cost.extract.fields import as_int, build
from llmaestro.cost.usage import Usage

__all__ = ["find", "read"]


def find(payload: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The payload itself when it carries Ollama's counts, else None."""
    if "prompt_eval_count" in payload or "eval_count" in payload:
        return payload
    return None


def _from_ollama(usage: Mapping[str, Any]) -> Usage:
    return build(
        input_tokens=as_int(usage.get("prompt_eval_count")),
        output_tokens=as_int(usage.get("eval_count")),
    )


def read(payload: Mapping[str, Any], found: Mapping[str, Any]) -> Usage:
    """The usage of a response whose counts :func:`find` found."""
    return _from_ollama(found)
