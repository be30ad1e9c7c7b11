"""Drift: observed facts against the catalog, applied as minimal round-trip YAML edits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from llmaestro.catalog.validate import validate_catalog
from llmaestro.refresh.apply import apply_plan, validate_plan
from llmaestro.refresh.drift import DriftError
from llmaestro.refresh.observation import Observation, ObservedOffering
from llmaestro.refresh.plan import plan_drift
from llmaestro.refresh.registry import DETECTORS
from llmaestro.refresh.report import render_report
from tests.detectors._providers import serve
from tests.detectors._server import FAKE_KEY, LocalServer
from tests.detectors.conftest import NOW, TODAY, detector_options, snapshot

URL = "https://api.example.test/v1/models"


def observe(server: LocalServer, provider: str, catalog: Path) -> Observation:
    detector = DETECTORS.create(
        provider,
        catalog=catalog,
        base_url=serve(server, provider),
        api_key=FAKE_KEY,
        **detector_options(),
    )
    return detector.detect()


def manual(
    provider: str,
    entries: dict[str, dict[str, Any]],
    authoritative: set[str],
    *,
    complete: bool = True,
) -> Observation:
    offerings = tuple(
        ObservedOffering(
            model_id=mid,
            facts=facts,
            authoritative=frozenset(k for k in facts if k in authoritative),
        )
        for mid, facts in entries.items()
    )
    return Observation(provider, provider, URL, NOW, offerings, complete_listing=complete)


def text(catalog: Path, rel: str) -> str:
    return (catalog / rel).read_text()


def run(catalog: Path, observation: Observation, **kw: Any) -> Any:
    plan = plan_drift(catalog, observation, **kw)
    validate_plan(plan)
    return plan


OR = "providers/openrouter/models/"


def test_openrouter_plan(server: LocalServer, catalog: Path) -> None:
    before = snapshot(catalog)
    plan = run(catalog, observe(server, "openrouter", catalog))
    assert snapshot(catalog) == before  # planning and validating write nothing
    assert plan.ok and not plan.held_back
    assert {(p.offering, p.field, p.old, p.new) for p in plan.prices} == {
        ("anthropic/claude-3.5-sonnet", "input", Decimal("3.0"), Decimal("6.0")),
        ("anthropic/claude-3.5-sonnet", "output", Decimal("15.0"), Decimal("30.0")),
        ("anthropic/claude-3.5-sonnet", "cache_read", Decimal("0.3"), Decimal("0.6")),
    }
    assert [n.offering for n in plan.new] == ["qwen/qwen3-235b-a22b"]
    assert [(g.offering, g.action, g.last_seen) for g in plan.gone] == [
        ("mistralai/mistral-small", "deprecated", TODAY)
    ]
    applied = apply_plan(plan)
    assert len(applied.files) == len(plan.edits) == 8

    sonnet = text(catalog, OR + "anthropic/claude-3.5-sonnet.yaml")
    assert (
        """pricing:
  effective: 2026-11-27
  input: 6.0
  output: 30.0
  cache_read: 0.6
  cache_write: 7.5
  history:
    - effective: 2024-10-22
      until: 2026-11-26
      input: 3.0
      output: 15.0
      cache_read: 0.3
  provenance:
    - source: detector:openrouter
"""
        in sonnet
    )
    # hand-authored facts stay as written
    assert sonnet.startswith(
        "# yaml-language-server: $schema=../../../../../schemas/offering.schema.json\n"
        "name: Claude 3.5 Sonnet\nkind: chat\n"
    )
    gone = text(catalog, OR + "mistralai/mistral-small.yaml")
    assert "lifecycle:\n  status: deprecated\n  deprecation_date: 2026-11-27\n" in gone
    assert "  input: 0.2\n  output: 0.6\n" in gone  # never deleted, prices untouched
    new = text(catalog, OR + "qwen/qwen3-235b-a22b.yaml")
    assert new.startswith("# yaml-language-server: $schema=../../../../../schemas/")
    assert "provenance:\n  - source: detector:openrouter\n" in new
    assert f"    checked: {TODAY.isoformat()}\n" in new
    llama = text(catalog, OR + "meta-llama/llama-3.3-70b-instruct.yaml")
    assert "limits:\n  context: 128000\n  max_output: 16384\n" in llama
    assert "name: 'Meta: Llama 3.3 70B Instruct'\n" in llama  # quoting kept
    assert "  output: 0.40\n" in llama  # number as written
    assert validate_catalog(catalog, today=TODAY).ok
    assert "&" not in "".join(text(catalog, e.file) for e in plan.edits.values())

    # the same listing again finds nothing new
    again = run(catalog, observe(server, "openrouter", catalog))
    assert not again.has_changes and not again.changes and not again.new and not again.gone


def test_comments_blank_lines_and_order_survive(server: LocalServer, catalog: Path) -> None:
    plan = run(catalog, observe(server, "anthropic", catalog))
    apply_plan(plan)
    haiku = text(catalog, "providers/anthropic/models/claude-3-haiku-20240307.yaml")
    assert haiku.startswith(
        "# yaml-language-server: $schema=../../../../schemas/offering.schema.json\n"
        "# Reviewed by hand: keep the comments.\n"
        "name: Claude Haiku 3\nfamily: claude-haiku\nkind: chat\n\nlimits:\n"
        "  context: 200000  # the 200k window\n  max_input: 200000\n  max_output: 4096\n"
    )
    assert (
        "provenance:\n  - source: manual\n    checked: 2026-10-01\n  - source: detector:anthropic\n"
        in haiku
    )
    sonnet = text(catalog, "providers/anthropic/models/claude-sonnet-4-5-20250929.yaml")
    assert "  reasoning:\n    supported: true\n    effort_levels: [low, medium, high]\n" in sonnet
    deprecated = text(catalog, "providers/anthropic/models/claude-3-5-sonnet-20241022.yaml")
    assert (
        "lifecycle:\n  status: deprecated\n  deprecation_date: 2025-08-13\n"
        "  retirement_date: 2025-10-22\n" in deprecated
    )


def test_only_authoritative_fields_change(server: LocalServer, catalog: Path) -> None:
    # OpenAI's listing knows existence and dates: kinds it guesses and release dates the
    # catalog already has are never written over
    plan = run(catalog, observe(server, "openai", catalog))
    paths = {c.path for c in plan.changes}
    assert paths == {"lifecycle.release_date"}
    assert all(c.added for c in plan.changes)
    assert "gpt-4o" not in {c.offering for c in plan.changes}  # its base has a release date
    assert [n.offering for n in plan.new] == ["text-embedding-3-large"]
    assert not plan.gone  # babbage-002 is deprecated already; gpt-4o-2024-08-06 an alias


def test_mistral_aliases_fold_into_one_new_offering(server: LocalServer, catalog: Path) -> None:
    plan = run(catalog, observe(server, "mistral", catalog))
    assert [(n.offering, n.aliases) for n in plan.new] == [
        ("ministral-8b-2410", ("ministral-8b-latest",))
    ]
    assert "mistral-large-latest" not in {n.offering for n in plan.new}
    assert not plan.gone
    apply_plan(plan)
    new = text(catalog, "providers/mistral/models/ministral-8b-2410.yaml")
    assert "aliases: [ministral-8b-latest]\n" in new
    assert "modalities" not in new  # "no vision" says nothing about a list it does not know


def test_price_change_extends_existing_history(catalog: Path) -> None:
    obs = manual(
        "openai",
        {
            "gpt-4o": {"pricing.input": Decimal("2.0"), "pricing.output": Decimal("8.0")},
            "gpt-4o-mini": {},
            "dall-e-3": {},
            "whisper-1": {},
        },
        {"pricing.input", "pricing.output"},
    )
    plan = run(catalog, obs)
    apply_plan(plan)
    gpt = text(catalog, "providers/openai/models/gpt-4o.yaml")
    assert (
        """pricing:
  effective: 2026-11-27
  input: 2.0
  output: 8.0
  cache_read: 1.25
  history:
    - effective: 2024-10-01
      until: 2026-11-26
      input: 2.50
      output: 10.00
      cache_read: 1.25
    - effective: 2024-05-13
      until: 2024-09-30
      input: 5.00
      output: 15.00
"""
        in gpt
    )
    assert validate_catalog(catalog, today=TODAY).ok
    report = render_report(plan, now=NOW)
    assert "| `gpt-4o` | input | 2.50 | 2.0 | -20.0 % |" in report
    assert "| `gpt-4o` | output | 10.00 | 8.0 | -20.0 % |" in report


def test_gone_uses_the_last_detector_check_and_retires_past_retirement(catalog: Path) -> None:
    mini = catalog / "providers/openai/models/gpt-4o-mini.yaml"
    mini.write_text(
        mini.read_text() + "provenance:\n  - source: detector:openai\n    checked: 2026-10-05\n"
    )
    dalle = catalog / "providers/openai/models/dall-e-3.yaml"
    dalle.write_text(dalle.read_text() + "lifecycle:\n  retirement_date: 2026-11-01\n")
    obs = manual("openai", {"gpt-4o": {}, "whisper-1": {}}, set())
    plan = run(catalog, obs, max_gone_share=0.6)
    assert {(g.offering, g.action, g.last_seen) for g in plan.gone} == {
        ("gpt-4o-mini", "deprecated", dt.date(2026, 10, 5)),
        ("dall-e-3", "retired", TODAY),
    }
    apply_plan(plan)
    assert "  status: deprecated\n  deprecation_date: 2026-10-05\n" in mini.read_text()
    assert "lifecycle:\n  status: retired\n  retirement_date: 2026-11-01\n" in dalle.read_text()
    assert validate_catalog(catalog, today=TODAY).ok


def test_gone_share_guard(catalog: Path) -> None:
    obs = manual("openai", {"gpt-4o": {}}, set())  # 3 of 4 active offerings missing
    before = snapshot(catalog)
    plan = run(catalog, obs)
    assert plan.refused and "3 of 4" in plan.refused
    assert not plan.edits
    with pytest.raises(DriftError, match="validate_plan"):
        apply_plan(plan_drift(catalog, obs))  # never validated
    assert snapshot(catalog) == before
    assert "⛔ gone share" in render_report(plan, now=NOW)


def test_local_listings_never_mark_gone(catalog: Path) -> None:
    obs = manual(
        "ollama", {"llama3.2": {"limits.context": 131072}}, {"limits.context"}, complete=False
    )
    plan = run(catalog, obs)
    assert not plan.gone and not plan.refused


def test_invalid_edits_are_held_back(catalog: Path) -> None:
    # max output above the context window (LM020) for one offering; the others go through
    obs = manual(
        "anthropic",
        {
            "claude-3-haiku-20240307": {"limits.max_output": 400000},
            "claude-sonnet-4-5-20250929": {"limits.max_output": 64000, "limits.max_input": 200000},
            "claude-3-5-sonnet-20241022": {},
        },
        {"limits.max_output", "limits.max_input"},
    )
    before = snapshot(catalog)
    plan = run(catalog, obs)
    assert [h.offering for h in plan.held_back] == ["claude-3-haiku-20240307"]
    assert "LM020" in plan.held_back[0].reason
    assert list(plan.edits) == ["providers/anthropic/models/claude-sonnet-4-5-20250929.yaml"]
    assert snapshot(catalog) == before
    report = render_report(plan, now=NOW)
    assert "held back `providers/anthropic/models/claude-3-haiku-20240307.yaml`" in report
    apply_plan(plan)
    assert validate_catalog(catalog, today=TODAY).ok


def test_apply_rolls_back_and_refuses_stale_files(server: LocalServer, catalog: Path) -> None:
    before = snapshot(catalog)
    plan = run(catalog, observe(server, "togetherai", catalog))
    applied = apply_plan(plan)
    assert snapshot(catalog) != before
    applied.rollback()
    assert snapshot(catalog) == before
    assert not (catalog / "providers/togetherai/models/^b^a^a^i").exists()

    plan = run(catalog, observe(server, "groq", catalog))
    target = catalog / "providers/groq/models/llama-3.3-70b-versatile.yaml"
    target.write_text(target.read_text() + "# edited meanwhile\n")
    edited = snapshot(catalog)
    with pytest.raises(DriftError, match="changed on disk"):
        apply_plan(plan)
    assert snapshot(catalog) == edited  # nothing written, nothing lost


def test_floats_ruamel_cannot_reproduce_stay_as_written(catalog: Path) -> None:
    path = catalog / "providers/groq/models/llama-3.3-70b-versatile.yaml"
    path.write_text(path.read_text().replace("output: 0.79", "output: 0.7899999999999999"))
    obs = manual(
        "groq",
        {"llama-3.3-70b-versatile": {"limits.context": 128000}, "whisper-large-v3": {}},
        {"limits.context"},
    )
    plan = run(catalog, obs)
    after = plan.edits["providers/groq/models/llama-3.3-70b-versatile.yaml"].after
    assert "  output: 0.7899999999999999\n" in after
    assert "  context: 128000\n" in after


def test_fingerprint_ignores_the_day(server: LocalServer, catalog: Path) -> None:
    obs = observe(server, "openrouter", catalog)
    first = plan_drift(catalog, obs)
    later = plan_drift(catalog, obs, today=TODAY + dt.timedelta(days=3))
    assert first.fingerprint() == later.fingerprint()
    assert first.edits != later.edits  # the dates in the files differ


def test_unknown_provider_and_invalid_catalog(catalog: Path) -> None:
    with pytest.raises(DriftError, match=r"no provider\.yaml"):
        plan_drift(catalog, manual("nope", {"x": {}}, set()))
    bad = catalog / "providers/xai/models/grok-3.yaml"
    bad.write_text(bad.read_text() + "unknown_key: 1\n")
    with pytest.raises(DriftError, match="invalid before any change"):
        plan_drift(catalog, manual("xai", {"grok-3": {}}, set()))


def test_report_sections(server: LocalServer, catalog: Path) -> None:
    plan = run(catalog, observe(server, "openrouter", catalog))
    report = render_report(plan, now=NOW, title="Catalog refresh: OpenRouter")
    assert report.startswith("## Catalog refresh: OpenRouter\n")
    for heading in (
        "### Price changes",
        "### New offerings",
        "### Gone offerings",
        "### Limit changes",
        "### Capability and modality changes",
        "### Guards",
    ):
        assert heading in report
    assert "| `anthropic/claude-3.5-sonnet` | input | 3.0 | 6.0 | +100.0 % |" in report
    assert "| `meta-llama/llama-3.3-70b-instruct` | `limits.context` | 131072 | 128000 |" in report
    assert "Report generated 2026-11-27 12:00 UTC" in report
    assert "at 2026-11-27 12:00 UTC" in report
    assert "✅ gone share: 1 of 7 active offerings" in report
    assert f"fingerprint={plan.fingerprint()}" in report


def test_fixture_catalog_round_trips(catalog: Path) -> None:
    from llmaestro.catalog.writer import dump_roundtrip, load_roundtrip

    for path in sorted(catalog.rglob("*.yaml")):
        original = path.read_text()
        assert dump_roundtrip(load_roundtrip(original)) == original, path


def test_a_new_reasoning_mapping_carries_its_required_flag(catalog: Path) -> None:
    # the file inherits `reasoning.supported: true` from its base; adding effort levels there
    # must write `supported` too (the offering schema requires it in every reasoning mapping)
    obs = manual(
        "openrouter",
        {
            "google/gemini-2.5-flash": {"capabilities.reasoning.effort_levels": ("low", "high")},
            **{
                mid: {}
                for mid in (
                    "openai/gpt-4o",
                    "anthropic/claude-3.5-sonnet",
                    "meta-llama/llama-3.3-70b-instruct",
                    "meta-llama/llama-3.3-70b-instruct:free",
                    "mistralai/mistral-small",
                    "deepseek/deepseek-chat",
                )
            },
        },
        {"capabilities.reasoning.effort_levels"},
    )
    plan = run(catalog, obs)
    assert not plan.held_back
    after = plan.edits[OR + "google/gemini-2.5-flash.yaml"].after
    assert (
        "capabilities:\n  reasoning:\n    supported: true\n    effort_levels: [low, high]\n"
        in after
    )
