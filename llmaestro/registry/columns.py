"""A registry's query columns: one list of plain values per column, decoded on first use.

Queries filter and sort on a few facts of every offering (provider, kind, context, prices,
capability bits...). :class:`Columns` holds them by position (``C_*``); read from a compiled
bundle (:mod:`llmaestro.registry.bundle_layout`) each column stays packed (an ``array`` of
int32 references, numbers or float64 prices) until a query reads it, and the bundle's
precomputed sort orders (:meth:`Columns.order`) spare a first range query the sort. Built from
lists (a document, an overlay), it holds them as given and has no precomputed orders.
"""

from __future__ import annotations

from itertools import compress, repeat
from operator import eq, ne

from llmaestro._records import Capabilities
from llmaestro.errors import CatalogError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import mmap
    from array import array
    from collections.abc import Sequence
    from typing import Any

#: Capability flags of the ``C_CAPS`` column, one bit each in this order.
CAPABILITY_FIELDS: tuple[str, ...] = Capabilities._fields

#: Modality flags of the ``C_MOD_IN`` and ``C_MOD_OUT`` columns.
MODALITY_BITS: dict[str, int] = {"text": 1, "image": 2, "audio": 4, "video": 8, "pdf": 16}

# Column positions in a registry's per-offering rows.
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
BLENDED = -1  # pseudo-column: the blended price, 3 input : 1 output

#: How a bundle packs each column: texts as references into its strings table, numbers as
#: int32 (-1 unknown), prices as float64 (NaN unknown).
#: The texts of the columns listed first take the first places of the strings table, so the
#: few values a first query looks up (a billing kind, a status) are found at once.
TEXT_COLUMNS: tuple[int, ...] = (
    C_BILLING,
    C_STATUS,
    C_KIND,
    C_PROVIDER,
    C_FAMILY,
    C_BASE,
    C_RELEASE,
    C_DEPRECATION,
    C_RETIREMENT,
    C_REPLACEMENT,
    C_MODEL,
    C_NAME,
    C_ALIASES,
)
INT_COLUMNS: tuple[int, ...] = (
    C_CONTEXT,
    C_MAX_OUTPUT,
    C_CAPS,
    C_MOD_IN,
    C_MOD_OUT,
    C_OPEN_WEIGHTS,
)
FLOAT_COLUMNS: tuple[int, ...] = (C_INPUT_PRICE, C_OUTPUT_PRICE)
#: Columns whose ascending order a bundle precomputes (the texts are ISO dates).
SORTED: tuple[int, ...] = (
    C_CONTEXT,
    C_MAX_OUTPUT,
    C_INPUT_PRICE,
    C_OUTPUT_PRICE,
    BLENDED,
    C_RELEASE,
    C_DEPRECATION,
    C_RETIREMENT,
)
_DATES = frozenset({C_RELEASE, C_DEPRECATION, C_RETIREMENT})
_BOOL = (None, False, True)  # C_OPEN_WEIGHTS: -1, 0, 1
_BITS = frozenset({C_CAPS, C_MOD_IN, C_MOD_OUT})


class Damaged(Exception):
    """Bytes of a bundle that are not what its layout says (a reader reports it in one line)."""


class Strings:
    """A bundle's strings table, decoded on first use (``None`` answers the reference -1)."""

    __slots__ = ("_bounds", "_data", "_texts", "alias_sep", "sep")

    def __init__(
        self, data: bytes | mmap.mmap, start: int, end: int, sep: str, alias_sep: str
    ) -> None:
        """The texts of ``data[start:end]`` separated by ``sep``; an aliases text holds an
        offering's aliases separated by ``alias_sep``."""
        self._data = data
        self._bounds = (start, end)
        self._texts: list[str | None] | None = None
        self.sep = sep
        self.alias_sep = alias_sep

    @property
    def texts(self) -> list[str | None]:
        texts = self._texts
        if texts is None:
            start, end = self._bounds
            texts = self._texts = [*str(self._data[start:end], "utf-8").split(self.sep), None]
        return texts

    def column(self, refs: Sequence[int], *, required: bool = False) -> list[Any]:
        """The texts ``refs`` name (None for -1); :class:`Damaged` for a reference out of
        range, or for any -1 when ``required``."""
        texts = self.texts
        if refs and min(refs) < (0 if required else -1):
            raise Damaged
        out = list(map(texts.__getitem__, refs))  # IndexError past the end
        if required and None in out:
            raise Damaged
        return out


class Columns:
    """The query columns of ``n`` offerings (rows in id order), each a list of plain values
    (None unknown), read by position: ``columns[C_CONTEXT][i]``."""

    __slots__ = ("_lists", "_packed", "n", "source")

    def __init__(self, lists: Sequence[list[Any]], n: int, source: str = "memory") -> None:
        if len(lists) != N_COLUMNS or any(len(c) != n for c in lists):
            raise ValueError(f"{N_COLUMNS} columns of {n} rows each")
        self._lists: list[list[Any] | None] = list(lists)
        self._packed: Packed | None = None
        self.n = n
        self.source = source

    @classmethod
    def packed(cls, n: int, sections: Packed, source: str = "memory") -> Columns:
        """Columns over a bundle's packed sections (see bundle_layout), decoded on first use."""
        self = cls.__new__(cls)
        self._lists = [None] * N_COLUMNS
        self._packed = sections
        self.n = n
        self.source = source
        return self

    def __getitem__(self, c: int) -> list[Any]:
        found = self._lists[c]
        if found is None:
            assert self._packed is not None
            try:
                found = self._packed.column(c, self.n)
            except (Damaged, ValueError, IndexError, UnicodeDecodeError):
                raise CatalogError(self._damaged) from None
            self._lists[c] = found
        return found

    def __setitem__(self, c: int, values: list[Any]) -> None:
        if len(values) != self.n:
            raise ValueError(f"a column of {self.n} rows")
        self._lists[c] = values

    def scan(self, c: int) -> Sequence[Any]:
        """Column ``c``'s values to scan once: a capability or modality column stays packed
        (an int32 array of bits), any other is the decoded list."""
        packed = self._packed
        if packed is not None and self._lists[c] is None and c in _BITS:
            k = INT_COLUMNS.index(c) * self.n
            return packed.ints[k : k + self.n]
        return self[c]

    def count_equal(self, c: int, text: str) -> int:
        """How many rows of text column ``c`` hold ``text`` (counted in C)."""
        packed, values = self._packed, self._lists[c]
        if packed is None or values is not None:
            return self[c].count(text)
        try:
            ref = packed.strings.texts.index(text)
        except ValueError:
            return 0
        except UnicodeDecodeError:
            raise CatalogError(self._damaged) from None
        k = TEXT_COLUMNS.index(c) * self.n
        return packed.refs[k : k + self.n].count(ref)

    def rows_equal(self, c: int, text: str, *, negate: bool = False) -> frozenset[int]:
        """The rows whose text column ``c`` holds ``text`` (does not, when ``negate``),
        compared as the bundle's string references when the column is still packed."""
        packed, values = self._packed, self._lists[c]
        if packed is not None and values is None:
            try:
                texts = packed.strings.texts
            except UnicodeDecodeError:
                raise CatalogError(self._damaged) from None
            try:
                wanted: Any = texts.index(text)
            except ValueError:
                wanted = -2  # no reference is: no row holds it
            k = TEXT_COLUMNS.index(c) * self.n
            run: Sequence[Any] = packed.refs[k : k + self.n]
        else:
            wanted, run = text, self[c]
        test = map(ne if negate else eq, run, repeat(wanted))
        return frozenset(compress(range(self.n), test))

    def order(self, c: int) -> tuple[Sequence[Any], Sequence[int]] | None:
        """The bundle's ascending order of column ``c`` (a column of :data:`SORTED`): the
        known values in order and their rows, ties by row; None without a bundle. A numeric
        column's rows are not checked here (a query checks the rows it returns)."""
        packed = self._packed
        if packed is None or c not in packed.starts:
            return None
        try:
            return self._order(packed, c)
        except (Damaged, IndexError, ValueError, UnicodeDecodeError):
            raise CatalogError(self._damaged) from None

    @property
    def _damaged(self) -> str:
        return f"{self.source}: a damaged llmaestro bundle; recompile it with `llmaestro compile`"

    def _order(self, packed: Packed, c: int) -> tuple[Sequence[Any], Sequence[int]]:
        start, end = packed.starts[c]
        rows = packed.orders[start:end]
        if c in _DATES:  # few rows have a date but release; their rows index lists here
            if rows and (min(rows) < 0 or max(rows) >= self.n):
                raise Damaged
            column = self._lists[c]
            if column is None:  # the values of these rows only (e.g. the few deprecated)
                at = TEXT_COLUMNS.index(c) * self.n
                refs = packed.refs[at : at + self.n]
                if refs and min(refs) < -1:
                    raise Damaged
                texts = packed.strings.texts
                values = [texts[refs[i]] for i in rows]
            else:
                values = [column[i] for i in rows]
            if None in values:  # an order holds the rows whose value is known
                raise Damaged
            return values, rows
        v_start, v_end = packed.value_starts[c]
        return packed.sorted_values[v_start:v_end], rows


class Packed:
    """A bundle's packed columns and where each column's run starts (see bundle_layout)."""

    __slots__ = (
        "floats",
        "ints",
        "orders",
        "refs",
        "sorted_values",
        "starts",
        "strings",
        "value_starts",
    )

    def __init__(
        self,
        strings: Strings,
        refs: array[int],
        ints: array[int],
        floats: array[float],
        orders: array[int],
        order_lens: array[int],
        sorted_values: array[float],
    ) -> None:
        self.strings, self.refs, self.ints, self.floats = strings, refs, ints, floats
        self.orders, self.sorted_values = orders, sorted_values
        self.starts: dict[int, tuple[int, int]] = {}
        self.value_starts: dict[int, tuple[int, int]] = {}
        at = v_at = 0
        for c, length in zip(SORTED, order_lens, strict=True):
            self.starts[c] = (at, at + length)
            at += length
            if c not in _DATES:
                self.value_starts[c] = (v_at, v_at + length)
                v_at += length
        if v_at != len(sorted_values):
            raise Damaged

    def column(self, c: int, n: int) -> list[Any]:
        if c in TEXT_COLUMNS:
            k = TEXT_COLUMNS.index(c)
            texts = self.strings.column(self.refs[k * n : (k + 1) * n])
            if c == C_ALIASES:
                sep = self.strings.alias_sep
                return [None if t is None else t.split(sep) for t in texts]
            return texts
        if c in FLOAT_COLUMNS:
            k = FLOAT_COLUMNS.index(c)
            return [None if v != v else v for v in self.floats[k * n : (k + 1) * n]]
        k = INT_COLUMNS.index(c)
        run = self.ints[k * n : (k + 1) * n]
        if run and min(run) < -1:
            raise Damaged
        if c == C_OPEN_WEIGHTS:
            if run and max(run) > 1:
                raise Damaged
            return [_BOOL[v + 1] for v in run]
        if c in (C_CONTEXT, C_MAX_OUTPUT):
            return [None if v < 0 else v for v in run]
        if run and min(run) < 0:
            raise Damaged
        return run.tolist()
