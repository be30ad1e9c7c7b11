"""The report: the sections of the pull request body."""

from __future__ import annotations

from pathlib import Path

from llmaestro.refresh.report import render_report
from tests.refresh._drift import observe, run
from tests.refresh._server import LocalServer
from tests.refresh.conftest import NOW


def test_report_sections(server: LocalServer, catalog: Path) -> None:
    plan = run(catalog, observe(server, "openrouter", catalog))
    report = render_report(plan, now=NOW, title="Catalog refresh: OpenRouter")
    assert report.startswith("## Catalog refresh: OpenRouter\n")
    for heading in (
        "### Price changes",
        "### New offerings",
        "### Gone offerings",
        "### Limit changes",
        "### Capability and modality changes",
        "### Guards",
    ):
        assert heading in report
    assert "| `anthropic/claude-3.5-sonnet` | input | 3.0 | 6.0 | +100.0 % |" in report
    assert "| `meta-llama/llama-3.3-70b-instruct` | `limits.context` | 131072 | 128000 |" in report
    assert "Report generated 2026-11-27 12:00 UTC" in report
    assert "at 2026-11-27 12:00 UTC" in report
    assert "✅ gone share: 1 of 7 active offerings" in report
    assert f"fingerprint={plan.fingerprint()}" in report
