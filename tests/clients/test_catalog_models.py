"""Which catalog offering a call is checked against and priced under (issue 14): never
another provider's, the model the response names when the requested id is unknown, a
warning for an unknown or ambiguous id, and always a cost breakdown, complete or marked
incomplete. Every client (sync, async, streamed) against a local server speaking the wire
format, with the shipped catalog."""

from __future__ import annotations

import warnings
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmaestro.clients import CapabilityError, OpenAICompatClient
from llmaestro.clients.lookup import CatalogLookup
from llmaestro.cost import CostBreakdown, cost
from llmaestro.errors import AmbiguousModelError, AmbiguousModelWarning, UnknownModelWarning
from llmaestro.registry.core import Registry
from tests.clients import _replies
from tests.clients._replies import MODES, call, make, serve
from tests.clients._server import FAKE_KEY, LocalServer

# The models these examples name may be past their deprecation date as of the suite's
# day: the lookup warns (DeprecatedModelWarning), which is not what these tests check.
pytestmark = pytest.mark.filterwarnings("ignore::llmaestro.DeprecatedModelWarning")

#: (provider, an id the catalog lacks there, the model the response names, its catalog id)
ALIASES = [
    (
        "anthropic",
        "claude-3-opus-latest",
        "claude-3-opus-20240229",
        "anthropic/claude-3-opus-20240229",
    ),
    ("openai", "gpt-4o-canary", "gpt-4o-2024-08-06", "openai/gpt-4o"),
    ("google", "gemini-2.5-flash-unlisted", "gemini-2.5-flash", "google/gemini-2.5-flash"),
]


@pytest.mark.parametrize("mode", MODES)
def test_another_providers_offering_is_never_used(
    server: LocalServer, registry: Registry, mode: str
) -> None:
    # The catalog has no anthropic/claude-3-7-sonnet-latest; DeepInfra sells an offering whose
    # model id is anthropic/claude-3-7-sonnet-latest (3.3/16.5 USD, 200k output tokens).
    serve(server, "anthropic", "claude-3-7-sonnet-20250219")  # what Anthropic answers with
    with make(server, "anthropic", registry) as client:
        with pytest.warns(UnknownModelWarning, match="deepinfra/anthropic/claude-3-7-sonnet"):
            reply = call(client, mode, "claude-3-7-sonnet-latest", max_tokens=100)
        own = registry.get("anthropic/claude-3-7-sonnet-20250219")
        assert reply.cost == cost(own, reply.usage)  # Anthropic's prices, not DeepInfra's
        assert reply.cost.provider == "anthropic" and reply.cost.complete
        assert reply.cost.input == Decimal("3.0") * 20 / 1_000_000
        # the next call is checked against Anthropic's limits (64k), not DeepInfra's (200k)
        with pytest.raises(CapabilityError, match="at most 64000"):
            call(client, mode, "claude-3-7-sonnet-latest", max_tokens=100_000)
    assert len(server.requests) == 1  # the refused call was never sent


def test_an_unknown_id_resolving_elsewhere_is_not_used(
    server: LocalServer, registry: Registry
) -> None:
    # openai/gpt-oss-120b is no OpenAI offering but the model id of many others (and the
    # canonical model they are linked to); an OpenAI call must not be priced or checked
    # under any of them
    with pytest.raises(AmbiguousModelError):
        registry.get("gpt-oss-120b", provider="openai")
    serve(server, "openai", "gpt-oss-120b")
    with (
        make(server, "openai", registry) as client,
        pytest.warns(AmbiguousModelWarning, match="openai/gpt-oss-120b"),
    ):
        reply = call(client, "chat", "gpt-oss-120b")
    assert reply.cost.provider == "openai" and not reply.cost.complete
    assert reply.cost.input is None and reply.cost.output is None


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("provider", "requested", "served", "catalog_id"), ALIASES)
def test_the_model_the_response_names_prices_and_checks(
    server: LocalServer,
    registry: Registry,
    mode: str,
    provider: str,
    requested: str,
    served: str,
    catalog_id: str,
) -> None:
    offering = registry.get(catalog_id)
    assert offering.limits is not None and offering.limits.max_output is not None
    serve(server, provider, served)
    with make(server, provider, registry) as client:
        with pytest.warns(UnknownModelWarning, match=requested) as seen:
            reply = call(client, mode, requested, max_tokens=50)
        assert len(seen) == 1  # the requested id only: the served one is known
        assert seen[0].filename == _replies.__file__  # where the call was made
        assert reply.model == served
        assert reply.cost == cost(offering, reply.usage) and reply.cost.complete
        assert reply.cost.total > 0
        too_many = offering.limits.max_output + 1
        with warnings.catch_warnings():  # learnt: no second warning, the served model's limits
            warnings.simplefilter("error")
            with pytest.raises(CapabilityError, match=f"at most {offering.limits.max_output}"):
                call(client, mode, requested, max_tokens=too_many)
            assert call(client, mode, requested, max_tokens=50).cost == reply.cost
    assert len(server.requests) == 2


def test_each_response_is_priced_under_the_model_it_names(
    server: LocalServer, registry: Registry
) -> None:
    # a router-like id: every answer may come from another model
    serve(server, "openai", "gpt-4o-2024-08-06")
    with make(server, "openai", registry) as client:
        with pytest.warns(UnknownModelWarning, match="router-unlisted"):
            first = call(client, "chat", "router-unlisted")
        serve(server, "openai", "gpt-4o-mini")
        second = call(client, "stream", "router-unlisted")
        serve(server, "openai", None)  # names no model: the one learnt is not assumed
        third = call(client, "achat", "router-unlisted")
    assert first.cost == cost(registry.get("openai/gpt-4o"), first.usage)
    assert second.cost == cost(registry.get("openai/gpt-4o-mini"), second.usage)
    assert not third.cost.complete and third.cost.input is None


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("provider", ["openai", "anthropic", "google"])
def test_an_unknown_model_has_an_incomplete_breakdown(
    server: LocalServer, registry: Registry, mode: str, provider: str
) -> None:
    serve(server, provider, "no-such-model-served")
    with make(server, provider, registry) as client, pytest.warns(UnknownModelWarning) as seen:
        reply = call(client, mode, "no-such-model-asked", max_tokens=50)
    messages = [str(w.message) for w in seen]
    assert len(messages) == 2  # the requested id, then the served one
    assert "no-such-model-asked" in messages[0] and "sent unchecked" in messages[0]
    assert "no-such-model-served" in messages[1] and "incomplete" in messages[1]
    assert {w.filename for w in seen} == {_replies.__file__}  # the caller's line, not ours
    breakdown = reply.cost
    assert isinstance(breakdown, CostBreakdown) and not breakdown.complete
    assert (breakdown.provider, breakdown.model) == (provider, "no-such-model-served")
    assert breakdown.input is None and breakdown.output is None  # never a plausible number
    assert set(breakdown.unknown) == {"input", "output", "requests"}
    assert breakdown.total == 0 and breakdown.to_dict()["complete"] is False
    assert any("no offering" in note for note in breakdown.notes)


def test_no_catalog_is_silent_and_incomplete(server: LocalServer) -> None:
    serve(server, "openai", "gpt-4o-2024-08-06")
    with make(server, "openai", False) as client, warnings.catch_warnings():
        warnings.simplefilter("error")  # no catalog asked for: nothing to warn about
        reply = call(client, "chat", "gpt-4o")
    assert not reply.cost.complete and reply.cost.output is None
    assert reply.cost.notes == ("no catalog",)


def test_an_ambiguous_id_is_a_warning(server: LocalServer, registry: Registry) -> None:
    # anthropic/claude-4-opus is no Anthropic offering but the model id of two others
    serve(server, "anthropic", "claude-4-opus")
    with (
        make(server, "anthropic", registry) as client,
        pytest.warns(AmbiguousModelWarning, match="deepinfra/anthropic/claude-4-opus"),
    ):
        reply = call(client, "chat", "claude-4-opus", max_tokens=50)
    assert not reply.cost.complete and reply.cost.provider == "anthropic"


@pytest.mark.parametrize(("tier", "complete"), [("scale", False), ("priority", True)])
def test_a_service_tier_is_priced_as_itself_or_not_at_all(
    server: LocalServer, registry: Registry, tier: str, complete: bool
) -> None:
    serve(server, "openai", "gpt-4o-2024-08-06", tier=tier)
    with make(server, "openai", registry) as client:
        reply = call(client, "chat", "gpt-4o")
    standard = cost(registry.get("openai/gpt-4o"), reply.usage)
    assert reply.cost.complete is complete and reply.cost != standard
    if complete:
        assert reply.cost == cost(registry.get("openai/gpt-4o"), reply.usage, service_tier=tier)
    else:
        assert reply.cost.input is None and "service tier" in reply.cost.notes[0]


def test_warnings_are_one_line_and_redacted(server: LocalServer, registry: Registry) -> None:
    served = f"model-{FAKE_KEY}\x1b]8;;http://x\x07\n\u2028next"
    serve(server, "openai", served)
    with make(server, "openai", registry) as client, pytest.warns(UnknownModelWarning) as seen:
        reply = call(client, "chat", "asked\nforged line")
    assert reply.model == served
    for w in seen:
        text = str(w.message)
        assert FAKE_KEY not in text
        assert not any(c in text for c in "\n\r\x1b\x07\u2028")


def test_whatever_the_response_names_the_reply_is_priced_at_this_provider_or_not(
    registry: Registry,
) -> None:
    bare = [full.partition("/")[2] for full in registry.ids[::5]]
    served_values = st.one_of(
        st.none(),
        st.integers(),
        st.lists(st.text(max_size=5), max_size=2),
        st.text(max_size=300),
        st.sampled_from(bare),
    )
    server = LocalServer()

    @settings(max_examples=30, deadline=None)
    @given(served=served_values)
    def check(served: object) -> None:
        serve(server, "openai", served)
        with (
            make(server, "openai", registry) as client,
            warnings.catch_warnings(record=True) as seen,
        ):
            warnings.simplefilter("always")
            reply = call(client, "chat", "asked-but-unknown")
            known = CatalogLookup("openai", registry).served("asked-but-unknown", served)
        breakdown = reply.cost
        assert isinstance(breakdown, CostBreakdown) and breakdown.provider == "openai"
        if known is None:  # not an OpenAI offering: nothing priced, nothing borrowed
            assert breakdown.input is None and breakdown.output is None
        else:
            assert known.provider == "openai" and breakdown == cost(known, reply.usage)
        named = served if isinstance(served, str) and served else "asked-but-unknown"
        assert reply.model == named
        for w in seen:
            assert not any(c in str(w.message) for c in "\n\r\x1b")

    try:
        check()
    finally:
        server.close()


def test_a_keyless_client_masks_key_shapes_in_its_warnings(
    server: LocalServer, registry: Registry
) -> None:
    echoed = "sk-proj-" + "Zq8" * 16  # a key another process pasted, echoed as the model
    serve(server, "openai", echoed)
    client = OpenAICompatClient(
        provider="openai", base_url=server.url + "/v1", registry=registry, retry=None
    )
    with client, pytest.warns(UnknownModelWarning) as seen:
        call(client, "chat", "asked-unknown")
    assert len(seen) == 2 and all(echoed[:12] not in str(w.message) for w in seen)
