from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from llmaestro._http.retry import RetryPolicy
from tests.refresh._github import FakeGitHub
from tests.refresh._server import LocalServer

FIXTURE_CATALOG = Path(__file__).resolve().parent.parent / "fixtures" / "detectors" / "catalog"
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
#: retries without waiting (and without jitter), two attempts
FAST_RETRY = RetryPolicy(max_attempts=2, initial_delay=0.0, jitter=0.0)


def no_sleep(seconds: float) -> None:
    pass


def clock() -> dt.datetime:
    return NOW


@pytest.fixture
def server() -> Iterator[LocalServer]:
    s = LocalServer()
    yield s
    s.close()


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    fake = FakeGitHub()
    yield fake
    fake.close()


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    """A copy of the small fixture catalog in ``<tmp>/repo/catalog`` (``repo`` looks like a
    repository root)."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    shutil.copytree(FIXTURE_CATALOG, repo / "catalog")
    return repo / "catalog"


def snapshot(root: Path) -> dict[str, str]:
    """Every file below ``root`` and its content digest."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def detector_options() -> dict[str, object]:
    return {"retry": FAST_RETRY, "sleep": no_sleep, "clock": clock, "timeout": 5.0}
