"""The secret pre-filter: its cheap literal test never hides what the key-shape search finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from llmaestro.catalog import rules

_PIECES = [
    "sk-", "AIza", "ghp_", "gho_", "GHU_", "ghs_", "ghr_", "gh", "github_pat_", "gsk_", "xai-",
    "hf_", "pplx-", "r8_",
    "Bearer ", "basic\t", "key", "token", "Secret", "password", "=", ":", '"', "'", " ", "\n",
    "a", "g", "h", "k", "-", "_",
]  # fmt: skip


@settings(max_examples=500)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_the_literal_test_is_true_wherever_the_shape_search_matches(text: str) -> None:
    raw = text.encode()
    found = bool(rules._MAYBE_SECRET_BYTES.search(raw.lower()))
    if found:
        assert rules.may_hold_secret(raw, ())
    assert rules.may_hold_secret(raw, ()) == found


def test_the_key_variables_values_are_looked_for() -> None:
    assert not rules.may_hold_secret(b"name: plain\n", ())
    assert rules.may_hold_secret(b"name: plain-VALUE-of-a-key\n", (b"value-of-a-key",))
