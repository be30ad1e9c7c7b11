"""LiteLLM: which keys are models, and how an entry's fields map."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from llmaestro.catalog.importers import litellm as ll
from llmaestro.catalog.importers.common import ImportLog
from llmaestro.catalog.importers.provider_map import LITELLM_PROVIDERS
from llmaestro.catalog.paths import encode_segment
from tests.catalog.importers.conftest import SOURCES


def mapped(key: str, raw: dict[str, Any]) -> tuple[ll.Entry, ImportLog]:
    """Classify and map one entry (floats parsed as Decimal, as the importer reads JSON)."""
    raw = json.loads(json.dumps(raw), parse_float=Decimal)
    log = ImportLog()
    entry = ll.classify(key, raw, log)
    assert entry is not None, log.skipped
    entry.facts = ll.map_entry(entry, raw, log)
    return entry, log


def skipped(key: str, raw: dict[str, Any]) -> str:
    log = ImportLog()
    assert ll.classify(key, raw, log) is None
    (skip,) = log.skipped
    return skip.reason


@pytest.mark.parametrize(
    ("key", "raw", "reason"),
    [
        ("sample_spec", {"litellm_provider": "x", "mode": "chat"}, "format documentation"),
        (
            "256-x-256/dall-e-2",
            {"litellm_provider": "openai", "mode": "image_generation"},
            "pricing bucket (size or quality) of `dall-e-2`",
        ),
        (
            "hd/1024-x-1792/dall-e-3",
            {"litellm_provider": "openai", "mode": "image_generation"},
            "pricing bucket (size or quality) of `dall-e-3`",
        ),
        (
            "bedrock/us-east-1/1-month-commitment/anthropic.claude-v2:1",
            {"litellm_provider": "bedrock", "mode": "chat"},
            "pricing bucket (provisioned-throughput commitment) of `anthropic.claude-v2:1`",
        ),
        ("fireworks-ai-up-to-4b", {"litellm_provider": "fireworks_ai"}, "pricing bucket"),
        (
            "bedrock/eu-west-1/meta.llama3-70b",
            {"litellm_provider": "bedrock", "mode": "chat"},
            "regional price variant of `meta.llama3-70b` (eu-west-1)",
        ),
        (
            "azure/eu/gpt-4o",
            {"litellm_provider": "azure", "mode": "chat"},
            "regional price variant of `gpt-4o` (eu)",
        ),
        (
            "gpt-realtime",
            {"litellm_provider": "openai", "mode": "realtime"},
            "unsupported kind `realtime`",
        ),
        ("deepgram/aura", {"litellm_provider": "deepgram"}, "no `mode`"),
        ("x", {"mode": "chat"}, "no `litellm_provider`"),
        ("new/x", {"litellm_provider": "brand_new", "mode": "chat"}, "not in the provider table"),
    ],
)
def test_keys_that_are_not_models_are_reported(key: str, raw: dict[str, Any], reason: str) -> None:
    assert reason in skipped(key, raw)


@pytest.mark.parametrize(
    ("key", "provider", "model", "prefixed"),
    [
        ("gpt-4o", "openai", "gpt-4o", False),
        ("openai/gpt-4o", "openai", "gpt-4o", True),
        (
            "bedrock/anthropic.claude-3-haiku-20240307-v1:0",
            "amazon-bedrock",
            "anthropic.claude-3-haiku-20240307-v1:0",
            True,
        ),
        ("vertex_ai/gemini-2.5-pro", "google-vertex", "gemini-2.5-pro", True),
        ("gemini/gemini-2.5-pro", "google", "gemini-2.5-pro", True),
        (
            "fireworks_ai/accounts/fireworks/models/x",
            "fireworks-ai",
            "accounts/fireworks/models/x",
            True,
        ),
    ],
)
def test_keys_map_to_our_provider_and_model_id(
    key: str, provider: str, model: str, prefixed: bool
) -> None:
    litellm_provider = {
        "openai": "openai",
        "amazon-bedrock": "bedrock",
        "google-vertex": "vertex_ai",
        "google": "gemini",
        "fireworks-ai": "fireworks_ai",
    }[provider]
    entry, _ = mapped(key, {"litellm_provider": litellm_provider, "mode": "chat"})
    assert (entry.provider, entry.model, entry.prefixed) == (provider, model, prefixed)


@pytest.mark.parametrize(
    ("mode", "kind"),
    [
        ("chat", "chat"),
        ("responses", "chat"),
        ("completion", "completion"),
        ("embedding", "embedding"),
        ("rerank", "rerank"),
        ("moderation", "moderation"),
        ("image_generation", "image_generation"),
        ("audio_speech", "speech"),
        ("audio_transcription", "transcription"),
        ("video_generation", "video"),
    ],
)
def test_modes_map_to_kinds(mode: str, kind: str) -> None:
    entry, _ = mapped("m", {"litellm_provider": "openai", "mode": mode})
    assert entry.facts["kind"] == kind


def test_token_prices_become_exact_prices_per_million() -> None:
    entry, log = mapped(
        "m",
        {
            "litellm_provider": "openai",
            "mode": "chat",
            "input_cost_per_token": 3e-07,
            "output_cost_per_token": 1.1e-06,
            "cache_read_input_token_cost": 7.5e-08,
            "cache_creation_input_token_cost": 3.75e-06,
            "cache_creation_input_token_cost_above_1hr": 6e-06,
            "input_cost_per_audio_token": 4e-05,
            "output_cost_per_reasoning_token": 1e-05,
        },
    )
    assert entry.facts["pricing"] == {
        "input": Decimal("0.3"),
        "output": Decimal("1.1"),
        "cache_read": Decimal("0.075"),
        "cache_write": Decimal("3.75"),
        "cache_write_1h": Decimal("6"),
        "input_audio": Decimal("40"),
        "reasoning": Decimal("10"),
    }
    assert not log.changes


def test_above_tokens_keys_are_context_tiers_and_suffixes_service_tiers() -> None:
    entry, _ = mapped(
        "m",
        {
            "litellm_provider": "openai",
            "mode": "chat",
            "input_cost_per_token": 1.25e-06,
            "input_cost_per_token_above_200k_tokens": 2.5e-06,
            "output_cost_per_token_above_200k_tokens": 1.5e-05,
            "cache_creation_input_token_cost_above_1hr_above_200k_tokens": 1.2e-05,
            "input_cost_per_token_batches": 6.25e-07,
            "input_cost_per_token_flex": 6.25e-07,
            "input_cost_per_token_priority": 2.5e-06,
            "input_cost_per_token_above_272k_tokens_priority": 5e-06,
        },
    )
    pricing = entry.facts["pricing"]
    assert pricing["tiers"] == [
        {
            "above_tokens": 200_000,
            "input": Decimal("2.5"),
            "output": Decimal("15"),
            "cache_write_1h": Decimal("12"),
        }
    ]
    assert pricing["service_tiers"] == {
        "batch": {"input": Decimal("0.625")},
        "flex": {"input": Decimal("0.625")},
        "priority": {
            "input": Decimal("2.5"),
            "tiers": [{"above_tokens": 272_000, "input": Decimal("5")}],
        },
    }


def test_tiered_pricing_ranges_are_context_tiers() -> None:
    entry, _ = mapped(
        "m",
        {
            "litellm_provider": "dashscope",
            "mode": "chat",
            "tiered_pricing": [
                {"range": [0, 256000.0], "input_cost_per_token": 5e-08},
                {"range": [256000.0, 1000000.0], "input_cost_per_token": 2.5e-07},
            ],
        },
    )
    assert entry.facts["pricing"] == {
        "input": Decimal("0.05"),
        "tiers": [{"above_tokens": 256_000, "input": Decimal("0.25")}],
    }


def test_per_unit_prices() -> None:
    speech, _ = mapped(
        "tts",
        {"litellm_provider": "openai", "mode": "audio_speech", "input_cost_per_character": 1.5e-05},
    )
    assert speech.facts["pricing"] == {"per_1k_characters": Decimal("0.015")}
    stt, log = mapped(
        "stt",
        {
            "litellm_provider": "openai",
            "mode": "audio_transcription",
            "input_cost_per_second": 0.0001,
            "output_cost_per_second": 0.0,
        },
    )
    assert stt.facts["pricing"] == {"per_second": Decimal("0.0001")}
    assert [c.field for c in log.changes] == ["pricing.per_second"]
    video, _ = mapped(
        "v",
        {"litellm_provider": "openai", "mode": "video_generation", "output_cost_per_second": 0.1},
    )
    assert video.facts["pricing"] == {"per_second": Decimal("0.1")}
    image, _ = mapped(
        "i",
        {
            "litellm_provider": "openai",
            "mode": "image_generation",
            "output_cost_per_image": 0.04,
            "input_cost_per_image": 0.01,
        },
    )
    assert image.facts["pricing"] == {
        "per_image": Decimal("0.04"),
        "per_input_image": Decimal("0.01"),
    }
    search, log = mapped(
        "s",
        {
            "litellm_provider": "openai",
            "mode": "chat",
            "search_context_cost_per_query": {
                "search_context_size_low": 0.025,
                "search_context_size_medium": 0.0275,
            },
        },
    )
    assert search.facts["pricing"] == {"per_web_search": Decimal("0.0275")}
    assert log.not_imported


def test_supports_flags_deprecation_and_limits() -> None:
    entry, _ = mapped(
        "m",
        {
            "litellm_provider": "openai",
            "mode": "chat",
            "max_input_tokens": 128000,
            "max_output_tokens": 16384,
            "deprecation_date": "2026-02-27",
            "supports_function_calling": True,
            "supports_parallel_function_calling": False,
            "supports_tool_choice": True,
            "supports_response_schema": True,
            "supports_system_messages": True,
            "supports_prompt_caching": True,
            "supports_web_search": False,
            "supports_reasoning": True,
            "reasoning_effort_levels": ["high", "low", "turbo"],
            "supports_vision": True,
            "supports_pdf_input": False,
            "supports_audio_output": True,
            "rpm": 500,
            "tpm": 30000,
            "successor_model": "gpt-5",
        },
    )
    f = entry.facts
    assert f["limits"] == {"max_input": 128000, "max_output": 16384}
    assert f["lifecycle"] == {"deprecation_date": dt.date(2026, 2, 27)}
    assert f["capabilities"] == {
        "tool_calling": True,
        "parallel_tool_calls": False,
        "tool_choice": True,
        "structured_output": True,
        "system_prompt": True,
        "prompt_caching": True,
        "web_search": False,
        "reasoning": {"supported": True, "effort_levels": ["low", "high"]},
    }
    assert entry.flags == {"input": {"image": True, "pdf": False}, "output": {"audio": True}}
    assert ll.modalities_from_flags(entry.flags, "chat") == {
        "input": ["text", "image"],
        "output": ["text", "audio"],
    }
    assert (entry.rpm, entry.tpm, entry.successor) == (500, 30000, "gpt-5")


def test_the_provider_table_is_consistent() -> None:
    for name, mapping in LITELLM_PROVIDERS.items():
        assert mapping.prefixes, name
        assert encode_segment(mapping.provider) == mapping.provider, name


def test_every_provider_of_the_fixture_is_in_the_table() -> None:
    data = ll.read_json(SOURCES / "litellm-9.9.9-model_prices_and_context_window.json")
    names = {v["litellm_provider"] for k, v in data.items() if "litellm_provider" in v}
    names.discard(data["sample_spec"]["litellm_provider"])
    assert names <= set(LITELLM_PROVIDERS)


def test_gzipped_json_reads_like_plain(tmp_path: Path) -> None:
    import gzip

    plain = SOURCES / "litellm-9.9.9-model_prices_and_context_window.json"
    packed = tmp_path / "x.json.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert ll.read_json(packed) == ll.read_json(plain)
