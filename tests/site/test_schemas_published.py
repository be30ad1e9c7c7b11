"""The site publishes the catalog's JSON Schemas at the URLs their ``$id`` names, byte for byte,
and a catalog file validates against them fetched over HTTP as well as read from the checkout."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from typing import Any

import jsonschema
import referencing
from referencing import Resource

from llmaestro.catalog.jsonschemas import SCHEMA_BASE_URL, SITE_SCHEMA_DIR
from llmaestro.catalog.yamlread import parse_yaml
from llmaestro.site.build import SiteBuild
from tests.catalog.test_schema_agreement import as_json_values
from tests.site.conftest import ROOT

SCHEMAS = ROOT / "schemas"
NAMES = sorted(p.name for p in SCHEMAS.glob("*.json"))
#: a real file of each kind, and the schema its first line names
SAMPLES = {
    "provider.schema.json": ROOT / "catalog/providers/openai/provider.yaml",
    "offering.schema.json": ROOT / "catalog/providers/openai/models/gpt-4o.yaml",
    "model.schema.json": next((ROOT / "catalog/models").glob("*/*.yaml")),
}


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def _document(path: Path) -> Any:
    return as_json_values(parse_yaml(path.read_bytes(), str(path)).data)


def test_the_base_url_is_the_pages_site_of_the_repository() -> None:
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text("utf-8")
    found = re.search(r"https://github\.com/([\w.-]+)/([\w.-]+)", hooks)
    assert found is not None
    owner, name = found.groups()
    assert f"https://{owner}.github.io/{name}/{SITE_SCHEMA_DIR}/" == SCHEMA_BASE_URL
    assert "actions/deploy-pages" in (ROOT / ".github/workflows/pages.yml").read_text("utf-8")


def test_every_schema_is_published_byte_for_byte_at_its_id(site: SiteBuild) -> None:
    assert len(NAMES) >= 4
    published = site.out / SITE_SCHEMA_DIR
    assert sorted(p.name for p in published.iterdir()) == NAMES
    for name in NAMES:
        data = (published / name).read_bytes()
        assert data == (SCHEMAS / name).read_bytes(), f"{name}: run `make schemas`"
        assert json.loads(data)["$id"] == SCHEMA_BASE_URL + name


def test_every_ref_stays_inside_its_document() -> None:
    # a fragment resolves against the document itself: from a relative file path in a
    # checkout and from the published URL alike
    for name in NAMES:
        schema = json.loads((SCHEMAS / name).read_text("utf-8"))
        refs = _refs(schema)
        assert refs, name
        for ref in refs:
            assert ref.startswith("#/$defs/"), (name, ref)
            assert ref.removeprefix("#/$defs/") in schema["$defs"], (name, ref)


def test_catalog_files_validate_against_the_schemas_fetched_from_the_site(site_url: str) -> None:
    fetched: list[str] = []

    def retrieve(uri: str) -> Resource[Any]:
        # the local server of the built folder stands in for GitHub Pages
        assert uri.startswith(SCHEMA_BASE_URL), uri
        local = site_url + SITE_SCHEMA_DIR + "/" + uri.removeprefix(SCHEMA_BASE_URL)
        with urllib.request.urlopen(local, timeout=10) as response:
            assert response.headers.get_content_type() == "application/json"
            fetched.append(uri)
            return Resource.from_contents(json.loads(response.read()))

    registry: referencing.Registry[Any] = referencing.Registry(retrieve=retrieve)  # type: ignore[call-arg]
    for name, path in SAMPLES.items():
        assert path.read_text("utf-8").startswith("# yaml-language-server: $schema=")
        validator = jsonschema.Draft202012Validator(
            {"$ref": SCHEMA_BASE_URL + name}, registry=registry
        )
        doc = _document(path)
        validator.validate(doc)
        bad = {**doc, "name": None}  # an explicit null is refused, as the validator does
        assert any("None is not of type 'string'" in e.message for e in validator.iter_errors(bad))
    assert sorted(set(fetched)) == sorted(SCHEMA_BASE_URL + n for n in SAMPLES)


def test_catalog_files_validate_against_the_checked_in_schema_files() -> None:
    for name, path in SAMPLES.items():
        schema = json.loads((SCHEMAS / name).read_text("utf-8"))
        jsonschema.Draft202012Validator(schema).validate(_document(path))


def test_the_docs_give_the_published_urls() -> None:
    doc = (ROOT / "docs/catalog.md").read_text("utf-8")
    for name in NAMES:
        assert f"`{SCHEMA_BASE_URL}{name}`" in doc, name
    line = f"# yaml-language-server: $schema={SCHEMA_BASE_URL}offering.schema.json"
    assert line in doc
    assert line in (ROOT / "README.md").read_text("utf-8")
