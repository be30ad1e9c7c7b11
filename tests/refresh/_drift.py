"""Helpers of the drift tests: observations from a local server or by hand, and a plan
validated on a copy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from llmaestro.refresh.apply import validate_plan
from llmaestro.refresh.observation import Observation, ObservedOffering
from llmaestro.refresh.plan import plan_drift
from llmaestro.refresh.registry import DETECTORS
from tests.refresh._providers import serve
from tests.refresh._server import FAKE_KEY, LocalServer
from tests.refresh.conftest import NOW, detector_options

URL = "https://api.example.test/v1/models"


def observe(server: LocalServer, provider: str, catalog: Path) -> Observation:
    detector = DETECTORS.create(
        provider,
        catalog=catalog,
        base_url=serve(server, provider),
        api_key=FAKE_KEY,
        **detector_options(),
    )
    return detector.detect()


def manual(
    provider: str,
    entries: dict[str, dict[str, Any]],
    authoritative: set[str],
    *,
    complete: bool = True,
) -> Observation:
    offerings = tuple(
        ObservedOffering(
            model_id=mid,
            facts=facts,
            authoritative=frozenset(k for k in facts if k in authoritative),
        )
        for mid, facts in entries.items()
    )
    return Observation(provider, provider, URL, NOW, offerings, complete_listing=complete)


def text(catalog: Path, rel: str) -> str:
    return (catalog / rel).read_text()


def run(catalog: Path, observation: Observation, **kw: Any) -> Any:
    plan = plan_drift(catalog, observation, **kw)
    validate_plan(plan)
    return plan


OR = "providers/openrouter/models/"
