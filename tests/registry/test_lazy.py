"""A record a query returns before its facts are read is an Offering in every visible way."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

import llmaestro
from llmaestro._records import FrozenRecordError, Offering


@pytest.fixture(scope="module")
def registry() -> llmaestro.Registry:
    return llmaestro.load(today=dt.date(2025, 6, 1))


def test_a_lazy_record_equals_hashes_and_pickles_as_its_full_offering(
    registry: llmaestro.Registry,
) -> None:
    lazy = registry.query(provider="openai", limit=1)[0]
    full = Offering._from(registry.to_document()["offerings"][registry.ids.index(lazy.id)])
    assert isinstance(lazy, Offering)
    assert lazy == full and full == lazy
    assert hash(lazy) == hash(full)
    assert repr(lazy) == repr(full)
    again = pickle.loads(pickle.dumps(lazy))
    assert type(again) is Offering and again == full
    assert lazy.pricing == full.pricing and lazy.limits == full.limits


def test_a_lazy_record_is_immutable_and_names_no_unknown_field(
    registry: llmaestro.Registry,
) -> None:
    record = registry.query(provider="anthropic", limit=1)[0]
    with pytest.raises(FrozenRecordError):
        record.name = "x"
    with pytest.raises(AttributeError):
        _ = record.no_such_field  # type: ignore[attr-defined]
