"""On the core install (`pip install llmaestro`, no extras) the command line starts, and each
feature whose extra is missing says so in one line naming the `pip install` command."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

import llmaestro
from llmaestro.catalog.bundle import compile_catalog
from llmaestro.cli import NEEDS, main
from llmaestro.loader import default_catalog
from tests.packaging.core_only import run_cli, run_python

AUTHORING = "pydantic, PyYAML, ruamel.yaml: pip install 'llmaestro[authoring]'"


@pytest.mark.parametrize(
    ("args", "needs"),
    [
        (["validate", "catalog"], AUTHORING),
        (["schemas", "--check"], AUTHORING),
        (["fmt", "--check"], AUTHORING),
        (["tokens", "-", "--model", "openai/gpt-4o"], "tiktoken: pip install 'llmaestro[tokens]'"),
        (["site", "build", "out"], "Jinja2, pydantic: pip install 'llmaestro[site]'"),
        (
            ["detect", "openai"],
            "pydantic, PyYAML, ruamel.yaml, httpx: pip install 'llmaestro[authoring,clients]'",
        ),
    ],
)
def test_a_command_without_its_extra_says_which_in_one_line(args: list[str], needs: str) -> None:
    out = run_cli(*args)
    assert out.returncode == 1
    assert out.stdout == ""
    (line,) = out.stderr.strip().splitlines()
    assert line == f"llmaestro: error: `llmaestro {args[0]}` needs {needs}"


def test_only_the_missing_extra_is_named() -> None:
    pydantic = ["pydantic", "pydantic_core", "annotated_types", "typing_extensions"]
    out = run_cli("detect", "openai", extra=[*pydantic, "typing_inspection", "yaml", "ruamel"])
    assert out.stderr.strip().splitlines()[-1] == (
        "llmaestro: error: `llmaestro detect` needs httpx: pip install 'llmaestro[clients]'"
    )


@pytest.mark.parametrize("command", sorted(NEEDS))
def test_help_needs_no_extra(command: str) -> None:
    out = run_cli(command, "--help")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Usage: llmaestro ")


def test_every_command_that_needs_an_extra_exists() -> None:
    assert set(NEEDS) <= set(main.commands)


def test_the_library_features_say_which_extra() -> None:
    out = run_python(
        "from llmaestro.errors import MissingDependencyError\n"
        "def attempt(f):\n"
        "    try:\n"
        "        f()\n"
        "    except MissingDependencyError as exc:\n"
        "        print(exc)\n"
        "from llmaestro.llm.token_utils import count_tokens\n"
        "attempt(lambda: count_tokens('Hello, world', 'openai/gpt-4o'))\n"
        "from llmaestro.llm.rate_limiter import RedisBackend\n"
        "attempt(lambda: RedisBackend('redis://127.0.0.1:1/0').server_time())\n"
        "attempt(lambda: __import__('llmaestro.site'))\n"
        "import llmaestro.llm.interfaces as interfaces\n"
        "attempt(lambda: interfaces.client_for('openai/gpt-4o'))\n"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "count_tokens() needs tiktoken: pip install 'llmaestro[tokens]'",
        "RedisBackend (the distributed rate limiter) needs redis: pip install 'llmaestro[redis]'",
        "the catalog site (llmaestro site build) needs Jinja2, pydantic: "
        "pip install 'llmaestro[site]'",
        "the provider clients (llmaestro.clients) needs httpx: pip install 'llmaestro[clients]'",
    ]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The compiled catalog, as the wheel has it (a source checkout compiles with pydantic;
    ``LLMAESTRO_BUNDLE`` names a bundle file, never a folder)."""
    source = default_catalog()
    if os.path.isfile(source):  # an installed package: its own bundle
        return {"LLMAESTRO_BUNDLE": source}
    out = tmp_path_factory.mktemp("bundle") / "catalog.json"
    compile_catalog(Path(source), out)
    return {"LLMAESTRO_BUNDLE": str(out)}


def test_the_read_commands_work_on_the_core_install(bundle: dict[str, str], tmp_path: Path) -> None:
    listing = run_cli("models", "--json", env=bundle)
    assert listing.returncode == 0, listing.stderr
    assert "openai/gpt-4o" in {m["id"] for m in json.loads(listing.stdout)}
    show = run_cli("show", "openai/gpt-4o", env=bundle)
    assert show.returncode == 0 and "openai/gpt-4o" in show.stdout, show.stderr
    providers = run_cli("providers", env=bundle)
    assert providers.returncode == 0 and "openai" in providers.stdout, providers.stderr
    cost = run_cli("cost", "-m", "openai/gpt-4o", "--input", "1000", "--output", "10", env=bundle)
    assert cost.returncode == 0 and "total" in cost.stdout.lower(), cost.stderr
    for fmt in ("json", "sqlite"):
        out = tmp_path / f"catalog.{fmt}"
        done = run_cli("export", "--format", fmt, "--out", str(out), env=bundle)
        assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "catalog.json").read_text("utf-8"))["offerings"]
    with sqlite3.connect(tmp_path / "catalog.sqlite") as con:
        (count,) = con.execute("SELECT count(*) FROM offerings").fetchone()
    assert count == len(llmaestro.load().ids)


def test_writing_yaml_and_reading_exports_back_need_authoring(
    bundle: dict[str, str], tmp_path: Path
) -> None:
    out = run_cli("export", "--format", "yaml", env=bundle)
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [
        "llmaestro: error: export --format yaml needs PyYAML: pip install 'llmaestro[authoring]'"
    ]
    exported = tmp_path / "catalog.json"
    assert run_cli("export", "--format", "json", "--out", str(exported), env=bundle).returncode == 0
    back = run_cli("models", "--catalog", str(exported), env=bundle)
    assert back.returncode == 1
    assert back.stderr.strip().splitlines() == [
        "llmaestro: error: reading an export (load(catalog=FILE)) needs pydantic: "
        "pip install 'llmaestro[authoring]'"
    ]
