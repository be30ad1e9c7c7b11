"""A ``detect`` process stopped mid-apply: SIGTERM and SIGINT restore the catalog byte for
byte; after SIGKILL the next run recovers it from the journal and goes on; a stray temporary
file of a killed write is swept, never blocking.

The process is real (``python -m llmaestro detect``) and reads a real 127.0.0.1 listing; the
transaction's test hook (:data:`llmaestro.refresh.transaction.HOLD_ENV`) makes it announce
the half-way point of its renames and wait there, so the signal lands mid-apply every time.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from llmaestro.refresh.transaction import HOLD_ENV, journal_path
from tests.refresh._server import FAKE_KEY, LocalServer, Reply, payload

ROOT = Path(__file__).resolve().parents[2]
NEW_MODELS = 24


def tree(root: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every file and folder below ``root``: its bytes (None for a folder) and mode."""
    out: dict[str, tuple[bytes | None, int]] = {}
    for path in sorted(root.rglob("*")):
        mode = stat.S_IMODE(path.lstat().st_mode)
        out[path.relative_to(root).as_posix()] = (
            None if path.is_dir() else path.read_bytes(),
            mode,
        )
    return out


def _listing() -> dict[str, Any]:
    data = payload("groq.json")
    extra = [
        {
            "id": f"test-model-{i:03d}",
            "object": "model",
            "owned_by": "Test",
            "active": True,
            "context_window": 8192,
            "max_completion_tokens": 4096,
        }
        for i in range(NEW_MODELS)
    ]
    return {**data, "data": [*data["data"], *extra]}


@pytest.fixture
def listing(server: LocalServer) -> str:
    body = _listing()

    def route(request: Any) -> Reply:
        if request.headers.get("authorization") != f"Bearer {FAKE_KEY}":
            return Reply(401, json={"error": {"message": "bad key"}})
        return Reply(json=body)

    server.route = route
    return server.url + "/openai/v1"


def _command(catalog: Path, base: str, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "llmaestro",
        "detect",
        "groq",
        "--catalog",
        str(catalog),
        "--base-url",
        base,
        "--max-new-share",
        "100",
        "--timeout",
        "10",
        *extra,
    ]


def _env(hold: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_TOKEN"))}
    env["GROQ_API_KEY"] = FAKE_KEY
    env["PYTHONPATH"] = str(ROOT)
    env.pop(HOLD_ENV, None)
    if hold is not None:
        env[HOLD_ENV] = str(hold)
    return env


def _start_held(catalog: Path, base: str, tmp_path: Path) -> tuple[subprocess.Popen[str], Path]:
    """A detect process waiting half-way through its renames."""
    hold = tmp_path / "held"
    process = subprocess.Popen(
        _command(catalog, base),
        env=_env(hold),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120  # a bound on a loaded machine, not a timing assertion
    while not hold.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            _, err = process.communicate(timeout=60)
            pytest.fail(f"detect never reached the hold point: {process.returncode} {err}")
        time.sleep(0.02)
    return process, hold


def _reference(catalog: Path, base: str, tmp_path: Path) -> dict[str, tuple[bytes | None, int]]:
    """The tree an uninterrupted run leaves (on a copy)."""
    copy = tmp_path / "reference" / "catalog"
    shutil.copytree(catalog, copy)
    done = subprocess.run(_command(copy, base), env=_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return tree(copy)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_mid_apply_restores_every_byte(
    listing: str, catalog: Path, tmp_path: Path, signum: signal.Signals
) -> None:
    os.chmod(catalog / "providers/groq/models/llama-3.3-70b-versatile.yaml", 0o640)
    before = tree(catalog)
    process, _ = _start_held(catalog, listing, tmp_path)
    assert tree(catalog) != before  # half the files are in place: this is mid-apply
    assert journal_path(catalog).is_dir()
    process.send_signal(signum)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 128 + signum, err
    assert f"interrupted by {signum.name}; every catalog file restored" in err
    assert "Traceback" not in err
    assert FAKE_KEY not in out + err
    assert tree(catalog) == before
    assert not journal_path(catalog).exists()


def test_after_sigkill_the_next_run_recovers_and_goes_on(
    listing: str, catalog: Path, tmp_path: Path
) -> None:
    before = tree(catalog)
    expected = _reference(catalog, listing, tmp_path)
    process, _ = _start_held(catalog, listing, tmp_path)
    process.kill()
    process.communicate(timeout=60)
    half = tree(catalog)
    assert half != before and half != expected
    assert journal_path(catalog).is_dir()

    # a dry run recovers the catalog (it is no change of its own) and compares the real thing
    dry = subprocess.run(
        _command(catalog, listing, "--dry-run", "-v"), env=_env(), capture_output=True, text=True
    )
    assert dry.returncode == 0, dry.stderr
    assert "restored" in dry.stderr and "interrupted run" in dry.stderr
    # the fixture's listing adds llama-3.1-8b-instant and changes two lifecycles too
    assert f"{NEW_MODELS + 1} new offering(s)" in dry.stdout, dry.stdout
    assert "✅ recovery: restored" in dry.stdout
    assert tree(catalog) == before
    assert not journal_path(catalog).exists()

    # killed again, then a real run: recovered, then applied in full
    (tmp_path / "again").mkdir()
    process, _ = _start_held(catalog, listing, tmp_path / "again")
    process.kill()
    process.communicate(timeout=60)
    done = subprocess.run(_command(catalog, listing), env=_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"groq: {NEW_MODELS + 3} file(s) written" in done.stderr
    assert tree(catalog) == expected


def test_a_stray_temporary_file_is_swept(listing: str, catalog: Path) -> None:
    models = catalog / "providers/groq/models"
    stray = [
        models / ".llama-3.3-70b-versatile.yaml.k2x9_q7a.tmp",  # llmaestro._atomic's shape
        models / ".test-model-000.yaml.llmaestro-apply.tmp",  # the transaction's
        catalog / "providers/.groq.tmp",
    ]
    for path in stray:
        path.write_text("half a file: ", "utf-8")
    done = subprocess.run(
        _command(catalog, listing, "-v"), env=_env(), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "removed 3 temporary file(s) an interrupted write left" in done.stderr
    assert "invalid before any change" not in done.stderr
    assert not any(p.exists() for p in stray)


def test_a_journal_of_a_running_process_is_left_alone(catalog: Path, tmp_path: Path) -> None:
    from llmaestro.refresh.transaction import recover

    journal = journal_path(catalog)
    journal.mkdir()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (journal / "pid").write_text(str(sleeper.pid), "ascii")
        assert recover(catalog) == []
        assert journal.is_dir()
    finally:
        sleeper.kill()
        sleeper.wait()
    assert recover(catalog) == [
        "restored 0 file(s) an interrupted run had changed (from its journal)"
    ]
    assert not journal.exists()


def test_a_signal_before_the_apply_stops_the_run_in_one_line(
    server: LocalServer, catalog: Path, tmp_path: Path
) -> None:
    asked = threading.Event()
    release = threading.Event()

    def hang(request: Any) -> Reply:
        asked.set()
        release.wait(60)
        return Reply(503, json={"error": {"message": "gone"}})

    server.route = hang
    before = tree(catalog)
    process = subprocess.Popen(
        _command(catalog, server.url + "/openai/v1"),
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert asked.wait(120), "detect never asked for the listing"
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=120)
    finally:
        release.set()
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 128 + signal.SIGTERM, err
    assert err == (
        "groq: interrupted by SIGTERM; the catalog holds all of this run's edits or none\n"
    )
    assert out == ""
    assert tree(catalog) == before
