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
comment lines above a key move with the key when keys are reordered
(:mod:`llmaestro.catalog.fmt_comments`). Plain scalars are read by the catalog's own resolver
(never ruamel's). The rewritten text must read back to exactly the same data, hold every
comment of the original and be its own canonical form (fmt twice == fmt once), or the file is
left as it is with a located error. A file of bare data (no comments, no blank lines) already
in canonical form is recognised without the round trip: the writer renders its data.
"""

from __future__ import annotations

import collections.abc
import functools
import os
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

from llmaestro._formats import SCHEMA_BASE_URL
from llmaestro.catalog import fmt_comments as comments
from llmaestro.catalog.diagnostics import Diagnostic
from llmaestro.catalog.tree import (
    FILE_MODELS,
    SCHEMA_COMMENT,
    SCHEMA_FILES,
    FileKind,
    schema_comment_for,
)
from llmaestro.catalog.writer import dump_roundtrip, flow_item, is_flow_list, key_order
from llmaestro.catalog.yamlread import HAZARD, parse_yaml, resolve_plain

#: a `$schema` line among the comments at the top of a file (any spelling of the target)
_SCHEMA_LINE = re.compile(r"#\s*yaml-language-server:\s*\$schema=(\S*)\s*")


# --- which file is what ----------------------------------------------------------------------


def classify(path: Path) -> tuple[Path, FileKind] | None:
    """The catalog root and kind of a catalog file, from its path; None for other files.

    As :func:`~llmaestro.catalog.tree.find_root`: the innermost ``providers/<id>/...`` shape
    wins over a ``models/<lab>/...`` one."""
    if not path.name.endswith(".yaml"):
        return None
    parts = Path(os.path.abspath(path)).parts
    n = len(parts)
    provider = model = None
    for i in range(n - 3, -1, -1):
        if parts[i] == "providers" and provider is None:
            if (n - i == 3 and parts[-1] == "provider.yaml") or (
                n - i >= 4 and parts[i + 2] == "models"
            ):
                provider = i
        elif parts[i] == "models" and model is None:
            model = i
    at = provider if provider is not None else model
    if at is None:
        return None
    kind: FileKind = "canonical" if at == model else "provider" if n - at == 3 else "offering"
    return _root(parts[:at]), kind


@functools.cache
def _root(parts: tuple[str, ...]) -> Path:
    return Path(*parts)


@functools.cache
def _has_schemas(root: Path) -> bool:
    return (root.parent / "schemas").is_dir()


@functools.cache
def _relative_schema_line(folder: str, root: Path, kind: FileKind) -> str:
    return schema_comment_for(Path(folder, "file.yaml"), root, kind)


def schema_line(path: Path, root: Path, kind: FileKind, current: str | None) -> str:
    """The canonical first line of a catalog file; ``current`` is the target it names now."""
    name = SCHEMA_FILES[kind]
    if _has_schemas(root):
        return _relative_schema_line(os.path.dirname(os.path.abspath(path)), root, kind)
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


@functools.cache
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


# --- normalising one document ----------------------------------------------------------------


def _canonical_decimal(value: Decimal) -> Decimal:
    text = format(value, "f")
    return Decimal(text if "." in text else text + ".0")


class _Normaliser:
    def __init__(self) -> None:
        self.reasons: set[str] = set()
        #: comment lines below a list that was just put on one line, for its parent to keep
        self.rest = ""

    def value(
        self,
        node: Any,
        shape: _Shape | None,
        place: Callable[[str], None] | None = None,
        start: tuple[CommentedMap, str] | None = None,
    ) -> Any:
        """The canonical value of ``node``; ``place`` puts comment lines above it (a list
        item's dash), ``start`` is the mapping and key a list stands under."""
        if isinstance(node, CommentedMap):
            self.mapping(node, shape, place)
            return node
        if isinstance(node, CommentedSeq):
            self.sequence(node, shape, start)
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

    def mapping(
        self, node: CommentedMap, shape: _Shape | None, place: Callable[[str], None] | None
    ) -> None:
        old = list(node)
        names = [str(key) for key in old]
        new = key_order(names, shape.fields if shape else ())
        if new != names:
            self.reasons.add("key order")
            order = [old[names.index(k)] for k in new]
            lines = comments.reorder(node, old, order)
            if lines.strip() and place is not None:  # (blank lines alone are dropped)
                place(lines)
            elif lines.strip():
                comments.set_before(node, order[0], lines)
        for key in list(node):
            value = node[key]
            name = str(key)
            del node[key]  # the comments stay in node.ca, keyed by the (equal) name
            node[name] = self.value(value, shape.child(name) if shape else None, None, (node, name))
            self._keep_rest((node.ca.items, name, 2))
        node.fa.set_block_style()

    def _keep_rest(self, slot: comments.Slot) -> None:
        if self.rest:  # a list now on one line: the lines below it follow its key
            comments.append(slot, self.rest)
            self.rest = ""

    def sequence(
        self, node: CommentedSeq, shape: _Shape | None, start: tuple[CommentedMap, str] | None
    ) -> None:
        item = shape.item if shape else None
        for i, value in enumerate(list(node)):
            place: Callable[[str], None] | None = None
            if i:
                place = functools.partial(self._below, node, i - 1)
            elif start is not None:
                place = functools.partial(comments.set_start, start[0], start[1], node)
            list.__setitem__(node, i, self.value(value, item, place))
            self._keep_rest((node.ca.items, i, 0))
        if not is_flow_list(node):
            node.fa.set_block_style()
            return
        if not node.fa.flow_style():
            texts = [
                comments.split(comments.text_of((node.ca.items, i, 0))) for i in range(len(node))
            ]
            if node.ca.comment or any(o.strip() for o, _ in texts) or any(r for _, r in texts[:-1]):
                return  # comments between the items: the list stays a block to keep them
            node.ca.items.clear()
            node.fa.set_flow_style()
            self.rest = texts[-1][1] if texts else ""
        for i, value in enumerate(list(node)):
            list.__setitem__(node, i, flow_item(value))

    @staticmethod
    def _below(node: CommentedSeq, index: int, lines: str) -> None:
        comments.append(comments.tail(node, index), lines)


class _Resolver(VersionedResolver):
    """Every scalar is a string to ruamel; the catalog's resolver reads the plain ones."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode:
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


@functools.cache
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
        new_body, reasons = _round_trip(body, shape)
        check = parse_yaml((first + "\n" + new_body).encode("utf-8"), display)
        if check.diagnostics or not _same(doc.data, check.data):
            return _refuse(display, "without changing what it says")
        again, _ = _round_trip(new_body, shape)
    except MarkedYAMLError as exc:  # pragma: no cover - the strict reader accepted it
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return Formatted(None, diagnostics=[_error(display, f"YAML: {exc.problem}", line)])
    except YAMLError as exc:  # pragma: no cover
        return Formatted(None, diagnostics=[_error(display, f"YAML: {exc}")])
    if again != new_body or comments.comment_lines(new_body) != comments.comment_lines(body):
        # ruamel keeps comments where it can; where it cannot (lists of lists, comments
        # between the items of a list that moves), the file is left for a person to arrange
        return _refuse(display, "keeping its comments in place")
    new = first + "\n" + new_body
    if new == text:
        return Formatted(text)
    if text.split("\n", 1)[0].rstrip("\r") != first:
        reasons.insert(0, "$schema line")
    return Formatted(new, reasons or ["quoting or layout"])


def _round_trip(body: str, shape: _Shape) -> tuple[str, list[str]]:
    """The canonical text of a file's body (after the `$schema` line), and why it changed."""
    tree = _loader().load(body)
    normaliser = _Normaliser()
    normaliser.value(tree, shape)
    return dump_roundtrip(tree).lstrip("\n"), sorted(normaliser.reasons)


def _refuse(display: str, how: str) -> Formatted:
    message = f"fmt cannot rewrite this file {how}; left as it is"
    hint = "please report it with the file" if how.startswith("without") else "format it by hand"
    return Formatted(None, diagnostics=[replace(_error(display, message), hint=hint)])


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
            seq = CommentedSeq(flow_item(v) for v in seq)
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
