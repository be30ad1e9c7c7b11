"""The committed catalog: valid, and every hand-authored fact is in it."""

from __future__ import annotations

from typing import Any

import pytest

from llmaestro.catalog.importers.common import leaves
from llmaestro.catalog.importers.manual import load_manual
from llmaestro.catalog.validate import validate_catalog
from tests.conftest import GOLDEN_TODAY, ROOT


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


@pytest.mark.slow
def test_committed_catalog_is_valid_and_keeps_hand_authored_facts() -> None:
    result = validate_catalog(ROOT / "catalog", today=GOLDEN_TODAY)
    assert [d.format() for d in result.errors] == []
    assert len(result.offerings) > 5000
    manual = load_manual(ROOT / "data" / "manual")
    for (pid, mid), facts in manual.offerings.items():
        offering = result.offerings[(pid, mid)].model_dump(exclude_none=True)
        for path, value in leaves({k: v for k, v in facts.items() if k != "provenance"}):
            node: Any = offering
            for part in path:
                node = node[part]
            if path == ("aliases",):
                assert set(value) <= set(node), (pid, mid, path)
            else:
                assert _plain(node) == _plain(value), (pid, mid, path)
    for ref, facts in manual.canonical.items():
        model = result.canonical[ref].model_dump(exclude_none=True)
        for path, value in leaves({k: v for k, v in facts.items() if k != "provenance"}):
            node = model
            for part in path:
                node = node[part]
            assert _plain(node) == _plain(value), (ref, path)
