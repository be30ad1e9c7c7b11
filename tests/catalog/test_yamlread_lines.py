"""The line reader (yamlread.lines) gives exactly the PyYAML fast path's values, or gives up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from llmaestro.catalog.writer import render
from llmaestro.catalog.yamlread.fast import build_fast
from llmaestro.catalog.yamlread.lines import build_lines
from llmaestro.catalog.yamlread.scalars import Slow
from tests.catalog._messy_yaml import Writer, documents

CATALOG = Path(__file__).resolve().parents[2] / "catalog"


def typed(value: Any) -> Any:
    """The value with every leaf's type beside it (1 == 1.0 == True would hide a difference)."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return (type(value).__name__, [typed(v) for v in value])
    return (type(value).__name__, value)


def fast_or_none(text: str) -> Any:
    try:
        return ("ok", typed(build_fast(text)))
    except (Slow, yaml.YAMLError):
        return ("refused",)


def lines_or_none(text: str) -> Any:
    try:
        return ("ok", typed(build_lines(text)))
    except Slow:
        return None


def test_the_writers_subset_is_read() -> None:
    text = (
        "# yaml-language-server: $schema=x\n"
        "base: openai/gpt-4o\n"
        "aliases: [gpt-4o-2024-08-06, 'a b', \"c\", 7]\n"
        "empty: []\n"
        "nothing:\n"
        "pricing:\n"
        "  input: 2.50\n"
        "  history:\n"
        "    - effective: 2024-05-13\n"
        "      input: 5\n"
        "    - until: ~\n"
        "  url: https://example.org/a:b\n"
        "tags:\n"
        "  - one\n"
        "  - -1.5\n"
    )
    assert build_lines(text) == {
        "base": "openai/gpt-4o",
        "aliases": ("gpt-4o-2024-08-06", "a b", "c", 7),
        "empty": (),
        "nothing": None,
        "pricing": {
            "input": Decimal("2.50"),
            "history": ({"effective": dt.date(2024, 5, 13), "input": 5}, {"until": None}),
            "url": "https://example.org/a:b",
        },
        "tags": ("one", Decimal("-1.5")),
    }
    assert typed(build_lines(text)) == typed(build_fast(text))


@pytest.mark.parametrize(
    "text",
    [
        "a: 1 # comment\n",
        "a: b: c\n",
        "a: 1\na: 2\n",
        "a:\n  b: 1\n c: 2\n",
        "a:\n- x\n",
        "a: |\n  x\n",
        "a: {b: 1}\n",
        "a: &x 1\n",
        'a: "esc\\n"\n',
        "a: x \n",
        "a:\tb\n",
        "a: 1\n---\nb: 2\n",
        "- a\n",
        "a: yes\n",
        "a: [x,\nz]\n",
        "a:\n- [x,\n  y]\n",
        "a: foo\n  bar\n",
        "",
        "# only a comment\n",
        "7" * 1030 + "key: 1\n",
    ],
)
def test_anything_else_is_left_to_pyyaml(text: str) -> None:
    with pytest.raises(Slow):
        build_lines(text)


@settings(max_examples=300)
@given(st.data())
def test_messy_documents_read_as_pyyaml_reads_them(data: st.DataObject) -> None:
    doc = data.draw(documents)
    text = Writer(data.draw, comments=data.draw(st.booleans())).text(doc)
    got = lines_or_none(text)
    if got is not None:
        assert got == fast_or_none(text)


@settings(max_examples=200)
@given(documents)
def test_what_the_writer_writes_is_read_without_pyyaml(doc: dict[str, Any]) -> None:
    text = render(doc, "# yaml-language-server: $schema=x")
    got = lines_or_none(text)
    if got is not None:
        assert got == fast_or_none(text)


_PIECES = [
    "a", "b", ":", ": ", " ", "  ", "- ", "-", "\n", "#", " #", "[", "]", ", ", "'", '"', "1",
    "1.5", "~", "yes", "2024-01-01", "x/y", "{", "}", "\\", ".", "é", "\ufeff", "%", "@", "?",
    "7" * 1030,
]  # fmt: skip


@settings(max_examples=1500)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_near_yaml_text_is_read_as_pyyaml_reads_it_or_refused(text: str) -> None:
    got = lines_or_none(text)
    if got is not None:
        assert got == fast_or_none(text)


@pytest.mark.skipif(not CATALOG.is_dir(), reason="no catalog in this checkout")
def test_the_catalog_files_read_the_same_and_most_without_pyyaml() -> None:
    files = sorted(CATALOG.rglob("*.yaml"))
    read = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        got = lines_or_none(text)
        if got is not None:
            read += 1
            assert got == fast_or_none(text), path
    assert read >= 0.9 * len(files)
