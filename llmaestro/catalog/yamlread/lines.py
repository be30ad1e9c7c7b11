"""The quickest path: the block YAML our writer emits, read line by line without PyYAML.

A catalog file as ``llmaestro fmt`` writes it is a block mapping of ``key: value`` lines,
nested mappings, ``- `` sequences and one-line ``[a, b]`` flow sequences of plain or simply
quoted scalars. :func:`build_lines` reads exactly that subset and gives the same values as
:func:`~llmaestro.catalog.yamlread.fast.build_fast`; anything else (other indentation, comments
after a value, escapes, multi-line scalars, anchors, tags, flow mappings, tabs …) raises
:class:`~llmaestro.catalog.yamlread.scalars.Slow`, and the PyYAML paths read the file.
"""

from __future__ import annotations

import re
from typing import Any

from llmaestro.catalog.yamlread.positions import MAX_DEPTH
from llmaestro.catalog.yamlread.scalars import PLAIN_START, Slow, resolve_fast

#: Each line of a file, one match a line (no part of it can match a line break): a blank or
#: comment line (no group), else indentation, an optional ``- ``, then a key with a plain,
#: double-quoted, single-quoted or flow-sequence value or none; anything else is an item's
#: text (a sequence item's value after a ``- ``; for any other line the sign to give up).
#: A plain value is taken to the line's end here (no per-character look-ahead): one holding
#: ``: `` or ending in a blank or ``:`` is refused after the match, as :data:`_PLAIN`
#: refuses it.
_LINES = re.compile(
    r"""^\ *(?:\#[^\n]*)?$
    |^(\ *)(-\ +)?(?:
        ([A-Za-z0-9_][A-Za-z0-9_.\-/]*|"[A-Za-z0-9_.\-/\ ]*"):
        (?:\ +(?:
            ((?:[A-Za-z0-9_./(~$+]|-(?=[0-9.]))[^\t\#\n]*)
            |("[^"\\\n]*")
            |('[^'\n]*')
            |(\[[^\n]*\])
        )|)$
        |([^\n]+)$
    )""",
    re.MULTILINE | re.VERBOSE,
)
#: A plain scalar of the block context that ends where it seems to (no comment, no ``: ``,
#: no indicator at its start, no trailing blank): anything else is the slow paths' to read.
_PLAIN = re.compile(r"(?:[A-Za-z0-9_./(~$+]|-(?=[0-9.]))(?:(?!: )[^\t#\n])*(?<![ :])")
#: Items of a one-line flow sequence: plain (no flow indicator, `:` or `#`) or simply quoted.
_FLOW_ITEM = re.compile(
    r"(?:[A-Za-z0-9_./(~$+]|-(?! ))[^,\[\]{}:#'\"\t\n]*|\"[^\"\\\n]*\"|'[^'\n]*'"
)
_SPLIT = re.compile(r" *, *")
#: PyYAML refuses a key longer than 1024 characters (a simple key's limit): far longer than
#: any catalog key, so a long one is PyYAML's to judge
_MAX_KEY = 512
#: containers open at once: deeper is the slow paths' (they report MAX_DEPTH)
_MAX_OPEN = MAX_DEPTH // 2


def _scalar(text: str) -> Any:
    first = text[0]
    if first == '"':
        if len(text) < 2 or text[-1] != '"' or '"' in text[1:-1] or "\\" in text:
            raise Slow
        return text[1:-1]
    if first == "'":
        if len(text) < 2 or text[-1] != "'" or "'" in text[1:-1]:
            raise Slow
        return text[1:-1]
    if first == "[":
        return _flow(text)
    if not _PLAIN.fullmatch(text):
        raise Slow
    return text if first not in PLAIN_START else resolve_fast(text)


def _flow(text: str) -> tuple[Any, ...]:
    if text[-1] != "]":
        raise Slow
    inner = text[1:-1].strip(" ")
    if not inner:
        return ()
    items: list[Any] = []
    for part in _SPLIT.split(inner):
        if not _FLOW_ITEM.fullmatch(part) or part[-1] == " ":
            raise Slow
        first = part[0]
        if first == '"' or first == "'":
            items.append(part[1:-1])
        else:
            items.append(part if first not in PLAIN_START else resolve_fast(part))
    return tuple(items)


def build_lines(text: str) -> Any:
    """The values of a file in the writer's subset of YAML; raises Slow on anything else."""
    if "\r" in text or "\t" in text or "&" in text or "*" in text or "!" in text:
        raise Slow
    root: dict[str, Any] = {}
    #: open containers, innermost last: [indent of its entries, container, parent, key]
    stack: list[tuple[int, Any, Any, str]] = [(0, root, None, "")]
    cur_indent = 0
    cur: Any = root
    pending: tuple[dict[str, Any], str, int] | None = None
    for indent_text, dash, key, plain, dq, sq, flow, item in _LINES.findall(text):
        if not key:
            if not item:
                continue  # blank or comment
            if not dash:
                raise Slow
        indent = len(indent_text)
        if pending is not None:
            parent, name, at = pending
            pending = None
            if indent > at:
                if len(stack) > _MAX_OPEN:
                    raise Slow
                child: Any = [] if dash else {}
                if not dash:
                    parent[name] = child
                stack.append((indent, child, parent, name))
                cur_indent, cur = indent, child
        if indent != cur_indent or dash:
            while indent < cur_indent:
                _, done, parent, name = stack.pop()
                if done.__class__ is list:
                    parent[name] = tuple(done)
                cur_indent, cur = stack[-1][0], stack[-1][1]
            if indent != cur_indent:
                raise Slow
            if dash:
                if cur.__class__ is not list:
                    raise Slow
                if not key:
                    cur.append(_scalar(item))
                    continue
                if len(stack) > _MAX_OPEN:
                    raise Slow
                mapping: dict[str, Any] = {}
                cur.append(mapping)
                cur_indent += len(dash)
                cur = mapping
                stack.append((cur_indent, mapping, None, ""))
        if cur.__class__ is not dict:
            raise Slow
        if len(key) > _MAX_KEY:
            raise Slow
        if key[0] == '"':
            key = key[1:-1]
        if key in cur:
            raise Slow
        if plain:
            if ": " in plain or plain[-1] == " " or plain[-1] == ":":
                raise Slow  # what _PLAIN refuses: a comment, a mapping, a trailing blank
            cur[key] = plain if plain[0] not in PLAIN_START else resolve_fast(plain)
        elif dq:
            cur[key] = dq[1:-1]
        elif sq:
            cur[key] = sq[1:-1]
        elif flow:
            cur[key] = _flow(flow)
        else:
            cur[key] = None
            pending = (cur, key, cur_indent)
    if not root:  # no data line at all (a data line at the top adds a key)
        raise Slow
    while len(stack) > 1:
        _, done, parent, name = stack.pop()
        if done.__class__ is list:
            parent[name] = tuple(done)
    return root
