"""One entry point for every format: :func:`export_text` (the text formats) and
:func:`write_export` (any format to a file, atomically)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, get_args

from llmaestro._atomic import resolve_target
from llmaestro.errors import ExportError
from llmaestro.exports.document import export_json
from llmaestro.exports.files import write_export_text
from llmaestro.exports.litellm import export_litellm_json
from llmaestro.exports.sqlite import export_sqlite
from llmaestro.exports.yaml import export_yaml
from llmaestro.registry.core import Registry

ExportFormat = Literal["json", "yaml", "sqlite", "litellm"]
EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)


def export_text(
    registry: Registry,
    fmt: str,
    *,
    providers: Sequence[str] | None = None,
    only_litellm_providers: bool = False,
) -> str:
    """The text of a text format: json, yaml or litellm (the keywords: litellm's filters)."""
    if fmt != "litellm" and (providers is not None or only_litellm_providers):
        raise ExportError("`providers` and `only_litellm_providers` filter the litellm export")
    if fmt == "json":
        return export_json(registry)
    if fmt == "yaml":
        return export_yaml(registry)
    if fmt == "litellm":
        return export_litellm_json(
            registry, providers=providers, only_litellm_providers=only_litellm_providers
        )
    if fmt == "sqlite":
        raise ExportError("the sqlite export is a binary file; give it a path")
    raise ExportError(f"unknown export format `{fmt}` (known: {', '.join(EXPORT_FORMATS)})")


def write_export(
    registry: Registry,
    fmt: str,
    out: str | os.PathLike[str],
    *,
    providers: Sequence[str] | None = None,
    only_litellm_providers: bool = False,
) -> Path:
    """Write ``registry`` in format ``fmt`` (json, yaml, sqlite, litellm) to ``out``, atomically;
    return the path written. The keywords filter the litellm export (see :func:`export_text`)."""
    path = Path(out)
    if fmt == "sqlite":
        if providers is not None or only_litellm_providers:
            raise ExportError("`providers` and `only_litellm_providers` filter the litellm export")
        try:
            # the file a write replaces: a symbolic link is written through, a folder, FIFO
            # or device refused (as every atomic write does, see llmaestro._atomic)
            target = resolve_target(path)
        except OSError as exc:
            raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from None
        export_sqlite(registry, target)
        return path
    text = export_text(
        registry, fmt, providers=providers, only_litellm_providers=only_litellm_providers
    )
    return write_export_text(path, text)
