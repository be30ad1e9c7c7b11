"""Optional keys are optional by being absent: an explicit null is refused with a located error
that says to delete the key, the schemas type optional fields without null (so an editor's
message names the real type), and nothing llmaestro writes holds a null key. And a private
catalog's first lines may name the published schema URLs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from llmaestro.catalog.diagnostics import escape_pointer_token
from llmaestro.catalog.jsonschemas import DOCUMENTS, SCHEMA_BASE_URL, schema_for
from llmaestro.catalog.schema_errors import _models_in, pydantic_diagnostics
from llmaestro.catalog.validate import validate_catalog
from llmaestro.catalog.writer import dump_roundtrip, load_roundtrip, render
from llmaestro.catalog.yamlread import YamlDocument, parse_yaml
from llmaestro.llm.models import ProviderFile
from tests.catalog.test_schema_agreement import as_json_values
from tests.conftest import GOLDEN_TODAY, ROOT

FILES = {
    "provider.schema.json": ROOT / "catalog/providers/anthropic/provider.yaml",
    "offering.schema.json": ROOT
    / "catalog/providers/anthropic/models/claude-sonnet-4-5-20250929.yaml",
    "model.schema.json": ROOT / "catalog/models/anthropic/claude-sonnet-4-5.yaml",
}
Loc = tuple[str | int, ...]


def _walk(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return [node, *(x for v in node.values() for x in _walk(v))]
    if isinstance(node, list):
        return [x for v in node for x in _walk(v)]
    return []


def optional_keys(node: Any, models: list[type[BaseModel]], loc: Loc = ()) -> list[Loc]:
    """Locations of the optional keys a document sets (required keys are not optional)."""
    found: list[Loc] = []
    if isinstance(node, dict):
        for key, value in node.items():
            info = next((m.model_fields[key] for m in models if key in m.model_fields), None)
            if info is None:
                continue
            if not info.is_required():
                found.append((*loc, key))
            found += optional_keys(value, _models_in(info.annotation), (*loc, key))
    elif isinstance(node, tuple):
        for i, item in enumerate(node):
            found += optional_keys(item, models, (*loc, i))
    return found


def _pointer(loc: Loc) -> str:
    return "".join("/" + escape_pointer_token(str(p)) for p in loc)


def _with_null(text: str, loc: Loc) -> str:
    """The file's text with the value at ``loc`` replaced by null (comments and order kept)."""
    doc = load_roundtrip(text)
    node = doc
    for part in loc[:-1]:
        node = node[part]
    node[loc[-1]] = None
    return dump_roundtrip(doc)


def _diagnostics(model: type[BaseModel], doc: YamlDocument) -> list[Any]:
    try:
        model.model_validate(doc.data)
    except ValidationError as exc:
        return pydantic_diagnostics(exc, model, doc, "f.yaml")
    return []


def test_no_schema_allows_null_anywhere() -> None:
    for name in [*DOCUMENTS, "export.schema.json"]:
        text = (ROOT / "schemas" / name).read_text("utf-8")
        nodes = _walk(json.loads(text))
        assert not [n for n in nodes if n.get("type") == "null"], name
        assert not [n for n in nodes if n.get("const", 0) is None], name


def test_optional_fields_name_their_real_type() -> None:
    offering = schema_for("offering.schema.json")
    limits = offering["$defs"]["Limits"]["properties"]["context"]
    assert limits["type"] == "integer" and limits["minimum"] == 1 and "anyOf" not in limits
    price = offering["$defs"]["Pricing"]["properties"]["input"]
    assert price["type"] == "number" and price["minimum"] == 0
    assert offering["properties"]["limits"]["$ref"] == "#/$defs/Limits"
    assert offering["properties"]["aliases"]["type"] == "array"
    # the descriptions editors show are kept
    assert limits["description"] == (
        "Context window a request gets by default: prompt plus output tokens."
    )


@pytest.mark.parametrize("name", sorted(FILES))
def test_an_explicit_null_is_refused_where_it_is_and_says_to_delete_the_key(name: str) -> None:
    path = FILES[name]
    model: type[BaseModel] = DOCUMENTS[name][0]
    text = path.read_text("utf-8")
    original = parse_yaml(text.encode(), str(path))
    assert _diagnostics(model, original) == []
    spots = optional_keys(original.data, [model])
    assert len(spots) >= 8, spots
    schema = json.loads((ROOT / "schemas" / name).read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema)

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.sampled_from(spots))
    def check(loc: Loc) -> None:
        changed = _with_null(text, loc)
        doc = parse_yaml(changed.encode(), str(path))
        assert doc.diagnostics == []
        found = _diagnostics(model, doc)
        assert len(found) == 1, (loc, found)
        d = found[0]
        key = str(loc[-1])
        assert (d.code, d.pointer, d.message) == ("LM012", _pointer(loc), f"`{key}` is null")
        assert d.hint is not None and d.hint.startswith("delete the key")
        # the position is the key's own line, where the deletion happens
        line = changed.splitlines()[d.line - 1]
        assert line[d.column - 1 :].startswith(f"{key}:"), (loc, line)
        # an editor refuses it too, naming a type other than null
        errors = list(validator.iter_errors(as_json_values(doc.data)))
        assert errors, loc
        assert all("None is not" in e.message for e in errors if e.path == list(loc))

    check()


def test_a_required_key_set_to_null_is_a_type_error_not_a_deletion() -> None:
    doc = parse_yaml(b"name: null\n", "p.yaml")
    (d,) = _diagnostics(ProviderFile, doc)
    assert d.message == "`name` must be a string" and d.hint is None


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(0, 9) | st.text("abc", min_size=1, max_size=3),
    lambda inner: st.dictionaries(st.sampled_from(["name", "input", "x", "y"]), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["name", "limits", "pricing", "z"]), VALUES, max_size=4))
def test_the_writer_never_writes_a_null_key(data: dict[str, Any]) -> None:
    text = render(data, "# yaml-language-server: $schema=x.json")
    doc = parse_yaml(text.encode(), "w.yaml")
    nulls = [n for n in _walk(as_json_values(doc.data)) if None in n.values()]
    assert nulls == [], text


def test_the_committed_catalog_holds_no_null() -> None:
    # `llmaestro validate catalog` refuses them too; this names the file at once
    for path in sorted(Path(ROOT / "catalog").rglob("*.yaml")):
        doc = parse_yaml(path.read_bytes(), str(path))
        data = as_json_values(doc.data)
        assert data is not None, path
        assert not [n for n in _walk(data) if None in n.values()], path


def _with_url_schema_lines(tmp_path: Path, wrong: bool = False) -> Path:
    """The valid fixture catalog as a private one: no schemas/ folder beside it, first lines
    naming the published schemas."""
    root = tmp_path / "my-catalog"
    shutil.copytree(ROOT / "tests/fixtures/catalog/valid/catalog", root)
    for path in root.rglob("*.yaml"):
        kind = "model" if path.relative_to(root).parts[0] == "models" else "offering"
        kind = "provider" if path.name == "provider.yaml" else kind
        if wrong and kind == "offering":
            kind = "model"
        first, rest = path.read_text("utf-8").split("\n", 1)
        assert first.startswith("# yaml-language-server: $schema=")
        url = f"{SCHEMA_BASE_URL}{kind}.schema.json"
        path.write_text(f"# yaml-language-server: $schema={url}\n{rest}", "utf-8")
    return root


def test_a_private_catalog_may_name_the_published_schema_urls(tmp_path: Path) -> None:
    result = validate_catalog(_with_url_schema_lines(tmp_path), today=GOLDEN_TODAY)
    assert result.diagnostics == []
    wrong = validate_catalog(_with_url_schema_lines(tmp_path / "w", wrong=True), today=GOLDEN_TODAY)
    assert {d.code for d in wrong.diagnostics} == {"LM013"}
