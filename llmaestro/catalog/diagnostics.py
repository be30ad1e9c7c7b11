"""One problem found in a catalog file, and the ways to print a list of them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


def escape_pointer_token(token: str | int) -> str:
    """Escape one JSON Pointer reference token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str | int) -> str:
    """Build a JSON Pointer from reference tokens."""
    return "".join("/" + escape_pointer_token(t) for t in tokens)


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

    def format(self) -> str:
        """``path:line:column: CODE /pointer: message (found X, expected Y); hint``."""
        text = f"{self.path}:{self.line}:{self.column}: {self.code} {self.pointer or '/'}: "
        text += self.message
        details = []
        if self.found is not None:
            details.append(f"found {self.found}")
        if self.expected is not None:
            details.append(f"expected {self.expected}")
        if details:
            text += f" ({', '.join(details)})"
        if self.hint:
            text += f"; {self.hint}"
        if self.severity == "warning":
            text += " [warning]"
        return text

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.pointer)


def format_text(diagnostics: Sequence[Diagnostic]) -> str:
    return "".join(d.format() + "\n" for d in diagnostics)


def format_json(diagnostics: Sequence[Diagnostic], summary: dict[str, int]) -> str:
    doc = {"summary": summary, "problems": [asdict(d) for d in diagnostics]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _gh_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(diagnostics: Iterable[Diagnostic]) -> str:
    """GitHub Actions workflow commands, one annotation per problem."""
    lines = []
    for d in diagnostics:
        body = d.format().split(": ", 1)[1]
        lines.append(
            f"::{d.severity} file={_gh_escape(d.path, prop=True)},line={d.line},"
            f"col={d.column},title={_gh_escape(d.code, prop=True)}::{_gh_escape(body)}"
        )
    return "".join(line + "\n" for line in lines)
