"""The HTML pages: the Jinja2 environment (autoescaped, strict) and the rendering of every
page from the :class:`~llmaestro.site.data.Site` data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from llmaestro.catalog.model import KINDS, MODALITIES, STATUSES
from llmaestro.registry.columns import CAPABILITY_FIELDS
from llmaestro.registry.core import Registry
from llmaestro.registry.filters import MODALITY_CAPABILITIES
from llmaestro.site.data import Site, generated_at
from llmaestro.site.filters import (
    label,
    more_prices,
    price_lines,
    safe_url,
    tokens_full,
    tokens_short,
    usd,
)
from llmaestro.site.island import island
from llmaestro.site.models_view import key_tags, model_rows
from llmaestro.site.paths import href, root_of

#: rows of the index in its HTML (the rest come from its data island; see site.js)
FIRST_ROWS = 60
TEMPLATES = Path(__file__).resolve().parent / "templates"


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
        label=label,
        href=href,
        safe_url=safe_url,
    )
    env.globals.update(
        price_lines=price_lines,
        more_prices=more_prices,
        key_tags=key_tags,
        modality_capability=modality_capability,
    )
    return env


_BY_MODALITY = {where: cap for cap, where in MODALITY_CAPABILITIES.items()}


def modality_capability(side: str, modality: str) -> str | None:
    """The capability that is ``modality`` on ``side`` ("input", "image" -> "vision"), or None:
    the filters show one box per fact, named as ``Registry.query``'s capability."""
    return _BY_MODALITY.get((side, modality))


def render_pages(
    registry: Registry, *, generated: str | None = None, only_index: bool = False
) -> dict[str, str]:
    """Every HTML page of the site (or only ``index.html``), by path from the site root."""
    return render_site(Site(registry, generated_at(generated)), only_index=only_index)


def render_site(site: Site, *, only_index: bool = False) -> dict[str, str]:
    registry = site.registry
    generated = site.generated
    env = environment()
    common: dict[str, Any] = {
        "generated": generated,
        "fingerprint": registry.info.fingerprint,
        "total": len(site.rows),
    }

    def render(template: str, path: str, **context: Any) -> str:
        root = root_of(path)
        return env.get_template(template).render(root=root, path=path, **common, **context)

    pages: dict[str, str] = {}
    kinds = [k for k in KINDS if any(r.o.kind == k for r in site.rows)]
    kinds += sorted({r.o.kind for r in site.rows if r.o.kind and r.o.kind not in KINDS})
    first = [r for r in site.rows if r.status != "retired"][:FIRST_ROWS]
    pages["index.html"] = render(
        "index.html",
        "index.html",
        first_rows=first,
        data=island(site.rows, site.provider_views, kinds, site.tie_order == "position"),
        tie_order=site.tie_order,
        providers=site.provider_views,
        kinds=kinds,
        capabilities=CAPABILITY_FIELDS,
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
    pages["models.html"] = render(
        "models.html",
        "models.html",
        models=model_rows(site.model_views),
        labs=sorted({v.m.lab for v in site.model_views}),
        kinds=[k for k in KINDS if any(v.m.kind == k for v in site.model_views)],
        capabilities=CAPABILITY_FIELDS,
        modalities=MODALITIES,
    )
    for pv in site.provider_views:
        root = root_of(pv.page)
        pages[pv.page] = render(
            "provider.html",
            pv.page,
            view=pv,
            chart=site.chart(pv.rows, root, f"{pv.p.name}: input price against context window"),
        )
    for mv in site.model_views:
        root = root_of(mv.page)
        pages[mv.page] = render(
            "model.html",
            mv.page,
            view=mv,
            chart=site.chart(mv.rows, root, f"{mv.name}: input price against context window"),
        )
    return pages
