from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from llmaestro.catalog.bundle import compile_catalog, compiled_bundle, fingerprint
from llmaestro.catalog.jsonschemas import write_schemas
from llmaestro.cli.main import main
from llmaestro.errors import CatalogValidationError
from tests.conftest import FIXTURES, ROOT


def _offerings(bundle: Path) -> dict[str, dict[str, Any]]:
    from llmaestro.registry.core import Registry

    doc = Registry.from_bundle_bytes(bundle.read_bytes(), source=str(bundle)).to_document()
    return {f"{o['provider']}/{o['model']}": o for o in doc["offerings"]}


def test_committed_schemas_are_fresh() -> None:
    assert write_schemas(ROOT / "schemas", check=True) == [], "run `make schemas`"


def test_schema_check_names_the_command_when_stale(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["schemas", "--check", "--out", str(tmp_path)])
    assert res.exit_code == 1
    assert "run `make schemas`" in res.stderr


def test_the_repository_catalog_validates_with_zero_errors() -> None:
    from llmaestro.catalog.validate import validate_catalog

    result = validate_catalog(ROOT / "catalog")
    assert result.errors == []
    assert len(result.offerings) >= 10


def test_compile_writes_resolved_offerings(tmp_path: Path) -> None:
    out = tmp_path / "bundle.json"
    compile_catalog(ROOT / "catalog", out)
    head = json.loads(out.read_bytes().split(b"\n", 1)[0])
    assert head["format"] == "llmaestro-bundle"
    gpt4o = _offerings(out)["openai/gpt-4o"]
    # inherited from the canonical model, priced by the offering, Decimal kept as text
    assert gpt4o["limits"]["context"] == 128000
    assert gpt4o["pricing"]["input"] == "2.50"
    assert gpt4o["base"] == "openai/gpt-4o"


def test_compile_refuses_an_invalid_catalog_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "bundle.json"
    with pytest.raises(CatalogValidationError) as info:
        compile_catalog(FIXTURES / "catalog" / "invalid" / "output-above-context" / "catalog", out)
    assert not out.exists()
    assert "LM020" in str(info.value)


def test_cache_is_keyed_by_the_catalog_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLMAESTRO_CACHE_DIR", str(tmp_path / "cache"))
    catalog = tmp_path / "catalog"
    shutil.copytree(FIXTURES / "catalog" / "valid" / "catalog", catalog)
    first = Path(compiled_bundle(catalog)[1])
    assert Path(compiled_bundle(catalog)[1]) == first
    before = fingerprint(catalog)
    small = catalog / "providers" / "acme" / "models" / "acme-small.yaml"
    small.write_text(small.read_text().replace("input: 0.10", "input: 0.11"))
    assert fingerprint(catalog) != before
    second = Path(compiled_bundle(catalog)[1])
    assert second != first
    assert _offerings(second)["acme/acme-small"]["pricing"]["input"] == "0.11"
