"""Each hostile file of the hardening issue, in-process: located problems, bounded time,
escaped one-line output, no echoed key, an empty catalog refused by validate and load()."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest

import llmaestro
from llmaestro.catalog.diagnostics import Diagnostic, format_github, format_json, format_text
from llmaestro.catalog.validate import validate_catalog
from llmaestro.catalog.writer import render
from llmaestro.catalog.yamlread import parse_yaml
from llmaestro.errors import CatalogError
from llmaestro.exports import EXPORT_FORMATS, read_export, write_export
from tests.conftest import FIXTURES, GOLDEN_TODAY

VALID = FIXTURES / "catalog" / "valid" / "catalog"
OFFERING = "providers/acme/models/acme-small.yaml"
HEADER = b"# yaml-language-server: $schema=../../../../schemas/offering.schema.json\n"
SMALL = (VALID / OFFERING).read_bytes()
KEY = "sk-proj-Zq8vR2mT5xW9yB3nK7pL4sD6fH1jG0aQeUcV"
MIB = 1024 * 1024


def check(tmp_path: Path, content: bytes, rel: str = OFFERING) -> list[Diagnostic]:
    """Validate the valid fixture with one file replaced; the problems, in at most 1 s of CPU."""
    root = tmp_path / "catalog"
    if not root.exists():
        shutil.copytree(VALID, root)
    (root / rel).write_bytes(content)
    start = time.process_time()
    result = validate_catalog(root, display_root="catalog", today=GOLDEN_TODAY)
    assert time.process_time() - start < 1.0
    return result.diagnostics


def where(diagnostics: list[Diagnostic]) -> list[tuple[int, int, str]]:
    return [(d.line, d.column, d.code) for d in diagnostics]


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(HEADER + b"name: 1" + b"_" * 30_000 + b"x\nkind: chat\n", id="underscores"),
        pytest.param(HEADER + b"name: 1" + b"_" * (MIB - 200) + b"x\n", id="underscores-1MiB"),
        pytest.param(
            HEADER + b"".join(b"k%d: 1\n" % i for i in range(100_000))[: MIB - 200],
            id="100000-unknown-keys",
        ),
        pytest.param(HEADER + b"aliases:\n" + b"- 0x1\n" * 170_000, id="170000-hazards"),
        pytest.param(HEADER + b"name: x\n" * 130_000, id="130000-duplicate-keys"),
        pytest.param(HEADER + b"- &a x\n" * 140_000, id="140000-anchors"),
        pytest.param(HEADER + b"name: " + b"[" * 500_000 + b"]" * 500_000, id="deep-flow"),
        pytest.param(HEADER + b"aliases: [" + b"a," * 500_000 + b"a]\n", id="500000-flow-items"),
        pytest.param(HEADER + b"aliases: [" + b"a," * 99_000 + b"a]\n", id="99000-flow-items"),
        pytest.param(HEADER + b"\x00" * (MIB - 100), id="nuls"),
        pytest.param(
            HEADER + b"".join(b"sk-abcdefghijklmnopqrst%06d: 1\n" % i for i in range(30_000)),
            id="30000-secret-keys",
        ),
    ],
)
def test_a_hostile_file_up_to_1_mib_is_answered_within_1_s(tmp_path: Path, content: bytes) -> None:
    assert len(content) <= MIB
    diagnostics = check(tmp_path, content)
    assert diagnostics
    assert all(d.line >= 1 and d.column >= 1 for d in diagnostics)
    assert len(format_text(diagnostics).splitlines()) <= 101


def test_deep_nesting_is_one_located_problem_in_every_format(tmp_path: Path) -> None:
    diagnostics = check(tmp_path, HEADER + b"name: " + b"[" * 990 + b"]" * 990 + b"\n")
    assert where(diagnostics) == [(2, 39, "LM001")]
    assert "nested deeper than 32 levels" in diagnostics[0].message
    assert json.loads(format_json(diagnostics, {}))["problems"][0]["line"] == 2


def test_huge_numbers_are_located_and_bounded_by_the_schema(tmp_path: Path) -> None:
    huge = SMALL.replace(b"context: 32000", b"context: 1" + b"0" * 4400)
    assert where(check(tmp_path, huge)) == [(5, 12, "LM012")]
    above = SMALL.replace(b"context: 32000", b"context: 1" + b"0" * 400)
    (problem,) = check(tmp_path, above)
    assert (problem.line, problem.column, problem.pointer) == (5, 12, "/limits/context")
    assert "9007199254740992" in problem.format()
    priced = SMALL.replace(b"input: 0.10", b"input: 1e400")
    assert [d.pointer for d in check(tmp_path, priced)] == ["/pricing/input"]
    exact = SMALL.replace(b"context: 32000", b"context: 9007199254740992")
    assert [d.code for d in check(tmp_path, exact)] == []


@pytest.mark.parametrize(
    ("char", "name"),
    [("\x00", "U+0000 (NUL)"), ("\x7f", "U+007F (DEL)"), ("\x1b", "U+001B (ESC)")],
)
def test_a_control_character_on_line_10_is_reported_there(
    tmp_path: Path, char: str, name: str
) -> None:
    text = SMALL.decode().replace("lifecycle:", f"life{char}cycle:")
    assert text.splitlines()[9] == f"life{char}cycle:"
    (problem,) = check(tmp_path, text.encode())
    assert where([problem]) == [(10, 5, "LM001")]
    assert name in problem.message


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_yaml_only_line_breaks_are_located_where_an_editor_shows_them(
    tmp_path: Path, char: str
) -> None:
    text = SMALL.decode().replace("name: Acme Small", f"name: Acme{char}Small")
    problems = check(tmp_path, text.encode() + "ünknown: 1\n".encode())
    assert where(problems) == [(2, 11, "LM001")]
    assert "YAML reads a line break where editors show none" in problems[0].message


def test_a_cr_only_file_is_located_by_its_lines_and_not_dumped(tmp_path: Path) -> None:
    problems = check(tmp_path, (SMALL + b"bogus: 1\n").replace(b"\n", b"\r"))
    assert where(problems) == [(13, 1, "LM012")]
    assert len(problems[0].format()) < 700


def test_output_escapes_values_and_stays_one_line_per_problem(tmp_path: Path) -> None:
    forged = SMALL.replace(b"kind: chat", b'kind: "x\\nvalid: 4 files; 0 errors\\e]0;pwned\\a"')
    problems = check(tmp_path, forged)
    for out in (format_text(problems), format_github(problems)):
        assert len(out.splitlines()) == len(problems) == 1
        assert "\x1b" not in out and "\x07" not in out
        assert "x\\nvalid: 4 files; 0 errors\\x1b]0;pwned\\x07" in out
    message = json.loads(format_json(problems, {}))["problems"][0]["found"]
    assert message == 'string "x\\nvalid: 4 files; 0 errors\\x1b]0;pwned\\x07"'


def test_github_annotations_escape_their_properties_and_message() -> None:
    problem = Diagnostic("my: cat,alog/100%/a.yaml", 3, 4, "LM012", "/a", "50% off\r\nnext")
    (line,) = format_github([problem]).splitlines()
    assert line == (
        "::error file=my%3A cat%2Calog/100%25/a.yaml,line=3,col=4,title=LM012"
        "::LM012 /a: 50%25 off\\r\\nnext"
    )


def test_a_key_pasted_as_an_auth_env_name_is_never_printed(tmp_path: Path) -> None:
    provider = (VALID / "providers/acme/provider.yaml").read_bytes()
    pasted = provider.replace(b"[ACME_API_KEY]", f"[{KEY}]".encode())
    problems = check(tmp_path, pasted, "providers/acme/provider.yaml")
    assert {(d.pointer, d.code) for d in problems} == {
        ("/api/auth/env/0", "LM012"),
        ("/api/auth/env/0", "LM037"),
    }
    for out in (format_text(problems), format_github(problems), format_json(problems, {})):
        assert KEY not in out and KEY[:12] not in out


def test_a_key_used_as_a_mapping_key_is_reported_at_the_key_and_never_printed(
    tmp_path: Path,
) -> None:
    problems = check(tmp_path, SMALL + f"{KEY}: 1\n".encode())
    assert ("LM037", 13, 1) in [(d.code, d.line, d.column) for d in problems]
    for out in (format_text(problems), format_github(problems), format_json(problems, {})):
        assert KEY not in out


def test_an_empty_catalog_is_refused_by_validate_and_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLMAESTRO_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "empty"
    (root / "providers" / "acme").mkdir(parents=True)
    shutil.copyfile(VALID / "providers/acme/provider.yaml", root / "providers/acme/provider.yaml")
    (problem,) = validate_catalog(root, display_root="empty").diagnostics
    assert problem.format() == (
        "empty:1:1: LM042 /: the catalog holds no offering "
        "(expected at least one providers/<provider>/models/<model>.yaml)"
    )
    with pytest.raises(CatalogError, match="LM042"):
        llmaestro.load(catalog=root)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_in_the_catalog_is_reported_without_blocking(tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(VALID, root)
    os.mkfifo(root / "providers/acme/models/acme-fifo.yaml")
    result = validate_catalog(root, display_root="catalog", today=GOLDEN_TODAY)
    assert [(d.path, d.code) for d in result.diagnostics] == [
        ("catalog/providers/acme/models/acme-fifo.yaml", "LM009")
    ]


@pytest.mark.parametrize("value", ["a\x85b", "a\u2028b", "x\u2029", "two\nlines\u2028", "a\x1b"])
def test_the_writer_writes_what_the_reader_reads_back(value: str) -> None:
    text = render({"name": value}, "# c")
    assert not re.search("[\x85\u2028\u2029\x1b]", text)
    doc = parse_yaml(text.encode(), "f.yaml")
    assert (doc.data, doc.diagnostics) == ({"name": value}, [])


def test_extreme_valid_values_export_in_every_format_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLMAESTRO_CACHE_DIR", str(tmp_path / "cache"))
    extreme = (
        SMALL.decode()
        .replace("name: Acme Small", 'name: "Acme\\LSmall\\N\\e[31m\\x00 \\u202e"')
        .replace("kind: chat", 'kind: chat\ndescription: "' + "d\\P" * 600 + '"')
        .replace("input: 0.10", "input: 9007199254740992")
        .replace("output: 0.20", "output: 1e-100")
        .replace("context: 32000", "context: 9007199254740992")
        .replace("max_output: 4000", "max_output: 9007199254740991")
    )
    assert check(tmp_path, extreme.encode()) == []
    registry = llmaestro.load(catalog=tmp_path / "catalog")
    offering = registry.get("acme/acme-small")
    for fmt in EXPORT_FORMATS:
        path = write_export(registry, fmt, tmp_path / f"export.{fmt}")
        if fmt in ("json", "sqlite"):
            back = read_export(str(path)).get("acme/acme-small")
            assert (back.name, back.pricing, back.limits) == (
                offering.name,
                offering.pricing,
                offering.limits,
            )
    text = (tmp_path / "export.yaml").read_bytes()
    assert parse_yaml(text, "export.yaml").diagnostics == []
    litellm = json.loads((tmp_path / "export.litellm").read_text("utf-8"))
    assert litellm["acme/acme-small"]["max_input_tokens"] == 2**53
