"""The README's "Calling providers" example, run as written (the catalog's Anthropic client,
its key from ANTHROPIC_API_KEY) against a local server speaking the Messages API: for a
model the catalog knows and for one it does not, where ``reply.cost.total`` used to raise
AttributeError because ``reply.cost`` was None."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from llmaestro.cost import CostBreakdown
from llmaestro.errors import UnknownModelWarning
from tests.clients._replies import serve
from tests.clients._server import FAKE_KEY, LocalServer

# The models these examples name may be past their deprecation date as of the suite's
# day: the lookup warns (DeprecatedModelWarning), which is not what these tests check.
pytestmark = pytest.mark.filterwarnings("ignore::llmaestro.DeprecatedModelWarning")

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_example() -> str:
    """The Python block under "## Calling providers"."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Calling providers", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found is not None, "README: no python block under 'Calling providers'"
    return found.group(1)


def run_example(server: LocalServer, model: str | None = None) -> dict[str, Any]:
    code = readme_example()
    call = 'client_for("anthropic")'
    assert call in code and "reply.cost.total" in code
    code = code.replace(call, f'client_for("anthropic", base_url={server.url + "/v1"!r})')
    if model is not None:
        code = code.replace('"claude-sonnet-4-5"', repr(model))
    # the README's `for ...: ...` loop body is an Ellipsis: run it, then read the last event
    scope: dict[str, Any] = {"messages": [{"role": "user", "content": "Count to 3"}]}
    try:
        exec(compile(code, str(README), "exec"), scope)
    finally:
        if "client" in scope:  # the example leaves it open (a script would exit)
            scope["client"].close()
    return scope


def test_the_readme_example_runs_as_written(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
    serve(server, "anthropic", "claude-sonnet-4-5-20250929")
    scope = run_example(server)
    reply = scope["reply"]
    assert reply.text == "Hi" and reply.cost.complete and reply.cost.total > 0
    assert reply.cost.model_id == "anthropic/claude-sonnet-4-5-20250929"
    assert server.requests[0].headers["x-api-key"] == FAKE_KEY
    assert server.requests[1].json["stream"] is True  # the stream line ran too
    assert scope["event"].response.cost == reply.cost


def test_the_readme_example_with_a_model_the_catalog_lacks(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
    serve(server, "anthropic", "claude-next-preview-20990101")
    with pytest.warns(UnknownModelWarning, match="claude-next-preview"):
        scope = run_example(server, "claude-next-preview")
    cost = scope["reply"].cost
    assert isinstance(cost, CostBreakdown) and not cost.complete and cost.total == 0
    assert cost.input is None and cost.output is None
