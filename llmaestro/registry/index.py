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
from itertools import compress, filterfalse
from operator import not_

from llmaestro.errors import CatalogError
from llmaestro.registry.columns import (
    BLENDED,
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
    CAPABILITY_FIELDS,
    MODALITY_BITS,
)
from llmaestro.registry.filters import MODALITY_CAPABILITIES
from llmaestro.registry.ranking import PER_TOKEN

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Sequence
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

    from llmaestro.registry.columns import Columns

_BLENDED = BLENDED
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
#: How many answers of distinct queries an index keeps (then it forgets them all).
ANSWERS = 256


class QueryIndex:
    """Matching and sorting over one registry's query columns (rows in id order)."""

    __slots__ = (
        "_answers",
        "_columns",
        "_ids",
        "_retired",
        "_sets",
        "_sorted",
        "_status",
        "_statuses",
    )

    def __init__(
        self,
        columns: Columns,
        ids: list[str],
        *,
        status: Callable[[], list[str]],
        retired: Callable[[], frozenset[int]],
    ) -> None:
        """An index over ``columns`` (``C_STATUS``: the declared statuses) and ``ids``;
        ``status`` computes the effective status column and ``retired`` the retired rows
        (:mod:`~llmaestro.registry.lifecycle`), each once, when a query first needs them."""
        self._columns = columns
        self._ids = ids
        self._status = status
        self._retired = retired
        self._statuses: list[str] | None = None
        self._answers: dict[tuple[Any, ...], list[int]] = {}
        self._sets: dict[tuple[Any, ...], frozenset[int]] = {}
        self._sorted: dict[int, tuple[Sequence[Any], Sequence[int]]] = {}

    def rows(
        self, f: QueryFilters, include_retired: bool, key: str, descending: bool, limit: int | None
    ) -> list[int]:
        """The rows of a query, in order (see :meth:`match` and :meth:`sort`): kept for the
        next identical query (at most :data:`ANSWERS` kept; the caller must not change it)."""
        asked = (f, include_retired, key, descending, limit)
        found = self._answers.get(asked)
        if found is None:
            found = self.sort(self.match(f, include_retired), key, descending)
            if limit is not None:
                found = found[:limit]
            if len(self._answers) >= ANSWERS:
                self._answers.clear()
            self._answers[asked] = found
        return found

    def match(self, f: QueryFilters, include_retired: bool) -> set[int] | range:
        """The rows passing every filter of ``f``; ``include_retired`` is the resolved
        ``f.include_retired`` (retired rows are dropped unless it holds or a status is asked)."""
        parts: list[Collection[int]] = []
        excluded: list[frozenset[int]] = []  # rows to take out (smaller than what is kept)
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
        ):
            if values is None:
                continue
            if len(values) == 1:  # one text: the rows that hold it, or those that do not
                (text,) = values
                if 2 * self._columns.count_equal(col, text) > len(self._ids):
                    excluded.append(self._text_set(col, text, negate=True))
                else:
                    parts.append(self._text_set(col, text))
            else:
                parts.append(self._union(col, values, name))
        if f.status is not None:
            parts.append(self._status_set(f.status))
        labs = f.lab
        if labs is not None:
            parts.append(self._where(("lab", labs), C_BASE, lambda v: _lab(v) in labs))
        open_weights = f.open_weights
        if open_weights is not None:
            parts.append(
                self._where(("ow", open_weights), C_OPEN_WEIGHTS, lambda v: v is open_weights)
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
        if billing == _METERED:  # most offerings are: the few others are the smaller set
            excluded.append(self._text_set(C_BILLING, PER_TOKEN, negate=True))
        elif billing is not None:
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
            excluded.append(self._retired_set())
        excluded = [e for e in excluded if e]
        if not parts:
            if not excluded:
                return range(len(self._ids))
            parts.append(frozenset(range(len(self._ids))))
        parts.sort(key=len)
        result = set(parts[0])
        for part in parts[1:]:
            result.intersection_update(part)
            if not result:
                break
        for part in excluded:
            if result:
                result -= part
        if result and (min(result) < 0 or max(result) >= len(self._ids)):
            # rows from a bundle's precomputed orders index the registry's lists
            raise CatalogError(f"{self._columns.source}: a damaged llmaestro bundle; recompile it")
        return result

    def where(self, col: int, test: Callable[[Any], bool]) -> set[int]:
        """The rows whose value of column ``col`` passes ``test`` (not cached)."""
        return {i for i, v in enumerate(self._columns[col]) if test(v)}

    def sort(self, found: Iterable[int], key: str, descending: bool) -> list[int]:
        """``found`` ordered by ``key`` (a SortKey); rows whose value is unknown come last,
        in id order. By a price, ``per_token`` rows come before the other billing kinds."""
        if key == "id":  # rows are kept in (provider, model) order
            return sorted(found, reverse=descending)
        col = _SORT_COLUMNS.get(key)
        if col is None:
            raise ValueError(f"cannot sort by `{key}` (known: {', '.join(_SORT_COLUMNS)})")
        _, order = self._sorted_column(col)
        wanted = found if isinstance(found, (set, frozenset, range)) else set(found)
        known = list(filter(wanted.__contains__, order))  # the order: (value, row) ascending
        if descending:  # each row has its own place in the order: no ties to keep
            known.reverse()
        unknown = sorted(set(wanted).difference(known)) if len(known) != len(wanted) else []
        if col in _PRICE_COLUMNS:
            unmetered = self._text_set(C_BILLING, PER_TOKEN, negate=True)
            if not unmetered.isdisjoint(known):
                metered = filterfalse(unmetered.__contains__, known)
                known = [*metered, *filter(unmetered.__contains__, known)]
        return known + unknown

    def value(self, i: int, key: str) -> Any:
        """Row ``i``'s value of the sort key ``key`` (None when unknown)."""
        col = _SORT_COLUMNS.get(key)
        if col is None:
            raise ValueError(f"cannot sort by `{key}` (known: {', '.join(_SORT_COLUMNS)})")
        return self._column_value(i, col)

    # -- predicates ----------------------------------------------------------------------------

    def _where(
        self,
        key: tuple[Any, ...],
        col: int,
        test: Callable[[Any], object],
        negate: bool = False,
    ) -> frozenset[int]:
        """The rows whose value of ``col`` passes ``test`` (fails it, when ``negate``), cached
        under ``key``; ``test`` is best a C callable (``set.__contains__``, ``int.__and__``):
        the scan then runs in C, not one Python call per row."""
        found = self._sets.get(key)
        if found is None:
            column = self._columns.scan(col)
            passed = map(test, column)
            found = frozenset(compress(range(len(column)), map(not_, passed) if negate else passed))
            self._sets[key] = found
        return found

    def _text_set(self, col: int, text: str, *, negate: bool = False) -> frozenset[int]:
        key = ("text", col, text, negate)
        found = self._sets.get(key)
        if found is None:
            found = self._sets[key] = self._columns.rows_equal(col, text, negate=negate)
        return found

    def _retired_set(self) -> frozenset[int]:
        found = self._sets.get(("retired",))
        if found is None:
            found = self._sets[("retired",)] = self._retired()
        return found

    def _status_set(self, wanted: frozenset[str]) -> frozenset[int]:
        key = ("status", wanted)
        found = self._sets.get(key)
        if found is None:
            statuses = self._statuses
            if statuses is None:
                statuses = self._statuses = self._status()
            found = frozenset(compress(range(len(statuses)), map(wanted.__contains__, statuses)))
            self._sets[key] = found
        return found

    def _capability_set(self, name: str) -> frozenset[int]:
        """Rows with the capability ``name`` (a canonical name, see ``capability_name``)."""
        if name in MODALITY_CAPABILITIES:
            side, value = MODALITY_CAPABILITIES[name]
            return self._modality_set(side, value)
        bit = 1 << CAPABILITY_FIELDS.index(name)
        return self._where(("cap", name), C_CAPS, bit.__and__)

    def _modality_set(self, side: str, value: str) -> frozenset[int]:
        col = C_MOD_IN if side == "input" else C_MOD_OUT
        bit = MODALITY_BITS[value]
        return self._where((side, value), col, bit.__and__)

    def _union(self, col: int, wanted: frozenset[str], name: str) -> frozenset[int]:
        return self._where((name, wanted), col, wanted.__contains__)

    def _column_value(self, i: int, col: int) -> Any:
        if col == _BLENDED:
            a, b = self._columns[C_INPUT_PRICE][i], self._columns[C_OUTPUT_PRICE][i]
            return None if a is None or b is None else (3 * a + b) / 4
        if col == _ID:
            return self._ids[i]
        return self._columns[col][i]

    def _sorted_column(self, col: int) -> tuple[Sequence[Any], Sequence[int]]:
        """The known values of ``col`` in ascending (value, row) order, and their rows: the
        bundle's precomputed order when it has one."""
        cached = self._sorted.get(col)
        if cached is None:
            cached = self._columns.order(col)
            if cached is None:
                pairs = sorted(
                    (v, i)
                    for i in range(len(self._ids))
                    if (v := self._column_value(i, col)) is not None
                )
                cached = ([v for v, _ in pairs], [i for _, i in pairs])
            self._sorted[col] = cached
        return cached

    def _at_least(self, col: int, bound: Any) -> Collection[int]:
        """The rows whose ``col`` is at least ``bound``: a slice of its sorted rows (no set
        is built: a query intersects its smallest part with the others)."""
        values, order = self._sorted_column(col)
        return order[bisect.bisect_left(values, bound) :]

    def _at_most(self, col: int, bound: Any) -> Collection[int]:
        values, order = self._sorted_column(col)
        return order[: bisect.bisect_right(values, bound)]


def _lab(base: str | None) -> str | None:
    return base.split("/", 1)[0] if base else None
