"""What the pages show, computed once from a registry: one :class:`Row` per offering, a view
per provider and per canonical model, and the build time.

Rows keep the registry's order (and its capability membership, exactly as
``Registry.query`` decides it), so the site's filters and sorting agree with the library.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

from llmaestro._records import CanonicalModel, Offering, Provider, Source
from llmaestro.catalog.model import KINDS
from llmaestro.registry.core import CAPABILITY_FIELDS, DeprecatedModelWarning, Registry
from llmaestro.registry.filters import MODALITY_CAPABILITIES
from llmaestro.registry.ranking import billing_label
from llmaestro.site.chart import Point, plottable, price_context_svg
from llmaestro.site.filters import number_attr, tokens_full, usd
from llmaestro.site.models_view import OfferingGroup, group_offerings
from llmaestro.site.paths import href, model_page, offering_anchor, provider_api_file, provider_page

#: How site.js orders rows with equal sort values, as ``Registry.query(sort=...)`` does: by the
#: registry's own order of its offerings, which is by provider then model (a compiled bundle),
#: by id as text (a registry from an export), or else given per row (``data-n``).
TIE_ORDERS = ("provider-model", "id", "position")


@dataclass(frozen=True)
class Replacement:
    text: str
    href: str | None


@dataclass(frozen=True)
class Row:
    """One offering, as every page shows it."""

    id: str
    o: Offering
    provider_name: str
    #: its canonical model's page, or its entry on the provider page (from the site root)
    page: str
    #: its entry on the provider page (from the site root)
    entry: str
    anchor: str
    caps: tuple[str, ...]
    replacement: Replacement | None
    price_sources: tuple[Source, ...]
    #: where ``price_sources`` came from: the price's own provenance or the offering's
    price_sources_from: str
    checked: dt.date | None
    #: index of the offering in the registry (its order among equal sort values)
    position: int

    @property
    def name(self) -> str:
        return self.o.name or self.o.model

    @property
    def status(self) -> str | None:
        return self.o.lifecycle.status if self.o.lifecycle else None

    @property
    def billing(self) -> str | None:
        """The billing kind of an offering not billed per token (None: per token)."""
        kind = self.o.billing.kind if self.o.billing else None
        return kind if billing_label(kind) is not None else None

    @property
    def billing_label(self) -> str | None:
        """What its price cells show instead of a per-token figure ("subscription", "free
        tier", "self-hosted"); None: the prices are shown."""
        return billing_label(self.billing)

    @property
    def context(self) -> int | None:
        return self.o.limits.context if self.o.limits else None

    @property
    def max_output(self) -> int | None:
        return self.o.limits.max_output if self.o.limits else None

    @property
    def input_price(self) -> Decimal | None:
        return self.o.pricing.input if self.o.pricing else None

    @property
    def output_price(self) -> Decimal | None:
        return self.o.pricing.output if self.o.pricing else None

    @property
    def modalities_in(self) -> tuple[str, ...]:
        m = self.o.modalities
        return m.input or () if m else ()

    @property
    def modalities_out(self) -> tuple[str, ...]:
        m = self.o.modalities
        return m.output or () if m else ()

    @property
    def modality_caps(self) -> tuple[str, ...]:
        """The capabilities that are modalities (vision: an image input) it has."""
        return tuple(
            cap
            for cap, (side, value) in MODALITY_CAPABILITIES.items()
            if value in (self.modalities_in if side == "input" else self.modalities_out)
        )

    def attrs(self, with_position: bool = False) -> Markup:
        """The index row's data-* attributes: the values the filters and sorting read (and the
        registry's position of the offering, when site.js cannot derive it; see TIE_ORDERS)."""
        parts: list[tuple[str, str | None]] = [
            ("p", self.o.provider),
            ("k", self.o.kind),
            ("s", self.status),
            ("c", " ".join(self.caps) or None),
            ("i", " ".join(self.modalities_in) or None),
            ("o", " ".join(self.modalities_out) or None),
            ("x", number_attr(self.context)),
            ("m", number_attr(self.max_output)),
            ("a", number_attr(self.input_price)),
            ("b", number_attr(self.output_price)),
            ("n", str(self.position) if with_position else None),
            ("g", self.billing),
        ]
        return Markup(" ".join(f'data-{k}="{escape(v)}"' for k, v in parts if v is not None))


@dataclass(frozen=True)
class ProviderView:
    id: str
    p: Provider
    rows: tuple[Row, ...]
    page: str
    api: str


@dataclass(frozen=True)
class ModelView:
    ref: str
    m: CanonicalModel
    rows: tuple[Row, ...]
    page: str

    @property
    def name(self) -> str:
        return self.m.name or self.m.model

    @property
    def groups(self) -> tuple[OfferingGroup, ...]:
        return group_offerings(self.ref, self.rows)


def _price_sources(o: Offering) -> tuple[tuple[Source, ...], str]:
    if o.pricing is not None and o.pricing.provenance:
        return o.pricing.provenance, "price"
    if o.provenance:
        return o.provenance, "offering"
    return (), ""


def _last_checked(sources: Iterable[Source]) -> dt.date | None:
    dates = [s.checked for s in sources if s.checked is not None]
    return max(dates) if dates else None


def generated_at(generated: dt.datetime | str | None = None) -> str:
    """UTC build time, RFC 3339; ``SOURCE_DATE_EPOCH`` fixes it for reproducible builds."""
    if isinstance(generated, str):
        return generated
    if generated is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        generated = (
            dt.datetime.fromtimestamp(int(epoch), dt.UTC)
            if epoch.isdigit()
            else dt.datetime.now(dt.UTC)
        )
    if generated.tzinfo is None:
        generated = generated.replace(tzinfo=dt.UTC)
    return generated.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Site:
    """Everything the templates need, computed once from the registry."""

    def __init__(self, registry: Registry, generated: str) -> None:
        self.registry = registry
        self.generated = generated
        self.providers = registry.providers()
        ids = set(registry.ids)
        canonical = set(registry.canonical_ids)
        # the registry's order, (provider, model), which Registry.query(sort="id") keeps
        offerings = list(registry)
        # capability membership exactly as Registry.query decides it
        caps_of: dict[str, list[str]] = {}
        for cap in CAPABILITY_FIELDS:
            for o in registry.query(capabilities=[cap], include_retired=True):
                caps_of.setdefault(f"{o.provider}/{o.model}", []).append(cap)
        order = list(registry.ids)
        position = {oid: n for n, oid in enumerate(order)}
        if order == sorted(order, key=lambda i: tuple(i.split("/", 1))):
            self.tie_order = "provider-model"
        elif order == sorted(order):
            self.tie_order = "id"
        else:  # pragma: no cover - no registry builds such an order today
            self.tie_order = "position"
        rows: list[Row] = []
        for o in offerings:
            oid = f"{o.provider}/{o.model}"
            anchor = offering_anchor(o.model)
            entry = href(provider_page(o.provider), anchor)
            page = href(model_page(o.base)) if o.base in canonical else entry
            sources, origin = _price_sources(o)
            rows.append(
                Row(
                    id=oid,
                    o=o,
                    provider_name=self._provider_name(o.provider),
                    page=page,
                    entry=entry,
                    anchor=anchor,
                    caps=tuple(caps_of.get(oid, ())),
                    replacement=self._replacement(o, ids),
                    price_sources=sources,
                    price_sources_from=origin,
                    checked=_last_checked(sources),
                    position=position[oid],
                )
            )
        self.rows = rows
        by_id = {r.id: r for r in rows}
        self.by_id = by_id
        by_provider: dict[str, list[Row]] = {}
        for r in rows:
            by_provider.setdefault(r.o.provider, []).append(r)
        self.provider_views = [
            ProviderView(
                id=pid,
                p=self.providers[pid],
                rows=tuple(by_provider.get(pid, ())),
                page=provider_page(pid),
                api=provider_api_file(pid),
            )
            for pid in registry.provider_ids
        ]
        # offerings_of(ref) is cheapest input first, unknown prices last by id: the registry's
        # order of everything by input price, restricted to the model (one query, not one each)
        # a snapshot's offerings are its model's too (Registry.offerings_of)
        model_of = {ref: ref for ref in registry.canonical_ids}
        for ref in registry.canonical_ids:
            parent = registry.canonical_model(ref).snapshot_of
            if parent in model_of:
                model_of[ref] = parent
        by_base: dict[str, list[Row]] = {}
        for o in registry.query(sort="input_price", include_retired=True):
            if o.base is not None and o.base in model_of:
                row = by_id[f"{o.provider}/{o.model}"]
                by_base.setdefault(model_of[o.base], []).append(row)
                if model_of[o.base] != o.base:  # a snapshot's own page lists its own offerings
                    by_base.setdefault(o.base, []).append(row)
        self.model_views = [
            ModelView(
                ref=ref,
                m=registry.canonical_model(ref),
                rows=tuple(by_base.get(ref, ())),
                page=model_page(ref),
            )
            for ref in registry.canonical_ids
        ]

    def _provider_name(self, pid: str) -> str:
        p = self.providers.get(pid)
        return p.name if p is not None else pid

    def _replacement(self, o: Offering, ids: set[str]) -> Replacement | None:
        wanted = o.lifecycle.replacement if o.lifecycle else None
        if not wanted:
            return None
        found: str | None = None
        for candidate in (f"{o.provider}/{wanted}", wanted):
            if candidate in ids:
                found = candidate
                break
        if found is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecatedModelWarning)
                for candidate in (f"{o.provider}/{wanted}", wanted):
                    try:
                        r = self.registry.get(candidate)
                    except LookupError:  # unknown, or a bare id several providers sell
                        continue
                    found = f"{r.provider}/{r.model}"
                    break
        if found is None:
            return Replacement(wanted, None)
        provider, _, model = found.partition("/")
        return Replacement(found, href(provider_page(provider), offering_anchor(model)))

    def points(self, rows: Iterable[Row], root: str) -> list[Point]:
        """The offerings a chart can place: billed per token (a subscription's or free tier's
        figure is no price per token, as the tables say), with a known context and a positive
        input price."""
        out = []
        for r in rows:
            price = r.input_price
            if price is None or r.context is None or r.billing is not None:
                continue
            value = float(price)
            if not plottable(r.context, value):
                continue
            out.append(
                Point(
                    context=r.context,
                    price=value,
                    label=f"{r.name} ({r.id}): {usd(price)} / 1M input, "
                    f"{tokens_full(r.context)} tokens",
                    href=root + r.page,
                    group=r.o.kind or "unknown kind",
                )
            )
        return out

    def chart(self, rows: Sequence[Row], root: str, title: str, ident: str = "chart") -> Markup:
        return price_context_svg(
            self.points(rows, root), title=title, groups=(*KINDS, "unknown kind"), ident=ident
        )
