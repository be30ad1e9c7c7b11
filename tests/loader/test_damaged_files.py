"""``load(catalog=FILE)`` on damaged files: a compiled bundle, the JSON and the SQLite export,
cut short, with bytes flipped or nested past any sane depth, give a registry or one line of
:class:`~llmaestro.errors.LLMaestroError`, never a raw ``JSONDecodeError``, ``KeyError``,
``RecursionError`` or ``sqlite3`` error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import llmaestro
from llmaestro.catalog.bundle import compile_catalog
from llmaestro.errors import CatalogError, LLMaestroError
from llmaestro.exports import write_export
from llmaestro.registry import Registry
from tests.conftest import FIXTURES

CATALOG = FIXTURES / "catalog" / "valid" / "catalog"


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of the intact files (a path, so that hypothesis does not print their bytes)."""
    folder = tmp_path_factory.mktemp("originals")
    compile_catalog(CATALOG, folder / "bundle.json")
    registry = llmaestro.load(catalog=folder / "bundle.json")
    write_export(registry, "json", folder / "export.json")
    write_export(registry, "sqlite", folder / "export.sqlite")
    return folder


def _load_or_one_line(path: Path) -> None:
    try:
        registry = llmaestro.load(catalog=path)
        # whatever loaded answers a query over every offering without a raw error (a bundle
        # named by path is not hashed on load, for cold start: its offering texts are decoded
        # on first use, and one that no longer decodes is a one-line CatalogError then. Only
        # cached bundles are verified byte for byte: test_bundle_cache.)
        registry.to_document()
    except LLMaestroError as exc:
        text = str(exc)
        assert text.startswith(str(path)), text
        assert "\n" not in text, text


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(["bundle.json", "export.json", "export.sqlite"]),
    cut=st.floats(0, 1),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), max_size=3),
)
def test_a_damaged_file_loads_or_fails_in_one_line(
    tmp_path: Path,
    originals: Path,
    name: str,
    cut: float,
    flips: list[tuple[float, int]],
) -> None:
    data = bytearray((originals / name).read_bytes())
    for where, xor in flips:
        data[int(where * (len(data) - 1))] ^= xor
    path = tmp_path / name
    path.write_bytes(bytes(data[: max(1, int(cut * len(data)))] if cut < 1 else data))
    _load_or_one_line(path)


@pytest.mark.parametrize(
    "text",
    [
        '{"format":"llmaestro-bundle","version":4}\n',
        '{"format":"llmaestro-bundle","version":4,"offerings":{"ids":["a/b"],"ends":[5],'
        '"columns":[]},"providers":{},"canonical":{}}\n',
        '{"format":"llmaestro-bundle","version":4,"x":' + "[" * 100_000 + "\n",
        '{"format":"llmaestro-export","version":1,"x":' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"format":"llmaestro-export","version":1,"x":' + "1" * 5000 + "}",
    ],
    ids=["no index", "columns missing", "deep bundle", "deep export", "huge integer"],
)
def test_a_hostile_file_fails_in_one_line(tmp_path: Path, text: str) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(text)
    with pytest.raises(LLMaestroError) as info:
        llmaestro.load(catalog=path)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith(str(path))


def test_a_fifo_or_missing_path_is_one_line_and_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "catalog.json"
    os.mkfifo(fifo)
    with pytest.raises(LLMaestroError, match=r"not a catalog folder or a regular file$"):
        llmaestro.load(catalog=fifo)
    with pytest.raises(LLMaestroError, match=r"no such catalog folder or file$"):
        llmaestro.load(catalog=tmp_path / "missing")


@pytest.mark.parametrize("kind", ["missing", "folder", "garbage"])
def test_a_bad_llmaestro_bundle_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    from click.testing import CliRunner

    from llmaestro.cli.main import main

    path = tmp_path / "bundle.json"
    if kind == "folder":
        path.mkdir()
    elif kind == "garbage":
        path.write_bytes(b'{"format":"llmaestro-bundle","version":4,"offerings":7}\n')
    monkeypatch.setenv("LLMAESTRO_BUNDLE", str(path))
    res = CliRunner().invoke(main, ["providers"])
    assert res.exit_code == 1
    assert len(res.stderr.splitlines()) == 1, res.stderr
    assert res.stderr.startswith("llmaestro: error: ")
    assert "internal error" not in res.stderr
    if kind != "garbage":
        assert f"LLMAESTRO_BUNDLE={path}" in res.stderr


def test_an_offering_that_no_longer_decodes_is_one_catalog_error(tmp_path: Path) -> None:
    """An offering's text damaged on disk: ``load()`` refuses the bundle at once (its seal),
    and the reader below it, which decodes lazily, finds it when it is first read; each as
    one line naming the bundle, not a raw ``JSONDecodeError``."""
    path = tmp_path / "bundle.json"
    compile_catalog(CATALOG, path)
    data = path.read_bytes()
    at = data.rindex(b'{"name":"Acme Small"')
    path.write_bytes(data[:at] + b"#" + data[at + 1 :])
    with pytest.raises(CatalogError) as refused:
        llmaestro.load(catalog=path)
    assert str(refused.value).startswith(f"{path}: the bundle's seal does not match")
    registry = Registry.from_bundle_file(str(path))
    with pytest.raises(CatalogError) as caught:
        registry.get("acme/acme-small")
    assert str(caught.value).startswith(f"{path}: damaged bundle"), caught.value
    for error in (refused.value, caught.value):
        assert "\n" not in str(error)


def test_the_default_registry_follows_llmaestro_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process keeps its default registry, but a changed ``LLMAESTRO_BUNDLE`` names
    another catalog: it is read (here: refused), not answered from the first one."""
    llmaestro.load()
    monkeypatch.setenv("LLMAESTRO_BUNDLE", str(tmp_path / "missing.json"))
    with pytest.raises(CatalogError, match="LLMAESTRO_BUNDLE="):
        llmaestro.load()
    monkeypatch.delenv("LLMAESTRO_BUNDLE")
    assert llmaestro.load() is llmaestro.load()
