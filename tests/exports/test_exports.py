"""Exports: JSON, YAML, SQLite, LiteLLM; read_export and its errors."""

from __future__ import annotations

import gzip
import json
import os
import re
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import llmaestro
from llmaestro.catalog.bundle import BUNDLE_FORMAT
from llmaestro.catalog.export_model import EXPORT_FORMAT, EXPORT_VERSION, render_export_schema
from llmaestro.errors import ExportError
from llmaestro.exports import (
    export_document,
    export_json,
    export_litellm,
    export_sqlite,
    export_yaml,
    read_export,
    record_json,
    write_export,
)
from llmaestro.registry.core import Registry
from tests.conftest import ROOT
from tests.exports._fixtures import sample_document, sample_registry

STAMP = "2026-11-27T00:00:00Z"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return sample_registry()


def _same(a: Registry, b: Registry) -> None:
    assert list(a) == list(b)
    assert a.ids == b.ids
    assert dict(a.providers()) == dict(b.providers())
    assert a.canonical_ids == b.canonical_ids
    for ref in a.canonical_ids:
        assert a.canonical_model(ref) == b.canonical_model(ref)
    assert a.to_document() == b.to_document()


# --- JSON ---------------------------------------------------------------------------------------


def test_json_export_round_trips_exactly(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(export_json(registry, generated=STAMP), "utf-8")
    back = read_export(path)
    _same(registry, back)
    assert back.info.fingerprint == "test-fingerprint"
    assert back.info.source == str(path)
    # and through the public entry point
    _same(registry, llmaestro.load(catalog=path))


def test_json_export_shape_is_documented_and_deterministic(registry: Registry) -> None:
    text = export_json(registry, generated=STAMP)
    doc = json.loads(text)
    assert list(doc)[:4] == ["format", "version", "generated", "generator"]
    assert (doc["format"], doc["version"], doc["generated"]) == (EXPORT_FORMAT, 1, STAMP)
    assert [p["provider"] for p in doc["providers"]] == ["google", "openai", "relay"]
    assert [f"{m['lab']}/{m['model']}" for m in doc["canonical_models"]] == sorted(
        registry.canonical_ids
    )
    ids = [f"{o['provider']}/{o['model']}" for o in doc["offerings"]]
    assert ids == list(registry.ids) == sorted(ids)
    gpt4o = doc["offerings"][ids.index("openai/gpt-4o")]
    assert list(gpt4o)[:3] == ["provider", "model", "base"]
    assert gpt4o["base"] == "openai/gpt-4o"  # the canonical link is kept
    assert gpt4o["pricing"]["input"] == "2.50"  # exact decimal strings
    assert gpt4o["pricing"]["history"][0]["effective"] == "2024-05-13"
    # the same registry, however it was built, exports to the same text
    shuffled = sample_document()
    shuffled["offerings"] = list(reversed(shuffled["offerings"]))
    shuffled["offerings"][0] = dict(reversed(list(shuffled["offerings"][0].items())))
    again = Registry.from_document(shuffled)
    assert export_json(again, generated=STAMP) == text
    assert text.endswith("}\n")


def test_json_export_validates_against_its_schema(registry: Registry) -> None:
    schema = json.loads((ROOT / "schemas" / "export.schema.json").read_text("utf-8"))
    assert schema == json.loads(render_export_schema()), "run `make schemas`"
    assert schema["$id"] == "https://llmaestro.github.io/llmaestro/schemas/v1/export.schema.json"
    assert schema["$defs"]["Price"]["type"] == "string"
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    doc = json.loads(export_json(registry))
    validator.validate(doc)
    bad = json.loads(export_json(registry))
    bad["offerings"][0]["pricing"]["input"] = 1.25  # a float price is not the format
    assert list(validator.iter_errors(bad))


def test_generated_honours_source_date_epoch(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764201600")
    assert export_document(registry)["generated"] == "2025-11-27T00:00:00Z"
    assert export_json(registry) == export_json(registry)


def test_yaml_export_reads_back(registry: Registry, tmp_path: Path) -> None:
    text = export_yaml(registry, generated=STAMP)
    assert text.startswith(
        "# yaml-language-server: $schema=https://llmaestro.github.io/llmaestro/schemas/v1/"
    )
    assert "input: '2.50'" in text  # prices stay exact strings
    path = tmp_path / "catalog.yaml"
    path.write_text(text, "utf-8")
    _same(registry, read_export(path))


# --- SQLite -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def database(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "catalog.db"
    export_sqlite(registry, path, generated=STAMP)
    return path


def _rows(path: Path, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def test_sqlite_export_round_trips_exactly(registry: Registry, database: Path) -> None:
    back = read_export(database)
    _same(registry, back)
    assert back.info.fingerprint == "test-fingerprint"
    _same(registry, llmaestro.load(catalog=database))


def test_sqlite_meta_integrity_and_pragmas(database: Path) -> None:
    meta = dict(_rows(database, "SELECT key, value FROM meta"))
    assert meta["format"] == EXPORT_FORMAT
    assert meta["version"] == str(EXPORT_VERSION)
    assert meta["fingerprint"] == "test-fingerprint"
    assert meta["generated"] == STAMP
    assert _rows(database, "PRAGMA application_id") == [(0x4C4C4D41,)]
    assert _rows(database, "PRAGMA user_version") == [(EXPORT_VERSION,)]
    assert _rows(database, "PRAGMA foreign_key_check") == []
    assert _rows(database, "PRAGMA integrity_check") == [("ok",)]


def test_sqlite_prices_are_exact_text_with_a_real_for_sorting(database: Path) -> None:
    rows = _rows(
        database,
        "SELECT scope, service_tier, above_tokens, effective, until, position, input, "
        "input_num, typeof(input) FROM prices WHERE offering_id = ? ORDER BY id",
        ("openai/gpt-4o",),
    )
    assert rows == [
        ("base", None, None, "2024-10-01", None, 0, "2.50", 2.5, "text"),
        ("service_tier", "batch", None, None, None, 0, "1.25", 1.25, "text"),
        ("history", None, None, "2024-05-13", "2024-09-30", 0, "5.00", 5.0, "text"),
        # the period's context tier: its threshold, the period's days and position
        ("history", None, 64000, "2024-05-13", "2024-09-30", 0, "7.50", 7.5, "text"),
    ]


def test_sqlite_normalized_tables(database: Path) -> None:
    assert _rows(database, "SELECT offering_id FROM aliases WHERE alias = 'gpt-4o-2024-08-06'") == [
        ("openai/gpt-4o",)
    ]
    assert _rows(
        database,
        "SELECT capability, supported FROM capabilities WHERE offering_id = 'openai/gpt-4o' "
        "ORDER BY capability",
    ) == [("reasoning", 0), ("streaming", 1), ("structured_output", 1), ("tool_calling", 1)]
    assert _rows(
        database,
        "SELECT direction, modality FROM modalities WHERE offering_id = 'openai/gpt-4o' "
        "ORDER BY direction, modality",
    ) == [("input", "image"), ("input", "pdf"), ("input", "text"), ("output", "text")]
    assert _rows(
        database, "SELECT context, max_input, max_output FROM limits WHERE offering_id = ?",
        ("relay/mystery",),
    ) == [(None, None, None)]  # fmt: skip
    assert _rows(
        database,
        "SELECT t.tier, t.requests_per_minute, t.requests_per_day, group_concat(m.pattern) "
        "FROM tiers t LEFT JOIN tier_models m ON m.tier_id = t.id "
        "WHERE t.provider_id = 'openai' GROUP BY t.id ORDER BY t.position",
    ) == [("tier-1", 500, None, "gpt-4o,gpt-4o-2024-08-06"), ("free", None, 200, None)]
    assert _rows(
        database, "SELECT id, base_id FROM offerings WHERE base_id IS NOT NULL ORDER BY id"
    ) == [
        ("google/gemini-2.5-pro", "google/gemini-2.5-pro"),
        ("openai/gpt-4o", "openai/gpt-4o"),
        ("relay/gpt-4o", "openai/gpt-4o"),
    ]
    assert _rows(
        database, "SELECT input_price, output_price FROM offering_summary WHERE id = 'relay/gpt-4o'"
    ) == [("2.00", "8.00")]


SQL_BLOCK = re.compile(r"```sql\n(.*?)```", re.S)

#: expected results of docs/sqlite.md's example queries over the sample registry, in order
EXPECTED_EXAMPLES: list[list[tuple[Any, ...]]] = [
    [
        ("openai/o3-mini", 200000, "1.10", "4.40"),
        ("google/gemini-2.5-pro", 1048576, "1.25", "10.00"),
        ("relay/gpt-4o", 128000, "2.00", "8.00"),
        ("openai/gpt-4o", 128000, "2.50", "10.00"),
    ],
    [
        ("relay/gpt-4o", "active", "2.00", "8.00", None),
        ("openai/gpt-4o", "active", "2.50", "10.00", "1.25"),
    ],
    [
        ("base", None, None, "1.25", "10.00"),
        ("context_tier", None, 200000, "2.50", "15.00"),
        ("service_tier", "batch", None, "0.625", "5.00"),
    ],
    [("openai/gpt-4-0613", "retired", "2025-06-06", "gpt-4o")],
    [("google/gemini-2.5-pro", None), ("openai/o3-mini", '["low","medium","high"]')],
]


def test_the_documented_example_queries_answer(database: Path) -> None:
    doc = (ROOT / "docs" / "sqlite.md").read_text("utf-8")
    queries = SQL_BLOCK.findall(doc)
    assert len(queries) >= 3
    assert len(queries) == len(EXPECTED_EXAMPLES)
    for sql, expected in zip(queries, EXPECTED_EXAMPLES, strict=True):
        assert _rows(database, sql) == expected, sql


def test_the_documented_tables_exist(database: Path) -> None:
    doc = (ROOT / "docs" / "sqlite.md").read_text("utf-8")
    sql = "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
    names = {name for (name,) in _rows(database, sql) if not name.startswith("sqlite_")}
    documented = set(re.findall(r"^\| `([a-z_]+)`", doc, re.M))
    assert names <= documented | {"offering_summary"}
    assert {"providers", "canonical_models", "offerings", "prices", "tiers", "limits",
            "aliases", "capabilities", "modalities", "meta"} <= names  # fmt: skip


def test_sqlite_export_replaces_an_existing_file(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "catalog.db"
    path.write_bytes(b"old")
    export_sqlite(registry, path)
    _same(registry, read_export(path))
    assert [p.name for p in tmp_path.iterdir()] == ["catalog.db"]  # no temporary file left


def test_sqlite_export_refuses_a_dangling_base(tmp_path: Path) -> None:
    doc = sample_document()
    doc["offerings"][0]["base"] = "nobody/nothing"
    with pytest.raises(ExportError, match="base"):
        export_sqlite(Registry.from_document(doc), tmp_path / "x.db")
    assert list(tmp_path.iterdir()) == []


# --- LiteLLM ------------------------------------------------------------------------------------

#: LiteLLM keys this exporter may write (checked against LiteLLM's own price file below)
LITELLM_KEYS = {
    "litellm_provider", "mode", "max_input_tokens", "max_output_tokens", "max_tokens",
    "input_cost_per_token", "output_cost_per_token", "cache_read_input_token_cost",
    "cache_creation_input_token_cost", "cache_creation_input_token_cost_above_1hr",
    "output_cost_per_reasoning_token", "input_cost_per_audio_token",
    "output_cost_per_audio_token", "cache_read_input_audio_token_cost",
    "input_cost_per_image_token", "output_cost_per_image_token", "output_cost_per_image",
    "input_cost_per_image", "input_cost_per_second", "output_cost_per_second",
    "input_cost_per_character", "input_cost_per_query", "input_cost_per_request",
    "search_context_cost_per_query", "supports_function_calling",
    "supports_parallel_function_calling", "supports_tool_choice", "supports_response_schema",
    "supports_system_messages", "supports_prompt_caching", "supports_web_search",
    "supports_computer_use", "supports_reasoning", "supports_vision", "supports_pdf_input",
    "supports_audio_input", "supports_video_input", "supports_audio_output",
    "supported_modalities", "supported_output_modalities", "deprecation_date",
    "successor_model", "source",
}  # fmt: skip
DERIVED_KEY = re.compile(
    r"^(?P<base>[a-z_]+?)(?:_above_(?:\d+k?)_tokens)?(?P<tier>_batches|_flex|_priority)?$"
)
PINNED = Path("/work/shared/data/sources/litellm-1.110.2-model_prices_and_context_window.json.gz")


def _base_key(key: str) -> str:
    if key in LITELLM_KEYS:
        return key
    match = DERIVED_KEY.match(key)
    assert match is not None, key
    base = re.sub(r"_above_\d+k?_tokens", "", key)
    base = re.sub(r"_(batches|flex|priority)$", "", base)
    return base


def test_litellm_export_uses_litellm_keys_and_per_token_prices(registry: Registry) -> None:
    cost = export_litellm(registry)
    assert list(cost) == sorted(cost)
    gpt = cost["openai/gpt-4o"]
    assert gpt["litellm_provider"] == "openai"
    assert "mode" not in gpt  # LiteLLM's chat/responses split is not in the catalog
    assert gpt["max_input_tokens"] == 128000
    assert gpt["max_output_tokens"] == gpt["max_tokens"] == 16384
    assert gpt["input_cost_per_token"] == pytest.approx(2.5e-6)
    assert gpt["output_cost_per_token"] == pytest.approx(1e-5)
    assert gpt["cache_read_input_token_cost"] == pytest.approx(1.25e-6)
    assert gpt["input_cost_per_token_batches"] == pytest.approx(1.25e-6)
    assert gpt["supports_function_calling"] is True
    assert gpt["supports_vision"] is True
    assert gpt["supports_reasoning"] is False
    assert cost["openai/gpt-4o-2024-08-06"] == gpt  # aliases get their own key
    gemini = cost["gemini/gemini-2.5-pro"]  # the provider's LiteLLM prefix
    assert gemini["litellm_provider"] == "gemini"
    assert gemini["input_cost_per_token_above_200k_tokens"] == pytest.approx(2.5e-6)
    assert gemini["input_cost_per_token_batches"] == pytest.approx(6.25e-7)
    old = cost["openai/gpt-4-0613"]
    assert old["deprecation_date"] == "2025-06-06"  # LiteLLM's meaning: the shutdown day
    assert old["successor_model"] == "openai/gpt-4o"
    embed = cost["openai/text-embedding-3-small"]
    assert embed["mode"] == "embedding"
    assert embed["input_cost_per_token"] == pytest.approx(2e-8)
    assert "output_cost_per_token" not in embed  # unknown stays out
    assert cost["relay/mystery"] == {"litellm_provider": "relay"}
    assert "openai/gpt-4o-2024-08-06" not in export_litellm(registry, aliases=False)
    json.dumps(cost)  # plain JSON


def test_litellm_keys_are_litellm_keys(registry: Registry) -> None:
    emitted = {key for entry in export_litellm(registry).values() for key in entry}
    assert {_base_key(k) for k in emitted} <= LITELLM_KEYS
    if PINNED.is_file():  # LiteLLM's own price file: every base key is one LiteLLM uses
        with gzip.open(PINNED, "rt", encoding="utf-8") as handle:
            theirs = {k for v in json.load(handle).values() if isinstance(v, dict) for k in v}
        # LiteLLM's legacy field (ModelInfo.max_tokens), no longer in the price file
        theirs.add("max_tokens")
        assert theirs >= LITELLM_KEYS
        assert {k for k in emitted if k in theirs or _base_key(k) in theirs} == emitted


def test_litellm_modes_cover_every_kind() -> None:
    from llmaestro.catalog.model import KINDS
    from llmaestro.exports import LITELLM_MODES

    assert set(LITELLM_MODES) == set(KINDS)


# --- read_export errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.json", None, "cannot read"),
        ("empty.json", b"", "not an llmaestro export"),
        ("notes.txt", b"hello", "not an llmaestro export"),
        ("binary.bin", bytes(range(256)), "binary file"),
        ("broken.json", b'{"format": ', "not valid JSON (line 1"),
        ("list.yaml", b"- 1\n- 2\n", "top level is not an object"),
        ("bad.yaml", b"a: [1\n", "not valid YAML"),
        ("other.json", b'{"format": "something"}', "format is 'something'"),
        ("future.json", b'{"format": "llmaestro-catalog", "version": 9}', "version 9"),
        ("fake.db", b"SQLite format 3\x00" + b"\x00" * 200, "cannot read the SQLite export"),
    ],
)
def test_read_export_errors_name_the_file(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ExportError) as info:
        read_export(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_read_export_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="a folder"):
        read_export(tmp_path)


def test_read_export_reports_invalid_entries(registry: Registry, tmp_path: Path) -> None:
    doc = json.loads(export_json(registry))
    doc["offerings"][2]["limits"]["context"] = "big"
    doc["offerings"][3]["pricing"]["input"] = "-1"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(ExportError) as info:
        read_export(path)
    text = str(info.value)
    assert "offerings[2].limits.context" in text
    assert f"offering `{registry.ids[2]}`" in text
    assert "offerings[3].pricing.input" in text


def test_read_export_refuses_duplicates(registry: Registry, tmp_path: Path) -> None:
    doc = json.loads(export_json(registry))
    doc["offerings"].append(doc["offerings"][0])
    path = tmp_path / "dup.json"
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(ExportError, match="twice"):
        read_export(path)


def test_read_export_refuses_an_sqlite_database_of_something_else(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(ExportError, match="no `meta` table"):
        read_export(path)
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    con.execute("INSERT INTO meta VALUES ('format', 'llmaestro-catalog'), ('version', '7')")
    con.commit()
    con.close()
    with pytest.raises(ExportError, match="version 7"):
        read_export(path)


def test_read_export_reads_a_compiled_bundle(tmp_path: Path) -> None:
    from llmaestro.catalog.bundle import compile_catalog
    from tests.conftest import FIXTURES

    path = tmp_path / "bundle.json"
    compile_catalog(FIXTURES / "catalog" / "valid" / "catalog", path)
    assert path.read_bytes().startswith(b'{"format":"' + BUNDLE_FORMAT.encode())
    from_bundle = read_export(path)
    assert from_bundle.ids == ("acme/acme-one", "acme/acme-small")
    again = Registry.from_document(from_bundle.to_document())
    assert list(again) == list(from_bundle)


# --- write_export and records -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "yaml", "sqlite", "litellm"])
def test_write_export_writes_every_format(registry: Registry, tmp_path: Path, fmt: str) -> None:
    path = write_export(registry, fmt, tmp_path / "sub" / f"out.{fmt}")
    assert path.is_file()
    if fmt == "litellm":
        assert "openai/gpt-4o" in json.loads(path.read_text("utf-8"))
    else:
        _same(registry, read_export(path))


def test_write_export_refuses_an_unknown_format(registry: Registry, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown export format"):
        write_export(registry, "csv", tmp_path / "x.csv")


def test_record_json_is_the_export_form(registry: Registry) -> None:
    doc = registry.to_document()
    for i, offering in enumerate(registry):
        record, exported = record_json(offering), doc["offerings"][i]
        # the record carries the status as of the registry's date, the export the declared
        # one (the catalog's fact: read back on another day, the dates decide again)
        status = record["lifecycle"].pop("status")
        assert status == (offering.lifecycle.status if offering.lifecycle else None)
        assert status in ("preview", "active", "deprecated", "retired")
        declared = (exported.get("lifecycle") or {}).get("status")
        assert declared in (None, status) or status in ("deprecated", "retired")
        if not record["lifecycle"]:
            del record["lifecycle"]
        stripped = {**exported, "lifecycle": dict(exported.get("lifecycle") or {})}
        stripped["lifecycle"].pop("status", None)
        if not stripped["lifecycle"]:
            del stripped["lifecycle"]
        assert record == stripped
    assert record_json(Decimal("1.50")) == "1.50"


@pytest.mark.parametrize("fmt", ["json", "sqlite"])
def test_exports_get_ordinary_file_modes(registry: Registry, tmp_path: Path, fmt: str) -> None:
    umask = os.umask(0)
    os.umask(umask)
    path = write_export(registry, fmt, tmp_path / f"new.{fmt}")
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0600
    path.chmod(0o640)
    write_export(registry, fmt, path)
    assert path.stat().st_mode & 0o777 == 0o640  # a replaced file keeps its mode
