from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmaestro.catalog.yamlread import parse_yaml
from llmaestro.catalog.yamlread.positions import YamlDocument, build_slow, index_positions
from tests.conftest import ROOT


def codes(text: str) -> list[str]:
    return [d.code for d in parse_yaml(text.encode(), "f.yaml").diagnostics]


def test_prices_become_exact_decimals_without_float() -> None:
    doc = parse_yaml(b"a: 0.1\nb: 3\nc: 1e-7\nd: 0.30000000000000004\n", "f.yaml")
    assert doc.data == {
        "a": Decimal("0.1"),
        "b": 3,
        "c": Decimal("1e-7"),
        "d": Decimal("0.30000000000000004"),
    }


def test_sequences_are_tuples_and_positions_are_recorded() -> None:
    doc = parse_yaml(b"# c\nlist:\n  - x\n  - y: 1\n", "f.yaml")
    assert doc.data == {"list": ("x", {"y": 1})}
    assert doc.position("/list/1/y") == (4, 8)
    assert doc.position("/list", key=True) == (2, 1)


def test_dates_and_months() -> None:
    doc = parse_yaml(b"a: 2024-02-29\nb: 2024-10\nc: '2024-01-01'\n", "f.yaml")
    assert doc.data == {"a": dt.date(2024, 2, 29), "b": "2024-10", "c": "2024-01-01"}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a: 2023-02-29\n", "LM006"),
        ("a: 1\na: 2\n", "LM002"),
        ("a: &x 1\nb: *x\n", "LM003"),
        ("a: !!binary aGk=\n", "LM004"),
        ("a: on\n", "LM005"),
        ("a: Off\n", "LM005"),
        ("a: 017\n", "LM005"),
        ("a: 0x1f\n", "LM005"),
        ("a: 1:30\n", "LM005"),
        ("a: .nan\n", "LM005"),
        ("a: [1\n", "LM001"),
    ],
)
def test_hazards(text: str, code: str) -> None:
    assert code in codes(text)


def test_quoted_hazards_are_plain_strings() -> None:
    doc = parse_yaml(b"a: 'yes'\nb: \"0x1f\"\nc: '2025-02-31'\n", "f.yaml")
    assert doc.diagnostics == []
    assert doc.data == {"a": "yes", "b": "0x1f", "c": "2025-02-31"}


def test_non_utf8_and_size() -> None:
    assert [d.code for d in parse_yaml(b"a: \xff\n", "f").diagnostics] == ["LM008"]
    assert [d.code for d in parse_yaml(b"a: " + b"x" * (1 << 20), "f").diagnostics] == ["LM007"]


@given(st.binary(max_size=200))
def test_never_raises_on_arbitrary_bytes(raw: bytes) -> None:
    doc = parse_yaml(raw, "f.yaml")
    for d in doc.diagnostics:
        assert d.line >= 1 and d.column >= 1


@given(st.text(max_size=200))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    parse_yaml(text.encode("utf-8", "surrogatepass"), "f.yaml")


def test_positions_of_a_clean_file_are_the_walks_positions() -> None:
    """The one-loop index (used when the fast path read a file) records what the walk with
    diagnostics records, pointer for pointer, on real files and on the odd shapes."""
    files = sorted((ROOT / "catalog" / "providers" / "openai").rglob("*.yaml"))[:60]
    texts = [p.read_text("utf-8") for p in files]
    texts += [
        "a: 1\na: 2\n",
        "? [a, b]\n: 1\nc: [x, {d: 1}]\n",
        "",
        "- 1\n- [2, 3]\n",
        "a/b~c: 1\n",
    ]
    for text in texts:
        doc = YamlDocument()
        build_slow(text, "", doc)
        assert index_positions(text) == (doc.values, doc.keys), text[:200]
