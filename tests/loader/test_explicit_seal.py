"""A compiled bundle named by path (``load(catalog=FILE)``, ``LLMAESTRO_BUNDLE``) is served
only when its seal matches its bytes; the seal is hashed once per file (a memo in the user's
cache folder), and any change to the file makes it hashed again.

Real files, real ``llmaestro compile``; "hashed or not" is seen by replacing the seal check
with one that records its calls.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import llmaestro
from llmaestro.catalog import seal_memo
from llmaestro.catalog.bundle import compile_catalog
from llmaestro.errors import CatalogError


@pytest.fixture
def bundle(catalog: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out" / "catalog.bundle"
    out.parent.mkdir()
    compile_catalog(catalog, out)
    return out


def _price(path: Path) -> str:
    pricing = llmaestro.load(catalog=path).get("acme/acme-small").pricing
    assert pricing is not None
    return str(pricing.input)


def _flip(path: Path, at: int) -> None:
    data = path.read_bytes()
    time.sleep(0.05)  # past the file system clock's tick
    with open(path, "r+b") as handle:  # in place: the inode and the size stay
        handle.seek(at)
        handle.write(bytes([data[at] ^ 0x01]))


@pytest.mark.parametrize("where", [0.05, 0.5, 0.999])
def test_a_flipped_byte_anywhere_is_refused_naming_the_file(
    bundle: Path, cache: Path, where: float
) -> None:
    _flip(bundle, int(bundle.stat().st_size * where))
    with pytest.raises(CatalogError) as caught:
        llmaestro.load(catalog=bundle)
    assert str(caught.value).startswith(f"{bundle}: the bundle's seal does not match")
    assert "compile it again" in str(caught.value)


def test_a_bundle_cut_short_is_refused(bundle: Path, cache: Path) -> None:
    data = bundle.read_bytes()
    bundle.write_bytes(data[: len(data) // 2])
    with pytest.raises(CatalogError, match="seal does not match"):
        llmaestro.load(catalog=bundle)


def test_the_environment_variable_s_bundle_is_checked_too(
    bundle: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLMAESTRO_BUNDLE", str(bundle))
    _flip(bundle, bundle.stat().st_size // 3)
    with pytest.raises(CatalogError, match="seal does not match"):
        llmaestro.load(today=None)


def test_hashed_once_then_again_after_a_change_in_place(
    bundle: Path, cache: Path, hashed: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seal_memo, "RACY_NS", 0)
    assert _price(bundle) == "0.10"
    assert len(hashed) == 1
    memos = list(cache.glob("file-*.sealed"))
    assert len(memos) == 1 and os.stat(memos[0]).st_mode & 0o777 == 0o600
    for _ in range(3):
        assert _price(bundle) == "0.10"
    assert len(hashed) == 1  # the memo answered
    _flip(bundle, bundle.stat().st_size // 2)
    with pytest.raises(CatalogError, match="seal does not match"):
        llmaestro.load(catalog=bundle)
    assert len(hashed) == 2  # the change time moved: the memo no longer applies


def test_a_bundle_changed_within_the_racy_window_is_hashed_every_time(
    bundle: Path, cache: Path, hashed: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seal_memo, "RACY_NS", 3600 * 10**9)
    for _ in range(3):
        assert _price(bundle) == "0.10"
    assert len(hashed) == 3
    assert not list(cache.glob("file-*.sealed"))


def test_a_memo_names_its_file(
    bundle: Path, cache: Path, tmp_path: Path, hashed: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A memo written for one path does not vouch for another file."""
    monkeypatch.setattr(seal_memo, "RACY_NS", 0)
    _price(bundle)
    (memo,) = cache.glob("file-*.sealed")
    other = tmp_path / "other.bundle"
    other.write_bytes(bundle.read_bytes())
    os.replace(memo, memo.with_name("file-kept.sealed"))
    monkeypatch.setattr(
        seal_memo, "_file_memo", lambda real: str(memo.with_name("file-kept.sealed"))
    )
    before = len(hashed)
    assert _price(other) == "0.10"
    assert len(hashed) == before + 1


def test_no_cache_folder_still_checks_the_seal(
    bundle: Path, tmp_path: Path, hashed: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    os.chmod(shared, 0o777)  # writable by others: never trusted, and no user-<uid> allowed
    (shared / f"user-{os.geteuid()}").write_bytes(b"not a folder")
    monkeypatch.setenv("LLMAESTRO_CACHE_DIR", str(shared))
    monkeypatch.setattr(seal_memo, "RACY_NS", 0)
    for _ in range(2):
        assert _price(bundle) == "0.10"
    assert len(hashed) == 2


def test_the_memos_of_gone_files_and_month_old_memos_are_swept(
    bundle: Path, catalog: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One memo per bundle path ever loaded would pile up (CI compiles to fresh paths): the
    sweep that runs when a bundle is cached removes those of files that are gone, and those a
    month old (rewritten by one hash when their file is loaded again)."""
    monkeypatch.setattr(seal_memo, "RACY_NS", 0)
    gone = tmp_path / "gone.bundle"
    gone.write_bytes(bundle.read_bytes())
    for path in (bundle, gone):
        _price(path)
    memos = {p.name for p in cache.glob("file-*.sealed")}
    assert len(memos) == 2
    gone.unlink()
    junk = cache / "file-junk.sealed"
    junk.write_bytes(b"not a memo")
    old = cache / "file-old.sealed"
    old.write_bytes(next(cache.glob("file-*.sealed")).read_bytes())  # names `bundle`: exists
    month = time.time() - 31 * 86400
    os.utime(old, (month, month))
    llmaestro.load(catalog=catalog)  # a bundle is compiled and cached: the sweep runs
    kept = {p.name for p in cache.glob("file-*.sealed")}
    assert len(kept) == 1 and kept < memos  # `bundle`'s memo only
    assert _price(bundle) == "0.10"  # and it still answers
