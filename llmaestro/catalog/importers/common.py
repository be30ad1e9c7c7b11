"""Shared pieces of the importers: sources, the import log, and small data helpers.

Facts travel between the importers as plain nested dicts shaped like the catalog's YAML
(``limits: {context: …}``, ``pricing: {input: Decimal(…)}``), so that merging, diffing against a
canonical model and writing need no knowledge of where a fact came from. Prices are always
:class:`~decimal.Decimal`, dates :class:`datetime.date`, lists plain lists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

Facts = dict[str, Any]
"""A catalog file's content as plain data (nested dicts, lists, Decimal, date, str, int, bool)."""

MODELS_DEV = "models.dev"
LITELLM = "litellm"
MANUAL = "manual"

#: Release days of the pinned source snapshots (a snapshot's revision alone does not say it).
#: models.dev f3fc69229967: the commit's date. litellm 1.110.2: the wheel is built with
#: reproducible (1980) timestamps, so its date cannot be read from the file; the newest dated
#: fact the map cites is GitHub's changelog of 2026-10-26 (`github_copilot/gpt-6.1-terra`), so
#: the snapshot is no older than that day. See docs in IMPORT_REPORT.md.
KNOWN_SNAPSHOT_DATES: dict[tuple[str, str], dt.date] = {
    (MODELS_DEV, "f3fc69229967"): dt.date(2026, 7, 2),
    (LITELLM, "1.110.2"): dt.date(2026, 10, 26),
}


@dataclass(frozen=True)
class SourceInfo:
    """One pinned input of an import."""

    name: str
    revision: str
    checked: dt.date
    path: str
    """The file's name (the folder's, for a checkout)."""
    sha256: str

    def provenance(self) -> Facts:
        return {"source": self.name, "revision": self.revision, "checked": self.checked}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def source_info(name: str, path: Path, revision: str, checked: dt.date | None) -> SourceInfo:
    """A source's provenance; its date comes from ``checked`` or the table of known snapshots."""
    day = checked or KNOWN_SNAPSHOT_DATES.get((name, revision))
    if day is None:
        raise ValueError(
            f"the release day of {name} {revision} is unknown: pass it explicitly (--date)"
        )
    sha = sha256_of(path) if path.is_file() else ""
    return SourceInfo(name, revision, day, path.name, sha)


# --- the import log --------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Skipped:
    """Something a source holds that is not in the catalog, and why."""

    source: str
    provider: str
    item: str
    reason: str


@dataclass(frozen=True, order=True)
class ValueChange:
    """A source value that was dropped (it breaks a rule or has no home) or corrected."""

    target: str
    """The catalog file (``provider/model`` or ``models/lab/model`` or ``provider``)."""
    field: str
    value: str
    source: str
    """Where the value came from: a models.dev path or a LiteLLM key."""
    action: str
    why: str


@dataclass(frozen=True, order=True)
class Conflict:
    """Two sources (or a source and a hand-authored file) disagree on one fact."""

    target: str
    field: str
    kept_source: str
    kept: str
    other_source: str
    other: str
    why: str


@dataclass
class ImportLog:
    """Everything an import did that a reviewer should see."""

    skipped: list[Skipped] = field(default_factory=list)
    changes: list[ValueChange] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    #: (source, key, what happens to it) -> number of files or entries holding it
    not_imported: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    #: free-form counters shown in the summary, e.g. ("litellm", "entries read")
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: (offering, the file the link resolves to) for each symbolic link read
    symlinks: list[tuple[str, str]] = field(default_factory=list)

    def skip(self, source: str, provider: str, item: str, reason: str) -> None:
        self.skipped.append(Skipped(source, provider, item, reason))

    def change(
        self, target: str, fld: str, value: Any, source: str, why: str, action: str = "dropped"
    ) -> None:
        self.changes.append(ValueChange(target, fld, show(value), source, action, why))

    def conflict(
        self,
        target: str,
        fld: str,
        kept_source: str,
        kept: Any,
        other_source: str,
        other: Any,
        why: str,
    ) -> None:
        self.conflicts.append(
            Conflict(target, fld, kept_source, show(kept), other_source, show(other), why)
        )

    def ignore(self, source: str, key: str, note: str) -> None:
        self.not_imported[(source, key, note)] += 1


def show(value: Any) -> str:
    """A short, stable text form of a value for the report."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)


# --- data helpers ----------------------------------------------------------------------------


#: Significant digits kept of an imported price: both sources hold numbers computed in binary
#: floating point (`4.0000000000000003e-07`, `0.7999999999999999`); no list price needs more.
NOISE_DIGITS = 10


def significant(value: Decimal, digits: int = NOISE_DIGITS) -> Decimal:
    """``value`` rounded to ``digits`` significant digits."""
    with localcontext() as ctx:
        ctx.prec = digits
        return +value


def plain_decimal(value: Decimal) -> Decimal:
    """The same number without exponent or trailing zeros (``2.5000E+1`` -> ``25``)."""
    normal = value.normalize()
    return Decimal(format(normal, "f"))


def to_decimal(value: Any) -> Decimal | None:
    """A price from TOML/JSON (Decimal, int or float); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return plain_decimal(value) if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return plain_decimal(Decimal(repr(value)))
    return None


def parse_day(value: Any) -> dt.date | None:
    """``YYYY-MM-DD`` (a real calendar day) or None."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or len(value.strip()) != 10:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def parse_month_or_day(value: Any) -> dt.date | str | None:
    """A knowledge cutoff: ``YYYY-MM-DD`` as a date, ``YYYY-MM`` kept as text, else None."""
    day = parse_day(value)
    if day is not None:
        return day
    if isinstance(value, str):
        text = value.strip()
        if (
            len(text) == 7
            and text[4] == "-"
            and text[:4].isdigit()
            and text[5:].isdigit()
            and 1 <= int(text[5:]) <= 12
        ):
            return text
    return None


def get_path(data: Mapping[str, Any], path: tuple[str | int, ...]) -> Any:
    node: Any = data
    for part in path:
        node = child(node, part)
        if node is MISSING:
            return None
    return node


MISSING = object()


def child(node: Any, part: str | int) -> Any:
    if isinstance(node, Mapping):
        return node.get(part, MISSING) if isinstance(part, str) else MISSING
    if isinstance(node, list | tuple) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return MISSING


def delete_path(data: Any, path: tuple[str | int, ...]) -> bool:
    """Remove the value at ``path``; empty containers left behind are removed too."""
    if not path:
        return False
    parents: list[tuple[Any, str | int]] = []
    node: Any = data
    for part in path[:-1]:
        parents.append((node, part))
        node = child(node, part)
        if node is MISSING:
            return False
    last = path[-1]
    if child(node, last) is not MISSING:
        del node[last]
    else:
        return False
    for parent, key in reversed(parents):
        sub = parent[key]
        if sub in ({}, []):
            del parent[key]
        else:
            break
    return True


def deep_merge(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """``top`` over ``base`` (mappings merge key by key, anything else is replaced); copies."""
    out = {k: copy_data(v) for k, v in base.items()}
    for key, value in top.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, Mapping):
            out[key] = deep_merge(old, value)
        else:
            out[key] = copy_data(value)
    return out


def copy_data(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: copy_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [copy_data(v) for v in value]
    return value


def leaves(
    data: Mapping[str, Any], prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(path, value) of every non-mapping value."""
    for key, value in data.items():
        if isinstance(value, Mapping):
            yield from leaves(value, (*prefix, key))
        else:
            yield (*prefix, key), value


def constant(value: str) -> Callable[[Any], str]:
    """A function that always returns ``value`` (an origin that does not depend on the path)."""

    def fn(_arg: Any) -> str:
        return value

    return fn


def dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path)
