"""`llmaestro fmt`: canonical catalog files, comments kept, --check, located errors, modes."""

from __future__ import annotations

import os
import re
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from llmaestro._atomic import write_text_atomic
from llmaestro.catalog.fmt import classify, format_text
from llmaestro.catalog.fmt_run import run
from llmaestro.catalog.tree import SCHEMA_COMMENT
from llmaestro.catalog.validate import validate_paths
from llmaestro.catalog.writer import render
from llmaestro.catalog.yamlread import parse_yaml
from llmaestro.cli import main
from tests.catalog._messy_yaml import Writer, any_documents, documents
from tests.conftest import FIXTURES, ROOT

OFFERING_LINE = SCHEMA_COMMENT + "../../../../schemas/offering.schema.json"
VALID = FIXTURES / "catalog" / "valid" / "catalog"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLMAESTRO_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository layout: catalog/ with schemas/ beside it (our own layout)."""
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    (tmp_path / "catalog" / "providers" / "acme" / "models").mkdir(parents=True)
    return tmp_path


def offering(repo: Path, text: str, name: str = "m.yaml") -> Path:
    path = repo / "catalog" / "providers" / "acme" / "models" / name
    path.write_text(text, "utf-8")
    return path


def fmt_file(path: Path, *, fast: bool = True) -> tuple[str | None, list[str]]:
    found = classify(path)
    assert found is not None
    result = format_text(path.read_bytes(), path, *found, str(path), fast=fast)
    assert result.diagnostics == [] or result.text is None
    return result.text, result.reasons


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["fmt", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


# --- the canonical form ----------------------------------------------------------------------


def test_a_canonical_file_is_left_byte_for_byte(repo: Path) -> None:
    text = (ROOT / "catalog" / "providers" / "openai" / "models" / "gpt-4o.yaml").read_text()
    path = offering(repo, text)
    before = path.stat().st_mtime_ns
    assert fmt_file(path) == (text, [])
    assert fmt_file(path, fast=False) == (text, [])
    code, out, _ = invoke(str(repo / "catalog"), "--quiet")
    assert (code, out) == (0, "")
    assert path.read_text() == text
    assert path.stat().st_mtime_ns == before  # not even rewritten with the same bytes


def test_keys_quoting_numbers_and_lists_are_put_in_canonical_form(repo: Path) -> None:
    path = offering(
        repo,
        f"{OFFERING_LINE}\n"
        "pricing:\n"
        "    output: 1e1\n"
        "    input: +.5\n"
        "    cache_read: 1.5e-7\n"
        "    history:\n"
        "    - until: 2024-09-30\n"
        "      effective: 2024-05-13\n"
        "      input: 5.\n"
        'kind: "chat"\n'
        "aliases:\n"
        "  - x\n"
        "  - 'y'\n"
        "  - '2.50'\n"
        "name: 'Model M'\n"
        "limits: {max_output: +4096, context: 128000}\n"
        'tokenizer: "o200k_base"\n',
    )
    text, reasons = fmt_file(path)
    assert text == (
        f"{OFFERING_LINE}\n"
        "name: Model M\n"
        "kind: chat\n"
        "aliases: [x, 'y', '2.50']\n"  # `y` and `2.50` unquoted would be a boolean and a number
        "limits:\n"
        "  context: 128000\n"
        "  max_output: 4096\n"
        "tokenizer: o200k_base\n"
        "pricing:\n"
        "  input: 0.5\n"
        "  output: 10.0\n"
        "  cache_read: 0.00000015\n"
        "  history:\n"
        "    - effective: 2024-05-13\n"
        "      until: 2024-09-30\n"
        "      input: 5.0\n"
    )
    assert reasons == ["key order", "number spelling"]


@pytest.mark.parametrize("item", ["a:b", ":a", "?a", "model:free", "a: b"])
def test_one_line_lists_quote_what_the_strict_reader_would_misread(item: str) -> None:
    # ruamel (YAML 1.2) writes `[a:b]` plain; the catalog's YAML 1.1 reader stops at the `:`
    text = render({"aliases": [item, "x"]}, OFFERING_LINE)
    assert parse_yaml(text.encode(), "f").data == {"aliases": (item, "x")}, text


def test_trailing_zeros_of_prices_are_kept(repo: Path) -> None:
    text = f"{OFFERING_LINE}\nkind: chat\npricing:\n  input: 2.50\n  output: 10.00\n"
    assert fmt_file(offering(repo, text)) == (text, [])


@pytest.mark.parametrize(
    ("first", "why"),
    [
        ("", "missing"),
        (SCHEMA_COMMENT + "../../../../schemas/provider.schema.json\n", "names the wrong schema"),
        (SCHEMA_COMMENT + "../schemas/offering.schema.json\n", "wrong relative path"),
        ("#  yaml-language-server:  $schema=offering.schema.json  \n", "odd spacing"),
    ],
)
def test_the_schema_line_is_added_or_corrected(repo: Path, first: str, why: str) -> None:
    path = offering(repo, f"{first}kind: chat\n")
    assert fmt_file(path) == (f"{OFFERING_LINE}\nkind: chat\n", ["$schema line"]), why


def test_a_schema_line_below_other_comments_moves_to_the_top(repo: Path) -> None:
    path = offering(repo, f"# about this file\n{OFFERING_LINE}\nkind: chat\n")
    text, _ = fmt_file(path)
    assert text == f"{OFFERING_LINE}\n# about this file\nkind: chat\n"


def test_each_kind_gets_its_own_schema(repo: Path) -> None:
    provider = repo / "catalog" / "providers" / "acme" / "provider.yaml"
    provider.write_text("name: Acme\n")
    model = repo / "catalog" / "models" / "lab" / "m.yaml"
    model.parent.mkdir(parents=True)
    model.write_text("kind: chat\n")
    assert fmt_file(provider)[0] == (
        SCHEMA_COMMENT + "../../../schemas/provider.schema.json\nname: Acme\n"
    )
    assert fmt_file(model)[0] == SCHEMA_COMMENT + "../../../schemas/model.schema.json\nkind: chat\n"


def test_a_private_catalog_keeps_its_schema_url_or_gets_the_published_one(tmp_path: Path) -> None:
    folder = tmp_path / "mine" / "providers" / "acme" / "models"  # no schemas/ beside mine/
    folder.mkdir(parents=True)
    url = SCHEMA_COMMENT + "https://example.org/s/offering.schema.json"
    kept = folder / "a.yaml"
    kept.write_text(f"{url}\nkind: chat\n")
    assert fmt_file(kept) == (f"{url}\nkind: chat\n", [])
    added = folder / "b.yaml"
    added.write_text("kind: chat\n")
    text, _ = fmt_file(added)
    assert text is not None
    first = text.split("\n", 1)[0]
    assert first.startswith(SCHEMA_COMMENT + "https://")
    assert first.endswith("/offering.schema.json")


def test_fmt_adds_the_schema_line_that_validate_asks_for(repo: Path) -> None:
    shutil.copytree(VALID, repo / "catalog", dirs_exist_ok=True)
    path = repo / "catalog" / "providers" / "acme" / "models" / "acme-small.yaml"
    path.write_text(path.read_text().split("\n", 1)[1])
    before = [d for d in validate_paths([repo / "catalog"]).diagnostics if d.code == "LM013"]
    assert len(before) == 1
    assert before[0].hint is not None and "`llmaestro fmt` adds it" in before[0].hint
    assert invoke(str(repo / "catalog"), "--quiet")[0] == 0
    after = validate_paths([repo / "catalog"])
    assert after.ok, [d.format() for d in after.diagnostics]


# --- comments --------------------------------------------------------------------------------


def test_comments_are_kept_and_travel_with_their_keys(repo: Path) -> None:
    path = offering(
        repo,
        f"{OFFERING_LINE}\n"
        "# about the model\n"
        "pricing:  # USD per million tokens\n"
        "  output: 2.0\n"
        "  # the input price\n"
        "  input: 1.0  # checked by hand\n"
        "\n"
        "# what it is\n"
        "kind: chat\n"
        "aliases:\n"
        "  - a  # the old name\n"
        "  - b\n"
        "name: M   # shown on the site\n",
    )
    text, reasons = fmt_file(path)
    assert text == (
        f"{OFFERING_LINE}\n"
        "# about the model\n"
        "name: M   # shown on the site\n"
        "\n"
        "# what it is\n"
        "kind: chat\n"
        "aliases:\n"  # a list with a comment on an item stays a block, to keep the comment
        "  - a  # the old name\n"
        "  - b\n"
        "pricing:  # USD per million tokens\n"
        "  # the input price\n"
        "  input: 1.0  # checked by hand\n"
        "  output: 2.0\n"
    )
    assert reasons == ["key order"]
    path.write_text(text)
    assert fmt_file(path) == (text, [])


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "code"),
    [
        ("kind: chat\nname: [unclosed\n", ":3:1:", "LM001"),
        ("kind: chat\nkind: chat\n", ":2:1:", "LM002"),
        ("kind: chat\nopen_weights: yes\n", ":2:15:", "LM005"),
        ("- a\n- b\n", ":1:1:", "LM001"),
    ],
)
def test_a_file_that_cannot_be_read_is_a_located_error_and_left_alone(
    repo: Path, text: str, where: str, code: str
) -> None:
    path = offering(repo, text)
    good = offering(repo, "kind: chat\nname: X\n", "good.yaml")
    code_, out, err = invoke(str(repo / "catalog"))
    assert code_ == 1
    assert path.read_text() == text
    lines = err.strip().splitlines()
    assert lines[0].startswith(f"{path.as_posix()}{where} {code} ")
    assert "Traceback" not in err
    assert out == f"{good.as_posix()}: reformatted ($schema line, key order)\n"


def test_usage_errors_exit_2(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = invoke(str(tmp_path / "nope"))
    assert code == 2
    assert err.count("\n") == 1 and "nope" in err
    other = tmp_path / "values.yaml"
    other.write_text("a: 1\n")
    code, _, err = invoke(str(other))
    assert code == 1
    assert err.startswith(f"{other.as_posix()}:1:1: LM009 ")


# --- --check, writing, the command line ------------------------------------------------------


def test_check_lists_the_files_that_would_change_and_writes_nothing(repo: Path) -> None:
    shutil.copytree(VALID, repo / "catalog", dirs_exist_ok=True)
    before = {p: p.read_bytes() for p in (repo / "catalog").rglob("*.yaml")}
    code, out, err = invoke("--check", str(repo / "catalog"))
    assert code == 1
    models = (repo / "catalog" / "providers" / "acme" / "models").as_posix()
    assert out == (
        f"{models}/acme-one.yaml: would reformat (key order)\n"
        f"{models}/acme-small.yaml: would reformat (key order)\n"
    )
    assert err == "2 of 4 files would reformat; run `llmaestro fmt` to rewrite them\n"
    assert {p: p.read_bytes() for p in before} == before
    code, out, _ = invoke(str(repo / "catalog"))
    assert code == 0
    assert out.count(": reformatted (key order)\n") == 2
    assert invoke("--check", str(repo / "catalog")) == (0, "", "0 of 4 files would reformat\n")
    one = repo / "catalog" / "providers" / "acme" / "provider.yaml"
    assert invoke("--check", "-q", str(one)) == (0, "", "")


def test_writes_keep_the_file_mode(repo: Path) -> None:
    path = offering(repo, "kind: chat\n")
    path.chmod(0o640)
    assert invoke(str(path))[0] == 0
    assert path.read_text() == f"{OFFERING_LINE}\nkind: chat\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no temp left


def test_a_new_file_gets_the_umask_mode_not_0600(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "new.yaml", "a: 1\n")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.yaml").stat().st_mode) == 0o644


def test_many_files_in_worker_processes_and_the_cache(repo: Path) -> None:
    canonical = f"{OFFERING_LINE}\nname: M\nkind: chat\n"
    for i in range(450):
        offering(repo, canonical, f"m{i:03}.yaml")
    offering(repo, "kind: chat\nname: M\n", "m200.yaml")
    offering(repo, "kind: chat\nname: M\n", "m449.yaml")
    folder = repo / "catalog"
    report = run([folder], check=True, jobs=2)
    assert report.files == 450
    assert [c.display.rsplit("/", 1)[1] for c in report.changed] == ["m200.yaml", "m449.yaml"]
    # the cache knows the 448 canonical files now; an edited one is seen all the same
    offering(repo, "name: M\nkind: 'chat'\n", "m000.yaml")
    report = run([folder], check=True, jobs=1)
    assert [c.display.rsplit("/", 1)[1] for c in report.changed] == [
        "m000.yaml",
        "m200.yaml",
        "m449.yaml",
    ]
    assert run([folder], check=False, jobs=2, use_cache=False).diagnostics == []
    assert run([folder], check=True).changed == []


def test_a_sample_of_the_committed_catalog_is_canonical() -> None:
    # (the pre-commit hook checks every file; here one in 25, all kinds)
    files = sorted((ROOT / "catalog").rglob("*.yaml"))[::25]
    files += sorted((ROOT / "catalog" / "models").rglob("*.yaml"))[::5]
    report = run(files, check=True, jobs=1, use_cache=False)
    assert report.diagnostics == []
    assert report.changed == []
    for path in files[::20]:  # and the full round trip agrees with the fast path
        assert fmt_file(path, fast=False) == (path.read_text(), [])


def test_the_pre_commit_hook_runs_fmt_check_on_catalog_files() -> None:
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    hook = hooks["fmt-catalog"]
    assert hook["entry"].startswith(".venv/bin/llmaestro fmt --check")
    assert hook.get("pass_filenames", True)
    import re

    pattern = re.compile(hook["files"])
    assert pattern.search("catalog/providers/openai/models/gpt-4o.yaml")
    assert pattern.search("catalog/models/openai/gpt-4o.yaml")
    assert not pattern.search("catalog/IMPORT_REPORT.md")
    assert not pattern.search("tests/fixtures/catalog/valid/catalog/providers/acme/provider.yaml")


def test_parsed_data_is_unchanged_by_fmt(repo: Path) -> None:
    text = "aliases: ['1', \"true\", x]\nkind: chat\nlimits:\n  context: 5\nname: ''\n"
    path = offering(repo, text)
    new, _ = fmt_file(path)
    assert new is not None
    assert parse_yaml(new.encode(), "x").data == parse_yaml(text.encode(), "x").data


# --- properties: any valid spelling of a document ----------------------------------------------


PLACE = (Path("/nowhere/catalog/providers/acme/models/m.yaml"), Path("/nowhere/catalog"))


def _fmt(text: str, *, fast: bool = True) -> Any:
    return format_text(text.encode(), *PLACE, "offering", "m.yaml", fast=fast)


def _check_formatted(text: str, out: str, n_comments: int) -> None:
    assert out.startswith(SCHEMA_COMMENT)
    before, after = parse_yaml(text.encode(), "a"), parse_yaml(out.encode(), "b")
    assert after.diagnostics == []
    assert _typed(after.data) == _typed(before.data)
    found = re.findall(r"# c\d+\b", out)
    assert sorted(found) == sorted(f"# c{i}" for i in range(1, n_comments + 1)), out
    second = _fmt(out)
    assert (second.text, second.reasons) == (out, []), out  # fmt twice == fmt once
    assert _fmt(out, fast=False).text == out


@settings(max_examples=100)
@given(document=any_documents, data=st.data(), header=st.booleans())
def test_fmt_of_data_written_any_way_is_canonical_and_idempotent(
    document: dict[str, Any], data: Any, header: bool
) -> None:
    writer = Writer(data.draw, comments=False)
    text = (OFFERING_LINE + "\n" if header else "") + writer.text(document)
    assert parse_yaml(text.encode(), "messy.yaml").diagnostics == [], text
    result = _fmt(text)
    assert result.text is not None, (text, [d.format() for d in result.diagnostics])
    _check_formatted(text, result.text, 0)
    assert _fmt(text, fast=False).text == result.text  # the fast path agrees


@settings(max_examples=100)
@given(document=documents, data=st.data())
def test_fmt_keeps_comments_or_leaves_the_file_alone(document: dict[str, Any], data: Any) -> None:
    writer = Writer(data.draw)
    text = writer.text(document)
    assert parse_yaml(text.encode(), "messy.yaml").diagnostics == [], text
    result = _fmt(text)
    if result.text is None:
        # ruamel cannot keep every comment through every reordering (a comment between
        # reordered items of a list, one below a block scalar): the file is then left as it
        # is, with a located error, never rewritten wrongly
        assert "\n\n" in text or writer.comments
        (problem,) = result.diagnostics
        assert problem.format().startswith("m.yaml:1:1: LM001 /: fmt cannot rewrite this file")
        return
    _check_formatted(text, result.text, writer.comments)


def _typed(value: Any) -> Any:
    """Data with types made visible: `True` is not `1`, `5` is not `5.0`."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_typed(v) for v in value)
    return (type(value).__name__, value)
