"""`llmaestro fmt`: catalog files in their one canonical form, written by the catalog's writer.

The canonical form is what :mod:`llmaestro.catalog.writer` writes for a new file:

* the first line is ``# yaml-language-server: $schema=<path>`` naming the file's JSON Schema
  (the relative path to ``schemas/`` beside the catalog; in a catalog without ``schemas/``
  beside it, a target that already names the right schema file is kept, else the published
  URL);
* keys in the catalog's order (:func:`~llmaestro.catalog.writer.key_order`: the leading keys,
  then the data model's field order, ``provenance`` last);
* strings quoted only where the strict reader would read them as something else, and then in
  single quotes; multi-line strings as ``|`` blocks;
* numbers written out: a decimal keeps its point and never uses an exponent (``1.5e-7`` is
  ``0.00000015``, ``5.`` is ``5.0``), an integer has no sign or padding (``+5`` is ``5``);
* lists of scalars on one line (``[a, b]``), everything else in block style, the writer's
  indentation.

Comments and blank lines are kept: the file is read in ruamel.yaml's round-trip mode, and the
comment lines above a key move with the key when keys are reordered. Plain scalars are read by
the catalog's own resolver (never ruamel's), and the rewritten text must read back to exactly
the same data, or the file is left as it is with an error.
"""

from __future__ import annotations

import collections.abc
import itertools
import os
import re
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tokens import CommentToken

from llmaestro.catalog.diagnostics import Diagnostic
from llmaestro.catalog.jsonschemas import SCHEMA_BASE_URL
from llmaestro.catalog.tree import (
    FILE_MODELS,
    SCHEMA_COMMENT,
    SCHEMA_FILES,
    FileKind,
    find_root,
    schema_comment_for,
)
from llmaestro.catalog.writer import dump_roundtrip, is_flow_list, key_order
from llmaestro.catalog.yamlread import HAZARD, parse_yaml, resolve_plain

#: a `$schema` line among the comments at the top of a file (any spelling of the target)
_SCHEMA_LINE = re.compile(r"#\s*yaml-language-server:\s*\$schema=(\S*)\s*")


# --- which file is what ----------------------------------------------------------------------


def classify(path: Path) -> tuple[Path, FileKind] | None:
    """The catalog root and kind of a catalog file, from its path; None for other files."""
    if path.suffix != ".yaml":
        return None
    absolute = Path(os.path.abspath(path))
    root = find_root(absolute)
    if root is None:
        return None
    rel = absolute.relative_to(root).parts
    if rel[0] == "providers" and len(rel) == 3 and rel[2] == "provider.yaml":
        return root, "provider"
    if rel[0] == "providers" and len(rel) >= 4 and rel[2] == "models":
        return root, "offering"
    if rel[0] == "models" and len(rel) >= 3:
        return root, "canonical"
    return None  # pragma: no cover - find_root only matches the shapes above


@cache
def _has_schemas(root: Path) -> bool:
    return (root.parent / "schemas").is_dir()


def schema_line(path: Path, root: Path, kind: FileKind, current: str | None) -> str:
    """The canonical first line of a catalog file; ``current`` is the target it names now."""
    name = SCHEMA_FILES[kind]
    if _has_schemas(root):
        return schema_comment_for(Path(os.path.abspath(path)), root, kind)
    if current and (current == name or current.endswith("/" + name)):
        return SCHEMA_COMMENT + current  # a private catalog's own choice of path or URL
    return SCHEMA_COMMENT + SCHEMA_BASE_URL + name


# --- the shape of the data: which mapping is which model -------------------------------------


@dataclass(frozen=True)
class _Shape:
    #: the data model's field order for a mapping of this shape
    fields: tuple[str, ...] = ()
    children: dict[str, _Shape | None] = field(default_factory=dict)
    #: the shape of a sequence's items, or of a free mapping's values
    item: _Shape | None = None

    def child(self, key: str) -> _Shape | None:
        return self.children.get(key, self.item)


@cache
def _model_shape(model: type[BaseModel]) -> _Shape:
    return _Shape(
        fields=tuple(model.model_fields),
        children={name: _shape(info.annotation) for name, info in model.model_fields.items()},
    )


def _shape(annotation: Any) -> _Shape | None:
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
    if origin is typing.Annotated:
        return _shape(args[0])
    if origin is typing.Union or origin is types.UnionType:
        return next((s for s in map(_shape, args) if s is not None), None)
    if origin in (tuple, list, collections.abc.Sequence) and args:
        item = _shape(args[0])
        return _Shape(item=item) if item is not None else None
    if origin in (dict, collections.abc.Mapping) and len(args) == 2:
        return _Shape(item=_shape(args[1]))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _model_shape(annotation)
    return None


# --- comments: the lines above a key travel with it ------------------------------------------


def _tail(container: Any, key: Any) -> tuple[dict[Any, list[Any]], Any, int]:
    """Where ruamel keeps the comment lines after ``container[key]``'s value (and so above
    the next key): on the last scalar at the bottom of that value."""
    value = container[key]
    if isinstance(value, CommentedMap | CommentedSeq) and len(value) and not value.fa.flow_style():
        last = next(reversed(value)) if isinstance(value, CommentedMap) else len(value) - 1
        return _tail(value, last)
    return container.ca.items, key, 2 if isinstance(container, CommentedMap) else 0


def _text(slot: tuple[dict[Any, list[Any]], Any, int]) -> str:
    items, key, index = slot
    entry = items.get(key)
    token = entry[index] if entry else None
    return token.value if isinstance(token, CommentToken) else ""


def _set_text(slot: tuple[dict[Any, list[Any]], Any, int], text: str) -> None:
    items, key, index = slot
    entry = items.get(key)
    if not text or text == "\n":
        if entry:
            entry[index] = None
        return
    if entry is None:
        entry = items[key] = [None, None, None, None]
    token = entry[index]
    if isinstance(token, CommentToken):
        token.value = text
    else:
        entry[index] = CommentToken(text, CommentMark(0), None)


def _split(text: str) -> tuple[str, str]:
    """A post-value comment: (the end of the value's own line, the full lines below it)."""
    head, newline, rest = text.partition("\n")
    return head + newline, rest


def _move_comments(node: CommentedMap, old: list[Any], new: list[Any]) -> None:
    """Reorder ``node`` from ``old`` to ``new`` keys, each key keeping the lines above it."""
    above: dict[Any, str] = {}
    for before, key in itertools.pairwise(old):
        slot = _tail(node, before)
        own, above[key] = _split(_text(slot))
        _set_text(slot, own)
    slot = _tail(node, old[-1])
    own, bottom = _split(_text(slot))
    _set_text(slot, own)
    values = [(key, node[key]) for key in old]
    for key in old:
        del node[key]
    for key, value in sorted(values, key=lambda kv: new.index(kv[0])):
        node[key] = value
    for before, key in itertools.pairwise(new):
        if above.get(key):
            slot = _tail(node, before)
            _set_text(slot, (_text(slot) or "\n") + above[key])
    if bottom:
        slot = _tail(node, new[-1])
        _set_text(slot, (_text(slot) or "\n") + bottom)


# --- normalising one document ----------------------------------------------------------------


def _canonical_decimal(value: Decimal) -> Decimal:
    text = format(value, "f")
    return Decimal(text if "." in text else text + ".0")


class _Normaliser:
    def __init__(self) -> None:
        self.reasons: set[str] = set()
        #: comment lines below a list that was just put on one line, for its parent to keep
        self.rest = ""

    def value(self, node: Any, shape: _Shape | None) -> Any:
        if isinstance(node, CommentedMap):
            self.mapping(node, shape)
            return node
        if isinstance(node, CommentedSeq):
            self.sequence(node, shape)
            return node
        if type(node) is not str:
            return str(node)  # quoted or block: a string; the writer picks its quoting
        value = resolve_plain(node)  # plain: read as the catalog reads it
        if value is HAZARD:  # pragma: no cover - parse_yaml reported it before
            raise ValueError(f"ambiguous plain scalar {node!r}")
        if isinstance(value, Decimal):
            value = _canonical_decimal(value)
            spelled = format(value, "f")
        elif isinstance(value, int) and not isinstance(value, bool):
            spelled = str(value)
        else:
            return value
        if spelled != node:
            self.reasons.add("number spelling")
        return value

    def mapping(self, node: CommentedMap, shape: _Shape | None) -> None:
        old = list(node)
        names = [str(key) for key in old]
        new = key_order(names, shape.fields if shape else ())
        if new != names:
            self.reasons.add("key order")
            _move_comments(node, old, [old[names.index(k)] for k in new])
        for key in list(node):
            value = node[key]
            name = str(key)
            del node[key]  # the comments stay in node.ca, keyed by the (equal) name
            node[name] = self.value(value, shape.child(name) if shape else None)
            self._keep_rest((node.ca.items, name, 2))
        node.fa.set_block_style()

    def _keep_rest(self, slot: tuple[dict[Any, list[Any]], Any, int]) -> None:
        if self.rest:  # a list now on one line: the lines below it follow its key
            _set_text(slot, (_text(slot) or "\n") + self.rest)
            self.rest = ""

    def sequence(self, node: CommentedSeq, shape: _Shape | None) -> None:
        item = shape.item if shape else None
        for i, value in enumerate(list(node)):
            list.__setitem__(node, i, self.value(value, item))
            self._keep_rest((node.ca.items, i, 0))
        if not is_flow_list(node):
            node.fa.set_block_style()
            return
        if node.fa.flow_style():
            return
        texts = [_split(_text((node.ca.items, i, 0))) for i in range(len(node))]
        if node.ca.comment or any(own.strip() for own, _ in texts) or any(r for _, r in texts[:-1]):
            return  # comments between the items: the list stays a block to keep them
        node.ca.items.clear()
        node.fa.set_flow_style()
        self.rest = texts[-1][1] if texts else ""


class _Resolver(VersionedResolver):
    """Every scalar is a string to ruamel; the catalog's resolver reads the plain ones."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode:
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


@cache
def _loader() -> YAML:
    y = YAML(typ="rt")
    y.Resolver = _Resolver
    y.preserve_quotes = True
    return y


@dataclass
class Formatted:
    """One file's outcome: its canonical text (None when it cannot be formatted)."""

    text: str | None
    reasons: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _split_header(text: str) -> tuple[str | None, str]:
    """The target of a `$schema` line among the top comments, and the text without it."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            break
        match = _SCHEMA_LINE.fullmatch(stripped)
        if match:
            return match.group(1), "".join(lines[:i] + lines[i + 1 :])
    return None, text


def format_text(
    raw: bytes, path: Path, root: Path, kind: FileKind, display: str, *, fast: bool = True
) -> Formatted:
    """The canonical text of one catalog file's bytes (``fast=False``: always the full
    round trip, as for a file with comments)."""
    doc = parse_yaml(raw, display)
    if doc.diagnostics:
        return Formatted(None, diagnostics=doc.diagnostics)
    if not isinstance(doc.data, dict):
        return Formatted(None, diagnostics=[_error(display, "a catalog file must hold a mapping")])
    text = raw.decode("utf-8")
    current, body = _split_header(text.removeprefix("\ufeff"))
    first = schema_line(path, root, kind, current)
    shape = _model_shape(FILE_MODELS[kind])
    # nothing but data (no comments, no blank lines): the writer renders it from the data
    # alone, so a file already in that form is done without a round trip
    if fast and _bare(body) and first + "\n" + dump_roundtrip(_build(doc.data, shape)) == text:
        return Formatted(text)
    try:
        tree = _loader().load(body)
    except MarkedYAMLError as exc:  # pragma: no cover - the strict reader accepted it
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return Formatted(None, diagnostics=[_error(display, f"YAML: {exc.problem}", line)])
    except YAMLError as exc:  # pragma: no cover
        return Formatted(None, diagnostics=[_error(display, f"YAML: {exc}")])
    normaliser = _Normaliser()
    normaliser.value(tree, shape)
    new = first + "\n" + dump_roundtrip(tree)
    check = parse_yaml(new.encode("utf-8"), display)
    if check.diagnostics or not _same(doc.data, check.data):
        message = "fmt cannot rewrite this file without changing what it says; left as it is"
        return Formatted(None, diagnostics=[_error(display, message)])
    if new == text:
        return Formatted(text)
    reasons = ["$schema line"] if text.split("\n", 1)[0].rstrip("\r") != first else []
    return Formatted(new, reasons + sorted(normaliser.reasons) or ["quoting or layout"])


def _bare(body: str) -> bool:
    lines = body.split("\n")
    return "#" not in body and "\r" not in body and lines[-1] == "" and all(lines[:-1])


def _build(value: Any, shape: _Shape | None) -> Any:
    """The writer's nodes for plain data, as the round trip would normalise them."""
    if isinstance(value, dict):
        out = CommentedMap()
        for key in key_order(list(value), shape.fields if shape else ()):
            out[key] = _build(value[key], shape.child(key) if shape else None)
        return out
    if isinstance(value, tuple):
        seq = CommentedSeq(_build(v, shape.item if shape else None) for v in value)
        if is_flow_list(value):
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, Decimal):
        return _canonical_decimal(value)
    return value


def _same(a: Any, b: Any) -> bool:
    """Equal data of equal types (``True`` is not ``1``, ``5`` is not ``5.0``)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, tuple):
        return len(a) == len(b) and all(map(_same, a, b))
    return bool(a == b)


def _error(display: str, message: str, line: int = 1) -> Diagnostic:
    return Diagnostic(display, line, 1, "LM001", "", message)
