"""A window known only as one seller's serving window does not vote in a canonical model's
consensus; the other facts of the same offering still do."""

from __future__ import annotations

from typing import Any

from llmaestro.catalog.identity.families import SELLER_WINDOW, Group, consensus_facts
from llmaestro.catalog.identity.normalise import Candidate
from llmaestro.catalog.importers.common import LITELLM
from llmaestro.catalog.importers.draft import Draft

CANDIDATE = Candidate("qwen3-14b", "qwen3-14b", (), (), None)


def _draft(provider: str, context: int, *, seller: bool) -> Draft:
    facts: dict[str, Any] = {"kind": "chat", "limits": {"context": context, "max_output": 8192}}
    draft = Draft(
        provider, "qwen3-14b", facts, f"litellm `{provider}/qwen3-14b`", sources=[LITELLM]
    )
    if seller:
        path = ("limits", "context")
        draft.field_origin[path] = f"litellm `{provider}/qwen3-14b` {SELLER_WINDOW}"
    return draft


def test_seller_windows_do_not_outvote_the_stated_one() -> None:
    members = [
        (_draft("fireworks-ai", 40960, seller=True), CANDIDATE),
        (_draft("deepinfra", 40960, seller=True), CANDIDATE),
        (_draft("openrouter", 131072, seller=False), CANDIDATE),
    ]
    facts = consensus_facts(Group("qwen3-14b", members))
    assert facts["limits"]["context"] == 131072
    assert facts["limits"]["max_output"] == 8192  # the sellers' other facts still vote


def test_only_seller_windows_leave_the_model_window_unknown() -> None:
    members = [
        (_draft("fireworks-ai", 40960, seller=True), CANDIDATE),
        (_draft("deepinfra", 40960, seller=True), CANDIDATE),
    ]
    facts = consensus_facts(Group("qwen3-14b", members))
    assert "context" not in facts.get("limits", {})
