"""Property: registry -> export -> load gives an equal registry (JSON and SQLite)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import llmaestro
from llmaestro.exports import build_litellm_export, export_json, export_sqlite, read_export
from llmaestro.registry.core import Registry
from tests.exports._fixtures import documents

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _assert_equal(a: Registry, b: Registry) -> None:
    assert list(a) == list(b)
    assert dict(a.providers()) == dict(b.providers())
    assert a.canonical_ids == b.canonical_ids
    assert [a.canonical_model(r) for r in a.canonical_ids] == [
        b.canonical_model(r) for r in b.canonical_ids
    ]
    assert a.info.fingerprint == b.info.fingerprint
    assert a.to_document() == b.to_document()


def _round_trip(registry: Registry, fmt: str) -> Registry:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"catalog.{fmt}"
        if fmt == "json":
            path.write_text(export_json(registry), "utf-8")
        else:
            export_sqlite(registry, path)
        return read_export(path)


@SETTINGS
@given(documents())
def test_json_round_trip(doc: dict[str, Any]) -> None:
    registry = Registry.from_document(doc)
    back = _round_trip(registry, "json")
    _assert_equal(registry, back)
    assert export_json(back, generated="x") == export_json(registry, generated="x")


@SETTINGS
@given(documents())
def test_sqlite_round_trip(doc: dict[str, Any]) -> None:
    registry = Registry.from_document(doc)
    _assert_equal(registry, _round_trip(registry, "sqlite"))


@SETTINGS
@given(documents())
def test_litellm_export_never_fails(doc: dict[str, Any]) -> None:
    registry = Registry.from_document(doc)
    result = build_litellm_export(registry)
    cost = result.model_cost
    left_out = {label for label, _why in result.skipped}
    assert len(cost) + len(left_out) >= len(registry)  # each offering: a key, or said why not
    for entry in cost.values():
        assert isinstance(entry["litellm_provider"], str)
        for key, value in entry.items():
            if "cost" in key and not isinstance(value, dict):
                assert isinstance(value, float) and value >= 0


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["json", "sqlite"])
def test_the_repository_catalog_round_trips(fmt: str) -> None:
    registry = llmaestro.load()
    _assert_equal(registry, _round_trip(registry, fmt))
