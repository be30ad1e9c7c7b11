"""The goals on a small registry: linked share and unknown context (llmaestro.registry.stats),
the well-known models, and `offerings_of` listing the offerings of a model's dated snapshots."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from llmaestro.catalog.identity.goals import well_known_report
from llmaestro.catalog.model import CanonicalModel, Offering, Provider
from llmaestro.registry.core import Registry
from llmaestro.registry.stats import (
    linked_share,
    unknown_context_share,
    unknown_input_window_share,
)


def _dump(model: Any, data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = model.model_validate(data, strict=False).model_dump(
        mode="json", exclude_none=True
    )
    return out


def _registry() -> Registry:
    providers = {p: {"provider": p, "name": p} for p in ("openai", "azure", "relay", "groq")}
    canonical = {
        "openai/gpt-4o": {"lab": "openai", "model": "gpt-4o", "kind": "chat"},
        "openai/gpt-4o-2024-05-13": {
            "lab": "openai",
            "model": "gpt-4o-2024-05-13",
            "kind": "chat",
            "snapshot_of": "openai/gpt-4o",
        },
        "openai/gpt-4o-mini": {"lab": "openai", "model": "gpt-4o-mini", "kind": "chat"},
        "meta/llama-3.1-8b": {"lab": "meta", "model": "llama-3.1-8b", "kind": "chat"},
    }
    chat: dict[str, Any] = {"kind": "chat", "limits": {"context": 128000}}
    offerings = [
        {"provider": "openai", "model": "gpt-4o", "base": "openai/gpt-4o", **chat},
        {"provider": "openai", "model": "gpt-4o-2024-05-13", "base": "openai/gpt-4o-2024-05-13"},
        {"provider": "azure", "model": "gpt-4o", "base": "openai/gpt-4o", **chat},
        # named gpt-4o, linked to another model: the measure's "wrong"
        {"provider": "relay", "model": "openai/gpt-4o", "base": "openai/gpt-4o-mini", **chat},
        {"provider": "relay", "model": "gpt-4o-mini", "base": "openai/gpt-4o-mini", **chat},
        {"provider": "groq", "model": "llama-3.1-8b-instant", "base": "meta/llama-3.1-8b"},
        {"provider": "relay", "model": "meta-llama/Meta-Llama-3.1-8B-Instruct", "kind": "chat"},
        {"provider": "relay", "model": "whisper", "kind": "transcription"},
    ]
    for o in offerings:
        o.setdefault("kind", "chat")
    document = {
        "fingerprint": "identity-goals",
        "providers": {pid: _dump(Provider, p) for pid, p in providers.items()},
        "canonical": {ref: _dump(CanonicalModel, m) for ref, m in canonical.items()},
        "offerings": [_dump(Offering, o) for o in offerings],
    }
    return Registry.from_document(document, source="identity-goals", today=dt.date(2025, 6, 1))


@pytest.fixture(scope="module")
def registry() -> Registry:
    return _registry()


def test_offerings_of_a_model_include_its_dated_snapshots(registry: Registry) -> None:
    ids = {f"{o.provider}/{o.model}" for o in registry.offerings_of("openai/gpt-4o")}
    assert ids == {"openai/gpt-4o", "openai/gpt-4o-2024-05-13", "azure/gpt-4o"}
    snapshot = registry.offerings_of("openai/gpt-4o-2024-05-13")
    assert [o.model for o in snapshot] == ["gpt-4o-2024-05-13"]


def test_linked_share_counts_chat_offerings_with_a_base(registry: Registry) -> None:
    share = linked_share(registry)
    assert (share.count, share.total) == (6, 7)
    assert share.share == pytest.approx(6 / 7)


def test_unknown_context_share(registry: Registry) -> None:
    share = unknown_context_share(registry)
    assert (share.count, share.total) == (3, 7)
    # none of the three states an input limit: their input window is unknown too
    assert unknown_input_window_share(registry) == share


def test_well_known_report_counts_linked_and_wrong_links(registry: Registry) -> None:
    report = well_known_report(registry)
    by_name = {m.name: m for m in report.models}
    gpt4o = by_name["gpt-4o"]
    assert (gpt4o.ref, gpt4o.offerings, gpt4o.linked, gpt4o.providers) == ("openai/gpt-4o", 4, 3, 3)
    assert gpt4o.wrong == ("relay/openai/gpt-4o",)
    llama = by_name["llama-3.1-8b"]
    assert (llama.offerings, llama.linked, llama.unlinked, llama.wrong) == (2, 1, 1, ())
    assert "gpt-4o-mini" not in by_name  # sold by one provider: not in the measure
    assert (report.offerings, report.linked, report.wrong) == (6, 4, 1)
    assert report.share == pytest.approx(4 / 6)
