"""What a detector observed: :class:`Observation` (one complete listing of one provider) of
:class:`ObservedOffering` records, and the dotted catalog paths their facts are addressed by.

A fact lives at a dotted path of the catalog's offering data (``pricing.input``,
``limits.context``, ``capabilities.tool_calling``…); a *membership* path asks whether a member
is in a list (``modalities.input[image]``). :func:`get_fact` reads a path, :func:`set_fact`
writes one, and :func:`with_member` adds or removes a list member in the catalog's canonical
modality order. The detectors (:mod:`llmaestro.refresh.detectors`) produce observations; the
drift plan (:mod:`llmaestro.refresh.plan`), the YAML editor and the seed's factory read them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "MODALITY_ORDER",
    "Observation",
    "ObservedOffering",
    "get_fact",
    "set_fact",
    "split_path",
    "with_member",
]

#: The catalog's modalities in their canonical order.
MODALITY_ORDER: tuple[str, ...] = ("text", "image", "audio", "video", "pdf")


@dataclass(frozen=True, slots=True)
class ObservedOffering:
    """What one listing entry says about one offering.

    ``facts`` maps dotted catalog paths to values in the catalog's units (USD per 1M tokens,
    tokens, :class:`datetime.date`, modality tuples); ``authoritative`` names the paths of
    ``facts`` the provider's API is the authority for (drift may correct those);
    ``fill_only`` those it may only add where the catalog does not know them; every other
    fact is informative (used for new offerings only).
    """

    model_id: str
    facts: Mapping[str, Any]
    authoritative: frozenset[str] = frozenset()
    fill_only: frozenset[str] = frozenset()
    aliases: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def authoritative_facts(self) -> dict[str, Any]:
        """The facts this API is authoritative for (including fill-only ones)."""
        return {
            k: v for k, v in self.facts.items() if k in self.authoritative or k in self.fill_only
        }


@dataclass(frozen=True, slots=True)
class Observation:
    """One complete listing of one provider, translated."""

    provider: str
    """Catalog provider id."""
    detector: str
    """Detector name (``openai``, ``anthropic``…)."""
    url: str
    """The listing endpoint that was read."""
    fetched_at: dt.datetime
    """When the listing was read (UTC)."""
    offerings: tuple[ObservedOffering, ...]
    complete_listing: bool = True
    """Whether a model absent from the listing is gone (False for local servers)."""
    probed: bool = False
    """Whether active probes added facts."""
    notes: tuple[str, ...] = ()
    """What the detector skipped and why (fine-tunes, inactive models…)."""

    @property
    def source(self) -> str:
        """The provenance name of these facts: ``detector:<provider>``."""
        return f"detector:{self.provider}"

    def by_id(self) -> dict[str, ObservedOffering]:
        return {o.model_id: o for o in self.offerings}


# --- dotted fact paths ------------------------------------------------------------------------


def split_path(path: str) -> tuple[list[str], str | None]:
    """``"modalities.input[image]"`` → ``(["modalities", "input"], "image")``: a path and,
    for membership facts (is ``image`` among the input modalities?), the member."""
    member = None
    if path.endswith("]") and "[" in path:
        path, _, rest = path.partition("[")
        member = rest[:-1]
    return path.split("."), member


def get_fact(data: Mapping[str, Any] | None, path: str) -> Any:
    """The value at a dotted ``path`` of nested mappings (None when absent); for a
    membership path, whether the member is in the list (None when the list is absent)."""
    parts, member = split_path(path)
    node: Any = data
    for part in parts:
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    if member is None or node is None:
        return node
    return member in node


def set_fact(data: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted ``path`` in nested dicts, creating them; for a membership path, add or
    remove the member (keeping :data:`MODALITY_ORDER` for modalities; an unknown list starts
    from ``["text"]``, and removing from an unknown list changes nothing)."""
    parts, member = split_path(path)
    if member is not None:
        value = with_member(get_fact(data, ".".join(parts)), member, bool(value))
        if value is None:
            return
    node = data
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {} if child is None else dict(child)
            node[part] = child
        node = child
    node[parts[-1]] = value


def with_member(current: Sequence[str] | None, member: str, present: bool) -> list[str] | None:
    """``current`` with ``member`` added or removed (canonical modality order); None when
    nothing is known and nothing to add."""
    if current is None:
        if not present:
            return None
        current = ["text"]
    items = [x for x in current if x != member]
    if present:
        items.append(member)
    order = {m: i for i, m in enumerate(MODALITY_ORDER)}
    if all(x in order for x in items):
        items.sort(key=order.__getitem__)
    return items
