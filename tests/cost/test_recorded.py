"""Real recorded response bodies: each one's usage and cost as llmaestro must give them.

The bodies are the 1,577 reduced response bodies (model and usage object) that genai-prices
gathered from pydantic-ai's recorded HTTP tests (``tests/dataset/usages.json`` of
pydantic/genai-prices at 47df840a5ab1, MIT), and 95 streamed responses of pydantic-ai's
cassettes at 4fda38988f29 (MIT), each reduced to its events' type, model and usage, and 39
of those cassettes' bodies with web searches or generated images (usage, output item types,
search queries). They are
third-party data, so they are not in this repository: they are read from the shared data
folder beside the checkout (``shared/data/recorded/``, :data:`DATASETS`, optionally ``.gz``)
or from the folder named by ``LLMAESTRO_RECORDED_DIR``. What is here is, per selected body, a
sidecar
``tests/fixtures/recorded/<provider>/<name>.expected.json`` (see ``PROVENANCE.md``):

* ``source``: the dataset, the body's index in it and the pydantic-ai cassette it came from
  (``stream``: the body is a list of stream events, read with ``extract_stream_usage``);
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

from llmaestro.cost import Usage, cost, extract_stream_usage, extract_usage
from llmaestro.cost.extract import reported_cost
from llmaestro.errors import CostError
from tests.cost.offerings import offering

ROOT = Path(__file__).resolve().parents[2]
SIDECARS = ROOT / "tests" / "fixtures" / "recorded"
#: dataset name (a sidecar's ``source.dataset``) -> its file
DATASETS = {
    "genai-prices": "genai-prices-47df840a5ab1-usages.json",
    "pydantic-ai-streams": "pydantic-ai-4fda38988f29-streams.json",
    "pydantic-ai-bodies": "pydantic-ai-4fda38988f29-bodies.json",
}


def _folder() -> Path:
    named = os.environ.get("LLMAESTRO_RECORDED_DIR")
    return Path(named) if named else ROOT.parent / "shared" / "data" / "recorded"


@functools.cache
def _dataset(name: str) -> list[dict[str, Any]]:
    base = _folder() / DATASETS[name]
    for path in (base, base.with_name(base.name + ".gz")):
        if path.is_file():
            raw = path.read_bytes()
            data: list[dict[str, Any]] = json.loads(
                gzip.decompress(raw) if path.suffix == ".gz" else raw
            )
            return data
    pytest.skip(
        f"the recorded bodies ({DATASETS[name]}) are not in {_folder()} "
        "(shared/data/recorded/ beside the checkout, or LLMAESTRO_RECORDED_DIR)"
    )


SIDECAR_FILES = sorted(SIDECARS.rglob("*.expected.json"))


def _body(expected: dict[str, Any]) -> Any:
    """The recorded body (or, for a stream, its list of events) a sidecar names."""
    source = expected["source"]
    entry = _dataset(source.get("dataset", "genai-prices"))[source["dataset_index"]]
    if expected.get("stream"):
        assert entry["file"] == source["cassette"], "not the dataset the sidecar names"
        assert entry["interaction"] == source["interaction"]
        return entry["events"]
    if "interaction" in source:  # pydantic-ai-bodies
        assert (entry["file"], entry["interaction"]) == (source["cassette"], source["interaction"])
        return entry["body"]
    body = dict(entry["body"])
    assert body.pop("file") == source["cassette"], "not the dataset the sidecar names"
    return body


def test_the_corpus_covers_the_issue() -> None:
    providers = {path.parent.name for path in SIDECAR_FILES}
    assert len(SIDECAR_FILES) >= 100
    assert {"openai", "anthropic", "google"} <= providers
    compatible = providers & {"openrouter", "groq", "deepseek", "mistral", "cerebras", "zai"}
    assert len(compatible) >= 3
    sidecars = [json.loads(p.read_text()) for p in SIDECAR_FILES]
    styles = {s["api_style"] for s in sidecars}
    assert {"openai-chat", "openai-responses", "anthropic-messages", "gemini"} <= styles
    streamed = {s["api_style"] for s in sidecars if s.get("stream")}
    assert {"openai-chat", "openai-responses", "anthropic-messages", "gemini"} <= streamed


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
    if expected.get("stream"):
        usage = extract_stream_usage(body, style)
    else:
        usage = extract_usage(body, style)
    assert usage == Usage(**expected["usage"])
    if "cost" in expected:
        provider, model = expected["offering"].split("/", 1)
        breakdown = cost(offering(provider, model, expected["pricing"]), usage)
        assert breakdown.total == Decimal(expected["cost"]["total"])
        assert breakdown.complete is expected["cost"]["complete"]
        assert list(breakdown.unknown) == expected["cost"]["unknown"]
    if "reported" in expected:
        reported = reported_cost(body[-1] if expected.get("stream") else body)
        assert reported is not None
        assert reported.charged == Decimal(expected["reported"]["charged"])
        assert reported.byok is expected["reported"]["byok"]
        if expected["reported"].get("upstream_is_total"):
            # OpenRouter's upstream inference cost is what llmaestro computes
            assert reported.upstream == breakdown.total
