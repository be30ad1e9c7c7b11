"""A runtime record as plain JSON values: :func:`record_json`, the form the exports use."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any


def record_json(record: Any) -> Any:
    """A runtime record (or tuple of records) as plain JSON values: None dropped, Decimals and
    dates as strings, the same form the exports use."""
    names: Sequence[str] | None = None
    if isinstance(record, tuple | list):
        return [record_json(v) for v in record]
    if isinstance(getattr(record, "_fields", None), tuple):
        names = record._fields
    elif dataclasses.is_dataclass(record) and not isinstance(record, type):
        names = [f.name for f in dataclasses.fields(record)]
    if names is not None:
        out: dict[str, Any] = {}
        for name in names:
            value = getattr(record, name)
            if value is not None:
                out[name] = record_json(value)
        return out
    if isinstance(record, Decimal | dt.date):
        return str(record)
    return record
