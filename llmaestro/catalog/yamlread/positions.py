"""The walk with positions: a YAML event stream to plain values, where each one stands and
every hazard met, located (:class:`YamlDocument`, :func:`build_slow`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from llmaestro.catalog.diagnostics import Diagnostic, clip, escape_pointer_token
from llmaestro.catalog.yamlread.scalars import Position, resolve_scalar

__all__ = ["MAX_DEPTH", "Builder", "Loader", "YamlDocument", "build_slow"]

#: The walk stops after this many problems in one file (a generated or mutated file can have
#: one on every line of its 1 MiB): what follows is not worth the time.
MAX_PROBLEMS = 1000


class _TooMany(Exception):
    """Raised with the position where the walk stops."""


#: Collections nested deeper than this are an error, reported once and skipped: the deepest
#: catalog data nests 6 levels, and every walk of the values (ours, pydantic's) recurses.
MAX_DEPTH = 32

try:  # the C parser; the pure-Python one is a fallback for odd builds only
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Loader  # type: ignore[assignment]


@dataclass(slots=True)
class YamlDocument:
    """A parsed file: its data, where each value and key stands, and the problems met."""

    data: Any = None
    #: JSON Pointer -> (line, column) of the value, 1-based.
    values: dict[str, Position] = field(default_factory=dict)
    #: JSON Pointer -> (line, column) of the mapping key that introduces it.
    keys: dict[str, Position] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    first_line: str = ""
    #: the bytes were read and decoded (size and encoding were fine)
    decoded: bool = False

    #: the text, kept while positions have not been computed (fast path)
    pending_text: str | None = None

    def ensure_positions(self) -> None:
        if self.pending_text is not None:
            text, self.pending_text = self.pending_text, None
            self.values, self.keys = index_positions(text)

    def position(self, ptr: str, *, key: bool = False) -> Position:
        """Best position for a pointer: its own, else the nearest ancestor's."""
        self.ensure_positions()
        table = self.keys if key else self.values
        probe = ptr
        while True:
            pos = table.get(probe) or self.values.get(probe)
            if pos is not None:
                return pos
            if not probe:
                return (1, 1)
            probe = probe.rsplit("/", 1)[0]


def index_positions(text: str) -> tuple[dict[str, Position], dict[str, Position]]:
    """Where each value and each mapping key of a clean file stands (what :class:`Builder`
    records, by the same pointers), without building values: one loop over the events, for
    a file the fast path read, when a diagnostic needs a line."""
    values: dict[str, Position] = {}
    keys: dict[str, Position] = {}
    # one frame per open collection: [its pointer, is a mapping, items so far, the pointer of
    # the value the mapping's last key introduced (None while a key is awaited)]
    stack: list[list[Any]] = []
    loader = Loader(text)
    try:
        get: Callable[[], Any] = loader.get_event
        while True:
            event = get()
            cls = event.__class__
            if cls is MappingEndEvent or cls is SequenceEndEvent:
                stack.pop()
                continue
            if cls is StreamEndEvent:
                break
            if cls is StreamStartEvent or cls is DocumentStartEvent or cls is DocumentEndEvent:
                continue
            mark = event.start_mark
            pos = (mark.line + 1, mark.column + 1)
            if not stack:
                ptr = ""
            else:
                top = stack[-1]
                if not top[1]:
                    ptr = f"{top[0]}/{top[2]}"
                    top[2] += 1
                elif top[3] is None:  # a key
                    if cls is ScalarEvent:
                        key_ptr = f"{top[0]}/{escape_pointer_token(event.value)}"
                        if key_ptr in keys:
                            key_ptr += "#dup"
                        else:
                            keys[key_ptr] = pos
                    else:
                        key_ptr = top[0] + "/?"
                    top[3] = key_ptr
                    if cls is ScalarEvent:
                        continue
                    ptr = key_ptr
                else:
                    ptr, top[3] = top[3], None
            values[ptr] = pos
            if cls is MappingStartEvent:
                stack.append([ptr, True, 0, None])
            elif cls is SequenceStartEvent:
                stack.append([ptr, False, 0, None])
    finally:
        loader.dispose()
    return values, keys


class Builder:
    """Builds values from the event stream, recording every position and every problem."""

    def __init__(self, path: str, doc: YamlDocument, events: Iterator[Any]) -> None:
        self.path = path
        self.doc = doc
        self.events = events
        self.too_deep = False

    def error(self, pos: Position, code: str, ptr: str, message: str, **kw: Any) -> None:
        if len(self.doc.diagnostics) >= MAX_PROBLEMS:
            raise _TooMany(pos)
        self.doc.diagnostics.append(Diagnostic(self.path, pos[0], pos[1], code, ptr, message, **kw))

    def node(self, event: Any, ptr: str, depth: int = 0) -> Any:
        pos = (event.start_mark.line + 1, event.start_mark.column + 1)
        self.doc.values[ptr] = pos
        if depth > MAX_DEPTH and isinstance(event, SequenceStartEvent | MappingStartEvent):
            if not self.too_deep:  # once: every sibling as deep would say the same
                self.too_deep = True
                self.error(
                    pos,
                    "LM001",
                    ptr,
                    f"nested deeper than {MAX_DEPTH} levels",
                    hint="catalog files nest a few levels; this is not a catalog file",
                )
            self.skip()
            return None
        if isinstance(event, AliasEvent):
            self.error(
                pos,
                "LM003",
                ptr,
                f"YAML alias `*{clip(event.anchor or '')}` is not allowed",
                hint="write the value out in full; catalog files use no anchors or aliases",
            )
            return None
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self.error(
                pos,
                "LM003",
                ptr,
                f"YAML anchor `&{clip(anchor)}` is not allowed",
                hint="write the value out in full; catalog files use no anchors or aliases",
            )
        tag = getattr(event, "tag", None)
        if tag is not None and not (isinstance(event, ScalarEvent) and tag == "!"):
            self.error(
                pos,
                "LM004",
                ptr,
                f"YAML tag `{clip(tag)}` is not allowed",
                hint="remove the tag; quote the value if a string is meant",
            )
        if isinstance(event, ScalarEvent):
            return self.scalar(event, ptr, pos)
        if isinstance(event, SequenceStartEvent):
            items: list[Any] = []
            for child in self.events:
                if isinstance(child, SequenceEndEvent):
                    break
                items.append(self.node(child, f"{ptr}/{len(items)}", depth + 1))
            return tuple(items)
        if isinstance(event, MappingStartEvent):
            return self.mapping(ptr, depth)
        raise AssertionError(f"unexpected YAML event {event!r}")  # pragma: no cover

    def skip(self) -> None:
        """Consume the rest of the collection just started, without recursion."""
        open_collections = 1
        for event in self.events:
            if isinstance(event, SequenceStartEvent | MappingStartEvent):
                open_collections += 1
            elif isinstance(event, SequenceEndEvent | MappingEndEvent):
                open_collections -= 1
                if not open_collections:
                    return

    def mapping(self, ptr: str, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_event in self.events:
            if isinstance(key_event, MappingEndEvent):
                break
            key_pos = (key_event.start_mark.line + 1, key_event.start_mark.column + 1)
            if not isinstance(key_event, ScalarEvent):
                self.error(key_pos, "LM012", ptr, "mapping keys must be plain strings")
                self.node(key_event, ptr + "/?", depth + 1)
                self.node(next(self.events), ptr + "/?", depth + 1)
                continue
            key = key_event.value
            child_ptr = f"{ptr}/{escape_pointer_token(key)}"
            if key == "<<" and key_event.style in (None, ""):
                self.error(
                    key_pos,
                    "LM003",
                    child_ptr,
                    "YAML merge key `<<` is not allowed",
                    hint="write the inherited keys out, or use `base:` to inherit a model",
                )
            if key_event.anchor is not None or key_event.tag is not None:
                self.error(key_pos, "LM003", child_ptr, "anchors and tags are not allowed on keys")
            value_event = next(self.events)
            if key in result:
                first = self.doc.keys[child_ptr]
                self.error(
                    key_pos,
                    "LM002",
                    child_ptr,
                    f"duplicate key `{clip(key)}` (first at line {first[0]}, column {first[1]})",
                    hint="remove one of the two; YAML would silently keep only the last",
                )
                self.node(value_event, child_ptr + "#dup", depth + 1)
                continue
            self.doc.keys[child_ptr] = key_pos
            result[key] = self.node(value_event, child_ptr, depth + 1)
        return result

    def scalar(self, event: Any, ptr: str, pos: Position) -> Any:
        text = event.value
        if event.style not in (None, "") or event.tag == "!":
            return text  # quoted or block scalar: always a string
        return resolve_scalar(text, ptr, pos, self.error)


def build_slow(text: str, path: str, doc: YamlDocument) -> None:
    """Parse ``text`` into ``doc``: its data, every position and every problem."""
    builder = Builder(path, doc, iter(()))
    try:
        events = yaml.parse(text, Loader=Loader)
        builder.events = iter(events)
        documents = 0
        for event in builder.events:
            if isinstance(event, StreamStartEvent | StreamEndEvent | DocumentEndEvent):
                continue
            if isinstance(event, DocumentStartEvent):
                assert event.start_mark is not None
                documents += 1
                if documents > 1:
                    pos = (event.start_mark.line + 1, event.start_mark.column + 1)
                    builder.error(
                        pos,
                        "LM001",
                        "",
                        "more than one YAML document in the file",
                        hint="a catalog file holds exactly one mapping; remove the `---`",
                    )
                    break
                continue
            value = builder.node(event, "")
            if documents == 1:
                doc.data = value
    except _TooMany as stop:
        line, column = stop.args[0]
        message = f"the check of this file stopped here, after {MAX_PROBLEMS} problems"
        hint = "fix the first ones (or regenerate the file) and check it again"
        doc.diagnostics.append(Diagnostic(path, line, column, "LM001", "", message, hint=hint))
        doc.data = None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        problem = clip(exc.problem or exc.context or "invalid YAML", 200)
        doc.diagnostics.append(
            Diagnostic(path, line, column, "LM001", "", f"YAML syntax error: {problem}")
        )
        doc.data = None
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors without marks
        doc.diagnostics.append(
            Diagnostic(
                path, 1, 1, "LM001", "", f"YAML error: {clip(str(exc).splitlines()[0], 200)}"
            )
        )
        doc.data = None
