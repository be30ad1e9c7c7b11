"""The text of offering files: minimal edits of existing ones, and new ones.

:func:`edit_offering` changes one offering file through ruamel.yaml's round-trip mode, so
comments, key order, quoting and blank lines of the untouched parts survive: prices (the old
set moves into ``pricing.history``), other facts, the gone marking, and the provenance stamp
``detector:<provider>`` with the day. A new key goes where the schema orders it; a new list of
scalars is written in flow style, as the catalog writer renders new files. Where ruamel cannot
reproduce a file byte for byte (it re-renders 17-digit floats such as ``0.8299999999999999``),
the edit is applied as a line patch onto the original text, so only the lines the edit
changes differ.

:func:`new_offering_text` renders the file of a listed model the catalog lacks through the
catalog writer (:func:`llmaestro.catalog.writer.render`), with its ``$schema`` line.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from llmaestro.catalog.model import (
    Capabilities,
    ContextTier,
    HistoricPrice,
    Lifecycle,
    Limits,
    Modalities,
    OfferingFile,
    PriceSet,
    Pricing,
    Reasoning,
)
from llmaestro.catalog.tree import CatalogTree, schema_comment_for
from llmaestro.catalog.writer import LEADING_KEYS, dump_roundtrip, load_roundtrip, render
from llmaestro.refresh.drift import DriftError, FieldChange, GoneOffering
from llmaestro.refresh.observation import (
    MODALITY_ORDER,
    Observation,
    ObservedOffering,
    get_fact,
    set_fact,
    split_path,
    with_member,
)

__all__ = ["PRICE_FIELDS", "Editor", "edit_offering", "new_offering_text"]

PRICE_FIELDS: tuple[str, ...] = tuple(PriceSet.model_fields)
_DAY = dt.timedelta(days=1)


def edit_offering(
    text: str,
    current: Mapping[str, Any],
    changes: Sequence[FieldChange],
    gone: GoneOffering | None,
    observation: Observation,
    today: dt.date,
) -> str:
    """The new text of one offering file (``current``: its resolved data): prices (with
    history), other facts, the gone marking and the provenance stamp. Raises
    :class:`~llmaestro.refresh.drift.DriftError` when the file cannot be edited line for
    line."""
    editor = Editor(text)
    prices = {
        c.path.split(".", 1)[1]: c.new for c in changes if c.category == "price" and not c.added
    }
    if prices:
        known = dict(current)
        for change in changes:  # a release date this run fills in dates the old prices
            if change.path == "lifecycle.release_date" and change.added:
                known["lifecycle"] = {
                    **(current.get("lifecycle") or {}),
                    "release_date": change.new,
                }
        editor.apply_prices(known, prices, today, observation)
    for change in changes:
        if change.category == "price" and not change.added:
            continue
        editor.set_fact(change.path, change.new, current)
    if gone is not None:
        editor.mark_gone(current, gone, today)
    editor.stamp(current, observation, today, pricing=bool(prices))
    return editor.render()


def new_offering_text(
    tree: CatalogTree,
    rel_path: str,
    observed: ObservedOffering,
    aliases: tuple[str, ...],
    base: str | None,
    observation: Observation,
    today: dt.date,
) -> str:
    """The file (at ``rel_path`` of the catalog) of a listed model the catalog lacks: its
    facts, ``aliases``, the canonical model ``base`` it inherits (then without the guessed
    ``kind``) and the provenance stamp. Raises :class:`~llmaestro.refresh.drift.DriftError`
    when they do not make a valid offering."""
    data: dict[str, Any] = {}
    if base is not None:
        data["base"] = base
    if aliases:
        data["aliases"] = aliases
    for path, value in observed.facts.items():
        set_fact(data, path, value)
    if base is not None:
        data.pop("kind", None)  # a guess; the canonical model knows
    elif "kind" not in data:
        data["kind"] = "chat"
    data["provenance"] = [_source(observation, today)]
    file = tree.root / rel_path
    try:
        model = OfferingFile.model_validate(_tuples(data))
        model = OfferingFile.model_validate(_tuples(_freshen(model.model_dump(exclude_none=True))))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise DriftError(f"not a valid offering: {where}: {first['msg']}") from None
    return render(model, schema_comment_for(file, tree.root, "offering"))


def _freshen(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _freshen(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_freshen(v) for v in value]
    return _fresh(value)


def _tuples(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _tuples(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return tuple(_tuples(v) for v in value)
    return value


def _source(observation: Observation, today: dt.date) -> dict[str, Any]:
    return {"source": observation.source, "url": observation.url, "checked": today}


# --- round-trip editing -------------------------------------------------------------------------


def _order_of(model: type[BaseModel]) -> list[str]:
    names = list(model.model_fields)
    rank = {key: i for i, key in enumerate(LEADING_KEYS)}
    return sorted(
        names,
        key=lambda k: (k == "provenance", rank.get(k, len(rank)), names.index(k)),
    )


_ORDERS: dict[tuple[str, ...], list[str]] = {
    (): _order_of(OfferingFile),
    ("limits",): _order_of(Limits),
    ("modalities",): _order_of(Modalities),
    ("capabilities",): _order_of(Capabilities),
    ("capabilities", "reasoning"): _order_of(Reasoning),
    ("lifecycle",): _order_of(Lifecycle),
    ("pricing",): _order_of(Pricing),
}
_HISTORY_ORDER = _order_of(HistoricPrice)
_TIER_ORDER = _order_of(ContextTier)


def _fresh(value: Any) -> Any:
    """A new object equal to ``value`` for dates and decimals: ruamel writes an object that
    occurs twice in a document as an anchor and an alias, which the catalog forbids."""
    if isinstance(value, dt.date):
        return dt.date.fromordinal(value.toordinal())
    if isinstance(value, Decimal):
        return Decimal(str(value))
    return value


def _node(value: Any, order: Sequence[str] | None = None) -> Any:
    """A ruamel node for a new value: mappings in schema order, lists of scalars in flow
    style (as the writer renders new files); dates and decimals are fresh objects."""
    if isinstance(value, Mapping):
        keys = list(value)
        if order is not None:
            rank = {k: i for i, k in enumerate(order)}
            given = {k: i for i, k in enumerate(keys)}
            keys.sort(key=lambda k: (rank.get(k, len(rank)), given[k]))
        out = CommentedMap()
        for key in keys:
            if value[key] is not None:
                out[key] = _node(value[key])
        return out
    if isinstance(value, list | tuple):
        seq = CommentedSeq(_node(v) for v in value)
        if all(isinstance(v, str | int | Decimal) for v in value):
            seq.fa.set_flow_style()
        return seq
    return _fresh(value)


def _insert(node: CommentedMap, key: str, value: Any, order: Sequence[str]) -> None:
    if key in node:
        node[key] = value
        return
    rank = {k: i for i, k in enumerate(order)}
    mine = rank.get(key, len(rank))
    position = len(node)
    for i, existing in enumerate(node):
        if rank.get(existing, len(rank)) > mine:
            position = i
            break
    node.insert(position, key, value)


def _three_way(original: str, before: str, after: str) -> str:
    """Apply the edit ``before`` → ``after`` (ruamel renderings) onto ``original`` line by
    line, so lines ruamel would re-render differently stay as they were."""
    if before == original:
        return after
    old_lines = original.splitlines(keepends=True)
    base_lines = before.splitlines(keepends=True)
    if len(old_lines) != len(base_lines):
        raise DriftError("the file's YAML does not round-trip line for line; edit it by hand")
    new_lines = after.splitlines(keepends=True)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=base_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        out.extend(old_lines[i1:i2] if tag == "equal" else new_lines[j1:j2])
    return "".join(out)


class Editor:
    """Minimal edits of one offering file through ruamel's round-trip mode."""

    def __init__(self, text: str) -> None:
        self.original = text
        self.doc = load_roundtrip(text)
        if not isinstance(self.doc, CommentedMap):
            raise DriftError("an offering file must hold a mapping")
        self.before = dump_roundtrip(self.doc)

    def render(self) -> str:
        return _three_way(self.original, self.before, dump_roundtrip(self.doc))

    def _map(self, parts: Sequence[str]) -> CommentedMap:
        node = self.doc
        for depth, key in enumerate(parts):
            child = node.get(key)
            if not isinstance(child, CommentedMap):
                child = CommentedMap()
                _insert(node, key, child, _ORDERS.get(tuple(parts[:depth]), []))
            node = child
        result: CommentedMap = node
        return result

    def set(self, parts: Sequence[str], value: Any) -> None:
        parent = self._map(parts[:-1])
        order = _ORDERS.get(tuple(parts[:-1]), [])
        _insert(parent, parts[-1], _node(value), order)

    def set_fact(self, path: str, value: Any, current: Mapping[str, Any]) -> None:
        parts, member = split_path(path)
        if member is not None:
            listed = get_fact(current, ".".join(parts))
            value = with_member(listed, member, bool(value))
            if value is None:
                return
        elif isinstance(value, tuple | list) and parts[0] == "modalities":
            order = {m: i for i, m in enumerate(MODALITY_ORDER)}
            value = sorted(value, key=lambda m: order.get(m, len(order)))
        self.set(parts, value)
        if parts[:2] == ["capabilities", "reasoning"] and len(parts) > 2:
            # a reasoning mapping written here needs its required `supported`
            node = self._map(["capabilities", "reasoning"])
            if "supported" not in node:
                known = get_fact(current, "capabilities.reasoning.supported")
                self.set(["capabilities", "reasoning", "supported"], known is not False)

    def apply_prices(
        self,
        current: Mapping[str, Any],
        prices: Mapping[str, Decimal],
        today: dt.date,
        observation: Observation,
    ) -> None:
        pricing: Mapping[str, Any] = current.get("pricing") or {}
        old = {k: pricing[k] for k in PRICE_FIELDS if pricing.get(k) is not None}
        history: list[Mapping[str, Any]] = list(pricing.get("history") or ())
        until = today - _DAY
        start: dt.date = pricing.get("effective") or _fallback_start(current, until)
        if history:
            previous = history[0]
            last: dt.date = previous.get("until") or previous["effective"]
            start = max(start, last + _DAY)
        start = min(start, until)
        if old and start <= until and (not history or start > history[0]["effective"]):
            entry: dict[str, Any] = {"effective": start, "until": until, **old}
            if pricing.get("tiers"):  # the long-prompt prices the old set had (kept as they are)
                entry["tiers"] = [_node(dict(t), _TIER_ORDER) for t in pricing["tiers"]]
            node = self._map(["pricing"])
            existing = node.get("history")
            if isinstance(existing, CommentedSeq):
                existing.insert(0, _node(entry, _HISTORY_ORDER))
            else:
                rows = [entry, *history]
                seq = CommentedSeq(_node(dict(r), _HISTORY_ORDER) for r in rows)
                _insert(node, "history", seq, _ORDERS[("pricing",)])
            self.set(["pricing", "effective"], today)
        for name, value in prices.items():
            self.set(["pricing", name], value)

    def mark_gone(self, current: Mapping[str, Any], gone: GoneOffering, today: dt.date) -> None:
        life: Mapping[str, Any] = current.get("lifecycle") or {}
        self.set(["lifecycle", "status"], gone.action)
        if gone.action == "deprecated" and life.get("deprecation_date") is None:
            day = gone.last_seen
            retirement = life.get("retirement_date")
            if retirement is not None and day > retirement:
                day = retirement
            self.set(["lifecycle", "deprecation_date"], day)

    def stamp(
        self,
        current: Mapping[str, Any],
        observation: Observation,
        today: dt.date,
        *,
        pricing: bool,
    ) -> None:
        """Record the check in ``provenance`` (and ``pricing.provenance`` for prices)."""
        self._stamp([], current.get("provenance"), observation, today)
        if pricing:
            inherited = (current.get("pricing") or {}).get("provenance")
            self._stamp(["pricing"], inherited, observation, today)

    def _stamp(
        self,
        parts: list[str],
        inherited: Iterable[Mapping[str, Any]] | None,
        observation: Observation,
        today: dt.date,
    ) -> None:
        node = self._map(parts)
        entry = _source(observation, today)
        existing = node.get("provenance")
        if isinstance(existing, CommentedSeq):
            for item in existing:
                if isinstance(item, CommentedMap) and item.get("source") == observation.source:
                    item["url"] = observation.url
                    item["checked"] = _fresh(today)
                    return
            existing.append(_node(entry))
            return
        rows = [dict(s) for s in inherited or () if s.get("source") != observation.source]
        seq = CommentedSeq(_node(r) for r in [*rows, entry])
        _insert(node, "provenance", seq, _ORDERS.get(tuple(parts), []))


def _fallback_start(current: Mapping[str, Any], until: dt.date) -> dt.date:
    """When the old prices took effect, where the catalog does not say: the release date,
    else the latest day they were checked, else the day before the change."""
    life = current.get("lifecycle") or {}
    release = life.get("release_date")
    if isinstance(release, dt.date):
        return release
    checked = [
        s.get("checked")
        for s in [
            *((current.get("pricing") or {}).get("provenance") or ()),
            *(current.get("provenance") or ()),
        ]
        if isinstance(s.get("checked"), dt.date)
    ]
    return max(checked) if checked else until
