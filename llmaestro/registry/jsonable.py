"""A runtime record as plain JSON values: :func:`record_json`, the form the bundle and the
exports use (the registry's documents, the seed's registrations, the detectors' updates)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~3 ms at import; `import llmaestro` loads this module
    from typing import Any


def record_json(record: Any) -> Any:
    """A runtime record (or a tuple, list or mapping of them) as plain JSON values: None
    dropped, Decimals and dates as strings."""
    if isinstance(record, tuple | list):
        return [record_json(v) for v in record]
    names = getattr(record, "_fields", None)
    if not isinstance(names, tuple):
        # a dataclass, without importing dataclasses (a cold-start cost for `import llmaestro`)
        fields = getattr(record, "__dataclass_fields__", None)
        names = tuple(fields) if fields is not None and not isinstance(record, type) else None
    if names is not None:
        return {
            name: record_json(value)
            for name in names
            if (value := getattr(record, name)) is not None
        }
    if isinstance(record, Mapping):
        return {k: record_json(v) for k, v in record.items()}
    if isinstance(record, Decimal | dt.date):
        return str(record)
    return record
