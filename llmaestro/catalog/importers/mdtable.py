"""Markdown tables of the import report."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def cell(value: object) -> str:
    """Text safe inside a Markdown table cell."""
    text = str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= 200 else text[:197] + "…"


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    count = 0
    for row in rows:
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
        count += 1
    if not count:
        return ["(none)"]
    return lines
