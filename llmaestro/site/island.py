"""The index's data island: every offering as one compact JSON array in a
``<script type="application/json">``, from which site.js renders the rows it shows (the page
itself holds only the first rows as HTML, for a reader without JavaScript).

Layout of ``rows`` (``null`` is unknown), in the registry's order::

    0 id  1 name (0: the model id)  2 provider (index into providers)  3 kind  4 status
    5 capabilities (bit n: CAPABILITY_FIELDS[n])  6 / 7 input / output modalities (bit n:
    modalities[n])  8 context  9 max output  10 / 11 / 12 input / output / cache read price
    (USD per 1M tokens)  13 billing kind (0: per token)  14 price checked  15 page (from the
    site root)  16 replacement [text, href or null] or 0  17 extended context  18 lab
    (index into labs) or -1  19 registry position (only when ties are by position)

Kinds, statuses, billing kinds and labs are indexes into the lists of the same names.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from llmaestro.catalog.model import MODALITIES, STATUSES
from llmaestro.registry.columns import CAPABILITY_FIELDS
from llmaestro.registry.ranking import BILLING_KINDS, BILLING_LABELS
from llmaestro.site.data import ProviderView, Row
from llmaestro.site.models_view import KEY_CAPABILITIES


def _num(value: Decimal | int | None) -> float | int | None:
    if value is None or isinstance(value, int):
        return value
    return float(value)


def _bits(names: Sequence[str], universe: Sequence[str]) -> int:
    return sum(1 << universe.index(n) for n in names if n in universe)


def island(
    rows: Sequence[Row],
    providers: Sequence[ProviderView],
    kinds: Sequence[str],
    with_position: bool = False,
) -> Markup:
    """The ``<script type="application/json" id="data">`` element of the index."""
    pindex = {p.id: n for n, p in enumerate(providers)}
    kindex = {k: n for n, k in enumerate(kinds)}
    labs = sorted({r.o.base.split("/", 1)[0] for r in rows if r.o.base})
    lindex = {lab: n for n, lab in enumerate(labs)}
    out: list[list[Any]] = []
    for r in rows:
        o = r.o
        pricing = o.pricing
        rep: Any = 0
        if r.replacement is not None:
            rep = [r.replacement.text, r.replacement.href]
        ext = o.limits.extended_context if o.limits else None
        lab = lindex[o.base.split("/", 1)[0]] if o.base else -1
        item: list[Any] = [
            r.id,
            0 if r.name == o.model else r.name,
            pindex.get(o.provider, -1),
            kindex.get(o.kind, -1) if o.kind else -1,
            STATUSES.index(r.status) if r.status in STATUSES else -1,
            _bits(r.caps, CAPABILITY_FIELDS),
            _bits(r.modalities_in, MODALITIES),
            _bits(r.modalities_out, MODALITIES),
            r.context,
            r.max_output,
            _num(r.input_price),
            _num(r.output_price),
            _num(pricing.cache_read if pricing else None),
            BILLING_KINDS.index(r.billing) if r.billing in BILLING_KINDS else 0,
            r.checked.isoformat() if r.checked else None,
            r.page,
            rep,
            ext,
            lab,
        ]
        if with_position:
            item.append(r.position)
        out.append(item)
    doc = {
        "providers": [[p.id, p.p.name] for p in providers],
        "kinds": list(kinds),
        "statuses": list(STATUSES),
        "capabilities": list(CAPABILITY_FIELDS),
        "modalities": list(MODALITIES),
        "billing": [[k, BILLING_LABELS.get(k)] for k in BILLING_KINDS],
        "labs": labs,
        "tags": [list(t) for t in KEY_CAPABILITIES],
        "rows": out,
    }
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # nothing in it can end the script element or open a comment
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/json" id="data">{text}</script>')
