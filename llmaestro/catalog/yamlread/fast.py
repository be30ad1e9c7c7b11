"""The fast path: values only, no positions, for a file that needs no diagnostics.

Most catalog files are clean. For them the values are built straight from the C parser's events
with the fewest checks per event; positions are computed later, only if a diagnostic needs one
(:meth:`~llmaestro.catalog.yamlread.YamlDocument.ensure_positions`). Anything the slow path
must report raises :class:`~llmaestro.catalog.yamlread.scalars.Slow`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from yaml.events import (
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from llmaestro.catalog.yamlread.positions import MAX_DEPTH, Loader
from llmaestro.catalog.yamlread.scalars import PLAIN_START, Slow, resolve_fast


def _plain(event: Any, get: Callable[[], Any], depth: int = 0) -> Any:
    """The value of one node of a file that has no `&`, `*` or `!` anywhere (so no anchors,
    aliases or tags): the common case, with the fewest checks per event."""
    if depth > MAX_DEPTH:
        raise Slow
    cls = event.__class__
    if cls is ScalarEvent:
        if event.style:
            return event.value
        text = event.value
        return text if text and text[0] not in PLAIN_START else resolve_fast(text)
    if cls is MappingStartEvent:
        out: dict[str, Any] = {}
        while True:
            key = get()
            if key.__class__ is not ScalarEvent:
                if key.__class__ is MappingEndEvent:
                    return out
                raise Slow
            name = key.value
            if name in out or name == "<<":
                raise Slow
            value = get()
            if value.__class__ is ScalarEvent:
                if value.style:
                    out[name] = value.value
                else:
                    text = value.value
                    out[name] = text if text and text[0] not in PLAIN_START else resolve_fast(text)
            else:
                out[name] = _plain(value, get, depth + 1)
    if cls is SequenceStartEvent:
        items: list[Any] = []
        while True:
            item = get()
            if item.__class__ is SequenceEndEvent:
                return tuple(items)
            items.append(_plain(item, get, depth + 1))
    raise Slow


def build_fast(text: str) -> Any:
    """Values only, no positions; raises Slow on anything the slow path must report."""
    loader = Loader(text)
    try:
        get: Callable[[], Any] = loader.get_event
        if "&" not in text and "*" not in text and "!" not in text:
            get()  # stream start
            if get().__class__ is StreamEndEvent:
                return None
            value = _plain(get(), get)
            get()  # document end
            if get().__class__ is not StreamEndEvent:
                raise Slow
            return value

        def build(event: Any, depth: int = 0) -> Any:
            if depth > MAX_DEPTH:
                raise Slow
            cls = event.__class__
            if cls is ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    raise Slow
                if event.style:
                    return event.value
                return resolve_fast(event.value)
            if cls is MappingStartEvent:
                if event.anchor is not None or event.tag is not None:
                    raise Slow
                out: dict[str, Any] = {}
                while True:
                    key = get()
                    kcls = key.__class__
                    if kcls is MappingEndEvent:
                        return out
                    if kcls is not ScalarEvent or key.anchor is not None or key.tag is not None:
                        raise Slow
                    name = key.value
                    if name in out or (name == "<<" and not key.style):
                        raise Slow
                    out[name] = build(get(), depth + 1)
            if cls is SequenceStartEvent:
                if event.anchor is not None or event.tag is not None:
                    raise Slow
                items: list[Any] = []
                while True:
                    item = get()
                    if item.__class__ is SequenceEndEvent:
                        return tuple(items)
                    items.append(build(item, depth + 1))
            raise Slow

        get()  # stream start
        first = get()
        if first.__class__ is StreamEndEvent:
            return None
        value = build(get())
        get()  # document end
        if get().__class__ is not StreamEndEvent:
            raise Slow
        return value
    finally:
        loader.dispose()
