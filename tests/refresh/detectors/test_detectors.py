"""Every detector against a local server replaying its provider's documented listing format:
pagination, parsing that tolerates extra fields, translation into catalog facts, and which
facts each API is authoritative for."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from llmaestro.refresh.detectors import BUILTIN_DETECTORS, Observation
from llmaestro.refresh.registry import DETECTORS
from tests.refresh._providers import SPECS, serve
from tests.refresh._server import FAKE_KEY, LocalServer
from tests.refresh.conftest import FIXTURE_CATALOG, NOW, detector_options


def detect(server: LocalServer, provider: str, catalog: Path = FIXTURE_CATALOG) -> Observation:
    base_url = serve(server, provider)
    detector = DETECTORS.create(
        provider, catalog=catalog, base_url=base_url, api_key=FAKE_KEY, **detector_options()
    )
    return detector.detect()


def facts(observation: Observation, model: str) -> dict[str, Any]:
    return dict(observation.by_id()[model].facts)


def test_twelve_builtin_detectors_cover_the_catalog_providers() -> None:
    assert set(BUILTIN_DETECTORS) == set(SPECS)
    assert len(BUILTIN_DETECTORS) >= 12
    for provider in BUILTIN_DETECTORS:
        assert (FIXTURE_CATALOG / "providers" / provider / "provider.yaml").is_file()
        assert DETECTORS.get(provider).provider == provider


def test_openai_existence_and_dates_only(server: LocalServer) -> None:
    obs = detect(server, "openai")
    ids = set(obs.by_id())
    assert "ft:gpt-4o-mini-2024-07-18:acme::A1b2C3d4" not in ids  # this account's fine-tune
    assert {"gpt-4o", "gpt-4o-mini", "text-embedding-3-large"} <= ids
    assert any("fine-tuned" in note for note in obs.notes)
    mini = obs.by_id()["gpt-4o-mini"]
    assert mini.facts["lifecycle.release_date"] == dt.date(2024, 7, 16)
    assert mini.authoritative == frozenset()
    assert mini.fill_only == {"lifecycle.release_date"}
    assert facts(obs, "text-embedding-3-large")["kind"] == "embedding"
    assert obs.fetched_at == NOW
    assert obs.url == server.url + "/v1/models"
    assert server.requests[0].headers["authorization"] == f"Bearer {FAKE_KEY}"


def test_anthropic_follows_after_id_pages_and_reads_capabilities(server: LocalServer) -> None:
    obs = detect(server, "anthropic")
    assert [r.query.get("after_id") for r in server.requests] == [
        None,
        "claude-3-5-sonnet-20241022",
    ]
    assert server.requests[0].headers["x-api-key"] == FAKE_KEY
    assert "anthropic-version" in server.requests[0].headers
    assert len(obs.offerings) == 4
    sonnet = facts(obs, "claude-sonnet-4-5-20250929")
    assert sonnet["limits.max_input"] == 200000
    assert sonnet["limits.max_output"] == 64000
    assert sonnet["capabilities.reasoning.supported"] is True
    assert sonnet["capabilities.reasoning.effort_levels"] == ("low", "medium", "high")
    assert sonnet["capabilities.web_search"] is True
    assert sonnet["modalities.input[pdf]"] is True
    assert sonnet["lifecycle.status"] == "active"
    old = facts(obs, "claude-3-5-sonnet-20241022")
    assert old["lifecycle.status"] == "deprecated"
    assert old["lifecycle.deprecation_date"] == dt.date(2025, 8, 13)
    assert old["lifecycle.retirement_date"] == dt.date(2025, 10, 22)
    assert not any(k.startswith("capabilities.") for k in old)  # capabilities: null
    haiku = obs.by_id()["claude-3-haiku-20240307"]
    assert haiku.facts["capabilities.structured_output"] is False
    assert "capabilities.reasoning.effort_levels" not in haiku.facts
    assert "limits.max_output" in haiku.authoritative
    assert "lifecycle.release_date" in haiku.fill_only
    assert "name" not in haiku.authoritative


def test_gemini_follows_page_tokens(server: LocalServer) -> None:
    obs = detect(server, "google")
    assert [r.query.get("pageToken") for r in server.requests] == [
        None,
        "Cg5nZW1pbmktMi4wLWZsYXNo",
    ]
    assert server.requests[0].headers["x-goog-api-key"] == FAKE_KEY
    flash = obs.by_id()["gemini-2.5-flash"]
    assert flash.facts["limits.max_input"] == 1048576
    assert flash.facts["limits.max_output"] == 65536
    assert flash.facts["capabilities.reasoning.supported"] is True
    assert flash.authoritative == {
        "limits.max_input",
        "limits.max_output",
        "capabilities.reasoning.supported",
    }
    assert "capabilities.reasoning.supported" not in facts(obs, "gemini-2.0-flash")
    embed = facts(obs, "text-embedding-004")
    assert embed["kind"] == "embedding"
    assert "limits.max_output" not in embed
    assert facts(obs, "gemini-2.5-pro")["name"] == "Gemini 2.5 Pro"


def test_mistral_capabilities_deprecation_and_aliases(server: LocalServer) -> None:
    obs = detect(server, "mistral")
    large = obs.by_id()["mistral-large-2411"]
    assert large.aliases == ("mistral-large-latest",)
    assert large.facts["capabilities.tool_calling"] is True
    assert large.facts["modalities.input[image]"] is False
    assert large.facts["limits.context"] == 131072
    assert facts(obs, "mistral-small-2503")["modalities.input[image]"] is True
    code = obs.by_id()["codestral-2405"]
    assert code.facts["lifecycle.deprecation_date"] == dt.date(2025, 6, 30)
    assert "lifecycle.deprecation_date" in code.authoritative
    assert "lifecycle.replacement" not in code.authoritative
    assert all(not o.model_id.startswith("ft:") for o in obs.offerings)


def test_openrouter_prices_limits_modalities_parameters(server: LocalServer) -> None:
    obs = detect(server, "openrouter")
    gpt = obs.by_id()["openai/gpt-4o"]
    assert gpt.facts["pricing.input"] == Decimal("2.5")
    assert gpt.facts["pricing.output"] == Decimal("10.0")
    assert gpt.facts["pricing.cache_read"] == Decimal("1.25")
    assert gpt.facts["pricing.per_input_image"] == Decimal("0.003613")
    assert gpt.facts["modalities.input"] == ("text", "image", "pdf")
    assert gpt.facts["limits.max_output"] == 16384
    assert gpt.facts["capabilities.tool_calling"] is True
    assert gpt.facts["capabilities.reasoning.supported"] is False
    assert "pricing.per_request" not in gpt.facts  # a zero fee is not a price to record
    assert {"pricing.input", "modalities.input", "capabilities.tool_calling"} <= gpt.authoritative
    free = facts(obs, "meta-llama/llama-3.3-70b-instruct:free")
    assert free["pricing.input"] == Decimal(0) and free["pricing.output"] == Decimal(0)
    assert "capabilities.tool_calling" not in facts(obs, "deepseek/deepseek-chat")


def test_ollama_tags_then_show(server: LocalServer) -> None:
    obs = detect(server, "ollama")
    assert server.paths() == ["/api/tags", "/api/show", "/api/show", "/api/show"]
    assert [r.json for r in server.requests[1:]] == [
        {"model": "llama3.2:latest"},
        {"model": "qwen2.5:7b"},
        {"model": "nomic-embed-text:latest"},
    ]
    assert set(obs.by_id()) == {"llama3.2", "qwen2.5:7b", "nomic-embed-text"}
    assert facts(obs, "llama3.2")["limits.context"] == 131072
    assert facts(obs, "llama3.2")["capabilities.tool_calling"] is True
    assert facts(obs, "qwen2.5:7b")["limits.context"] == 32768
    assert facts(obs, "nomic-embed-text")["kind"] == "embedding"
    assert obs.complete_listing is False


def test_groq_limits_and_inactive_models(server: LocalServer) -> None:
    obs = detect(server, "groq")
    assert "mixtral-8x7b-32768" not in obs.by_id()
    assert any("inactive" in n for n in obs.notes)
    llama = obs.by_id()["llama-3.3-70b-versatile"]
    assert llama.facts["limits.context"] == 131072
    assert llama.facts["limits.max_output"] == 32768
    assert llama.authoritative == {"limits.context", "limits.max_output"}
    assert facts(obs, "whisper-large-v3")["kind"] == "transcription"


def test_together_bare_array_and_per_million_prices(server: LocalServer) -> None:
    obs = detect(server, "togetherai")
    llama = facts(obs, "meta-llama/Llama-3.3-70B-Instruct-Turbo")
    assert llama["pricing.input"] == Decimal("0.88")
    assert llama["limits.context"] == 131072
    bge = facts(obs, "BAAI/bge-large-en-v1.5")
    assert bge["kind"] == "embedding"
    assert bge["pricing.input"] == Decimal("0.02")
    assert "pricing.output" not in bge
    flux = facts(obs, "black-forest-labs/FLUX.1-schnell")
    assert flux["kind"] == "image_generation"
    assert "pricing.input" not in flux


def test_xai_prices_in_cents_per_100m_tokens(server: LocalServer) -> None:
    obs = detect(server, "xai")
    assert server.paths() == ["/v1/language-models"]
    grok = obs.by_id()["grok-3"]
    assert grok.facts["pricing.input"] == Decimal("3.0")
    assert grok.facts["pricing.output"] == Decimal("15.0")
    assert grok.facts["pricing.cache_read"] == Decimal("0.75")
    assert "pricing.input_image" not in grok.facts
    assert grok.aliases == ("grok-3-latest", "grok-3-beta")
    four = facts(obs, "grok-4-0709")
    assert four["pricing.input_image"] == Decimal("3.0")
    assert four["modalities.input"] == ("text", "image")
    assert facts(obs, "grok-3-mini")["pricing.cache_read"] == Decimal("0.075")


def test_deepseek_existence_only(server: LocalServer) -> None:
    obs = detect(server, "deepseek")
    assert set(obs.by_id()) == {"deepseek-chat", "deepseek-reasoner"}
    assert all(o.authoritative == frozenset() for o in obs.offerings)


def test_fireworks_flags(server: LocalServer) -> None:
    obs = detect(server, "fireworks-ai")
    llama = obs.by_id()["accounts/fireworks/models/llama-v3p3-70b-instruct"]
    assert llama.facts["capabilities.tool_calling"] is True
    assert llama.facts["modalities.input[image]"] is False
    assert (
        facts(obs, "accounts/fireworks/models/qwen2p5-vl-32b-instruct")["modalities.input[image]"]
        is True
    )


def test_cohere_follows_page_tokens(server: LocalServer) -> None:
    obs = detect(server, "cohere")
    assert [(r.path, r.query.get("page_token")) for r in server.requests] == [
        ("/v1/models", None),
        ("/v1/models", "ZW1iZWQtZW5nbGlzaC12My4w"),
    ]
    assert server.requests[0].query["page_size"] == "1000"
    assert "acme-support-ft" not in obs.by_id()
    command = facts(obs, "command-a-03-2025")
    assert command["capabilities.structured_output"] is True
    assert command["capabilities.tool_calling"] is True
    assert command["limits.context"] == 256000
    plus = facts(obs, "command-r-plus-08-2024")
    assert plus["capabilities.structured_output"] is False
    assert facts(obs, "embed-english-v3.0")["kind"] == "embedding"
    assert facts(obs, "command-a-vision-07-2025")["modalities.input[image]"] is True


def test_parsers_ignore_unknown_upstream_fields(server: LocalServer) -> None:
    # every payload above carries fields no wire model declares (config, fingerprint,
    # top_provider.is_moderated, context_management ...); here one more, nested
    obs = detect(server, "xai")
    assert obs.offerings
    raw = obs.by_id()["grok-3"].raw
    assert "fingerprint" not in raw  # parsed models keep only what they read


def test_detector_repr_hides_the_key(server: LocalServer) -> None:
    detector = DETECTORS.create(
        "openai", catalog=FIXTURE_CATALOG, base_url=serve(server, "openai"), api_key=FAKE_KEY
    )
    assert FAKE_KEY not in repr(detector)
    assert "***" in repr(detector)
