"""``llmaestro site build``: the files it writes, the JSON API, escaping, safe file names, the
chart, and the refusal to overwrite a folder it did not make."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest
from click.testing import CliRunner

from llmaestro.catalog.model import CanonicalModel, Offering, Provider
from llmaestro.catalog.paths import decode_id, encode_id
from llmaestro.cli.site import site as site_group
from llmaestro.errors import SiteError
from llmaestro.exports import export_json
from llmaestro.registry.core import Registry
from llmaestro.site.api import INDEX_FORMAT
from llmaestro.site.build import MARKER, SiteBuild, build_site
from llmaestro.site.chart import Point, price_context_svg
from llmaestro.site.filters import number_attr, safe_url, tokens_short, usd
from llmaestro.site.paths import model_page, provider_page
from tests.site._htmlcheck import parse_errors
from tests.site.conftest import GENERATED, ROOT

SAFE_PATH = re.compile(r"^[a-z0-9._~^/-]+$")


def _load(site: SiteBuild, path: str) -> Any:
    return json.loads((site.out / path).read_text("utf-8"))


def test_layout(site: SiteBuild, registry: Registry) -> None:
    out = site.out
    for path in (
        "index.html",
        "chart.html",
        "providers.html",
        "models.html",
        "static/site.css",
        "static/site.js",
        "api/index.json",
        "api/catalog.json",
        "api/export.schema.json",
        ".nojekyll",
        MARKER,
    ):
        assert (out / path).is_file(), path
    for pid in registry.provider_ids:
        assert (out / provider_page(pid)).is_file()
        assert (out / "api/providers" / f"{encode_id(pid)}.json").is_file()
    for ref in registry.canonical_ids:
        assert (out / model_page(ref)).is_file()
    assert len(site.pages) == 4 + len(registry.provider_ids) + len(registry.canonical_ids)
    assert site.offerings == len(registry)
    # one stylesheet, two scripts (test_html checks that no page loads anything else)
    assert sorted(p.name for p in (out / "static").iterdir()) == ["chart.js", "site.css", "site.js"]


def test_catalog_json_is_the_json_export(site: SiteBuild, registry: Registry) -> None:
    text = (site.out / "api/catalog.json").read_text("utf-8")
    assert text == export_json(registry, generated=GENERATED)


def test_api_files_follow_the_export_schema(site: SiteBuild) -> None:
    schema_text = (site.out / "api/export.schema.json").read_text("utf-8")
    assert schema_text == (ROOT / "schemas/export.schema.json").read_text("utf-8")
    schema = json.loads(schema_text)
    validator = jsonschema.Draft202012Validator(schema)
    catalog = _load(site, "api/catalog.json")
    # catalog.json is export_json's text (test above), which the export's own tests hold to
    # the schema; here: every provider and canonical model, and every 7th offering (the
    # whole file takes seconds at 8,000 offerings)
    sample = {**catalog, "offerings": catalog["offerings"][::7]}
    errors = [e.message for e in validator.iter_errors(sample)][:5]
    assert not errors
    # each provider file: the catalog's own entries for that provider, in the same format
    by_ref = {f"{m['lab']}/{m['model']}": m for m in catalog["canonical_models"]}
    seen: list[dict[str, Any]] = []
    files = sorted((site.out / "api/providers").glob("*.json"))
    assert len(files) == len(catalog["providers"])
    smallest = min(files, key=lambda f: f.stat().st_size)
    for path in files:
        doc = json.loads(path.read_text("utf-8"))
        head = {
            k: v for k, v in doc.items() if k not in ("providers", "canonical_models", "offerings")
        }
        assert head == {
            k: v
            for k, v in catalog.items()
            if k not in ("providers", "canonical_models", "offerings")
        }
        (provider,) = doc["providers"]
        assert path.name == f"{encode_id(provider['provider'])}.json"
        assert all(o["provider"] == provider["provider"] for o in doc["offerings"])
        bases = sorted({o["base"] for o in doc["offerings"] if "base" in o})
        assert doc["canonical_models"] == [by_ref[b] for b in bases]
        seen += doc["offerings"]
        if path == smallest:
            assert not [e.message for e in validator.iter_errors(doc)][:5]
    assert sorted(seen, key=lambda o: f"{o['provider']}/{o['model']}") == catalog["offerings"]


def test_index_json_lists_every_id_with_its_files(site: SiteBuild, registry: Registry) -> None:
    index = _load(site, "api/index.json")
    assert index["format"] == INDEX_FORMAT and index["version"] == 1
    assert index["generated"] == GENERATED
    api = site.out / "api"
    assert (api / index["catalog"]).is_file() and (api / index["schema"]).is_file()
    assert sorted(o["id"] for o in index["offerings"]) == sorted(registry.ids)
    assert [p["id"] for p in index["providers"]] == list(registry.provider_ids)
    assert [m["id"] for m in index["canonical_models"]] == list(registry.canonical_ids)
    for p in index["providers"]:
        assert (api / unquote(p["file"])).resolve().is_file()
        assert (api / unquote(p["page"])).resolve().is_file()
    for m in index["canonical_models"]:
        assert (api / unquote(m["page"])).resolve().is_file()
        assert m["offerings"] == [f"{o.provider}/{o.model}" for o in registry.offerings_of(m["id"])]
    for o in index["offerings"][:: max(1, len(index["offerings"]) // 50)]:
        page, _, fragment = o["page"].partition("#")
        assert (api / unquote(page)).resolve().is_file()
        assert fragment


# --- escaping and file names --------------------------------------------------------------------

EVIL = '<script>alert("x")</script>'


def _dump(model: Any, data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = model.model_validate(data, strict=False).model_dump(
        mode="json", exclude_none=True
    )
    return out


def hostile_registry() -> Registry:
    """Ids and texts that must be escaped, and ids that are not file names as they stand."""
    providers = {
        "Evil<Co>": _dump(Provider, {"provider": "Evil<Co>", "name": f"Evil {EVIL} & Co"}),
        "con": _dump(Provider, {"provider": "con", "name": "CON (a reserved name on Windows)"}),
    }
    canonical = {
        "Lab.X/Model:7B": _dump(
            CanonicalModel,
            {
                "lab": "Lab.X",
                "model": "Model:7B",
                "name": f"Model {EVIL}",
                "description": '"><img src=x onerror=alert(1)>',
                "kind": "chat",
            },
        )
    }
    offerings = [
        {
            "provider": "Evil<Co>",
            "model": 'm"1/../../x',
            "name": f"name {EVIL}",
            "base": "Lab.X/Model:7B",
            "kind": "chat",
            "limits": {"context": 128000},
            "modalities": {"input": ["text", "image"], "output": ["text"]},
            "pricing": {
                "input": "0.5",
                "output": "1.5",
                "provenance": [{"source": f"src {EVIL}", "url": "https://e.example/?a=1&b=<2>"}],
            },
            "lifecycle": {
                "status": "deprecated",
                "replacement": "..",
                "retirement_date": "2030-01-01",
            },
        },
        {
            "provider": "con",
            "model": ".hidden.",
            "base": "Lab.X/Model:7B",
            "pricing": {"input": "1E+1"},
            "lifecycle": {"status": "retired", "replacement": 'Evil<Co>/m"1/../../x'},
        },
    ]
    return Registry.from_document(
        {
            "providers": providers,
            "canonical": canonical,
            "offerings": [_dump(Offering, o) for o in offerings],
        }
    )


def test_everything_is_escaped_and_file_names_are_safe(tmp_path: Path) -> None:
    registry = hostile_registry()
    result = build_site(registry, tmp_path / "out", generated=GENERATED)
    out = result.out
    files = [p for p in out.rglob("*") if p.is_file()]
    for p in files:
        rel = p.relative_to(out).as_posix()
        assert p.resolve().is_relative_to(out.resolve())
        if rel not in (MARKER, ".nojekyll"):
            assert SAFE_PATH.fullmatch(rel), rel
    for name in result.pages:
        text = (out / name).read_text("utf-8")
        assert "<script>alert" not in text, name
        assert "<img src=x" not in text, name
        assert not parse_errors(text, name)
    index = (out / "index.html").read_text("utf-8")
    assert "name &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in index
    # ids decode back from their file names
    assert (out / provider_page("Evil<Co>")).is_file()
    assert decode_id(model_page("Lab.X/Model:7B")[len("models/") : -len(".html")]) == (
        "Lab.X/Model:7B"
    )
    assert (out / "providers" / "~63on.html").is_file()  # `con` is no device name
    # the retired offering links its replacement on the provider page
    con = (out / provider_page("con")).read_text("utf-8")
    assert 'href="../providers/%5Eevil~3c%5Eco~3e.html#m%221/../../x"' in con
    catalog = json.loads((out / "api/catalog.json").read_text("utf-8"))
    assert {o["model"] for o in catalog["offerings"]} == {'m"1/../../x', ".hidden."}


def test_outside_links_are_http_only() -> None:
    assert safe_url("https://a.example/x") == "https://a.example/x"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,x") is None
    assert safe_url(None) is None


# --- where it writes ----------------------------------------------------------------------------


def test_refuses_a_folder_it_did_not_make(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = hostile_registry()
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(SiteError, match="refusing"):
        build_site(registry, foreign)
    assert (foreign / "notes.txt").read_text() == "mine"
    (tmp_path / "file").write_text("x")
    with pytest.raises(SiteError, match="not a folder"):
        build_site(registry, tmp_path / "file")
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    for here in (".", ".."):
        with pytest.raises(SiteError, match="current folder"):
            build_site(registry, here)


def test_rebuild_replaces_the_previous_site(tmp_path: Path) -> None:
    registry = hostile_registry()
    out = tmp_path / "site"
    build_site(registry, out)
    (out / "providers" / "stale.html").write_text("old")
    build_site(registry, out)
    assert not (out / "providers" / "stale.html").exists()
    assert (out / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temporary folder left


def test_cli_build(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.json"
    catalog.write_text(export_json(hostile_registry(), generated=GENERATED), "utf-8")
    runner = CliRunner()
    result = runner.invoke(site_group, ["build", str(tmp_path / "out"), "--catalog", str(catalog)])
    assert result.exit_code == 0, result.output
    assert "2 offerings" in result.output and "gzip" in result.output
    assert (tmp_path / "out" / "index.html").is_file()
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "x").write_text("x")
    result = runner.invoke(site_group, ["build", str(tmp_path / "busy"), "--catalog", str(catalog)])
    assert result.exit_code == 1
    assert "refusing" in result.output


# --- pieces -------------------------------------------------------------------------------------


def test_formatting() -> None:
    assert usd(Decimal("2.5")) == "$2.50"
    assert usd(Decimal("0.075")) == "$0.075"
    assert usd(Decimal("1E+1")) == "$10.00"
    assert usd(Decimal("0")) == "$0.00"
    assert usd(None) == "—"
    assert tokens_short(128000) == "128K"
    assert tokens_short(1048576) == "1.05M"
    assert tokens_short(512) == "512"
    assert number_attr(Decimal("1.00")) == "1"
    assert number_attr(Decimal("1E-7")) == "0.0000001"
    assert number_attr(Decimal("1E+1")) == "10"
    assert number_attr(None) is None


def test_chart_is_log_log_svg() -> None:
    points = [
        Point(1_000, 0.1, "a <1>", "a.html", "chat"),
        Point(10_000, 1.0, "b", "b.html", "chat"),
        Point(100_000, 10.0, "c", None, "embedding"),
        Point(100_000, 0.0, "free: not on a log scale", None, "chat"),
    ]
    svg = str(price_context_svg(points, title="T & t", groups=("chat", "embedding")))
    root = ET.fromstring(svg)  # well-formed XML
    ns = {"s": "http://www.w3.org/2000/svg"}
    circles = root.findall(".//s:g[@class='pts']//s:circle", ns)
    assert len(circles) == 3
    xs = sorted(float(c.get("cx", "0")) for c in circles)
    ys = sorted(float(c.get("cy", "0")) for c in circles)
    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1], abs=0.2)  # equal steps per decade
    assert ys[1] - ys[0] == pytest.approx(ys[2] - ys[1], abs=0.2)
    assert (
        root.find("s:title", ns) is not None and root.findtext("s:title", namespaces=ns) == "T & t"
    )
    assert "a &lt;1&gt;" in svg
    empty = ET.fromstring(str(price_context_svg([], title="none")))
    assert "No offering" in "".join(empty.itertext())


def test_builds_are_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    registry = hostile_registry()
    first = build_site(registry, tmp_path / "a").out
    second = build_site(registry, tmp_path / "b").out

    def files(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
        }

    assert files(first) == files(second)
    assert json.loads((first / "api/index.json").read_text())["generated"] == "2026-11-18T11:06:40Z"
