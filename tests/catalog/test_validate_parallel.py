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
