"""Read a models.dev snapshot (a checkout folder or its tarball): its files, then its
providers, provider models and canonical models as raw TOML.

Layout of the snapshot::

    providers/<provider>/provider.toml
    providers/<provider>/models/<model id>.toml     (ids with `/` are nested folders)
    models/<lab>/<model id>.toml                    canonical lab models

A provider-model file may be a symbolic link to another provider's file (the same model served
by both): it is read through the link and belongs to the provider whose folder holds the link.
Broken links, files without the `.toml` extension and files that do not parse are reported,
never dropped silently.
"""

from __future__ import annotations

import os
import posixpath
import tarfile
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from llmaestro.catalog.importers.common import MODELS_DEV, ImportLog
from llmaestro.catalog.importers.source_file import SourceError, open_tarball

# --- reading the tree ------------------------------------------------------------------------


@dataclass(frozen=True)
class RawFile:
    """One file of the snapshot, read through symbolic links."""

    path: str
    """Path inside the snapshot (posix), where the file or link stands."""
    data: bytes | None
    """Content; None for a broken link."""
    link: str | None = None
    """Path the link resolves to (or points at, when broken)."""


def _read_folder(root: Path) -> list[RawFile]:
    out: list[RawFile] = []
    real_root = root.resolve()
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        here = Path(folder)
        names = sorted(files) + sorted(d for d in dirs if (here / d).is_symlink())
        for name in names:
            path = here / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                target = path.resolve()
                try:
                    link = target.relative_to(real_root).as_posix()
                except ValueError:
                    link = os.readlink(path)
                if target.is_file():
                    out.append(RawFile(rel, target.read_bytes(), link))
                else:
                    out.append(RawFile(rel, None, link))
            elif path.is_file():
                out.append(RawFile(rel, path.read_bytes()))
    return out


def _read_tarball(path: Path) -> list[RawFile]:
    out: list[RawFile] = []
    # decompressed once in memory (a gzip stream does not seek cheaply), bounded
    with open_tarball(path, "a models.dev snapshot") as tar:
        members = {posixpath.normpath(m.name).lstrip("/"): m for m in tar.getmembers()}
        members.pop(".", None)

        def follow(name: str) -> tuple[str, tarfile.TarInfo | None]:
            seen: set[str] = set()
            current = name
            while current in members and current not in seen:
                seen.add(current)
                member = members[current]
                if member.issym():
                    current = posixpath.normpath(
                        posixpath.join(posixpath.dirname(current), member.linkname)
                    )
                elif member.islnk():
                    current = posixpath.normpath(member.linkname)
                else:
                    return current, member
            return current, None

        for name in sorted(members):
            member = members[name]
            if member.isdir():
                continue
            if member.issym() or member.islnk():
                target, found = follow(name)
                data = None
                if found is not None and found.isfile():
                    handle = tar.extractfile(found)
                    data = handle.read() if handle else None
                out.append(RawFile(name, data, target))
            elif member.isfile():
                handle = tar.extractfile(member)
                out.append(RawFile(name, handle.read() if handle else b""))
    return out


def read_snapshot_files(path: Path) -> list[RawFile]:
    """Every file of a snapshot folder or tarball, with paths relative to the folder that
    holds `providers/` (a single top-level folder of a tarball is looked through)."""
    files = _read_folder(path) if path.is_dir() else _read_tarball(path)
    if files and not any(f.path.startswith("providers/") for f in files):
        tops = {f.path.split("/", 1)[0] for f in files}
        if len(tops) == 1:
            top = tops.pop() + "/"
            files = [
                RawFile(
                    f.path[len(top) :],
                    f.data,
                    f.link[len(top) :] if f.link and f.link.startswith(top) else f.link,
                )
                for f in files
            ]
    return files


# --- the snapshot ----------------------------------------------------------------------------


@dataclass
class ModelFile:
    """A model file of the snapshot: where it stands and what it says."""

    path: str
    raw: dict[str, Any]
    link: str | None = None


@dataclass
class Snapshot:
    """A models.dev snapshot: providers, provider models and canonical models (raw TOML)."""

    providers: dict[str, ModelFile] = field(default_factory=dict)
    offerings: dict[tuple[str, str], ModelFile] = field(default_factory=dict)
    canonical: dict[str, ModelFile] = field(default_factory=dict)
    #: counts of what was read, for the report
    paths_seen: int = 0
    symlinks: int = 0
    broken_symlinks: int = 0


def _parse(file: RawFile, log: ImportLog, provider: str) -> dict[str, Any] | None:
    assert file.data is not None
    try:
        return tomllib.loads(file.data.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        log.skip(MODELS_DEV, provider, file.path, f"not readable TOML: {exc}")
        return None


def load_snapshot(path: Path, log: ImportLog) -> Snapshot:
    """Read a snapshot; every file that cannot become a catalog entry is logged."""
    snap = Snapshot()
    for file in read_snapshot_files(path):
        parts = file.path.split("/")
        if parts[0] == "providers" and len(parts) >= 3:
            pid = parts[1]
            if len(parts) == 3 and parts[2] == "provider.toml":
                if file.data is None:
                    log.skip(MODELS_DEV, pid, file.path, f"broken symlink to `{file.link}`")
                    continue
                raw = _parse(file, log, pid)
                if raw is not None:
                    snap.providers[pid] = ModelFile(file.path, raw, file.link)
                continue
            if len(parts) < 4 or parts[2] != "models":
                log.skip(MODELS_DEV, pid, file.path, "not model data (documentation or tooling)")
                continue
            snap.paths_seen += 1
            rel = "/".join(parts[3:])
            if file.link is not None:
                snap.symlinks += 1
            if not rel.endswith(".toml"):
                log.skip(MODELS_DEV, pid, file.path, "file without the `.toml` extension: not read")
                continue
            if file.data is None:
                snap.broken_symlinks += 1
                log.skip(MODELS_DEV, pid, file.path, f"broken symlink to `{file.link}`")
                continue
            raw = _parse(file, log, pid)
            if raw is not None:
                snap.offerings[(pid, rel[: -len(".toml")])] = ModelFile(file.path, raw, file.link)
        elif parts[0] == "models" and len(parts) >= 3:
            if not file.path.endswith(".toml") or file.data is None:
                reason = (
                    "file without the `.toml` extension: not read"
                    if file.data is not None
                    else f"broken symlink to `{file.link}`"
                )
                log.skip(MODELS_DEV, parts[1], file.path, reason)
                continue
            raw = _parse(file, log, parts[1])
            if raw is not None:
                ref = "/".join(parts[1:])[: -len(".toml")]
                snap.canonical[ref] = ModelFile(file.path, raw, file.link)
    if not snap.offerings:
        # an empty or wrong folder would retire every offering the catalog has from it
        raise SourceError(
            f"{path}: holds no provider model files (providers/<id>/models/*.toml); "
            "not a models.dev snapshot"
        )
    return snap
