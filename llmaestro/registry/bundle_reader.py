"""The compiled bundle as the runtime reads it: its version, its query columns, its file.

A bundle is written by :mod:`llmaestro.catalog.bundle` in the layout of
:mod:`llmaestro.registry.bundle_layout`. This module is the runtime's side of it: how one
resolved offering becomes a row of query columns (:func:`columns_of`, which the compiler calls
too), the alias tables, the seal, and reading or mapping a bundle into the parts a
:class:`~llmaestro.registry.core.Registry` is built from.
"""

from __future__ import annotations

import mmap

from llmaestro.errors import CatalogError
from llmaestro.registry.bundle_layout import BUNDLE_VERSION, Unpacked, header_version, unpack
from llmaestro.registry.columns import (
    C_ALIASES,
    C_MODEL,
    C_PROVIDER,
    CAPABILITY_FIELDS,
    MODALITY_BITS,
    N_COLUMNS,
    Columns,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any, TypeVar

    R = TypeVar("R")

#: What a bundle holds, ready for a registry (see bundle_layout.Unpacked).
BundleParts = Unpacked

__all__ = [
    "BUNDLE_VERSION",
    "CAPABILITY_FIELDS",
    "MODALITY_BITS",
    "N_COLUMNS",
    "BundleParts",
    "Columns",
    "columns_of",
    "is_sealed",
    "lookup_tables",
    "map_bundle_file",
    "read_bundle",
    "seal",
]


def columns_of(o: Mapping[str, Any]) -> list[Any]:
    """The query columns of one resolved offering (plain JSON values)."""
    caps = o.get("capabilities") or {}
    cap_bits = 0
    for bit, name in enumerate(CAPABILITY_FIELDS):
        value = caps.get(name)
        if name == "reasoning":
            value = value.get("supported") if isinstance(value, dict) else None
        if value is True:
            cap_bits |= 1 << bit
    mods = o.get("modalities") or {}
    life = o.get("lifecycle") or {}
    limits = o.get("limits") or {}
    pricing = o.get("pricing") or {}

    from decimal import Decimal  # compile time only, not on the import path of `load()`

    def price(name: str) -> float | None:
        value = pricing.get(name)
        return None if value is None else float(Decimal(str(value)))

    def iso(value: Any) -> str | None:
        return None if value is None else str(value)

    return [
        o["provider"],
        o["model"],
        o.get("kind"),
        o.get("family"),
        o.get("base"),
        life.get("status"),
        iso(life.get("release_date")),
        limits.get("context"),
        limits.get("max_output"),
        price("input"),
        price("output"),
        cap_bits,
        _modality_bits(mods.get("input")),
        _modality_bits(mods.get("output")),
        o.get("open_weights"),
        list(o["aliases"]) if o.get("aliases") else None,
        iso(life.get("retirement_date")),
        life.get("replacement"),
        o.get("name"),
        iso(life.get("deprecation_date")),
        (o.get("billing") or {}).get("kind", "per_token"),
    ]


def _modality_bits(values: Iterable[str] | None) -> int:
    bits = 0
    for value in values or ():
        bits |= MODALITY_BITS.get(value, 0)
    return bits


def lookup_tables(columns: Columns) -> tuple[dict[str, int], dict[str, list[int]]]:
    """The alias table (`provider/alias` -> row) and the bare-id table (model id or alias ->
    rows) of a registry's columns; the compiler stores them in the bundle."""
    alias: dict[str, int] = {}
    bare: dict[str, list[int]] = {}
    providers, models, aliases = columns[C_PROVIDER], columns[C_MODEL], columns[C_ALIASES]
    for i, model in enumerate(models):
        bare.setdefault(model, []).append(i)
    for i, names in enumerate(aliases):
        for name in names or ():
            alias.setdefault(f"{providers[i]}/{name}", i)
            rows = bare.setdefault(name, [])
            if i not in rows:
                rows.append(i)
    return alias, bare


def read_bundle(data: bytes | mmap.mmap, source: str) -> BundleParts:
    """Locate the parts of a compiled bundle (:mod:`~llmaestro.registry.bundle_layout`): its
    ids and the spans of its JSON texts; the columns and texts stay undecoded (``data`` may be
    an mmap). CatalogError (one line) when ``data`` is not a bundle of :data:`BUNDLE_VERSION`
    or is damaged or cut short: every section must lie inside ``data``, so a truncated file is
    refused here rather than failing on first use."""
    version, newline = header_version(data)
    if version != BUNDLE_VERSION:
        raise CatalogError(
            f"{source}: not an llmaestro bundle of version {BUNDLE_VERSION}; "
            "recompile it with `llmaestro compile`"
        )
    parts = unpack(data, newline)
    if parts is None:
        raise CatalogError(
            f"{source}: a damaged or truncated llmaestro bundle; recompile it with "
            "`llmaestro compile`"
        )
    parts.columns.source = source
    return parts


def decode_facts(raw: Any, blob: bytes | mmap.mmap | None, source: str) -> dict[str, Any]:
    """One object's facts as a new dict: from its ``(start, end)`` span of the bundle
    ``blob``, its JSON text, or a dict (copied). A span whose bytes do not decode to an object
    (the file changed on disk after it was mapped, or was damaged) is a one-line CatalogError."""
    import json  # lazy: ~8 ms at import with `re`; a query that reads no facts never needs it

    if isinstance(raw, tuple):
        if blob is None:
            raise TypeError("a span of facts needs the bundle it points into")
        start, end = raw
        try:
            out = json.loads(blob[start:end])
        except (ValueError, RecursionError):
            out = None
        if not isinstance(out, dict):
            raise CatalogError(
                f"{source}: damaged bundle (an object's facts do not decode); recompile it"
            )
        return out
    if isinstance(raw, str):
        decoded: dict[str, Any] = json.loads(raw)
        return decoded
    return dict(raw)


def record_of(cls: type[R], facts: dict[str, Any], source: str) -> R:
    """The record ``cls`` of decoded facts; facts of the wrong shape (a bundle damaged in a
    way JSON still decodes, e.g. a flipped letter in a key) are a one-line CatalogError."""
    try:
        return cls._from(facts)  # type: ignore[attr-defined,no-any-return]
    except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError):
        raise CatalogError(
            f"{source}: damaged bundle (an object's facts are not what the runtime reads); "
            "recompile it"
        ) from None


#: A bundle ends with this line and the SHA-256 (64 hex digits) of every byte before it.
SEAL = b"\nsha256:"
_SEAL_LEN = len(SEAL) + 64 + 1


def seal(data: bytes) -> bytes:
    """``data`` (a bundle's index line and offering texts) with the line that lets a reader
    check it byte for byte (:func:`is_sealed`). Readers that only follow the index ignore it."""
    import hashlib  # not on the import path of `load()` (OpenSSL is slow to load)

    return data + SEAL + hashlib.sha256(data).hexdigest().encode("ascii") + b"\n"


def is_sealed(data: bytes | mmap.mmap) -> bool:
    """Whether ``data`` ends with a seal line whose digest matches every byte before it: a
    flipped, missing or added byte anywhere makes it False (SHA-256 of a 6 MB bundle: ~3 ms)."""
    size = len(data)
    if size < _SEAL_LEN or data[size - _SEAL_LEN : size - 64 - 1] != SEAL:
        return False
    expected = bytes(data[size - 65 : size - 1])
    if data[size - 1 : size] != b"\n":
        return False
    import hashlib
    import hmac

    with memoryview(data) as view:
        actual = hashlib.sha256(view[: size - _SEAL_LEN]).hexdigest().encode("ascii")
    return hmac.compare_digest(actual, expected)


def map_bundle_file(path: str) -> bytes | mmap.mmap:
    """A compiled bundle's bytes, mapped into memory (pages are read only when touched)."""
    with open(path, "rb") as handle:
        try:
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError):  # empty file, or a file system without mmap
            return handle.read()
