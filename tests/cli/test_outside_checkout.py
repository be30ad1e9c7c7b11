"""The command line outside a source checkout: read commands use the bundled catalog, validate
checks a private catalog against it, and nothing in reach is a one-line usage error.

An installed package is simulated by a copy of ``llmaestro/`` in a folder of its own (no
``catalog/`` nor ``pyproject.toml`` beside it) whose ``_data/`` holds a compiled bundle and
the JSON Schemas, as the wheel's, imported through ``PYTHONPATH``; every command runs in a
subprocess whose working directory is an empty folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from llmaestro.catalog.bundle import compile_catalog
from tests.conftest import FIXTURES, ROOT

BASE = FIXTURES / "overlays" / "base"
CASES = FIXTURES / "overlays" / "cases"


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("LLMAESTRO_BUNDLE", "LLMAESTRO_CATALOG_PATH", "PYTHONPATH")
    }
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a run with llmaestro installed elsewhere (and its bundle)."""
    root = tmp_path_factory.mktemp("install")
    site = root / "site"
    shutil.copytree(
        ROOT / "llmaestro",
        site / "llmaestro",
        ignore=shutil.ignore_patterns("__pycache__", "catalog.json"),
    )
    # what the wheel's build hook adds: the compiled bundle and the JSON Schemas
    compile_catalog(BASE, site / "llmaestro" / "_data" / "catalog.json")
    shutil.copytree(ROOT / "schemas", site / "llmaestro" / "_data" / "schemas")
    return _env(PYTHONPATH=str(site), LLMAESTRO_CACHE_DIR=str(root / "cache"))


def run(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "llmaestro", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_copy_is_what_runs(installed: dict[str, str], tmp_path: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import llmaestro.loader as l; print(l.__file__, l.default_catalog())",
        ],
        cwd=tmp_path,
        env=installed,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert not out[0].startswith(str(ROOT))
    assert out[1].endswith(os.path.join("llmaestro", "_data", "catalog.json"))


def test_stats_uses_the_bundled_catalog(installed: dict[str, str], tmp_path: Path) -> None:
    res = run(installed, tmp_path, "stats", "--format", "json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert (data["providers"], data["canonical_models"], data["offerings"]) == (2, 2, 4)
    assert data["errors"] == 0 and data["offerings_per_kind"] == {"chat": 4}
    text = run(installed, tmp_path, "stats")
    assert text.returncode == 0 and "providers: 2" in text.stdout and text.stderr == ""


def test_read_commands_use_the_bundled_catalog(installed: dict[str, str], tmp_path: Path) -> None:
    models = run(installed, tmp_path, "models", "--json")
    assert models.returncode == 0, models.stderr
    ids = [m["id"] for m in json.loads(models.stdout)]
    assert "acme/acme-one" in ids and "beta/acme-one" in ids
    show = run(installed, tmp_path, "show", "acme/acme-one")
    assert show.returncode == 0 and "Acme One" in show.stdout
    providers = run(installed, tmp_path, "providers")
    assert providers.returncode == 0 and "beta" in providers.stdout
    export = run(installed, tmp_path, "export", "--format", "json")
    assert export.returncode == 0 and len(json.loads(export.stdout)["offerings"]) == 4
    cost = run(installed, tmp_path, "cost", "-m", "acme/acme-one", "--input", "1000000",
               "--output", "0", "--json")  # fmt: skip
    assert cost.returncode == 0, cost.stderr
    assert "1.00" in cost.stdout


def test_validate_with_nothing_in_reach_is_a_usage_error(
    installed: dict[str, str], tmp_path: Path
) -> None:
    res = run(installed, tmp_path, "validate")
    assert res.returncode == 2 and res.stdout == ""
    assert len(res.stderr.splitlines()) == 1
    assert "llmaestro validate PATH" in res.stderr
    missing = run(installed, tmp_path, "validate", "my-catalog")
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr.startswith("llmaestro validate: my-catalog: no such file or folder")
    assert len(missing.stderr.splitlines()) == 1
    compiled = run(installed, tmp_path, "compile", "--out", "x.json")
    assert compiled.returncode == 2 and len(compiled.stderr.splitlines()) == 1


def test_validate_a_private_catalog_against_the_bundled_one(
    installed: dict[str, str], tmp_path: Path
) -> None:
    shutil.copytree(CASES / "valid-fine-tune-on-public-model" / "overlay", tmp_path / "mine")
    res = run(installed, tmp_path, "validate", "mine")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "mine: an overlay on the bundled catalog" in res.stdout
    shutil.copytree(CASES / "base-unknown" / "overlay", tmp_path / "broken")
    bad = run(installed, tmp_path, "validate", "broken", "-q")
    assert bad.returncode == 1
    assert bad.stdout.startswith("broken/providers/acme/models/ft~3amine.yaml:2:7: LM030 /base:")
    # a ./catalog here is in reach
    shutil.copytree(CASES / "valid-negotiated-price" / "overlay", tmp_path / "catalog")
    assert run(installed, tmp_path, "validate").returncode == 0


def test_bundle_named_by_the_environment(tmp_path: Path) -> None:
    """In the source checkout too, LLMAESTRO_BUNDLE names the catalog read commands use."""
    bundle = tmp_path / "bundle.json"
    compile_catalog(BASE, bundle)
    env = _env(LLMAESTRO_BUNDLE=str(bundle))
    stats = run(env, tmp_path, "stats", "--format", "json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["offerings"] == 4
    models = run(env, tmp_path, "models", "--json")
    assert sorted(m["id"] for m in json.loads(models.stdout)) == [
        "acme/acme-one",
        "acme/acme-one-mini",
        "acme/acme-small",
        "beta/acme-one",
    ]
