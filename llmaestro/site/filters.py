"""How the pages write values: the Jinja2 filters and globals of the site's templates.

Unknown values show as ``—``; prices are US dollars as :func:`llmaestro._money.usd` writes
them (the command line's formatting).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from llmaestro._money import usd as _usd
from llmaestro._records import ContextTier, Pricing, ServiceTierPrices

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
#: prices every offerings table shows in columns of its own
TABLE_PRICES = ("input", "output", "cache_read")


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
    return _usd(value)


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


def label(name: str) -> str:
    return name.replace("_", " ")


@dataclass(frozen=True)
class PriceLine:
    label: str
    value: str


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
        text = label(name) if unit is None else unit
        suffix = "" if unit is not None else " / 1M tokens"
        out.append(PriceLine(text.capitalize(), usd(value) + suffix))
    return out


def more_prices(pricing: Pricing | None) -> bool:
    """Whether a price list holds more than the table's columns show (so it needs details)."""
    if pricing is None:
        return False
    if pricing.tiers or pricing.service_tiers or pricing.history or pricing.effective:
        return True
    return any(getattr(pricing, f) is not None for f in PRICE_FIELDS if f not in TABLE_PRICES)
