"""Offerings decoded on first use: what a query returns before anyone reads its facts.

A query can match thousands of offerings; decoding each one's JSON and building its nested
records (limits, pricing, provenance...) costs ~40 µs, so a first query matching 1,364
offerings spent ~60 ms building records its caller may never read. A :class:`LazyOffering`
holds only where its facts are (its registry and row); reading its id, provider or model
takes them from the registry's ids, and reading any other field builds the whole record once
(every field at once, so it never changes after).

It is an :class:`~llmaestro._records.Offering` in every way a caller can see: ``isinstance``,
equality and hash with an equal ``Offering``, ``repr``, pickling (as an ``Offering``), and it
is as immutable (assignment raises :class:`~llmaestro._records.FrozenRecordError`).
"""

from __future__ import annotations

from llmaestro._records import Offering

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Protocol

    class Builder(Protocol):
        """What builds a lazy offering's full record: its registry (row ``i``)."""

        _ids: list[str]

        def _build(self, i: int) -> Offering: ...


_set = object.__setattr__
_get = object.__getattribute__
_FIELDS = frozenset(Offering._fields)
_NAMES = frozenset({"id", "provider", "model"})


class LazyOffering(Offering):
    """An :class:`Offering` whose facts other than its id are decoded on first access.

    Each registry has its own subclass (:func:`lazy_factory`) naming it as ``_owner``, so a
    record holds only its row: one small allocation per record (the cyclic collector's
    passes over thousands of new records cost as much as making them)."""

    __slots__ = ("_row",)
    _owner: Builder

    def __getattr__(self, name: str) -> Any:
        # called only for a slot not yet set
        if name not in _FIELDS:
            raise AttributeError(f"'Offering' object has no attribute '{name}'")
        row = _get(self, "_row")
        if row is not None:
            owner = type(self)._owner
            if name in _NAMES:
                offering_id = owner._ids[row]
                provider, _, model = offering_id.partition("/")
                _set(self, "provider", provider)
                _set(self, "model", model)
                _set(self, "id", offering_id)
                return _get(self, name)
            full = owner._build(row)
            for field in Offering._fields:
                _set(self, field, _get(full, field))
            _set(self, "_row", None)
        return _get(self, name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Offering):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(("Offering", self._values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{f}={v!r}" for f in self._fields if (v := getattr(self, f)) is not None)
        return f"Offering({shown})"

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (Offering, self._values())


def lazy_factory(owner: Builder) -> Callable[[int], Offering]:
    """What makes ``owner``'s row ``i`` a :class:`LazyOffering`."""
    cls: type[LazyOffering] = type(
        "LazyOffering", (LazyOffering,), {"__slots__": (), "_owner": owner}
    )
    new = object.__new__

    def make(i: int) -> Offering:
        record = new(cls)
        _set(record, "_row", i)
        return record

    return make
