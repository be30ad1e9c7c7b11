"""Fixtures of the interface tests: a local server per test, recorded waits, the catalog."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import llmaestro
from llmaestro.registry.core import Registry
from tests.clients._server import LocalServer, Waits


@pytest.fixture
def server() -> Iterator[LocalServer]:
    srv = LocalServer()
    try:
        yield srv
    finally:
        srv.close()


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture(scope="session")
def registry() -> Registry:
    return llmaestro.load()
