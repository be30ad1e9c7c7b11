"""What the command groups share: the catalog a command works on when given none, the
``--catalog`` option and loading it, the two ways a command stops (a usage error, exit 2; an
error, exit 1) and the one way an error is printed (:func:`one_line`), JSON and table
printing, and the one USD formatting (:func:`usd`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from llmaestro._money import usd
from llmaestro.errors import LLMaestroError
from llmaestro.loader import catalog_folder_in_reach, load, source_catalog

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro.registry.core import Registry

__all__ = [
    "catalog_in_reach",
    "catalog_option",
    "checkout_catalog",
    "echo_json",
    "fail",
    "load_registry",
    "one_line",
    "table",
    "usage_error",
    "usd",
]

F = TypeVar("F", bound=Callable[..., Any])


# --- stopping ---------------------------------------------------------------------------------


#: An error line longer than this is cut (after redaction: a key cut first is not recognised)
MAX_ERROR_CHARS = 4000


def one_line(message: str, limit: int = MAX_ERROR_CHARS) -> str:
    """``message`` as the one line an error prints: keys masked (on the whole text, before
    anything is cut), control characters escaped so catalog or provider text can neither
    forge a line nor drive the terminal, its lines joined with ``; `` (a multi-problem
    catalog error stays readable), then cut to ``limit`` characters."""
    from llmaestro._http.redact import redact, safe_text

    lines = [line.strip() for line in redact(message).splitlines()]
    joined = "; ".join(line for line in lines if line).replace(":; ", ": ")
    return safe_text(joined, limit=limit)


def usage_error(message: str) -> NoReturn:
    """One line on stderr, exit 2."""
    click.echo(one_line(message), err=True)
    sys.exit(2)


def fail(message: str) -> NoReturn:
    """``llmaestro: error: MESSAGE`` on stderr (one line: :func:`one_line`), exit 1."""
    click.echo(f"llmaestro: error: {one_line(message)}", err=True)
    sys.exit(1)


# --- the catalog ------------------------------------------------------------------------------


def catalog_in_reach(prefix: str, what: str) -> Path:
    """The catalog folder a command works on when given none (``./catalog``, else the source
    checkout's: :func:`llmaestro.loader.catalog_folder_in_reach`); else a one-line usage error
    ``PREFIX: no catalog folder in reach (no ./catalog here); WHAT``."""
    found = catalog_folder_in_reach()
    if found is None:
        usage_error(f"{prefix}: no catalog folder in reach (no ./catalog here); {what}")
    return Path(found)


def checkout_catalog() -> Path:
    """The repository's ``catalog/`` in a source checkout, else ``./catalog``."""
    found = source_catalog()
    return Path(found) if found is not None else Path("catalog")


def catalog_option(func: F) -> F:
    """``--catalog PATH``, passed to ``llmaestro.load(catalog=...)``."""
    decorated: F = click.option(
        "--catalog",
        type=click.Path(path_type=Path),
        default=None,
        help="Catalog folder, compiled bundle, or JSON/SQLite export [default: the catalog load() "
        "reads: the bundled one outside a source checkout].",
    )(func)
    return decorated


def load_registry(catalog: Path | None) -> Registry:
    """``llmaestro.load(catalog=catalog)``; an error exits 1 (:func:`fail`)."""
    try:
        return load(catalog=catalog)
    except LLMaestroError as exc:
        fail(str(exc))


# --- printing ---------------------------------------------------------------------------------


#: What JSON may hold raw but a terminal would obey or a reader take for a line break: DEL and
#: the C1 controls (0x9b is CSI), zero-width and bidirectional controls, U+2028/U+2029, BOM.
#: Inside a JSON document they can only be in strings, where ``\\uXXXX`` is the same text.
_JSON_UNSAFE = {
    code: f"\\u{code:04x}"
    for code in (
        *range(0x7F, 0xA0),
        *range(0x200B, 0x2010),
        *range(0x2028, 0x202F),
        *range(0x2060, 0x206A),
        0xFEFF,
    )
}


def echo_json(data: Any) -> None:
    """``data`` as indented JSON, terminal-safe (:data:`_JSON_UNSAFE` escaped; json escapes
    the C0 controls itself), non-ASCII kept when standard output can encode it, else
    written as ``\\u`` escapes (the same JSON): ``PYTHONIOENCODING=latin-1`` still gets a
    valid document."""
    text = json.dumps(data, indent=2, ensure_ascii=False).translate(_JSON_UNSAFE)
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        text = json.dumps(data, indent=2)
    click.echo(text)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Iterable[int]) -> str:
    """An aligned text table; columns in ``right`` are right-aligned. Cells are catalog text:
    control characters are shown escaped (a name can neither break a row nor drive the
    terminal)."""
    from llmaestro._http.redact import escape_control

    right_set = set(right)
    rows = [[escape_control(cell) for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(widths[i]) if i in right_set else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(headers), *(line(r) for r in rows)])
