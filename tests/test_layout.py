"""The house rules that no linter states: modules stay under 500 lines (generated files aside),
imports inside functions are only for optional dependencies, lazy commands and measured
cold-start laziness, and every exception and warning llmaestro defines lives in one errors
module."""

from __future__ import annotations

import ast
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


#: classes named like errors that are not llmaestro's own errors: the stand-in for pydantic's
#: ValidationError when pydantic is absent (it must be named as pydantic's), and a Redis
#: error reply (a str, never raised)
NOT_OURS = {("_pydantic_absent.py", "ValidationError"), ("limits/_redis_wire.py", "ReplyError")}


def test_every_error_and_warning_is_defined_in_the_errors_module() -> None:
    elsewhere = []
    for path in PACKAGE.rglob("*.py"):
        rel = str(path.relative_to(PACKAGE))
        if rel == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.ClassDef)
                and node.name.endswith(("Error", "Warning", "Exception", "Timeout"))
                and (rel, node.name) not in NOT_OURS
            ):
                elsewhere.append(f"{rel}:{node.lineno} {node.name}")
    assert elsewhere == [], f"define these in llmaestro/errors.py: {elsewhere}"


def test_the_errors_module_holds_only_errors_and_warnings() -> None:
    import inspect

    import llmaestro.errors as errors

    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass)]
    own = [c for c in classes if c.__module__ == "llmaestro.errors"]
    assert own and all(issubclass(c, (Exception, Warning)) for c in own)
    # raised on purpose: each error is an LLMaestroError, so one except clause catches them
    # (OSError subclasses aside: they stand for file-system failures and are caught as such)
    loose = [
        c.__name__
        for c in own
        if issubclass(c, Exception) and not issubclass(c, (Warning, errors.LLMaestroError, OSError))
    ]
    assert loose == []
