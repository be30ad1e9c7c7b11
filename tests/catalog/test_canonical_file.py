"""One canonical model's file is found from its lab's folder alone, as the whole listing maps it."""

from __future__ import annotations

import shutil
from pathlib import Path

from llmaestro.catalog.tree import CatalogTree
from llmaestro.catalog.validate import canonical_file

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "catalog" / "valid" / "catalog"


def test_each_ref_is_found_reading_its_lab_folder_only() -> None:
    listing = CatalogTree(VALID).canonical()
    assert listing
    for ref, path in listing.items():
        tree = CatalogTree(VALID)
        assert canonical_file(tree, ref) == path
        assert tree._canonical is None
        assert [lab for lab, _ in tree._labs.values()] == [ref.split("/", 1)[0]]


def test_missing_refs_and_folders_are_none_and_the_listing_reports_once(tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(VALID, root)
    lab = next(p for p in sorted((root / "models").iterdir()) if p.is_dir())
    (lab / "Bad.yaml").write_text("name: x\n")  # not the canonical encoding of an id
    (root / "models" / "Upper").mkdir()  # nor is this folder's name
    tree = CatalogTree(root)
    assert canonical_file(tree, f"{lab.name}/no-such-model") is None
    assert canonical_file(tree, "no-such-lab/model") is None
    assert canonical_file(tree, "/model") is None
    assert canonical_file(tree, "Upper/model") is None  # folder `^upper`, absent
    assert [d.code for d in tree.layout_diagnostics] == ["LM011"]  # Bad.yaml, its lab read
    full = tree.canonical()
    assert canonical_file(tree, next(iter(full))) == next(iter(full.values()))
    lm011 = [d for d in tree.layout_diagnostics if d.code == "LM011"]
    # each misnamed entry reported once, though its lab folder was read before the listing
    assert sorted(d.path.rsplit("/", 1)[-1] for d in lm011) == ["Bad.yaml", "Upper"]
