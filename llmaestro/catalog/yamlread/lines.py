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
from llmaestro.catalog.yamlread.scalars import PLAIN_START, RESOLVED, Slow, resolve_fast

#: Each line of a file but the empty ones (which no match covers), one match a line (no part
#: of it can match a line break): indentation, an optional ``- ``, then a key with a plain,
#: double-quoted, single-quoted or flow-sequence value or none; anything else is an item's
#: text (a sequence item's value after a ``- ``; a comment or blank line's ``#…`` or blanks;
#: for any other line the sign to give up). A plain value is taken to the line's end here
#: (no per-character look-ahead): one holding ``: `` or `` #`` or ending in a blank or ``:``
#: is refused after the match, as :data:`_PLAIN` refuses it.
_LINES = re.compile(
    r"""^(\ *)(-\ +)?(?:
        ([A-Za-z0-9_][A-Za-z0-9_.\-/]{0,511}|"[A-Za-z0-9_.\-/\ ]{0,510}"):
        (?:\ +(?:
            ((?:[A-Za-z0-9_./(~$+]|-(?=[0-9.]))[^\t\n]*)
            |("[^"\\\n]*"|'[^'\n]*')
            |(\[[^\n]*\])
        )|)$
        |([^\n]+)$
    )""",
    re.MULTILINE | re.VERBOSE,
)
#: A plain scalar of the block context that ends where it seems to (no comment, no ``: ``,
#: no indicator at its start, no trailing blank): anything else is the slow paths' to read.
_PLAIN = re.compile(r"(?:[A-Za-z0-9_./(~$+]|-(?=[0-9.]))(?:(?!: | #)[^\t\n])*(?<![ :])")
#: Items of a one-line flow sequence: plain (no flow indicator, `:` or `#`) or simply quoted.
_FLOW_ITEM = re.compile(
    r"(?:[A-Za-z0-9_./(~$+]|-(?! ))[^,\[\]{}:#'\"\t\n]*|\"[^\"\\\n]*\"|'[^'\n]*'"
)
_SPLIT = re.compile(r" *, *")
# PyYAML refuses a key longer than 1024 characters (a simple key's limit): far longer than
# any catalog key, so :data:`_LINES` matches keys of at most 512 and leaves longer ones to it.
#: one-line flow sequences already read, by text (catalogs repeat `[text, image]`; the values are
#: immutable): each text is split once a process
_FLOWS: dict[str, tuple[Any, ...]] = {}
_MAX_FLOWS = 50_000
_UNSEEN = object()
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


#: A flow sequence wrapped after its commas onto more lines (the writer wraps long ones):
#: no line of it holds a bracket, each continuation starts with a non-blank, so each line
#: splits one way only (no backtracking over the blanks), and no two matches share a line.
_WRAPPED_FLOW = re.compile(r"\[[^\[\]\n]*(?:,\ *\n\ +[^\ \[\]\n][^\[\]\n]*)+\]")
_FLOW_BREAK = re.compile(r",\ *\n(\ +)")
#: A key with no value on its line, its value a plain scalar on the next line alone (the
#: writer puts a long one there): indentation, ``- ``, the key, the scalar's indentation, it.
_WRAPPED_PLAIN = re.compile(
    r"^(\ *)((?:-\ +)?)[A-Za-z0-9_][A-Za-z0-9_.\-/]*:\ *\n(\ +)([^\ \n][^\n]*)$", re.MULTILINE
)


def _join_flow(text: str, match: re.Match[str]) -> str:
    """The wrapped flow sequence on one line, when each continuation is indented deeper than
    the line it starts on (as YAML asks; else as it was, for PyYAML to judge)."""
    start = text.rfind("\n", 0, match.start()) + 1
    indent = len(text) - start - len(text[start:].lstrip(" "))
    flow = match.group()
    if any(len(m.group(1)) <= indent for m in _FLOW_BREAK.finditer(flow)):
        return flow
    return _FLOW_BREAK.sub(", ", flow)


def _join_plain(match: re.Match[str]) -> str:
    """``key: scalar`` on one line, when the scalar is indented deeper than the key and is a
    plain scalar that ends on its line (else as it was)."""
    indent, dash, deeper, scalar = match.groups()
    if len(deeper) <= len(indent) + len(dash) or not _PLAIN.fullmatch(scalar):
        return match.group()
    head = match.group()[: match.start(3) - match.start()]
    return head.rstrip(" \n") + " " + scalar


def unwrap(text: str) -> str:
    """The text with the writer's two wrappings undone: a flow sequence continued on more
    lines after its commas, and a plain scalar alone on the line below its key. YAML reads
    either as if on one line (a break after a comma separates items, and a value may stand
    on the next line), so :func:`build_lines` gives the same values for the result."""
    if "[" in text:
        text = _WRAPPED_FLOW.sub(lambda m: _join_flow(text, m), text)
    return _WRAPPED_PLAIN.sub(_join_plain, text)


def build_lines(text: str) -> Any:
    """The values of a file in the writer's subset of YAML, wrapped lines too (see
    :func:`unwrap`); raises Slow on anything else."""
    try:
        return _build(text)
    except Slow:
        joined = unwrap(text)
        if joined == text:
            raise
    return _build(joined)


def _build(text: str) -> Any:
    if "\r" in text or "\t" in text or "&" in text or "*" in text or "!" in text:
        raise Slow
    root: dict[str, Any] = {}
    #: open containers, innermost last: [indent of its entries, container, parent, key]
    stack: list[tuple[int, Any, Any, str]] = [(0, root, None, "")]
    cur_indent = 0
    cur: Any = root
    pending: tuple[dict[str, Any], str, int] | None = None
    resolved = RESOLVED.get  # resolve_fast's own table, without a call for a text it holds
    for indent_text, dash, key, plain, quoted, flow, item in _LINES.findall(text):
        if not key and not dash:
            if item[0] == "#" or item.isspace():
                continue  # a comment, or blanks (the indentation gave one back)
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
        if key[0] == '"':
            key = key[1:-1]
        if key in cur:
            raise Slow
        if plain:
            if ": " in plain or " #" in plain or plain[-1] in " :":
                raise Slow  # what _PLAIN refuses: a comment, a mapping, a trailing blank
            if plain[0] not in PLAIN_START:
                cur[key] = plain
            else:
                value = resolved(plain, _UNSEEN)
                cur[key] = resolve_fast(plain) if value is _UNSEEN else value
        elif quoted:
            cur[key] = quoted[1:-1]
        elif flow:
            flows = _FLOWS.get(flow)
            if flows is None:
                flows = _FLOWS[flow] = _flow(flow)
                if len(_FLOWS) > _MAX_FLOWS:
                    _FLOWS.clear()
            cur[key] = flows
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
