"""The seal memo: a cached bundle's seal is hashed once, and skipped only while the file is
the one that was hashed (same device, inode, size, modification and change times).

Real files in a private cache folder; "hashed or not" is seen by replacing the seal check
with one that records its calls.
"""

from __future__ import annotations

import marshal
import os
import time
from pathlib import Path

import pytest

import llmaestro
from llmaestro.catalog import seal_memo
from llmaestro.catalog.bundle import fingerprint


def _price(catalog: Path) -> str:
    pricing = llmaestro.load(catalog=catalog).get("acme/acme-small").pricing
    assert pricing is not None
    return str(pricing.input)


def _entry(catalog: Path, cache: Path) -> Path:
    return cache / f"bundle-{fingerprint(catalog)}.json"


def _memo(catalog: Path, cache: Path) -> Path:
    return cache / f"bundle-{fingerprint(catalog)}.sealed"


def test_a_bundle_hashed_once_is_not_hashed_again(
    catalog: Path, cache: Path, hashed: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seal_memo, "RACY_NS", 0)
    assert _price(catalog) == "0.10"  # compiled and cached: nothing read back, nothing hashed
    assert hashed == [] and not _memo(catalog, cache).exists()
    assert _price(catalog) == "0.10"  # read back: hashed, and the match recorded
    assert len(hashed) == 1
    assert os.stat(_memo(catalog, cache)).st_mode & 0o777 == 0o600
    assert _price(catalog) == "0.10"
    assert _price(catalog) == "0.10"
    assert len(hashed) == 1


def test_a_bundle_changed_within_the_racy_window_gets_no_memo(
    catalog: Path, cache: Path, hashed: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seal_memo, "RACY_NS", 3600 * 10**9)
    for _ in range(3):
        assert _price(catalog) == "0.10"
    assert len(hashed) == 2  # every read back is hashed
    assert not _memo(catalog, cache).exists()


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])
def test_a_damaged_bundle_with_a_memo_is_hashed_and_rebuilt(
    catalog: Path, cache: Path, hashed: list[int], monkeypatch: pytest.MonkeyPatch, where: float
) -> None:
    """A byte flipped in place (same size, same inode) after the memo was written: the change
    time moved, so the memo no longer applies; the seal catches the flip."""
    monkeypatch.setattr(seal_memo, "RACY_NS", 0)
    _price(catalog)
    _price(catalog)
    entry, memo = _entry(catalog, cache), _memo(catalog, cache)
    assert memo.exists()
    good = entry.read_bytes()
    time.sleep(0.05)  # past the file system clock's tick (a coarse clock counts in jiffies)
    at = int(len(good) * where)
    with open(entry, "r+b") as handle:  # in place: the inode and the size stay
        handle.seek(at)
        handle.write(bytes([good[at] ^ 0x01]))
    assert _price(catalog) == "0.10"
    assert entry.read_bytes() == good  # compiled again
    assert hashed[-1] == len(good)


@pytest.mark.parametrize(
    "forge",
    [
        lambda doc: (doc[0], doc[1], doc[2], doc[3] + 1, *doc[4:]),  # another inode
        lambda doc: (*doc[:-1], doc[-1] - 1),  # another change time
        lambda doc: ("llmaestro-sealed-0", *doc[1:]),  # another format
        lambda doc: (doc[0], "bundle-other.json", *doc[2:]),  # another bundle's
    ],
    ids=["inode", "ctime", "format", "name"],
)
def test_a_memo_of_other_figures_does_not_skip_the_hash(
    catalog: Path, cache: Path, hashed: list[int], monkeypatch: pytest.MonkeyPatch, forge: object
) -> None:
    monkeypatch.setattr(seal_memo, "RACY_NS", 0)
    _price(catalog)
    _price(catalog)
    memo = _memo(catalog, cache)
    doc = marshal.loads(memo.read_bytes())
    assert callable(forge)
    memo.write_bytes(marshal.dumps(forge(doc)))
    before = len(hashed)
    assert _price(catalog) == "0.10"
    assert len(hashed) == before + 1


@pytest.mark.parametrize("junk", [b"", b"\x00garbage", marshal.dumps([1, 2, 3])])
def test_a_damaged_memo_is_a_hash_not_an_error(
    catalog: Path, cache: Path, hashed: list[int], monkeypatch: pytest.MonkeyPatch, junk: bytes
) -> None:
    monkeypatch.setattr(seal_memo, "RACY_NS", 0)
    _price(catalog)
    _memo(catalog, cache).write_bytes(junk)
    assert _price(catalog) == "0.10"
    assert len(hashed) == 1
    assert marshal.loads(_memo(catalog, cache).read_bytes())[0] == "llmaestro-sealed-1"


def test_a_memo_goes_with_its_bundle(
    catalog: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sweep that removes a cached bundle removes its memo; an orphan memo goes too."""
    monkeypatch.setattr(seal_memo, "RACY_NS", 0)
    _price(catalog)
    _price(catalog)
    memo = _memo(catalog, cache)
    assert memo.exists()
    orphan = cache / "bundle-0123456789abcdef0123456789abcdef.sealed"
    orphan.write_bytes(b"")
    old = time.time() - 30 * 86400
    for i in range(6):  # older bundles of other catalogs, beyond the cache's bounds
        other = cache / f"bundle-{i:032x}.json"
        other.write_bytes(b"x")
        (cache / f"bundle-{i:032x}.sealed").write_bytes(b"")
        os.utime(other, (old, old))
    os.utime(_entry(catalog, cache), (old - 60, old - 60))  # ours is the oldest: it goes
    small = catalog / "providers" / "acme" / "models" / "acme-small.yaml"
    small.write_text(small.read_text().replace("input: 0.10", "input: 0.20"))
    assert _price(catalog) == "0.20"  # a new bundle is cached: the sweep runs
    left = {p.name for p in cache.iterdir() if not p.name.startswith(("listing-", "."))}
    assert not memo.exists() and not orphan.exists()
    assert all(
        name.endswith(".json") or name[: -len(".sealed")] + ".json" in left for name in left
    ), left
