"""The cache of compiled prices: each offering's :class:`~llmaestro.cost.tables.Compiled`, found
again by identity and dropped with the offering (internal)."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any

from llmaestro.cost.tables import Compiled

__all__ = ["CACHE", "STRONG_LIMIT", "compiled_for"]

#: Compiled prices by id(offering). Entries of weakly referenceable offerings (pydantic
#: models) leave when their offering is garbage collected; the others (the registry's slotted
#: records) are held strongly, at most STRONG_LIMIT of them.
CACHE: dict[int, Compiled] = {}
STRONG_LIMIT = 4096
_strong_keys: dict[int, None] = {}  # insertion-ordered set of the strongly held keys
_STRONG_LOCK = threading.Lock()


def _forget(key: int) -> Callable[[Any], None]:
    def callback(_ref: Any) -> None:
        CACHE.pop(key, None)

    return callback


def _holder(obj: Any) -> Callable[[], Any]:
    return lambda: obj


def compiled_for(offering: Any) -> Compiled:
    """The compiled prices of ``offering``, cached by identity (see :data:`CACHE`).

    Catalog offerings are immutable, so an entry never goes stale: it is found again by
    ``id(offering)`` and checked to belong to the very same object.
    """
    key = id(offering)
    entry = CACHE.get(key)
    if entry is not None and entry.ref is not None and entry.ref() is offering:
        return entry
    entry = Compiled(offering)
    try:
        entry.ref = weakref.ref(offering, _forget(key))
    except TypeError:  # no weak references (slotted records): hold it, within bounds
        entry.ref = _holder(offering)
        with _STRONG_LOCK:
            _strong_keys.pop(key, None)
            while len(_strong_keys) >= STRONG_LIMIT:
                oldest = next(iter(_strong_keys))
                del _strong_keys[oldest]
                CACHE.pop(oldest, None)
            _strong_keys[key] = None
            CACHE[key] = entry
        return entry
    CACHE[key] = entry
    return entry
