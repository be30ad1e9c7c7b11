"""The JSON export is written without pydantic (the core install) yet is exactly what the
pydantic data model gives: every object validates and re-dumps to the same keys in the same
order."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest
from pydantic import BaseModel

import llmaestro
from llmaestro.catalog.export_model import ExportDocument
from llmaestro.exports import CAPABILITY_NAMES, PRICE_FIELDS, RATE_LIMIT_FIELDS, export_document
from llmaestro.llm import models
from tests.packaging.core_only import run_python


def _pydantic_form(model: type[BaseModel], data: dict[str, Any], lead: Sequence[str]) -> str:
    dumped = model.model_validate(data, strict=False).model_dump(mode="json", exclude_none=True)
    head = {key: dumped.pop(key) for key in lead if key in dumped}
    return json.dumps({**head, **dumped})


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return export_document(llmaestro.load(), generated="2026-01-01T00:00:00Z")


def test_the_whole_export_validates(document: dict[str, Any]) -> None:
    ExportDocument.model_validate(document, strict=False)


def test_every_object_is_in_the_data_models_order(document: dict[str, Any]) -> None:
    kinds: list[tuple[str, type[BaseModel], tuple[str, ...]]] = [
        ("providers", models.Provider, ("provider",)),
        ("canonical_models", models.CanonicalModel, ("lab", "model")),
        ("offerings", models.Offering, ("provider", "model", "base")),
    ]
    for key, model, lead in kinds:
        for item in document[key]:
            assert json.dumps(item) == _pydantic_form(model, item, lead), item.get("id")


def test_the_sqlite_columns_follow_the_data_model() -> None:
    assert tuple(models.PriceSet.model_fields) == PRICE_FIELDS
    assert tuple(models.Capabilities.model_fields) == CAPABILITY_NAMES
    rate = tuple(f for f in models.RateLimitTier.model_fields if f not in ("tier", "models"))
    assert rate == RATE_LIMIT_FIELDS


def test_the_core_install_writes_the_same_export(document: dict[str, Any]) -> None:
    out = run_python(
        "import llmaestro, json\n"
        "from llmaestro.exports import export_document\n"
        "doc = export_document(llmaestro.load(), generated='2026-01-01T00:00:00Z')\n"
        "print(json.dumps(doc))\n"
        "print(sorted({'pydantic', 'yaml'} & {m.split('.')[0] for m in sys.modules}))\n"
    )
    assert out.returncode == 0, out.stderr
    text, loaded = out.stdout.splitlines()
    assert text == json.dumps(document)
    assert loaded == "[]"
