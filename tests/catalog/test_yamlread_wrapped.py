"""Wrapped lines (a flow sequence continued after its commas, a plain scalar on the line below
its key) are read by the line reader as PyYAML reads them, or left to PyYAML; and the other
shortcuts of the listing and the secret pre-filter give what the long ways give."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmaestro.catalog import rules
from llmaestro.catalog.reading import child_path
from llmaestro.catalog.validate_parallel import balanced, share_weight
from llmaestro.catalog.yamlread.lines import build_lines, unwrap
from llmaestro.catalog.yamlread.scalars import Slow
from tests.catalog.test_yamlread_lines import fast_or_none, lines_or_none


def test_a_wrapped_base_omit_is_read_on_one_line() -> None:
    text = (
        "base: a/b\n"
        "base_omit: [capabilities.reasoning.toggle, capabilities.reasoning.summaries, \n"
        "    capabilities.streaming, lifecycle.last_updated]\n"
        "limits:\n"
        "  extended_context_via:\n"
        "    url: \n"
        "      https://docs.example.com/a/very/long/path.html#anchor\n"
        "    value: 7\n"
        "  max_input: \n"
        "    200000\n"
    )
    assert build_lines(text) == {
        "base": "a/b",
        "base_omit": (
            "capabilities.reasoning.toggle",
            "capabilities.reasoning.summaries",
            "capabilities.streaming",
            "lifecycle.last_updated",
        ),
        "limits": {
            "extended_context_via": {
                "url": "https://docs.example.com/a/very/long/path.html#anchor",
                "value": 7,
            },
            "max_input": 200000,
        },
    }
    assert lines_or_none(text) == fast_or_none(text)
    assert build_lines("a: 1.50#x\n") == {"a": "1.50#x"}
    assert build_lines("a: [x,\n  w]\n") == {"a": ("x", "w")}
    assert build_lines("a:\n  -1.5\n") == {"a": Decimal("-1.5")}


@pytest.mark.parametrize(
    "text",
    [
        "a: [x,\nz]\n",  # the continuation no deeper than its key
        "a:\n  b: [x,\n  z]\n",
        "a: [x\n  , z]\n",  # broken before the comma
        "a: [x,\n\n  z]\n",  # a blank line inside
        "a: [x,\n  # c\n  z]\n",
        "a:\nz\n",
        "a:\n  z # comment\n",
        "a:\n  - z\n  y\n",
        "a:\n  z\n  more\n",  # a scalar of two lines
        "- a:\n  z\n",  # no deeper than the key after the dash
        "a: 1 #c\n",
    ],
)
def test_other_breaks_are_left_to_pyyaml(text: str) -> None:
    with pytest.raises(Slow):
        build_lines(text)


def test_unwrap_changes_only_what_it_joins() -> None:
    text = "a: [x, y]\nb:\n  c: 1\n"
    assert unwrap(text) == text
    assert unwrap("a: [x, \n   y, \n   z]\n") == "a: [x, y, z]\n"
    assert unwrap("- k: \n    v\n") == "- k: v\n"


_PIECES = [
    "a", "b", "k", ": ", ":", " ", "  ", "    ", "- ", "\n", "\n  ", "\n    ", ", \n  ", ",\n",
    ",\n    ", "[", "]", ", ", "#", " #", "1", "-1", "1.5", "yes", "'q'", '"d"', "x/y", "~",
]  # fmt: skip


@settings(max_examples=1500)
@given(st.lists(st.sampled_from(_PIECES), max_size=24).map("".join))
def test_wrapped_near_yaml_reads_as_pyyaml_reads_it_or_is_refused(text: str) -> None:
    got = lines_or_none(text)
    if got is not None:
        assert got == fast_or_none(text)


@settings(max_examples=300)
@given(
    st.lists(st.sampled_from(["model", "a", "x.y", "-", "_", "1"]), min_size=1, max_size=4),
    st.integers(min_value=1, max_value=40),
)
def test_wrapped_flow_sequences_of_any_width_read_as_pyyaml(parts: list[str], n: int) -> None:
    items = [f"m{''.join(parts)}{i}" for i in range(n)]
    lines, line = [], "key: ["
    for item in items:
        if len(line) > 30:
            lines.append(line.rstrip())
            line = "    "
        line += item + ", "
    text = "\n".join([*lines, line[:-2] + "]"]) + "\n"
    got = lines_or_none(text)
    assert got is not None
    assert got == fast_or_none(text)


def test_a_listed_child_path_is_the_path_of_the_entry(tmp_path: Path) -> None:
    for name in ("a.yaml", "b~40c.yaml", "sub"):
        (tmp_path / name).touch()
    for entry in os.scandir(tmp_path):
        made, parsed = child_path(tmp_path, entry.name), Path(entry.path)
        assert (made, str(made), hash(made), made.parts) == (
            parsed,
            str(parsed),
            hash(parsed),
            parsed.parts,
        )


@pytest.mark.parametrize(
    ("raw", "maybe"),
    [
        (b"a: secretoken=1\n", True),  # two heads sharing a letter: the second one counts
        (b"a: basicsk-1\n", True),
        (b"a: tokens: 1\nkey_env: X\n", False),
        (b"headers: {Authorization: Bearer x}\n", True),
        (b"a: token\n", False),
    ],
)
def test_the_secret_prefilter_tries_every_head(raw: bytes, maybe: bool) -> None:
    assert rules.may_hold_secret(raw, ()) is maybe
    assert bool(rules._MAYBE_SECRET_BYTES.search(raw.lower())) is maybe


@settings(max_examples=300)
@given(
    st.dictionaries(st.text("abcdefgh", min_size=1, max_size=3), st.integers(1, 500), min_size=2),
    st.integers(2, 4),
)
def test_shares_hold_every_provider_once_and_the_parent_one_at_least(
    weights: dict[str, int], jobs: int
) -> None:
    shares = balanced(weights, jobs)
    assert shares[0]
    assert all(shares) and len(shares) <= jobs
    assert sorted(pid for share in shares for pid in share) == sorted(weights)


def test_a_providers_weight_counts_its_entries_nested_ones_too(tmp_path: Path) -> None:
    models = tmp_path / "models"
    (models / "sub" / "deeper").mkdir(parents=True)
    for name in ("a.yaml", "b.yaml", "sub/c.yaml", "sub/deeper/d.yaml", "stray.txt"):
        (models / name).write_text("x: 1\n")
    # provider.yaml, 3 entries in models/, 2 in sub/, 1 in deeper/
    assert share_weight(tmp_path) == 1 + 4 + 2 + 1
    assert share_weight(tmp_path / "missing") == 1
