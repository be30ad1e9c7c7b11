"""``llmaestro detect`` and ``scripts/refresh_catalog.py``."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from llmaestro.cli.detect import detect, provider_matrix
from llmaestro.refresh.run import DetectOutcome
from tests.refresh._providers import serve
from tests.refresh._server import FAKE_KEY, LocalServer
from tests.refresh.conftest import FIXTURE_CATALOG, snapshot

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GROQ_API_KEY", "OPENAI_API_KEY", "GITHUB_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def invoke(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(detect, list(args), env=env, catch_exceptions=False)


def test_list_providers_is_a_matrix() -> None:
    result = invoke("--list-providers", "--catalog", str(FIXTURE_CATALOG))
    assert result.exit_code == 0
    matrix = json.loads(result.stdout)
    providers = [entry["provider"] for entry in matrix]
    assert "ollama" not in providers  # a local server: not scheduled
    assert len(providers) == 11
    by_id = {entry["provider"]: entry for entry in matrix}
    assert by_id["google"]["secret"] == "GEMINI_API_KEY"  # the catalog's first auth.env
    assert by_id["anthropic"] == {
        "provider": "anthropic",
        "label": "Anthropic",
        "secret": "ANTHROPIC_API_KEY",
    }
    only = json.loads(
        invoke(
            "--list-providers", "--only", "groq,ollama", "--catalog", str(FIXTURE_CATALOG)
        ).stdout
    )
    assert [e["provider"] for e in only] == ["groq", "ollama"]
    assert invoke("--list-providers", "--only", "nope").exit_code == 2


def test_dry_run_prints_the_report(server: LocalServer, catalog: Path) -> None:
    base = serve(server, "groq")
    before = snapshot(catalog)
    result = invoke(
        "groq",
        "--catalog",
        str(catalog),
        "--base-url",
        base,
        "--dry-run",
        env={"GROQ_API_KEY": FAKE_KEY},
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("## Catalog refresh: Groq (`groq`)")
    assert "`llama-3.1-8b-instant`" in result.stdout
    assert "dry run; 3 file(s) would change" in result.stderr
    assert "[" not in result.stderr.split("\n")[0]  # no progress lines when not a terminal
    assert snapshot(catalog) == before
    assert FAKE_KEY not in result.output


def test_apply_then_nothing_new(server: LocalServer, catalog: Path, tmp_path: Path) -> None:
    base = serve(server, "groq")
    report = tmp_path / "groq.md"
    # the key from a variable named on the command line (the workflow's way)
    result = invoke(
        "groq",
        "--catalog",
        str(catalog),
        "--base-url",
        base,
        "--report",
        str(report),
        "-v",
        "--api-key-env",
        "MY_KEY",
        env={"MY_KEY": FAKE_KEY},
    )
    assert result.exit_code == 0, result.stderr
    assert "3 file(s) written" in result.stderr
    assert "groq: reading " in result.stderr  # -v: progress lines even without a terminal
    assert (catalog / "providers/groq/models/llama-3.1-8b-instant.yaml").is_file()
    assert report.read_text().startswith("## Catalog refresh: Groq")
    again = invoke(
        "groq",
        "--catalog",
        str(catalog),
        "--base-url",
        base,
        "--api-key-env",
        "MY_KEY",
        env={"MY_KEY": FAKE_KEY},
    )
    assert again.exit_code == 0
    assert "nothing new" in again.stderr


def test_failures_and_usage_errors(server: LocalServer, catalog: Path) -> None:
    base = serve(server, "groq")
    wrong = invoke(
        "groq",
        "--catalog",
        str(catalog),
        "--base-url",
        base,
        env={"GROQ_API_KEY": "sk-nope-0000000000"},
    )
    assert wrong.exit_code == 1
    assert "groq: fetching the model list failed" in wrong.stderr
    assert "sk-nope" not in wrong.output
    assert invoke("--catalog", str(catalog)).exit_code == 2
    assert invoke("groq", "--dry-run", "--open-pr").exit_code == 2
    assert invoke("groq", "--api-key-env", "UNSET_VARIABLE_X").exit_code == 2
    unknown = invoke("nosuchprovider", "--catalog", str(catalog))
    assert unknown.exit_code == 1 and "no detector for provider 'nosuchprovider'" in unknown.stderr


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "refresh_catalog", ROOT / "scripts" / "refresh_catalog.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_script_loops_providers_and_reports_failures(
    catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = _script()
    seen: list[tuple[str, Path | None, bool]] = []

    def fake_run(options: Any, progress: Any = None) -> DetectOutcome:
        seen.append((options.provider, options.report, options.open_pr))
        failed = options.provider == "xai"
        return DetectOutcome(options.provider, int(failed), f"{options.provider}: done")

    monkeypatch.setattr(script, "run_detect", fake_run)
    runner = CliRunner()
    result = runner.invoke(
        script.main,
        [
            "groq",
            "xai",
            "deepseek",
            "--catalog",
            str(catalog),
            "--open-pr",
            "--report-dir",
            str(tmp_path / "r"),
        ],
    )
    assert result.exit_code == 1
    assert [s[0] for s in seen] == ["groq", "xai", "deepseek"]  # one failure stops nothing
    assert seen[0][1] == tmp_path / "r" / "refresh-groq.md" and seen[0][2]
    assert "failed: xai" in result.stderr
    everything = runner.invoke(script.main, ["--catalog", str(catalog), "--dry-run"])
    assert everything.exit_code == 1  # xai still fails
    assert len(seen) == 3 + len(provider_matrix(catalog))
    listing = runner.invoke(script.main, ["--list-providers", "--catalog", str(catalog)])
    assert json.loads(listing.stdout) == provider_matrix(catalog)
    assert runner.invoke(script.main, ["groq", "xai", "--base-url", "http://x"]).exit_code == 2


def test_script_runs_one_provider(server: LocalServer, catalog: Path) -> None:
    script = _script()
    base = serve(server, "xai")
    result = CliRunner().invoke(
        script.main,
        ["xai", "--catalog", str(catalog), "--base-url", base, "--dry-run", "--api-key-env", "K"],
        env={"K": FAKE_KEY},
    )
    assert result.exit_code == 0, result.stderr
    assert "xai: dry run; 3 file(s) would change" in result.stderr


def test_the_report_goes_to_stdout_or_fails_in_one_line(
    server: LocalServer, catalog: Path, tmp_path: Path
) -> None:
    base = serve(server, "groq")
    common = ["groq", "--catalog", str(catalog), "--base-url", base, "--dry-run"]
    env = {"GROQ_API_KEY": FAKE_KEY}
    dash = invoke(*common, "--report", "-", env=env)
    assert dash.exit_code == 0, dash.stderr
    assert dash.stdout.startswith("## Catalog refresh: Groq (`groq`)")
    assert dash.stdout.count("## Catalog refresh") == 1
    fifo = tmp_path / "a-fifo"  # never replaced, never opened (it would block)
    os.mkfifo(fifo)
    bad = invoke(*common, "--report", str(fifo), env=env)
    assert bad.exit_code == 1
    assert bad.stderr.count("\n") == 1 and "writing the report failed" in bad.stderr
    assert "Traceback" not in bad.output
