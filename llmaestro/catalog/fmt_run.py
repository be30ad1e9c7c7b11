"""Running `llmaestro fmt` over files and folders.

Which files: catalog files named on the command line, or every catalog file under a folder.
Each is put in canonical form by :func:`llmaestro.catalog.fmt.format_text` and, unless only
checked, written atomically (its mode kept). Files already known to be canonical are
remembered by a digest of their bytes (in the user cache folder, per version of the code that
decides the form), so checking the whole catalog again costs little; big runs use worker
processes.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import ruamel.yaml

from llmaestro._atomic import write_text_atomic
from llmaestro.catalog import fmt as _fmt
from llmaestro.catalog import model as _models
from llmaestro.catalog import tree as _tree
from llmaestro.catalog import writer as _writer
from llmaestro.catalog import yamlread as _yamlread
from llmaestro.catalog.bundle import cache_dir
from llmaestro.catalog.diagnostics import Diagnostic
from llmaestro.catalog.fmt import classify, format_text, schema_line
from llmaestro.catalog.tree import read_regular
from llmaestro.catalog.yamlread import MAX_FILE_BYTES

#: files handed to one worker at a time; fewer files than this are done in this process
_CHUNK = 200


class NoSuchPath(Exception):
    """A path on the command line does not exist (a usage error)."""


@dataclass
class Changed:
    display: str
    reasons: list[str]


@dataclass
class FmtReport:
    files: int = 0
    changed: list[Changed] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def collect(paths: Sequence[Path]) -> tuple[list[tuple[Path, str]], list[Diagnostic]]:
    """(file, display name) of every catalog file named or under a named folder."""
    found: dict[str, tuple[Path, str]] = {}
    problems: list[Diagnostic] = []
    for given in paths:
        if not given.exists() and not given.is_symlink():
            raise NoSuchPath(str(given))
        if given.is_dir():
            for file, display in _walk(given):
                found.setdefault(os.path.abspath(file), (file, display))
        elif given.is_symlink():
            problems.append(_problem(given, "LM010", "a symbolic link; fmt rewrites files only"))
        elif classify(given) is None:
            problems.append(
                _problem(
                    given,
                    "LM009",
                    "not a catalog file",
                    "providers/<id>/provider.yaml, providers/<id>/models/<model>.yaml or "
                    "models/<lab>/<model>.yaml",
                )
            )
        else:
            found.setdefault(os.path.abspath(given), (given, given.as_posix()))
    return list(found.values()), problems


def _walk(folder: Path) -> Iterator[tuple[Path, str]]:
    stack = [folder.as_posix()]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as scan:
                entries = sorted(scan, key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        files = []
        for entry in entries:
            if entry.is_symlink():
                continue
            if entry.is_dir():
                stack.append(f"{current}/{entry.name}")
            elif entry.name.endswith(".yaml"):
                files.append(entry.name)
        for name in reversed(files):
            file = Path(current, name)
            if classify(file) is not None:
                yield file, f"{current}/{name}"


def _problem(path: Path, code: str, message: str, expected: str | None = None) -> Diagnostic:
    return Diagnostic(path.as_posix(), 1, 1, code, "", message, expected=expected)


def code_version() -> str:
    """A digest of the code that decides the canonical form: a new one forgets the cache."""
    digest = hashlib.sha256(ruamel.yaml.__version__.encode())
    for module in (_fmt, _writer, _yamlread, _tree, _models):
        source = Path(module.__file__ or "")  # a package: every module of it
        for file in sorted(source.parent.glob("*.py")) if source.stem == "__init__" else [source]:
            digest.update(file.read_bytes())
    return digest.hexdigest()[:20]


def _key(path: Path, raw: bytes) -> str:
    """What the canonical text of a file depends on: its bytes and (via the `$schema` line)
    its place in the catalog."""
    found = classify(path)
    assert found is not None
    line = schema_line(path, found[0], found[1], None)
    return hashlib.blake2b(line.encode() + b"\0" + raw, digest_size=16).hexdigest()


@dataclass
class _Outcome:
    changed: Changed | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: digest of a file now known to be canonical
    known: str | None = None


def _one(path: Path, display: str, check: bool, known: frozenset[str]) -> _Outcome:
    try:
        read = read_regular(path)  # bounded, and a FIFO named *.yaml does not block
    except OSError as exc:
        return _Outcome(diagnostics=[_problem(path, "LM001", f"cannot read: {exc.strerror}")])
    if read is None:
        return _Outcome(diagnostics=[_problem(path, "LM009", "not a regular file; left alone")])
    raw, size = read
    if len(raw) > MAX_FILE_BYTES:
        sizes = f"found {size} bytes, expected at most {MAX_FILE_BYTES} bytes (1 MiB)"
        return _Outcome(diagnostics=[_problem(path, "LM007", f"file is too large ({sizes})")])
    key = _key(path, raw)
    if key in known:
        return _Outcome()
    found = classify(path)
    assert found is not None
    result = format_text(raw, path, found[0], found[1], display)
    if result.text is None:
        return _Outcome(diagnostics=result.diagnostics)
    new = result.text.encode("utf-8")
    if new == raw:
        return _Outcome(known=key)
    if check:
        return _Outcome(Changed(display, result.reasons))
    try:
        write_text_atomic(path, result.text)
    except OSError as exc:
        return _Outcome(diagnostics=[_problem(path, "LM001", f"cannot write: {exc.strerror}")])
    return _Outcome(Changed(display, result.reasons), known=_key(path, new))


_WORK: list[tuple[bool, frozenset[str]]] = []  # (check, known) for forked workers


def _chunk(files: list[tuple[Path, str]]) -> list[_Outcome]:
    check, known = _WORK[0]
    return [_one(path, display, check, known) for path, display in files]


def run(paths: Sequence[Path], *, check: bool, jobs: int = 1, use_cache: bool = True) -> FmtReport:
    """Format (or with ``check`` only inspect) the catalog files of ``paths``."""
    files, problems = collect(paths)
    report = FmtReport(files=len(files), diagnostics=problems)
    cache = _Cache() if use_cache else None
    known = cache.load() if cache else frozenset()
    _WORK[:] = [(check, known)]
    try:
        chunks = [files[i : i + _CHUNK] for i in range(0, len(files), _CHUNK)]
        if jobs > 1 and len(chunks) > 1 and hasattr(os, "fork"):
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                parts = pool.map(_chunk, chunks)
        else:
            parts = [_chunk(chunk) for chunk in chunks]
    finally:
        _WORK.clear()
    learned: set[str] = set()
    for outcome in (o for part in parts for o in part):
        if outcome.changed is not None:
            report.changed.append(outcome.changed)
        report.diagnostics.extend(outcome.diagnostics)
        if outcome.known is not None:
            learned.add(outcome.known)
    if cache and learned:
        # the digests of files since edited linger until the code changes; keep that bounded
        cache.save(known | learned if len(known) < 20 * max(len(files), 5000) else learned)
    report.diagnostics.sort(key=Diagnostic.sort_key)
    return report


class _Cache:
    """Digests of files known to be canonical, one per line, for this version of the code."""

    def __init__(self) -> None:
        self.folder = cache_dir()
        self.path = self.folder / f"fmt-{code_version()}.txt"

    def load(self) -> frozenset[str]:
        try:
            return frozenset(self.path.read_text("ascii").split())
        except (OSError, UnicodeDecodeError):
            return frozenset()

    def save(self, digests: frozenset[str] | set[str]) -> None:
        try:
            for old in self.folder.glob("fmt-*.txt"):
                if old != self.path:
                    old.unlink()
            # runs side by side (pre-commit splits the files) each add what they learned
            digests = self.load() | digests
            write_text_atomic(self.path, "".join(d + "\n" for d in sorted(digests)))
        except OSError:  # a cache that cannot be written is only slower
            pass
