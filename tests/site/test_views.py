"""The model-first site in a real browser: the models view (one row per canonical model, its
cheapest per-token provider, search), the index's first screen (ten offerings, headings that
stay visible), billing-aware price sorting, the chart following the filters, and a 375 px
phone layout with no horizontal page scroll. Screenshots are kept as test artefacts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlencode, urlsplit

import pytest

from llmaestro.catalog.model import MODALITIES
from llmaestro.registry.bundle_reader import CAPABILITY_FIELDS
from llmaestro.registry.core import Registry
from llmaestro.registry.filters import MODALITY_CAPABILITIES
from llmaestro.site.paths import href, model_page, offering_anchor, provider_page
from tests.site.test_browser import ids, open_index, settle, shown

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser, Page


def _query(params: dict[str, list[str]]) -> str:
    return "?" + urlencode([(k, v) for k, vs in params.items() for v in vs])


def open_models(page: Page, base: str, query: str = "") -> None:
    page.goto(base + "models.html" + query)
    page.wait_for_selector("html[data-ready]", state="attached")


def model_rows(page: Page) -> list[list[str]]:
    """[ref, cheapest seller's link text, cheapest input price] of each row shown."""
    result: list[list[str]] = page.eval_on_selector_all(
        "#models tbody tr",
        "rows => rows.map(r => [r.cells[0].querySelector('code').textContent,"
        " r.cells[5].textContent, r.cells[3].textContent])",
    )
    return result


def _cheapest_per_token(registry: Registry, ref: str) -> tuple[str, str] | None:
    """(provider name, input price text) of the lowest per-token input price of a model."""
    from llmaestro.site.filters import usd

    best = None
    for o in registry.offerings_of(ref):
        kind = o.billing.kind if o.billing else "per_token"
        status = o.lifecycle.status if o.lifecycle else None
        price = o.pricing.input if o.pricing else None
        if kind != "per_token" or status == "retired" or price is None:
            continue
        out = o.pricing.output if o.pricing and o.pricing.output is not None else float("inf")
        if best is None or (price, out) < best[0]:
            best = ((price, out), o)
    if best is None:
        return None
    o = best[1]
    return registry.provider(o.provider).name, usd(o.pricing.input if o.pricing else None)


def test_models_view_has_every_canonical_model_and_its_cheapest_provider(
    page: Page, site_url: str, registry: Registry, artifacts: Path
) -> None:
    open_models(page, site_url)
    rows = model_rows(page)
    assert [r[0] for r in rows] == list(registry.canonical_ids)
    page.screenshot(path=str(artifacts / "models.png"))
    sample = [ref for ref in registry.canonical_ids if len(registry.offerings_of(ref)) > 1][:25]
    assert sample, "no model sold by several providers"
    by_ref = {r[0]: r for r in rows}
    for ref in sample:
        expected = _cheapest_per_token(registry, ref)
        got = by_ref[ref]
        if expected is None:
            assert got[1:] == ["—", "—"], ref
        else:
            assert (got[1], got[2]) == expected, ref
    # each row links to its model page
    first = page.locator("#models tbody tr").first.locator("a").first
    assert first.get_attribute("href") == href(model_page(registry.canonical_ids[0]))


def test_models_view_search_sort_and_deep_link(
    page: Page, site_url: str, registry: Registry
) -> None:
    open_models(page, site_url)
    total = len(model_rows(page))
    lab = registry.canonical_ids[0].split("/", 1)[0]
    page.fill("#f-q", lab)
    settle(page)
    narrowed = model_rows(page)
    assert 0 < len(narrowed) < total
    texts = page.eval_on_selector_all(
        "#models tbody tr", "rows => rows.map(r => r.cells[0].textContent + ' ' + r.dataset.l)"
    )
    assert all(lab in t.lower() for t in texts)
    assert f"q={lab}" in page.url
    # sorted by cheapest input price: known prices ascending, unknown last
    page.click("#models thead button[data-sort=input_price]")
    settle(page)
    prices = [r[2] for r in model_rows(page)]
    known = [float(p.removeprefix("$")) for p in prices if p != "—"]
    assert known == sorted(known)
    assert all(p == "—" for p in prices[len(known) :])
    # the view is in the URL and a deep link restores it
    other = page.context.new_page()
    open_models(other, page.url.split("models.html")[0], "?" + page.url.split("?", 1)[1])
    assert other.input_value("#f-q") == lab
    assert model_rows(other) == model_rows(page)
    other.close()
    # a capability filter narrows it too
    page.click("button[type=reset]")
    settle(page)
    page.click("#f-more > summary")
    page.check("#f-cap-vision")
    settle(page)
    assert 0 < len(model_rows(page)) < total


def test_model_page_lists_offerings_cheapest_per_token_first(
    page: Page, site_url: str, registry: Registry, artifacts: Path
) -> None:
    ref = max(registry.canonical_ids, key=lambda r: (len(registry.offerings_of(r)), r))
    page.goto(site_url + href(model_page(ref)))
    prices = page.eval_on_selector_all(
        "#offerings tbody tr:not(.group)", "rows => rows.map(r => r.cells[4].textContent)"
    )
    known = [float(p.removeprefix("$")) for p in prices if p.startswith("$")]
    assert known == sorted(known)
    assert "$0.00" not in [p for p in prices if not p[1:2].isdigit()]
    page.screenshot(path=str(artifacts / "model-page-top.png"))


def visible_rows(page: Page) -> int:
    n: int = page.evaluate(
        """() => [...document.querySelectorAll('#offerings tbody tr')].filter(r => {
             const b = r.getBoundingClientRect();
             return b.top >= 0 && b.bottom <= innerHeight;
           }).length"""
    )
    return n


def test_first_screen_shows_ten_offerings_and_headings_stay(
    page: Page, site_url: str, artifacts: Path
) -> None:
    open_index(page, site_url)
    assert page.viewport_size == {"width": 1280, "height": 900}
    assert visible_rows(page) >= 10
    page.screenshot(path=str(artifacts / "index.png"))
    page.evaluate("window.scrollTo(0, 3000)")
    settle(page)
    box = page.locator("#offerings thead th").first.bounding_box()
    assert box is not None and 0 <= box["y"] < 5, box
    # what is under the headings' middle is a heading, not a row
    hit = page.evaluate(
        f"document.elementFromPoint(40, {box['y'] + box['height'] / 2}).closest('thead') !== null"
    )
    assert hit
    page.screenshot(path=str(artifacts / "index-scrolled.png"))


def test_price_sort_is_not_led_by_offers_billed_otherwise(
    page: Page, big_url: str, big_registry: Registry
) -> None:
    others = [o for o in big_registry if o.billing and o.billing.kind != "per_token"]
    assert others, "the synthetic catalog has offers not billed per token"
    open_index(page, big_url, "?sort=input_price")
    expected = ids(big_registry.query(sort="input_price"))
    assert shown(page) == expected[:200]
    cells = page.eval_on_selector_all(
        "#offerings tbody tr", "rows => rows.slice(0, 20).map(r => r.cells[6].textContent)"
    )
    assert all(c.startswith("$") for c in cells), cells
    # the labelled ones come after every per-token price, never as "$0.00"
    page.click("#show-all")
    settle(page)
    cells = page.eval_on_selector_all(
        "#offerings tbody tr", "rows => rows.map(r => r.cells[6].textContent)"
    )
    labels = {"subscription", "free tier", "self-hosted"}
    first_label = next(n for n, c in enumerate(cells) if c in labels)
    assert all(c in labels or c == "—" for c in cells[first_label:])
    caption = page.text_content("#caption") or ""
    assert "by input, lowest first" in caption and "billed per token first" in caption


def test_chart_follows_the_filters(page: Page, site_url: str, artifacts: Path) -> None:
    open_index(page, site_url)
    page.click("#chart-toggle")
    settle(page)
    assert page.get_attribute("#chart-toggle", "aria-expanded") == "true"
    before = page.locator("#chart-panel svg circle.pt").count()
    assert before > 100
    page.fill("#f-context", "1000000")
    settle(page)
    after = page.locator("#chart-panel svg circle.pt").count()
    assert 0 < after < before
    assert "?" in page.url and "chart=1" in page.url
    # one Tab stop: the plot; arrows move between points and say which one
    page.focus("#chart-panel svg")
    page.keyboard.press("ArrowRight")
    tip = page.text_content("#chart-tip") or ""
    assert "$" in tip and "tokens" in tip
    assert page.locator("#chart-panel [tabindex]").count() == 1
    # coloured by lab, with a legend naming each colour; hovering a point says which it is
    assert page.locator("#chart-panel .legend li").count() >= 2
    fills = page.eval_on_selector_all(
        "circle.pt", "cs => [...new Set(cs.map(c => c.getAttribute('fill')))]"
    )
    assert len(fills) >= 2, fills
    page.locator("circle.pt").last.hover(force=True)
    assert (page.text_content("#chart-tip") or "").startswith(f"{after} of {after}: ")
    # offers billed otherwise are no price per token: counted apart, by billing kind
    head = page.text_content("#chart-panel .chart-head") or ""
    assert "not billed per token" in head and "subscription" in head, head
    # the data behind it: a table of the same points, in the order the arrow keys take
    page.click("#chart-data > summary")
    rows = page.eval_on_selector_all(
        "#chart-table tbody tr", "rs => rs.map(r => r.cells[1].querySelector('code').textContent)"
    )
    assert len(rows) == after
    assert rows[0] in tip
    assert set(rows) <= set(shown(page)) | set(page.evaluate("window.llmaestroView()"))
    page.fill("#f-context", "2000000")
    settle(page)
    narrower = page.locator("#chart-panel svg circle.pt").count()
    assert 0 < narrower < after
    assert page.locator("#chart-table tbody tr").count() == narrower
    page.screenshot(path=str(artifacts / "index-chart.png"))


def _busiest_provider(registry: Registry) -> str:
    return max(registry.provider_ids, key=lambda p: (len(registry.query(provider=p)), p))


def _wordiest_provider(registry: Registry) -> str:
    """The provider whose facts hold the longest unbroken text (a docs or prices URL) or the
    most rate-limit tiers: what a narrow screen finds hardest to fit."""

    def weight(pid: str) -> tuple[int, str]:
        p = registry.provider(pid)
        urls = [u or "" for u in (p.docs_url, p.pricing_url, p.status_url)]
        return max(len(u) for u in urls) + 10 * len(p.rate_limits or ()), pid

    return max(registry.provider_ids, key=weight)


@pytest.mark.parametrize(("width", "mobile"), [(375, True), (900, False)])
def test_narrow_layout_has_no_horizontal_scroll(
    browser: Browser, site_url: str, registry: Registry, artifacts: Path, width: int, mobile: bool
) -> None:
    """A 375 px phone (and a 900 px window, where the wide tables turn into cards too)."""
    context = browser.new_context(viewport={"width": width, "height": 812}, is_mobile=mobile)
    page = context.new_page()
    ref = max(registry.canonical_ids, key=lambda r: (len(registry.offerings_of(r)), r))
    prefix = "phone" if mobile else f"w{width}"
    try:
        for path, name in (
            ("index.html", "index"),
            ("models.html", "models"),
            (href(model_page(ref)), "model"),
            (href(provider_page(_busiest_provider(registry))), "provider"),
            (href(provider_page(_wordiest_provider(registry))), "provider-facts"),
            ("providers.html", "providers"),
            ("chart.html", "chart"),
        ):
            page.goto(site_url + path)
            page.wait_for_load_state("load")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, (path, scroll)
            page.screenshot(path=str(artifacts / f"{prefix}-{name}.png"))
    finally:
        context.close()


def _headings_stay(page: Page, table: str) -> None:
    """Scrolled into the middle of ``table``, its column headings sit at the top of the
    window, on top of the rows."""
    top = page.evaluate(f"document.querySelector('{table}').getBoundingClientRect().top + scrollY")
    height = page.evaluate(f"document.querySelector('{table}').offsetHeight")
    assert height > 3 * 900, "the table is too short to scroll past its headings"
    page.evaluate(f"window.scrollTo(0, {top + height / 2})")
    settle(page)
    box = page.locator(f"{table} thead th").first.bounding_box()
    assert box is not None and 0 <= box["y"] < 5, box
    hit = page.evaluate(
        f"document.elementFromPoint(40, {box['y'] + box['height'] / 2}).closest('thead') !== null"
    )
    assert hit, "a row, not the headings, is at the top of the window"


@pytest.mark.parametrize("which", ["provider", "model"])
def test_offering_tables_keep_their_headings_in_view(
    page: Page, site_url: str, registry: Registry, artifacts: Path, which: str
) -> None:
    if which == "provider":
        path = provider_page(_busiest_provider(registry))
    else:
        path = model_page(max(registry.canonical_ids, key=lambda r: len(registry.offerings_of(r))))
    page.goto(site_url + href(path))
    _headings_stay(page, "#offerings")
    page.screenshot(path=str(artifacts / f"{which}-scrolled.png"))


def _box_facts(page: Page) -> list[tuple[str, str]]:
    """What each box of the capabilities group filters on: a capability, or a modality on a
    side (a modality capability such as vision is the modality it stands for)."""
    boxes: list[list[str]] = page.eval_on_selector_all(
        "#f-more fieldset input[type=checkbox]",
        "bs => bs.map(b => [b.name, b.value, b.dataset.mod || ''])",
    )
    facts = []
    for name, value, mod in boxes:
        if name == "capabilities" and mod:
            side, modality = mod.split(" ")
            facts.append(("input" if side == "i" else "output", modality))
        elif name == "capabilities":
            facts.append(("capability", value))
        else:
            facts.append((name.removesuffix("_modalities"), value))
    return facts


@pytest.mark.parametrize("path", ["index.html", "models.html"])
def test_capability_filters_have_one_box_per_fact(page: Page, site_url: str, path: str) -> None:
    page.goto(site_url + path)
    page.wait_for_selector("html[data-ready]", state="attached")
    facts = _box_facts(page)
    assert len(facts) == len(set(facts)), sorted(f for f in facts if facts.count(f) > 1)
    wanted = {("capability", c) for c in CAPABILITY_FIELDS if c not in MODALITY_CAPABILITIES}
    wanted |= {(side, m) for side in ("input", "output") for m in MODALITIES}
    assert set(facts) == wanted
    for fieldset in page.locator("#f-more fieldset").all():
        labels = fieldset.locator("label").all_text_contents()
        assert len(labels) == len(set(labels)), labels


def test_a_modality_deep_link_ticks_its_one_box(
    page: Page, big_url: str, big_registry: Registry
) -> None:
    wanted: dict[str, Any] = {"input_modalities": ["audio", "image"], "output_modalities": ["text"]}
    open_index(page, big_url, _query(wanted) + "&limit=all")
    assert page.is_checked("#f-cap-vision") and page.is_checked("#f-cap-audio_input")
    assert page.is_checked("#f-out-text")
    assert shown(page) == ids(big_registry.query(**wanted))


def test_ids_copy_on_click_and_anchors_are_the_ids(
    browser: Browser, site_url: str, registry: Registry
) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    try:
        open_index(page, site_url)
        code = page.locator("#offerings tbody tr").nth(3).locator("code")
        code.click()
        assert page.evaluate("navigator.clipboard.readText()") == code.text_content()
        assert f"Copied {code.text_content()}." == page.text_content("#count")
        # an offering's place on its provider's page is its id, percent-encoded where needed
        o = next(o for o in registry.query() if any(c in o.model for c in ":/@^"))
        url = href(provider_page(o.provider), offering_anchor(o.model))
        assert unquote(urlsplit(url).fragment) == o.model
        page.goto(site_url + url)
        target = page.evaluate(
            "() => { const t = document.querySelector(':target');"
            " return t && t.querySelector('code').textContent; }"
        )
        assert target == f"{o.provider}/{o.model}"
    finally:
        context.close()
