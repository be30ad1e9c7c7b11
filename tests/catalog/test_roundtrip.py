"""load -> dump -> load of every catalog file is lossless."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmaestro.catalog.tree import FILE_MODELS, FileKind
from llmaestro.catalog.writer import render
from llmaestro.catalog.yamlread import parse_yaml
from tests.conftest import ROOT

FILES = sorted((ROOT / "catalog").rglob("*.yaml"))


def kind_of(path: Path) -> FileKind:
    rel = path.relative_to(ROOT / "catalog").parts
    if rel[0] == "models":
        return "canonical"
    return "provider" if rel[-1] == "provider.yaml" else "offering"


def test_there_are_catalog_files() -> None:
    assert len(FILES) >= 10


@pytest.mark.parametrize("path", FILES[:3000], ids=lambda p: str(p.relative_to(ROOT / "catalog")))
def test_load_dump_load_is_lossless(path: Path) -> None:
    model_cls = FILE_MODELS[kind_of(path)]
    raw = path.read_bytes()
    first = parse_yaml(raw, str(path))
    assert first.diagnostics == []
    model = model_cls.model_validate(first.data)
    schema_line = first.first_line
    text = render(model, schema_line)
    second = parse_yaml(text.encode(), str(path))
    assert second.diagnostics == [], text
    assert model_cls.model_validate(second.data) == model
    # dumping again is stable
    assert render(model_cls.model_validate(second.data), schema_line) == text


@pytest.mark.parametrize(
    "value", ["yes", "NO", "0o17", "1_000", "2024-01-01", "123", "1.5", "true", "null", "", " x"]
)
def test_strings_that_would_be_misread_are_quoted(value: str) -> None:
    text = render({"name": value}, "# x")
    assert parse_yaml(text.encode(), "f").data == {"name": value}
