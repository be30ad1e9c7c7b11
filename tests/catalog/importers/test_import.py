"""A whole import of the fixture sources: merge rules, hazards, the report, idempotence."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from llmaestro.catalog.importers.merge import compact, resolve
from llmaestro.catalog.importers.pipeline import ImportResult
from llmaestro.catalog.validate import validate_catalog
from llmaestro.catalog.yamlread import parse_yaml
from tests.catalog.importers.conftest import Repo


def read(path: Path) -> dict[str, object]:
    doc = parse_yaml(path.read_bytes(), str(path))
    assert not doc.diagnostics
    assert isinstance(doc.data, dict)
    return doc.data


def offering_file(repo: Repo, provider: str, name: str) -> dict[str, object]:
    return read(repo.catalog / "providers" / provider / "models" / f"{name}.yaml")


def test_the_imported_catalog_validates(imported: tuple[Repo, ImportResult]) -> None:
    repo, _ = imported
    result = validate_catalog(repo.catalog)
    assert result.errors == []
    assert len(result.offerings) == 17
    assert set(result.providers) == {
        "acme",
        "amazon-bedrock",
        "cloudflare-workers-ai",
        "mirror",
        "openai",
    }


def test_file_names_follow_the_id_rule(imported: tuple[Repo, ImportResult]) -> None:
    repo, _ = imported
    models = repo.catalog / "providers"
    assert (models / "acme" / "models" / "org" / "^big-^model.yaml").is_file()
    assert (
        models / "cloudflare-workers-ai" / "models" / "~40cf" / "meta" / "llama-9.yaml"
    ).is_file()
    first = (models / "acme" / "models" / "acme-chat.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../../schemas/offering.schema.json"


def test_a_rerun_on_unchanged_input_changes_no_file(repo: Repo) -> None:
    first = repo.run()
    assert first.stats.written > 0
    before = {p: p.read_bytes() for p in repo.catalog.rglob("*") if p.is_file()}
    again = repo.run()
    assert (again.stats.written, again.stats.removed) == (0, 0)
    assert {p: p.read_bytes() for p in repo.catalog.rglob("*") if p.is_file()} == before


def test_files_of_entries_gone_from_the_sources_are_removed(repo: Repo) -> None:
    repo.run()
    stale = repo.catalog / "providers" / "acme" / "models" / "gone-model.yaml"
    stale.write_text("# yaml-language-server: $schema=x\nkind: chat\n")
    result = repo.run()
    assert result.stats.removed == 1 and not stale.exists()


def test_symlinked_model_belongs_to_the_provider_holding_the_link(
    imported: tuple[Repo, ImportResult],
) -> None:
    repo, result = imported
    assert ("mirror", "acme-chat") in result.built.offerings
    assert offering_file(repo, "mirror", "acme-chat")["name"] == "Acme Chat"
    assert ("mirror/acme-chat", "providers/acme/models/acme-chat.toml") in result.built.log.symlinks


def test_base_model_inherits_and_stores_only_what_differs(
    imported: tuple[Repo, ImportResult],
) -> None:
    repo, result = imported
    data = offering_file(repo, "openai", "gpt-x")
    assert data["base"] == "openai/gpt-x"
    assert "limits" not in data and "name" not in data  # inherited unchanged
    canonical = result.built.canonical["openai/gpt-x"]
    full = result.built.offerings[("openai", "gpt-x")].facts
    assert full["limits"] == canonical["limits"]


def test_compact_then_resolve_is_the_identity() -> None:
    base = {
        "name": "A",
        "limits": {"context": 10, "max_output": 5},
        "kind": "chat",
        "capabilities": {"reasoning": {"supported": True, "toggle": True}},
    }
    full = {
        "name": "A",
        "limits": {"context": 10},
        "kind": "chat",
        "capabilities": {"reasoning": {"supported": True}},
        "pricing": {"input": 1},
    }
    own, omit = compact(base, full)
    assert own == {"pricing": {"input": 1}}
    assert omit == ["limits.max_output", "capabilities.reasoning.toggle"]
    assert resolve(base, omit, own) == full


def test_duplicate_prefixed_and_bare_keys_merge_and_record_the_conflict(
    imported: tuple[Repo, ImportResult],
) -> None:
    _, result = imported
    log = result.built.log
    conflict = next(
        c
        for c in log.conflicts
        if c.target == "amazon-bedrock/anthropic.claude-9" and c.field == "pricing.input"
    )
    assert (conflict.kept, conflict.other) == ("3.3", "3")
    assert conflict.kept_source == "litellm `bedrock/anthropic.claude-9`"
    facts = result.built.offerings[("amazon-bedrock", "anthropic.claude-9")].facts
    assert facts["pricing"]["input"] == Decimal("3.3")
    # what only the bare key said is kept too
    assert facts["limits"] == {"max_input": 200000}
    assert any(s.item == "anthropic.claude-9" and "duplicate of" in s.reason for s in log.skipped)


def test_litellm_fills_gaps_and_its_later_prices_win(imported: tuple[Repo, ImportResult]) -> None:
    _, result = imported
    mini = result.built.offerings[("openai", "gpt-x-mini")].facts
    # models.dev's max_output broke LM020 and was dropped; LiteLLM's value is kept instead
    assert mini["limits"] == {"context": 128000, "max_output": 16384}
    assert mini["capabilities"]["system_prompt"] is True
    assert mini["lifecycle"]["replacement"] == "gpt-x"
    conflicts = {(c.target, c.field, c.kept_source.split()[0]) for c in result.built.log.conflicts}
    assert ("openai/gpt-x", "pricing.output", "litellm") in conflicts


def test_hand_authored_values_win_and_are_reported(imported: tuple[Repo, ImportResult]) -> None:
    repo, result = imported
    data = offering_file(repo, "openai", "gpt-x")
    pricing = data["pricing"]
    assert isinstance(pricing, dict)
    assert (pricing["input"], pricing["output"]) == (Decimal("2.00"), Decimal("8.00"))
    assert pricing["cache_read"] == Decimal("0.25")  # LiteLLM fills what the hand left out
    assert data["aliases"] == ("gpt-x-2026", "gpt-x-latest")
    provenance = data["provenance"]
    assert isinstance(provenance, tuple | list)
    sources = [p["source"] for p in provenance]
    assert sources == ["manual", "models.dev", "litellm"]
    manual = [c for c in result.built.log.conflicts if c.kept_source == "manual"]
    assert {c.field for c in manual} == {"pricing.input", "pricing.output"}
    # the hand-authored alias folds the models.dev and LiteLLM entries of that id
    folded = [s for s in result.built.log.skipped if s.item == "gpt-x-2026"]
    assert {s.source for s in folded} == {"models.dev", "litellm"}
    assert ("openai", "gpt-x-2026") not in result.built.offerings


def test_rule_breaking_values_are_dropped_and_reported(imported: tuple[Repo, ImportResult]) -> None:
    repo, result = imported
    bad = offering_file(repo, "acme", "bad")
    assert bad["limits"] == {"context": 8192}
    assert bad["pricing"] == {"input": 1, "output": 2}
    assert bad["lifecycle"] == {"release_date": __import__("datetime").date(2025, 8, 1)}
    dropped = {(c.target, c.field): c.why[:5] for c in result.built.log.changes}
    assert dropped[("acme/bad", "limits.max_output")] == "LM020"
    assert dropped[("acme/bad", "pricing.cache_read")] == "LM023"
    assert dropped[("acme/bad", "pricing.tiers.0")] == "LM022"
    assert dropped[("acme/bad", "lifecycle.last_updated")] == "LM024"
    assert ("acme/zero", "limits.context") in dropped
    assert ("acme/zero", "lifecycle.release_date") in dropped
    assert dropped[("acme/old", "lifecycle.status")] == "LM027"
    assert dropped[("openai/gpt-broken", "pricing.cache_read")] == "LM023"
    assert ("openai/gpt-broken", "lifecycle.deprecation_date") in dropped


def test_alias_stubs_become_aliases(imported: tuple[Repo, ImportResult]) -> None:
    repo, _ = imported
    assert offering_file(repo, "amazon-bedrock", "anthropic.claude-9")["aliases"] == (
        "claude-latest",
    )


def test_rate_limits_and_new_providers(imported: tuple[Repo, ImportResult]) -> None:
    repo, _ = imported
    provider = read(repo.catalog / "providers" / "cloudflare-workers-ai" / "provider.yaml")
    assert provider["litellm_prefix"] == "cloudflare"
    assert provider["rate_limits"] == (
        {"tier": "default", "models": ("@cf/meta/llama-9",), "requests_per_minute": 300},
    )


def test_the_report_has_a_line_for_everything_left_out(
    imported: tuple[Repo, ImportResult],
) -> None:
    repo, result = imported
    report = (repo.catalog / "IMPORT_REPORT.md").read_text()
    for skip in result.built.log.skipped:
        assert f"`{skip.item}`" in report, skip
    for change in result.built.log.changes:
        assert f"| {change.target} | {change.field} |" in report, change
    assert len(result.built.log.conflicts) == report.count("wins |")
    for line in (
        "| models.dev | mirror | `providers/mirror/models/gone.toml` | broken symlink to",
        "| models.dev | acme | `providers/acme/models/no-extension` | file without the `.toml`",
        "| litellm | openai | `256-x-256/dall-e-9` | pricing bucket (size or quality) of",
        "| litellm | openai | `gpt-realtime-9` | unsupported kind `realtime` |",
        "| litellm | openai | `gpt-x-latest` | alias stub: written as alias `gpt-x-latest` of",
        "| acme/weird-cost | pricing.cache_input | `0.26` | providers/acme/models/weird-cost.toml"
        " | corrected |",
        "| models.dev | `benchmarks` | 1 | benchmark scores are not catalog facts |",
    ):
        assert line in report, line


def test_models_dev_alone(repo: Repo) -> None:
    result = repo.run(litellm=False)
    assert {s.name for s in result.built.sources} == {"models.dev"}
    assert validate_catalog(repo.catalog).errors == []
    assert ("openai", "tts-9") not in result.built.offerings
