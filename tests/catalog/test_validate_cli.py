"""``llmaestro validate`` as a process on hostile files: exit 1, one line per problem, no
traceback, no key, no control character; the text and GitHub outputs are golden files."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

VALID = FIXTURES / "catalog" / "valid" / "catalog"
GOLDENS = FIXTURES / "catalog" / "cli"
KEY = "sk-proj-Zq8vR2mT5xW9yB3nK7pL4sD6fH1jG0aQeUcV"
#: a folder name with the characters that end a GitHub annotation property
FOLDER = "my: cat,alog"
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _hostile_catalog(tmp_path: Path) -> Path:
    root = tmp_path / FOLDER
    shutil.copytree(VALID, root)
    models = root / "providers" / "acme" / "models"
    small = (models / "acme-small.yaml").read_text("utf-8")
    (models / "acme-small.yaml").write_text(
        small.replace("kind: chat", 'kind: "x\\nvalid: 4 files; 0 errors\\e]0;pwned\\a"'), "utf-8"
    )
    (models / "acme-nul.yaml").write_text(small.replace("lifecycle:", "life\x00cycle:"), "utf-8")
    (models / "acme-ls.yaml").write_text(small.replace("Acme Small", "Acme\u2028Small"), "utf-8")
    (models / "acme-deep.yaml").write_text(small + "x: " + "[" * 990 + "]" * 990 + "\n", "utf-8")
    (models / "acme-big.yaml").write_text(
        small.replace("context: 32000", "context: 1" + "0" * 4400), "utf-8"
    )
    provider = root / "providers" / "acme" / "provider.yaml"
    provider.write_text(provider.read_text("utf-8").replace("[ACME_API_KEY]", f"[{KEY}]"), "utf-8")
    return root


def _validate(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "llmaestro", "validate", *args, "--today", "2026-11-27"],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_hostile_files_give_exit_1_and_the_golden_lines(
    tmp_path: Path, fmt: str, update_goldens: bool
) -> None:
    _hostile_catalog(tmp_path)
    out = _validate(tmp_path, FOLDER, "--base-catalog", "none", "--format", fmt, "-q")
    assert out.returncode == 1, out.stderr
    assert out.stderr == ""
    golden = GOLDENS / f"hostile.{fmt}"
    if update_goldens:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(out.stdout, "utf-8")
    assert out.stdout == golden.read_text("utf-8"), f"run pytest --update-goldens, review {golden}"
    assert KEY not in out.stdout and not _CONTROL.search(out.stdout)


def test_the_json_output_has_every_problem_and_the_summary(tmp_path: Path) -> None:
    _hostile_catalog(tmp_path)
    text = _validate(tmp_path, FOLDER, "--base-catalog", "none", "-q")
    out = _validate(tmp_path, FOLDER, "--base-catalog", "none", "--format", "json")
    assert out.returncode == 1, out.stderr
    document = json.loads(out.stdout)
    assert (
        len(document["problems"]) == len(text.stdout.splitlines()) == document["summary"]["errors"]
    )
    assert KEY not in out.stdout


def test_the_summary_cannot_be_forged(tmp_path: Path) -> None:
    _hostile_catalog(tmp_path)
    out = _validate(tmp_path, FOLDER, "--base-catalog", "none")
    assert out.returncode == 1
    verdicts = [line for line in out.stdout.splitlines() if re.match(r"(valid|INVALID): ", line)]
    assert len(verdicts) == 1 and verdicts[0].startswith("INVALID: ")
    assert "Traceback" not in out.stderr and "internal error" not in out.stderr


def test_an_empty_catalog_is_one_problem_and_exit_1(tmp_path: Path) -> None:
    (tmp_path / "empty" / "models").mkdir(parents=True)
    out = _validate(tmp_path, "empty", "--base-catalog", "none", "-q")
    assert (out.returncode, out.stderr) == (1, "")
    assert out.stdout == (
        "empty:1:1: LM042 /: the catalog holds no offering "
        "(expected at least one providers/<provider>/models/<model>.yaml)\n"
    )
