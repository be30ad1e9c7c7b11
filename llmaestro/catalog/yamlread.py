"""Strict YAML reading with positions.

PyYAML's C parser produces the event stream; this module builds plain Python values from it
with one resolver of its own, so that:

* every value's JSON Pointer maps to the line and column where it stands;
* numbers with a fraction become :class:`decimal.Decimal` straight from the text (never float);
* ``YYYY-MM-DD`` becomes :class:`datetime.date`, and an impossible date is a located error;
* sequences become tuples (the data model is frozen all the way down);
* YAML hazards are errors, not surprises: duplicate keys, anchors, aliases and merge keys,
  tags, YAML 1.1 booleans (``yes``/``on``/``NO``), octal/hex/sexagesimal or underscored
  numbers, ``.inf``/``.nan``, several documents in one file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
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

from llmaestro.catalog.diagnostics import Diagnostic, escape_pointer_token

try:  # the C parser; the pure-Python one is a fallback for odd builds only
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1024 * 1024

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?")
_YAML11_BOOL = frozenset(
    "y Y yes Yes YES n N no No NO on On ON off Off OFF True TRUE False FALSE".split()  # noqa: SIM905
)
_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_AMBIGUOUS_NUMBER = re.compile(
    r"[-+]?(0[0-9_]+|0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|[0-9][0-9_]*_[0-9_]*(\.[0-9_]*)?"
    r"|[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?)"
)
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")

Position = tuple[int, int]


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
            slow = YamlDocument()
            _build_slow(text, "", slow)
            self.values, self.keys = slow.values, slow.keys

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


class _Builder:
    def __init__(self, path: str, doc: YamlDocument, events: Iterator[Any]) -> None:
        self.path = path
        self.doc = doc
        self.events = events

    def error(self, pos: Position, code: str, ptr: str, message: str, **kw: Any) -> None:
        self.doc.diagnostics.append(Diagnostic(self.path, pos[0], pos[1], code, ptr, message, **kw))

    def node(self, event: Any, ptr: str) -> Any:
        pos = (event.start_mark.line + 1, event.start_mark.column + 1)
        self.doc.values[ptr] = pos
        if isinstance(event, AliasEvent):
            self.error(
                pos,
                "LM003",
                ptr,
                f"YAML alias `*{event.anchor}` is not allowed",
                hint="write the value out in full; catalog files use no anchors or aliases",
            )
            return None
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self.error(
                pos,
                "LM003",
                ptr,
                f"YAML anchor `&{anchor}` is not allowed",
                hint="write the value out in full; catalog files use no anchors or aliases",
            )
        tag = getattr(event, "tag", None)
        if tag is not None and not (isinstance(event, ScalarEvent) and tag == "!"):
            self.error(
                pos,
                "LM004",
                ptr,
                f"YAML tag `{tag}` is not allowed",
                hint="remove the tag; quote the value if a string is meant",
            )
        if isinstance(event, ScalarEvent):
            return self.scalar(event, ptr, pos)
        if isinstance(event, SequenceStartEvent):
            items: list[Any] = []
            for child in self.events:
                if isinstance(child, SequenceEndEvent):
                    break
                items.append(self.node(child, f"{ptr}/{len(items)}"))
            return tuple(items)
        if isinstance(event, MappingStartEvent):
            return self.mapping(ptr)
        raise AssertionError(f"unexpected YAML event {event!r}")  # pragma: no cover

    def mapping(self, ptr: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_event in self.events:
            if isinstance(key_event, MappingEndEvent):
                break
            key_pos = (key_event.start_mark.line + 1, key_event.start_mark.column + 1)
            if not isinstance(key_event, ScalarEvent):
                self.error(key_pos, "LM012", ptr, "mapping keys must be plain strings")
                self.node(key_event, ptr + "/?")
                self.node(next(self.events), ptr + "/?")
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
                    f"duplicate key `{key}` (first at line {first[0]}, column {first[1]})",
                    hint="remove one of the two; YAML would silently keep only the last",
                )
                self.node(value_event, child_ptr + "#dup")
                continue
            self.doc.keys[child_ptr] = key_pos
            result[key] = self.node(value_event, child_ptr)
        return result

    def scalar(self, event: Any, ptr: str, pos: Position) -> Any:
        text = event.value
        if event.style not in (None, "") or event.tag == "!":
            return text  # quoted or block scalar: always a string
        if text in _NULL:
            return None
        if text == "true":
            return True
        if text == "false":
            return False
        if text in _YAML11_BOOL:
            self.error(
                pos,
                "LM005",
                ptr,
                f"ambiguous YAML 1.1 boolean `{text}`",
                found=text,
                expected="`true` or `false`",
                hint=f'quote it ("{text}") if a string is meant',
            )
            return text
        if _INT.fullmatch(text):
            return int(text)
        if _FLOAT.fullmatch(text) and ("." in text or "e" in text or "E" in text):
            return Decimal(text)
        if _DATE.fullmatch(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError as exc:
                self.error(
                    pos,
                    "LM006",
                    ptr,
                    f"impossible date `{text}`: {exc}",
                    found=text,
                    expected="a real calendar date YYYY-MM-DD",
                )
                return None
        if _DATETIME.fullmatch(text) or (_DATE.match(text) and text[10:11] in ("T", "t", " ")):
            try:
                return dt.datetime.fromisoformat(text.replace("z", "Z"))
            except ValueError as exc:
                self.error(
                    pos,
                    "LM006",
                    ptr,
                    f"impossible timestamp `{text}`: {exc}",
                    found=text,
                    expected="an ISO 8601 timestamp",
                )
                return None
        if _AMBIGUOUS_NUMBER.fullmatch(text):
            self.error(
                pos,
                "LM005",
                ptr,
                f"ambiguous number `{text}` (YAML 1.1 reads octal, hex, sexagesimal and `_`)",
                found=text,
                expected="a plain decimal number such as 128000",
                hint=f'write it without `_` or leading zeros, or quote it ("{text}")',
            )
            return text
        if _SPECIAL_FLOAT.fullmatch(text):
            self.error(
                pos,
                "LM005",
                ptr,
                f"`{text}` is not a finite number",
                found=text,
                expected="a finite decimal number",
                hint=f'quote it ("{text}") if a string is meant',
            )
            return None
        return text


class _Hazard:
    """Marks plain text the reader would reject or read as something else."""


HAZARD = _Hazard()


def resolve_plain(text: str) -> Any:
    """The value the reader gives a plain (unquoted) scalar, or HAZARD when it rejects it."""
    doc = YamlDocument()
    builder = _Builder("", doc, iter(()))
    event = ScalarEvent(None, None, (True, False), text, style=None)
    value = builder.scalar(event, "", (1, 1))
    return HAZARD if doc.diagnostics else value


def _position_of_offset(data: bytes, offset: int) -> Position:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


def parse_yaml(raw: bytes, path: str) -> YamlDocument:
    """Parse one catalog file's bytes. Problems are collected in ``doc.diagnostics``."""
    doc = YamlDocument()
    if len(raw) > MAX_FILE_BYTES:
        doc.diagnostics.append(
            Diagnostic(
                path,
                1,
                1,
                "LM007",
                "",
                "file is too large",
                found=f"{len(raw)} bytes",
                expected=f"at most {MAX_FILE_BYTES} bytes (1 MiB)",
            )
        )
        return doc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position_of_offset(raw, exc.start)
        doc.diagnostics.append(
            Diagnostic(
                path,
                line,
                column,
                "LM008",
                "",
                "file is not valid UTF-8",
                found=f"byte 0x{raw[exc.start]:02x}",
                expected="UTF-8 text",
            )
        )
        return doc
    if text.startswith("\ufeff"):
        text = text[1:]
    doc.decoded = True
    doc.first_line = text.split("\n", 1)[0].rstrip("\r")
    try:
        doc.data = _build_fast(text)
    except (_Slow, yaml.YAMLError):
        _build_slow(text, path, doc)
    else:
        doc.pending_text = text
    return doc


class _Slow(Exception):
    """The fast path met something only the slow path can describe."""


_PLAIN_START = frozenset("0123456789-+.~yYnNoOtTfF")


_RESOLVED: dict[str, Any] = {}  # plain scalar text -> its (immutable) value; catalogs repeat


def _resolve_fast(text: str) -> Any:
    try:
        return _RESOLVED[text]
    except KeyError:
        pass
    value = _resolve_uncached(text)
    if len(_RESOLVED) > 200_000:
        _RESOLVED.clear()
    _RESOLVED[text] = value
    return value


def _resolve_uncached(text: str) -> Any:
    if not text:
        return None
    if text[0] not in _PLAIN_START:
        return text
    if text == "true":
        return True
    if text == "false":
        return False
    if text in _NULL or text in _YAML11_BOOL or _SPECIAL_FLOAT.fullmatch(text):
        if text in _NULL:
            return None
        raise _Slow
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text) and ("." in text or "e" in text or "E" in text):
        return Decimal(text)
    if _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise _Slow from None
    if _DATETIME.match(text) or _AMBIGUOUS_NUMBER.fullmatch(text):
        raise _Slow
    if _DATE.match(text) and text[10:11] in ("T", "t", " "):
        raise _Slow
    return text


def _plain(event: Any, get: Callable[[], Any]) -> Any:
    """The value of one node of a file that has no `&`, `*` or `!` anywhere (so no anchors,
    aliases or tags): the common case, with the fewest checks per event."""
    cls = event.__class__
    if cls is ScalarEvent:
        if event.style:
            return event.value
        text = event.value
        return text if text and text[0] not in _PLAIN_START else _resolve_fast(text)
    if cls is MappingStartEvent:
        out: dict[str, Any] = {}
        while True:
            key = get()
            if key.__class__ is not ScalarEvent:
                if key.__class__ is MappingEndEvent:
                    return out
                raise _Slow
            name = key.value
            if name in out or name == "<<":
                raise _Slow
            value = get()
            if value.__class__ is ScalarEvent:
                if value.style:
                    out[name] = value.value
                else:
                    text = value.value
                    out[name] = (
                        text if text and text[0] not in _PLAIN_START else _resolve_fast(text)
                    )
            else:
                out[name] = _plain(value, get)
    if cls is SequenceStartEvent:
        items: list[Any] = []
        while True:
            item = get()
            if item.__class__ is SequenceEndEvent:
                return tuple(items)
            items.append(_plain(item, get))
    raise _Slow


def _build_fast(text: str) -> Any:
    """Values only, no positions; raises _Slow on anything the slow path must report."""
    loader = _Loader(text)
    try:
        get: Callable[[], Any] = loader.get_event
        if "&" not in text and "*" not in text and "!" not in text:
            get()  # stream start
            if get().__class__ is StreamEndEvent:
                return None
            value = _plain(get(), get)
            get()  # document end
            if get().__class__ is not StreamEndEvent:
                raise _Slow
            return value

        def build(event: Any) -> Any:
            cls = event.__class__
            if cls is ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    raise _Slow
                if event.style:
                    return event.value
                return _resolve_fast(event.value)
            if cls is MappingStartEvent:
                if event.anchor is not None or event.tag is not None:
                    raise _Slow
                out: dict[str, Any] = {}
                while True:
                    key = get()
                    kcls = key.__class__
                    if kcls is MappingEndEvent:
                        return out
                    if kcls is not ScalarEvent or key.anchor is not None or key.tag is not None:
                        raise _Slow
                    name = key.value
                    if name in out or (name == "<<" and not key.style):
                        raise _Slow
                    out[name] = build(get())
            if cls is SequenceStartEvent:
                if event.anchor is not None or event.tag is not None:
                    raise _Slow
                items: list[Any] = []
                while True:
                    item = get()
                    if item.__class__ is SequenceEndEvent:
                        return tuple(items)
                    items.append(build(item))
            raise _Slow

        get()  # stream start
        first = get()
        if first.__class__ is StreamEndEvent:
            return None
        value = build(get())
        get()  # document end
        if get().__class__ is not StreamEndEvent:
            raise _Slow
        return value
    finally:
        loader.dispose()


def _build_slow(text: str, path: str, doc: YamlDocument) -> None:
    builder = _Builder(path, doc, iter(()))
    try:
        events = yaml.parse(text, Loader=_Loader)
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
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        doc.diagnostics.append(
            Diagnostic(path, line, column, "LM001", "", f"YAML syntax error: {problem}")
        )
        doc.data = None
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors without marks
        doc.diagnostics.append(Diagnostic(path, 1, 1, "LM001", "", f"YAML error: {exc}"))
        doc.data = None
