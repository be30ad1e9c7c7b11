"""The catalog behind a client (llmaestro.clients.lookup): model ids and cached lookups."""

from __future__ import annotations

import pytest

from llmaestro._records import Offering
from llmaestro.clients.lookup import CatalogLookup, wire_model
from llmaestro.registry.core import Registry


def test_wire_model_ids() -> None:
    assert wire_model("openai", "openai/gpt-4o", None) == ("gpt-4o", None)
    assert wire_model("openai", "gpt-4o", None) == ("gpt-4o", None)
    assert wire_model("groq", "openai/gpt-oss-120b", None) == ("openai/gpt-oss-120b", None)
    assert wire_model("openai", None, "openai/gpt-4o-mini") == ("gpt-4o-mini", None)
    offering = Offering(provider="openai", model="tiny-1")
    assert wire_model("openai", offering, None) == ("tiny-1", offering)
    with pytest.raises(ValueError, match="not an offering of anthropic"):
        wire_model("anthropic", offering, None)
    with pytest.raises(ValueError, match="no model given"):
        wire_model("openai", None, None)


def test_lookups_are_cached_misses_included(registry: Registry) -> None:
    lookup = CatalogLookup("openai", registry)
    found = lookup.offering("gpt-4o")
    assert found is not None and found.provider == "openai" and found.model == "gpt-4o"
    assert lookup.offering("gpt-4o") is found
    assert lookup.offering("no-such-model-anywhere") is None
    assert "no-such-model-anywhere" in lookup._found


def test_no_catalog() -> None:
    lookup = CatalogLookup("openai", False)
    assert lookup.registry() is None and lookup.offering("gpt-4o") is None
