"""Billing kinds in rankings: which per-token prices compare, and how the others are named.

An offering is billed ``per_token`` (metered tokens), by ``subscription`` (a coding or token
plan), in a ``free_tier`` (free within limits) or ``self_hosted`` (a local runtime, or billed
per instance or hour); the bundle's ``C_BILLING`` column holds each offering's kind, its
provider's when it says none. Only ``per_token`` prices are prices to rank: ``0`` per token
there means free, while the others' per-token figures (often ``0``) are not what one pays.
So, in every registry query:

- a price sort ranks the ``per_token`` offerings first (by their price), then the offerings
  of the other kinds (by their per-token figure), then those whose price is unknown;
- a price bound (``max_input_price`` …) passes only ``per_token`` offerings unless the query
  names other kinds in ``billing=``;
- ``cheapest()`` (and ``cheapest_model_for``) consider ``per_token`` offerings only, unless
  ``billing=`` names other kinds (``billing="any"``: every kind), which then rank after the
  ``per_token`` ones.

>>> sorted(billing_kinds(["per_token", "free_tier"]))
['free_tier', 'per_token']
>>> len(billing_kinds("any"))
4
>>> BILLING_LABELS["self_hosted"]
'self-hosted'
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

#: The billing kinds, the metered one first.
BILLING_KINDS: tuple[str, ...] = ("per_token", "subscription", "free_tier", "self_hosted")

#: The kind whose prices rank against each other.
PER_TOKEN = "per_token"

#: ``billing="any"``: every kind.
ANY = "any"

#: What a table or page shows instead of a per-token price for the other kinds.
BILLING_LABELS: dict[str, str] = {
    "subscription": "subscription",
    "free_tier": "free tier",
    "self_hosted": "self-hosted",
}


def billing_kinds(value: str | Iterable[str] | None) -> frozenset[str] | None:
    """The billing kinds a ``billing=`` filter names (``"any"``: all of them), None for no
    filter; ValueError naming the known kinds for an unknown one."""
    if value is None:
        return None
    names = (value,) if isinstance(value, str) else tuple(value)
    if ANY in names:
        return frozenset(BILLING_KINDS)
    for name in names:
        if name not in BILLING_KINDS:
            raise ValueError(
                f"unknown billing kind `{name}` (known: {', '.join(BILLING_KINDS)}, or `any`)"
            )
    return frozenset(names)


def billing_label(kind: str | None) -> str | None:
    """The label shown instead of a price for an offering not billed per token (None for
    ``per_token``, whose prices are shown as they are)."""
    return BILLING_LABELS.get(kind or PER_TOKEN)
