"""The catalog behind a client (llmaestro.clients.lookup): model ids, cached lookups that
never leave the client's provider, and a warning for every id the catalog lacks there."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmaestro._records import Offering
from llmaestro.clients import lookup as lookup_module
from llmaestro.clients.lookup import MAX_MODEL_ID, CatalogLookup, served_model, wire_model
from llmaestro.errors import AmbiguousModelWarning, UnknownModelWarning
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
    with pytest.warns(UnknownModelWarning, match="'openai/no-such-model-anywhere'"):
        assert lookup.offering("no-such-model-anywhere") is None
    assert "no-such-model-anywhere" in lookup._found
    assert lookup.offering("no-such-model-anywhere") is None  # once: no second warning


def _foreign_ids(registry: Registry) -> list[tuple[str, str]]:
    """(provider, model) pairs that name another provider's offering: DeepInfra's
    ``anthropic/claude-3-7-sonnet-latest`` seen as Anthropic's ``claude-3-7-sonnet-latest``
    (the registry resolves many of these across providers)."""
    providers = set(registry.provider_ids)
    pairs = []
    for full in registry.ids:
        head, slash, rest = full.partition("/")[2].partition("/")
        if slash and head in providers:
            pairs.append((head, rest))
    return pairs


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_lookup_never_crosses_providers(registry: Registry, data: st.DataObject) -> None:
    ids = registry.ids
    provider, model = data.draw(
        st.one_of(
            st.sampled_from(_foreign_ids(registry)),
            st.tuples(
                st.sampled_from(registry.provider_ids),
                st.one_of(
                    st.sampled_from(ids).map(lambda full: full.partition("/")[2]),
                    st.sampled_from(ids),
                    st.text(st.characters(codec="utf-8"), min_size=1, max_size=40),
                ),
            ),
        ),
        label="provider, model",
    )
    lookup = CatalogLookup(provider, registry)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        found = lookup.offering(model)
        again = lookup.offering(model)
    assert again is found
    if found is not None:
        assert found.provider == provider
        assert not [w for w in seen if issubclass(w.category, UnknownModelWarning)]
    else:  # never silent, and said once
        unknown = [w for w in seen if issubclass(w.category, UnknownModelWarning)]
        assert len(unknown) == 1 and repr(f"{provider}/{model}") in str(unknown[0].message)


def test_a_provider_the_catalog_lacks_is_looked_up_silently(registry: Registry) -> None:
    lookup = CatalogLookup("my-own-deployment", registry)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert lookup.offering("gpt-4o") is None  # not openai's gpt-4o


def test_served_model_ids_that_are_no_ids(registry: Registry) -> None:
    assert served_model("gpt-4o") == "gpt-4o"
    for value in (None, "", 42, ["gpt-4o"], "x" * (MAX_MODEL_ID + 1)):
        assert served_model(value) is None
    lookup = CatalogLookup("openai", registry)
    assert lookup.served("gpt-4o", None) is None and lookup.served("gpt-4o", "gpt-4o") is None


def test_no_catalog() -> None:
    lookup = CatalogLookup("openai", False)
    assert lookup.registry() is None and lookup.offering("gpt-4o") is None


def _tiny_registry() -> Registry:
    """acme sells ``acme/x`` twice (a model id and another model's alias) and ``acme/z``,
    which beta sells too."""
    offerings = [
        {"id": "acme/acme/x", "provider": "acme", "model": "acme/x"},
        {"id": "acme/y", "provider": "acme", "model": "y", "aliases": ["acme/x"]},
        {"id": "acme/acme/z", "provider": "acme", "model": "acme/z"},
        {"id": "beta/acme/z", "provider": "beta", "model": "acme/z"},
    ]
    providers = {p: {"id": p, "provider": p, "name": p.title()} for p in ("acme", "beta")}
    return Registry.from_document({"providers": providers, "canonical": {}, "offerings": offerings})


def test_an_id_several_own_offerings_answer_to_is_ambiguous() -> None:
    lookup = CatalogLookup("acme", _tiny_registry())
    with pytest.warns(AmbiguousModelWarning, match="'acme/acme/x', 'acme/y'"):
        assert lookup.offering("x") is None
    found = lookup.offering("z")  # one of the candidates is acme's own: that one
    assert found is not None and (found.provider, found.model) == ("acme", "acme/z")


def test_remembered_answers_are_bounded(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a server naming a new model in every response must not grow a client without bound
    monkeypatch.setattr(lookup_module, "MAX_CACHED", 3)
    lookup = CatalogLookup("openai", registry)
    names = [f"served-{i}" for i in range(8)] + ["served-7"]  # the last: said again
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        answers = [lookup.served("asked", name) for name in names]
    assert answers == [None] * 9 and len(lookup._found) == 3
    assert [w.category for w in seen] == [UnknownModelWarning] * 9
    found, lacking = lookup.resolve("gpt-4o")  # known ids still resolve past the bound
    assert found is not None and found.model == "gpt-4o" and not lacking
