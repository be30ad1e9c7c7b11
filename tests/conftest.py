from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Timing belongs in benchmarks/: no per-example deadline (a loaded CI machine must not turn a
# slow example into a failure), and a failing example is printed so it can be replayed.
settings.register_profile(
    "llmaestro", deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("llmaestro")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: the day golden outputs are computed for (lifecycle rules depend on "today")
GOLDEN_TODAY = dt.date(2026, 11, 27)
#: "today" for every registry, validation and CLI run of the suite (subprocesses inherit
#: it): effective statuses follow the catalog's dates, so an unpinned suite would change its
#: answers as deprecation dates pass. Tests of the clock itself inject their own dates.
SUITE_TODAY = "2026-12-03"
os.environ["LLMAESTRO_TODAY"] = SUITE_TODAY


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="Rewrite golden files from the current output (review the diff!).",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))
