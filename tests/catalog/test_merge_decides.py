"""A based offering validated merged first reports exactly what validating it alone first did."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from llmaestro.catalog import merge_decides
from llmaestro.catalog import validate as validate_module
from llmaestro.catalog.tree import CatalogTree
from llmaestro.catalog.validate import validate_catalog
from tests.catalog.test_validate_parallel import _merged_invalid_catalog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalog"
TODAY = dt.date(2025, 6, 1)


class _AloneFirst(CatalogTree):
    """The tree as before: every file validated alone when read."""

    @property
    def defer_based(self) -> bool:
        return False

    @defer_based.setter
    def defer_based(self, value: bool) -> None:
        pass


def _both(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    merged_first = validate_catalog(root, today=TODAY)
    with monkeypatch.context() as m:
        m.setattr(validate_module, "CatalogTree", _AloneFirst)
        alone_first = validate_catalog(root, today=TODAY)
    assert merged_first.summary() == alone_first.summary()
    return (
        [d.format() for d in merged_first.diagnostics],
        [d.format() for d in alone_first.diagnostics],
    )


def test_the_models_have_only_value_local_validators() -> None:
    # a model validator, or a field validator reading other fields, breaks the module's
    # argument: merge_decides must then learn what it checks (or the models keep SAFE)
    assert merge_decides.SAFE


def test_every_invalid_case_reports_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    merged_first, alone_first = _both(_merged_invalid_catalog(tmp_path), monkeypatch)
    assert merged_first
    assert merged_first == alone_first


OFFERING = "# yaml-language-server: $schema=../../../../schemas/offering.schema.json\n"


@pytest.mark.parametrize(
    ("base_extra", "offering_extra"),
    [
        # the base completes the file's mapping: the file alone is still missing a key
        (
            "capabilities:\n  reasoning:\n    supported: true\n",
            "capabilities:\n  reasoning:\n    toggle: true\n",
        ),
        # a value the merge keeps as the file has it
        ("", "limits:\n  context: -5\n"),
        ("", "limits: 7\n"),
        ("", "unknown_key: 1\n"),
        ("", "base_omit: [limits.nothing, Bad.Path]\n"),
        ("", "base_omit: [limits.nothing]\n"),
        ("", "modalities:\n  input: null\n"),
    ],
)
def test_a_file_completed_or_spoiled_by_its_base_reports_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, base_extra: str, offering_extra: str
) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(FIXTURES / "valid" / "catalog", root)
    canonical = root / "models" / "acmelab" / "acme-one.yaml"
    canonical.write_text(canonical.read_text() + base_extra)
    offering = root / "providers" / "acme" / "models" / "acme-one.yaml"
    offering.write_text(offering.read_text() + offering_extra)
    merged_first, alone_first = _both(root, monkeypatch)
    assert merged_first == alone_first
    if offering_extra.startswith("capabilities"):
        assert any("supported" in line for line in merged_first)


def test_only_complete_mappings_let_the_merge_decide() -> None:
    complete: dict[str, Any] = {"capabilities": {"reasoning": {"supported": True}}}
    assert merge_decides.file_alone_is_implied(complete)
    assert not merge_decides.file_alone_is_implied({"capabilities": {"reasoning": {}}})
    assert merge_decides.file_alone_is_implied({"limits": 7, "x": {"y": 1}})
