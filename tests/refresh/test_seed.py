"""The seed's ``ModelCapabilityDetectorFactory`` against local servers."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from llmaestro.refresh.detectors.base import DetectorError
from llmaestro.refresh.seed import (
    ModelCapabilityDetectorFactory,
    ModelNotListedError,
    mangle,
)
from tests.refresh._providers import serve
from tests.refresh._server import FAKE_KEY, LocalServer, Reply
from tests.refresh.conftest import FAST_RETRY, FIXTURE_CATALOG, no_sleep

Factory: Any = ModelCapabilityDetectorFactory


@pytest.fixture
def servers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[dict[str, LocalServer]]:
    monkeypatch.setenv("LLMAESTRO_CACHE_DIR", str(tmp_path / "cache"))
    made = {"anthropic": LocalServer(), "openai": LocalServer()}
    Factory.configure(
        catalog=FIXTURE_CATALOG,
        base_urls={name: serve(server, name) for name, server in made.items()},
        retry=FAST_RETRY,
        sleep=no_sleep,
        timeout=5.0,
    )
    yield made
    Factory.configure()
    for server in made.values():
        server.close()


def test_register_all_models(servers: dict[str, LocalServer]) -> None:
    found = asyncio.run(
        Factory.register_all_models(anthropic_api_key=FAKE_KEY, openai_api_key=FAKE_KEY)
    )
    haiku = found["anthropic/claude-3-haiku-20240307"]
    assert haiku.limits.max_output == 4096 and haiku.limits.max_input == 200000
    assert haiku.limits.context == 200000  # from the catalog
    assert haiku.capabilities.batch is True and haiku.capabilities.citations is False
    assert haiku.pricing.input == Decimal("0.25")  # the catalog's, untouched
    assert haiku.provenance[-1].source == "detector:anthropic"
    assert haiku.provenance[-1].checked == dt.datetime.now(dt.UTC).date()
    new = found["anthropic/claude-opus-4-1-20250805"]  # not in the catalog yet
    assert new.limits.max_output == 32000 and new.kind == "chat"
    assert found["openai/gpt-4o"].pricing.input == Decimal("2.50")
    assert found["openai/gpt-4o-mini"].lifecycle.release_date == dt.date(2024, 7, 16)
    assert all(type(o).__name__ == "Offering" for o in found.values())
    assert len(servers["anthropic"].requests) == 2  # both pages


def test_generated_per_model_methods(servers: dict[str, LocalServer]) -> None:
    assert "register_claude_3_5_sonnet_latest" in dir(Factory)
    sonnet = asyncio.run(Factory.register_claude_3_5_sonnet_latest(FAKE_KEY))
    assert sonnet.model == "claude-3-5-sonnet-20241022"
    assert sonnet.lifecycle.status == "deprecated"  # what the live API says
    assert sonnet.limits.max_output == 8192
    method = Factory.register_gpt_4o_mini
    assert method.__name__ == "register_gpt_4o_mini"
    mini = asyncio.run(method(FAKE_KEY))
    assert (mini.provider, mini.model) == ("openai", "gpt-4o-mini")
    with pytest.raises(ModelNotListedError):
        asyncio.run(Factory.register_babbage_002(FAKE_KEY))  # in the catalog, not listed
    with pytest.raises(AttributeError):
        _ = Factory.register_no_such_model_anywhere
    # a model the catalog does not know yet, found by its mangled name in the live listing
    opus = asyncio.run(Factory.register_claude_opus_4_1_20250805(FAKE_KEY))
    assert opus.model == "claude-opus-4-1-20250805"
    assert mangle("claude-3-5-sonnet-latest") == "claude_3_5_sonnet_latest"


def test_failures_and_bad_arguments(servers: dict[str, LocalServer]) -> None:
    servers["openai"].route = lambda r: Reply(500, json={"error": {"message": "boom"}})
    with pytest.raises(DetectorError, match="openai: fetching the model list failed"):
        asyncio.run(
            Factory.register_all_models(anthropic_api_key=FAKE_KEY, openai_api_key=FAKE_KEY)
        )
    with pytest.raises(TypeError):
        asyncio.run(Factory.register_all_models(foo_api_key="x"))
    with pytest.raises(DetectorError, match="no API key"):
        asyncio.run(Factory.register_all_models())
