"""Fixtures of the loader's tests: a copy of the valid fixture catalog, and a private cache
folder of the test's own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from llmaestro.catalog import cachedir, seal_memo
from llmaestro.registry.bundle_reader import is_sealed
from tests.conftest import FIXTURES


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(FIXTURES / "catalog" / "valid" / "catalog", root)
    return root


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("LLMAESTRO_CACHE_DIR", str(folder))
    monkeypatch.setattr(cachedir, "_WARNED", set())
    return folder


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the bundles whose seal was hashed, in order (the seal check replaced by
    one that records its calls)."""
    calls: list[int] = []

    def counting(data: bytes) -> bool:
        calls.append(len(data))
        return is_sealed(data)

    monkeypatch.setattr(seal_memo, "is_sealed", counting)
    return calls
