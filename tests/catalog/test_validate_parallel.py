"""Validation in forked workers finds exactly what one process finds."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from llmaestro.catalog.validate import default_jobs, validate_catalog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalog"
TODAY = dt.date(2025, 6, 1)

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")


def _merged_invalid_catalog(folder: Path) -> Path:
    """Every invalid fixture case's providers and canonical models in one catalog (a case's
    folders renamed after it, so that cases do not meet), beside the valid fixture."""
    root = folder / "catalog"
    shutil.copytree(FIXTURES / "valid" / "catalog", root)
    for case in sorted((FIXTURES / "invalid").iterdir()):
        for kind in ("providers", "models"):
            source = case / "catalog" / kind
            if source.is_dir():
                for entry in sorted(source.iterdir()):
                    target = root / kind / f"{case.name}-{entry.name}"
                    if entry.is_dir() and not target.exists():
                        shutil.copytree(entry, target, symlinks=True)
    return root


@pytest.mark.parametrize("jobs", [2, 3])
def test_workers_report_what_one_process_reports(tmp_path: Path, jobs: int) -> None:
    root = _merged_invalid_catalog(tmp_path)
    one = validate_catalog(root, today=TODAY)
    many = validate_catalog(root, today=TODAY, jobs=jobs)
    assert one.errors  # the invalid cases are found at all
    assert [d.format() for d in many.diagnostics] == [d.format() for d in one.diagnostics]
    assert many.summary() == one.summary()


def test_a_valid_catalog_is_valid_in_workers_too() -> None:
    one = validate_catalog(FIXTURES / "valid" / "catalog", today=TODAY)
    many = validate_catalog(FIXTURES / "valid" / "catalog", today=TODAY, jobs=2)
    assert one.ok and many.ok
    assert many.summary() == one.summary()


def test_the_default_worker_count_is_the_cpus_at_most_four() -> None:
    assert 1 <= default_jobs() <= 4
    assert default_jobs() <= (os.cpu_count() or 1)


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the children forked during the test."""
    pids: list[int] = []
    real = os.fork

    def fork() -> int:
        pid = real()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return pids


def _reaped(pids: list[int]) -> bool:
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False
    return bool(pids)


def test_a_share_that_fails_is_reported_and_every_child_is_reaped(forked: list[int]) -> None:
    from llmaestro.catalog.validate_parallel import run_shares

    def first(_v: object, _pids: list[str]) -> tuple[list[object], int, int, int, int]:
        raise ValueError("boom")

    with pytest.raises(RuntimeError, match=r"a validation worker failed: ValueError\('boom'\)"):
        run_shares(object(), [["a"], ["b"]], first)  # type: ignore[arg-type]
    assert len(forked) == 2 and _reaped(forked)


def test_a_share_whose_process_dies_is_reported(forked: list[int]) -> None:
    from llmaestro.catalog.validate_parallel import run_shares

    def first(_v: object, _pids: list[str]) -> tuple[list[object], int, int, int, int]:
        os._exit(3)  # killed before it wrote anything

    with pytest.raises(RuntimeError, match="a validation worker died"):
        run_shares(object(), [["a"]], first)  # type: ignore[arg-type]
    assert len(forked) == 1 and _reaped(forked)


def test_the_calling_process_checks_no_share_itself(tmp_path: Path) -> None:
    """The shares are checked in children only: what they read dies with them, unfreed."""
    import llmaestro.catalog.validate as validate

    seen: list[object] = []
    real = validate._Validator.finish

    def spy(self: validate._Validator) -> validate.ValidationResult:
        seen.append(os.getpid())
        return real(self)

    root = _merged_invalid_catalog(tmp_path)
    try:
        validate._Validator.finish = spy  # type: ignore[method-assign]
        many = validate_catalog(root, today=TODAY, jobs=2)
    finally:
        validate._Validator.finish = real  # type: ignore[method-assign]
    assert many.summary()["canonical_models"] > 0
    assert seen == []  # finish() ran in a child, never here
