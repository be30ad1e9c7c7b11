from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import llmaestro
from llmaestro.cli import main
from llmaestro.errors import CatalogValidationError
from llmaestro.targets import Base, self_contained, split_targets
from tests.conftest import ROOT

SCHEMA = "# yaml-language-server: $schema=../../../../schemas/offering.schema.json\n"


def overlay(tmp: Path, name: str, files: dict[str, str]) -> Path:
    root = tmp / name
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_negotiated_price_and_private_fine_tune(tmp_path: Path) -> None:
    folder = overlay(
        tmp_path,
        "mine",
        {
            "providers/openai/models/gpt-4o.yaml": SCHEMA + "pricing:\n  input: 2.00\n",
            "providers/openai/models/ft~3agpt-4o~3aacme.yaml": SCHEMA
            + "base: openai/gpt-4o\npricing:\n  input: 3.75\n  output: 15.00\n",
        },
    )
    registry = llmaestro.load(overlays=[folder])
    gpt = registry.get("openai/gpt-4o")
    assert gpt.pricing is not None and str(gpt.pricing.input) == "2.00"
    assert gpt.pricing.output is not None  # the rest of the price set is kept
    ft = registry.get("openai/ft:gpt-4o:acme")
    assert ft.limits is not None and ft.limits.context == 128000
    # the default registry is untouched
    assert str(llmaestro.load().get("openai/gpt-4o").pricing.input) == "2.50"  # type: ignore[union-attr]


def test_invalid_overlay_reports_located_errors(tmp_path: Path) -> None:
    folder = overlay(
        tmp_path,
        "bad",
        {"providers/openai/models/gpt-4o.yaml": SCHEMA + "limits:\n  max_output: 999999\n"},
    )
    with pytest.raises(CatalogValidationError) as info:
        llmaestro.load(overlays=[folder])
    text = str(info.value)
    assert "gpt-4o.yaml:3:15: LM020 /limits/max_output" in text


def test_two_overlays_changing_one_offering_conflict(tmp_path: Path) -> None:
    a = overlay(tmp_path, "a", {"providers/openai/models/gpt-4o.yaml": SCHEMA + "name: A\n"})
    b = overlay(tmp_path, "b", {"providers/openai/models/gpt-4o.yaml": SCHEMA + "name: B\n"})
    with pytest.raises(CatalogValidationError, match="LM041"):
        llmaestro.load(overlays=[a, b])


def test_environment_variable_names_overlays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = overlay(
        tmp_path, "env", {"providers/openai/models/gpt-4o.yaml": SCHEMA + "name: Via env\n"}
    )
    monkeypatch.setenv("LLMAESTRO_CATALOG_PATH", str(folder))
    assert llmaestro.load().get("openai/gpt-4o").name == "Via env"


def test_catalog_folder_is_compiled_and_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLMAESTRO_CACHE_DIR", str(tmp_path / "cache"))
    catalog = tmp_path / "catalog"
    shutil.copytree(ROOT / "tests" / "fixtures" / "catalog" / "valid" / "catalog", catalog)
    registry = llmaestro.load(catalog=catalog)
    assert registry.ids == ("acme/acme-one", "acme/acme-small")
    assert len(list((tmp_path / "cache").iterdir())) == 1


def test_private_fine_tune_of_a_public_model_validates_as_it_loads(tmp_path: Path) -> None:
    """`base: openai/gpt-4o-mini` in a private catalog: validated against the bundled catalog
    (no --base-catalog), as load(overlays=) reads it."""
    private = overlay(
        tmp_path,
        "private",
        {
            "providers/openai/models/ft~3agpt-4o-mini~3aacme.yaml": SCHEMA
            + "base: openai/gpt-4o-mini\naliases: [acme-mini]\npricing:\n  input: 0.30\n",
        },
    )
    res = CliRunner().invoke(main, ["validate", str(private)])
    assert res.exit_code == 0, res.output
    assert f"{private}: an overlay on" in res.output
    ft = llmaestro.load(overlays=[private]).get("acme-mini", provider="openai")
    assert ft.base == "openai/gpt-4o-mini" and ft.kind == "chat"

    typo = overlay(
        tmp_path,
        "typo",
        {"providers/openai/models/ft~3amine.yaml": SCHEMA + "base: openai/gpt-4o-minii\n"},
    )
    res = CliRunner().invoke(main, ["validate", str(typo), "-q"])
    assert res.exit_code == 1
    assert "LM030 /base: base model `openai/gpt-4o-minii` does not exist" in res.output
    assert "did you mean `openai/gpt-4o-mini`?" in res.output
    with pytest.raises(CatalogValidationError, match="LM030"):
        llmaestro.load(overlays=[typo])


def test_which_paths_are_complete_catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LLMAESTRO_BUNDLE", raising=False)
    full = ROOT / "tests" / "fixtures" / "catalog" / "valid" / "catalog"
    private = overlay(
        tmp_path, "private", {"providers/openai/models/gpt-4o.yaml": SCHEMA + "name: Mine\n"}
    )
    default = Base.of(None)
    # the source checkout's catalog is the default base: checked alone, not loaded as a base
    assert split_targets([ROOT / "catalog"], default) == ([ROOT / "catalog"], {})
    assert split_targets([full, private], default) == ([full], {private: str(private)})
    file = private / "providers/openai/models/gpt-4o.yaml"
    assert split_targets([file], default) == ([], {private: str(private)})
    assert split_targets([private], Base.of("none")) == ([private], {})
    # a named base makes every other folder an overlay, complete or not
    assert split_targets([full], Base.of(str(ROOT / "catalog"))) == ([], {full: str(full)})
    # a pinned bundle: the repository's catalog is self-contained, so still checked alone
    monkeypatch.setenv("LLMAESTRO_BUNDLE", str(tmp_path / "bundle.json"))
    assert split_targets([ROOT / "catalog"], Base.of(None)) == ([ROOT / "catalog"], {})
    assert not self_contained(private)
    assert self_contained(full)


def test_validate_base_catalog_usage_errors(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["validate", str(tmp_path), "--base-catalog", "nowhere"])
    assert res.exit_code == 2
    assert res.stderr.splitlines() == [
        "llmaestro validate: --base-catalog nowhere: no such folder or file; pass a catalog "
        "folder, a compiled bundle, an export, or `none`"
    ]


@pytest.mark.parametrize("layout", [(), ("providers", "models"), ("providers/acme/models",)])
@pytest.mark.parametrize("base", [[], ["--base-catalog", str(ROOT / "catalog")]])
def test_a_folder_without_catalog_files_is_refused_by_validate_as_by_load(
    tmp_path: Path, layout: tuple[str, ...], base: list[str]
) -> None:
    """Not an empty overlay that "validates": the catalog error load(catalog=DIR) raises."""
    empty = tmp_path / "catalog"
    empty.mkdir()
    for name in layout:
        (empty / name).mkdir(parents=True)
    with pytest.raises(CatalogValidationError) as raised:
        llmaestro.load(catalog=empty)
    assert [d.code for d in raised.value.diagnostics] == ["LM042"]
    res = CliRunner().invoke(main, ["validate", str(empty), *base, "--format", "json"])
    assert res.exit_code == 1, res.output
    assert "LM042" in res.stdout


def test_an_overlay_that_is_a_file_says_so(tmp_path: Path) -> None:
    file = tmp_path / "overlay.yaml"
    file.write_text("name: x\n", "utf-8")
    with pytest.raises(CatalogValidationError, match="the overlay folder is not a folder"):
        llmaestro.load(overlays=[file])
