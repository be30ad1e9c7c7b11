"""Active probes: minimal live chat requests whose answers become observed facts."""

from __future__ import annotations

import json
from pathlib import Path

from llmaestro.refresh.detectors.probe import probe_observation
from llmaestro.refresh.plan import plan_drift
from llmaestro.refresh.registry import DETECTORS
from llmaestro.refresh.run import DetectOptions, run_detect
from tests.refresh._server import FAKE_KEY, LocalServer, Recorded, Reply, payload
from tests.refresh.conftest import FAST_RETRY, FIXTURE_CATALOG, clock, no_sleep

_COMPLETION = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "model": "gpt-4o-mini",
    "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}
    ],
    "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6},
}


def chat_route(r: Recorded) -> Reply:
    if r.path == "/v1/models":
        return Reply(json=payload("openai.json"))
    body = r.json
    if body.get("response_format"):
        return Reply(
            400,
            json={
                "error": {
                    "message": "response_format json_schema is not supported",
                    "type": "invalid_request_error",
                }
            },
        )
    if any(isinstance(m.get("content"), list) for m in body["messages"]):
        return Reply(429, json={"error": {"message": "slow down", "type": "rate_limit"}})
    if body.get("stream"):
        chunk = {
            "id": "c",
            "object": "chat.completion.chunk",
            "model": "gpt-4o-mini",
            "choices": [{"index": 0, "delta": {"content": "ok"}, "finish_reason": "stop"}],
        }
        usage = {
            "id": "c",
            "object": "chat.completion.chunk",
            "model": "gpt-4o-mini",
            "choices": [],
            "usage": _COMPLETION["usage"],
        }
        sse = f"data: {json.dumps(chunk)}\n\ndata: {json.dumps(usage)}\n\ndata: [DONE]\n\n"
        return Reply(body=sse.encode(), headers={"Content-Type": "text/event-stream"})
    return Reply(json=_COMPLETION)


def test_probes_become_facts(server: LocalServer, catalog: Path) -> None:
    server.route = chat_route
    detector = DETECTORS.create(
        "openai",
        catalog=FIXTURE_CATALOG,
        base_url=server.url + "/v1",
        api_key=FAKE_KEY,
        retry=FAST_RETRY,
        sleep=no_sleep,
        clock=clock,
    )
    observation = probe_observation(detector, detector.detect(), models=["gpt-4o-mini"])
    mini = observation.by_id()["gpt-4o-mini"]
    assert mini.facts["capabilities.tool_calling"] is True
    assert mini.facts["capabilities.structured_output"] is False  # rejected as invalid
    assert "modalities.input[image]" not in mini.facts  # a 429 proves nothing
    assert mini.facts["capabilities.streaming"] is True
    assert {"capabilities.tool_calling", "capabilities.streaming"} <= mini.authoritative
    assert observation.probed
    sent = [json.loads(r.body) for r in server.requests if r.path == "/v1/chat/completions"]
    assert sent and all(b["model"] == "gpt-4o-mini" for b in sent)
    assert all(b.get("max_completion_tokens") == 16 for b in sent)
    plan = plan_drift(catalog, observation)
    assert {c.path for c in plan.changes if c.offering == "gpt-4o-mini"} >= {
        "capabilities.tool_calling",
        "capabilities.structured_output",
        "capabilities.streaming",
    }


def test_probe_flag_in_a_run(server: LocalServer, catalog: Path) -> None:
    server.route = chat_route
    outcome = run_detect(
        DetectOptions(
            provider="openai",
            catalog=catalog,
            base_url=server.url + "/v1",
            api_key=FAKE_KEY,
            probe=True,
            probe_limit=1,
            dry_run=True,
            clock=clock,
            detector_options={"retry": FAST_RETRY, "sleep": no_sleep},
        )
    )
    assert outcome.exit_code == 0, outcome.message
    assert outcome.plan is not None and outcome.report is not None
    assert outcome.plan.observation.probed
    assert "capabilities probed with live requests" in outcome.report
    probed = {r.json["model"] for r in server.requests if r.path == "/v1/chat/completions"}
    assert len(probed) == 1
