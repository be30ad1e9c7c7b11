"""The catalog on disk: which files exist, what each one is, and reading one file.

Layout (ids come from the path, see :mod:`llmaestro.catalog.paths`)::

    <root>/providers/<provider>/provider.yaml
    <root>/providers/<provider>/models/<model id>.yaml
    <root>/models/<lab>/<model id>.yaml
    <root>/*.md                                    reports (IMPORT_REPORT.md, ...)
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from llmaestro._http.redact import looks_like_secret
from llmaestro._http.redact import may_hold_secret as may_hold_secret_text
from llmaestro.catalog.diagnostics import MAX_PER_FILE, Diagnostic, clip
from llmaestro.catalog.ids import id_problem
from llmaestro.catalog.merge_decides import file_alone_is_implied
from llmaestro.catalog.model import (
    CanonicalModel,
    CanonicalModelFile,
    Offering,
    OfferingFile,
    Provider,
    ProviderFile,
)
from llmaestro.catalog.paths import decode_id, decode_segment
from llmaestro.catalog.reading import child_path, decoded_or_empty
from llmaestro.catalog.reading import find_root as find_root
from llmaestro.catalog.reading import read_regular as read_regular
from llmaestro.catalog.rules import env_keys, find_secrets, may_hold_secret
from llmaestro.catalog.schema_errors import describe, pydantic_diagnostics
from llmaestro.catalog.yamlread import YamlDocument, parse_yaml

FileKind = Literal["provider", "offering", "canonical"]

SCHEMA_FILES: dict[FileKind, str] = {
    "provider": "provider.schema.json",
    "offering": "offering.schema.json",
    "canonical": "model.schema.json",
}
FILE_MODELS: dict[FileKind, type[BaseModel]] = {
    "provider": ProviderFile,
    "offering": OfferingFile,
    "canonical": CanonicalModelFile,
}
SCHEMA_COMMENT = "# yaml-language-server: $schema="
#: YAML problems after which the data cannot be trusted enough to check its schema
_FATAL = frozenset({"LM001", "LM002", "LM003", "LM007", "LM008"})


@dataclass(slots=True)
class CatalogFile:
    """One catalog file: what it is, its ids, its parsed and validated content."""

    path: Path
    display: str
    kind: FileKind
    #: (provider, model) for offerings, (lab, model) for canonical, (provider, "") for providers
    owner: str
    ident: str
    doc: YamlDocument | None = None
    model: Any = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: a based offering left to be validated merged first (``CatalogTree.defer_based``)
    deferred: bool = False

    @property
    def data(self) -> Any:
        return self.doc.data if self.doc else None


def schema_comment_for(file_path: Path, root: Path, kind: FileKind) -> str:
    """The ``$schema`` first line for a file of our repository layout (schemas/ beside root)."""
    schemas = root.parent / "schemas" / SCHEMA_FILES[kind]
    rel = os.path.relpath(schemas, file_path.parent).replace(os.sep, "/")
    return SCHEMA_COMMENT + rel


class CatalogTree:
    """Lists a catalog's files and reads them on demand (each file at most once)."""

    def __init__(self, root: Path, display_root: str | None = None) -> None:
        self.root = root
        self.display_root = display_root if display_root is not None else str(root)
        self.files: dict[Path, CatalogFile] = {}
        self._root_text = str(root).rstrip("/") + "/"
        #: (folder, kind) -> (expected `$schema` line, whether schemas/ exists beside the root)
        self._schema_lines: dict[tuple[str, str], str] = {}
        self._has_schemas = (root.parent / "schemas").is_dir()
        self.layout_diagnostics: list[Diagnostic] = []
        self._providers: dict[str, Path] | None = None
        self._offerings: dict[str, dict[str, Path]] = {}
        self._canonical: dict[str, Path] | None = None
        self._labs: dict[str, tuple[str | None, dict[str, Path]]] = {}
        #: the key environment variables' values, read once for the whole run
        self._env_keys = env_keys()
        self._id_problems: dict[str, str | None] = {}
        #: leave based offerings for the validator to check merged first (whole catalogs)
        self.defer_based = False

    def display(self, path: Path) -> str:
        text = str(path)
        root = self._root_text
        rel = text[len(root) :] if text.startswith(root) else path.relative_to(self.root).as_posix()
        return f"{self.display_root.rstrip('/')}/{rel}" if self.display_root else rel

    def _layout_error(self, path: Path, code: str, message: str, **kw: Any) -> None:
        self.layout_diagnostics.append(
            Diagnostic(self.display(path), 1, 1, code, "", message, **kw)
        )

    def _decode(self, path: Path, rel: str, no_secret: bool = False, known: str = "") -> str | None:
        try:
            model_id = known or decode_id(rel)  # `known`: the caller's decoding (or "")
        except ValueError as exc:
            self._layout_error(
                path,
                "LM011",
                f"file name is not the canonical encoding of an id: {exc}",
                expected="lower-case letters, digits, `-_.`, `^x` for upper case, `~hh` escapes",
                hint="see the id to file-name rule in docs/catalog.md",
            )
            return None
        # a listing id's rules before a detector writes it (ids.py), once an id for the run
        if model_id in self._id_problems:
            problem = self._id_problems[model_id]
        else:
            problem = self._id_problems[model_id] = id_problem(model_id, no_secret=no_secret)
        if problem is not None:
            self._layout_error(
                path,
                "LM011",
                f"the id this file name encodes cannot be a catalog id: {problem}",
                expected="an id of visible characters, no look-alikes, no empty or reserved "
                "segment, at most 255 bytes per encoded name",
            )
            return None
        return model_id

    # -- listing -----------------------------------------------------------------------------

    def _scan_models_dir(self, folder: Path, owner: str) -> dict[str, Path]:
        found: dict[str, Path] = {}
        folded: dict[str, str] = {}
        stack = [(folder, "")]
        while stack:
            current, prefix = stack.pop()
            try:
                entries = sorted(os.scandir(current), key=lambda e: e.name)
            except OSError:
                continue
            # one cheap secret test over the folder's ids (each id's own would read the
            # environment again): when it says no, no id here looks like a key
            ids = {
                e.name: decoded_or_empty(prefix + e.name[: -len(".yaml")])
                for e in entries
                if e.name.endswith(".yaml")
            }
            no_secret = not may_hold_secret_text("\n".join(ids.values()))
            for entry in entries:
                path = child_path(current, entry.name)
                if entry.is_symlink():
                    self._layout_error(
                        path,
                        "LM010",
                        "symbolic links are not allowed in the catalog",
                        hint="copy the file, or use `base:` to share facts",
                    )
                elif entry.is_dir():
                    if entry.name.endswith(".yaml"):  # would read as a file in a listing
                        self._layout_error(
                            path, "LM009", "a folder named like a catalog file", expected="a file"
                        )
                    stack.append((path, f"{prefix}{entry.name}/"))
                elif not entry.name.endswith(".yaml"):
                    self._not_yaml(path)
                else:
                    rel = prefix + entry.name[: -len(".yaml")]
                    model_id = self._decode(path, rel, no_secret, ids[entry.name])
                    if model_id is None:
                        continue
                    key = rel.casefold()
                    if key in folded:
                        self._layout_error(
                            path,
                            "LM011",
                            f"id `{model_id}` collides with `{folded[key]}` on case-insensitive "
                            "file systems",
                        )
                        continue
                    folded[key] = model_id
                    found[model_id] = path
        return dict(sorted(found.items()))

    def _not_yaml(self, path: Path) -> None:
        hint = "rename it to .yaml" if path.suffix in (".yml", ".YAML", ".YML") else None
        self._layout_error(
            path,
            "LM009",
            "only .yaml files belong in the catalog",
            found=path.name,
            expected="<id>.yaml",
            hint=hint,
        )

    def providers(self) -> dict[str, Path]:
        """Provider id -> provider folder."""
        if self._providers is None:
            self._providers = {}
            folder = self.root / "providers"
            if folder.is_dir():
                for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                    path = Path(entry.path)
                    if entry.is_symlink():
                        self._layout_error(path, "LM010", "symbolic links are not allowed")
                    elif entry.is_dir():
                        try:
                            pid = decode_segment(entry.name)
                        except ValueError:
                            self._decode(path, entry.name)
                            continue
                        self._providers[pid] = path
                    elif not entry.name.endswith(".yaml"):
                        self._not_yaml(path)
                    else:
                        where = "provider files live in providers/<id>/provider.yaml"
                        self._layout_error(path, "LM009", where)
        return self._providers

    def provider_file(self, provider: str) -> Path | None:
        folder = self.providers().get(provider)
        if folder is None:
            return None
        path = folder / "provider.yaml"
        return path if path.is_file() and not path.is_symlink() else None

    def offerings(self, provider: str) -> dict[str, Path]:
        """Model id -> file for one provider."""
        if provider not in self._offerings:
            folder = self.providers().get(provider)
            result: dict[str, Path] = {}
            if folder is not None:
                for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                    path = Path(entry.path)
                    if entry.name == "provider.yaml" and not entry.is_symlink():
                        if entry.is_dir():
                            self._layout_error(
                                path, "LM009", "`provider.yaml` is a folder", expected="a file"
                            )
                        continue
                    if entry.name == "models" and entry.is_dir() and not entry.is_symlink():
                        result = self._scan_models_dir(path, provider)
                    elif entry.is_symlink():
                        self._layout_error(path, "LM010", "symbolic links are not allowed")
                    else:
                        self._layout_error(
                            path,
                            "LM009",
                            "unexpected file in a provider folder",
                            expected="provider.yaml and models/<id>.yaml",
                        )
            self._offerings[provider] = result
        return self._offerings[provider]

    def canonical(self) -> dict[str, Path]:
        """`lab/model` -> file."""
        if self._canonical is None:
            self._canonical = {}
            folder = self.root / "models"
            if folder.is_dir():
                for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                    path = Path(entry.path)
                    if entry.is_symlink():
                        self._layout_error(path, "LM010", "symbolic links are not allowed")
                    elif entry.is_dir():
                        lab, files = self.lab_listing(path, entry.name)
                        self._canonical.update((f"{lab}/{m}", f) for m, f in files.items())
                    else:
                        self._layout_error(
                            path, "LM009", "canonical models live in models/<lab>/<id>.yaml"
                        )
        return self._canonical

    def lab_listing(self, path: Path, name: str) -> tuple[str | None, dict[str, Path]]:
        """The lab a folder of models/ names and its model id -> file (read once a run)."""
        if name not in self._labs:
            lab = self._decode(path, name)
            self._labs[name] = (lab, {} if lab is None else self._scan_models_dir(path, lab))
        return self._labs[name]

    def scan_root(self) -> None:
        """Report stray files at the top level of the catalog."""
        if not self.root.is_dir():
            return
        for entry in sorted(os.scandir(self.root), key=lambda e: e.name):
            path = Path(entry.path)
            if entry.is_symlink():
                self._layout_error(path, "LM010", "symbolic links are not allowed")
            elif entry.is_dir():
                if entry.name not in ("providers", "models"):
                    self._layout_error(
                        path,
                        "LM009",
                        "unexpected folder in the catalog",
                        expected="providers/ and models/",
                    )
            elif not entry.name.endswith(".md"):
                self._not_yaml(path) if not entry.name.endswith(".yaml") else self._layout_error(
                    path,
                    "LM009",
                    "unexpected YAML file at the top of the catalog",
                    expected="providers/<id>/provider.yaml or models/<lab>/<id>.yaml",
                )

    # -- reading -----------------------------------------------------------------------------

    def read(self, path: Path, kind: FileKind, owner: str, ident: str) -> CatalogFile:
        """Parse and schema-validate one file (cached)."""
        cached = self.files.get(path)
        if cached is not None:
            return cached
        display = self.display(path)
        result = CatalogFile(path, display, kind, owner, ident)
        self.files[path] = result
        try:
            read = read_regular(path)
        except OSError as exc:
            result.diagnostics.append(
                Diagnostic(display, 1, 1, "LM001", "", f"cannot read file: {exc.strerror}")
            )
            return result
        if read is None:
            result.diagnostics.append(
                Diagnostic(
                    display,
                    1,
                    1,
                    "LM009",
                    "",
                    "not a regular file",
                    expected="a YAML file (never a FIFO, device or socket)",
                )
            )
            return result
        raw, size = read
        doc = parse_yaml(raw, display, size=size)
        result.doc = doc
        result.diagnostics.extend(doc.diagnostics)
        if not doc.decoded:
            return result
        self._check_schema_comment(result)
        if any(d.code in _FATAL for d in doc.diagnostics):
            return result
        if not isinstance(doc.data, dict):
            result.diagnostics.append(
                Diagnostic(
                    display,
                    1,
                    1,
                    "LM012",
                    "",
                    "a catalog file must hold one mapping",
                    found=describe(doc.data),
                    expected="a mapping of keys to values",
                )
            )
            return result
        if kind == "offering" and "base" in doc.data and self.defer_based:
            # checked merged first by the validator (see merge_decides), alone if need be
            result.deferred = not doc.diagnostics and file_alone_is_implied(doc.data)
        if not result.deferred:
            self.validate_alone(result)
        secrets = find_secrets(doc.data) if may_hold_secret(raw, self._env_keys) else iter(())
        for ptr, redacted in itertools.islice(secrets, MAX_PER_FILE + 1):
            is_key = looks_like_secret(ptr.rsplit("/", 1)[-1])
            line, column = doc.position(ptr, key=is_key)
            result.diagnostics.append(
                Diagnostic(
                    display,
                    line,
                    column,
                    "LM037",
                    ptr,
                    "this looks like an API key; the catalog holds only environment-variable names",
                    found=f"`{redacted}`",
                    expected="no secrets",
                    hint="remove it now and rotate the key",
                )
            )
        file_id = doc.data.get("id")
        expected_id = ident if kind != "provider" else owner
        if isinstance(file_id, str) and file_id != expected_id:
            line, column = doc.position("/id")
            result.diagnostics.append(
                Diagnostic(
                    display,
                    line,
                    column,
                    "LM011",
                    "/id",
                    "the id in the file disagrees with its path",
                    found=f"`{file_id}`",
                    expected=f"`{expected_id}` (from the path)",
                    hint="remove `id:` (the path names the id) or rename the file",
                )
            )
        return result

    def validate_alone(self, result: CatalogFile) -> None:
        """Schema-validate one parsed file by itself (``model`` set when it is valid)."""
        doc, kind, owner, ident = result.doc, result.kind, result.owner, result.ident
        assert doc is not None
        result.deferred = False
        model_cls = FILE_MODELS[kind]
        data = doc.data
        # Validate as the resolved class straight away where nothing is inherited: one pass.
        if kind == "offering" and "base" not in data:
            model_cls, data = Offering, {**data, "provider": owner, "model": ident}
        elif kind == "canonical":
            model_cls, data = CanonicalModel, {**data, "lab": owner, "model": ident}
        elif kind == "provider":
            model_cls, data = Provider, {**data, "provider": owner}
        try:
            model = model_cls.model_validate(data)
        except ValidationError as exc:
            # a value the YAML reader already reported is not reported again
            reported = [d.pointer for d in doc.diagnostics]
            result.diagnostics.extend(
                d
                for d in pydantic_diagnostics(exc, FILE_MODELS[kind], doc, result.display)
                if not any(d.pointer == p or d.pointer.startswith(p + "/") for p in reported)
            )
        else:
            if not doc.diagnostics:
                result.model = model

    def _check_schema_comment(self, file: CatalogFile) -> None:
        assert file.doc is not None
        first = file.doc.first_line
        want = SCHEMA_FILES[file.kind]
        if not first.startswith(SCHEMA_COMMENT):
            file.diagnostics.append(
                Diagnostic(
                    file.display,
                    1,
                    1,
                    "LM013",
                    "",
                    "the first line must name the file's JSON Schema",
                    found=repr(clip(first)) if first else "an empty line",
                    expected=f"`{schema_comment_for(file.path, self.root, file.kind)}`",
                    hint="editors validate as you type with it; `llmaestro fmt` adds it",
                )
            )
            return
        target = first[len(SCHEMA_COMMENT) :].strip()
        key = (file.display.rpartition("/")[0], file.kind)  # its folder, cheaply
        want_comment = self._schema_lines.get(key)
        if want_comment is None:
            want_comment = schema_comment_for(file.path, self.root, file.kind)
            self._schema_lines[key] = want_comment
        if first.rstrip() == want_comment:
            return  # the usual case: exactly the line our layout expects
        if target.rsplit("/", 1)[-1] != want:
            file.diagnostics.append(
                Diagnostic(
                    file.display,
                    1,
                    len(SCHEMA_COMMENT) + 1,
                    "LM013",
                    "",
                    "the `$schema` line names the wrong schema",
                    found=f"`{clip(target)}`",
                    expected=f"a path ending in `{want}`",
                )
            )
        elif (
            "://" not in target and self._has_schemas and not (file.path.parent / target).is_file()
        ):
            file.diagnostics.append(
                Diagnostic(
                    file.display,
                    1,
                    len(SCHEMA_COMMENT) + 1,
                    "LM013",
                    "",
                    "the `$schema` path does not lead to the schema file",
                    found=f"`{clip(target)}`",
                    expected=f"`{want_comment[len(SCHEMA_COMMENT) :]}`",
                )
            )
