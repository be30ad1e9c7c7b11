"""Catalog measures over a registry: what ``llmaestro stats`` prints (issue 15's goals).

Pure functions of a :class:`~llmaestro.registry.core.Registry`, answered through its public
``count`` and ``query`` (so they agree with what a caller's query sees), over every offering
including retired ones unless said otherwise:

- :func:`linked_share`: chat offerings linked to a canonical model (``base``);
- :func:`unknown_context_share`: chat offerings with no context window;
- :func:`unknown_input_window_share`: chat offerings with neither a context window nor an
  input limit (``limits.max_input``): how large a prompt they take is not known at all;
- :func:`status_counts`: offerings per effective lifecycle status as of ``registry.today``;
- :func:`billing_counts`: offerings per billing kind;
- :func:`unmetered_among_cheapest`: of the ``n`` chat offerings a price sort ranks first,
  how many are not billed per token (the issue measured 14 of 20 before billing kinds).
"""

from __future__ import annotations

from llmaestro.registry.lifecycle import STATUSES
from llmaestro.registry.ranking import BILLING_KINDS, PER_TOKEN

TYPE_CHECKING = False
if TYPE_CHECKING:
    from llmaestro.registry.core import Registry


class Share:
    """``count`` of ``total`` offerings meet a measure."""

    __slots__ = ("count", "total")

    def __init__(self, count: int, total: int) -> None:
        self.count = count
        self.total = total

    @property
    def share(self) -> float:
        """``count / total`` (0.0 for no offering)."""
        return self.count / self.total if self.total else 0.0

    def as_json(self) -> dict[str, int | float]:
        return {"count": self.count, "total": self.total, "share": round(self.share, 4)}

    def __repr__(self) -> str:
        return f"Share({self.count}, {self.total})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Share):
            return NotImplemented
        return (self.count, self.total) == (other.count, other.total)

    __hash__ = None  # type: ignore[assignment]


def _chat(registry: Registry) -> int:
    return registry.count(kind="chat", include_retired=True)


def linked_share(registry: Registry) -> Share:
    """Chat offerings with a canonical model (``base``), of all chat offerings."""
    labs = {ref.split("/", 1)[0] for ref in registry.canonical_ids}
    linked = registry.count(kind="chat", lab=labs, include_retired=True) if labs else 0
    return Share(linked, _chat(registry))


def unknown_context_share(registry: Registry) -> Share:
    """Chat offerings with no context window (their own or inherited), of all chat offerings."""
    total = _chat(registry)
    known = registry.count(kind="chat", min_context=0, include_retired=True)
    return Share(total - known, total)


def unknown_input_window_share(registry: Registry) -> Share:
    """Chat offerings with neither a context window (their own or inherited) nor an input
    limit, of all chat offerings. An offering that states only ``limits.max_input`` (LiteLLM's
    ``max_input_tokens``, often all a seller publishes) has a known input window that
    ``fit_messages`` and the clients' checks use, but no total window: that input limit is
    never copied into ``limits.context`` (GPT-5 takes 272k input tokens of a 400k window)."""
    total = unknown = 0
    for offering in registry:
        if offering.kind != "chat":
            continue
        total += 1
        limits = offering.limits
        if limits is None or (limits.context is None and limits.max_input is None):
            unknown += 1
    return Share(unknown, total)


def status_counts(registry: Registry) -> dict[str, int]:
    """Offerings per effective lifecycle status as of ``registry.today`` (every offering has
    one: never None), in lifecycle order."""
    return {status: registry.count(status=status) for status in STATUSES}


def billing_counts(registry: Registry) -> dict[str, int]:
    """Offerings per billing kind (their own, or their provider's), metered first."""
    return {kind: registry.count(billing=kind, include_retired=True) for kind in BILLING_KINDS}


def unmetered_among_cheapest(registry: Registry, n: int = 20) -> Share:
    """Of the first ``n`` chat offerings by input price (a default query: retired ones left
    out), how many are not billed per token."""
    first = registry.query(kind="chat", sort="input_price", limit=n)
    other = sum(1 for o in first if o.billing is not None and o.billing.kind != PER_TOKEN)
    return Share(other, len(first))
