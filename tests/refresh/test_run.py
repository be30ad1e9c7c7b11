"""A failed or partial fetch changes nothing: every fault ends the run with a non-zero exit
and a clear reason, the catalog byte for byte as it was, and no key in any output."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmaestro.refresh.run import DetectOptions, run_detect
from tests.refresh._providers import serve
from tests.refresh._server import FAKE_KEY, LocalServer, Recorded, Reply, payload
from tests.refresh.conftest import FAST_RETRY, clock, no_sleep, snapshot


def run(server_url: str, catalog: Path, provider: str, **kw: object) -> object:
    options = DetectOptions(
        provider=provider,
        catalog=catalog,
        base_url=server_url,
        api_key=kw.pop("api_key", FAKE_KEY),  # type: ignore[arg-type]
        clock=clock,
        timeout=kw.pop("timeout", 5.0),  # type: ignore[arg-type]
        detector_options={"retry": FAST_RETRY, "sleep": no_sleep},
        **kw,  # type: ignore[arg-type]
    )
    return run_detect(options)


def check_nothing_changed(
    catalog: Path, before: dict[str, str], outcome: object, *words: str
) -> None:
    assert outcome.exit_code == 1  # type: ignore[attr-defined]
    assert snapshot(catalog) == before
    message = outcome.message  # type: ignore[attr-defined]
    for word in words:
        assert word.lower() in message.lower(), message
    assert FAKE_KEY not in message
    assert FAKE_KEY not in (outcome.report or "")  # type: ignore[attr-defined]


def test_server_error_after_retries(server: LocalServer, catalog: Path) -> None:
    server.route = lambda r: Reply(500, json={"error": {"message": "upstream exploded"}})
    before = snapshot(catalog)
    outcome = run(server.url + "/v1", catalog, "openai")
    check_nothing_changed(catalog, before, outcome, "openai", "upstream exploded", "500")
    assert len(server.requests) == 2  # retried once (FAST_RETRY), then gave up


def test_timeout(server: LocalServer, catalog: Path) -> None:
    server.route = lambda r: Reply(json=payload("openai.json"), delay=3.0)
    before = snapshot(catalog)
    outcome = run(server.url + "/v1", catalog, "openai", timeout=0.3)
    check_nothing_changed(catalog, before, outcome, "timed out")


def test_malformed_json(server: LocalServer, catalog: Path) -> None:
    server.route = lambda r: Reply(body=b'{"object": "list", "data": [{"id": "gpt-4o"')
    before = snapshot(catalog)
    outcome = run(server.url + "/v1", catalog, "openai")
    check_nothing_changed(catalog, before, outcome, "not valid JSON")


def test_a_missing_page(server: LocalServer, catalog: Path) -> None:
    def route(r: Recorded) -> Reply:
        if r.query.get("after_id"):
            return Reply(
                404,
                json={
                    "type": "error",
                    "error": {"type": "not_found_error", "message": "page expired"},
                },
            )
        return Reply(json=payload("anthropic_page1.json"))

    server.route = route
    before = snapshot(catalog)
    outcome = run(server.url + "/v1", catalog, "anthropic")
    check_nothing_changed(
        catalog, before, outcome, "fetching the model list failed", "page expired"
    )


def test_a_missing_gemini_page(server: LocalServer, catalog: Path) -> None:
    base = serve(server, "google")
    route = server.route
    server.route = lambda r: (
        Reply(503, json={"error": {"message": "backend unavailable"}})
        if r.query.get("pageToken")
        else route(r)
    )
    before = snapshot(catalog)
    outcome = run(base, catalog, "google")
    check_nothing_changed(catalog, before, outcome, "backend unavailable")


def test_an_empty_list(server: LocalServer, catalog: Path) -> None:
    server.route = lambda r: Reply(json={"object": "list", "data": []})
    before = snapshot(catalog)
    outcome = run(server.url + "/v1", catalog, "openai")
    check_nothing_changed(catalog, before, outcome, "listed no models")


def test_an_authentication_failure(server: LocalServer, catalog: Path) -> None:
    base = serve(server, "anthropic")
    before = snapshot(catalog)
    outcome = run(base, catalog, "anthropic", api_key="sk-wrong-key-0000000000")
    check_nothing_changed(catalog, before, outcome, "invalid x-api-key")
    assert "sk-wrong-key-0000000000" not in outcome.message  # type: ignore[attr-defined]
    assert len(server.requests) == 1  # 401 is never retried


def test_a_body_of_the_wrong_shape(server: LocalServer, catalog: Path) -> None:
    server.route = lambda r: Reply(json=[{"id": "claude-3-haiku-20240307"}])
    before = snapshot(catalog)
    outcome = run(server.url + "/v1", catalog, "anthropic")
    check_nothing_changed(catalog, before, outcome, "anthropic")


def test_a_malformed_entry(server: LocalServer, catalog: Path) -> None:
    body = payload("anthropic_page2.json")
    body["data"][0]["max_tokens"] = "lots"
    server.route = lambda r: Reply(json=body)
    before = snapshot(catalog)
    outcome = run(server.url + "/v1", catalog, "anthropic")
    check_nothing_changed(catalog, before, outcome, "malformed", "max_tokens")


def test_no_key(catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    before = snapshot(catalog)
    outcome = run("http://127.0.0.1:9/v1", catalog, "openai", api_key=None)
    check_nothing_changed(catalog, before, outcome, "no API key", "OPENAI_API_KEY")


def test_failure_report_is_written(server: LocalServer, catalog: Path, tmp_path: Path) -> None:
    server.route = lambda r: Reply(json={"object": "list", "data": []})
    report = tmp_path / "report.md"
    outcome = run(server.url + "/v1", catalog, "openai", report=report)
    assert outcome.exit_code == 1  # type: ignore[attr-defined]
    text = report.read_text()
    assert "failed" in text and "Nothing was changed" in text and "listed no models" in text


def test_too_many_gone_refuses(server: LocalServer, catalog: Path, tmp_path: Path) -> None:
    listing = payload("openrouter.json")
    listing["data"] = listing["data"][:2]  # 5 of 7 offerings would be gone
    server.route = lambda r: Reply(json=listing)
    before = snapshot(catalog)
    report = tmp_path / "r.md"
    outcome = run(server.url + "/api/v1", catalog, "openrouter", report=report)
    check_nothing_changed(catalog, before, outcome, "refused", "5 of 7")
    text = report.read_text()
    assert "Nothing was changed" in text and "⛔ gone share" in text


def test_a_higher_gone_share_allows_it(server: LocalServer, catalog: Path) -> None:
    listing = payload("openrouter.json")
    listing["data"] = listing["data"][:2]
    server.route = lambda r: Reply(json=listing)
    outcome = run(server.url + "/api/v1", catalog, "openrouter", max_gone_share=0.8, dry_run=True)
    assert outcome.exit_code == 0  # type: ignore[attr-defined]
    assert len(outcome.plan.gone) == 5  # type: ignore[attr-defined]
