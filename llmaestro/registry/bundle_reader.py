"""The compiled bundle as the runtime reads it: its version, its query columns, its file.

A bundle (written by :mod:`llmaestro.catalog.bundle`) is one line of JSON, holding the index
and the query columns, followed by each offering's JSON text. This module owns that layout
on the reading side: the column positions, how one resolved offering becomes a row of columns
(:func:`columns_of`, which the compiler calls too), the alias tables, and reading or mapping a
bundle into the parts a :class:`~llmaestro.registry.core.Registry` is built from.
"""

from __future__ import annotations

import json
import mmap
from decimal import Decimal

from llmaestro._records import Capabilities
from llmaestro.errors import CatalogError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

#: Version of the bundle format this runtime reads; the compiler writes it.
BUNDLE_VERSION = 5

#: Capability flags of the ``C_CAPS`` column, one bit each in this order.
CAPABILITY_FIELDS: tuple[str, ...] = Capabilities._fields

#: Modality flags of the ``C_MOD_IN`` and ``C_MOD_OUT`` columns.
MODALITY_BITS: dict[str, int] = {"text": 1, "image": 2, "audio": 4, "video": 8, "pdf": 16}

# Column positions in the bundle's per-offering rows.
(
    C_PROVIDER,
    C_MODEL,
    C_KIND,
    C_FAMILY,
    C_BASE,
    C_STATUS,
    C_RELEASE,
    C_CONTEXT,
    C_MAX_OUTPUT,
    C_INPUT_PRICE,
    C_OUTPUT_PRICE,
    C_CAPS,
    C_MOD_IN,
    C_MOD_OUT,
    C_OPEN_WEIGHTS,
    C_ALIASES,
    C_RETIREMENT,
    C_REPLACEMENT,
    C_NAME,
    C_DEPRECATION,
    C_BILLING,
) = range(21)
N_COLUMNS = 21


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


def lookup_tables(columns: list[list[Any]]) -> tuple[dict[str, int], dict[str, list[int]]]:
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


class BundleParts:
    """What a bundle holds, ready for :class:`~llmaestro.registry.core.Registry`: provider
    and canonical JSON by id, offering ids in (provider, model) order, each offering's
    ``(start, end)`` span of the bundle, the query columns, and the fingerprint."""

    __slots__ = ("canonical", "columns", "fingerprint", "ids", "providers", "spans")

    def __init__(
        self,
        providers: Mapping[str, Any],
        canonical: Mapping[str, Any],
        ids: list[str],
        spans: list[Any],
        columns: list[list[Any]],
        fingerprint: str | None,
    ) -> None:
        self.providers = providers
        self.canonical = canonical
        self.ids = ids
        self.spans = spans
        self.columns = columns
        self.fingerprint = fingerprint


def read_bundle(data: bytes | mmap.mmap, source: str) -> BundleParts:
    """Read a compiled bundle's first line (the index and query columns) and locate each
    offering's JSON text after it; the texts themselves are left undecoded (``data`` may be
    an mmap). CatalogError (one line) when ``data`` is not a bundle of :data:`BUNDLE_VERSION`
    or is cut short: every offering's text must lie inside ``data``, so a truncated file is
    refused here rather than failing on first use."""
    newline = data.find(b"\n")
    try:
        doc = json.loads(data[:newline]) if newline > 0 else None
    except (ValueError, RecursionError):
        doc = None
    if (
        not isinstance(doc, dict)
        or doc.get("format") != "llmaestro-bundle"
        or doc.get("version") != BUNDLE_VERSION
    ):
        raise CatalogError(
            f"{source}: not an llmaestro bundle of version {BUNDLE_VERSION}; "
            "recompile it with `llmaestro compile`"
        )
    base = newline + 1
    parts = _parts(doc, base, len(data))
    if parts is None:
        raise CatalogError(
            f"{source}: a damaged or truncated llmaestro bundle; recompile it with "
            "`llmaestro compile`"
        )
    return parts


def _parts(doc: dict[str, Any], base: int, size: int) -> BundleParts | None:
    """The parts of a bundle's parsed first line, or None when its shape is wrong (a field
    missing or of the wrong type, columns of unequal length, an offering's text past ``size``)."""
    off = doc.get("offerings")
    providers, canonical = doc.get("providers"), doc.get("canonical")
    fingerprint = doc.get("fingerprint")
    if not (
        isinstance(off, dict) and isinstance(providers, dict) and isinstance(canonical, dict)
    ) or not (fingerprint is None or isinstance(fingerprint, str)):
        return None
    ids, ends, columns = off.get("ids"), off.get("ends"), off.get("columns")
    if not (isinstance(ids, list) and isinstance(ends, list) and isinstance(columns, list)):
        return None
    n = len(ids)
    if (
        len(ends) != n
        or len(columns) != N_COLUMNS
        or any(not isinstance(c, list) or len(c) != n for c in columns)
    ):
        return None
    previous = 0
    for end in ends:
        if type(end) is not int or end < previous:
            return None
        previous = end
    if base + previous > size:
        return None
    starts = [base, *(base + e for e in ends[:-1])]
    spans: list[Any] = list(zip(starts, (base + e for e in ends), strict=True))
    return BundleParts(providers, canonical, ids, spans, columns, fingerprint)


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
