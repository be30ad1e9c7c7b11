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

The work is split by what it does: :mod:`.scalars` resolves plain scalars, :mod:`.positions`
walks the events with positions and diagnostics, :mod:`.fast` builds values only, for the
clean files that are most of a catalog, and :mod:`.lines` reads the writer's own block subset
of YAML without PyYAML (the same values, about twice as fast).
"""

from __future__ import annotations

import bisect
import re

import yaml

from llmaestro.catalog.diagnostics import Diagnostic
from llmaestro.catalog.yamlread.fast import build_fast
from llmaestro.catalog.yamlread.lines import build_lines
from llmaestro.catalog.yamlread.positions import YamlDocument, build_slow
from llmaestro.catalog.yamlread.scalars import HAZARD, Position, Slow, resolve_plain

__all__ = ["HAZARD", "MAX_FILE_BYTES", "Position", "YamlDocument", "parse_yaml", "resolve_plain"]

MAX_FILE_BYTES = 1024 * 1024

_FIRST_LINE = re.compile(r"[^\r\n]*")
#: what YAML refuses (C0 but tab and line ends, DEL, C1, U+FFFE/FFFF) and the line breaks only
#: YAML sees (NEL, U+2028, U+2029): editors show none there, so every later line would shift
_UNPRINTABLE = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_BREAK = re.compile(r"\r\n?|\n")
_NAMES = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x1B: "ESC",
    0x7F: "DEL",
    0x85: "NEL",
    0x2028: "line separator",
    0x2029: "paragraph separator",
}
#: a file full of them is reported by its first few, then a count
MAX_REPORTED = 10


def editor_position(offset: int, line_starts: list[int]) -> Position:
    """The 1-based line and column of a character offset as an editor shows it: lines end at
    LF, CR LF or CR only, columns count characters."""
    line = bisect.bisect_right(line_starts, offset)
    return line, offset - line_starts[line - 1] + 1


def unprintable(text: str, path: str) -> list[Diagnostic]:
    """One located LM001 per character YAML refuses or reads as a line break (the first
    :data:`MAX_REPORTED`, then how many more)."""
    starts = [0, *(m.end() for m in _BREAK.finditer(text))]
    out: list[Diagnostic] = []
    matches = _UNPRINTABLE.finditer(text)
    for match in matches:
        line, column = editor_position(match.start(), starts)
        code = ord(match.group())
        name = f"U+{code:04X}" + (f" ({_NAMES[code]})" if code in _NAMES else "")
        if len(out) == MAX_REPORTED:
            more = 1 + sum(1 for _ in matches)
            out.append(Diagnostic(path, line, column, "LM001", "", f"{more} more such characters"))
            break
        is_break = code in (0x85, 0x2028, 0x2029)
        out.append(
            Diagnostic(
                path,
                line,
                column,
                "LM001",
                "",
                f"{'line break' if is_break else 'control character'} {name} is not allowed"
                + (": YAML reads a line break where editors show none" if is_break else ""),
                hint="delete it, or write it as an escape in a double-quoted string "
                f'("\\u{code:04x}")',
            )
        )
    return out


def _position_of_offset(data: bytes, offset: int) -> Position:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


#: Values (lines plus commas bound them: each value but the nested ones needs a line or a
#: comma) a catalog file may hold: the largest real file has ~600, and a 1 MiB file of
#: 500,000 one-byte items would take over 1 s to read.
MAX_VALUES = 100_000
_SEPARATOR = re.compile(r"\r\n?|\n|,")


def _too_many_values(text: str, path: str) -> Diagnostic:
    """LM007 at the line and column where the file passes :data:`MAX_VALUES`."""
    starts = [0]
    offset = 0
    for seen, match in enumerate(_SEPARATOR.finditer(text), 1):
        if match.group() != ",":
            starts.append(match.end())
        if seen > MAX_VALUES:
            offset = match.start()
            break
    line, column = editor_position(offset, starts)
    return Diagnostic(
        path,
        line,
        column,
        "LM007",
        "",
        "file holds too many values (lines and commas)",
        found=f"more than {MAX_VALUES:,} by here",
        expected=f"at most {MAX_VALUES:,}: one provider or model per file",
    )


def parse_yaml(raw: bytes, path: str, *, size: int | None = None) -> YamlDocument:
    """Parse one catalog file's bytes (``size``: the file's, when only its start was read).
    Problems are collected in ``doc.diagnostics``."""
    doc = YamlDocument()
    size = max(len(raw), size or 0)
    if size > MAX_FILE_BYTES:
        doc.diagnostics.append(
            Diagnostic(
                path,
                1,
                1,
                "LM007",
                "",
                "file is too large",
                found=f"{size} bytes",
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
    doc.first_line = _FIRST_LINE.match(text).group()  # type: ignore[union-attr]
    if _UNPRINTABLE.search(text):
        doc.diagnostics.extend(unprintable(text, path))
        return doc
    if len(text) > MAX_VALUES and (
        max(text.count("\n"), text.count("\r")) + text.count(",") > MAX_VALUES
    ):
        doc.diagnostics.append(_too_many_values(text, path))
        return doc
    try:
        try:
            doc.data = build_lines(text)
        except Slow:
            doc.data = build_fast(text)
    except (Slow, yaml.YAMLError):
        build_slow(text, path, doc)
    else:
        doc.pending_text = text
    return doc
