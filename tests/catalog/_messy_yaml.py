"""Hypothesis strategies for catalog-like YAML written every valid way but the canonical one:
keys in any order, any quoting, numbers spelled `+5`, `1.5e-7`, `.5`, `5.`, flow or block
lists and mappings, odd indentation, comments and blank lines anywhere they may stand."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from llmaestro.catalog.yamlread import resolve_plain

#: known field names at several levels (so the model's key order matters), and others
KEYS = [
    *("id", "base", "name", "kind", "aliases", "limits", "context", "max_output", "pricing"),
    *("input", "output", "history", "effective", "until", "provenance", "source", "url"),
    *("checked", "lifecycle", "status", "capabilities", "reasoning", "supported", "tiers"),
    *("above_tokens", "x_extra", "n", "yes", "a b", "2024"),
]
TRICKY = [
    "yes", "No", "on", "1.5", "2.50", "007", "1_000", "2024-01-01", "true", "null", "~", "",
    " x", "x ", "a: b", "a #b", "#x", "- x", "[x]", "{x}", "*x", "&x", "!x", "%x", "@x", "`x",
    "tab\there", "it's", 'say "hi"', "é ü", "0x1F", "1e3", ".5", "+1", "-", "?", "a,b",
    "line\nbreak", "https://example.org/a?b=c#d",
]  # fmt: skip
_SAFE_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._/-]*[A-Za-z0-9]|[A-Za-z]")

strings = st.sampled_from(TRICKY) | st.text(alphabet="abcXYZ019 .-_:/#'\"", min_size=1, max_size=10)
decimals = st.builds(
    lambda digits, exponent: Decimal(digits).scaleb(exponent),
    st.integers(0, 10**9),
    st.integers(-12, 3),
)
scalars = st.one_of(
    strings,
    st.integers(-(10**12), 10**12),
    decimals,
    st.booleans(),
    st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
    st.none(),
)
keys = st.sampled_from(KEYS)


def _documents(lists_of_lists: bool) -> st.SearchStrategy[dict[str, Any]]:
    def containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        maps = st.dictionaries(keys, inner, min_size=1, max_size=5)
        items = inner if lists_of_lists else scalars | maps
        return st.lists(items, max_size=4).map(tuple) | maps

    values = st.recursive(scalars, containers, max_leaves=25)
    return st.dictionaries(keys, values, min_size=1, max_size=8)


#: documents shaped like catalog files: mappings, lists of scalars, lists of mappings
documents = _documents(lists_of_lists=False)
#: and any nesting at all (lists of lists, which no catalog file has)
any_documents = _documents(lists_of_lists=True)


class Writer:
    """Writes a document messily, drawing each choice from hypothesis."""

    def __init__(self, draw: Any, *, comments: bool = True) -> None:
        self.draw = draw
        #: write comments and blank lines (else only data, messily)
        self.with_comments = comments
        self.lines: list[str] = []
        self.comments = 0

    def text(self, value: dict[str, Any]) -> str:
        self.mapping(value, 0)
        return "".join(line + "\n" for line in self.lines)

    # -- scalars ------------------------------------------------------------------------------

    def scalar(self, value: Any, *, flow: bool) -> str:
        choice = self.draw(st.integers(0, 3))
        if isinstance(value, bool):
            return "true" if value else "false"
        if value is None:
            return "null" if flow or choice == 0 else "~"
        if isinstance(value, int):
            return f"+{value}" if choice == 1 and value >= 0 else str(value)
        if isinstance(value, Decimal):
            plain = format(value, "f")
            spelled = [
                plain if "." in plain else plain + ".",
                f"{value:e}",
                "+" + plain + ("" if "." in plain else ".0"),
                plain[1:] if plain.startswith("0.") else plain + ("" if "." in plain else ".0"),
            ]
            return str(spelled[choice])
        if isinstance(value, dt.date):
            return value.isoformat()
        return self.string(value, choice)

    def string(self, value: str, choice: int) -> str:
        plain_ok = _SAFE_PLAIN.fullmatch(value) and resolve_plain(value) == value
        if plain_ok and choice < 2:
            return value
        if choice == 2 and "\n" not in value and "\t" not in value:
            return "'" + value.replace("'", "''") + "'"
        return json.dumps(value)

    def key(self, name: str) -> str:
        return self.string(name, self.draw(st.integers(0, 3)))

    # -- collections --------------------------------------------------------------------------

    def before(self, indent: int) -> None:
        """Maybe a blank line, maybe a comment line, above the next line."""
        if self.with_comments and self.draw(st.integers(0, 9)) == 0:
            self.lines.append("")
        if self.with_comments and self.draw(st.integers(0, 7)) == 0:
            self.comments += 1
            pad = self.draw(st.sampled_from([0, indent]))
            self.lines.append(" " * pad + f"# c{self.comments}")

    def emit(self, indent: int, text: str) -> None:
        self.before(indent)
        if self.with_comments and self.draw(st.integers(0, 5)) == 0:
            self.comments += 1
            text += " " * self.draw(st.integers(1, 3)) + f"# c{self.comments}"
        self.lines.append(" " * indent + text)

    def flow(self, value: Any) -> str | None:
        """A one-line flow form, when every member is a scalar."""
        if isinstance(value, tuple) and all(not isinstance(v, tuple | dict) for v in value):
            return "[" + ", ".join(self.scalar(v, flow=True) for v in value) + "]"
        if isinstance(value, dict) and all(not isinstance(v, tuple | dict) for v in value.values()):
            pairs = (f"{self.key(k)}: {self.scalar(v, flow=True)}" for k, v in value.items())
            return "{" + ", ".join(pairs) + "}"
        return None

    def mapping(self, value: dict[str, Any], indent: int, first: str | None = None) -> None:
        order = self.draw(st.permutations(list(value)))
        for i, name in enumerate(order):
            lead = first if first is not None and i == 0 else None
            self.entry(f"{self.key(name)}:", value[name], indent, lead)

    def entry(self, head: str, value: Any, indent: int, lead: str | None) -> None:
        """``head`` (a key and colon, or a dash) followed by ``value``."""

        def put(text: str) -> None:
            if lead is not None:
                self.lines.append(lead + text)  # on the line of a list's dash
            else:
                self.emit(indent, text)

        if not isinstance(value, tuple | dict):
            text = self.scalar(value, flow=False)
            put(f"{head} {text}" if text else head)
            return
        if not value:
            put(f"{head} {'[]' if isinstance(value, tuple) else '{}'}")
            return
        inline = self.flow(value)
        if inline is not None and self.draw(st.booleans()):
            put(f"{head} {inline}")
            return
        put(head)
        step = self.draw(st.sampled_from([2, 4]))
        if isinstance(value, dict):
            self.mapping(value, indent + step)
        else:
            indentless = head != "-" and self.draw(st.booleans())
            self.sequence(value, indent if indentless else indent + step)

    def sequence(self, value: tuple[Any, ...], indent: int) -> None:
        for item in value:
            if isinstance(item, dict) and item:
                self.before(indent)
                self.mapping(item, indent + 2, first=" " * indent + "- ")
            elif isinstance(item, tuple) and item and self.flow(item) is None:
                self.emit(indent, "-")
                self.sequence(item, indent + 2)
            else:
                self.entry("-", item, indent, None)
