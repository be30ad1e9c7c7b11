"""The catalog transaction in-process: an error at any rename restores every file (bytes and
modes), new folders go again, modes are kept, and a second writer is refused."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from llmaestro.refresh.apply import apply_plan
from llmaestro.refresh.drift import DriftError
from llmaestro.refresh.transaction import commit, journal_path, recover
from tests.refresh._drift import observe, run
from tests.refresh._server import LocalServer


def _tree(root: Path) -> dict[str, tuple[bytes | None, int]]:
    return {
        p.relative_to(root).as_posix(): (
            None if p.is_dir() else p.read_bytes(),
            stat.S_IMODE(p.stat().st_mode),
        )
        for p in sorted(root.rglob("*"))
    }


def _files(root: Path) -> dict[Path, tuple[bytes | None, bytes]]:
    (root / "a").mkdir(parents=True, exist_ok=True)
    old = root / "a" / "old.yaml"
    if not old.exists():
        old.write_bytes(b"old: 1\n")
        os.chmod(old, 0o640)
    return {
        old: (old.read_bytes(), b"old: 2\n"),
        root / "a" / "new.yaml": (None, b"new: 1\n"),
        root / "b" / "c" / "deep.yaml": (None, b"deep: 1\n"),
    }


def _fails_and_restores(
    root: Path,
    files: dict[Path, tuple[bytes | None, bytes]],
    before: dict[str, tuple[bytes | None, int]],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    flaky: Any,
    message: str,
) -> None:
    """With ``os.<name>`` replaced by ``flaky`` the commit fails with ``message`` and leaves
    the tree as ``before``, no journal and nothing to recover."""
    real = getattr(os, name)
    monkeypatch.setattr(os, name, flaky)
    with pytest.raises(OSError, match=message):
        commit(root, files)
    monkeypatch.setattr(os, name, real)
    assert _tree(root) == before
    assert not journal_path(root).exists()
    assert recover(root) == []


@pytest.mark.parametrize("fail_at", [0, 1, 2])
def test_an_error_at_any_rename_restores_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_at: int
) -> None:
    root = tmp_path / "catalog"
    files = _files(root)
    before = _tree(root)
    real = os.replace
    calls: list[Any] = []

    def flaky(src: Any, dst: Any) -> None:
        if str(src).endswith(".llmaestro-apply.tmp"):
            calls.append(dst)
            if len(calls) == fail_at + 1:
                raise OSError(28, "No space left on device")
        real(src, dst)

    _fails_and_restores(root, files, before, monkeypatch, "replace", flaky, "No space")


def test_a_commit_keeps_modes_and_writes_everything(tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    files = _files(root)
    commit(root, files)
    assert (root / "a/old.yaml").read_bytes() == b"old: 2\n"
    assert stat.S_IMODE((root / "a/old.yaml").stat().st_mode) == 0o640
    assert (root / "b/c/deep.yaml").read_bytes() == b"deep: 1\n"
    assert not journal_path(root).exists()
    assert not list(root.rglob("*.tmp"))


def test_a_second_writer_is_refused_and_the_rollback_is_exact(
    server: LocalServer, catalog: Path
) -> None:
    before = _tree(catalog)
    plan = run(catalog, observe(server, "togetherai", catalog))
    journal_path(catalog).mkdir()
    with pytest.raises(DriftError, match="another run is writing this catalog"):
        apply_plan(plan)
    assert _tree(catalog) == before
    journal_path(catalog).rmdir()
    applied = apply_plan(plan)
    assert _tree(catalog) != before
    applied.rollback()
    assert _tree(catalog) == before


def test_a_journal_left_by_a_relative_path_is_recovered_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from llmaestro.refresh import transaction as tx

    root = tmp_path / "repo" / "catalog"
    files = _files(root)
    before = _tree(root)
    monkeypatch.chdir(tmp_path / "repo")
    relative = {Path(os.path.relpath(p)): change for p, change in files.items()}

    def killed() -> None:  # what SIGKILL half-way leaves: no restore runs
        raise SystemExit("killed")

    monkeypatch.setattr(tx, "_test_hold", killed)
    monkeypatch.setattr(tx, "_restore", lambda journal: 0)
    with pytest.raises(SystemExit):
        commit(Path("catalog"), relative)
    monkeypatch.undo()
    assert _tree(root) != before and journal_path(root).is_dir()
    monkeypatch.chdir(tmp_path)
    assert recover(root) == ["restored 1 file(s) an interrupted run had changed (from its journal)"]
    assert _tree(root) == before


def _many(root: Path, count: int) -> dict[Path, tuple[bytes | None, bytes]]:
    """``count`` files, every other one already there (more than one flush batch)."""
    (root / "m").mkdir(parents=True, exist_ok=True)
    files: dict[Path, tuple[bytes | None, bytes]] = {}
    for i in range(count):
        path = root / "m" / f"{i}.yaml"
        if i % 2 and not path.exists():
            path.write_bytes(b"n: %d\n" % i)
        files[path] = (path.read_bytes() if path.exists() else None, b"n: %d  # new\n" % i)
    return files


def test_many_files_are_flushed_in_batches_and_all_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "catalog"
    files = _many(root, 150)
    synced: list[int] = []
    real = os.fsync

    def counting(fd: int) -> None:
        synced.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", counting)
    commit(root, files)
    assert all(path.read_bytes() == new for path, (_, new) in files.items())
    # every temporary file and every backup was flushed (plus the manifest and folders)
    assert len(synced) >= 150 + 75
    assert not journal_path(root).exists()


@pytest.mark.parametrize("fail_at", [1, 70, 140, 200])
def test_a_failed_flush_in_any_batch_restores_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_at: int
) -> None:
    root = tmp_path / "catalog"
    files = _many(root, 150)
    before = _tree(root)
    real = os.fsync
    calls: list[int] = []

    def flaky(fd: int) -> None:
        calls.append(fd)
        if len(calls) == fail_at:
            raise OSError(5, "Input/output error")
        real(fd)

    _fails_and_restores(root, files, before, monkeypatch, "fsync", flaky, "Input/output")
