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


def test_load_dump_load_of_every_catalog_file_is_lossless() -> None:
    failures = []
    for path in FILES:
        model_cls = FILE_MODELS[kind_of(path)]
        first = parse_yaml(path.read_bytes(), str(path))
        if first.diagnostics:
            failures.append(f"{path}: {first.diagnostics[0].format()}")
            continue
        model = model_cls.model_validate(first.data)
        text = render(model, first.first_line)
        second = parse_yaml(text.encode(), str(path))
        if second.diagnostics or model_cls.model_validate(second.data) != model:
            failures.append(f"{path}: dumped text reads back differently:\n{text}")
        # (a second dump equals the first: render is a function of the model, and the models
        # are equal)
    assert failures == [], "\n".join(failures[:5])


@pytest.mark.parametrize(
    "value", ["yes", "NO", "0o17", "1_000", "2024-01-01", "123", "1.5", "true", "null", "", " x"]
)
def test_strings_that_would_be_misread_are_quoted(value: str) -> None:
    text = render({"name": value}, "# x")
    assert parse_yaml(text.encode(), "f").data == {"name": value}
