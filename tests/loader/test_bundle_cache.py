"""The compiled-bundle cache trusts only what the user wrote and what is intact.

Real files, real permissions: a planted bundle is made by another uid (``os.chown``, so these
tests need root to play the other user, which CI is), damage is real bytes changed on disk.
"""

from __future__ import annotations

import os
import shutil
import stat
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import llmaestro
from llmaestro.catalog import cachedir
from llmaestro.catalog.bundle import compiled_bundle, fingerprint
from llmaestro.errors import CatalogCacheWarning
from llmaestro.registry.bundle_reader import SEAL, is_sealed, seal

REAL_URL = "https://api.acme.example/v1"
EVIL_URL = "https://evil.example.net/v1"
OTHER_UID = 4242
ROOT_ONLY = pytest.mark.skipif(
    os.geteuid() != 0, reason="playing another user needs root (os.chown); CI runs as root"
)
FIXTURE_HEALTH = settings(
    max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _entry(catalog: Path, folder: Path) -> Path:
    return folder / f"bundle-{fingerprint(catalog)}.json"


def _facts(catalog: Path) -> tuple[str, str]:
    registry = llmaestro.load(catalog=catalog)
    price = registry.get("acme/acme-small").pricing
    assert price is not None
    api = registry.provider("acme").api
    assert api is not None
    return api.base_url or "", str(price.input)


def _evil(bundle: bytes) -> bytes:
    """What an attacker would plant: the real bundle with another base_url, sealed anew (a
    checksum is no defence against whoever writes the data)."""
    body = bundle[: bundle.rindex(SEAL)].replace(REAL_URL.encode(), EVIL_URL.encode())
    return seal(body)


def test_the_cache_folder_is_created_private_whatever_the_umask(catalog: Path, cache: Path) -> None:
    old = os.umask(0)
    try:
        assert _facts(catalog) == (REAL_URL, "0.10")
    finally:
        os.umask(old)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    entry = _entry(catalog, cache)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert is_sealed(entry.read_bytes())


def _flip(good: bytes, data: st.DataObject) -> bytes:
    bad = bytearray(good)
    bad[data.draw(st.integers(0, len(good) - 1), label="offset")] ^= data.draw(
        st.integers(1, 255), label="xor"
    )
    return bytes(bad)


def _cut(good: bytes, data: st.DataObject) -> bytes:
    cut = data.draw(st.integers(0, len(good) - 1), label="length")
    return good[:cut] + data.draw(st.binary(max_size=8), label="appended")


@FIXTURE_HEALTH
@given(data=st.data())
@pytest.mark.parametrize("damage", [_flip, _cut], ids=["flipped byte", "truncated/extended"])
def test_a_damaged_entry_is_rebuilt_not_served(
    catalog: Path,
    cache: Path,
    damage: Callable[[bytes, st.DataObject], bytes],
    data: st.DataObject,
) -> None:
    """One flipped byte anywhere (a price, a base_url), or a cut or padded file: the entry is
    compiled again; neither a wrong fact nor a JSONDecodeError comes out."""
    _facts(catalog)
    entry = _entry(catalog, cache)
    good = entry.read_bytes()
    entry.write_bytes(damage(good, data))
    assert _facts(catalog) == (REAL_URL, "0.10")
    assert entry.read_bytes() == good


def test_a_sealed_bundle_of_another_catalog_is_not_taken(catalog: Path, cache: Path) -> None:
    _facts(catalog)
    entry = _entry(catalog, cache)
    other = catalog.parent / "other"
    shutil.copytree(catalog, other)
    small = other / "providers" / "acme" / "models" / "acme-small.yaml"
    small.write_text(small.read_text().replace("input: 0.10", "input: 0.99"))
    _facts(other)
    os.replace(_entry(other, cache), entry)  # a valid seal, the wrong catalog
    assert _facts(catalog) == (REAL_URL, "0.10")


@ROOT_ONLY
def test_a_bundle_planted_in_a_shared_cache_folder_is_ignored(catalog: Path, cache: Path) -> None:
    """LLMAESTRO_CACHE_DIR=/tmp/shared (mode 1777): another user's bundle under the right
    name, sealed, pointing the provider elsewhere, is never read; the cache moves into a
    private user-<uid>/ folder."""
    cache.mkdir()
    os.chmod(cache, 0o1777)
    scratch = catalog.parent / "scratch"
    data, _ = compiled_bundle_in(scratch, catalog)
    planted = _entry(catalog, cache)
    planted.write_bytes(_evil(bytes(data)))
    os.chown(planted, OTHER_UID, OTHER_UID)
    assert _facts(catalog) == (REAL_URL, "0.10")
    mine = cache / f"user-{os.geteuid()}"
    assert stat.S_IMODE(mine.stat().st_mode) == 0o700
    assert _entry(catalog, mine).is_file()
    assert EVIL_URL.encode() in planted.read_bytes()  # left alone, only ignored


def compiled_bundle_in(folder: Path, catalog: Path) -> tuple[bytes, str]:
    """The real bundle of ``catalog``, compiled into a private scratch cache."""
    old = os.environ["LLMAESTRO_CACHE_DIR"]
    os.environ["LLMAESTRO_CACHE_DIR"] = str(folder)
    try:
        data, source = compiled_bundle(catalog)
        return bytes(data), source
    finally:
        os.environ["LLMAESTRO_CACHE_DIR"] = old


@ROOT_ONLY
@pytest.mark.parametrize("how", ["other owner", "group-writable", "world-writable", "hard link"])
def test_an_entry_not_private_to_the_user_is_rebuilt(catalog: Path, cache: Path, how: str) -> None:
    _facts(catalog)
    entry = _entry(catalog, cache)
    entry.write_bytes(_evil(entry.read_bytes()))
    if how == "other owner":
        os.chown(entry, OTHER_UID, OTHER_UID)
    elif how == "group-writable":
        os.chmod(entry, 0o620)
    elif how == "world-writable":
        os.chmod(entry, 0o602)
    else:
        os.link(entry, catalog.parent / "elsewhere.json")
    assert _facts(catalog) == (REAL_URL, "0.10")
    assert EVIL_URL.encode() not in entry.read_bytes()


def test_a_symbolic_link_entry_is_not_followed(catalog: Path, cache: Path) -> None:
    _facts(catalog)
    entry = _entry(catalog, cache)
    decoy = catalog.parent / "decoy.json"
    decoy.write_bytes(_evil(entry.read_bytes()))
    entry.unlink()
    entry.symlink_to(decoy)
    assert _facts(catalog) == (REAL_URL, "0.10")
    assert not entry.is_symlink()
    assert EVIL_URL.encode() in decoy.read_bytes()  # the link's target is never written


@ROOT_ONLY
def test_a_planted_user_folder_means_no_cache_one_warning(catalog: Path, cache: Path) -> None:
    cache.mkdir()
    os.chmod(cache, 0o1777)
    mine = cache / f"user-{os.geteuid()}"
    mine.mkdir()
    os.chown(mine, OTHER_UID, OTHER_UID)
    with pytest.warns(CatalogCacheWarning, match="not owned by this user") as caught:
        facts = [_facts(catalog), _facts(catalog)]
    assert facts == [(REAL_URL, "0.10")] * 2
    assert len(caught) == 1
    assert list(mine.iterdir()) == []


def test_an_unwritable_cache_compiles_in_memory_with_one_warning(
    catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only home: the cache folder cannot be created (here: its parent is a file,
    which stops root too); load() still works."""
    blocker = tmp_path / "home"
    blocker.write_text("")
    monkeypatch.setenv("LLMAESTRO_CACHE_DIR", str(blocker / ".cache" / "llmaestro"))
    monkeypatch.setattr(cachedir, "_WARNED", set())
    with pytest.warns(CatalogCacheWarning, match="cannot create it") as caught:
        facts = [_facts(catalog), _facts(catalog)]
    assert facts == [(REAL_URL, "0.10")] * 2
    assert len(caught) == 1
    assert str(caught[0].message).count("\n") == 0
    assert caught[0].filename == __file__  # the caller's load(), not a line of llmaestro


def test_an_entry_that_cannot_be_written_compiles_in_memory(catalog: Path, cache: Path) -> None:
    cache.mkdir(mode=0o700)
    _entry(catalog, cache).mkdir()  # the entry's name taken by a folder
    with pytest.warns(CatalogCacheWarning, match="cannot write"):
        registry = llmaestro.load(catalog=catalog)
    assert registry.info.source == str(catalog)
    assert registry.get("acme/acme-small").id == "acme/acme-small"


def test_old_bundles_and_stale_temporary_files_are_swept(
    catalog: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The newest bundles stay; older ones go when a week old or past the size bound; a
    fresh temporary file (another process compiling now) stays, a stale one goes."""
    from llmaestro.catalog import bundle

    monkeypatch.setattr(bundle, "_MAX_BYTES", 10_000)
    cache.mkdir(mode=0o700)
    now = time.time()

    def put(name: str, size: int, age_days: float) -> Path:
        path = cache / name
        path.write_bytes(b"x" * size)
        os.utime(path, (now - age_days * 86400, now - age_days * 86400))
        return path

    newest = [put(f"bundle-new{i}.json", 100, 0.1 * i) for i in range(3)]  # always stay
    old = put("bundle-old.json", 100, 9)  # past a week: goes
    small = put("bundle-small.json", 100, 6)  # within a week and the bound: stays
    big = put("bundle-big.json", 20_000, 6.5)  # within a week, past the bound: goes
    stale = put(".bundle-x.json.abc.tmp", 4, 1)
    fresh = put(".bundle-y.json.def.tmp", 4, 0)
    _facts(catalog)
    left = {p.name for p in cache.iterdir()}
    assert left == {
        _entry(catalog, cache).name,
        fresh.name,
        small.name,
        *(p.name for p in newest),
    }, (old, big, stale)


def test_an_unreadable_catalog_folder_is_one_line(catalog: Path, cache: Path) -> None:
    from llmaestro.errors import CatalogError

    with pytest.raises(CatalogError) as info:
        fingerprint(catalog / "missing")
    assert "cannot read the catalog folder" in str(info.value)
    assert "\n" not in str(info.value)


def test_processes_racing_on_a_cold_cache_agree(catalog: Path, cache: Path) -> None:
    """Four interpreters load the same catalog at once with no cache yet: each compiles or
    reads a whole bundle (the atomic rename), all see the same facts, one entry remains."""
    import subprocess
    import sys

    code = (
        "import sys, llmaestro\n"
        "r = llmaestro.load(catalog=sys.argv[1])\n"
        "print(r.provider('acme').api.base_url, r.get('acme/acme-small').pricing.input)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(catalog)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert [(proc.returncode, err) for proc, (_, err) in zip(procs, outputs, strict=True)] == [
        (0, "")
    ] * 4
    assert {out for out, _ in outputs} == {f"{REAL_URL} 0.10\n"}
    assert [p.name for p in cache.iterdir()] == [_entry(catalog, cache).name]
    assert is_sealed(_entry(catalog, cache).read_bytes())


def test_no_home_folder_caches_in_a_private_temporary_folder(
    catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    for name in ("LLMAESTRO_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)
    # with no HOME and no passwd entry, expanduser gives its argument back unchanged
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert _facts(catalog) == (REAL_URL, "0.10")
    folder = tmp_path / f"llmaestro-{os.geteuid()}"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert _entry(catalog, folder).is_file()


def test_a_cache_folder_with_a_nul_is_one_warning(
    catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cachedir, "_WARNED", set())
    monkeypatch.setattr(cachedir, "cache_dir", lambda: Path("/tmp/bad\0name"))
    with pytest.warns(CatalogCacheWarning, match="cannot create it"):
        facts = _facts(catalog)
    assert facts == (REAL_URL, "0.10")
