"""The LiteLLM export registered whole into the real litellm (the `bench` extra; `make test`
installs it). Never skipped: without litellm this module fails to import.

litellm stays offline: it reads its packaged cost map (``LITELLM_LOCAL_MODEL_COST_MAP``, which
1.110.2 honours at import and on every map load), downloads nothing else
(``LITELLM_OFFLINE_MODE``), and every call into it runs with sockets refused, the attempts
recorded and asserted empty.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

import llmaestro
from llmaestro.catalog.importers.provider_map import LITELLM_PROVIDERS
from llmaestro.cost import Usage, cost
from llmaestro.exports.litellm import REFUSED, LiteLLMExport, build_litellm_export

os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"  # the packaged map, no fetch at import
os.environ["LITELLM_OFFLINE_MODE"] = "true"  # no other download (tokenizers, templates …)


@contextlib.contextmanager
def no_network() -> Iterator[list[object]]:
    """Refuse every connection and name lookup; yield the list of attempts."""
    attempts: list[object] = []
    saved = socket.socket.connect, socket.getaddrinfo

    def connect(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network refused in tests")

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> Any:
        attempts.append(host)
        raise OSError("network refused in tests")

    socket.socket.connect = connect  # type: ignore[assignment]
    socket.getaddrinfo = getaddrinfo
    try:
        # litellm prints a banner to stdout when a lookup misses, and logs a warning per new
        # key it registers: neither is what these tests check
        with contextlib.redirect_stdout(io.StringIO()), _quiet_litellm():
            yield attempts
    finally:
        socket.socket.connect, socket.getaddrinfo = saved  # type: ignore[method-assign]


@contextlib.contextmanager
def _quiet_litellm() -> Iterator[None]:
    logger = logging.getLogger("LiteLLM")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


with no_network() as _import_attempts:
    import litellm
assert _import_attempts == [], _import_attempts

pytestmark: list[pytest.MarkDecorator] = [
    pytest.mark.filterwarnings(
        # pydantic warns when litellm (1.110.2) builds a schema of one of its own TypedDicts with
        # `ReadOnly` items, the first time it routes a provider (e.g. Mistral): litellm's, not ours
        "ignore:Items? .* on TypedDict class .* using the `ReadOnly` qualifier:UserWarning"
    ),
    # well-known models past their deprecation date as of the suite's day warn on lookup
    # (DeprecatedModelWarning): prices, not lifecycle, are checked here
    pytest.mark.filterwarnings("ignore::llmaestro.DeprecatedModelWarning"),
]

#: LiteLLM providers whose lookups ask a server (see REFUSED): their own keys are not looked up
_ASKS_A_SERVER = frozenset(REFUSED)


@dataclass(frozen=True)
class Registered:
    registry: llmaestro.Registry
    export: LiteLLMExport
    before: dict[str, Any]
    """get_model_info of each of LiteLLM's own keys before registering (None: it raised)."""


def _info(name: str, **kwargs: Any) -> Any:
    try:
        return litellm.get_model_info(name, **kwargs)
    except Exception:  # litellm raises its own exceptions (and ValueError) for unmapped models
        return None


def _own_keys() -> list[str]:
    return sorted(
        key
        for key, value in litellm.model_cost.items()
        if isinstance(value, dict)
        and isinstance(value.get("litellm_provider"), str)
        and value["litellm_provider"] in LITELLM_PROVIDERS
        and value["litellm_provider"] not in _ASKS_A_SERVER
    )


@pytest.fixture(scope="module")
def registered() -> Registered:
    registry = llmaestro.load()
    export = build_litellm_export(registry)  # the whole export, every provider
    with no_network() as attempts:
        before = {key: _info(key) for key in _own_keys()}
        litellm.register_model(export.model_cost)
    assert attempts == []
    return Registered(registry, export, before)


def _same_provider(a: str, b: str) -> bool:
    """One of our providers (LiteLLM splits some: bedrock/bedrock_converse, vertex_ai-*)."""
    return LITELLM_PROVIDERS[a].provider == LITELLM_PROVIDERS[b].provider or (
        a.startswith("vertex_ai") and b.startswith("vertex_ai")
    )


def test_litellm_s_own_entries_still_resolve_to_their_provider(registered: Registered) -> None:
    resolved = {k: v for k, v in registered.before.items() if v is not None}
    assert len(resolved) > 4000  # the comparison below is over LiteLLM's whole map
    moved = []
    with no_network() as attempts:
        for key, old in resolved.items():
            new = _info(key)
            if new is None or not _same_provider(old["litellm_provider"], new["litellm_provider"]):
                moved.append((key, old["litellm_provider"], new and new["litellm_provider"]))
            elif new.get("mode") != old.get("mode"):  # e.g. `responses` (LiteLLM's routing)
                moved.append((key, old.get("mode"), new.get("mode")))
    assert attempts == []
    assert moved == []


@pytest.mark.parametrize(
    ("bare", "offering_id"),
    [
        ("gpt-4o", "openai/gpt-4o"),
        ("gpt-4o-mini", "openai/gpt-4o-mini"),
        ("o3-mini", "openai/o3-mini"),
        ("text-embedding-3-small", "openai/text-embedding-3-small"),
        ("claude-sonnet-4-5", "anthropic/claude-sonnet-4-5"),
        ("claude-haiku-4-5", "anthropic/claude-haiku-4-5"),
        ("gemini-2.5-flash", "google-vertex/gemini-2.5-flash"),
        ("anthropic.claude-3-5-sonnet-20240620-v1:0",
         "amazon-bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0"),
        ("amazon.nova-pro-v1:0", "amazon-bedrock/amazon.nova-pro-v1:0"),
        ("command-r-08-2024", "cohere/command-r-08-2024"),
    ],
)  # fmt: skip
def test_litellm_s_bare_ids_keep_their_provider_and_take_its_facts(
    registered: Registered, bare: str, offering_id: str
) -> None:
    old = registered.before[bare]
    assert old is not None, f"LiteLLM 1.110.2 lists `{bare}`"
    offering = registered.registry.get(offering_id)
    with no_network() as attempts:
        new = _info(bare)
        prompt, completion = litellm.cost_per_token(
            model=bare, prompt_tokens=1000, completion_tokens=100
        )
    assert attempts == []
    assert new is not None
    assert _same_provider(old["litellm_provider"], new["litellm_provider"])
    breakdown = cost(offering, Usage(input_tokens=1000, output_tokens=100))
    assert prompt == pytest.approx(float(breakdown.input or 0), rel=1e-9, abs=1e-15)
    assert completion == pytest.approx(float(breakdown.output or 0), rel=1e-9, abs=1e-15)


#: well-known offerings and the names LiteLLM routes them by (the export's keys; LiteLLM's own
#: bare key too where it has one)
WELL_KNOWN: list[tuple[str, tuple[str, ...]]] = [
    ("openai/gpt-4o", ("openai/gpt-4o", "gpt-4o")),
    ("openai/gpt-4o-mini", ("openai/gpt-4o-mini", "gpt-4o-mini")),
    ("openai/gpt-4.1", ("openai/gpt-4.1", "gpt-4.1")),
    ("openai/gpt-5", ("openai/gpt-5", "gpt-5")),
    ("openai/o3-mini", ("openai/o3-mini", "o3-mini")),
    ("openai/text-embedding-3-small", ("openai/text-embedding-3-small",)),
    ("anthropic/claude-sonnet-4-5", ("anthropic/claude-sonnet-4-5", "claude-sonnet-4-5")),
    ("anthropic/claude-haiku-4-5", ("anthropic/claude-haiku-4-5", "claude-haiku-4-5")),
    ("anthropic/claude-opus-4-1", ("anthropic/claude-opus-4-1",)),  # LiteLLM lists it not bare
    ("google/gemini-2.5-flash", ("gemini/gemini-2.5-flash",)),
    ("google/gemini-2.5-pro", ("gemini/gemini-2.5-pro",)),
    ("google-vertex/gemini-2.5-flash", ("vertex_ai/gemini-2.5-flash", "gemini-2.5-flash")),
    ("google-vertex/gemini-2.5-pro", ("vertex_ai/gemini-2.5-pro", "gemini-2.5-pro")),
    ("google-vertex-anthropic/claude-sonnet-4-5@20250929",
     ("vertex_ai/claude-sonnet-4-5@20250929",)),
    ("amazon-bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
     ("bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
      "anthropic.claude-3-5-sonnet-20240620-v1:0")),
    ("amazon-bedrock/amazon.nova-pro-v1:0",
     ("bedrock/amazon.nova-pro-v1:0", "amazon.nova-pro-v1:0")),
    ("groq/llama-3.3-70b-versatile", ("groq/llama-3.3-70b-versatile",)),
    ("groq/openai/gpt-oss-120b", ("groq/openai/gpt-oss-120b",)),
    ("mistral/mistral-large-latest", ("mistral/mistral-large-latest",)),
    ("deepseek/deepseek-chat", ("deepseek/deepseek-chat",)),
    ("deepseek/deepseek-reasoner", ("deepseek/deepseek-reasoner",)),
    ("cohere/command-r-08-2024", ("cohere/command-r-08-2024", "command-r-08-2024")),
    ("azure/gpt-4o", ("azure/gpt-4o",)),
    ("togetherai/meta-llama/Llama-3.3-70B-Instruct-Turbo",
     ("together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo",)),
    ("fireworks-ai/accounts/fireworks/models/deepseek-v3",
     ("fireworks_ai/accounts/fireworks/models/deepseek-v3",)),
    ("cerebras/llama3.1-8b", ("cerebras/llama3.1-8b",)),
    ("perplexity/sonar", ("perplexity/sonar",)),
    ("moonshotai/kimi-k2-0905-preview", ("moonshot/kimi-k2-0905-preview",)),
    ("openrouter/anthropic/claude-sonnet-4.5", ("openrouter/anthropic/claude-sonnet-4.5",)),
]  # fmt: skip


@pytest.mark.parametrize(("offering_id", "names"), WELL_KNOWN, ids=[w[0] for w in WELL_KNOWN])
@pytest.mark.parametrize(("prompt_tokens", "completion_tokens"), [(1200, 345), (31, 4000)])
def test_well_known_models_read_back_as_llmaestro_prices_them(
    registered: Registered,
    offering_id: str,
    names: tuple[str, ...],
    prompt_tokens: int,
    completion_tokens: int,
) -> None:
    offering = registered.registry.get(offering_id)
    assert names[0] in registered.export.model_cost  # the export's own key
    limits = offering.limits
    assert limits is not None and limits.max_output is not None
    breakdown = cost(offering, Usage(input_tokens=prompt_tokens, output_tokens=completion_tokens))
    assert breakdown.complete
    assert breakdown.total == (breakdown.input or 0) + (breakdown.output or 0)
    for name in names:
        with no_network() as attempts:
            info = _info(name)
            prompt, completion = litellm.cost_per_token(
                model=name, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens
            )
        assert attempts == []
        assert info is not None, name
        assert info["max_input_tokens"] == (limits.max_input or limits.context), name
        assert info["max_output_tokens"] == limits.max_output, name
        # Decimal (exact) against LiteLLM's floats: equal up to float rounding
        assert prompt == pytest.approx(float(breakdown.input or 0), rel=1e-9, abs=1e-15), name
        assert completion == pytest.approx(float(breakdown.output or 0), rel=1e-9, abs=1e-15), name


def test_context_tiers_read_back(registered: Registered) -> None:
    offering = registered.registry.get("google/gemini-2.5-pro")
    assert offering.pricing is not None and offering.pricing.tiers  # priced above 200k tokens
    usage = Usage(input_tokens=250_000, output_tokens=2_000)
    breakdown = cost(offering, usage)
    assert breakdown.prices.context_tier == 200_000  # the tier applied
    with no_network() as attempts:
        prompt, completion = litellm.cost_per_token(
            model="gemini/gemini-2.5-pro", prompt_tokens=250_000, completion_tokens=2_000
        )
    assert attempts == []
    assert prompt == pytest.approx(float(breakdown.input or 0), rel=1e-9)
    assert completion == pytest.approx(float(breakdown.output or 0), rel=1e-9)


def test_the_export_names_providers_litellm_knows_or_our_own(registered: Registered) -> None:
    routed = {str(getattr(p, "value", p)) for p in litellm.provider_list}
    in_its_map = {v["litellm_provider"] for v in registered.before.values() if v is not None}
    known = routed | in_its_map  # LiteLLM's names: routed, or its cost map's sub-providers
    named = {entry["litellm_provider"] for entry in registered.export.model_cost.values()}
    assert named - known <= set(registered.registry.provider_ids)  # the rest: our own ids
    assert len(named - known) > 50  # … which the default export keeps
    only = build_litellm_export(registered.registry, only_litellm_providers=True)
    assert {e["litellm_provider"] for e in only.model_cost.values()} <= known
    assert len(only.model_cost) > 5000
