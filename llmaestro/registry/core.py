"""The read-only registry over a compiled catalog: lookups and queries.

A :class:`Registry` is built from a compiled bundle (see :mod:`llmaestro.catalog.bundle`)
without pydantic and without YAML. Each offering's facts stay as JSON text until first use;
the columns queries filter on are loaded up front. Everything it returns is a frozen record
(:mod:`llmaestro._records`), so nothing a caller receives can change the registry.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import mmap
from decimal import Decimal
from types import MappingProxyType

from llmaestro._records import CanonicalModel, Capabilities, Offering, Provider, RateLimitTier
from llmaestro.errors import AmbiguousModelError, UnknownModelError, UnknownProviderError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping
    from typing import Any, Literal

    SortKey = Literal[
        "input_price",
        "output_price",
        "blended_price",
        "context",
        "max_output",
        "release_date",
        "id",
    ]

#: Capability names a query accepts: the typed fields of `Capabilities`, plus modalities.
CAPABILITY_FIELDS: tuple[str, ...] = Capabilities._fields
MODALITY_CAPABILITIES: dict[str, tuple[str, str]] = {
    "vision": ("input", "image"),
    "audio_input": ("input", "audio"),
    "video_input": ("input", "video"),
    "pdf_input": ("input", "pdf"),
    "audio_output": ("output", "audio"),
    "image_output": ("output", "image"),
}
CAPABILITIES: tuple[str, ...] = CAPABILITY_FIELDS + tuple(MODALITY_CAPABILITIES)

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
) = range(19)


BUNDLE_VERSION = 4


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


MODALITY_BITS: dict[str, int] = {"text": 1, "image": 2, "audio": 4, "video": 8, "pdf": 16}


def _modality_bits(values: Iterable[str] | None) -> int:
    bits = 0
    for value in values or ():
        bits |= MODALITY_BITS.get(value, 0)
    return bits


class DeprecatedModelWarning(DeprecationWarning):
    """A resolved model is deprecated or retired; the message names its date and replacement."""


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
    ]


class CatalogInfo:
    """Where a registry's data came from."""

    __slots__ = ("canonical_models", "fingerprint", "offerings", "providers", "source")

    def __init__(
        self,
        source: str,
        fingerprint: str | None,
        providers: int,
        canonical_models: int,
        offerings: int,
    ) -> None:
        self.source = source
        self.fingerprint = fingerprint
        self.providers = providers
        self.canonical_models = canonical_models
        self.offerings = offerings

    def __repr__(self) -> str:
        return (
            f"CatalogInfo(source={self.source!r}, providers={self.providers}, "
            f"canonical_models={self.canonical_models}, offerings={self.offerings})"
        )


class Registry:
    """Immutable lookups and queries over one compiled catalog."""

    def __init__(
        self,
        providers: Mapping[str, Any],
        canonical: Mapping[str, Any],
        ids: list[str],
        raw: list[Any],
        columns: list[list[Any]],
        *,
        blob: bytes | mmap.mmap | None = None,
        alias: dict[str, int] | None = None,
        bare: dict[str, list[int]] | None = None,
        source: str = "memory",
        fingerprint: str | None = None,
        include_retired: bool = False,
    ) -> None:
        """Build from provider JSON, canonical JSON, offering ids in (provider, model) order,
        each offering's facts (a dict, JSON text, or a ``[start, end]`` span of ``blob``),
        and the query columns (one list per column, see ``columns_of``). ``alias`` and
        ``bare`` are the lookup tables, computed when not given."""
        self._provider_raw = dict(providers)
        self._canonical_raw = dict(canonical)
        self._ids = ids
        self._raw = raw
        self._blob = blob
        self._columns = columns
        self._row_cache: list[tuple[Any, ...]] | None = None
        self._records: list[Offering | None] = [None] * len(ids)
        self._index = {oid: i for i, oid in enumerate(ids)}
        self._include_retired = include_retired
        self._warned: set[str] = set()
        self._providers: dict[str, Provider] = {}
        self._canonical: dict[str, CanonicalModel] = {}
        self._tables = (alias, bare) if alias is not None and bare is not None else None
        self._litellm: dict[str, str] = {}
        self._sets: dict[tuple[Any, ...], frozenset[int]] = {}
        self._sorted: dict[int, tuple[list[Any], list[int]]] = {}
        for pid, pdata in self._provider_raw.items():
            prefix = _get(pdata, "litellm_prefix")
            if prefix:
                self._litellm[prefix] = pid
        self.info = CatalogInfo(source, fingerprint, len(providers), len(canonical), len(ids))

    @property
    def _cols(self) -> list[tuple[Any, ...]]:
        """Rows of the query columns, built on first use by a query."""
        if self._row_cache is None:
            self._row_cache = list(zip(*self._columns, strict=True)) if self._ids else []
        return self._row_cache

    # -- construction --------------------------------------------------------------------------

    @classmethod
    def from_bundle_bytes(
        cls, data: bytes | mmap.mmap, *, source: str, include_retired: bool = False
    ) -> Registry:
        """Read a compiled bundle: one line of JSON (the index and query columns), then the
        offerings' JSON texts, each decoded on first use (``data`` may be an mmap)."""
        newline = data.find(b"\n")
        try:
            doc = json.loads(data[:newline]) if newline > 0 else None
        except ValueError:
            doc = None
        if (
            not isinstance(doc, dict)
            or doc.get("format") != "llmaestro-bundle"
            or doc.get("version") != BUNDLE_VERSION
        ):
            from llmaestro.errors import CatalogError

            raise CatalogError(
                f"{source}: not an llmaestro bundle of version {BUNDLE_VERSION}; "
                "recompile it with `llmaestro compile`"
            )
        off = doc["offerings"]
        base = newline + 1
        ends = off["ends"]
        starts = [base, *(base + e for e in ends[:-1])]
        raw: list[Any] = list(zip(starts, (base + e for e in ends), strict=True))
        return cls(
            doc["providers"],
            doc["canonical"],
            off["ids"],
            raw,
            off["columns"],
            blob=data,
            source=source,
            fingerprint=doc.get("fingerprint"),
            include_retired=include_retired,
        )

    @classmethod
    def from_bundle_file(cls, path: str, *, include_retired: bool = False) -> Registry:
        """Map a compiled bundle into memory (pages are read only when touched)."""
        with open(path, "rb") as handle:
            try:
                data: bytes | mmap.mmap = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # empty file, or a file system without mmap
                data = handle.read()
        return cls.from_bundle_bytes(data, source=path, include_retired=include_retired)

    @classmethod
    def from_document(
        cls,
        doc: Mapping[str, Any],
        *,
        source: str = "memory",
        include_retired: bool = False,
    ) -> Registry:
        """Build from the plain-JSON document form (see :meth:`to_document`)."""
        offerings = sorted(doc["offerings"], key=lambda o: (o["provider"], o["model"]))
        rows = [columns_of(o) for o in offerings]
        columns = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in range(19)]
        return cls(
            doc["providers"],
            doc["canonical"],
            [f"{o['provider']}/{o['model']}" for o in offerings],
            list(offerings),
            columns,
            source=source,
            fingerprint=doc.get("fingerprint"),
            include_retired=include_retired,
        )

    def to_document(self) -> dict[str, Any]:
        """Every fact as plain JSON values: providers and canonical models by id, offerings
        as a list sorted by id. Decimals are strings and dates ISO strings, as in the bundle.
        Each object carries its ``id``, as the records do."""
        return {
            "fingerprint": self.info.fingerprint,
            "providers": {
                pid: _with_id(_decode(self._provider_raw[pid]), pid) for pid in self.provider_ids
            },
            "canonical": {
                ref: _with_id(_decode(self._canonical_raw[ref]), ref) for ref in self.canonical_ids
            },
            "offerings": [
                _with_id(self._document_of(i), self._ids[i]) for i in range(len(self._ids))
            ],
        }

    def _document_of(self, i: int) -> dict[str, Any]:
        raw = self._raw[i]
        if raw is not None:
            return self._decode_offering(raw)
        record = self._records[i]
        assert record is not None
        out: dict[str, Any] = _to_json(record)
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
            raise UnknownProviderError(provider_id, _close(provider_id, self._provider_raw))
        record = Provider._from(_decode(data))
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
            raise UnknownModelError(ref, _close(ref, self._canonical_raw))
        record = CanonicalModel._from(_decode(data))
        self._canonical[ref] = record
        return record

    def offerings_of(self, ref: str) -> list[Offering]:
        """Every offering of a canonical model, across providers, cheapest input first."""
        if ref not in self._canonical_raw:
            raise UnknownModelError(ref, _close(ref, self._canonical_raw))
        found = self._all_where(lambda row: row[C_BASE] == ref)
        return [self._record(i) for i in self._sort(found, "input_price", False)]

    def rate_limit_tier(self, offering: Offering | str, tier: str) -> RateLimitTier | None:
        """The provider's rate limits of ``tier`` for this offering: the entry whose model
        patterns match its id, an alias or its rate_limit_group (an entry without patterns
        covers every model), most specific first; None when the catalog does not say."""
        import fnmatch

        record = self.get(offering) if isinstance(offering, str) else offering
        names = {record.model, *(record.aliases or ())}
        if record.rate_limit_group:
            names.add(record.rate_limit_group)
        fallback = None
        for entry in self.provider(record.provider).rate_limits or ():
            if entry.tier != tier:
                continue
            if entry.models is None:
                fallback = fallback or entry
            elif any(fnmatch.fnmatchcase(n, p) for n in names for p in entry.models):
                return entry
        return fallback

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
        wanted = f"{provider}/{model_id}" if provider is not None else model_id
        i = self._resolve(wanted)  # AmbiguousModelError when several providers sell it
        if i is None:
            raise UnknownModelError(wanted, self._suggest(wanted))
        if self._columns[C_STATUS][i] in ("deprecated", "retired") and (
            self._ids[i] not in self._warned
        ):
            self._warned.add(self._ids[i])
            self._warn(i)
        return self._record(i)

    def _warn(self, i: int) -> None:
        col = self._columns
        status, retirement, replacement = (
            col[C_STATUS][i],
            col[C_RETIREMENT][i],
            col[C_REPLACEMENT][i],
        )
        text = f"{self._ids[i]} is {status}"
        if retirement:
            verb = "retired on" if status == "retired" else "retires on"
            text += f"; {verb} {retirement}"
        if replacement:
            text += f"; use {replacement} instead"
        import warnings

        warnings.warn(text, DeprecatedModelWarning, stacklevel=3)

    def _resolve(self, wanted: str) -> int | None:
        i = self._index.get(wanted)
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
            pid = self._litellm.get(head)
            if pid is not None:
                i = self._index.get(f"{pid}/{rest}")
                if i is None:
                    i = aliases.get(f"{pid}/{rest}")
                if i is not None:
                    return i
        candidates = bare.get(wanted)
        if candidates:
            if len(candidates) == 1:
                return candidates[0]
            # a model sold by its own lab resolves to the lab's offering: the one inheriting
            # from a canonical model of its own provider, else the one at a provider that is
            # itself a lab of the catalog (has canonical models)
            providers, bases = self._columns[C_PROVIDER], self._columns[C_BASE]
            for c in candidates:
                if bases[c] and bases[c].split("/", 1)[0] == providers[c]:
                    return c
            labs = self._labs()
            first_party = [c for c in candidates if providers[c] in labs]
            if len(first_party) == 1:
                return first_party[0]
            raise AmbiguousModelError(wanted, [self._ids[c] for c in candidates])
        return None

    def _labs(self) -> frozenset[str]:
        return frozenset(ref.split("/", 1)[0] for ref in self._canonical_raw)

    def _suggest(self, wanted: str) -> list[str]:
        pool: list[str] = list(self._ids)
        head = wanted.split("/", 1)[0]
        if head in self._provider_raw:
            pool = [x for x in self._ids if x.startswith(head + "/")]
        import difflib

        return difflib.get_close_matches(wanted, pool, n=3, cutoff=0.5)

    def _record(self, i: int) -> Offering:
        record = self._records[i]
        if record is None:
            record = Offering._from(self._decode_offering(self._raw[i]))
            self._records[i] = record
            self._raw[i] = None  # the record now holds the facts
        return record

    def _decode_offering(self, raw: Any) -> dict[str, Any]:
        if isinstance(raw, tuple):
            assert self._blob is not None
            start, end = raw
            out: dict[str, Any] = json.loads(self._blob[start:end])
            return out
        return _decode(raw)

    # -- queries -------------------------------------------------------------------------------

    def query(
        self,
        *,
        capabilities: Iterable[str] = (),
        kind: str | Iterable[str] | None = None,
        input_modalities: Iterable[str] = (),
        output_modalities: Iterable[str] = (),
        min_context: int | None = None,
        min_output: int | None = None,
        max_input_price: Decimal | float | str | None = None,
        max_output_price: Decimal | float | str | None = None,
        max_blended_price: Decimal | float | str | None = None,
        provider: str | Iterable[str] | None = None,
        family: str | Iterable[str] | None = None,
        lab: str | Iterable[str] | None = None,
        open_weights: bool | None = None,
        status: str | Iterable[str] | None = None,
        released_after: dt.date | str | None = None,
        released_before: dt.date | str | None = None,
        include_retired: bool | None = None,
        sort: SortKey | None = None,
        descending: bool = False,
        limit: int | None = None,
    ) -> list[Offering]:
        """Offerings matching every given filter (prices: USD per 1M tokens; blended = 3:1).

        A filter on an unknown fact excludes the offering: a model with no known price never
        passes a maximum-price filter, and sorting puts unknown values last.
        """
        found = self._match(
            capabilities=capabilities,
            kind=kind,
            input_modalities=input_modalities,
            output_modalities=output_modalities,
            min_context=min_context,
            min_output=min_output,
            max_input_price=max_input_price,
            max_output_price=max_output_price,
            max_blended_price=max_blended_price,
            provider=provider,
            family=family,
            lab=lab,
            open_weights=open_weights,
            status=status,
            released_after=released_after,
            released_before=released_before,
            include_retired=include_retired,
        )
        order = self._sort(found, sort or "id", descending)
        if limit is not None:
            order = order[:limit]
        return [self._record(i) for i in order]

    def cheapest(
        self, *, by: Literal["input", "output", "blended"] = "blended", **filters: Any
    ) -> Offering | None:
        """The offering with the lowest known price among those matching ``filters``."""
        found = self._match(**filters)
        key: SortKey = f"{by}_price"  # type: ignore[assignment]
        order = self._sort(found, key, False)
        if not order or self._value(order[0], key) is None:
            return None
        return self._record(order[0])

    def count(self, **filters: Any) -> int:
        """How many offerings match ``filters``."""
        return len(self._match(**filters))

    def _match(
        self,
        *,
        capabilities: Iterable[str] = (),
        kind: str | Iterable[str] | None = None,
        input_modalities: Iterable[str] = (),
        output_modalities: Iterable[str] = (),
        min_context: int | None = None,
        min_output: int | None = None,
        max_input_price: Decimal | float | str | None = None,
        max_output_price: Decimal | float | str | None = None,
        max_blended_price: Decimal | float | str | None = None,
        provider: str | Iterable[str] | None = None,
        family: str | Iterable[str] | None = None,
        lab: str | Iterable[str] | None = None,
        open_weights: bool | None = None,
        status: str | Iterable[str] | None = None,
        released_after: dt.date | str | None = None,
        released_before: dt.date | str | None = None,
        include_retired: bool | None = None,
    ) -> set[int] | range:
        parts: list[frozenset[int]] = []
        if isinstance(capabilities, str):
            capabilities = (capabilities,)
        for cap in capabilities:
            parts.append(self._capability_set(cap))
        for side, wanted in (("input", input_modalities), ("output", output_modalities)):
            for value in (wanted,) if isinstance(wanted, str) else wanted:
                parts.append(self._modality_set(side, value))
        for col, values, name in (
            (C_KIND, kind, "kind"),
            (C_PROVIDER, provider, "provider"),
            (C_FAMILY, family, "family"),
            (C_STATUS, status, "status"),
        ):
            if values is not None:
                parts.append(self._union(col, values, name))
        if lab is not None:
            labs = {lab} if isinstance(lab, str) else set(lab)
            parts.append(self._where(("lab", frozenset(labs)), lambda r: _lab(r) in labs))
        if open_weights is not None:
            parts.append(
                self._where(("ow", open_weights), lambda r: r[C_OPEN_WEIGHTS] is open_weights)
            )
        if min_context is not None:
            parts.append(self._at_least(C_CONTEXT, min_context))
        if min_output is not None:
            parts.append(self._at_least(C_MAX_OUTPUT, min_output))
        if max_input_price is not None:
            parts.append(self._at_most(C_INPUT_PRICE, _num(max_input_price)))
        if max_output_price is not None:
            parts.append(self._at_most(C_OUTPUT_PRICE, _num(max_output_price)))
        if max_blended_price is not None:
            parts.append(self._at_most(-1, _num(max_blended_price)))
        if released_after is not None:
            parts.append(self._at_least(C_RELEASE, str(released_after)))
        if released_before is not None:
            parts.append(self._at_most(C_RELEASE, str(released_before)))
        retired = self._include_retired if include_retired is None else include_retired
        if not retired and status is None:
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

    def _where(
        self, key: tuple[Any, ...], test: Callable[[tuple[Any, ...]], bool]
    ) -> frozenset[int]:
        found = self._sets.get(key)
        if found is None:
            found = frozenset(i for i, row in enumerate(self._cols) if test(row))
            self._sets[key] = found
        return found

    def _all_where(self, test: Callable[[tuple[Any, ...]], bool]) -> set[int]:
        return {i for i, row in enumerate(self._cols) if test(row)}

    def _capability_set(self, name: str) -> frozenset[int]:
        if name.startswith("supports_"):
            name = name[len("supports_") :]
        name = _CAP_ALIASES.get(name, name)
        if name in MODALITY_CAPABILITIES:
            side, value = MODALITY_CAPABILITIES[name]
            return self._modality_set(side, value)
        if name not in CAPABILITY_FIELDS:
            import difflib

            close = difflib.get_close_matches(name, CAPABILITIES, n=1)
            hint = f"; did you mean `{close[0]}`?" if close else ""
            raise ValueError(
                f"unknown capability `{name}`{hint} (known: {', '.join(CAPABILITIES)})"
            )
        bit = 1 << CAPABILITY_FIELDS.index(name)
        return self._where(("cap", name), lambda r: bool(r[C_CAPS] & bit))

    def _modality_set(self, side: str, value: str) -> frozenset[int]:
        col = C_MOD_IN if side == "input" else C_MOD_OUT
        bit = MODALITY_BITS.get(value)
        if bit is None:
            raise ValueError(f"unknown modality `{value}` (known: {', '.join(MODALITY_BITS)})")
        return self._where((side, value), lambda r: bool(r[col] & bit))

    def _union(self, col: int, values: str | Iterable[str], name: str) -> frozenset[int]:
        wanted = frozenset({values} if isinstance(values, str) else values)
        return self._where((name, wanted), lambda r: r[col] in wanted)

    def _column_value(self, i: int, col: int) -> Any:
        row = self._cols[i]
        if col == -1:  # blended price, 3 input : 1 output
            a, b = row[C_INPUT_PRICE], row[C_OUTPUT_PRICE]
            return None if a is None or b is None else (3 * a + b) / 4
        if col == -2:
            return self._ids[i]
        return row[col]

    def _value(self, i: int, key: str) -> Any:
        col = _SORT_COLUMNS.get(key)
        if col is None:
            raise ValueError(f"cannot sort by `{key}` (known: {', '.join(_SORT_COLUMNS)})")
        return self._column_value(i, col)

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

    def _sort(self, found: Iterable[int], key: str, descending: bool) -> list[int]:
        if key == "id":  # rows are kept in (provider, model) order
            return sorted(found, reverse=descending)
        col = -1 if key == "blended_price" else _SORT_COLUMNS.get(key)
        if col is None:
            raise ValueError(f"cannot sort by `{key}` (known: {', '.join(_SORT_COLUMNS)})")
        _, order = self._sorted_column(col)
        rank = {i: n for n, i in enumerate(order)}
        known = [i for i in found if i in rank]
        unknown = sorted(i for i in found if i not in rank)
        known.sort(key=rank.__getitem__, reverse=descending)
        return known + unknown


_SORT_COLUMNS: dict[str, int] = {
    "input_price": C_INPUT_PRICE,
    "output_price": C_OUTPUT_PRICE,
    "blended_price": -1,
    "context": C_CONTEXT,
    "max_output": C_MAX_OUTPUT,
    "release_date": C_RELEASE,
    "id": -2,
}
_CAP_ALIASES = {
    "function_calling": "tool_calling",
    "tools": "tool_calling",
    "images": "vision",
    "image_input": "vision",
    "pdf": "pdf_input",
    "json": "json_mode",
    "system_prompts": "system_prompt",
}


def _lab(row: tuple[Any, ...]) -> str | None:
    base = row[C_BASE]
    return base.split("/", 1)[0] if base else None


def _num(value: Decimal | float | str) -> float:
    return float(Decimal(str(value)))


def _decode(data: Any) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(data) if isinstance(data, str) else dict(data)
    return out


def _with_id(data: dict[str, Any], record_id: str) -> dict[str, Any]:
    data["id"] = record_id
    return data


def _get(data: Any, key: str) -> Any:
    if isinstance(data, str):
        return json.loads(data).get(key)
    return data.get(key)


def _to_json(value: Any) -> Any:
    """A record back to the bundle's JSON form (None dropped, Decimal and dates as text)."""
    if hasattr(value, "_fields") and not isinstance(value, tuple):
        out = {}
        for name in value._fields:
            item = getattr(value, name)
            if item is not None:
                out[name] = _to_json(item)
        return out
    if isinstance(value, tuple):
        return [_to_json(v) for v in value]
    if isinstance(value, Decimal | dt.date):
        return str(value)
    return value


def _close(wanted: str, pool: Iterable[str]) -> list[str]:
    import difflib

    return difflib.get_close_matches(wanted, list(pool), n=3, cutoff=0.5)
