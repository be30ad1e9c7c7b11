"""The binary bundle (format 7): a registry read from it answers every query as the same
catalog built from plain lists does, and damaged bytes in its sections give one line of
CatalogError at load or at first use, never a raw error or a wrong row."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import llmaestro
from llmaestro import Registry
from llmaestro.catalog.bundle import compile_catalog
from llmaestro.errors import CatalogError
from llmaestro.registry.bundle_layout import (
    SECTIONS,
    header_version,
    pack,
    unpack,
    unused_character,
)
from llmaestro.registry.columns import (
    C_ALIASES,
    C_BILLING,
    C_CAPS,
    C_CONTEXT,
    C_DEPRECATION,
    C_MOD_IN,
    C_MOD_OUT,
    C_MODEL,
    C_NAME,
    C_PROVIDER,
    C_RETIREMENT,
    C_STATUS,
    N_COLUMNS,
)
from llmaestro.registry.lifecycle import retired_rows, status_as_of, status_column
from tests.conftest import FIXTURES

DAY = dt.date(2026, 12, 3)
FIXTURE_OK = [HealthCheck.function_scoped_fixture]
MODALITIES = st.sampled_from(["text", "image", "audio", "pdf"])
STATUSES = st.sampled_from(["active", "preview", "deprecated", "retired"])


@pytest.fixture(scope="module")
def pair() -> tuple[Registry, Registry]:
    """The repository's catalog from its compiled bundle, and the same facts as lists."""
    bundle = llmaestro.load(today=DAY)
    assert isinstance(bundle._columns.order(C_CONTEXT), tuple)  # precomputed
    lists = Registry.from_document(bundle.to_document(), today=DAY)
    assert lists._columns.order(C_CONTEXT) is None
    return bundle, lists


FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "capabilities": st.lists(
            st.sampled_from(["vision", "tools", "reasoning", "json_mode", "audio_input"]),
            max_size=2,
        ),
        "input_modalities": st.lists(
            st.sampled_from(["text", "image", "audio", "pdf"]), max_size=2
        ),
        "kind": st.sampled_from(["chat", "embedding", "image"]),
        "status": st.sets(
            st.sampled_from(["active", "preview", "deprecated", "retired"]), min_size=1
        ),
        "billing": st.sampled_from(["per_token", "subscription", "any"]),
        "open_weights": st.booleans(),
        "min_context": st.sampled_from([0, 8_000, 128_000, 128_001, 200_000, 1_000_000]),
        "min_output": st.sampled_from([4_096, 16_384, 64_000]),
        "max_input_price": st.sampled_from([0, 0.15, 1, 2.5, 3, 15]),
        "max_output_price": st.sampled_from([0.6, 4, 10, 60]),
        "max_blended_price": st.sampled_from([0.5, 1.5, 6]),
        "released_after": st.sampled_from(["2024-01-01", "2025-06", "2026-01-15"]),
        "released_before": st.sampled_from(["2024-12-31", "2025-09-30"]),
        "include_retired": st.booleans(),
        "provider": st.sampled_from(["openai", "anthropic", "amazon-bedrock", "openrouter"]),
    },
)
SORTS = st.sampled_from(
    [None, "input_price", "output_price", "blended_price", "context", "max_output", "release_date"]
)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(filters=FILTERS, sort=SORTS, descending=st.booleans(), limit=st.sampled_from([None, 1, 20]))
def test_the_bundle_answers_every_query_as_the_lists_do(
    pair: tuple[Registry, Registry],
    filters: dict[str, Any],
    sort: Any,
    descending: bool,
    limit: int | None,
) -> None:
    bundle, lists = pair
    got = [o.id for o in bundle.query(sort=sort, descending=descending, limit=limit, **filters)]
    want = [o.id for o in lists.query(sort=sort, descending=descending, limit=limit, **filters)]
    assert got == want
    assert bundle.count(**filters) == lists.count(**filters)
    again = [o.id for o in bundle.query(sort=sort, descending=descending, limit=limit, **filters)]
    assert again == got  # the kept answer is the same answer


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(day=st.dates(dt.date(2023, 1, 1), dt.date(2029, 12, 31)))
def test_statuses_from_the_sorted_dates_equal_the_row_by_row_rule(
    pair: tuple[Registry, Registry], day: dt.date
) -> None:
    bundle, lists = pair
    fast, slow = status_column(bundle._columns, day), status_column(lists._columns, day)
    cols = lists._columns
    assert slow == [
        status_as_of(s, d, r, day.isoformat())
        for s, d, r in zip(cols[C_STATUS], cols[C_DEPRECATION], cols[C_RETIREMENT], strict=True)
    ]
    assert fast == slow
    assert retired_rows(bundle._columns, day) == {i for i, s in enumerate(slow) if s == "retired"}
    assert retired_rows(lists._columns, day) == retired_rows(bundle._columns, day)


def test_lookups_and_records_agree(pair: tuple[Registry, Registry]) -> None:
    bundle, lists = pair
    assert bundle.ids == lists.ids
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for oid in bundle.ids[::97]:
            assert bundle.get(oid) == lists.get(oid)
            assert bundle.get(oid) is bundle.get(oid)  # one record per offering
        assert bundle.get("gpt-4o").id == lists.get("gpt-4o").id
    assert bundle.query(provider="openai")[0].name == lists.query(provider="openai")[0].name


# -- damaged bundles ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bundle") / "bundle.bin"
    compile_catalog(FIXTURES / "catalog" / "valid" / "catalog", path)
    return path


def _sections(data: bytes) -> list[tuple[int, int]]:
    _, newline = header_version(data)
    table = memoryview(data)[newline + 1 : newline + 1 + 16 * len(SECTIONS)].cast("q")
    return [(table[2 * k], table[2 * k] + table[2 * k + 1]) for k in range(len(SECTIONS))]


def _use(path: Path) -> None:
    """Load and ask everything: every error must be one line of CatalogError naming the file."""
    try:
        registry = llmaestro.load(catalog=path, today=DAY)
        for oid in registry.ids:
            registry.get(oid)
        registry.query(capabilities=["vision"], min_context=1000, max_input_price=10)
        registry.query(sort="blended_price", include_retired=True, status=["active", "retired"])
        registry.query(released_after="2020-01-01", sort="release_date")
        registry.to_document()
    except CatalogError as exc:
        text = str(exc)
        assert text.startswith(str(path)) and "\n" not in text, text


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    section=st.sampled_from(range(len(SECTIONS))),
    where=st.floats(0, 1),
    xor=st.integers(1, 255),
)
def test_a_flipped_byte_in_any_section_is_one_line_or_harmless(
    tmp_path: Path, small: Path, section: int, where: float, xor: int
) -> None:
    data = bytearray(small.read_bytes())
    start, end = _sections(bytes(data))[section]
    if end > start:
        data[start + int(where * (end - start - 1))] ^= xor
    path = tmp_path / "damaged.bin"
    path.write_bytes(bytes(data))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        _use(path)


@pytest.mark.parametrize("value", [-7, 2**31 - 1, 10**6])
def test_an_order_row_out_of_range_is_one_line(tmp_path: Path, small: Path, value: int) -> None:
    data = bytearray(small.read_bytes())
    start, end = _sections(bytes(data))[SECTIONS.index("orders")]
    assert end - start >= 4
    data[start : start + 4] = value.to_bytes(4, "little", signed=True)
    path = tmp_path / "damaged.bin"
    path.write_bytes(bytes(data))
    with pytest.raises(CatalogError, match="seal does not match"):
        llmaestro.load(catalog=path, today=DAY)  # what load() serves: nothing of it
    registry = Registry.from_bundle_file(str(path), today=DAY)  # the reader, unsealed
    refused = 0
    asks: tuple[Callable[[], object], ...] = (
        lambda: registry.query(min_context=1),
        lambda: registry.query(max_input_price=1000),
        lambda: registry.query(released_after="1990-01-01"),
        lambda: registry.query(sort="context", include_retired=True),
    )
    for ask in asks:
        try:
            ask()
        except CatalogError as exc:
            refused += str(exc).startswith(f"{path}: a damaged llmaestro bundle")
    assert refused  # the damaged order was read by one query at least, and refused


def test_a_bundle_of_an_older_version_asks_to_recompile(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_bytes(b'{"format":"llmaestro-bundle","version":5,"providers":{}}\n')
    with pytest.raises(CatalogError, match="version 7; recompile it"):
        llmaestro.load(catalog=path)


@given(st.lists(st.text(), max_size=20), st.lists(st.text(min_size=1, max_size=1), max_size=3))
def test_the_separator_the_compiler_picks_is_in_no_text(texts: list[str], taken: list[str]) -> None:
    sep = unused_character(texts, *taken)
    assert len(sep) == 1 and sep not in taken
    assert all(sep not in t for t in texts)


@settings(max_examples=60, deadline=None)
@given(
    names=st.lists(st.text(max_size=8), min_size=2, max_size=2),
    aliases=st.lists(st.text(min_size=1, max_size=6), max_size=4),
)
def test_any_texts_round_trip_through_the_strings_table(
    names: list[str], aliases: list[str]
) -> None:
    rows: list[list[object]] = [[None] * N_COLUMNS for _ in names]
    for i, (row, name) in enumerate(zip(rows, names, strict=True)):
        row[C_PROVIDER], row[C_MODEL], row[C_NAME] = "p", f"m{i}", name
        row[C_BILLING], row[C_CAPS], row[C_MOD_IN], row[C_MOD_OUT] = "per_token", 0, 1, 1
        row[C_ALIASES] = aliases or None
    data = pack(None, {}, {}, ["p/m0", "p/m1"], rows, [b"{}", b"{}"])
    version, newline = header_version(data)
    parts = unpack(data, newline)
    assert version == 7 and parts is not None
    assert parts.columns[C_NAME] == names
    assert parts.columns[C_ALIASES] == [aliases or None] * 2
