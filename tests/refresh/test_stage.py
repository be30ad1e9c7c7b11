"""The staging catalog: validating edits on the part of the catalog that validation reads
finds what validating them on a full copy finds, and never writes to the catalog."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from llmaestro.catalog.validate import validate_paths
from llmaestro.refresh.stage import staged
from tests.refresh.conftest import TODAY, snapshot

HEAD = "# yaml-language-server: $schema=../../../../schemas/offering.schema.json\n"
DEEP = "# yaml-language-server: $schema=../../../../../schemas/offering.schema.json\n"
SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
PLAIN = "kind: chat\nlimits:\n  context: 8000\n  max_output: 1000\n"


def _offering(head: str, body: str) -> str:
    return head + body


def _replaced_by(target: str) -> str:
    """A deprecated offering pointing at ``target``."""
    return _offering(
        HEAD,
        PLAIN + "lifecycle:\n  status: deprecated\n  deprecation_date: 2026-01-01\n"
        f"  replacement: {target}\n",
    )


#: name -> edits (catalog-relative path -> text) covering what validation reads elsewhere
CASES: dict[str, dict[str, str]] = {
    "a price": {
        "providers/openai/models/gpt-4o-mini.yaml": _offering(
            HEAD,
            "name: GPT-4o mini\nfamily: gpt\nkind: chat\nlimits:\n  context: 128000\n"
            "  max_output: 16384\npricing:\n  input: 0.3\n  output: 0.60\n",
        )
    },
    "a new file inheriting": {
        "providers/openrouter/models/openai/gpt-4o~3aextended.yaml": _offering(
            DEEP, "base: openai/gpt-4o\npricing:\n  input: 6\n  output: 18\n"
        )
    },
    "a base that does not exist": {
        "providers/openrouter/models/openai/gpt-9.yaml": _offering(
            DEEP, "base: openai/gpt-9\npricing:\n  input: 6\n  output: 18\n"
        )
    },
    "a replacement of another provider": {
        "providers/openai/models/old.yaml": _replaced_by("anthropic/claude-3-haiku-20240307")
    },
    "a replacement no provider has": {
        "providers/openai/models/old.yaml": _replaced_by("anthropic/claude-9")
    },
    "a replacement of the same provider": {
        "providers/openai/models/old.yaml": _replaced_by("gpt-4o-mini")
    },
    "an alias another offering has": {
        "providers/openai/models/copy.yaml": _offering(HEAD, PLAIN + "aliases: [gpt-4o-mini]\n")
    },
    "an invalid value": {
        "providers/openai/models/gpt-4o-mini.yaml": _offering(
            HEAD, "kind: chat\nlimits:\n  context: 100\n  max_output: 5000\n"
        )
    },
    "broken YAML": {"providers/groq/models/new.yaml": _offering(HEAD, "kind: [chat\n")},
    "two providers": {
        "providers/openai/models/old.yaml": _replaced_by("groq/new-one"),
        "providers/groq/models/new-one.yaml": _offering(HEAD, PLAIN),
    },
}


@pytest.fixture
def catalog(catalog: Path) -> Path:
    """The fixture catalog with the repository's schemas beside it (``$schema`` lines are
    checked against them)."""
    shutil.copytree(SCHEMAS, catalog.parent / "schemas")
    return catalog


def _found(root: Path, edits: dict[str, str]) -> list[tuple[str, int, str, str, str]]:
    result = validate_paths([root / rel for rel in edits], today=TODAY)
    prefix = str(root) + "/"
    return [
        (d.path.replace(prefix, ""), d.line, d.code, d.pointer, d.message.replace(prefix, ""))
        for d in result.diagnostics
    ]


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_stage_finds_what_a_full_copy_finds(catalog: Path, tmp_path: Path, case: str) -> None:
    edits = CASES[case]
    full = tmp_path / "full" / "catalog"
    shutil.copytree(catalog, full)
    shutil.copytree(catalog.parent / "schemas", full.parent / "schemas")
    for rel, text in edits.items():
        (full / rel).parent.mkdir(parents=True, exist_ok=True)
        (full / rel).write_text(text)
    expected = _found(full, edits)
    before = snapshot(catalog)
    with staged(catalog, edits) as stage:
        assert _found(stage.root, edits) == expected
        staged_files = {p.relative_to(stage.root).as_posix() for p in stage.root.rglob("*.yaml")}
    assert snapshot(catalog) == before
    # less than the whole catalog: only what validating these edits reads
    assert len(staged_files) < len(before)
    valid = not any(code == "LM030" or code == "LM031" for _, _, code, _, _ in expected)
    assert valid == (case not in {"a base that does not exist", "a replacement no provider has"})


def test_the_stage_holds_what_the_edits_reference(catalog: Path) -> None:
    edits = CASES["a replacement of another provider"] | CASES["a new file inheriting"]
    with staged(catalog, edits) as stage:
        files = {p.relative_to(stage.root).as_posix() for p in stage.root.rglob("*.yaml")}
        assert (stage.root.parent / "schemas").is_dir()
    openai = {
        p.relative_to(catalog).as_posix() for p in (catalog / "providers/openai").rglob("*.yaml")
    }
    assert openai <= files  # the whole folder of an edited provider
    assert "models/openai/gpt-4o.yaml" in files  # a base: line names it
    assert "models/google/gemini-2.5-flash.yaml" in files  # an unchanged openrouter file's base
    assert "providers/anthropic/models/claude-3-haiku-20240307.yaml" in files  # replacement
    assert "providers/anthropic/models/claude-3-5-sonnet-20241022.yaml" not in files
    assert not any(f.startswith("providers/groq/") for f in files)
    assert not stage.root.exists()  # removed on exit


def test_writing_a_staged_file_never_writes_the_catalog(catalog: Path) -> None:
    rel = "providers/openai/models/gpt-4o-mini.yaml"
    before = snapshot(catalog)
    with staged(catalog, {"providers/openai/models/whisper-1.yaml": HEAD + PLAIN}) as stage:
        linked = stage.root / rel
        assert os.path.samefile(linked, catalog / rel) or stage.copied  # a link where it can
        stage.put(rel, HEAD + PLAIN)
        stage.put("providers/openai/models/gpt-4o.yaml", None)
        assert linked.read_text() == HEAD + PLAIN
        assert not (stage.root / "providers/openai/models/gpt-4o.yaml").exists()
    assert snapshot(catalog) == before


def test_without_hard_links_files_are_copied(
    catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", refuse)
    edits = CASES["a price"]
    with staged(catalog, edits) as stage:
        assert stage.copied > 0 and stage.linked == 0
        assert _found(stage.root, edits) == []


def test_edits_outside_a_provider_folder_get_the_whole_catalog(catalog: Path) -> None:
    edits = {"models/openai/gpt-4o.yaml": (catalog / "models/openai/gpt-4o.yaml").read_text()}
    with staged(catalog, edits) as stage:
        files = {p.relative_to(stage.root).as_posix() for p in stage.root.rglob("*") if p.is_file()}
    assert files == set(snapshot(catalog))
