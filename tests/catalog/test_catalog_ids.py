"""A catalog file name must encode an id a detector would accept from a listing
(:mod:`llmaestro.catalog.ids`): the validator and the detectors apply one rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from llmaestro.catalog.paths import encode_id
from llmaestro.catalog.validate import validate_catalog
from tests.conftest import FIXTURES, GOLDEN_TODAY

VALID = FIXTURES / "catalog" / "valid" / "catalog"
OFFERING = VALID / "providers/acme/models/acme-small.yaml"
KEY = "sk-proj-Zq8vR2mT5xW9yB3nK7pL4sD6fH1jG0aQeUcV"


@pytest.mark.parametrize(
    ("model_id", "why"),
    [
        ("acme-\u200bsmall", "character"),  # zero-width space
        ("acme-sm\u0430ll", "look-alike"),  # Cyrillic а among Latin letters
        ("con", "Windows reserves"),
        (KEY, "not shown"),
    ],
)
def test_a_file_whose_id_a_listing_could_not_give_is_lm011(
    tmp_path: Path, model_id: str, why: str
) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(VALID, root)
    target = root / "providers/acme/models" / f"{encode_id(model_id)}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(OFFERING.read_bytes().replace(b"acme-small", b"acme-x"))
    result = validate_catalog(root, display_root="catalog", today=GOLDEN_TODAY)
    found = [d for d in result.diagnostics if d.code == "LM011"]
    assert len(found) == 1, result.diagnostics
    assert why in found[0].message, found[0].message
    assert KEY not in found[0].format() and KEY[:20] not in found[0].format()


def test_the_shipped_catalog_ids_all_pass() -> None:
    """The rule refuses nothing the catalog already holds."""
    result = validate_catalog(VALID, display_root="catalog", today=GOLDEN_TODAY)
    assert [d for d in result.diagnostics if d.code == "LM011"] == []


@pytest.mark.parametrize(
    "folder", ["providers/acme/provider.yaml", "providers/acme/models/acme-x.yaml"]
)
def test_a_folder_named_like_a_catalog_file_is_lm009(tmp_path: Path, folder: str) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(VALID, root)
    target = root / folder
    if target.exists():
        target.unlink()
    target.mkdir()
    result = validate_catalog(root, display_root="catalog", today=GOLDEN_TODAY)
    found = [d for d in result.diagnostics if d.code == "LM009"]
    assert [d.path for d in found] == [f"catalog/{folder}"], result.diagnostics
