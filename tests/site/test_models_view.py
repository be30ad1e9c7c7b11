"""The model-first views without a browser: a model page groups its offerings (the model, its
variants, its snapshots), offers billed per token first; models.html names the cheapest
per-token seller and never shows a subscription as a price."""

from __future__ import annotations

import re
from typing import Any

from llmaestro.registry.core import Registry
from llmaestro.site.pages import render_pages
from llmaestro.site.paths import model_page
from tests.site.conftest import GENERATED


def _doc() -> dict[str, Any]:
    def offer(pid: str, model: str, base: str, price: float, **extra: Any) -> dict[str, Any]:
        return {
            "provider": pid,
            "model": model,
            "base": base,
            "kind": "chat",
            "limits": {"context": 128000},
            "pricing": {"input": price, "output": price * 4},
            **extra,
        }

    return {
        "providers": {p: {"provider": p, "name": p.upper()} for p in ("a", "b", "c", "d")},
        "canonical": {
            "lab/m": {"lab": "lab", "model": "m", "name": "M"},
            "lab/m-0601": {"lab": "lab", "model": "m-0601", "snapshot_of": "lab/m"},
        },
        "offerings": [
            offer("a", "m", "lab/m", 2.0),
            offer("b", "m", "lab/m", 0, billing={"kind": "subscription"}),
            offer("c", "m", "lab/m", 3.0),
            offer("c", "m-thinking", "lab/m", 4.0, variants=["thinking"]),
            offer("d", "m-0601", "lab/m-0601", 1.0),
        ],
    }


def test_model_page_groups_and_orders_offerings() -> None:
    pages = render_pages(Registry.from_document(_doc()), generated=GENERATED)
    page = pages[model_page("lab/m")]
    groups = re.findall(r'<tr class="group"><th[^>]*>([^<]*)</th>', page)
    assert groups == [
        "This model (3)",
        "This model, variant thinking (1)",
        "Snapshot lab/m-0601 (1)",
    ]
    order = re.findall(r"<code>([a-d]/m[^<]*)</code>", page)
    assert order == ["a/m", "c/m", "b/m", "c/m-thinking", "d/m-0601"]
    assert "$0.00" not in page.split('id="offerings"')[1].split("</table>")[0]


def test_models_view_names_the_cheapest_per_token_seller() -> None:
    pages = render_pages(Registry.from_document(_doc()), generated=GENERATED)
    row = next(line for line in pages["models.html"].splitlines() if "<code>lab/m</code>" in line)
    # the snapshot's offer counts: it is the model's too (Registry.offerings_of)
    assert ">$1.00<" in row and ">D</a>" in row and "$0.00" not in row
    assert 'data-pv="4"' in row
