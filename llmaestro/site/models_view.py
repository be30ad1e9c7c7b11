"""The model-first views: one :class:`ModelRow` per canonical model for ``models.html`` (its
providers, its cheapest per-token offer, context, release, key capabilities), and the offerings
of a model page in groups (the model, its variants, its snapshots), cheapest per-token first,
then subscriptions, free tiers and self-hosted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from llmaestro._records import CanonicalModel
from llmaestro.registry.columns import CAPABILITY_FIELDS
from llmaestro.registry.filters import MODALITY_CAPABILITIES
from llmaestro.site.filters import number_attr

TYPE_CHECKING = False
if TYPE_CHECKING:
    from llmaestro.site.data import ModelView, Row

#: Billing kinds in the order a model page lists them (None: per token).
BILLING_ORDER: tuple[str | None, ...] = (None, "subscription", "free_tier", "self_hosted")

#: The capabilities a table shows as tags: (capability, tag, what the tag stands for).
KEY_CAPABILITIES: tuple[tuple[str, str, str], ...] = (
    ("tool_calling", "tools", "tool calling"),
    ("vision", "vision", "image input"),
    ("reasoning", "reason", "reasoning"),
    ("structured_output", "schema", "structured output"),
    ("prompt_caching", "cache", "prompt caching"),
    ("pdf_input", "pdf", "PDF input"),
    ("audio_input", "audio", "audio input"),
    ("web_search", "web", "web search"),
)


def billing_rank(row: Row) -> int:
    kind = row.billing
    return BILLING_ORDER.index(kind) if kind in BILLING_ORDER else len(BILLING_ORDER)


def key_tags(caps: Sequence[str]) -> Markup:
    """Short tags for the key capabilities in ``caps``, each with its full name as text
    alternative (``<abbr title>``)."""
    have = set(caps)
    return Markup(" ").join(
        Markup('<abbr class="tag" title="{}">{}</abbr>').format(full, tag)
        for cap, tag, full in KEY_CAPABILITIES
        if cap in have
    )


def capabilities_of(m: CanonicalModel, rows: Sequence[Row]) -> tuple[str, ...]:
    """The capabilities of a model: what its record says, or what any offering of it has (the
    index's names: the typed fields, then the modality capabilities)."""
    have: set[str] = set()
    c = m.capabilities
    if c is not None:
        for name in CAPABILITY_FIELDS:
            value = getattr(c, name)
            if name == "reasoning":
                value = value is not None and value.supported
            if value:
                have.add(name)
    for r in rows:
        have.update(r.caps)
    mods = m.modalities
    for cap, (side, value) in MODALITY_CAPABILITIES.items():
        own = (mods.input if side == "input" else mods.output) if mods else None
        if (own and value in own) or any(
            value in (r.modalities_in if side == "input" else r.modalities_out) for r in rows
        ):
            have.add(cap)
    order = (*CAPABILITY_FIELDS, *MODALITY_CAPABILITIES)
    return tuple(c for c in order if c in have)


@dataclass(frozen=True)
class OfferingGroup:
    """Offerings of a model page shown together: the model itself, a variant, a snapshot."""

    title: str
    rows: tuple[Row, ...]


def group_offerings(ref: str, rows: Sequence[Row]) -> tuple[OfferingGroup, ...]:
    """``rows`` (cheapest input first) grouped by snapshot and variant: the model's own
    offerings first, then its variants, then its snapshots; in each, offers billed per token
    first (cheapest first), then subscriptions, free tiers, self-hosted."""
    groups: dict[tuple[str, tuple[str, ...]], list[Row]] = {}
    for r in rows:
        key = (r.o.base or ref, tuple(r.o.variants or ()))
        groups.setdefault(key, []).append(r)

    def order(key: tuple[str, tuple[str, ...]]) -> tuple[bool, str, tuple[str, ...]]:
        return (key[0] != ref, key[0], key[1])

    out = []
    for key in sorted(groups, key=order):
        base, variants = key
        title = "This model" if base == ref else f"Snapshot {base}"
        if variants:
            title += ", variant " + " + ".join(variants)
        # sorted() is stable: the price order holds within each billing kind
        out.append(OfferingGroup(title, tuple(sorted(groups[key], key=billing_rank))))
    return tuple(out)


@dataclass(frozen=True)
class ModelRow:
    """One canonical model on ``models.html``."""

    view: ModelView
    #: how many providers sell it (retired offerings left out)
    providers: int
    #: its cheapest per-token offer (lowest input price, then output), retired left out
    cheapest: Row | None
    caps: tuple[str, ...]

    @property
    def m(self) -> CanonicalModel:
        return self.view.m

    @property
    def context(self) -> int | None:
        own = self.m.limits.context if self.m.limits else None
        if own is not None:
            return own
        known = [r.context for r in self.view.rows if r.context is not None]
        return max(known) if known else None

    @property
    def extended_context(self) -> int | None:
        own = self.m.limits.extended_context if self.m.limits else None
        if own is not None:
            return own
        known = [
            r.o.limits.extended_context
            for r in self.view.rows
            if r.o.limits and r.o.limits.extended_context
        ]
        return max(known) if known else None

    @property
    def released(self) -> dt.date | None:
        return self.m.lifecycle.release_date if self.m.lifecycle else None

    @property
    def tags(self) -> Markup:
        return key_tags(self.caps)

    def attrs(self) -> Markup:
        """The models table's data-* attributes, read by site.js's filters and sorting."""
        mods = self.m.modalities
        ins = set(mods.input or ()) if mods else set()
        outs = set(mods.output or ()) if mods else set()
        for r in self.view.rows:
            ins.update(r.modalities_in)
            outs.update(r.modalities_out)
        cheap = self.cheapest
        parts: list[tuple[str, str | None]] = [
            ("l", self.m.lab),
            ("k", self.m.kind),
            ("c", " ".join(self.caps) or None),
            ("i", " ".join(sorted(ins)) or None),
            ("o", " ".join(sorted(outs)) or None),
            ("x", number_attr(self.context)),
            ("pv", str(self.providers)),
            ("a", number_attr(cheap.input_price) if cheap else None),
            ("b", number_attr(cheap.output_price) if cheap else None),
            ("r", self.released.isoformat() if self.released else None),
        ]
        return Markup(" ".join(f'data-{k}="{escape(v)}"' for k, v in parts if v is not None))


def cheapest_per_token(rows: Sequence[Row]) -> Row | None:
    """The offer billed per token with the lowest known input price (then output price, then
    the given order), retired offerings left out."""
    best: Row | None = None
    for r in rows:
        if r.billing is not None or r.status == "retired" or r.input_price is None:
            continue
        if best is None or (r.input_price, _or_inf(r)) < (best.input_price, _or_inf(best)):
            best = r
    return best


def _or_inf(r: Row) -> float:
    return float(r.output_price) if r.output_price is not None else float("inf")


def model_rows(views: Sequence[ModelView]) -> list[ModelRow]:
    out = []
    for v in views:
        live = [r for r in v.rows if r.status != "retired"]
        out.append(
            ModelRow(
                view=v,
                providers=len({r.o.provider for r in live}),
                cheapest=cheapest_per_token(v.rows),
                caps=capabilities_of(v.m, v.rows),
            )
        )
    return out
