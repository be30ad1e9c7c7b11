"""Drift planning: observed facts against the catalog; what changes, what is new, what is
gone, and the guards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from llmaestro.catalog.validate import validate_catalog
from llmaestro.refresh.apply import apply_plan
from llmaestro.refresh.drift import DriftError
from llmaestro.refresh.plan import plan_drift
from llmaestro.refresh.report import render_report
from tests.refresh._drift import OR, manual, observe, run, text
from tests.refresh._server import LocalServer
from tests.refresh.conftest import NOW, TODAY, snapshot


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
