"""The staging catalog a plan's edits are validated on: the part of the catalog that
validating them reads, with the edits written in, in a temporary folder.

:func:`validate_paths` of a provider's files reads that provider's folder (every offering:
aliases and replacements are checked across it), the canonical models its offerings inherit
(``base:``) and, for a replacement ``other/model``, whether ``other`` lists ``model``. So the
stage holds exactly that:

* every file of each provider folder an edit touches;
* every canonical model a ``base:`` line of those files (edited or not) names;
* the offering file of every ``other/model`` a ``replacement:`` line of them names;
* ``schemas/`` beside it (a link to the real one: the ``$schema`` lines are checked).

A stage can only lack what a file names (a base or replacement the regular expressions
here did not see), so a smaller stage can make validation fail, never pass: the edit is then
held back, the catalog untouched. Edits outside ``providers/<id>/`` (no detector writes
them) get a copy of the whole catalog instead.

Unchanged files are hard links to the catalog's own (a copy where the file system refuses
links: another device, no permission): nothing in the stage is ever written in place;
:meth:`Stage.put` removes a path before it writes a new file there, so the catalog's file a
link shared is never touched.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from llmaestro.catalog.paths import encode_id, encode_segment

__all__ = ["Stage", "staged"]

_BASE = re.compile(r"^base:\s*['\"]?([^\s'\"#]+)", re.MULTILINE)
_REPLACEMENT = re.compile(r"^\s+replacement:\s*['\"]?([^\s'\"#]+)", re.MULTILINE)


class Stage:
    """A staging catalog at :attr:`root` (``<temporary folder>/<catalog name>``)."""

    def __init__(self, source: Path, folder: Path) -> None:
        self.source = source
        self.root = folder / source.name
        self.linked = 0
        self.copied = 0
        self._can_link = True

    def put(self, rel: str, text: str | None) -> None:
        """Give the file at ``rel`` the text ``text`` (None: no file there). The old file is
        removed first, so a hard link to the catalog is replaced, never written through."""
        target = self.root / rel
        target.unlink(missing_ok=True)
        if text is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")

    def bring(self, rel: str) -> bool:
        """Link (or copy) the catalog's file at ``rel`` into the stage; False when the
        catalog has no such file."""
        src, dst = self.source / rel, self.root / rel
        if not os.path.lexists(src) or os.path.lexists(dst):
            return os.path.lexists(dst)
        dst.parent.mkdir(parents=True, exist_ok=True)
        if os.path.islink(src):
            os.symlink(os.readlink(src), dst)  # reported as the catalog's own would be
            return True
        if self._can_link:
            try:
                os.link(src, dst, follow_symlinks=False)
                self.linked += 1
                return True
            except OSError:
                self._can_link = False  # another device or no permission: copy from now on
        shutil.copy2(src, dst)
        self.copied += 1
        return True

    def bring_folder(self, rel: str) -> list[str]:
        """Every file below the catalog's folder ``rel`` into the stage; their paths."""
        found: list[str] = []
        stack = [rel]
        while stack:
            current = stack.pop()
            try:
                entries = list(os.scandir(self.source / current))
            except OSError:
                continue
            for entry in entries:
                child = f"{current}/{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    stack.append(child)
                else:
                    self.bring(child)
                    found.append(child)
        return found


def _provider_folders(edits: Mapping[str, str]) -> set[str] | None:
    """``providers/<id>`` of every edit, or None when one lies elsewhere."""
    folders = set()
    for rel in edits:
        parts = rel.split("/")
        if len(parts) < 3 or parts[0] != "providers" or ".." in parts:
            return None
        folders.add(f"providers/{parts[1]}")
    return folders


def _referenced(text: str) -> Iterator[str]:
    """Catalog paths a file's ``base:`` and cross-provider ``replacement:`` lines name."""
    for match in _BASE.finditer(text):
        ref = match.group(1)
        if "/" in ref:
            lab, model = ref.split("/", 1)
            yield _path("models", lab, model)
    for match in _REPLACEMENT.finditer(text):
        ref = match.group(1)
        if "/" in ref:
            other, model = ref.split("/", 1)
            yield _path("providers", other, model, models=True)


def _path(top: str, owner: str, model: str, *, models: bool = False) -> str:
    try:
        middle = "/models" if models else ""
        return f"{top}/{encode_segment(owner)}{middle}/{encode_id(model)}.yaml"
    except ValueError:
        return ""  # no file has that name; validation reports the reference


def _read(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8", "replace")
    except OSError:
        return ""


@contextmanager
def staged(source: Path, edits: Mapping[str, str]) -> Iterator[Stage]:
    """A :class:`Stage` of the catalog at ``source`` with ``edits`` (catalog-relative path
    → new text) written in; removed on exit."""
    with tempfile.TemporaryDirectory(prefix="llmaestro-drift-") as tmp:
        stage = Stage(source, Path(tmp))
        schemas = source.parent / "schemas"
        if schemas.is_dir():
            try:
                os.symlink(schemas.resolve(), Path(tmp) / "schemas")
            except OSError:
                shutil.copytree(schemas, Path(tmp) / "schemas", symlinks=True)
        folders = _provider_folders(edits)
        if folders is None:
            shutil.copytree(source, stage.root, symlinks=True)
            for rel, text in edits.items():
                stage.put(rel, text)
            yield stage
            return
        stage.root.mkdir()
        texts: list[str] = []
        for folder in sorted(folders):
            for rel in stage.bring_folder(folder):
                if rel not in edits and rel.endswith(".yaml"):
                    texts.append(_read(source / rel))
        for rel, text in edits.items():
            stage.put(rel, text)
            texts.append(text)
        seen: set[str] = set()
        while texts:
            for ref in _referenced(texts.pop()):
                if ref and ref not in seen and ref not in edits:
                    seen.add(ref)
                    if stage.bring(ref) and ref.startswith("models/"):
                        texts.append(_read(source / ref))  # its replacement, if any
        yield stage
