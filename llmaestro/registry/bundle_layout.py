"""The compiled bundle's bytes (format version 7): binary columns read without parsing.

A process that asks one question cannot afford to parse a catalog: decoding version 5's
2.35 MB line of JSON took longer than the interpreter's own start-up. Version 6 is laid
out so that :func:`unpack` only slices a memory map; each part is decoded the first time a
lookup or query needs it (:class:`~llmaestro.registry.columns.Columns`).

Layout, every number little-endian::

    {"format":"llmaestro-bundle","version":7,"fingerprint":"<hex>"}\\n   (or "fingerprint":null)
    section table: 2 x len(SECTIONS) int64, each section's (offset, length) in bytes
    the sections, in the order of :data:`SECTIONS`
    the seal line (see bundle_reader.seal)

* ``separators``: two characters, UTF-8: the one between the texts of ``strings`` and the one
  between an offering's aliases (the compiler picks characters no text holds: a name may
  hold a NUL).
* ``strings``: every distinct text of the columns and ids, UTF-8, separated by the first
  separator; a reference is its position, ``-1`` none.
* ``refs``: int32, one run of ``n`` references per text column (:data:`TEXT_COLUMNS`), then
  the offering ids.
* ``ints``: int64, one run per number column (:data:`INT_COLUMNS`), ``-1`` unknown.
* ``floats``: float64 prices per 1M tokens (:data:`FLOAT_COLUMNS`), NaN unknown.
* ``orders``: int32, for each column of :data:`SORTED` the rows whose value is known in
  ascending (value, row) order; ``order_lens`` says how many rows each holds; ``sorted_values``
  (float64) holds the numeric columns' values in that order, for bisection.
* ``provider_ids``/``canonical_ids``: int32 references; ``*_ends``: int64 ends of each one's
  JSON text in ``texts``, as ``offering_ends`` for the offerings (in id order).

The first line stays readable (``head -c 80`` names the file) and the fingerprint sits at a
fixed place in it, so a cache can check it without reading the rest.
"""

from __future__ import annotations

import sys
from array import array

from llmaestro.registry.columns import (
    BLENDED,
    C_ALIASES,
    C_DEPRECATION,
    C_INPUT_PRICE,
    C_OUTPUT_PRICE,
    C_RELEASE,
    C_RETIREMENT,
    FLOAT_COLUMNS,
    INT_COLUMNS,
    SORTED,
    TEXT_COLUMNS,
    Columns,
    Damaged,
    Packed,
    Strings,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    import mmap
    from collections.abc import Iterable, Iterator, Mapping, Sequence
    from typing import Any

#: Version of the bundle format this runtime reads; the compiler writes it. Any change to the
#: layout, the order of :data:`~llmaestro.registry.columns.TEXT_COLUMNS` included, bumps it:
#: the version is part of the key a source checkout's cached bundle is filed under. (Version
#: 6, the first binary one, ordered the text columns otherwise and was never released.)
BUNDLE_VERSION = 7

SECTIONS: tuple[str, ...] = (
    "separators",
    "strings",
    "refs",
    "ints",
    "floats",
    "orders",
    "order_lens",
    "sorted_values",
    "provider_ids",
    "provider_ends",
    "canonical_ids",
    "canonical_ends",
    "offering_ends",
    "texts",
)
_INDEX = {name: i for i, name in enumerate(SECTIONS)}
_HEAD = b'{"format":"llmaestro-bundle","version":'
_FP = b',"fingerprint":'
_SWAP = sys.byteorder != "little"


class Unpacked:
    """The parts of a version-6 bundle a registry is built from, nothing decoded but the ids:
    provider and canonical ids with the ``(start, end)`` span of each one's JSON text, the
    offering ids and spans, the query :class:`Columns`, and the fingerprint."""

    __slots__ = ("canonical", "columns", "fingerprint", "ids", "providers", "spans")

    def __init__(
        self,
        providers: dict[str, tuple[int, int]],
        canonical: dict[str, tuple[int, int]],
        ids: list[str],
        spans: Spans,
        columns: Columns,
        fingerprint: str | None,
    ) -> None:
        self.providers = providers
        self.canonical = canonical
        self.ids = ids
        self.spans = spans
        self.columns = columns
        self.fingerprint = fingerprint


def header_version(data: bytes | mmap.mmap) -> tuple[int | None, int]:
    """The format version named by a bundle's first line (None when it is not one) and where
    that line ends."""
    newline = data.find(b"\n", 0, 4096)
    line = bytes(data[: max(newline, 0)])
    if newline < 0 or not line.startswith(_HEAD):
        return None, newline
    digits = line[len(_HEAD) :].split(b",", 1)[0].rstrip(b"}")
    return (int(digits) if digits.isdigit() and len(digits) < 6 else None), newline


def _fingerprint(line: bytes) -> str | None:
    at = line.find(_FP)
    if at < 0:
        raise Damaged
    value = line[at + len(_FP) :]
    if value == b"null}":
        return None
    if not (value.startswith(b'"') and value.endswith(b'"}')):
        raise Damaged
    text = value[1:-2]
    if not text.isalnum() or len(text) > 128:
        raise Damaged
    return text.decode("ascii")


def unpack(data: bytes | mmap.mmap, newline: int) -> Unpacked | None:
    """The parts of a version-6 bundle whose first line ends at ``newline``; None when the
    bytes are damaged or cut short (any section outside the file, counts that disagree)."""
    try:
        return _unpack(data, newline)
    except (Damaged, ValueError, IndexError, OverflowError, UnicodeDecodeError):
        return None


def _unpack(data: bytes | mmap.mmap, newline: int) -> Unpacked:
    fingerprint = _fingerprint(bytes(data[:newline]))
    table_at = newline + 1
    table = _array("q", data, table_at, 16 * len(SECTIONS))
    size = len(data)
    spans: list[tuple[int, int]] = []
    for k in range(len(SECTIONS)):
        start, length = table[2 * k], table[2 * k + 1]
        if start < table_at or length < 0 or start + length > size:
            raise Damaged
        spans.append((start, start + length))

    def section(name: str, code: str) -> array[Any]:
        start, end = spans[_INDEX[name]]
        return _array(code, data, start, end - start)

    text_start, text_end = spans[_INDEX["texts"]]
    text_len = text_end - text_start
    s_start, s_end = spans[_INDEX["strings"]]
    sep_start, sep_end = spans[_INDEX["separators"]]
    separators = bytes(data[sep_start:sep_end]).decode("utf-8")
    if len(separators) != 2 or separators[0] == separators[1]:
        raise Damaged
    strings = Strings(data, s_start, s_end, separators[0], separators[1])
    refs = section("refs", "i")
    n, rem = divmod(len(refs), len(TEXT_COLUMNS) + 1)
    if rem:
        raise Damaged
    ints, floats = section("ints", "q"), section("floats", "d")
    if len(ints) != n * len(INT_COLUMNS) or len(floats) != n * len(FLOAT_COLUMNS):
        raise Damaged
    orders, order_lens = section("orders", "i"), section("order_lens", "i")
    sorted_values = section("sorted_values", "d")
    if len(order_lens) != len(SORTED) or sum(order_lens) != len(orders) or min(order_lens) < 0:
        raise Damaged  # (each order's rows are checked when a query first reads it)
    ids = strings.column(refs[n * len(TEXT_COLUMNS) :], required=True)

    first = 0  # providers', canonical models' and offerings' texts follow each other

    def spans_of(ends: array[Any]) -> Spans:
        nonlocal first
        if ends and (ends[0] < first or ends[-1] > text_len):
            raise Damaged
        spans = Spans(ends, text_start, text_start + first)
        if ends:
            first = ends[-1]
        return spans

    def objects(name: str) -> dict[str, tuple[int, int]]:
        keys = strings.column(section(f"{name}_ids", "i"), required=True)
        spans = spans_of(section(f"{name}_ends", "q"))
        if len(keys) != len(spans):
            raise Damaged
        return dict(zip(keys, spans, strict=True))

    providers, canonical = objects("provider"), objects("canonical")
    offerings = spans_of(section("offering_ends", "q"))
    if len(offerings) != n:
        raise Damaged
    packed = Packed(strings, refs, ints, floats, orders, order_lens, sorted_values)
    columns = Columns.packed(n, packed)
    return Unpacked(providers, canonical, ids, offerings, columns, fingerprint)


class Spans:
    """Where each object's JSON text lies in the bundle, ``(start, end)``, computed on access
    from the ends the bundle stores (a damaged end gives a text that does not decode, which
    the registry reports in one line). Forgetting a span (``spans[i] = None``, what a registry
    does once a record holds its facts) is a no-op: the bytes stay in the mapped file."""

    __slots__ = ("_base", "_ends", "_first")

    def __init__(self, ends: array[int], base: int, first: int) -> None:
        """Spans ending at ``base + ends[i]``, the first starting at ``first``."""
        self._ends = ends
        self._base = base
        self._first = first

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, i: int) -> tuple[int, int]:
        ends, base = self._ends, self._base
        return (base + ends[i - 1] if i > 0 else self._first, base + ends[i])

    def __setitem__(self, i: int, value: None) -> None:
        pass

    def __iter__(self) -> Iterator[tuple[int, int]]:
        base = self._base
        ends = self._ends
        if not ends:
            return iter(())
        starts = array("q", [self._first - base])
        starts.extend(ends[:-1])
        return zip(map(base.__add__, starts), map(base.__add__, ends), strict=True)


def _array(code: str, data: bytes | mmap.mmap, start: int, length: int) -> array[Any]:
    out = array(code)
    if length % out.itemsize or start + length > len(data):
        raise Damaged
    out.frombytes(data[start : start + length])
    if _SWAP:
        out.byteswap()
    return out


# -- the writing side (the compiler; llmaestro.catalog.bundle) ---------------------------------


def pack(
    fingerprint: str | None,
    providers: Mapping[str, bytes],
    canonical: Mapping[str, bytes],
    ids: Sequence[str],
    rows: Sequence[Sequence[Any]],
    texts: Sequence[bytes],
) -> bytes:
    """A version-6 bundle (unsealed) of providers' and canonical models' JSON texts by id,
    offering ids in order with their query rows (``columns_of``) and JSON texts."""
    n = len(ids)
    table: dict[str, int] = {}

    def ref(text: str | None) -> int:
        if text is None:
            return -1
        found = table.get(text)
        if found is None:
            found = table[text] = len(table)
        return found

    alias_sep = unused_character(a for r in rows for a in r[C_ALIASES] or ())
    refs = array("i")
    for c in TEXT_COLUMNS:
        if c == C_ALIASES:
            refs.extend(ref(alias_sep.join(r[c]) if r[c] else None) for r in rows)
        else:
            refs.extend(ref(r[c]) for r in rows)
    refs.extend(ref(i) for i in ids)
    ints = array("q")
    for c in INT_COLUMNS:
        ints.extend(_int(r[c]) for r in rows)
    floats = array("d")
    for c in FLOAT_COLUMNS:
        floats.extend(float("nan") if r[c] is None else float(r[c]) for r in rows)
    orders, order_lens, sorted_values = array("i"), array("i"), array("d")
    for c in SORTED:
        pairs = sorted((v, i) for i, r in enumerate(rows) if (v := sort_value(r, c)) is not None)
        orders.extend(i for _, i in pairs)
        order_lens.append(len(pairs))
        if c not in (C_RELEASE, C_DEPRECATION, C_RETIREMENT):
            sorted_values.extend(float(v) for v, _ in pairs)
    blobs: list[bytes] = []
    position = 0

    def ends_of(chunks: Sequence[bytes]) -> array[int]:
        nonlocal position
        ends = array("q")
        for chunk in chunks:
            blobs.append(chunk)
            position += len(chunk)
            ends.append(position)
        return ends

    provider_ids = array("i", (ref(k) for k in providers))
    provider_ends = ends_of(list(providers.values()))
    canonical_ids = array("i", (ref(k) for k in canonical))
    canonical_ends = ends_of(list(canonical.values()))
    offering_ends = ends_of(texts)
    if len(texts) != n or len(rows) != n:
        raise ValueError("one row and one text per offering id")
    sep = unused_character(table, alias_sep)
    parts: dict[str, bytes] = {
        "separators": (sep + alias_sep).encode("utf-8"),
        "strings": sep.join(table).encode("utf-8"),
        "refs": _le(refs),
        "ints": _le(ints),
        "floats": _le(floats),
        "orders": _le(orders),
        "order_lens": _le(order_lens),
        "sorted_values": _le(sorted_values),
        "provider_ids": _le(provider_ids),
        "provider_ends": _le(provider_ends),
        "canonical_ids": _le(canonical_ids),
        "canonical_ends": _le(canonical_ends),
        "offering_ends": _le(offering_ends),
        "texts": b"".join(blobs),
    }
    fp = b"null" if fingerprint is None else b'"' + fingerprint.encode("ascii") + b'"'
    head = _HEAD + str(BUNDLE_VERSION).encode() + _FP + fp + b"}\n"
    offset = len(head) + 16 * len(SECTIONS)
    layout = array("q")
    for name in SECTIONS:
        layout.extend((offset, len(parts[name])))
        offset += len(parts[name])
    return head + _le(layout) + b"".join(parts[name] for name in SECTIONS)


def sort_value(row: Sequence[Any], c: int) -> Any:
    """Row ``row``'s value of sorted column ``c`` (:data:`BLENDED`: 3 input : 1 output)."""
    if c == BLENDED:
        a, b = row[C_INPUT_PRICE], row[C_OUTPUT_PRICE]
        return None if a is None or b is None else (3 * a + b) / 4
    return row[c]


def unused_character(texts: Iterable[str], *taken: str) -> str:
    """A character none of ``texts`` holds and not one of ``taken``: the unit separator
    (U+001F) when it is free, else the first free one from U+0001 up (there is always one)."""
    used = set(taken).union(*texts)
    for code in (0x1F, *range(1, 0x110000)):
        if chr(code) not in used and not 0xD800 <= code <= 0xDFFF:
            return chr(code)
    raise ValueError("every character is used")  # not reachable: texts are finite


def _int(value: Any) -> int:
    if value is None:
        return -1
    if value is True or value is False:
        return int(value)
    if not 0 <= value < 2**63:
        raise ValueError(f"a catalog number out of the bundle's range: {value}")
    return int(value)


def _le(values: array[Any]) -> bytes:
    if _SWAP:
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


__all__ = [
    "BUNDLE_VERSION",
    "SECTIONS",
    "Strings",
    "Unpacked",
    "header_version",
    "pack",
    "sort_value",
    "unpack",
]
