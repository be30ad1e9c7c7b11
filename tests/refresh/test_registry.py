"""The detector registry: built-ins, registration, and third-party detectors from the
``llmaestro.detectors`` entry points (a broken plugin never breaks the built-ins)."""

from __future__ import annotations

import pytest

from llmaestro.llm import capability_detector
from llmaestro.refresh.detectors.deepseek import DeepSeekDetector
from llmaestro.refresh.registry import ENTRY_POINT_GROUP, DetectorRegistry


class AcmeDetector(DeepSeekDetector):
    provider = "acme"
    label = "Acme"


def test_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib.metadata import EntryPoint

    points = [
        EntryPoint("acme", "tests.refresh.test_registry:AcmeDetector", "llmaestro.detectors"),
        EntryPoint("broken", "tests.refresh.no_such_module:X", "llmaestro.detectors"),
    ]

    def entry_points(group: str) -> list[EntryPoint]:
        return points if group == "llmaestro.detectors" else []

    monkeypatch.setattr("importlib.metadata.entry_points", entry_points)
    registry = DetectorRegistry()
    assert "acme" in registry.providers()
    assert registry.get("acme") is AcmeDetector
    assert "openai" in registry  # built-ins unaffected by a broken plugin
    assert len(registry.errors) == 1 and "broken" in registry.errors[0]
    registry.register(AcmeDetector, provider="acme2")
    assert registry.get("acme2") is AcmeDetector
    with pytest.raises(TypeError):
        registry.register(object)  # type: ignore[arg-type]
    assert ENTRY_POINT_GROUP == capability_detector.ENTRY_POINT_GROUP == "llmaestro.detectors"
