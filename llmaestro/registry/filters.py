"""Typed query filters: :class:`QueryFilters`, and the capability names a query accepts.

Every filter of :meth:`Registry.query <llmaestro.registry.core.Registry.query>`,
``cheapest`` and ``count`` is named once, in ``FilterKeywords`` (the keywords a caller may
pass, for type checkers), and held once, normalized, by a frozen :class:`QueryFilters`:
names become frozensets, capability aliases their canonical names, prices Decimals and dates
ISO text. Unknown capability or modality names fail here, with the known ones listed.

>>> QueryFilters(capabilities=["tools"], provider="openai")
QueryFilters(capabilities=('tool_calling',), provider=frozenset({'openai'}))

A plain slotted class rather than a dataclass (see :mod:`llmaestro._records`): `import
llmaestro` imports neither ``dataclasses`` nor ``typing``.
"""

from __future__ import annotations

from decimal import Decimal

from llmaestro._records import _Record
from llmaestro.registry.columns import CAPABILITY_FIELDS, MODALITY_BITS
from llmaestro.registry.ranking import billing_kinds

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable
    from typing import Any, TypedDict, Unpack

    class FilterKeywords(TypedDict, total=False):
        """The filter keywords of ``Registry.query``, ``cheapest`` and ``count`` (prices:
        USD per 1M tokens; blended = 3 input : 1 output). A filter on an unknown fact
        excludes the offering. ``billing``: kinds (``per_token``, ``subscription``,
        ``free_tier``, ``self_hosted``, or ``any``); see :mod:`llmaestro.registry.ranking`."""

        capabilities: Iterable[str]
        kind: str | Iterable[str] | None
        input_modalities: Iterable[str]
        output_modalities: Iterable[str]
        min_context: int | None
        min_output: int | None
        max_input_price: Decimal | float | str | None
        max_output_price: Decimal | float | str | None
        max_blended_price: Decimal | float | str | None
        provider: str | Iterable[str] | None
        family: str | Iterable[str] | None
        lab: str | Iterable[str] | None
        open_weights: bool | None
        status: str | Iterable[str] | None
        released_after: dt.date | str | None
        released_before: dt.date | str | None
        include_retired: bool | None
        billing: str | Iterable[str] | None


#: Capabilities that are modalities: name -> (side, modality).
MODALITY_CAPABILITIES: dict[str, tuple[str, str]] = {
    "vision": ("input", "image"),
    "audio_input": ("input", "audio"),
    "video_input": ("input", "video"),
    "pdf_input": ("input", "pdf"),
    "audio_output": ("output", "audio"),
    "image_output": ("output", "image"),
}
#: Capability names a query accepts: the typed fields of `Capabilities`, plus modalities.
CAPABILITIES: tuple[str, ...] = CAPABILITY_FIELDS + tuple(MODALITY_CAPABILITIES)

_CAP_ALIASES = {
    "function_calling": "tool_calling",
    "tools": "tool_calling",
    "images": "vision",
    "image_input": "vision",
    "pdf": "pdf_input",
    "json": "json_mode",
    "system_prompts": "system_prompt",
}


def capability_name(name: str) -> str:
    """The canonical name of a capability (``supports_`` prefixes and aliases such as
    ``tools`` accepted); ValueError naming the closest known one otherwise."""
    if name.startswith("supports_"):
        name = name[len("supports_") :]
    name = _CAP_ALIASES.get(name, name)
    if name not in CAPABILITY_FIELDS and name not in MODALITY_CAPABILITIES:
        import difflib  # lazy: 1.6 ms at import (-X importtime), only a typo needs it

        close = difflib.get_close_matches(name, CAPABILITIES, n=1)
        hint = f"; did you mean `{close[0]}`?" if close else ""
        raise ValueError(f"unknown capability `{name}`{hint} (known: {', '.join(CAPABILITIES)})")
    return name


_set = object.__setattr__


class QueryFilters(_Record):
    """Every filter of a query, normalized; immutable, compared and hashed by value.

    Built from the keywords ``Registry.query`` takes (``QueryFilters(min_context=128_000)``)
    and passed as ``registry.query(filters)``. An empty tuple or None means "no filter".
    """

    __slots__ = {  # noqa: RUF023 (the order of _fields and of the repr)
        "capabilities": "Capabilities every match has, by canonical name.",
        "input_modalities": "Input modalities every match accepts.",
        "output_modalities": "Output modalities every match produces.",
        "kind": "Kinds a match is one of.",
        "provider": "Providers a match is sold by.",
        "family": "Families a match belongs to.",
        "lab": "Labs a match's canonical model comes from.",
        "status": "Lifecycle statuses a match has; given, retired models are not excluded.",
        "open_weights": "Whether a match's weights are open.",
        "min_context": "Smallest context window, tokens.",
        "min_output": "Smallest max_output, tokens.",
        "max_input_price": "Highest input price, USD per 1M tokens.",
        "max_output_price": "Highest output price, USD per 1M tokens.",
        "max_blended_price": "Highest blended price (3 input : 1 output), USD per 1M tokens.",
        "released_after": "Earliest release date, ISO text (inclusive).",
        "released_before": "Latest release date, ISO text (inclusive).",
        "include_retired": "Whether retired models match; None: the registry's default.",
        "billing": "Billing kinds a match is billed by (`any`: every kind); None: every kind, "
        "but a price bound passes only `per_token` offerings (see registry.ranking).",
    }
    _fields = tuple(__slots__)

    capabilities: tuple[str, ...]
    input_modalities: tuple[str, ...]
    output_modalities: tuple[str, ...]
    kind: frozenset[str] | None
    provider: frozenset[str] | None
    family: frozenset[str] | None
    lab: frozenset[str] | None
    status: frozenset[str] | None
    open_weights: bool | None
    min_context: int | None
    min_output: int | None
    max_input_price: Decimal | None
    max_output_price: Decimal | None
    max_blended_price: Decimal | None
    released_after: str | None
    released_before: str | None
    include_retired: bool | None
    billing: frozenset[str] | None

    def __init__(self, **filters: Unpack[FilterKeywords]) -> None:
        if not _KNOWN.issuperset(filters):
            unknown = min(filters.keys() - _KNOWN)
            raise TypeError(f"unknown query filter `{unknown}` (known: {', '.join(self._fields)})")
        g: Any = filters.get
        caps = g("capabilities", ())
        _set(self, "capabilities", tuple(dict.fromkeys(capability_name(c) for c in _each(caps))))
        _set(self, "input_modalities", _modalities(g("input_modalities", ())))
        _set(self, "output_modalities", _modalities(g("output_modalities", ())))
        _set(self, "kind", _names(g("kind")))
        _set(self, "provider", _names(g("provider")))
        _set(self, "family", _names(g("family")))
        _set(self, "lab", _names(g("lab")))
        _set(self, "status", _names(g("status")))
        _set(self, "open_weights", g("open_weights"))
        _set(self, "min_context", g("min_context"))
        _set(self, "min_output", g("min_output"))
        _set(self, "max_input_price", _price(g("max_input_price")))
        _set(self, "max_output_price", _price(g("max_output_price")))
        _set(self, "max_blended_price", _price(g("max_blended_price")))
        _set(self, "released_after", _text(g("released_after")))
        _set(self, "released_before", _text(g("released_before")))
        _set(self, "include_retired", g("include_retired"))
        _set(self, "billing", billing_kinds(g("billing")))

    def keywords(self) -> dict[str, Any]:
        """The filters that are set, as keywords that rebuild an equal QueryFilters."""
        return {f: v for f in self._fields if (v := getattr(self, f)) is not None and v != ()}

    def replace(self, **filters: Unpack[FilterKeywords]) -> QueryFilters:
        """A copy with these filters set (None or ``()`` clears one)."""
        return QueryFilters(**{**self.keywords(), **filters})

    def __repr__(self) -> str:
        shown = ", ".join(f"{f}={v!r}" for f, v in self.keywords().items())
        return f"QueryFilters({shown})"

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (_rebuild, (self.keywords(),))


_KNOWN = frozenset(QueryFilters._fields)


def _rebuild(keywords: dict[str, Any]) -> QueryFilters:
    return QueryFilters(**keywords)


def _each(value: str | Iterable[str]) -> Iterable[str]:
    return (value,) if isinstance(value, str) else value


def _names(value: str | Iterable[str] | None) -> frozenset[str] | None:
    return None if value is None else frozenset(_each(value))


def _price(value: Decimal | float | str | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _text(value: dt.date | str | None) -> str | None:
    return None if value is None else str(value)


def _modalities(values: str | Iterable[str]) -> tuple[str, ...]:
    if not values:
        return ()
    out = tuple(dict.fromkeys(_each(values)))
    for value in out:
        if value not in MODALITY_BITS:
            raise ValueError(f"unknown modality `{value}` (known: {', '.join(MODALITY_BITS)})")
    return out
