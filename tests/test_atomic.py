"""The atomic writer every command uses: modes kept, links written through, nothing but a
regular file ever replaced, ``-`` is standard output. Real files, real modes."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmaestro._atomic import (
    atomic_path,
    current_bytes,
    write_bytes_atomic,
    write_output,
)
from llmaestro.cli.main import main
from llmaestro.errors import NotRegularFileError
from tests.conftest import FIXTURES

CATALOG = str(FIXTURES / "catalog" / "valid" / "catalog")
ROOT = os.geteuid() == 0


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mode=st.integers(0, 0o777), umask=st.integers(0, 0o777))
def test_a_replaced_file_keeps_its_mode_a_new_one_gets_the_umasks(
    tmp_path: Path, mode: int, umask: int
) -> None:
    existing, new = tmp_path / "existing.json", tmp_path / "new.json"
    existing.write_bytes(b"old")
    os.chmod(existing, mode)
    new.unlink(missing_ok=True)
    old = os.umask(umask)
    try:
        write_bytes_atomic(existing, b"new")
        write_bytes_atomic(new, b"new")
    finally:
        os.umask(old)
    assert _mode(existing) == mode
    assert _mode(new) == 0o666 & ~umask
    os.chmod(existing, 0o600)
    assert existing.read_bytes() == new.read_bytes() == b"new"


@pytest.mark.skipif(not ROOT, reason="giving a file to another user needs root")
def test_a_replaced_file_keeps_its_owner_when_root(tmp_path: Path) -> None:
    path = tmp_path / "theirs.yaml"
    path.write_bytes(b"old")
    os.chown(path, 4242, 4343)
    os.chmod(path, 0o640)
    write_bytes_atomic(path, b"new")
    st_ = path.stat()
    assert (st_.st_uid, st_.st_gid, stat.S_IMODE(st_.st_mode)) == (4242, 4343, 0o640)


def test_a_symbolic_link_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "data" / "real.json"
    real.parent.mkdir()
    real.write_bytes(b"old")
    os.chmod(real, 0o640)
    hop = tmp_path / "hop.json"
    hop.symlink_to(Path("data") / "real.json")  # relative
    link = tmp_path / "link.json"
    link.symlink_to(hop)  # a chain
    write_bytes_atomic(link, b"new")
    assert link.is_symlink() and hop.is_symlink()
    assert real.read_bytes() == b"new"
    assert _mode(real) == 0o640
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "data" / "later.json")
    write_bytes_atomic(dangling, b"made")
    assert dangling.is_symlink()
    assert (tmp_path / "data" / "later.json").read_bytes() == b"made"
    assert sorted(p.name for p in real.parent.iterdir()) == ["later.json", "real.json"]


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()


def _device(path: Path) -> None:
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 7))  # what /dev/full is


NON_REGULAR = {"fifo": _fifo, "socket": _socket, "folder": os.mkdir}
if ROOT:
    NON_REGULAR["device"] = _device


@pytest.mark.parametrize("kind", sorted(NON_REGULAR))
def test_a_non_regular_file_is_never_replaced(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "out.json"
    NON_REGULAR[kind](path)
    before = path.lstat()
    with pytest.raises((NotRegularFileError, IsADirectoryError), match=r"a folder|refusing"):
        write_bytes_atomic(path, b"data")
    after = path.lstat()
    assert (after.st_ino, stat.S_IFMT(after.st_mode)) == (
        before.st_ino,
        stat.S_IFMT(before.st_mode),
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temporary left
    link = tmp_path / "link.json"
    link.symlink_to(path)
    with pytest.raises((NotRegularFileError, IsADirectoryError), match=r"a folder|refusing"):
        write_bytes_atomic(link, b"data")
    assert link.is_symlink()
    with pytest.raises((NotRegularFileError, IsADirectoryError), match=r"a folder|refusing"):
        current_bytes(link)  # never opened: reading a FIFO would block


def test_current_bytes_reads_through_links(tmp_path: Path) -> None:
    assert current_bytes(tmp_path / "missing") is None
    (tmp_path / "real").write_bytes(b"held")
    (tmp_path / "link").symlink_to("real")
    assert current_bytes(tmp_path / "link") == b"held"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "keep.json"
    path.write_bytes(b"old")

    def interrupted() -> None:
        with atomic_path(path) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError, match="interrupted"):
        interrupted()
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.json"]


def test_dash_is_standard_output(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_output("-", "text ✓")
    write_output(Path("-"), b"\x00bytes")
    assert capsysbinary.readouterr().out == "text ✓".encode() + b"\x00bytes"
    assert list(tmp_path.iterdir()) == []


# --- every command with --out -----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--catalog", CATALOG, "--format", "json"],
        ["export", "--catalog", CATALOG, "--format", "litellm"],
        ["export", "--catalog", CATALOG, "--format", "sqlite"],
        ["compile", "--catalog", CATALOG],
    ],
    ids=["export-json", "export-litellm", "export-sqlite", "compile"],
)
def test_commands_refuse_a_fifo_and_write_through_a_link(tmp_path: Path, args: list[str]) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    res = CliRunner().invoke(main, [*args, "--out", str(fifo)])
    assert res.exit_code == 1, res.output
    assert len(res.stderr.strip().splitlines()) == 1
    assert "is a FIFO; refusing to replace it" in res.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    real = tmp_path / "real.out"
    real.write_bytes(b"")
    os.chmod(real, 0o664)
    link = tmp_path / "link.out"
    link.symlink_to(real.name)
    res = CliRunner().invoke(main, [*args, "--out", str(link)])
    assert res.exit_code == 0, res.output
    assert link.is_symlink()
    assert real.stat().st_size > 0
    assert _mode(real) == 0o664


def test_compile_out_a_folder_is_one_line(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["compile", "--catalog", CATALOG, "--out", str(tmp_path)])
    assert res.exit_code == 1
    assert res.stderr.splitlines() == [
        f"llmaestro: error: {tmp_path}: cannot write the bundle: is a folder, not a file"
    ]


def test_export_sqlite_to_standard_output(tmp_path: Path) -> None:
    import sqlite3

    res = CliRunner().invoke(
        main, ["export", "--catalog", CATALOG, "--format", "sqlite", "--out", "-"]
    )
    assert res.exit_code == 0, res.stderr
    db = tmp_path / "copy.sqlite"
    db.write_bytes(res.stdout_bytes)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM offerings").fetchone() == (2,)


def test_compile_to_standard_output(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    from llmaestro.catalog.bundle import compile_catalog
    from llmaestro.registry.bundle_reader import is_sealed

    compile_catalog(Path(CATALOG), "-")
    assert is_sealed(capsysbinary.readouterr().out)


def test_compile_out_dash_writes_only_the_bundle_to_standard_output() -> None:
    """``compile --out -`` is a pipe's input: the bundle alone on stdout, the summary on stderr."""
    res = CliRunner().invoke(main, ["compile", "--catalog", CATALOG, "--out", "-"])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith('{"format":"llmaestro-bundle"'), res.stdout[:80]
    assert "compiled" not in res.stdout
    assert res.stderr.startswith("compiled "), res.stderr


def test_a_refused_target_reads_as_path_then_why(tmp_path: Path) -> None:
    """What a report or an error line shows: ``PATH: why``, not ``[Errno 17] why: 'PATH'``."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(NotRegularFileError) as caught:
        write_output(fifo, "x")
    assert str(caught.value).startswith(f"{fifo}: is a FIFO"), str(caught.value)
    assert "Errno" not in str(caught.value)
