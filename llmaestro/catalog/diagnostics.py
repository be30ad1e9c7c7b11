"""One problem found in a catalog file, and the ways to print a list of them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from llmaestro._http.redact import safe_text

Severity = Literal["error", "warning"]


def escape_pointer_token(token: str | int) -> str:
    """Escape one JSON Pointer reference token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str | int) -> str:
    """Build a JSON Pointer from reference tokens."""
    return "".join("/" + escape_pointer_token(t) for t in tokens)


def clip(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters (a message quotes a value, never a whole file)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: The longest a field of a printed problem gets (a pointer can hold a 1 MiB key).
MAX_FIELD = 300


def shown(text: str, limit: int = MAX_FIELD) -> str:
    """A field of a problem as it is printed: keys masked, control characters escaped (one
    terminal-safe line: a value holding `\\n` cannot forge a line, an OSC sequence never
    reaches the terminal), then cut to ``limit``. Every format prints through this."""
    return safe_text(text, limit=limit)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A located problem: which file, where in it, which rule, and what to do."""

    path: str
    line: int
    column: int
    code: str
    pointer: str
    message: str
    found: str | None = None
    expected: str | None = None
    hint: str | None = None
    severity: Severity = "error"

    def body(self) -> str:
        """``CODE /pointer: message (found X, expected Y); hint``, printable as it is."""
        text = f"{shown(self.code, 20)} {shown(self.pointer) or '/'}: {shown(self.message)}"
        details = []
        if self.found is not None:
            details.append(f"found {shown(self.found)}")
        if self.expected is not None:
            details.append(f"expected {shown(self.expected)}")
        if details:
            text += f" ({', '.join(details)})"
        if self.hint:
            text += f"; {shown(self.hint)}"
        if self.severity == "warning":
            text += " [warning]"
        return text

    def format(self) -> str:
        """``path:line:column: CODE /pointer: message (found X, expected Y); hint``: one
        line, whatever the file, its values or its keys hold."""
        return f"{shown(self.path, 4 * MAX_FIELD)}:{self.line}:{self.column}: {self.body()}"

    def printable(self) -> dict[str, str | int | None]:
        """The fields as the JSON format prints them (each as :func:`shown` prints it)."""
        out: dict[str, str | int | None] = {}
        for name, value in asdict(self).items():
            limit = 4 * MAX_FIELD if name == "path" else MAX_FIELD
            out[name] = shown(value, limit) if isinstance(value, str) else value
        return out

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.pointer)


#: Problems shown per file; a file with more (a mutated or generated file can have 100,000)
#: ends with one line saying how many more: the output stays readable and fast.
MAX_PER_FILE = 100


def sorted_capped(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The distinct problems in print order, at most :data:`MAX_PER_FILE` (and then one that
    counts the rest, where the first of them stands) per file."""
    ordered = sorted(set(diagnostics), key=Diagnostic.sort_key)
    out: list[Diagnostic] = []
    i = 0
    while i < len(ordered):
        path = ordered[i].path
        j = i
        while j < len(ordered) and ordered[j].path == path:
            j += 1
        if j - i <= MAX_PER_FILE + 1:
            out.extend(ordered[i:j])
        else:
            out.extend(ordered[i : i + MAX_PER_FILE])
            rest = ordered[i + MAX_PER_FILE : j]
            first = rest[0]
            errors = sum(1 for d in rest if d.severity == "error")
            out.append(
                Diagnostic(
                    path,
                    first.line,
                    first.column,
                    first.code,
                    first.pointer,
                    f"and {len(rest)} more problems in this file, not shown, from here on",
                    severity="error" if errors else "warning",
                )
            )
        i = j
    return out


def format_text(diagnostics: Sequence[Diagnostic]) -> str:
    return "".join(d.format() + "\n" for d in sorted_capped(diagnostics))


def format_json(diagnostics: Sequence[Diagnostic], summary: dict[str, int]) -> str:
    doc = {"summary": summary, "problems": [d.printable() for d in sorted_capped(diagnostics)]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _gh_escape(text: str, *, prop: bool = False) -> str:
    """GitHub's workflow-command escaping: ``%``, CR and LF in the message; in a property
    (``file=``, ``title=``) also ``:`` and ``,``, which end a property."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(diagnostics: Iterable[Diagnostic]) -> str:
    """GitHub Actions workflow commands, one annotation per problem."""
    lines = []
    for d in sorted_capped(diagnostics):
        lines.append(
            f"::{d.severity} file={_gh_escape(shown(d.path, 4 * MAX_FIELD), prop=True)},"
            f"line={d.line},col={d.column},title={_gh_escape(shown(d.code, 20), prop=True)}"
            f"::{_gh_escape(d.body())}"
        )
    return "".join(line + "\n" for line in lines)
