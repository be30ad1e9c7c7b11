"""The generated JSON Schemas and the pydantic models accept and reject the same documents."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from pydantic import BaseModel, ValidationError

from llmaestro.catalog.jsonschemas import DOCUMENTS
from llmaestro.catalog.yamlread import parse_yaml
from tests.conftest import ROOT

DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SCHEMAS = {name: json.loads((ROOT / "schemas" / name).read_text()) for name in DOCUMENTS}
KIND_OF = {"provider.schema.json": "provider", "offering.schema.json": "offering"}


def as_yaml_values(value: Any) -> Any:
    """What the YAML reader produces for the natural YAML rendering of a JSON value."""
    if isinstance(value, dict):
        return {k: as_yaml_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return tuple(as_yaml_values(v) for v in value)
    if isinstance(value, float):
        return int(value) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, str) and DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def as_json_values(value: Any) -> Any:
    """The JSON form of YAML-read values (what an editor's schema check sees)."""
    if isinstance(value, dict):
        return {k: as_json_values(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [as_json_values(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def verdicts(name: str, json_doc: Any, yaml_values: Any) -> tuple[bool, bool]:
    model: type[BaseModel] = DOCUMENTS[name][0]
    validator = jsonschema.Draft202012Validator(
        SCHEMAS[name], format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    schema_ok = validator.is_valid(json_doc)
    try:
        model.model_validate(yaml_values)
        model_ok = True
    except ValidationError as exc:
        # an unquoted date where a string belongs is a YAML reading, not a schema difference
        assume(
            not any(
                e["type"] == "string_type" and isinstance(e["input"], dt.date) for e in exc.errors()
            )
        )
        model_ok = False
    return schema_ok, model_ok


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMAS[name])
    assert SCHEMAS[name]["$id"].endswith(f"/v1/{name}")


def _generated(name: str) -> Any:
    return from_schema(SCHEMAS[name])


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_documents_generated_from_the_schema_are_accepted_by_pydantic(name: str) -> None:
    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(_generated(name))
    def check(doc: Any) -> None:
        schema_ok, model_ok = verdicts(name, doc, as_yaml_values(doc))
        assert schema_ok
        assert model_ok, doc

    check()


def _catalog_files() -> list[tuple[str, Path]]:
    out = []
    for path in sorted((ROOT / "catalog").rglob("*.yaml")):
        rel = path.relative_to(ROOT / "catalog").parts
        if rel[0] == "models":
            out.append(("model.schema.json", path))
        elif rel[-1] == "provider.yaml":
            out.append(("provider.schema.json", path))
        else:
            out.append(("offering.schema.json", path))
    return out[:40]


MUTATIONS = st.sampled_from(["delete", "unknown", "string", "number", "list", "null", "negative"])


@pytest.mark.parametrize(("name", "path"), _catalog_files(), ids=lambda v: getattr(v, "name", v))
def test_mutations_of_real_files_get_the_same_verdict(name: str, path: Path) -> None:
    data = parse_yaml(path.read_bytes(), str(path)).data

    def pointers(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        found = [prefix] if prefix else []
        if isinstance(node, dict):
            for k, v in node.items():
                found += pointers(v, (*prefix, k))
        elif isinstance(node, tuple):
            for i, v in enumerate(node):
                found += pointers(v, (*prefix, i))
        return found

    spots = pointers(data)

    def mutate(node: Any, where: tuple[Any, ...], how: str) -> Any:
        if not where:
            return {
                "delete": None,
                "unknown": {"surprise": 1},
                "string": "text",
                "number": Decimal("1.5"),
                "list": ("a",),
                "null": None,
                "negative": -3,
            }[how]
        head, rest = where[0], where[1:]
        if isinstance(node, dict):
            copy = dict(node)
            if how == "delete" and not rest:
                copy.pop(head)
            elif how == "unknown" and not rest:
                copy["unknown_key_x"] = 1
            else:
                copy[head] = mutate(node[head], rest, how)
            return copy
        items = list(node)
        items[head] = mutate(node[head], rest, how)
        return tuple(items)

    @settings(max_examples=25, deadline=None)
    @given(st.sampled_from(spots), MUTATIONS)
    def check(where: tuple[Any, ...], how: str) -> None:
        changed = mutate(data, where, how)
        schema_ok, model_ok = verdicts(name, as_json_values(changed), changed)
        assert schema_ok == model_ok, (where, how)

    check()
