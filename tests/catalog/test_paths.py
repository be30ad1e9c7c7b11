from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmaestro.catalog.paths import decode_id, decode_segment, encode_id, encode_segment

segment = st.text(min_size=1, max_size=40).filter(lambda s: "/" not in s)
ids = st.lists(segment, min_size=1, max_size=4).map("/".join)

WINDOWS_FORBIDDEN = set('<>:"\\|?*') | {chr(c) for c in range(32)}


@given(ids)
def test_round_trip(model_id: str) -> None:
    assert decode_id(encode_id(model_id)) == model_id


@given(segment)
def test_file_names_are_portable(seg: str) -> None:
    name = encode_segment(seg)
    assert name == name.lower()
    assert not (set(name) & WINDOWS_FORBIDDEN)
    assert not name.startswith(".") and not name.endswith(".")
    assert name.split(".")[0] not in {"con", "prn", "aux", "nul", "com1", "lpt1"}


@given(segment, segment)
def test_distinct_ids_never_share_a_case_folded_name(a: str, b: str) -> None:
    if a != b:
        assert encode_segment(a).casefold() != encode_segment(b).casefold()


@pytest.mark.parametrize(
    ("model_id", "path"),
    [
        ("gpt-4o", "gpt-4o"),
        ("meta-llama/Meta-Llama-3-8B", "meta-llama/^meta-^llama-3-8^b"),
        ("anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-haiku-20240307-v1~3a0"),
        ("con", "~63on"),
        (".hidden.", "~2ehidden~2e"),
        ("a~b^c", "a~7eb~5ec"),
    ],
)
def test_examples(model_id: str, path: str) -> None:
    assert encode_id(model_id) == path
    assert decode_id(path) == model_id


@pytest.mark.parametrize("name", ["Foo", "a~3A", "a~zz", "~61", "", "x^"])
def test_non_canonical_names_are_rejected(name: str) -> None:
    with pytest.raises(ValueError, match=r"canonical|escapes"):
        decode_segment(name)


@given(st.text(alphabet="abcnulpr01._-^~A3eZ", max_size=8))
def test_a_name_decodes_exactly_when_it_is_the_encoding_of_its_id(name: str) -> None:
    try:
        decoded = decode_segment(name)
    except ValueError:
        return
    assert encode_segment(decoded) == name
