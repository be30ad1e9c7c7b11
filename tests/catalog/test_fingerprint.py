"""The catalog fingerprint's kept listing gives the full walk's answer, and any edit,
addition, removal or rename of a file changes the key, whether the listing is used or not.

Real files on disk: an edit in place keeps its folder's times (checked), ``touch -r`` is
``os.utime`` with the file's own earlier times.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import llmaestro
from llmaestro.catalog import cachedir
from llmaestro.catalog import fingerprint as fingerprint_module
from llmaestro.catalog.bundle import fingerprint
from tests.conftest import FIXTURES

SALT = "test-salt"
#: above any file-system clock's tick, small enough to wait out in a test
SHORT_RACY_NS = 30_000_000
_REAL_WALK = fingerprint_module._walk


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("LLMAESTRO_CACHE_DIR", str(folder))
    monkeypatch.setattr(cachedir, "_WARNED", set())
    return folder


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The roots of the full walks taken (the fast path takes none)."""
    taken: list[str] = []

    def counting(top: str, salt: str) -> object:
        taken.append(top)
        return _REAL_WALK(top, salt)

    monkeypatch.setattr(fingerprint_module, "_walk", counting)
    return taken


@pytest.fixture
def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture catalog whose folders are older than the racy window."""
    monkeypatch.setattr(fingerprint_module, "RACY_NS", SHORT_RACY_NS)
    root = tmp_path / "catalog"
    shutil.copytree(FIXTURES / "catalog" / "valid" / "catalog", root)
    _settle()
    return root


def _settle() -> None:
    time.sleep(2 * SHORT_RACY_NS / 1e9)


def _reference(root: Path) -> str:
    """The full walk's digest, no listing involved."""
    return _REAL_WALK(os.fspath(root), SALT)[0]


def _fp(root: Path) -> str:
    return fingerprint_module.fingerprint(root, SALT)


def _listings(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.iterdir() if p.name.startswith("listing-"))


def test_a_second_call_uses_the_listing_and_gives_the_walks_digest(
    catalog: Path, cache: Path, walks: list[str]
) -> None:
    first = _fp(catalog)
    assert walks == [str(catalog)]
    assert len(_listings(cache)) == 1
    assert _fp(catalog) == first == _reference(catalog)
    assert walks == [str(catalog)]  # no second walk


def test_an_edit_in_place_keeping_size_and_mtime_changes_the_key(
    catalog: Path, cache: Path, walks: list[str]
) -> None:
    before = _fp(catalog)
    small = catalog / "providers" / "acme" / "models" / "acme-small.yaml"
    old = small.stat()
    folder_before = small.parent.stat()
    text = small.read_bytes()
    assert b"input: 0.10" in text
    with open(small, "r+b") as handle:  # in place: same inode, same size
        handle.write(text.replace(b"input: 0.10", b"input: 0.11"))
    os.utime(small, ns=(old.st_atime_ns, old.st_mtime_ns))  # touch -r
    new = small.stat()
    assert (new.st_size, new.st_mtime_ns, new.st_ino) == (old.st_size, old.st_mtime_ns, old.st_ino)
    folder_after = small.parent.stat()
    assert (folder_after.st_mtime_ns, folder_after.st_ctime_ns) == (
        folder_before.st_mtime_ns,
        folder_before.st_ctime_ns,
    )  # the folders alone could not tell
    after = _fp(catalog)
    assert after != before
    assert after == _reference(catalog)


def _add(root: Path) -> None:
    (root / "providers" / "acme" / "models" / "acme-new.yaml").write_text("id: acme-new\n")


def _remove(root: Path) -> None:
    (root / "providers" / "acme" / "models" / "acme-one.yaml").unlink()


def _rename(root: Path) -> None:
    models = root / "providers" / "acme" / "models"
    (models / "acme-one.yaml").rename(models / "acme-two.yaml")  # same length, same folder


def _move(root: Path) -> None:
    (root / "providers" / "acme" / "models" / "acme-one.yaml").rename(
        root / "models" / "acmelab" / "acme-one.yaml.moved"
    )


def _rename_folder(root: Path) -> None:
    (root / "models" / "acmelab").rename(root / "models" / "acmelib")


def _replace_folder(root: Path) -> None:
    """The same names under a new folder (another inode) with the same files' figures."""
    old = root / "models" / "acmelab"
    new = root / "models" / "acmelab.new"
    shutil.copytree(old, new, copy_function=shutil.copy2)
    shutil.rmtree(old)
    new.rename(old)


@pytest.mark.parametrize(
    "change", [_add, _remove, _rename, _move, _rename_folder], ids=lambda f: f.__name__[1:]
)
def test_adding_removing_or_renaming_a_file_changes_the_key(
    catalog: Path, cache: Path, walks: list[str], change: object
) -> None:
    before = _fp(catalog)
    assert _fp(catalog) == before and len(walks) == 1  # the listing is in use
    change(catalog)  # type: ignore[operator]
    after = _fp(catalog)
    assert after != before
    assert after == _reference(catalog)
    assert len(walks) == 2  # the listing did not match: walked again


def test_a_replaced_folder_is_walked_again(catalog: Path, cache: Path, walks: list[str]) -> None:
    _fp(catalog)
    _replace_folder(catalog)  # copy2 keeps mtimes; ctimes are new
    assert _fp(catalog) == _reference(catalog)
    assert len(walks) == 2


def test_a_fresh_folder_keeps_its_listing_out(cache: Path, tmp_path: Path) -> None:
    """A folder changed within RACY_NS of the walk could change again unseen: no listing."""
    root = tmp_path / "fresh"
    shutil.copytree(FIXTURES / "catalog" / "valid" / "catalog", root)
    assert fingerprint_module.RACY_NS == 2_000_000_000
    _fp(root)
    assert _listings(cache) == []


@pytest.mark.parametrize(
    "damage",
    [b"", b"not marshal", b"\xe9\x00\x00\x00", None],
    ids=["empty", "garbage", "truncated", "foreign"],
)
def test_a_damaged_or_foreign_listing_is_walked_past(
    catalog: Path, cache: Path, walks: list[str], damage: bytes | None
) -> None:
    import marshal

    digest = _fp(catalog)
    (listing,) = _listings(cache)
    path = cache / listing
    if damage is None:  # a well-formed listing of another salt
        doc = marshal.loads(path.read_bytes())
        damage = marshal.dumps((doc[0], "other", *doc[2:]))
    path.write_bytes(damage)
    os.chmod(path, 0o600)
    assert _fp(catalog) == digest
    assert len(walks) == 2


def test_week_old_listings_and_stale_temporary_files_are_swept(catalog: Path, cache: Path) -> None:
    now = time.time()

    def put(name: str, age_s: float) -> Path:
        path = cache / name
        path.write_bytes(b"x")
        os.utime(path, (now - age_s, now - age_s))
        return path

    old = put("listing-old.bin", 8 * 86400)
    recent = put("listing-recent.bin", 6 * 86400)
    stale = put(".listing-x.bin.abc.tmp", 2 * 3600)
    fresh = put(".listing-y.bin.def.tmp", 60)
    bundle = put("bundle-old.json", 30 * 86400)  # the bundle cache's own sweep decides
    _fp(catalog)
    left = {p.name for p in cache.iterdir()}
    assert {recent.name, fresh.name, bundle.name} <= left
    assert not {old.name, stale.name} & left
    assert len(_listings(cache)) == 2  # the recent one and this catalog's


def test_without_a_cache_folder_nothing_is_created(
    catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "no-cache"
    monkeypatch.setenv("LLMAESTRO_CACHE_DIR", str(missing))
    assert _fp(catalog) == _reference(catalog)
    assert not missing.exists()


def test_load_sees_an_edit_in_place_after_the_listing_is_kept(catalog: Path, cache: Path) -> None:
    day = dt.date(2025, 6, 1)

    def price() -> str:
        pricing = llmaestro.load(catalog=catalog, today=day).get("acme/acme-small").pricing
        assert pricing is not None
        return str(pricing.input)

    assert price() == "0.10"
    assert price() == "0.10"  # the listing is in use now
    assert _listings(cache)
    small = catalog / "providers" / "acme" / "models" / "acme-small.yaml"
    old = small.stat()
    text = small.read_bytes()
    with open(small, "r+b") as handle:
        handle.write(text.replace(b"input: 0.10", b"input: 0.12"))
    os.utime(small, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert price() == "0.12"
    assert fingerprint(catalog) == _REAL_WALK(os.fspath(catalog), _bundle_salt())[0]


def _bundle_salt() -> str:
    from llmaestro._version import __version__
    from llmaestro.catalog.bundle import BUNDLE_FORMAT
    from llmaestro.registry.bundle_reader import BUNDLE_VERSION

    return f"{BUNDLE_FORMAT}:{BUNDLE_VERSION}:{__version__}"


# -- a space of changes: after each one the key is the full walk's and not the last one

_NAMES = st.sampled_from(["a.yaml", "b.yaml", "c.yaml", "d/e.yaml", "d/f.yaml", "g/h/i.yaml"])
_OPS = st.lists(
    st.tuples(
        st.sampled_from(["edit_in_place", "append", "add", "remove", "rename"]), _NAMES, _NAMES
    ),
    min_size=1,
    max_size=6,
)
#: longer than a file-system clock tick: two edits this far apart have other change times
_TICK = 0.02


def _apply(root: Path, op: str, name: str, other: str) -> bool:
    """Apply one change; whether it changed any file's name or figures."""
    path, target = root / name, root / other
    if op == "edit_in_place" and path.exists():
        old = path.stat()
        text = path.read_bytes()
        digit = (int(text[3:4]) + 1) % 10
        with open(path, "r+b") as handle:
            handle.write(b"%d" % digit)  # text is b"v: N..."; byte 3 is N
        os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
        return True
    if op == "append" and path.exists():
        with open(path, "ab") as handle:
            handle.write(b"z: 1\n")
        return True
    if op == "add" and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"v: 0\n")
        return True
    if op == "remove" and path.exists():
        path.unlink()
        return True
    if op == "rename" and path.exists() and not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        path.rename(target)
        return True
    return False


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=_OPS)
def test_every_change_gives_a_new_key_that_the_walk_agrees_with(
    ops: list[tuple[str, str, str]], cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fingerprint_module, "RACY_NS", SHORT_RACY_NS)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "catalog"
        for name in ("a.yaml", "d/e.yaml"):
            _apply(root, "add", name, name)
        _settle()
        last = _fp(root)
        assert _fp(root) == last  # from the listing
        for op, name, other in ops:
            time.sleep(_TICK)
            if not _apply(root, op, name, other):
                continue
            if op not in ("edit_in_place", "append"):
                _settle()  # so the next walk keeps its listing and the next change meets it
            key = _fp(root)
            assert key == _reference(root)
            assert key != last  # (a later state may be an earlier one again: add, remove)
            last = key
