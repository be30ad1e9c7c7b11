"""Paths into catalog data (nested dicts), so that this package imports nothing of the
importers that call it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def get_path(data: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    """The value at ``path``, or None."""
    node: Any = data
    for part in path:
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def set_path(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Put ``value`` at ``path``, making the mappings on the way."""
    node = data
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value
