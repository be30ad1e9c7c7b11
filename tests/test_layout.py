"""The house rules that no linter states: modules stay under 500 lines (generated files aside),
and imports inside functions are only for optional dependencies, lazy commands and measured
cold-start laziness."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "llmaestro"
GENERATED = {"_records.py"}
LIMIT = 500


def test_no_module_is_over_500_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE)): n
        for path in PACKAGE.rglob("*.py")
        if path.name not in GENERATED and (n := len(path.read_text().splitlines())) > LIMIT
    }
    assert long == {}, f"split these modules (over {LIMIT} lines): {long}"


def test_generated_modules_say_so() -> None:
    for name in GENERATED:
        assert "GENERATED" in (PACKAGE / name).read_text()[:400]
