"""A full disk during `llmaestro import`: one error line, exit 1, and the catalog exactly as it
was (no half-written catalog, no stray temporary file). The disk is a real tmpfs of a few
pages (root only: elsewhere the test is skipped), the import a real subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.catalog.importers.conftest import LL_DAY, MD_DAY, Repo, make_repo

PAGE = 4096


def _llmaestro() -> str:
    return str(Path(sys.executable).with_name("llmaestro"))


def _mount(where: Path, size: int) -> None:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.strip()}")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[tuple[Path, list[int]]]:
    """A folder to mount a tmpfs on (the test chooses the size); unmounted afterwards."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    where = tmp_path / "disk"
    mounted: list[int] = []
    yield where, mounted
    if mounted:
        subprocess.run(["umount", str(where)], check=False)


def _import(repo: Repo, out: Path) -> subprocess.CompletedProcess[str]:
    args = [
        *("import", "all", "--models-dev", str(repo.models_dev), "--litellm", str(repo.litellm)),
        *("--models-dev-date", MD_DAY.isoformat(), "--litellm-date", LL_DAY.isoformat()),
        *("--out", str(out), "--manual", str(repo.manual)),
    ]
    return subprocess.run(
        [_llmaestro(), *args], capture_output=True, text=True, timeout=120, check=False
    )


def _snapshot(root: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


def _assert_one_error_line(done: subprocess.CompletedProcess[str], disk: Path) -> None:
    assert done.returncode == 1, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("llmaestro: error: ")
    assert "No space left on device" in lines[0]
    assert f": error: {disk}/catalog/" in lines[0]  # the file that could not be written
    assert "standard output" not in lines[0]
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def test_a_first_import_on_a_full_disk_writes_nothing(
    small_disk: tuple[Path, list[int]], tmp_path: Path
) -> None:
    disk, mounted = small_disk
    repo = make_repo(tmp_path / "repo")
    _mount(disk, 4 * PAGE)
    mounted.append(1)
    done = _import(repo, disk / "catalog")
    _assert_one_error_line(done, disk)
    assert _snapshot(disk) in ({}, {"catalog": None})


def test_a_failed_import_puts_every_replaced_file_back(
    small_disk: tuple[Path, list[int]], tmp_path: Path
) -> None:
    disk, mounted = small_disk
    repo = make_repo(tmp_path / "repo")
    assert _import(repo, repo.catalog).returncode == 0
    files = [p for p in repo.catalog.rglob("*") if p.is_file()]
    # every file differs from what the import writes, so every one is to be replaced; the
    # disk holds them and 3 more pages: the import fails after a few replacements
    for path in files:
        path.write_bytes(path.read_bytes() + b"# edited\n")
    _mount(disk, 4 * len(files) * PAGE)
    mounted.append(1)
    shutil.copytree(repo.catalog, disk / "catalog")
    stat = os.statvfs(disk)
    used = (stat.f_blocks - stat.f_bfree) * stat.f_frsize
    remount = ["mount", "-o", f"remount,size={used + 3 * PAGE}", str(disk)]
    subprocess.run(remount, check=True)
    before = _snapshot(disk)
    done = _import(repo, disk / "catalog")
    _assert_one_error_line(done, disk)
    assert _snapshot(disk) == before
