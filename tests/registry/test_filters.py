"""QueryFilters: every query filter named once, normalized, frozen; the query methods take it."""

from __future__ import annotations

import ast
import pickle
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import llmaestro
from llmaestro.registry import QueryFilters
from llmaestro.registry import filters as filters_module


@pytest.fixture(scope="module")
def registry() -> llmaestro.Registry:
    return llmaestro.load()


def test_filters_are_normalized_frozen_and_hashable() -> None:
    f = QueryFilters(
        capabilities=["supports_tools", "vision"],
        provider="openai",
        kind=["chat"],
        max_input_price=1,
        released_after="2024-01-01",
    )
    assert f.capabilities == ("tool_calling", "vision")
    assert f.provider == frozenset({"openai"}) and f.kind == frozenset({"chat"})
    assert f.max_input_price == Decimal("1") and f.min_context is None
    assert f == QueryFilters(
        capabilities=("tool_calling", "vision"),
        provider=["openai"],
        kind="chat",
        max_input_price="1",
        released_after="2024-01-01",
    )
    assert len({f, pickle.loads(pickle.dumps(f))}) == 1
    with pytest.raises(AttributeError):
        f.min_context = 1
    assert f.replace(provider=None, min_context=8) == QueryFilters(
        capabilities=["tools", "vision"],
        kind="chat",
        max_input_price=1,
        released_after="2024-01-01",
        min_context=8,
    )
    assert repr(QueryFilters(provider="x")) == "QueryFilters(provider=frozenset({'x'}))"


def test_unknown_names_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="did you mean `vision`"):
        QueryFilters(capabilities=["visoin"])
    with pytest.raises(ValueError, match="unknown modality `imag`"):
        QueryFilters(input_modalities=["imag"])
    with pytest.raises(TypeError, match="unknown query filter `min_ctx`"):
        QueryFilters(min_ctx=1)  # type: ignore[call-arg]


def test_query_cheapest_and_count_take_filters_or_keywords(registry: llmaestro.Registry) -> None:
    keywords = {"capabilities": ["vision"], "min_context": 128_000, "max_input_price": 1}
    f = QueryFilters(capabilities=["vision"], min_context=128_000, max_input_price=1)
    found = registry.query(**keywords)  # type: ignore[arg-type]
    assert found and registry.query(f) == found
    assert registry.query(filters=f, sort="input_price") == registry.query(
        sort="input_price", capabilities=["vision"], min_context=128_000, max_input_price=1
    )
    assert registry.count(f) == len(found) == registry.count(**keywords)  # type: ignore[arg-type]
    assert registry.cheapest(f, by="input") == registry.cheapest(
        by="input", capabilities=["vision"], min_context=128_000, max_input_price=1
    )
    assert registry.count() == registry.count(QueryFilters()) == len(registry.query())
    with pytest.raises(TypeError, match="not both"):
        registry.query(f, provider="openai")
    with pytest.raises(TypeError, match="unknown query filter `sort`"):
        registry.count(sort="id")  # type: ignore[call-arg]


def test_every_filter_is_named_once_for_callers_and_once_normalized() -> None:
    tree = ast.parse(Path(filters_module.__file__).read_text(encoding="utf-8"))
    typed = next(
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and node.name == "FilterKeywords"
    )
    names = [s.target.id for s in typed.body if isinstance(s, ast.AnnAssign)]  # type: ignore[union-attr]
    assert sorted(names) == sorted(QueryFilters._fields)


def test_import_and_query_load_no_dataclasses_or_typing() -> None:
    code = (
        "import sys, llmaestro\n"
        "from llmaestro.registry import QueryFilters\n"
        "QueryFilters(capabilities=['vision'], min_context=1)\n"
        "print(sorted({'dataclasses', 'typing'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
