"""A lookup that misses never echoes an API key passed where an id was meant: not in the
message, the repr, ``wanted`` or a traceback's last line; ordinary ids are shown as given."""

from __future__ import annotations

import datetime as dt
import string
import traceback
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import llmaestro
from llmaestro.errors import LookupFailedError

#: key shapes the masker knows (llmaestro._http.redact), with a random key-like body
PREFIXES = ("sk-", "sk-proj-", "sk-ant-api03-", "AIza", "ghp_", "github_pat_", "gsk_", "xai-")
BODY = st.text(alphabet=string.ascii_letters + string.digits, min_size=40, max_size=64).filter(
    lambda b: any(c.isdigit() for c in b) and any(c.isalpha() for c in b)
)

REGISTRY = llmaestro.load(today=dt.date(2026, 6, 1))
LOOKUPS: dict[str, Callable[[str], object]] = {
    "get": REGISTRY.get,
    "get(provider=)": lambda key: REGISTRY.get(key, provider="openai"),
    "provider": REGISTRY.provider,
    "canonical_model": REGISTRY.canonical_model,
    "offerings_of": REGISTRY.offerings_of,
}


def _shown(exc: BaseException) -> str:
    return "\n".join([str(exc), repr(exc), *traceback.format_exception_only(exc)])


@settings(max_examples=60, deadline=None)
@given(
    prefix=st.sampled_from(PREFIXES),
    body=BODY,
    head=st.sampled_from(["", "openai/", "anthropic/"]),
    lookup=st.sampled_from(sorted(LOOKUPS)),
)
def test_a_key_given_as_an_id_is_masked(prefix: str, body: str, head: str, lookup: str) -> None:
    key = prefix + body
    with pytest.raises(LookupFailedError) as caught:
        LOOKUPS[lookup](head + key)
    text = _shown(caught.value) + caught.value.wanted
    assert body not in text and body[-12:] not in text and body[:12] not in text
    assert "***" in caught.value.wanted


@pytest.mark.parametrize(
    ("wanted", "near"),
    [
        ("openai/gpt-4o-minx", "openai/gpt-4o-mini"),
        ("anthropic/claude-sonnet-4-5-2025092x", "anthropic/claude-sonnet-4-5-20250929"),
    ],
)
def test_an_ordinary_id_is_shown_as_given_with_close_names(wanted: str, near: str) -> None:
    with pytest.raises(llmaestro.UnknownModelError) as caught:
        REGISTRY.get(wanted)
    assert caught.value.wanted == wanted
    assert f"`{wanted}`" in str(caught.value) and near in caught.value.suggestions
