"""models.dev: reading a snapshot (folder or tarball) and mapping its fields."""

from __future__ import annotations

import datetime as dt
import tarfile
from decimal import Decimal
from pathlib import Path

import pytest

from llmaestro.catalog.importers import models_dev as md
from llmaestro.catalog.importers.common import ImportLog
from tests.catalog.importers.conftest import Repo


def test_folder_snapshot_resolves_symlinks_and_reports_the_rest(repo: Repo) -> None:
    log = ImportLog()
    snap = md.load_snapshot(repo.models_dev, log)
    assert set(snap.providers) == {"openai", "acme", "mirror"}
    assert "openai/gpt-x" in snap.canonical
    # a link is read through, and the model belongs to the provider holding the link
    linked = snap.offerings[("mirror", "acme-chat")]
    assert linked.link == "providers/acme/models/acme-chat.toml"
    assert linked.raw == snap.offerings[("acme", "acme-chat")].raw
    # ids with `/` and upper case survive as they are
    assert ("acme", "org/Big-Model") in snap.offerings
    reasons = {s.item: s.reason for s in log.skipped}
    assert reasons["providers/mirror/models/gone.toml"].startswith("broken symlink to")
    assert "`.toml` extension" in reasons["providers/acme/models/no-extension"]
    assert reasons["providers/acme/README.md"].startswith("not model data")
    assert snap.symlinks == 2 and snap.broken_symlinks == 1


def test_tarball_reads_like_the_folder(repo: Repo, tmp_path: Path) -> None:
    tarball = tmp_path / "models.dev-0123abc.tar.gz"
    with tarfile.open(tarball, "w:gz") as tar:
        for path in sorted(repo.models_dev.rglob("*")):
            tar.add(path, arcname=path.relative_to(repo.models_dev).as_posix(), recursive=False)
    log_dir, log_tar = ImportLog(), ImportLog()
    from_dir = md.load_snapshot(repo.models_dev, log_dir)
    from_tar = md.load_snapshot(tarball, log_tar)
    assert {k: v.raw for k, v in from_tar.offerings.items()} == {
        k: v.raw for k, v in from_dir.offerings.items()
    }
    assert sorted(s.item for s in log_tar.skipped) == sorted(s.item for s in log_dir.skipped)


def test_model_fields_map_to_catalog_facts() -> None:
    raw = {
        "name": "Acme Chat",
        "family": "acme",
        "release_date": "2025-06-01",
        "last_updated": "2025-07-01",
        "knowledge": "2025-01",
        "attachment": True,
        "reasoning": True,
        "reasoning_options": [
            {"type": "toggle"},
            {"type": "effort", "values": ["low", "high", "null"]},
            {"type": "budget_tokens", "min": 1024, "max": 32768},
        ],
        "temperature": True,
        "tool_call": True,
        "structured_output": False,
        "open_weights": True,
        "status": "beta",
        "cost": {
            "input": Decimal("0.30"),
            "output": Decimal("1.20"),
            "cache_read": Decimal("0.03"),
            "cache_write": Decimal("0.375"),
            "input_audio": 1,
            "output_audio": Decimal("4.0"),
            "tiers": [{"tier": {"type": "context", "size": 200_000}, "input": Decimal("0.6")}],
        },
        "limit": {"context": 1_000_000, "input": 900_000, "output": 65_536},
        "modalities": {"input": ["text", "image"], "output": ["text"]},
    }
    log = ImportLog()
    facts = md.map_model(raw, log, "acme/acme-chat", "src.toml")
    assert facts["name"] == "Acme Chat" and facts["family"] == "acme"
    assert facts["lifecycle"] == {
        "release_date": dt.date(2025, 6, 1),
        "last_updated": dt.date(2025, 7, 1),
        "status": "preview",
    }
    assert facts["knowledge_cutoff"] == "2025-01"
    assert facts["open_weights"] is True
    assert facts["capabilities"] == {
        "tool_calling": True,
        "structured_output": False,
        "temperature": True,
        "reasoning": {
            "supported": True,
            "toggle": True,
            "effort_levels": ["low", "high"],
            "budget_tokens": {"min": 1024, "max": 32768},
        },
    }
    assert facts["limits"] == {"context": 1_000_000, "max_input": 900_000, "max_output": 65_536}
    assert facts["modalities"] == {"input": ["text", "image"], "output": ["text"]}
    assert facts["pricing"] == {
        "input": Decimal("0.3"),
        "output": Decimal("1.2"),
        "cache_read": Decimal("0.03"),
        "cache_write": Decimal("0.375"),
        "input_audio": Decimal(1),
        "output_audio": Decimal(4),
        "tiers": [{"above_tokens": 200_000, "input": Decimal("0.6")}],
    }
    # the unknown effort level is reported, and `attachment` once as "not imported"
    assert [(c.field, c.value) for c in log.changes] == [
        ("capabilities.reasoning.effort_levels", "null")
    ]
    assert log.not_imported[("models.dev", "attachment", md.NOT_MODELLED["attachment"])] == 1


@pytest.mark.parametrize(
    ("key", "field", "action"),
    [
        ("cache_input", "cache_read", "corrected"),
        ("cached_input", "cache_read", "corrected"),
        ("cached_write", "cache_write", "corrected"),
        ("request", "per_request", "corrected"),
        ("citation", None, "dropped"),
        ("something_new", None, "dropped"),
    ],
)
def test_unknown_cost_keys_are_mapped_or_reported(key: str, field: str | None, action: str) -> None:
    log = ImportLog()
    facts = md.map_model({"cost": {"input": 1, key: Decimal("0.5")}}, log, "p/m", "f.toml")
    (change,) = log.changes
    assert (change.field, change.value, change.action) == (f"pricing.{key}", "0.5", action)
    if field is None:
        assert set(facts["pricing"]) == {"input"}
    else:
        assert facts["pricing"][field] == Decimal("0.5")


def test_a_clear_alias_never_overrides_the_real_key() -> None:
    log = ImportLog()
    raw = {"cost": {"input": 1, "cache_read": Decimal("0.1"), "cached_input": Decimal("0.2")}}
    facts = md.map_model(raw, log, "p/m", "f.toml")
    assert facts["pricing"]["cache_read"] == Decimal("0.1")
    assert log.changes[0].action == "dropped"


@pytest.mark.parametrize(
    ("raw", "field", "why"),
    [
        ({"limit": {"context": 0}}, "limits.context", "at least 1"),
        ({"release_date": "2025-02-31"}, "lifecycle.release_date", "impossible"),
        ({"release_date": "2025-13-01"}, "lifecycle.release_date", "impossible"),
        ({"last_updated": "2025-04"}, "lifecycle.last_updated", "a month"),
        ({"knowledge": "2025-25"}, "knowledge_cutoff", "not a date"),
        ({"status": "sunset"}, "lifecycle.status", "unknown status"),
        ({"modalities": {"input": ["text", "smell"]}}, "modalities.input", "not a modality"),
        ({"tool_call": "yes"}, "capabilities.tool_calling", "not a boolean"),
    ],
)
def test_values_that_cannot_be_facts_are_dropped_and_reported(
    raw: dict[str, object], field: str, why: str
) -> None:
    log = ImportLog()
    md.map_model(raw, log, "p/m", "f.toml")
    (change,) = log.changes
    assert change.field == field and why in change.why and change.source == "f.toml"


def test_not_modelled_keys_are_counted_once_per_key() -> None:
    log = ImportLog()
    for _ in range(3):
        md.map_model({"benchmarks": [{"name": "x"}], "interleaved": True}, log, "p/m", "f")
    assert log.not_imported[("models.dev", "benchmarks", md.NOT_MODELLED["benchmarks"])] == 3
    assert len(log.not_imported) == 2


def test_priority_fast_mode_is_the_priority_service_tier() -> None:
    raw = {
        "experimental": {
            "modes": {
                "fast": {
                    "cost": {"input": 5, "output": 20},
                    "provider": {"body": {"service_tier": "priority"}},
                }
            }
        }
    }
    facts = md.map_model(raw, ImportLog(), "p/m", "f")
    assert facts["pricing"]["service_tiers"]["priority"] == {
        "input": Decimal(5),
        "output": Decimal(20),
    }


_TEXT_ONLY = {"input": ["text"], "output": ["text"]}


@pytest.mark.parametrize(
    ("model_id", "facts", "kind"),
    [
        ("text-embedding-3-small", {}, "embedding"),
        ("rerank-v3", {}, "rerank"),
        ("omni-moderation", {}, "moderation"),
        (
            "gpt-image-1",
            {"modalities": {"input": ["text"], "output": ["image"]}},
            "image_generation",
        ),
        ("veo-3", {"modalities": {"output": ["video"]}}, "video"),
        ("voice", {"modalities": {"input": ["text"], "output": ["audio"]}}, "speech"),
        (
            "whisper-large-v3",
            {"modalities": {"input": ["audio"], "output": ["text"]}},
            "transcription",
        ),
        ("gemini-2.5-flash-tts", {"modalities": {"output": ["audio", "text"]}}, "speech"),
        ("gpt-4o", {"modalities": {"input": ["text", "image"], "output": ["text"]}}, "chat"),
        # models.dev gives Cloudflare's Deepgram and MeloTTS models text in and text out
        ("workers-ai/@cf/deepgram/aura-2-en", {"modalities": _TEXT_ONLY}, "speech"),
        ("workers-ai/@cf/deepgram/nova-3", {"modalities": _TEXT_ONLY}, "transcription"),
        ("workers-ai/@cf/myshell-ai/melotts", {"modalities": _TEXT_ONLY}, "speech"),
        ("amazon.nova-pro-v1:0", {"modalities": _TEXT_ONLY}, "chat"),  # Amazon's Nova
    ],
)
def test_kind_is_guessed_from_id_and_modalities(
    model_id: str, facts: dict[str, object], kind: str
) -> None:
    assert md.infer_kind(model_id, facts) == kind


def test_provider_toml_maps_to_a_provider() -> None:
    log = ImportLog()
    raw = {
        "name": "Acme AI",
        "env": ["ACME_API_KEY"],
        "npm": "@ai-sdk/openai-compatible",
        "api": "https://api.acme.test/v1/",
        "doc": "https://acme.test/docs",
    }
    assert md.map_provider("acme", raw, log, "providers/acme/provider.toml") == {
        "name": "Acme AI",
        "api": {
            "style": "openai-chat",
            "base_url": "https://api.acme.test/v1",
            "auth": {"env": ["ACME_API_KEY"], "header": "Authorization", "scheme": "Bearer"},
        },
        "docs_url": "https://acme.test/docs",
    }
    (change,) = log.changes
    assert change.action == "corrected" and change.field == "api.base_url"


def test_anthropic_sdk_means_the_messages_api_and_its_key_header() -> None:
    raw = {"name": "X", "env": ["X_KEY"], "npm": "@ai-sdk/anthropic", "api": "https://x.test/v1"}
    api = md.map_provider("x", raw, ImportLog(), "f")["api"]
    assert api["style"] == "anthropic-messages"
    assert api["auth"] == {"env": ["X_KEY"], "header": "x-api-key"}


def test_a_url_template_is_no_base_url() -> None:
    log = ImportLog()
    raw = {
        "name": "M",
        "env": ["M_HOST"],
        "npm": "@ai-sdk/openai-compatible",
        "api": "https://${M_HOST}/v1",
    }
    assert md.map_provider("m", raw, log, "f") == {"name": "M"}
    assert {c.field for c in log.changes} == {"api.base_url", "api"}


def test_base_model_omit_paths_map_to_ours() -> None:
    ours, unknown = md.map_omit(["limit.input", "cost.tiers", "experimental.modes.fast", "odd"])
    assert ours == ["limits.max_input", "pricing.tiers"]
    assert unknown == ["odd"]
