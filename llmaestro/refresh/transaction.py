"""Writing many catalog files as one transaction: after a run all of them are written or none.

A refresh may change thousands of files. Written one by one, a ``SIGTERM`` (what ``timeout``
and a cancelled CI job send) used to leave a half-applied catalog, and a ``kill -9`` left a
temporary file that made every later run refuse the catalog as invalid. So :func:`commit`

1. keeps a *journal* beside the catalog (``<parent>/.<catalog>.llmaestro-apply/``, outside
   it so the validator never sees it): a copy of every file it will replace and a manifest of
   every file it will create, each file's mode and the folders it will make; the manifest is
   written (atomically, flushed) before anything in the catalog changes;
2. writes every new text to a temporary file beside its target
   (``.<name>.llmaestro-apply.tmp``), then renames them all over their targets;
   every backup and temporary file is flushed to disk before the next step, by ``fsync``
   calls run in parallel (one journal commit of the file system for a batch of files, not
   one per file: 93 files ~0.5 s -> ~0.07 s here);
3. removes the journal: that is the commit.

On an error, ``SIGTERM`` or ``SIGINT`` before the commit, the journal puts every file back as
it was (:class:`Interrupted` is raised for a signal, after the restore: the caller exits
``128 + signal``); the catalog is byte for byte as before. A signal after the commit is
delivered once the commit is done. After ``kill -9`` the next run calls :func:`recover` first:
it finds the journal and restores the same way, and removes stray temporary files of an
interrupted write (hidden files ending in ``.tmp``: :mod:`llmaestro._atomic` writes
``.<name>.<8 characters>.tmp``; the catalog holds only ``.yaml`` and ``.md`` files, so none
is a person's); it never refuses.

``LLMAESTRO_TEST_APPLY_HOLD`` (tests only): a path; after half the renames the transaction
creates that file and waits (up to a minute) so a test can send a signal at that point.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import stat
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import FrameType

from llmaestro._atomic import file_mode, write_bytes_atomic

__all__ = ["HOLD_ENV", "Interrupted", "commit", "journal_path", "recover"]

HOLD_ENV = "LLMAESTRO_TEST_APPLY_HOLD"
_TMP_TAG = ".llmaestro-apply.tmp"
_MANIFEST = "manifest.json"
_OWNER = "pid"
#: a temporary file of an interrupted write: hidden, ``.tmp`` (ours ``.<name>.llmaestro-apply.tmp``,
#: llmaestro._atomic's ``.<name>.<8 characters>.tmp``); no catalog file looks like that
_STRAY = re.compile(r"\..+\.tmp")
_SIGNALS = (signal.SIGTERM, signal.SIGINT)
#: files written (then flushed together) at a time, and the threads flushing them
_BATCH = 64
_FSYNC_THREADS = 16


class Interrupted(BaseException):
    """A ``SIGTERM`` or ``SIGINT`` stopped the transaction; every file was restored."""

    def __init__(self, signum: int, *, restored: bool = True) -> None:
        self.signum = signum
        #: True when raised by :func:`commit` (every file put back); False when raised
        #: outside a commit (the catalog then holds all of a run's edits or none)
        self.restored = restored
        super().__init__(f"interrupted by {signal.Signals(signum).name}")


def journal_path(root: Path) -> Path:
    """Where the journal of the catalog at ``root`` lives (beside it)."""
    root = root.resolve()
    return root.parent / f".{root.name}.llmaestro-apply"


def _tmp_of(path: Path) -> Path:
    return path.with_name(f".{path.name}{_TMP_TAG}")


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """Create ``path`` (removed first if a previous attempt left it) with ``data``, flushed."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        _write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(path, mode)


def _write_many(items: Sequence[tuple[Path, bytes, int]]) -> None:
    """:func:`_write_new` of every ``(path, data, mode)``, faster: in batches of
    :data:`_BATCH`, each batch written, then flushed by parallel ``fsync`` calls (the file
    system commits them together instead of one journal commit per file), before the next
    batch; every file of a batch is closed before an error propagates."""
    for start in range(0, len(items), _BATCH):
        batch = items[start : start + _BATCH]
        fds: list[int] = []
        try:
            for path, data, _ in batch:
                path.unlink(missing_ok=True)
                fds.append(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                _write_all(fds[-1], data)
            if len(fds) == 1:
                os.fsync(fds[0])
            else:
                with ThreadPoolExecutor(min(len(fds), _FSYNC_THREADS)) as pool:
                    list(pool.map(os.fsync, fds))
        finally:
            for fd in fds:
                os.close(fd)
        for path, _, mode in batch:
            os.chmod(path, mode)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class _Signals:
    """SIGTERM and SIGINT raise :class:`Interrupted` (once) while open; after :meth:`hold`
    they are only remembered and delivered again by :meth:`close`."""

    def __init__(self) -> None:
        self.fired: int | None = None
        self.held = False
        self.previous: dict[int, object] = {}

    def __enter__(self) -> _Signals:
        if threading.current_thread() is threading.main_thread():
            for signum in _SIGNALS:
                self.previous[signum] = signal.signal(signum, self._handle)
        return self

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.fired is not None:
            return
        self.fired = signum
        if not self.held:
            raise Interrupted(signum)

    def hold(self) -> None:
        self.held = True

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
        if self.held and self.fired is not None:
            signal.raise_signal(self.fired)


def commit(root: Path, files: Mapping[Path, tuple[bytes | None, bytes]]) -> list[Path]:
    """Write ``files`` (path → (the bytes it must have now or ``None`` for a new file, its new
    bytes)) as one transaction under the catalog at ``root``; see the module docstring.
    Raises :class:`OSError` (every file restored), :class:`Interrupted` (restored),
    :class:`FileExistsError` when another run's journal is there."""
    journal = journal_path(root)
    # absolute paths in the manifest: the next run may start from another folder
    root = Path(os.path.abspath(root))
    files = {Path(os.path.abspath(path)): change for path, change in files.items()}
    targets = list(files)
    with _Signals() as signals:
        journal.mkdir()
        try:
            (journal / _OWNER).write_text(str(os.getpid()), "ascii")
            _prepare(journal, root, files)
            for path in targets:
                path.parent.mkdir(parents=True, exist_ok=True)
            _write_many([(_tmp_of(p), files[p][1], _mode(p)) for p in targets])
            hold_at = len(targets) // 2
            for index, path in enumerate(targets):
                if index == hold_at:
                    _test_hold()
                os.replace(_tmp_of(path), path)
            for folder in {p.parent for p in targets}:
                _fsync(folder)
            signals.hold()
            _remove_journal(journal)
        except BaseException as exc:
            signals.hold()
            _restore(journal)
            if isinstance(exc, Interrupted):
                signals.fired = None  # answered: the restore is what the signal asked for
            raise
    return targets


def _mode(path: Path) -> int:
    try:
        return stat.S_IMODE(os.lstat(path).st_mode)
    except FileNotFoundError:
        return file_mode(path)


def _prepare(journal: Path, root: Path, files: Mapping[Path, tuple[bytes | None, bytes]]) -> None:
    """Back up every target and write the manifest (the last step before the catalog changes)."""
    entries = []
    folders: list[str] = []
    backups: list[tuple[Path, bytes, int]] = []
    for index, (path, (before, _)) in enumerate(files.items()):
        backup = None
        if before is not None:
            backup = f"{index}.orig"
            backups.append((journal / backup, before, 0o600))
        folder = path.parent
        missing = []
        while not folder.exists() and folder != root:
            missing.append(str(folder))
            folder = folder.parent
        folders.extend(f for f in reversed(missing) if f not in folders)
        entries.append(
            {
                "file": str(path),
                "backup": backup,
                "mode": _mode(path) if before is not None else None,
            }
        )
    _write_many(backups)  # every backup on disk before the manifest says they are there
    manifest = json.dumps({"files": entries, "folders": folders}).encode("utf-8")
    _write_new(journal / (_MANIFEST + ".part"), manifest, 0o600)
    os.replace(journal / (_MANIFEST + ".part"), journal / _MANIFEST)
    _fsync(journal)


def _restore(journal: Path) -> int:
    """Put every file the journal names back as it was; remove the journal. The number of
    files restored."""
    try:
        manifest = json.loads((journal / _MANIFEST).read_text("utf-8"))
    except FileNotFoundError:
        manifest = {"files": [], "folders": []}  # stopped before the catalog changed
    restored = 0
    for entry in manifest["files"]:
        path = Path(entry["file"])
        _tmp_of(path).unlink(missing_ok=True)
        if entry["backup"] is None:
            if path.exists():
                path.unlink()
                restored += 1
            continue
        before = (journal / entry["backup"]).read_bytes()
        try:
            same = path.read_bytes() == before and _mode(path) == entry["mode"]
        except FileNotFoundError:
            same = False
        if not same:
            write_bytes_atomic(path, before, mode=entry["mode"])
            restored += 1
    for folder in reversed(manifest["folders"]):
        with contextlib.suppress(OSError):
            Path(folder).rmdir()
    _remove_journal(journal)
    return restored


def _remove_journal(journal: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (journal / _MANIFEST).unlink()
    shutil.rmtree(journal, ignore_errors=True)


def _stray_files(root: Path) -> Iterator[Path]:
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
        for name in names:
            if _STRAY.fullmatch(name):
                yield Path(folder, name)


def recover(root: Path) -> list[str]:
    """Undo what an interrupted run left (its journal's files restored, stray temporary files
    removed); one line per thing done, for the run's progress and report."""
    done = []
    journal = journal_path(root)
    if journal.is_dir() and not _running(journal):
        count = _restore(journal)
        done.append(f"restored {count} file(s) an interrupted run had changed (from its journal)")
    if root.is_dir():
        stray = list(_stray_files(root))
        for path in stray:
            path.unlink(missing_ok=True)
        if stray:
            done.append(f"removed {len(stray)} temporary file(s) an interrupted write left")
    return done


def _running(journal: Path) -> bool:
    """Whether the process that wrote the journal still runs (a concurrent run: leave it)."""
    try:
        pid = int((journal / _OWNER).read_text("ascii"))
    except (OSError, ValueError):
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process
    return True


def _test_hold() -> None:
    """Tests only: announce the half-way point and wait there for a signal."""
    marker = os.environ.get(HOLD_ENV)
    if not marker:
        return
    Path(marker).write_text(str(os.getpid()), "utf-8")
    deadline = time.monotonic() + 60.0
    while time.monotonic() < deadline:
        time.sleep(0.01)
