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
clean files that are most of a catalog.
"""

from __future__ import annotations

import yaml

from llmaestro.catalog.diagnostics import Diagnostic
from llmaestro.catalog.yamlread.fast import build_fast
from llmaestro.catalog.yamlread.positions import YamlDocument, build_slow
from llmaestro.catalog.yamlread.scalars import HAZARD, Position, Slow, resolve_plain

__all__ = ["HAZARD", "MAX_FILE_BYTES", "Position", "YamlDocument", "parse_yaml", "resolve_plain"]

MAX_FILE_BYTES = 1024 * 1024


def _position_of_offset(data: bytes, offset: int) -> Position:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


def parse_yaml(raw: bytes, path: str) -> YamlDocument:
    """Parse one catalog file's bytes. Problems are collected in ``doc.diagnostics``."""
    doc = YamlDocument()
    if len(raw) > MAX_FILE_BYTES:
        doc.diagnostics.append(
            Diagnostic(
                path,
                1,
                1,
                "LM007",
                "",
                "file is too large",
                found=f"{len(raw)} bytes",
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
    doc.first_line = text.split("\n", 1)[0].rstrip("\r")
    try:
        doc.data = build_fast(text)
    except (Slow, yaml.YAMLError):
        build_slow(text, path, doc)
    else:
        doc.pending_text = text
    return doc
