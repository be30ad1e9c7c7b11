"""Validation pauses the cyclic garbage collector and leaves it as it found it."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from llmaestro.catalog.validate import validate_catalog

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "catalog" / "valid" / "catalog"
TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def collector() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.usefixtures("collector")
def test_what_a_run_keeps_joins_the_oldest_generation_and_the_collector_runs_again() -> None:
    gc.enable()
    gc.collect()
    result = validate_catalog(VALID, today=TODAY)
    assert result.ok
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert gc.get_count()[0] < 20  # nothing young left to scan at the next allocation
    assert any(gc.is_tracked(o) for o in result.offerings.values())


@pytest.mark.usefixtures("collector")
def test_objects_the_process_froze_stay_frozen() -> None:
    gc.enable()
    gc.freeze()
    frozen = gc.get_freeze_count()
    assert frozen > 0
    validate_catalog(VALID, today=TODAY)
    assert gc.get_freeze_count() == frozen
    assert gc.isenabled()


@pytest.mark.usefixtures("collector")
def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    validate_catalog(VALID, today=TODAY)
    assert not gc.isenabled()
