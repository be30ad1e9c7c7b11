"""The compiled bundle: the validated, resolved catalog in one compact JSON file.

The runtime (``llmaestro.load()``) reads only this file. It is a build output, never
committed: the wheel build writes it into ``llmaestro/_data/catalog.json`` (see
``hatch_build.py``) and a source checkout compiles it on demand into a cache folder keyed by
the catalog's fingerprint (every file's path, size and modification time, plus the package
version), so an edited catalog is recompiled on the next load.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from llmaestro._atomic import write_bytes_atomic
from llmaestro._version import __version__
from llmaestro.errors import CatalogValidationError
from llmaestro.registry.bundle_reader import BUNDLE_VERSION, columns_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from llmaestro.catalog.validate import ValidationResult

BUNDLE_FORMAT = "llmaestro-bundle"


def fingerprint(root: Path) -> str:
    """A digest of the catalog's file names, sizes and modification times (and the format
    and package version): any edit, addition, removal or rename changes it."""
    parts: list[str] = [f"{BUNDLE_FORMAT}:{BUNDLE_VERSION}:{__version__}"]
    stack = [(os.fspath(root), "")]
    while stack:
        folder, rel = stack.pop()
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                name = f"{rel}{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, name + "/"))
                else:
                    st = entry.stat(follow_symlinks=False)
                    parts.append(f"{name}\0{st.st_size}\0{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def bundle_bytes(result: ValidationResult, fp: str) -> bytes:
    """The bundle (format version 4) of a validation result's resolved objects.

    One line of JSON holds what a registry needs at load time (providers, canonical models,
    ids, the query columns, one list per column, and where each offering's text ends); the
    offerings' own JSON texts follow, concatenated, each decoded on first use.
    """

    def dump(obj: Any) -> dict[str, Any]:
        data: dict[str, Any] = obj.model_dump(mode="json", exclude_none=True)
        return data

    def text(data: dict[str, Any]) -> str:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    ids, rows, ends, chunks = [], [], [], []
    position = 0
    for (pid, mid), offering in sorted(result.offerings.items()):
        data = dump(offering)
        ids.append(f"{pid}/{mid}")
        rows.append(columns_of(data))
        chunk = text(data).encode("utf-8")
        chunks.append(chunk)
        position += len(chunk)
        ends.append(position)
    columns = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in range(19)]
    head = {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "fingerprint": fp,
        "providers": {pid: dump(p) for pid, p in sorted(result.providers.items())},
        "canonical": {ref: text(dump(m)) for ref, m in sorted(result.canonical.items())},
        "offerings": {
            "ids": ids,
            "columns": columns,
            "ends": ends,
        },
    }
    return text(head).encode("utf-8") + b"\n" + b"".join(chunks)


def compile_catalog(root: Path, out: Path) -> str:
    """Validate ``root`` and write its bundle to ``out``; raise on any catalog error."""
    from llmaestro._optional import require

    require("compiling a catalog folder (load(catalog=DIR), llmaestro compile)", "pydantic", "yaml")
    from llmaestro.catalog.validate import validate_catalog  # pydantic: only to compile

    fp = fingerprint(root)
    result = validate_catalog(root, display_root=str(root))
    if not result.ok:
        raise CatalogValidationError(result.errors)
    write_bytes_atomic(out, bundle_bytes(result, fp))
    s = result.summary()
    return (
        f"{s['providers']} providers, {s['canonical_models']} canonical, {s['offerings']} offerings"
    )


def cache_dir() -> Path:
    base = os.environ.get("LLMAESTRO_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    return root / "llmaestro" if not os.environ.get("LLMAESTRO_CACHE_DIR") else root


def cached_bundle(root: Path) -> Path:
    """The bundle of ``root``, compiled now unless the cache already holds it."""
    fp = fingerprint(root)
    path = cache_dir() / f"bundle-{fp}.json"
    if not path.is_file():
        compile_catalog(root, path)
    return path
