"""Records carry their ids, however the registry was made (bundle, overlay, export, seed API).

`Offering.id` is `provider/model`, `CanonicalModel.id` is `lab/model`, `Provider.id` is the
provider's id; the catalog's optional `id` field must equal them, so every record has one.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

import llmaestro
from llmaestro._records import CanonicalModel, Offering, Provider
from llmaestro.cli.registry import COMMANDS
from llmaestro.exports import export_json, export_sqlite, read_export
from llmaestro.registry import Registry
from tests.exports._fixtures import documents, sample_registry

SCHEMA = "# yaml-language-server: $schema=../../../../schemas/offering.schema.json\n"


def assert_ids(registry: Registry) -> None:
    """Every record of ``registry`` carries the id it is found by."""
    for offering in registry:
        assert offering.id == f"{offering.provider}/{offering.model}"
    assert [o.id for o in registry] == list(registry.ids)
    for pid, provider in registry.providers().items():
        assert provider.id == pid == provider.provider
    for ref in registry.canonical_ids:
        model = registry.canonical_model(ref)
        assert model.id == ref == f"{model.lab}/{model.model}"


def test_the_bundled_catalog_records_carry_their_ids() -> None:
    registry = llmaestro.load()
    assert registry.get("openai/gpt-4o").id == "openai/gpt-4o"
    assert registry.get("gpt-4o", provider="openai").id == "openai/gpt-4o"
    assert registry.canonical_model("anthropic/claude-sonnet-4-5").id == (
        "anthropic/claude-sonnet-4-5"
    )
    assert registry.provider("openai").id == "openai"
    assert_ids(registry)


def test_an_alias_resolves_to_the_record_of_the_offering_id() -> None:
    registry = llmaestro.load()
    aliased = next(o for o in registry if o.aliases)
    assert aliased.aliases is not None
    got = registry.get(f"{aliased.provider}/{aliased.aliases[0]}")
    assert got.id == aliased.id == f"{aliased.provider}/{aliased.model}"


def test_records_built_directly_derive_the_id() -> None:
    assert Offering("openai", "gpt-4o").id == "openai/gpt-4o"
    assert CanonicalModel("anthropic", "claude-sonnet-4-5").id == "anthropic/claude-sonnet-4-5"
    assert Provider("OpenAI", "openai").id == "openai"
    assert Offering._from({"provider": "p", "model": "m/x"}).id == "p/m/x"


def test_overlay_records_carry_their_ids(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    files = {
        "providers/openai/models/gpt-4o.yaml": SCHEMA + "pricing:\n  input: 2.00\n",
        "providers/openai/models/ft~3agpt-4o~3aacme.yaml": SCHEMA + "base: openai/gpt-4o\n",
    }
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)
    registry = llmaestro.load(overlays=[folder])
    assert registry.get("openai/gpt-4o").id == "openai/gpt-4o"
    assert registry.get("openai/ft:gpt-4o:acme").id == "openai/ft:gpt-4o:acme"
    assert_ids(registry)


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(documents())
def test_exports_read_back_carry_their_ids(doc: dict[str, Any]) -> None:
    registry = Registry.from_document(doc)
    assert_ids(registry)
    with tempfile.TemporaryDirectory() as tmp:
        as_json = Path(tmp) / "catalog.json"
        as_json.write_text(export_json(registry), "utf-8")
        as_sqlite = Path(tmp) / "catalog.sqlite"
        export_sqlite(registry, as_sqlite)
        for path in (as_json, as_sqlite):
            back = read_export(path)
            assert_ids(back)
            assert list(back) == list(registry)


def test_the_export_document_names_each_object_by_its_id() -> None:
    doc = json.loads(export_json(sample_registry(), generated="x"))
    assert all(p["id"] == p["provider"] for p in doc["providers"])
    assert all(m["id"] == f"{m['lab']}/{m['model']}" for m in doc["canonical_models"])
    assert all(o["id"] == f"{o['provider']}/{o['model']}" for o in doc["offerings"])


def test_an_export_does_not_depend_on_which_records_were_read() -> None:
    registry = sample_registry()
    before = export_json(registry, generated="x")
    for offering in registry:  # decodes every record
        assert offering.id
    assert export_json(registry, generated="x") == before


def test_seed_facades_return_records_with_ids() -> None:
    from llmaestro.llm.llm_registry import LLMRegistry
    from llmaestro.llm.provider_registry import Provider as SeedProvider
    from llmaestro.llm.provider_registry import ProviderRegistry

    assert LLMRegistry().get_model("openai/gpt-4o").id == "openai/gpt-4o"
    providers = ProviderRegistry()
    registered = providers.register_provider(
        "anthropic", SeedProvider(api_base="https://api.anthropic.com")
    )
    assert registered.id == "anthropic"
    assert providers.get_provider("anthropic").id == "anthropic"


# --- `--json` listings --------------------------------------------------------------------


@click.group()
def cli() -> None:
    """Stands in for `llmaestro`."""


for _command in COMMANDS:
    cli.add_command(_command)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ids") / "catalog.json"
    path.write_text(export_json(sample_registry()), "utf-8")
    return path


def run_json(catalog: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, [*args, "--json", "--catalog", str(catalog)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_models_json_lists_ids(catalog: Path) -> None:
    rows = run_json(catalog, "models")
    assert rows
    assert [r["id"] for r in rows] == [f"{r['provider']}/{r['model']}" for r in rows]


def test_providers_json_lists_ids(catalog: Path) -> None:
    rows = run_json(catalog, "providers")
    assert rows and all(r["id"] == r["provider"] for r in rows)


def test_show_json_gives_every_record_its_id(catalog: Path) -> None:
    shown = run_json(catalog, "show", "openai/gpt-4o")
    assert shown["offering"]["id"] == "openai/gpt-4o"
    assert shown["provider"]["id"] == "openai"
    canonical = shown["canonical_model"]
    assert canonical["id"] == f"{canonical['lab']}/{canonical['model']}"
    assert all(o["id"] == f"{o['provider']}/{o['model']}" for o in shown["offerings"])
