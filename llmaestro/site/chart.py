"""Price-against-context scatter charts as inline SVG, rendered at build time (log-log scales).

No script and no external resource: each point is a circle with a ``<title>`` (the browser's
tooltip and the accessible name) inside a link to the offering's page, grouped by colour. The
links are no Tab stops (a page's table lists the same offerings); the index's chart, tied to
its filters, is drawn by static/chart.js.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

#: Okabe-Ito colours (distinguishable with the common colour-vision deficiencies).
PALETTE: tuple[str, ...] = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#d55e00",
    "#cc79a7",
    "#56b4e9",
    "#000000",
    "#999999",
    "#b8860b",
)


@dataclass(frozen=True)
class Point:
    """One offering on the chart: context window (tokens) against input price (USD / 1M)."""

    context: int
    price: float
    label: str
    href: str | None
    group: str


def plottable(context: int | None, price: float | None) -> bool:
    """Whether a point can sit on log scales: both values known and positive."""
    return context is not None and context > 0 and price is not None and price > 0


def _decades(low: float, high: float) -> tuple[int, int]:
    lo = math.floor(math.log10(low))
    hi = math.ceil(math.log10(high))
    if hi <= lo:
        hi = lo + 1
    return lo, hi


def _token_label(exponent: int) -> str:
    value = 10**exponent
    for size, suffix in ((10**9, "B"), (10**6, "M"), (10**3, "K")):
        if value >= size:
            return f"{value // size}{suffix}"
    return str(value)


def _price_label(exponent: int) -> str:
    if exponent >= 0:
        return f"${10**exponent:,}"
    return f"${10.0**exponent:.{-exponent}f}"


def price_context_svg(
    points: Sequence[Point],
    *,
    title: str,
    groups: Sequence[str] = (),
    ident: str = "chart",
    width: int = 760,
    height: int = 440,
) -> Markup:
    """An SVG scatter chart of ``points`` (log-log), as markup safe to inline in HTML.

    ``groups`` fixes the colour order (a group not listed gets the next free colour);
    ``ident`` prefixes the element ids (unique per page).
    """
    left, right, top, bottom = 64, 16, 16, 48
    plot_w = width - left - right
    plot_h = height - top - bottom
    shown = [p for p in points if plottable(p.context, p.price)]
    order: list[str] = [g for g in groups if any(p.group == g for p in shown)]
    for p in shown:
        if p.group not in order:
            order.append(p.group)
    colour = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(order)}
    legend_h = 18 * len(order)
    total_h = height + (legend_h + 8 if order else 0)

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {total_h}"'
        f' width="{width}" height="{total_h}" role="img"'
        f' aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">Input price in US dollars per million tokens (vertical, log'
        f" scale) against context window in tokens (horizontal, log scale);"
        f" {len(shown)} offerings.</desc>",
    ]
    if not shown:
        out.append(
            f'<text x="{width / 2:.0f}" y="{height / 2:.0f}" text-anchor="middle">'
            "No offering with a known context and a positive input price.</text></svg>"
        )
        return Markup("".join(out))

    x_lo, x_hi = _decades(min(p.context for p in shown), max(p.context for p in shown))
    y_lo, y_hi = _decades(min(p.price for p in shown), max(p.price for p in shown))

    def sx(value: float) -> float:
        return left + (math.log10(value) - x_lo) / (x_hi - x_lo) * plot_w

    def sy(value: float) -> float:
        return top + plot_h - (math.log10(value) - y_lo) / (y_hi - y_lo) * plot_h

    out.append('<g class="axes" stroke="#ccc" stroke-width="1">')
    for e in range(x_lo, x_hi + 1):
        x = sx(10.0**e)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}"/>')
    for e in range(y_lo, y_hi + 1):
        y = sy(10.0**e)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}"/>')
    out.append("</g>")
    out.append('<g class="labels" font-size="12" fill="currentColor">')
    for e in range(x_lo, x_hi + 1):
        x = sx(10.0**e)
        out.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
            f"{_token_label(e)}</text>"
        )
    for e in range(y_lo, y_hi + 1):
        y = sy(10.0**e)
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_price_label(e)}</text>'
        )
    out.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{top + plot_h + 36}" text-anchor="middle">'
        "Context window (tokens, log scale)</text>"
    )
    out.append(
        f'<text transform="translate(14 {top + plot_h / 2:.0f}) rotate(-90)"'
        ' text-anchor="middle">Input $ / 1M tokens (log)</text>'
    )
    out.append("</g>")

    for group in order:
        out.append(f'<g fill="{colour[group]}" fill-opacity="0.7" class="pts">')
        for p in shown:
            if p.group != group:
                continue
            circle = (
                f'<circle cx="{sx(p.context):.1f}" cy="{sy(p.price):.1f}" r="4">'
                f"<title>{escape(p.label)}</title></circle>"
            )
            # a link for the pointer, no Tab stop: the page's table lists the same offerings
            link = f'<a href="{escape(p.href)}" tabindex="-1">{circle}</a>'
            out.append(link if p.href else circle)
        out.append("</g>")

    out.append(f'<g class="legend" font-size="12" transform="translate({left} {height})">')
    for i, group in enumerate(order):
        y = 18 * i
        count = sum(1 for p in shown if p.group == group)
        out.append(
            f'<circle cx="6" cy="{y + 6}" r="5" fill="{colour[group]}"/>'
            f'<text x="18" y="{y + 10}" fill="currentColor">{escape(group)} ({count})</text>'
        )
    out.append("</g></svg>")
    return Markup("".join(out))
