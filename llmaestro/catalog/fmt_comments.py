"""Comments through `llmaestro fmt`'s reordering, in ruamel.yaml's round-trip model.

ruamel keeps the comment lines above a key as the tail of whatever stands before it (the
previous key's value, down to its last scalar). When :mod:`llmaestro.catalog.fmt` reorders
a mapping, those lines are taken off that tail and put back above their own key: as the key's
"before" comment, or, for the first key of a mapping that is a list item (written on the
dash's line), above the dash. The lines above the first key stay at the top of the mapping;
the lines below its last key stay at the bottom.
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import Any

import yaml
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

try:  # the C scanner; the pure-Python one is a fallback for odd builds only
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_COMMENT = re.compile(r"(?:^|(?<=[ \t]))#[^\n]*", re.MULTILINE)

#: where one comment token lives: (a ``ca.items`` dict, its key, the index in the entry)
Slot = tuple[dict[Any, list[Any]], Any, int]


def tail(container: Any, key: Any) -> Slot:
    """Where ruamel keeps the comment lines after ``container[key]``'s value (and so above
    the next key): on the last scalar at the bottom of that value."""
    value = container[key]
    if isinstance(value, CommentedMap | CommentedSeq) and len(value) and not value.fa.flow_style():
        last = next(reversed(value)) if isinstance(value, CommentedMap) else len(value) - 1
        return tail(value, last)
    return container.ca.items, key, 2 if isinstance(container, CommentedMap) else 0


def text_of(slot: Slot) -> str:
    items, key, index = slot
    entry = items.get(key)
    token = entry[index] if entry else None
    return token.value if isinstance(token, CommentToken) else ""


def set_text(slot: Slot, text: str) -> None:
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


def append(slot: Slot, lines: str) -> None:
    """Add full comment lines below whatever ends at ``slot``."""
    set_text(slot, (text_of(slot) or "\n") + lines)


def split(text: str) -> tuple[str, str]:
    """A post-value comment: (the end of the value's own line, the full lines below it)."""
    head, newline, rest = text.partition("\n")
    return head + newline, rest


def set_before(node: CommentedMap, key: Any, lines: str) -> None:
    entry = node.ca.items.setdefault(key, [None, None, None, None])
    entry[1] = [CommentToken(lines, CommentMark(0)), *(entry[1] or ())]


def set_start(parent: CommentedMap, key: Any, node: CommentedSeq, lines: str) -> None:
    """Put comment lines above the first item of the list ``parent[key]``."""
    entry = parent.ca.items.setdefault(key, [None, None, None, None])
    if isinstance(entry[2], CommentToken):  # `key:  # a comment` and the lines below it
        entry[2].value += lines
        return
    tokens = entry[3] if isinstance(entry[3], list) else []
    tokens.append(CommentToken(lines, CommentMark(0)))
    entry[3] = tokens
    node.ca.comment = [None, tokens]


def reorder(node: CommentedMap, old: list[Any], new: list[Any]) -> str:
    """Reorder ``node`` from ``old`` to ``new`` keys, each key keeping the lines above it;
    returns the lines that belong above the new first key, for the caller to place."""
    above: dict[Any, str] = {}
    for before, key in itertools.pairwise(old):
        slot = tail(node, before)
        own, lines = split(text_of(slot))
        if lines:
            set_text(slot, own)
            above[key] = lines
    slot = tail(node, old[-1])
    own, bottom = split(text_of(slot))
    set_text(slot, own)
    values = [(key, node[key]) for key in old]
    for key in old:
        del node[key]
    for key, value in sorted(values, key=lambda kv: new.index(kv[0])):
        node[key] = value
    for key in new[1:]:
        if key in above:
            set_before(node, key, above[key])
    if bottom:
        append(tail(node, new[-1]), bottom)
    return above.get(new[0], "")


def comment_lines(text: str) -> list[str]:
    """Every comment of a YAML text, stripped and sorted: each ``#`` at the start of a line or
    after a blank that no scalar holds (as the C scanner marks them)."""
    spans = sorted(
        (token.start_mark.index, token.end_mark.index)
        for token in yaml.scan(text, Loader=_Loader)
        if isinstance(token, yaml.ScalarToken)
    )
    starts = [start for start, _ in spans]
    found = []
    for match in _COMMENT.finditer(text):
        at = bisect.bisect_right(starts, match.start()) - 1
        if at < 0 or spans[at][1] <= match.start():
            found.append(match.group().strip())
    return sorted(found)
