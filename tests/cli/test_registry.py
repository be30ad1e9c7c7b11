"""`llmaestro models|show|providers|export` over a fixed export (click's CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from llmaestro.cli.export import COMMANDS as EXPORT_COMMANDS
from llmaestro.cli.registry import COMMANDS, models
from llmaestro.exports import export_json, read_export
from llmaestro.registry.core import Registry
from tests.exports._fixtures import sample_document, sample_registry


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Stands in for `llmaestro` (the main group attaches the same commands)."""


for _command in (*COMMANDS, *EXPORT_COMMANDS):
    cli.add_command(_command)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "catalog.json"
    path.write_text(export_json(sample_registry()), "utf-8")
    return path


def run(catalog: Path, *args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(cli, [*args, "--catalog", str(catalog)])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result


def ids_in(table: str) -> list[str]:
    return [line.split()[0] for line in table.splitlines()[1:]]


# --- models list ---------------------------------------------------------------------------


def test_models_defaults_to_list(catalog: Path) -> None:
    bare = run(catalog, "models").stdout
    assert bare == run(catalog, "models", "list").stdout
    header, *rows = bare.splitlines()
    assert header.split() == ["id", "kind", "context", "max", "output", "$in/1M", "$out/1M",
                              "status"]  # fmt: skip
    assert ids_in(bare) == [
        "google/gemini-2.5-pro",
        "openai/gpt-4o",
        "openai/o3-mini",
        "openai/text-embedding-3-small",
        "relay/gpt-4o",
        "relay/mystery",
    ]  # the retired model is hidden
    gpt = next(r for r in rows if r.startswith("openai/gpt-4o "))
    assert gpt.split() == ["openai/gpt-4o", "chat", "128,000", "16,384", "2.50", "10.00", "active"]
    mystery = next(r for r in rows if r.startswith("relay/mystery"))
    # unknown facts, never 0; a status always (active: listed, no date past)
    assert mystery.split()[1:] == ["—"] * 5 + ["active"]
    # aligned: every row puts the status column at the same offset
    assert len({len(r) - len(r.rstrip().split()[-1]) for r in rows if "active" in r}) == 1


def test_models_filters_mirror_query(catalog: Path) -> None:
    found = run(
        catalog, "models", "--capability", "tool_calling", "--min-context", "128000",
        "--sort", "input_price",
    ).stdout  # fmt: skip
    assert ids_in(found) == [
        "openai/o3-mini",
        "google/gemini-2.5-pro",
        "relay/gpt-4o",
        "openai/gpt-4o",
    ]
    gemini, o3 = "google/gemini-2.5-pro", "openai/o3-mini"
    cases: list[tuple[list[str], list[str]]] = [
        (["--max-input-price", "1.5", "--kind", "chat"], [gemini, o3]),
        (["--provider", "relay"], ["relay/gpt-4o", "relay/mystery"]),
        (["--kind", "embedding"], ["openai/text-embedding-3-small"]),
        (["--input-modality", "audio"], [gemini]),
        (["--capability", "vision", "--lab", "openai"], ["openai/gpt-4o", "relay/gpt-4o"]),
        (["--closed-weights"], ["openai/gpt-4o", "relay/gpt-4o"]),
        (["--status", "retired"], ["openai/gpt-4-0613"]),
        (["--include-retired", "--provider", "openai", "--limit", "1"], ["openai/gpt-4-0613"]),
        (["--sort", "context", "--desc", "--limit", "2"], [gemini, o3]),
        (["--max-blended-price", "2", "--family", "gpt"], []),
        (["--released-after", "2025-01-01"], [gemini, o3]),
        (["--output-modality", "text", "--capability", "reasoning"], [gemini, o3]),
    ]
    for args, expected in cases:
        data = json.loads(run(catalog, "models", *args, "--json").stdout)
        assert [f"{o['provider']}/{o['model']}" for o in data] == expected, args


def test_models_json_is_every_fact(catalog: Path) -> None:
    data = json.loads(run(catalog, "models", "--provider", "openai", "--json").stdout)
    gpt = next(o for o in data if o["model"] == "gpt-4o")
    assert gpt["pricing"]["input"] == "2.50"
    assert gpt["base"] == "openai/gpt-4o"
    assert gpt["limits"] == {"context": 128000, "max_output": 16384}


def test_models_no_match_says_so(catalog: Path) -> None:
    result = run(catalog, "models", "--min-context", "99999999")
    assert result.stdout == ""
    assert "no model matches" in result.stderr


def test_models_unknown_provider_suggests_and_exits_1(catalog: Path) -> None:
    result = run(catalog, "models", "--provider", "opena", code=1)
    assert "unknown provider `opena`" in result.stderr
    assert "`openai`" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--capability", "telepathy"],
        ["--max-input-price", "cheap"],
        ["--max-output-price", "-1"],
        ["--kind", "robot"],
        ["--sort", "vibes"],
    ],
)
def test_models_bad_options_exit_2(catalog: Path, args: list[str]) -> None:
    result = run(catalog, "models", *args, code=2)
    assert "Invalid value" in result.output


def test_models_help_is_the_group_help(catalog: Path) -> None:
    result = CliRunner().invoke(cli, ["models", "--help"])
    assert result.exit_code == 0
    assert "list" in result.stdout and "show" in result.stdout


# --- show ----------------------------------------------------------------------------------


def test_show_prints_every_fact_provenance_and_the_other_offerings(catalog: Path) -> None:
    out = run(catalog, "show", "openai/gpt-4o").stdout
    assert out.startswith("openai/gpt-4o — GPT-4o\n")
    for fact in (
        "provider: OpenAI (openai)",
        "canonical model: openai/gpt-4o",
        "context: 128000",
        "input: text, image, pdf",
        "tool_calling: yes",
        "aliases: gpt-4o-2024-08-06",
        "input: 2.50",
        # a history entry with context tiers: one line a fact, its tiers nested
        "      - effective: 2024-05-13\n        input: 5.00\n        output: 15.00\n"
        "        until: 2024-09-30\n        tiers:\n          - above_tokens: 64000; input: 7.50\n",
        "source: manual; url: https://openai.com/api/pricing/",
        "source: manual; checked: 2026-11-27",
    ):
        assert fact in out, fact
    table = out.split("Offerings of openai/gpt-4o (2, cheapest input first)\n")[1]
    rows = table.splitlines()
    assert rows[1].split()[0] == "relay/gpt-4o"  # cheapest first
    assert rows[2].split()[:2] == ["*", "openai/gpt-4o"]  # the shown one is marked


def test_show_resolves_aliases_and_litellm_ids(catalog: Path) -> None:
    out = run(catalog, "show", "gpt-4o-2024-08-06").stdout
    assert out.startswith("openai/gpt-4o — GPT-4o\n")
    assert "(resolved from `gpt-4o-2024-08-06`)" in out
    assert run(catalog, "show", "gemini/gemini-2.5-pro").stdout.startswith("google/gemini-2.5-pro")


def test_show_a_retired_model_notes_it_without_a_warning(catalog: Path) -> None:
    out = run(catalog, "show", "openai/gpt-4-0613").stdout
    assert "note: openai/gpt-4-0613 is retired; retired on 2025-06-06; use gpt-4o instead" in out
    assert "No canonical model links this offering to others." in out


def test_show_json(catalog: Path) -> None:
    data: dict[str, Any] = json.loads(run(catalog, "show", "relay/gpt-4o", "--json").stdout)
    assert data["id"] == "relay/gpt-4o"
    assert data["offering"]["pricing"] == {"input": "2.00", "output": "8.00"}
    assert data["provider"]["name"] == "Relay"
    assert data["canonical_model"]["lab"] == "openai"
    assert [f"{o['provider']}/{o['model']}" for o in data["offerings"]] == [
        "relay/gpt-4o",
        "openai/gpt-4o",
    ]


def test_show_unknown_id_suggests_and_exits_1(catalog: Path) -> None:
    result = run(catalog, "show", "openai/gpt-4oo", code=1)
    assert result.stdout == ""
    assert "unknown model `openai/gpt-4oo`; did you mean `openai/gpt-4o`" in result.stderr
    nothing = run(catalog, "show", "zzzzzzzz", code=1)
    assert "`llmaestro models` lists every id" in nothing.stderr


def test_show_a_canonical_model_without_its_own_offering(tmp_path: Path) -> None:
    doc = sample_document()
    doc["canonical"]["acme/widget"] = {"lab": "acme", "model": "widget", "name": "Widget"}
    doc["offerings"].append({"provider": "relay", "model": "widget", "base": "acme/widget"})
    path = tmp_path / "catalog.json"
    path.write_text(export_json(Registry.from_document(doc)), "utf-8")
    out = run(path, "show", "acme/widget").stdout
    assert out.startswith("Canonical model acme/widget — Widget")
    assert "relay/widget" in out
    data = json.loads(run(path, "show", "acme/widget", "--json").stdout)
    assert data["offering"] is None and data["canonical_model"]["name"] == "Widget"


def test_models_show_is_show(catalog: Path) -> None:
    assert run(catalog, "models", "show", "openai/o3-mini").stdout == (
        run(catalog, "show", "openai/o3-mini").stdout
    )


# --- providers -----------------------------------------------------------------------------


def test_providers_table_and_json(catalog: Path) -> None:
    table = run(catalog, "providers").stdout
    assert ids_in(table) == ["google", "openai", "relay"]
    openai = next(line for line in table.splitlines() if line.startswith("openai"))
    assert openai.split() == ["openai", "OpenAI", "openai-chat", "4", "https://api.openai.com/v1"]
    data = json.loads(run(catalog, "providers", "--json").stdout)
    assert [(p["provider"], p["offering_count"]) for p in data] == [
        ("google", 1),
        ("openai", 4),
        ("relay", 2),
    ]
    assert data[0]["litellm_prefix"] == "gemini"


# --- export --------------------------------------------------------------------------------


def test_export_json_to_stdout_and_file(catalog: Path, tmp_path: Path) -> None:
    doc = json.loads(run(catalog, "export").stdout)
    assert doc["format"] == "llmaestro-catalog"
    out = tmp_path / "again.json"
    result = run(catalog, "export", "--format", "json", "--out", str(out))
    assert f"wrote 7 offerings as json to {out}" in result.stderr
    assert list(read_export(out)) == list(sample_registry())


def test_export_sqlite_needs_a_file(catalog: Path, tmp_path: Path) -> None:
    result = run(catalog, "export", "--format", "sqlite", code=2)
    assert "--out" in result.output
    out = tmp_path / "catalog.db"
    run(catalog, "export", "--format", "sqlite", "--out", str(out))
    assert list(read_export(out)) == list(sample_registry())


def test_export_yaml_and_litellm(catalog: Path) -> None:
    assert "format: llmaestro-catalog" in run(catalog, "export", "--format", "yaml").stdout
    cost = json.loads(run(catalog, "export", "--format", "litellm").stdout)
    assert cost["gemini/gemini-2.5-pro"]["litellm_provider"] == "gemini"


# --- catalogs that cannot be read ----------------------------------------------------------


@pytest.mark.parametrize("command", [["models"], ["show", "x"], ["providers"], ["export"]])
def test_an_unreadable_catalog_is_one_line_and_exit_1(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello", "utf-8")
    result = run(path, *command, code=1)
    assert result.stderr.startswith(f"llmaestro: error: {path}: not an llmaestro export")
    missing = run(tmp_path / "nope.json", *command, code=1)
    assert "no such catalog folder or file" in missing.stderr


def test_commands_are_module_level_click_objects() -> None:
    assert [c.name for c in COMMANDS] == ["models", "show", "providers"]
    assert [c.name for c in EXPORT_COMMANDS] == ["export"]
    assert isinstance(models, click.Group)
