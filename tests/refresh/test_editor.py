"""The editor: minimal round-trip YAML edits keep comments, blank lines, key order, quoting
and numbers as written; new keys where the schema orders them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from llmaestro.catalog.validate import validate_catalog
from llmaestro.catalog.writer import dump_roundtrip, load_roundtrip
from llmaestro.refresh.apply import apply_plan
from llmaestro.refresh.report import render_report
from tests.refresh._drift import OR, manual, observe, run, text
from tests.refresh._server import LocalServer
from tests.refresh.conftest import NOW, TODAY


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
    # the listing says deprecated; its retirement date is past on the run's day: retired
    assert (
        "lifecycle:\n  status: retired\n  deprecation_date: 2025-08-13\n"
        "  retirement_date: 2025-10-22\n" in deprecated
    )


def _gpt4o_cut() -> Any:
    """OpenAI's listing with gpt-4o at $2 / $8 (from $2.50 / $10)."""
    return manual(
        "openai",
        {
            "gpt-4o": {"pricing.input": Decimal("2.0"), "pricing.output": Decimal("8.0")},
            "gpt-4o-mini": {},
            "dall-e-3": {},
            "whisper-1": {},
        },
        {"pricing.input", "pricing.output"},
    )


def test_price_change_extends_existing_history(catalog: Path) -> None:
    obs = _gpt4o_cut()
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


def test_a_price_change_keeps_the_old_sets_context_tiers_in_its_history(catalog: Path) -> None:
    """The detector changes base prices only: the tiers stay current, and the set that moves
    to the history keeps them (a long prompt on an old day is priced as it was)."""
    path = catalog / "providers/openai/models/gpt-4o.yaml"
    tiers = "  tiers:\n    - above_tokens: 64000\n      input: 5.00\n"
    path.write_text(path.read_text().replace("  history:", f"{tiers}  history:"))
    obs = _gpt4o_cut()
    apply_plan(run(catalog, obs))
    gpt = text(catalog, "providers/openai/models/gpt-4o.yaml")
    assert (
        """  history:
    - effective: 2024-10-01
      until: 2026-11-26
      input: 2.50
      output: 10.00
      cache_read: 1.25
      tiers:
        - above_tokens: 64000
          input: 5.00
    - effective: 2024-05-13
"""
        in gpt
    )
    assert f"  cache_read: 1.25\n{tiers}  history:" in gpt  # still the current tiers
    assert validate_catalog(catalog, today=TODAY).ok


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


def test_fixture_catalog_round_trips(catalog: Path) -> None:
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
