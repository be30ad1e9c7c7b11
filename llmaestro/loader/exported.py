"""Reading an export back: the JSON (or YAML) export, the SQLite export or a compiled bundle
into an equal :class:`~llmaestro.registry.core.Registry` (``load(catalog=FILE)``).

The writing side is :mod:`llmaestro.exports`; the document's model is
:mod:`llmaestro.catalog.export_model`. Anything that is not an export raises
:class:`~llmaestro.errors.ExportError` naming the file.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from llmaestro._formats import EXPORT_FORMAT, EXPORT_VERSION
from llmaestro._optional import import_module, require
from llmaestro.errors import ExportError
from llmaestro.registry.core import Registry

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    import datetime as dt

    from pydantic import ValidationError

SQLITE_MAGIC = b"SQLite format 3\x00"


def _first_errors(exc: ValidationError, doc: Any = None, limit: int = 5) -> str:
    lines = []
    errors = exc.errors()
    for err in errors[:limit]:
        loc = err["loc"]
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        where = ""
        if (
            isinstance(doc, Mapping)
            and len(loc) >= 2
            and loc[0] == "offerings"
            and isinstance(loc[1], int)
        ):
            with contextlib.suppress(Exception):
                entry = doc["offerings"][loc[1]]
                where = f" (offering `{entry['provider']}/{entry['model']}`)"
        lines.append(f"{path or '(document)'}{where}: {err['msg']}")
    more = len(errors) - limit
    tail = f"; and {more} more" if more > 0 else ""
    return "; ".join(lines) + tail


def registry_from_export(
    doc: Any,
    *,
    source: str = "memory",
    include_retired: bool = False,
    today: dt.date | None = None,
) -> Registry:
    """A registry from the export document (parsed JSON); :class:`ExportError` when invalid."""
    if not isinstance(doc, Mapping):
        raise ExportError(f"{source}: not an llmaestro export (the top level is not an object)")
    fmt = doc.get("format")
    if fmt != EXPORT_FORMAT:
        raise ExportError(
            f"{source}: not an llmaestro export (format is {fmt!r}, expected {EXPORT_FORMAT!r})"
        )
    version = doc.get("version")
    if version != EXPORT_VERSION:
        raise ExportError(
            f"{source}: export format version {version!r} is not supported by this llmaestro "
            f"(it reads version {EXPORT_VERSION}); upgrade llmaestro or re-export"
        )
    require("reading an export (load(catalog=FILE))", "pydantic")
    from pydantic import BaseModel, ValidationError

    from llmaestro.catalog.export_model import ExportDocument

    try:
        parsed = ExportDocument.model_validate(doc, strict=False)
    except ValidationError as exc:
        raise ExportError(f"{source}: invalid export: {_first_errors(exc, doc)}") from None

    def dump(obj: BaseModel) -> dict[str, Any]:
        data: dict[str, Any] = obj.model_dump(mode="json", exclude_none=True)
        return data

    providers: dict[str, Any] = {}
    for p in parsed.providers:
        if p.provider in providers:
            raise ExportError(f"{source}: invalid export: provider `{p.provider}` twice")
        providers[p.provider] = dump(p)
    canonical: dict[str, Any] = {}
    for m in parsed.canonical_models:
        ref = f"{m.lab}/{m.model}"
        if ref in canonical:
            raise ExportError(f"{source}: invalid export: canonical model `{ref}` twice")
        canonical[ref] = dump(m)
    offerings = []
    seen: set[str] = set()
    for o in parsed.offerings:
        oid = f"{o.provider}/{o.model}"
        if oid in seen:
            raise ExportError(f"{source}: invalid export: offering `{oid}` twice")
        seen.add(oid)
        offerings.append(dump(o))
    return Registry.from_document(
        {
            "fingerprint": parsed.fingerprint,
            "providers": providers,
            "canonical": canonical,
            "offerings": offerings,
        },
        source=source,
        include_retired=include_retired,
        today=today,
    )


def read_export(
    path: str | os.PathLike[str], *, include_retired: bool = False, today: dt.date | None = None
) -> Registry:
    """The registry of an export file: the JSON (or YAML) export, the SQLite export, or a
    compiled bundle. Anything else raises :class:`~llmaestro.errors.ExportError` naming the file.
    """
    p = Path(path)
    try:
        with p.open("rb") as handle:
            head = handle.read(64)
    except IsADirectoryError:
        raise ExportError(f"{p}: a folder, not an export file") from None
    except OSError as exc:
        raise ExportError(f"{p}: cannot read: {exc.strerror or exc}") from None
    if head.startswith(SQLITE_MAGIC):
        return _read_sqlite(p, include_retired=include_retired, today=today)
    if head.startswith(b'{"format":"llmaestro-bundle"'):  # compiled: binary after line 1
        return Registry.from_bundle_file(str(p), include_retired=include_retired, today=today)
    try:
        text = p.read_text("utf-8")
    except UnicodeDecodeError:
        raise ExportError(
            f"{p}: not an llmaestro export (a binary file; expected JSON or SQLite written by "
            "`llmaestro export`)"
        ) from None
    except OSError as exc:
        raise ExportError(f"{p}: cannot read: {exc.strerror or exc}") from None
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{"):
        try:
            doc = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise ExportError(
                f"{p}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            ) from None
        except (RecursionError, ValueError) as exc:
            raise ExportError(f"{p}: not an llmaestro export ({_json_limit(exc)})") from None
    elif p.suffix.lower() in (".yaml", ".yml"):
        doc = _load_yaml(p, stripped)
    else:
        raise ExportError(
            f"{p}: not an llmaestro export (expected the JSON or SQLite file written by "
            "`llmaestro export`)"
        )
    return registry_from_export(doc, source=str(p), include_retired=include_retired, today=today)


def _json_limit(exc: RecursionError | ValueError) -> str:
    """What a JSON text past Python's limits has (``json`` raises these, not JSONDecodeError)."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return "a number with too many digits" if "digits" in str(exc) else "invalid JSON"


def _load_yaml(p: Path, text: str) -> Any:
    yaml = import_module("yaml", "reading a YAML export")

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # a safe loader
    except yaml.YAMLError as exc:
        raise ExportError(f"{p}: not valid YAML: {exc}") from None


def _read_sqlite(p: Path, *, include_retired: bool, today: dt.date | None) -> Registry:
    try:
        uri = p.resolve().as_uri() + "?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as con:
            try:
                meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            except sqlite3.OperationalError:
                raise ExportError(
                    f"{p}: an SQLite database but not an llmaestro export (no `meta` table)"
                ) from None
            version: Any = meta.get("version")
            if isinstance(version, str) and version.isdigit():
                version = int(version)
            doc: dict[str, Any] = {
                "format": meta.get("format"),
                "version": version,
                "generated": meta.get("generated", ""),
                "generator": meta.get("generator", ""),
            }
            if meta.get("fingerprint"):
                doc["fingerprint"] = meta["fingerprint"]
            if doc["format"] == EXPORT_FORMAT and version == EXPORT_VERSION:
                doc["providers"] = [
                    json.loads(text)
                    for (text,) in con.execute("SELECT json FROM providers ORDER BY id")
                ]
                doc["canonical_models"] = [
                    json.loads(text)
                    for (text,) in con.execute("SELECT json FROM canonical_models ORDER BY id")
                ]
                doc["offerings"] = [
                    json.loads(text)
                    for (text,) in con.execute("SELECT json FROM offerings ORDER BY id")
                ]
    except sqlite3.Error as exc:
        raise ExportError(f"{p}: cannot read the SQLite export: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ExportError(f"{p}: a `json` column is not valid JSON: {exc.msg}") from None
    except (RecursionError, ValueError) as exc:
        raise ExportError(f"{p}: a `json` column is not an export's ({_json_limit(exc)})") from None
    return registry_from_export(doc, source=str(p), include_retired=include_retired, today=today)
