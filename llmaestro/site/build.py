"""Render the catalog site from a registry: HTML pages (Jinja2, autoescaped) and JSON API files.

Layout of the output folder (every link in it is relative, so the site works under any path)::

    index.html                    every offering: filters, sorting, text search (site.js)
    providers.html                every provider
    providers/<provider>.html     a provider: facts, rate limits, its offerings, a chart
    models.html                   every canonical model
    models/<lab>/<model>.html     a canonical model: every offering of it compared
    chart.html                    input price against context window, every offering
    static/site.css, site.js      the only assets; no framework, no CDN
    api/index.json                ids, pages and files (paths relative to api/index.json)
    api/catalog.json              the whole catalog in the JSON export format
    api/providers/<provider>.json one provider, its offerings and their canonical models
    api/export.schema.json        the JSON Schema of those files
    schemas/v1/<name>.schema.json the catalog files' JSON Schemas, at their `$id` URLs

File names come from :func:`llmaestro.catalog.paths.encode_id`, so any id is a safe, portable
path. A build writes into a fresh folder next to ``OUT`` and swaps it in at the end, so a
failed build never leaves half a site behind.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup, escape

from llmaestro._records import (
    CanonicalModel,
    ContextTier,
    Offering,
    Pricing,
    Provider,
    ServiceTierPrices,
    Source,
)
from llmaestro.catalog.jsonschemas import SITE_SCHEMA_DIR, schema_texts
from llmaestro.catalog.model import KINDS, MODALITIES, STATUSES
from llmaestro.catalog.paths import encode_id
from llmaestro.errors import LLMaestroError
from llmaestro.registry.core import (
    CAPABILITY_FIELDS,
    MODALITY_CAPABILITIES,
    DeprecatedModelWarning,
    Registry,
)
from llmaestro.site.chart import Point, plottable, price_context_svg

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
#: A file every built site holds; a build only replaces a folder that has it (or is empty).
MARKER = ".llmaestro-site"
#: Format name and version of ``api/index.json``.
INDEX_FORMAT = "llmaestro-site-index"
INDEX_VERSION = 1

#: Every price field of a price set, in the data model's order.
PRICE_FIELDS: tuple[str, ...] = ContextTier._fields[1:]
_PER_UNIT = {
    "per_image": "per image",
    "per_input_image": "per input image",
    "per_second": "per second",
    "per_1k_characters": "per 1K characters",
    "per_request": "per request",
    "per_web_search": "per web search",
    "per_1k_web_searches": "per 1K web searches",
}
_SAFE = "/-_.~"
#: How site.js orders rows with equal sort values, as ``Registry.query(sort=...)`` does: by the
#: registry's own order of its offerings, which is by provider then model (a compiled bundle),
#: by id as text (a registry from an export), or else given per row (``data-n``).
TIE_ORDERS = ("provider-model", "id", "position")


class SiteError(LLMaestroError):
    """The site cannot be built where asked."""


# --- paths and formatting -----------------------------------------------------------------------


def provider_page(provider_id: str) -> str:
    """Path of a provider's page, from the site root (not URL-quoted)."""
    return f"providers/{encode_id(provider_id)}.html"


def model_page(ref: str) -> str:
    """Path of a canonical model's page (``lab/model``), from the site root."""
    return f"models/{encode_id(ref)}.html"


def provider_api_file(provider_id: str) -> str:
    return f"api/providers/{encode_id(provider_id)}.json"


def offering_anchor(model: str) -> str:
    """The element id of an offering's entry on its provider's page."""
    return "o-" + encode_id(model)


def href(path: str, anchor: str | None = None) -> str:
    """A relative URL for a site path (and fragment): encoded names never need more than
    quoting of ``^``, but quoting everything else keeps any path a valid URL."""
    url = quote(path, safe=_SAFE)
    return f"{url}#{quote(anchor, safe=_SAFE)}" if anchor else url


def tokens_short(n: int | None) -> str:
    """128000 → ``128K``, 1048576 → ``1.05M``; unknown → ``—``."""
    if n is None:
        return "—"
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if n >= size:
            return f"{n / size:.3g}{suffix}"
    return str(n)


def tokens_full(n: int | None) -> str:
    return "—" if n is None else f"{n:,}"


def usd(value: Decimal | None) -> str:
    """A price as written in the catalog, with at least two decimals: ``$2.50``, ``$0.075``."""
    if value is None:
        return "—"
    text = format(value, "f")
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    return f"${whole}.{frac.ljust(2, '0')}"


def number_attr(value: Decimal | int | None) -> str | None:
    """A number for a data-* attribute: shortest exact decimal text (JavaScript's
    ``Number()`` of it equals Python's ``float()`` of the price, as the registry compares)."""
    if value is None:
        return None
    if isinstance(value, int):
        return str(value)
    text = format(value.normalize(), "f")
    return text


def safe_url(url: str | None) -> str | None:
    """An outside link only when it is http(s): never ``javascript:`` or ``data:``, whatever
    a catalog (or an overlay) holds."""
    if url and urlsplit(url).scheme in ("http", "https"):
        return url
    return None


def _label(name: str) -> str:
    return name.replace("_", " ")


# --- view models --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceLine:
    label: str
    value: str


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


def price_lines(pricing: Pricing | ServiceTierPrices | ContextTier | None) -> list[PriceLine]:
    """Every known price of a price set, labelled with its unit."""
    if pricing is None:
        return []
    out = []
    for name in PRICE_FIELDS:
        value = getattr(pricing, name)
        if value is None:
            continue
        unit = _PER_UNIT.get(name)
        label = _label(name) if unit is None else unit
        suffix = "" if unit is not None else " / 1M tokens"
        out.append(PriceLine(label.capitalize(), usd(value) + suffix))
    return out


#: prices every offerings table shows in columns of its own
TABLE_PRICES = ("input", "output", "cache_read")


def more_prices(pricing: Pricing | None) -> bool:
    """Whether a price list holds more than the table's columns show (so it needs details)."""
    if pricing is None:
        return False
    if pricing.tiers or pricing.service_tiers or pricing.history or pricing.effective:
        return True
    return any(getattr(pricing, f) is not None for f in PRICE_FIELDS if f not in TABLE_PRICES)


def _price_sources(o: Offering) -> tuple[tuple[Source, ...], str]:
    if o.pricing is not None and o.pricing.provenance:
        return o.pricing.provenance, "price"
    if o.provenance:
        return o.provenance, "offering"
    return (), ""


def _last_checked(sources: Iterable[Source]) -> dt.date | None:
    dates = [s.checked for s in sources if s.checked is not None]
    return max(dates) if dates else None


# --- the build ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteBuild:
    """What a build wrote."""

    out: Path
    pages: tuple[str, ...]
    files: int
    offerings: int
    index_bytes: int
    index_gzip_bytes: int
    seconds: float

    def summary(self) -> str:
        return (
            f"{self.out}: {len(self.pages)} pages, {self.files} files, {self.offerings} "
            f"offerings; index.html {self.index_bytes / 1e6:.2f} MB "
            f"({self.index_gzip_bytes / 1e6:.3f} MB gzip) in {self.seconds:.1f} s"
        )


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


def gzip_size(data: bytes) -> int:
    """Bytes on the wire with gzip at level 6 (web servers' usual setting)."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def environment() -> jinja2.Environment:
    """The Jinja2 environment: autoescape on for everything, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        tokens_short=tokens_short,
        tokens_full=tokens_full,
        usd=usd,
        label=_label,
        href=href,
        safe_url=safe_url,
    )
    env.globals.update(price_lines=price_lines, more_prices=more_prices)
    return env


class _Site:
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
        by_base: dict[str, list[Row]] = {}
        for o in registry.query(sort="input_price", include_retired=True):
            if o.base is not None:
                by_base.setdefault(o.base, []).append(by_id[f"{o.provider}/{o.model}"])
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
        out = []
        for r in rows:
            price = r.input_price
            if price is None or r.context is None:
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


def _root(path: str) -> str:
    return "../" * path.count("/")


def _api_documents(registry: Registry, generated: str, site: _Site) -> dict[str, str]:
    """The JSON API files, by path from the site root."""
    from llmaestro.exports import export_document

    doc = export_document(registry, generated=generated)
    files: dict[str, str] = {"api/catalog.json": _dumps(doc)}
    head = {k: v for k, v in doc.items() if k not in ("providers", "canonical_models", "offerings")}
    canonical = {f"{m['lab']}/{m['model']}": m for m in doc["canonical_models"]}
    offerings_by: dict[str, list[dict[str, Any]]] = {}
    for o in doc["offerings"]:
        offerings_by.setdefault(o["provider"], []).append(o)
    for p in doc["providers"]:
        pid = p["provider"]
        own = offerings_by.get(pid, [])
        bases = sorted({o["base"] for o in own if o.get("base") in canonical})
        files[provider_api_file(pid)] = _dumps(
            {
                **head,
                "providers": [p],
                "canonical_models": [canonical[b] for b in bases],
                "offerings": own,
            }
        )
    files["api/export.schema.json"] = _schema_text()
    files["api/index.json"] = _dumps(_index_document(site, generated))
    files.update(_published_schemas())
    return files


def _published_schemas() -> dict[str, str]:
    """The generated JSON Schemas (as ``llmaestro schemas`` writes them) where their ``$id``
    points: ``schemas/v1/<name>`` of the site (see ``SCHEMA_BASE_URL``)."""
    return {f"{SITE_SCHEMA_DIR}/{name}": text for name, text in schema_texts().items()}


def _dumps(doc: Any) -> str:
    # the same text llmaestro.exports.export_json writes
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _schema_text() -> str:
    """``schemas/export.schema.json`` of a source checkout, else the same text rendered from
    the data model (the pre-commit hook keeps the two equal)."""
    checked_in = HERE.parent.parent / "schemas" / "export.schema.json"
    if checked_in.is_file():
        return checked_in.read_text("utf-8")
    from llmaestro.catalog.export_model import render_export_schema

    return render_export_schema()


def _rel_api(path: str, anchor: str | None = None) -> str:
    """A URL of a site path (not quoted yet), relative to ``api/index.json``."""
    if path.startswith("api/"):
        return href(path[len("api/") :], anchor)
    return href("../" + path, anchor)


def _index_document(site: _Site, generated: str) -> dict[str, Any]:
    return {
        "format": INDEX_FORMAT,
        "version": INDEX_VERSION,
        "generated": generated,
        "fingerprint": site.registry.info.fingerprint,
        "catalog": "catalog.json",
        "schema": "export.schema.json",
        "providers": [
            {
                "id": v.id,
                "name": v.p.name,
                "file": _rel_api(v.api),
                "page": _rel_api(v.page),
                "offerings": [r.id for r in v.rows],
            }
            for v in site.provider_views
        ],
        "canonical_models": [
            {
                "id": v.ref,
                "name": v.name,
                "page": _rel_api(v.page),
                "offerings": [r.id for r in v.rows],
            }
            for v in site.model_views
        ],
        "offerings": [
            {
                "id": r.id,
                "provider": r.o.provider,
                "model": r.o.model,
                "base": r.o.base,
                "page": _rel_api(provider_page(r.o.provider), r.anchor),
            }
            for r in site.rows
        ],
    }


def _prepare(out: Path) -> None:
    here = Path.cwd().resolve()
    if out == here or out in here.parents:
        raise SiteError(f"{out}: the current folder (or one above it); choose a new folder")
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise SiteError(
            f"{out}: folder is not empty and holds no site built by llmaestro; "
            "refusing to replace it (choose an empty or new folder)"
        )


def _write(tmp: Path, path: str, text: str | bytes) -> None:
    target = (tmp / path).resolve()
    if tmp.resolve() not in target.parents:  # pragma: no cover - encode_id forbids it
        raise SiteError(f"refusing to write outside the site: {path}")
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, "utf-8")


def render_pages(
    registry: Registry, *, generated: str | None = None, only_index: bool = False
) -> dict[str, str]:
    """Every HTML page of the site (or only ``index.html``), by path from the site root."""
    return _render(_Site(registry, generated_at(generated)), only_index=only_index)


def _render(site: _Site, *, only_index: bool = False) -> dict[str, str]:
    registry = site.registry
    generated = site.generated
    env = environment()
    common: dict[str, Any] = {
        "generated": generated,
        "fingerprint": registry.info.fingerprint,
        "total": len(site.rows),
    }

    def render(template: str, path: str, **context: Any) -> str:
        root = _root(path)
        return env.get_template(template).render(root=root, path=path, **common, **context)

    pages: dict[str, str] = {}
    kinds = [k for k in KINDS if any(r.o.kind == k for r in site.rows)]
    kinds += sorted({r.o.kind for r in site.rows if r.o.kind and r.o.kind not in KINDS})
    pages["index.html"] = render(
        "index.html",
        "index.html",
        rows=site.rows,
        tie_order=site.tie_order,
        providers=site.provider_views,
        kinds=kinds,
        capabilities=CAPABILITY_FIELDS,
        modality_capabilities=MODALITY_CAPABILITIES,
        modalities=MODALITIES,
        statuses=STATUSES,
    )
    if only_index:
        return pages
    pages["chart.html"] = render(
        "chart.html",
        "chart.html",
        chart=site.chart(site.rows, "", "Input price against context window, every offering"),
        plotted=len(site.points(site.rows, "")),
    )
    pages["providers.html"] = render(
        "providers.html", "providers.html", providers=site.provider_views
    )
    pages["models.html"] = render("models.html", "models.html", models=site.model_views)
    for pv in site.provider_views:
        root = _root(pv.page)
        pages[pv.page] = render(
            "provider.html",
            pv.page,
            view=pv,
            chart=site.chart(pv.rows, root, f"{pv.p.name}: input price against context window"),
        )
    for mv in site.model_views:
        root = _root(mv.page)
        pages[mv.page] = render(
            "model.html",
            mv.page,
            view=mv,
            chart=site.chart(mv.rows, root, f"{mv.name}: input price against context window"),
        )
    return pages


def build_site(
    registry: Registry,
    out: str | os.PathLike[str],
    *,
    generated: dt.datetime | str | None = None,
) -> SiteBuild:
    """Build the site of ``registry`` into the folder ``out`` (created or replaced).

    ``out`` must be missing, empty, or a site an earlier build wrote; anything else raises
    :class:`SiteError` rather than deleting files.
    """
    start = time.perf_counter()
    target = Path(out).resolve()
    _prepare(target)
    stamp = generated_at(generated)
    site = _Site(registry, stamp)
    pages = _render(site)
    files: dict[str, str | bytes] = dict(pages)
    files.update(_api_documents(registry, stamp, site))
    for name in ("site.css", "site.js"):
        files[f"static/{name}"] = (STATIC / name).read_bytes()
    files[".nojekyll"] = b""
    files[MARKER] = f"built by llmaestro site build at {stamp}\n"

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        for path, text in files.items():
            _write(tmp, path, text)
        tmp.chmod(0o755)
        old: Path | None = None
        if target.exists():
            old = target.with_name(f".{target.name}-old-{os.getpid()}")
            target.rename(old)
        tmp.rename(target)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    index = pages["index.html"].encode("utf-8")
    return SiteBuild(
        out=target,
        pages=tuple(sorted(pages)),
        files=len(files),
        offerings=len(site.rows),
        index_bytes=len(index),
        index_gzip_bytes=gzip_size(index),
        seconds=time.perf_counter() - start,
    )
