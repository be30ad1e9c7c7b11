"""Applying a plan: validation on a copy holds failing files back; writes roll back and refuse
files changed on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmaestro.catalog.validate import validate_catalog
from llmaestro.refresh.apply import apply_plan
from llmaestro.refresh.drift import DriftError
from llmaestro.refresh.report import render_report
from tests.refresh._drift import manual, observe, run
from tests.refresh._server import LocalServer
from tests.refresh.conftest import NOW, TODAY, snapshot


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
