"""Fixtures the command tests share with the tests of the code the commands drive: ``repo``
(the importers' temporary repository of source snapshots), ``server`` (a local provider API)
and ``catalog`` (a copy of the detectors' small fixture catalog; test_registry.py overrides it
with a compiled catalog of its own)."""

from __future__ import annotations

from tests.catalog.importers.conftest import repo
from tests.refresh.conftest import catalog, server

__all__ = ["catalog", "repo", "server"]
