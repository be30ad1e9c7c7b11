"""Column predicates: the rows of a registry that match a :class:`QueryFilters`, and their order.

A :class:`QueryIndex` holds one registry's query columns (see
:mod:`llmaestro.registry.bundle_reader`). Each predicate's rows are computed on first use and
kept as a frozenset keyed by the predicate, and range bounds bisect a sorted column, so a
repeated query costs a few set intersections.

Billing kinds (:mod:`llmaestro.registry.ranking`): a price sort ranks ``per_token`` offerings
before the others, and a price bound passes only ``per_token`` offerings unless the filters
name billing kinds.
"""

from __future__ import annotations

import bisect

from llmaestro.registry.bundle_reader import (
    C_BASE,
    C_BILLING,
    C_CAPS,
    C_CONTEXT,
    C_FAMILY,
    C_INPUT_PRICE,
    C_KIND,
    C_MAX_OUTPUT,
    C_MOD_IN,
    C_MOD_OUT,
    C_OPEN_WEIGHTS,
    C_OUTPUT_PRICE,
    C_PROVIDER,
    C_RELEASE,
    C_STATUS,
    CAPABILITY_FIELDS,
    MODALITY_BITS,
)
from llmaestro.registry.filters import MODALITY_CAPABILITIES
from llmaestro.registry.ranking import PER_TOKEN

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any, Literal

    from llmaestro.registry.filters import QueryFilters

    SortKey = Literal[
        "input_price",
        "output_price",
        "blended_price",
        "context",
        "max_output",
        "release_date",
        "id",
    ]
    Row = tuple[Any, ...]

_BLENDED = -1  # pseudo-column: blended price, 3 input : 1 output
_ID = -2  # pseudo-column: the offering id
_SORT_COLUMNS: dict[str, int] = {
    "input_price": C_INPUT_PRICE,
    "output_price": C_OUTPUT_PRICE,
    "blended_price": _BLENDED,
    "context": C_CONTEXT,
    "max_output": C_MAX_OUTPUT,
    "release_date": C_RELEASE,
    "id": _ID,
}
_PRICE_COLUMNS = frozenset({C_INPUT_PRICE, C_OUTPUT_PRICE, _BLENDED})
_METERED = frozenset({PER_TOKEN})


class QueryIndex:
    """Matching and sorting over one registry's query columns (rows in id order)."""

    __slots__ = ("_columns", "_ids", "_rows", "_sets", "_sorted")

    def __init__(self, columns: list[list[Any]], ids: list[str]) -> None:
        self._columns = columns
        self._ids = ids
        self._rows: list[Row] | None = None
        self._sets: dict[tuple[Any, ...], frozenset[int]] = {}
        self._sorted: dict[int, tuple[list[Any], list[int]]] = {}

    @property
    def rows(self) -> list[Row]:
        """Rows of the query columns, built on first use by a query."""
        if self._rows is None:
            self._rows = list(zip(*self._columns, strict=True)) if self._ids else []
        return self._rows

    def match(self, f: QueryFilters, include_retired: bool) -> set[int] | range:
        """The rows passing every filter of ``f``; ``include_retired`` is the resolved
        ``f.include_retired`` (retired rows are dropped unless it holds or a status is asked)."""
        parts: list[frozenset[int]] = []
        for cap in f.capabilities:
            parts.append(self._capability_set(cap))
        for value in f.input_modalities:
            parts.append(self._modality_set("input", value))
        for value in f.output_modalities:
            parts.append(self._modality_set("output", value))
        for col, values, name in (
            (C_KIND, f.kind, "kind"),
            (C_PROVIDER, f.provider, "provider"),
            (C_FAMILY, f.family, "family"),
            (C_STATUS, f.status, "status"),
        ):
            if values is not None:
                parts.append(self._union(col, values, name))
        labs = f.lab
        if labs is not None:
            parts.append(self._where(("lab", labs), lambda r: _lab(r) in labs))
        open_weights = f.open_weights
        if open_weights is not None:
            parts.append(
                self._where(("ow", open_weights), lambda r: r[C_OPEN_WEIGHTS] is open_weights)
            )
        if f.min_context is not None:
            parts.append(self._at_least(C_CONTEXT, f.min_context))
        if f.min_output is not None:
            parts.append(self._at_least(C_MAX_OUTPUT, f.min_output))
        billing = f.billing
        if billing is None and (
            f.max_input_price is not None
            or f.max_output_price is not None
            or f.max_blended_price is not None
        ):
            billing = _METERED  # another kind's per-token figure is no price to bound
        if billing is not None:
            parts.append(self._union(C_BILLING, billing, "billing"))
        if f.max_input_price is not None:
            parts.append(self._at_most(C_INPUT_PRICE, float(f.max_input_price)))
        if f.max_output_price is not None:
            parts.append(self._at_most(C_OUTPUT_PRICE, float(f.max_output_price)))
        if f.max_blended_price is not None:
            parts.append(self._at_most(_BLENDED, float(f.max_blended_price)))
        if f.released_after is not None:
            parts.append(self._at_least(C_RELEASE, f.released_after))
        if f.released_before is not None:
            parts.append(self._at_most(C_RELEASE, f.released_before))
        if not include_retired and f.status is None:
            parts.append(self._where(("not-retired", True), lambda r: r[C_STATUS] != "retired"))
        if not parts:
            return range(len(self._ids))
        parts.sort(key=len)
        result = set(parts[0])
        for part in parts[1:]:
            result &= part
            if not result:
                break
        return result

    def rows_where(self, test: Callable[[Row], bool]) -> set[int]:
        """The rows passing ``test`` (not cached)."""
        return {i for i, row in enumerate(self.rows) if test(row)}

    def sort(self, found: Iterable[int], key: str, descending: bool) -> list[int]:
        """``found`` ordered by ``key`` (a SortKey); rows whose value is unknown come last,
        in id order. By a price, ``per_token`` rows come before the other billing kinds."""
        if key == "id":  # rows are kept in (provider, model) order
            return sorted(found, reverse=descending)
        col = _SORT_COLUMNS.get(key)
        if col is None:
            raise ValueError(f"cannot sort by `{key}` (known: {', '.join(_SORT_COLUMNS)})")
        _, order = self._sorted_column(col)
        rank = {i: n for n, i in enumerate(order)}
        known = [i for i in found if i in rank]
        unknown = sorted(i for i in found if i not in rank)
        known.sort(key=rank.__getitem__, reverse=descending)
        if col in _PRICE_COLUMNS:
            kinds = self._columns[C_BILLING]
            metered = [i for i in known if kinds[i] == PER_TOKEN]
            if len(metered) != len(known):
                known = metered + [i for i in known if kinds[i] != PER_TOKEN]
        return known + unknown

    def value(self, i: int, key: str) -> Any:
        """Row ``i``'s value of the sort key ``key`` (None when unknown)."""
        col = _SORT_COLUMNS.get(key)
        if col is None:
            raise ValueError(f"cannot sort by `{key}` (known: {', '.join(_SORT_COLUMNS)})")
        return self._column_value(i, col)

    # -- predicates ----------------------------------------------------------------------------

    def _where(self, key: tuple[Any, ...], test: Callable[[Row], bool]) -> frozenset[int]:
        found = self._sets.get(key)
        if found is None:
            found = frozenset(i for i, row in enumerate(self.rows) if test(row))
            self._sets[key] = found
        return found

    def _capability_set(self, name: str) -> frozenset[int]:
        """Rows with the capability ``name`` (a canonical name, see ``capability_name``)."""
        if name in MODALITY_CAPABILITIES:
            side, value = MODALITY_CAPABILITIES[name]
            return self._modality_set(side, value)
        bit = 1 << CAPABILITY_FIELDS.index(name)
        return self._where(("cap", name), lambda r: bool(r[C_CAPS] & bit))

    def _modality_set(self, side: str, value: str) -> frozenset[int]:
        col = C_MOD_IN if side == "input" else C_MOD_OUT
        bit = MODALITY_BITS[value]
        return self._where((side, value), lambda r: bool(r[col] & bit))

    def _union(self, col: int, wanted: frozenset[str], name: str) -> frozenset[int]:
        return self._where((name, wanted), lambda r: r[col] in wanted)

    def _column_value(self, i: int, col: int) -> Any:
        row = self.rows[i]
        if col == _BLENDED:
            a, b = row[C_INPUT_PRICE], row[C_OUTPUT_PRICE]
            return None if a is None or b is None else (3 * a + b) / 4
        if col == _ID:
            return self._ids[i]
        return row[col]

    def _sorted_column(self, col: int) -> tuple[list[Any], list[int]]:
        cached = self._sorted.get(col)
        if cached is None:
            pairs = sorted(
                (v, i)
                for i in range(len(self._ids))
                if (v := self._column_value(i, col)) is not None
            )
            cached = ([v for v, _ in pairs], [i for _, i in pairs])
            self._sorted[col] = cached
        return cached

    def _at_least(self, col: int, bound: Any) -> frozenset[int]:
        key = ("ge", col, bound)
        found = self._sets.get(key)
        if found is None:
            values, order = self._sorted_column(col)
            found = frozenset(order[bisect.bisect_left(values, bound) :])
            self._sets[key] = found
        return found

    def _at_most(self, col: int, bound: Any) -> frozenset[int]:
        key = ("le", col, bound)
        found = self._sets.get(key)
        if found is None:
            values, order = self._sorted_column(col)
            found = frozenset(order[: bisect.bisect_right(values, bound)])
            self._sets[key] = found
        return found


def _lab(row: Row) -> str | None:
    base = row[C_BASE]
    return base.split("/", 1)[0] if base else None
