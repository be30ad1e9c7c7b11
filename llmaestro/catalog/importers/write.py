"""Write a built catalog: each file's data in the model's key order, at its path, only when
its text changed; stale catalog YAML files are removed.

The write is all or nothing: every text is rendered before the first write, each file is
replaced atomically with its previous version kept as a hard link (no space needed), and when
a write fails (a full disk, a read-only folder) every file already replaced is put back and
every new file and folder removed before the error is raised. Stale files are removed only
after every write succeeded."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from llmaestro._atomic import write_text_atomic
from llmaestro.catalog.importers.common import Facts
from llmaestro.catalog.importers.draft import Built
from llmaestro.catalog.importers.sanitize import as_model_input
from llmaestro.catalog.model import CanonicalModelFile
from llmaestro.catalog.paths import encode_id, encode_segment
from llmaestro.catalog.tree import schema_comment_for
from llmaestro.catalog.writer import render


def model_order(data: Facts, model: Any) -> Facts:
    """``data`` validated by ``model`` and dumped back: keys in the model's order, no None."""
    obj = model.model_validate(as_model_input(data))
    dumped: Facts = _with_decimal_point(obj.model_dump(exclude_none=True))
    return dumped


def _with_decimal_point(value: Any) -> Any:
    """A whole-number Decimal (``10``) as ``10.0``: the YAML writer tags a Decimal that has no
    decimal point (``!!float '10'``), which the strict reader rejects; ``10.0`` reads back as
    the same price."""
    if isinstance(value, dict):
        return {k: _with_decimal_point(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_with_decimal_point(v) for v in value]
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= 0:
            return value.quantize(Decimal("0.1"))
    return value


def offering_path(root: Path, provider: str, model: str) -> Path:
    return root / "providers" / encode_segment(provider) / "models" / (encode_id(model) + ".yaml")


def canonical_path(root: Path, ref: str) -> Path:
    lab, model = ref.split("/", 1)
    return root / "models" / encode_segment(lab) / (encode_id(model) + ".yaml")


def provider_path(root: Path, provider: str) -> Path:
    return root / "providers" / encode_segment(provider) / "provider.yaml"


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


def write_catalog(built: Built, root: Path, extra: Mapping[Path, str] | None = None) -> WriteStats:
    """Write every file (only those whose text changed), and ``extra`` (path: text, e.g. the
    import report), then remove stale catalog YAML files; a failed write changes nothing
    (the module documentation says how) and raises the ``OSError``."""
    texts: dict[Path, str] = {}

    def put(path: Path, data: Facts, kind: Any) -> None:
        texts[path] = render(data, schema_comment_for(path, root, kind))

    for pid, facts in sorted(built.providers.items()):
        put(provider_path(root, pid), facts, "provider")
    for ref, facts in sorted(built.canonical.items()):
        put(canonical_path(root, ref), model_order(facts, CanonicalModelFile), "canonical")
    for (pid, mid), facts in sorted(built.offering_files.items()):
        put(offering_path(root, pid, mid), facts, "offering")
    keep = set(texts)
    texts.update(extra or {})
    changed = {path: text for path, text in texts.items() if not _holds(path, text)}
    _write_all(root, changed)
    written = sum(1 for path in changed if path in keep)  # the counts are of catalog files
    return WriteStats(written, len(keep) - written, _remove_stale(root, keep))


def _holds(path: Path, text: str) -> bool:
    try:
        return path.read_text("utf-8") == text
    except (FileNotFoundError, UnicodeDecodeError):
        return False


def _write_all(root: Path, changed: Mapping[Path, str]) -> None:
    """Write ``changed`` atomically as one: on an error, put everything back, then raise."""
    if not changed:
        return
    root.mkdir(parents=True, exist_ok=True)
    created: list[Path] = []  # folders made, outermost first
    replaced: list[tuple[Path, Path | None]] = []  # (file, its previous version or None)
    backups = Path(tempfile.mkdtemp(prefix=".import-", dir=root))
    try:
        for i, (path, text) in enumerate(changed.items()):
            for folder in reversed(path.parents):
                if folder.is_relative_to(root) and not folder.exists():
                    folder.mkdir()
                    created.append(folder)
            old: Path | None = None
            if path.exists():
                old = backups / str(i)
                os.link(path, old)
            replaced.append((path, old))
            write_text_atomic(path, text)
    except OSError as exc:
        _roll_back(replaced, created)
        if exc.filename is None:  # a failed write(2) names no file: say which one it was
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    except BaseException:
        _roll_back(replaced, created)
        raise
    finally:
        shutil.rmtree(backups, ignore_errors=True)


def _roll_back(replaced: list[tuple[Path, Path | None]], created: list[Path]) -> None:
    """Every file of ``replaced`` as it was (its hard link back in place, or removed when it
    is new), then the folders made for them."""
    for path, old in reversed(replaced):
        try:
            if old is not None:
                os.replace(old, path)
            else:
                path.unlink(missing_ok=True)
        except OSError:  # pragma: no cover - the original error is the one to report
            continue
    for folder in reversed(created):
        try:
            folder.rmdir()
        except OSError:  # pragma: no cover - not empty: something else wrote there
            continue


def _remove_stale(root: Path, keep: set[Path]) -> int:
    removed = 0
    for folder in ("providers", "models"):
        top = root / folder
        if not top.is_dir():
            continue
        for dirpath, _dirs, files in os.walk(top, topdown=False):
            here = Path(dirpath)
            for name in files:
                path = here / name
                if path not in keep:
                    path.unlink()
                    removed += 1
            if here != top and not any(here.iterdir()):
                here.rmdir()
    return removed
