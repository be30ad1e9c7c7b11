"""Every invalid fixture catalog gives exactly its golden output; the valid ones give none."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from llmaestro.catalog.diagnostics import format_text
from llmaestro.catalog.rules import RULES
from llmaestro.catalog.validate import validate_catalog
from llmaestro.cli.main import main
from tests.conftest import FIXTURES, GOLDEN_TODAY, ROOT

INVALID = FIXTURES / "catalog" / "invalid"
VALID = FIXTURES / "catalog" / "valid"
CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_invalid_case_matches_golden(case: str, update_goldens: bool) -> None:
    folder = INVALID / case
    result = validate_catalog(folder / "catalog", display_root="catalog", today=GOLDEN_TODAY)
    text = format_text(result.diagnostics)
    golden = folder / "expected.txt"
    if update_goldens:
        golden.write_text(text, "utf-8")
    assert text == golden.read_text("utf-8"), f"run pytest --update-goldens and review {golden}"
    assert not result.ok, "an invalid fixture must be rejected"


def test_there_are_at_least_forty_invalid_cases() -> None:
    assert len(CASES) >= 40


def test_every_rule_code_is_exercised_by_a_golden() -> None:
    seen = set()
    for case in CASES:
        for line in (INVALID / case / "expected.txt").read_text("utf-8").splitlines():
            seen.add(line.split(": ", 1)[1].split(" ", 1)[0])
    overlay_only = {"LM041"}  # exercised in tests/registry/test_overlays.py
    assert sorted(set(RULES) - seen - overlay_only) == []


def test_every_rule_is_documented_in_one_table() -> None:
    doc = (ROOT / "docs" / "catalog.md").read_text("utf-8")
    for code, meaning in RULES.items():
        assert f"| `{code}` | {meaning} |" in doc, f"docs/catalog.md lacks the row for {code}"


def test_valid_fixture_has_no_problem() -> None:
    result = validate_catalog(VALID / "catalog", today=GOLDEN_TODAY)
    assert result.diagnostics == []
    assert result.summary()["offerings"] == 2


@pytest.mark.parametrize("case", CASES)
def test_cli_never_tracebacks_and_exits_1(case: str) -> None:
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(INVALID / case)
    try:
        res = runner.invoke(
            main, ["validate", "catalog", "--format", "json", "--today", "2026-11-27"]
        )
    finally:
        os.chdir(cwd)
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output
    doc = json.loads(res.output)
    assert doc["summary"]["errors"] >= 1
    assert all({"path", "line", "column", "code", "pointer"} <= set(p) for p in doc["problems"])


def test_github_format_annotates_each_problem() -> None:
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(INVALID / "many-problems-one-run")
    try:
        res = runner.invoke(main, ["validate", "catalog", "--format", "github", "-q"])
    finally:
        os.chdir(cwd)
    lines = res.stdout.splitlines()
    assert res.exit_code == 1
    assert len(lines) == 3
    assert lines[0].startswith(
        "::error file=catalog/providers/acme/models/acme-one.yaml,line=7,col=15,title=LM023::"
    )


def test_usage_error_exits_2() -> None:
    res = CliRunner().invoke(main, ["validate", "--format", "xml"])
    assert res.exit_code == 2


def test_single_file_validation_checks_what_references_it(tmp_path: Path) -> None:
    import shutil

    from llmaestro.catalog.validate import validate_paths

    shutil.copytree(INVALID / "canonical-invalid-limits" / "catalog", tmp_path / "catalog")
    canonical = tmp_path / "catalog" / "models" / "acmelab" / "acme-one.yaml"
    result = validate_paths([canonical], today=GOLDEN_TODAY)
    files = {Path(d.path).name for d in result.errors}
    # the canonical file and the offering inheriting from it
    assert files == {"acme-one.yaml"}
    assert {Path(d.path).parent.name for d in result.errors} == {"acmelab", "models"}
