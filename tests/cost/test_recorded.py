"""Real recorded response bodies: each one's usage and cost as llmaestro must give them.

The bodies are the 1,577 reduced response bodies (model and usage object) that genai-prices
gathered from pydantic-ai's recorded HTTP tests (``tests/dataset/usages.json`` of
pydantic/genai-prices at 47df840a5ab1, MIT). They are third-party data, so they are not in
this repository: they are read from the shared data folder beside the checkout
(``shared/data/recorded/genai-prices-47df840a5ab1-usages.json[.gz]``) or from the file named
by ``LLMAESTRO_RECORDED_BODIES``. What is here is, per selected body, a sidecar
``tests/fixtures/recorded/<provider>/<name>.expected.json`` (see ``PROVENANCE.md``):

* ``source``: the body's index in the dataset and the pydantic-ai cassette it came from;
* ``api_style`` and either ``usage`` (every non-zero :class:`Usage` field) or ``error`` (a
  shape no reader knows: the :class:`CostError` it must raise);
* ``offering``, ``pricing`` (the catalog's prices when the sidecar was made, so the check
  does not move with a re-import) and ``cost`` (``total``, ``complete``, ``unknown``);
* ``peer_differs`` / ``peer_cost``: what genai-prices made of the same body, for the
  comparison (not asserted); ``reported``: what OpenRouter said it charged.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from llmaestro.cost import Usage, cost, extract_usage
from llmaestro.cost.extract import reported_cost
from llmaestro.errors import CostError
from tests.cost.offerings import offering

ROOT = Path(__file__).resolve().parents[2]
SIDECARS = ROOT / "tests" / "fixtures" / "recorded"
DATASET_NAME = "genai-prices-47df840a5ab1-usages.json"
_CANDIDATES = [
    ROOT.parent / "shared" / "data" / "recorded" / DATASET_NAME,
    ROOT.parent / "shared" / "data" / "recorded" / (DATASET_NAME + ".gz"),
]


def _dataset_path() -> Path | None:
    named = os.environ.get("LLMAESTRO_RECORDED_BODIES")
    if named:
        return Path(named)
    return next((p for p in _CANDIDATES if p.is_file()), None)


@functools.cache
def _dataset() -> list[dict[str, Any]]:
    path = _dataset_path()
    if path is None:
        pytest.skip(
            f"the recorded bodies ({DATASET_NAME}) are not in shared/data/recorded/ "
            "and LLMAESTRO_RECORDED_BODIES names no file"
        )
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    data: list[dict[str, Any]] = json.loads(raw)
    return data


SIDECAR_FILES = sorted(SIDECARS.rglob("*.expected.json"))


def _body(expected: dict[str, Any]) -> dict[str, Any]:
    source = expected["source"]
    entry = _dataset()[source["dataset_index"]]
    body = dict(entry["body"])
    assert body.pop("file") == source["cassette"], "the dataset is not the one the sidecar names"
    return body


def test_the_corpus_covers_the_issue() -> None:
    providers = {path.parent.name for path in SIDECAR_FILES}
    assert len(SIDECAR_FILES) >= 100
    assert {"openai", "anthropic", "google"} <= providers
    compatible = providers & {"openrouter", "groq", "deepseek", "mistral", "cerebras", "zai"}
    assert len(compatible) >= 3
    styles = {json.loads(p.read_text())["api_style"] for p in SIDECAR_FILES}
    assert {"openai-chat", "openai-responses", "anthropic-messages", "gemini"} <= styles


@pytest.mark.parametrize(
    "sidecar", SIDECAR_FILES, ids=[f"{p.parent.name}/{p.name[:-14]}" for p in SIDECAR_FILES]
)
def test_recorded_body(sidecar: Path) -> None:
    expected = json.loads(sidecar.read_text())
    body = _body(expected)
    style = expected["api_style"]
    if "error" in expected:
        with pytest.raises(CostError, match=expected["error"]):
            extract_usage(body, style)
        return
    usage = extract_usage(body, style)
    assert usage == Usage(**expected["usage"])
    if "cost" in expected:
        provider, model = expected["offering"].split("/", 1)
        breakdown = cost(offering(provider, model, expected["pricing"]), usage)
        assert breakdown.total == Decimal(expected["cost"]["total"])
        assert breakdown.complete is expected["cost"]["complete"]
        assert list(breakdown.unknown) == expected["cost"]["unknown"]
    if "reported" in expected:
        reported = reported_cost(body)
        assert reported is not None
        assert reported.charged == Decimal(expected["reported"]["charged"])
        assert reported.byok is expected["reported"]["byok"]
        if expected["reported"].get("upstream_is_total"):
            # OpenRouter's upstream inference cost is what llmaestro computes
            assert reported.upstream == breakdown.total
