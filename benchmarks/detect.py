"""Detector speed: a 400-model listing compared, applied and validated, network excluded.

A copy of the real catalog (in a temporary folder) and a real HTTP server on 127.0.0.1
serving OpenRouter's ``GET /api/v1/models`` wire format: every OpenRouter offering of the
catalog as the catalog has it, with a few upstream changes (new prices on 20 models, a new
context window on 10), plus new models up to 400 entries. Each run is one
``run_detect()`` (``llmaestro detect openrouter`` without ``--open-pr``: compare, validate
the changed files and what references them, write them as one transaction) on a fresh copy.

Timed: the whole run, and the fetch inside it (from the detector asking for the listing to
its having the parsed listing: the HTTP round trip, JSON decoding and translation). The
goal is on the rest, from having the listing to having a validated change written: the
median of 5 runs <= 1.5 s. The CPU time of the run (this thread, the fetch's taken out) is
printed beside it (other work on the machine stretches it less than the wall time).

Before the timed runs the copy meets the listing of its own offerings once ("first
contact", printed: OpenRouter then fills in what the catalog did not know, e.g. capabilities
its supported parameters show, in most files); the timed runs start from that settled copy,
as a scheduled run starts from the last one's result.

Run: python benchmarks/detect.py   (or `make bench`)
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from llmaestro.catalog.tree import CatalogTree  # noqa: E402
from llmaestro.catalog.validate import validate_paths  # noqa: E402
from llmaestro.refresh.run import DetectOptions, run_detect  # noqa: E402
from tests._localserver import LocalServer, Recorded, Reply  # noqa: E402

PROVIDER = "openrouter"
LISTED = 400
PRICE_CHANGES = 20
CONTEXT_CHANGES = 10
RUNS = 5
GOAL = 1.5
TODAY = dt.date(2026, 12, 3)
NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)

_MILLION = Decimal(1_000_000)
#: capability -> the supported parameter OpenRouter lists for it
_PARAMETERS = {
    "tool_calling": "tools",
    "tool_choice": "tool_choice",
    "structured_output": "structured_outputs",
    "json_mode": "response_format",
    "temperature": "temperature",
    "logprobs": "logprobs",
}


def _per_token(price: Any) -> str:
    return "0" if price is None else format(Decimal(str(price)) / _MILLION, "f")


def _epoch(day: Any) -> int | None:
    if day is None:
        return None
    when = dt.datetime.combine(dt.date.fromisoformat(str(day)), dt.time(), tzinfo=dt.UTC)
    return int(when.timestamp())


def _wire(model_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """One OpenRouter listing entry saying what the catalog's resolved offering says."""
    pricing = data.get("pricing") or {}
    limits = data.get("limits") or {}
    modalities = data.get("modalities") or {}
    caps = data.get("capabilities") or {}
    params = [name for cap, name in _PARAMETERS.items() if caps.get(cap)]
    if (caps.get("reasoning") or {}).get("supported"):
        params.append("reasoning")
    entry: dict[str, Any] = {
        "id": model_id,
        "canonical_slug": model_id,
        "name": data.get("name") or model_id,
        "created": _epoch(data.get("lifecycle", {}).get("release_date")),
        "description": "",
        "context_length": limits.get("context"),
        "architecture": {
            "modality": "text->text",
            "input_modalities": [
                "file" if m == "pdf" else m for m in modalities.get("input") or ["text"]
            ],
            "output_modalities": list(modalities.get("output") or ["text"]),
            "tokenizer": "Other",
            "instruct_type": None,
        },
        "pricing": {
            "prompt": _per_token(pricing.get("input")),
            "completion": _per_token(pricing.get("output")),
            "request": "0",
            "image": "0",
            "web_search": "0",
            "internal_reasoning": "0",
        },
        "top_provider": {
            "context_length": limits.get("context"),
            "max_completion_tokens": limits.get("max_output"),
            "is_moderated": False,
        },
        "per_request_limits": None,
        "supported_parameters": params,
    }
    if pricing.get("cache_read") is not None:
        entry["pricing"]["input_cache_read"] = _per_token(pricing["cache_read"])
    return entry


def current_listing(catalog: Path) -> list[dict[str, Any]]:
    """The listing saying what the catalog says of every OpenRouter offering."""
    tree = CatalogTree(catalog)
    paths = tree.offerings(PROVIDER)
    provider_file = tree.provider_file(PROVIDER)
    assert provider_file is not None
    result = validate_paths([provider_file, *paths.values()], today=TODAY)
    assert result.ok, result.errors[:3]
    return [
        _wire(mid, result.offerings[(PROVIDER, mid)].model_dump(exclude_none=True, mode="json"))
        for mid in sorted(paths)
        if (PROVIDER, mid) in result.offerings
    ]


def drifted(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``entries`` after a few upstream changes (new input prices, longer contexts), plus new
    models up to :data:`LISTED` entries."""
    out = [json.loads(json.dumps(e)) for e in entries]
    priced = [e for e in out if e["pricing"]["prompt"] != "0"]
    for entry in priced[:PRICE_CHANGES]:
        entry["pricing"]["prompt"] = format(Decimal(entry["pricing"]["prompt"]) * 2, "f")
    sized = [e for e in out if e["context_length"] and e not in priced[:PRICE_CHANGES]]
    for entry in sized[:CONTEXT_CHANGES]:
        entry["context_length"] *= 2
        entry["top_provider"]["context_length"] = entry["context_length"]
    for n in range(LISTED - len(out)):
        new = {
            "name": f"Bench Lab: New Model {n}",
            "limits": {"context": 131072, "max_output": 8192},
            "pricing": {"input": "0.5", "output": "1.5"},
            "capabilities": {"tool_calling": True, "temperature": True},
            "lifecycle": {"release_date": "2026-11-20"},
        }
        out.append(_wire(f"bench-lab/new-model-{n:03d}", new))
    return out


def fresh_copy(source: Path, work: Path) -> Path:
    """A copy of the catalog at ``source`` (and the schemas beside it) in ``work``."""
    shutil.copytree(source, work / "catalog")
    if (source.parent / "schemas").is_dir():
        shutil.copytree(source.parent / "schemas", work / "schemas")
    return work / "catalog"


def one_run(catalog: Path, base_url: str, **options: Any) -> tuple[float, float, float, Any]:
    """(whole run, fetch, CPU time without the fetch) seconds of one ``run_detect`` on
    ``catalog``; its outcome. The CPU time is this thread's (the server runs in another)."""
    marks: dict[str, tuple[float, float]] = {}

    def progress(message: str) -> None:
        if message.startswith(f"{PROVIDER}: reading "):
            marks["fetch"] = (time.perf_counter(), time.thread_time())
        elif message.endswith(" models listed"):
            marks["listed"] = (time.perf_counter(), time.thread_time())

    run = DetectOptions(provider=PROVIDER, catalog=catalog, base_url=base_url, clock=lambda: NOW)
    for key, value in options.items():
        setattr(run, key, value)
    gc.collect()
    start, cpu = time.perf_counter(), time.thread_time()
    outcome = run_detect(run, progress=progress)
    total, cpu = time.perf_counter() - start, time.thread_time() - cpu
    fetch = marks["listed"][0] - marks["fetch"][0]
    return total, fetch, cpu - (marks["listed"][1] - marks["fetch"][1]), outcome


class _Listing:
    """What the 127.0.0.1 server answers on ``GET /api/v1/models``."""

    def __init__(self) -> None:
        self.body: dict[str, Any] = {"data": []}

    def __call__(self, request: Recorded) -> Reply:
        if request.method == "GET" and request.path == "/api/v1/models":
            return Reply(json=self.body)
        return Reply(404, json={"error": {"message": f"no route {request.path}"}})


def main() -> int:
    route = _Listing()
    server = LocalServer(route)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            base_url = server.url + "/api/v1"
            entries = current_listing(ROOT / "catalog")
            # first contact: the real catalog meets OpenRouter's listing of its own offerings
            route.body = {"data": entries}
            settled = fresh_copy(ROOT / "catalog", work / "settled")
            first, first_fetch, _, outcome = one_run(settled, base_url, max_new_count=LISTED)
            assert outcome.exit_code == 0, outcome.message
            first_files = len(outcome.written)
            again = one_run(settled, base_url)[3]
            assert again.exit_code == 0 and not again.written, again.message
            # a scheduled run: the listing drifted upstream since the last one
            route.body = {"data": drifted(entries)}
            listed = len(route.body["data"])
            totals, fetches, cpus = [], [], []
            for index in range(RUNS):
                catalog = fresh_copy(settled, work / f"run{index}")
                total, fetch, cpu, outcome = one_run(catalog, base_url)
                assert outcome.exit_code == 0, outcome.message
                totals.append(total)
                fetches.append(fetch)
                cpus.append(cpu)
            plan = outcome.plan
            local = [t - f for t, f in zip(totals, fetches, strict=True)]
            median = statistics.median(local)
            print(
                f"detect {PROVIDER}: a {listed}-model listing served from 127.0.0.1 "
                f"({len(entries)} models of the catalog, {listed - len(entries)} new; "
                f"{PRICE_CHANGES} new prices, {CONTEXT_CHANGES} new context windows)"
            )
            print(
                f"  plan: {len(plan.changes)} field change(s), {len(plan.prices)} price "
                f"change(s), {len(plan.new)} new, {len(plan.gone)} gone, "
                f"{len(plan.held_back)} held back; {outcome.message}"
            )
            print(
                f"  whole run, median of {RUNS}: {statistics.median(totals):.3f} s, of which "
                f"the fetch (HTTP + parse): {statistics.median(fetches):.3f} s; CPU time "
                f"without the fetch: {statistics.median(cpus):.3f} s"
            )
            print(
                f"  first contact (the catalog's {len(entries)} models, {first_files} files "
                f"changed), once: {first - first_fetch:.3f} s network excluded"
            )
            print(
                f"compare + validate + apply, network excluded, median of {RUNS}: "
                f"{median:.3f} s (runs: {', '.join(f'{t:.3f}' for t in local)})  "
                f"goal <= {GOAL} s: {'PASS' if median <= GOAL else 'FAIL'}"
            )
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
