"""Shared fixtures: the small source snapshots of tests/fixtures/importers, laid out in a
temporary repository (with the symbolic links git does not need to carry) and imported once."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from llmaestro.catalog.importers.pipeline import ImportResult, run_import
from tests.conftest import FIXTURES, ROOT

SOURCES = FIXTURES / "importers"
MD_DAY = dt.date(2026, 7, 2)
LL_DAY = dt.date(2026, 10, 26)


@dataclass
class Repo:
    """A temporary repository: sources, hand-authored facts, schemas and a catalog folder."""

    root: Path
    models_dev: Path
    litellm: Path
    manual: Path

    @property
    def catalog(self) -> Path:
        return self.root / "catalog"

    def run(self, *, litellm: bool = True, models_dev: bool = True) -> ImportResult:
        return run_import(
            out=self.catalog,
            models_dev=self.models_dev if models_dev else None,
            litellm=self.litellm if litellm else None,
            manual_dir=self.manual,
            models_dev_date=MD_DAY,
            litellm_date=LL_DAY,
        )


def make_repo(root: Path) -> Repo:
    shutil.copytree(SOURCES, root / "data", symlinks=True)
    shutil.copytree(ROOT / "schemas", root / "schemas")
    md = root / "data" / "models.dev-0123abc"
    mirror = md / "providers" / "mirror" / "models"
    mirror.mkdir(parents=True, exist_ok=True)
    # a provider serving another provider's file, and a link to a file that is gone
    os.symlink("../../acme/models/acme-chat.toml", mirror / "acme-chat.toml")
    os.symlink("../../acme/models/missing.toml", mirror / "gone.toml")
    return Repo(
        root,
        md,
        root / "data" / "litellm-9.9.9-model_prices_and_context_window.json",
        root / "data" / "manual",
    )


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return make_repo(tmp_path)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Repo, ImportResult]:
    """The fixture sources imported once (read-only for the tests that use it)."""
    repo = make_repo(tmp_path_factory.mktemp("repo"))
    return repo, repo.run()
