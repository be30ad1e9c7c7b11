"""The read-only registry over a compiled catalog: lookups and queries.

A :class:`Registry` is built from a compiled bundle (read by
:mod:`llmaestro.registry.bundle_reader`) without pydantic and without YAML. Each offering's
facts stay as JSON text until first use; the columns queries filter on are loaded up front
and matched by :mod:`llmaestro.registry.index` against a :class:`QueryFilters`
(:mod:`llmaestro.registry.filters`). Everything it returns is a frozen record
(:mod:`llmaestro._records`), so nothing a caller receives can change the registry.
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType

from llmaestro._records import CanonicalModel, Offering, Provider, RateLimitTier
from llmaestro.errors import AmbiguousModelError, DeprecatedModelWarning
from llmaestro.registry.bundle_reader import (
    BUNDLE_VERSION,
    columns_of,
    decode_facts,
    lookup_tables,
    map_bundle_file,
    read_bundle,
    record_of,
)
from llmaestro.registry.columns import (
    C_BASE,
    C_DEPRECATION,
    C_PROVIDER,
    C_REPLACEMENT,
    C_RETIREMENT,
    C_STATUS,
    CAPABILITY_FIELDS,
    N_COLUMNS,
    Columns,
)
from llmaestro.registry.filters import CAPABILITIES, MODALITY_CAPABILITIES, QueryFilters
from llmaestro.registry.index import QueryIndex
from llmaestro.registry.info import CatalogInfo
from llmaestro.registry.jsonable import record_json
from llmaestro.registry.lazy import lazy_factory
from llmaestro.registry.lifecycle import (
    default_today,
    retired_rows,
    status_as_of,
    status_column,
    warning_text,
    with_status,
    without_status,
)
from llmaestro.registry.naming import (
    lab_offering,
    matching_tier,
    missing_model,
    missing_offering,
    missing_provider,
    shown,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    import mmap
    from collections.abc import Iterator, Mapping
    from typing import Any, Literal, Unpack

    from llmaestro.registry.bundle_layout import Spans
    from llmaestro.registry.filters import FilterKeywords
    from llmaestro.registry.index import SortKey

# Names other modules import from here (catalog.bundle, seed.registry, site.build, tests).
__all__ = [
    "BUNDLE_VERSION",
    "CAPABILITIES",
    "CAPABILITY_FIELDS",
    "MODALITY_CAPABILITIES",
    "CatalogInfo",
    "DeprecatedModelWarning",
    "QueryFilters",
    "Registry",
    "columns_of",
]


_HOT_MAX = 4096  # get()'s memo of resolved names: bounded, a caller may pass any text


class Registry:
    """Immutable lookups and queries over one compiled catalog."""

    def __init__(
        self,
        providers: Mapping[str, Any],
        canonical: Mapping[str, Any],
        ids: list[str],
        raw: list[Any] | Spans,
        columns: Columns | list[list[Any]],
        *,
        blob: bytes | mmap.mmap | None = None,
        source: str = "memory",
        fingerprint: str | None = None,
        include_retired: bool = False,
        today: dt.date | None = None,
    ) -> None:
        """Build from provider JSON, canonical JSON, offering ids in (provider, model) order,
        each offering's facts (a dict, JSON text, or a ``[start, end]`` span of ``blob``),
        and the query columns (:class:`~llmaestro.registry.columns.Columns`, or one list per
        column, see ``columns_of``). ``today`` is the registry's
        date (default: today UTC): records and queries carry the lifecycle status as of it
        (:mod:`llmaestro.registry.lifecycle`)."""
        self.today: dt.date = today if today is not None else default_today()
        self._day = self.today.isoformat()
        self._provider_raw = dict(providers)
        self._canonical_raw = dict(canonical)
        self._ids = ids
        self._raw = raw
        self._blob = blob
        if not isinstance(columns, Columns):
            columns = Columns(columns, len(ids), source)
        self._columns = columns
        self._records: list[Offering | None] = [None] * len(ids)
        self._index: dict[str, int] | None = None  # id -> row, on the first lookup
        self._hot: dict[str, Offering] = {}  # the records get() returned, by what it was given
        self._include_retired = include_retired
        self._warned: set[str] = set()
        self._providers: dict[str, Provider] = {}
        self._canonical: dict[str, CanonicalModel] = {}
        self._tables: tuple[dict[str, int], dict[str, list[int]]] | None = None
        self._litellm: dict[str, str] | None = None  # LiteLLM prefix -> provider, on first use
        self._query_index: QueryIndex | None = None
        self._lazy = lazy_factory(self)
        self.info = CatalogInfo(source, fingerprint, len(providers), len(canonical), len(ids))

    # -- construction --------------------------------------------------------------------------

    @classmethod
    def from_bundle_bytes(
        cls,
        data: bytes | mmap.mmap,
        *,
        source: str,
        include_retired: bool = False,
        today: dt.date | None = None,
    ) -> Registry:
        """Read a compiled bundle (:mod:`~llmaestro.registry.bundle_layout`): its columns and
        JSON texts are decoded on first use (``data`` may be an mmap)."""
        parts = read_bundle(data, source)
        return cls(
            parts.providers,
            parts.canonical,
            parts.ids,
            parts.spans,
            parts.columns,
            blob=data,
            source=source,
            fingerprint=parts.fingerprint,
            include_retired=include_retired,
            today=today,
        )

    @classmethod
    def from_bundle_file(
        cls, path: str, *, include_retired: bool = False, today: dt.date | None = None
    ) -> Registry:
        """Map a compiled bundle into memory (pages are read only when touched)."""
        data = map_bundle_file(path)
        return cls.from_bundle_bytes(
            data, source=path, include_retired=include_retired, today=today
        )

    @classmethod
    def from_document(
        cls,
        doc: Mapping[str, Any],
        *,
        source: str = "memory",
        include_retired: bool = False,
        today: dt.date | None = None,
    ) -> Registry:
        """Build from the plain-JSON document form (see :meth:`to_document`)."""
        offerings = sorted(doc["offerings"], key=lambda o: (o["provider"], o["model"]))
        rows = [columns_of(o) for o in offerings]
        columns = [list(c) for c in zip(*rows, strict=True)] if rows else [[]] * N_COLUMNS
        return cls(
            doc["providers"],
            doc["canonical"],
            [f"{o['provider']}/{o['model']}" for o in offerings],
            list(offerings),
            columns,
            source=source,
            fingerprint=doc.get("fingerprint"),
            include_retired=include_retired,
            today=today,
        )

    def to_document(self) -> dict[str, Any]:
        """Every fact as plain JSON values: providers and canonical models by id, offerings
        as a list sorted by id. Decimals are strings and dates ISO strings, as in the bundle.
        Each object carries its ``id``, as the records do. Statuses are the declared ones
        (the catalog's facts), not the effective ones the records carry."""
        return {
            "fingerprint": self.info.fingerprint,
            "providers": {
                pid: _with_id(self._json(self._provider_raw[pid]), pid) for pid in self.provider_ids
            },
            "canonical": {
                ref: _with_id(self._json(self._canonical_raw[ref]), ref)
                for ref in self.canonical_ids
            },
            "offerings": [
                _with_id(self._document_of(i), self._ids[i]) for i in range(len(self._ids))
            ],
        }

    def _document_of(self, i: int) -> dict[str, Any]:
        raw = self._raw[i]
        if raw is not None:
            return self._json(raw)
        record = self._records[i]
        assert record is not None
        out: dict[str, Any] = without_status(record_json(record), self._declared()[i])
        return out

    # -- providers and canonical models --------------------------------------------------------

    @property
    def provider_ids(self) -> tuple[str, ...]:
        return tuple(sorted(self._provider_raw))

    def provider(self, provider_id: str) -> Provider:
        """The provider with this id; UnknownProviderError (a LookupError) otherwise."""
        found = self._providers.get(provider_id)
        if found is not None:
            return found
        data = self._provider_raw.get(provider_id)
        if data is None:
            raise missing_provider(provider_id, self._provider_raw)
        record = record_of(Provider, self._json(data), self.info.source)
        self._providers[provider_id] = record
        return record

    def providers(self) -> Mapping[str, Provider]:
        """Every provider by id (a read-only mapping)."""
        return MappingProxyType({pid: self.provider(pid) for pid in self.provider_ids})

    @property
    def canonical_ids(self) -> tuple[str, ...]:
        return tuple(sorted(self._canonical_raw))

    def canonical_model(self, ref: str) -> CanonicalModel:
        """A canonical model by `lab/model`."""
        found = self._canonical.get(ref)
        if found is not None:
            return found
        data = self._canonical_raw.get(ref)
        if data is None:
            raise missing_model(ref, self._canonical_raw)
        record = record_of(CanonicalModel, self._json(data), self.info.source)
        self._canonical[ref] = record
        return record

    def offerings_of(self, ref: str) -> list[Offering]:
        """Every offering of a canonical model or its snapshots, by provider, cheapest first."""
        if ref not in self._canonical_raw:
            raise missing_model(ref, self._canonical_raw)
        refs = {
            r for r, v in self._canonical_raw.items() if self._json(v).get("snapshot_of") == ref
        }
        refs.add(ref)
        found = self._queries.where(C_BASE, refs.__contains__)
        return [self._record(i, True) for i in self._queries.sort(found, "input_price", False)]

    def rate_limit_tier(self, offering: Offering | str, tier: str) -> RateLimitTier | None:
        """The provider's rate limits of ``tier`` for this offering: the entry whose model
        patterns match its id, an alias or its rate_limit_group (an entry without patterns
        covers every model), most specific first; None when the catalog does not say."""
        record = self.get(offering) if isinstance(offering, str) else offering
        names = {record.model, *(record.aliases or ())}
        if record.rate_limit_group:
            names.add(record.rate_limit_group)
        return matching_tier(self.provider(record.provider).rate_limits or (), names, tier)

    # -- offerings -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[Offering]:
        for i in range(len(self._ids)):
            yield self._record(i)

    def __contains__(self, model_id: object) -> bool:
        if not isinstance(model_id, str):
            return False
        try:
            return self._resolve(model_id) is not None
        except AmbiguousModelError:
            return True

    @property
    def ids(self) -> tuple[str, ...]:
        """Every offering id, `provider/model`."""
        return tuple(self._ids)

    def get(self, model_id: str, provider: str | None = None) -> Offering:
        """Resolve an id: `provider/model`, an alias, a LiteLLM-style id, or a bare model id.

        Raises UnknownModelError (a LookupError) with the closest ids. A deprecated or retired
        model resolves, with one DeprecatedModelWarning naming its dates and replacement.
        """
        if provider is None:
            hot = self._hot.get(model_id)
            if hot is not None:  # resolved (and warned about) before
                return hot
            wanted = model_id
        else:
            wanted = f"{provider}/{model_id}"
        i = self._resolve(wanted)  # AmbiguousModelError when several providers sell it
        if i is None:
            raise missing_offering(wanted, self._ids, self._provider_raw)
        if self._status(i) in ("deprecated", "retired") and (self._ids[i] not in self._warned):
            self._warned.add(self._ids[i])
            self._warn(i)
        record = self._record(i)
        if provider is None and len(self._hot) < _HOT_MAX:
            self._hot[model_id] = record
        return record

    def _warn(self, i: int) -> None:
        col = self._columns
        text = warning_text(
            self._ids[i], self._status(i), col[C_RETIREMENT][i], col[C_REPLACEMENT][i]
        )
        import warnings  # lazy: 0.4 ms at import (-X importtime); only a deprecated model warns

        warnings.warn(text, DeprecatedModelWarning, stacklevel=3)

    def _resolve(self, wanted: str) -> int | None:
        index = self._index
        if index is None:
            index = self._index = {oid: i for i, oid in enumerate(self._ids)}
        i = index.get(wanted)
        if i is not None:
            return i
        if self._tables is None:  # built on the first lookup that is not an exact id
            self._tables = lookup_tables(self._columns)
        aliases, bare = self._tables
        i = aliases.get(wanted)
        if i is not None:
            return i
        head, sep, rest = wanted.partition("/")
        if sep:
            pid = self._litellm_prefixes().get(head)
            if pid is not None:
                i = index.get(f"{pid}/{rest}")
                if i is None:
                    i = aliases.get(f"{pid}/{rest}")
                if i is not None:
                    return i
        candidates = bare.get(wanted)
        if candidates:
            if len(candidates) == 1:
                return candidates[0]
            labs = {ref.split("/", 1)[0] for ref in self._canonical_raw}
            col = self._columns
            i = lab_offering(candidates, col[C_PROVIDER], col[C_BASE], labs)
            if i is not None:  # a model sold by its own lab resolves to the lab's offering
                return i
            raise AmbiguousModelError(shown(wanted), [self._ids[c] for c in candidates])
        return None

    def _record(self, i: int, lazy: bool = False) -> Offering:
        record = self._records[i]
        if record is None:  # lazy: its facts are decoded on first access (registry.lazy)
            record = self._lazy(i) if lazy else self._build(i)
            self._records[i] = record
        return record

    def _build(self, i: int) -> Offering:  # what a lazy record reads on first use
        facts, self._raw[i] = self._json(self._raw[i]), None  # the record holds them
        return record_of(Offering, with_status(facts, self._status(i)), self.info.source)

    @property
    def _queries(self) -> QueryIndex:
        """The query index (built on first use); statuses as of the registry's date."""
        index = self._query_index
        if index is None:
            col, today = self._columns, self.today
            index = self._query_index = QueryIndex(
                col,
                self._ids,
                status=lambda: status_column(col, today),
                retired=lambda: retired_rows(col, today),
            )
        return index

    def _status(self, i: int) -> str:
        """Row ``i``'s effective status as of the registry's date (never None)."""
        col = self._columns
        return status_as_of(
            self._declared()[i], col[C_DEPRECATION][i], col[C_RETIREMENT][i], self._day
        )

    def _declared(self) -> list[str | None]:
        """Each row's declared status (the catalog's fact; records carry the effective one)."""
        return self._columns[C_STATUS]

    def _litellm_prefixes(self) -> dict[str, str]:
        table = self._litellm
        if table is None:
            table = self._litellm = {}
            for pid, data in self._provider_raw.items():
                prefix = self._json(data).get("litellm_prefix")
                if prefix:
                    table[prefix] = pid
        return table

    def _json(self, raw: Any) -> dict[str, Any]:
        """Facts as a new dict: from a ``(start, end)`` span of the bundle, JSON text or a dict."""
        return decode_facts(raw, self._blob, self.info.source)

    # -- queries -------------------------------------------------------------------------------

    def query(
        self,
        filters: QueryFilters | None = None,
        *,
        sort: SortKey | None = None,
        descending: bool = False,
        limit: int | None = None,
        **keywords: Unpack[FilterKeywords],
    ) -> list[Offering]:
        """Offerings matching every given filter (prices: USD per 1M tokens; blended = 3:1),
        given as keywords (``capabilities=["vision"], min_context=128_000``) or as one
        :class:`QueryFilters`.

        A filter on an unknown fact excludes the offering: a model with no known price never
        passes a maximum-price filter, and sorting puts unknown values last. Billing kinds
        (``billing=``, :mod:`~llmaestro.registry.ranking`): a price sort ranks ``per_token``
        offerings first, and a price bound passes only them unless ``billing=`` names kinds.
        """
        f, retired = self._filters(filters, keywords)
        order = self._queries.rows(f, retired, sort or "id", descending, limit)
        records, make, out = self._records, self._lazy, []
        for i in order:  # self._record(i, True), inlined: a query may return thousands
            record = records[i]
            if record is None:
                record = records[i] = make(i)
            out.append(record)
        return out

    def cheapest(
        self,
        filters: QueryFilters | None = None,
        *,
        by: Literal["input", "output", "blended"] = "blended",
        **keywords: Unpack[FilterKeywords],
    ) -> Offering | None:
        """The offering with the lowest known price among those matching the filters: a
        ``per_token`` one; ``billing=`` names other kinds to consider too (``"any"``: every
        kind), ranked after the ``per_token`` ones."""
        f = filters if filters is not None else QueryFilters(**keywords)
        f = f if f.billing is not None else f.replace(billing="per_token")
        found = self._match(f, keywords if filters is not None else {})
        key: SortKey = f"{by}_price"  # type: ignore[assignment]
        order = self._queries.sort(found, key, False)
        if not order or self._queries.value(order[0], key) is None:
            return None
        return self._record(order[0])

    def count(self, filters: QueryFilters | None = None, **keywords: Unpack[FilterKeywords]) -> int:
        """How many offerings match the filters."""
        return len(self._match(filters, keywords))

    def _match(self, filters: QueryFilters | None, keywords: FilterKeywords) -> set[int] | range:
        return self._queries.match(*self._filters(filters, keywords))

    def _filters(
        self, filters: QueryFilters | None, keywords: FilterKeywords
    ) -> tuple[QueryFilters, bool]:
        """The filters asked, and whether they include retired offerings."""
        if filters is None:
            filters = QueryFilters(**keywords)
        elif keywords:
            raise TypeError("pass filters as one QueryFilters or as keywords, not both")
        retired = filters.include_retired
        return filters, self._include_retired if retired is None else retired


def _with_id(data: dict[str, Any], record_id: str) -> dict[str, Any]:
    data["id"] = record_id
    return data
