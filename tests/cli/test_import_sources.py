"""Unreadable source snapshots given to `llmaestro import` and `llmaestro report prices`: one
error line naming the file, exit 1, nothing written; reads are bounded (``/dev/zero``, a gzip
bomb)."""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from llmaestro.catalog.importers.source_file import SourceError, read_source
from llmaestro.cli.main import main
from tests.catalog.importers.conftest import LL_DAY, MD_DAY, Repo


def _tar(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


_TARBALL = _tar({"a/b.yml": bytes(range(256)) * 64, "a/c.yml": b"models: []\n"})
BAD_SOURCES: dict[str, bytes] = {
    "truncated.json.gz": gzip.compress(b'{"gpt-4o": {}}')[:-6],
    "not-json.json": b'{"gpt-4o": ',
    "a-list.json": b"[1, 2]",
    "not-utf8.json": b'{"\xff": 1}',
    "deep.json": b"[" * 100_000 + b"]" * 100_000,
    "huge-int.json": b'{"a": ' + b"9" * 5000 + b"}",
    "empty.json": b"",
}
BAD_TARBALLS: dict[str, bytes] = {
    "empty.tar.gz": b"",
    "garbage.tar.gz": b"\x1f\x8b\x08\x00garbage",
    "truncated.tar.gz": _TARBALL[: len(_TARBALL) // 2],
    "bad-yaml.tar.gz": _tar({"providers/x.yml": b"a: [\n"}),
}


def _one_line(result: object) -> str:
    from click.testing import Result

    assert isinstance(result, Result)
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert lines[0].startswith("llmaestro: error: ")
    return lines[0]


@pytest.mark.parametrize(
    ("kind", "name"),
    [("litellm", n) for n in sorted(BAD_SOURCES)]
    + [("genai-prices", n) for n in sorted(BAD_TARBALLS)],
)
def test_report_prices_on_a_bad_source(
    kind: str, name: str, imported_catalog: Path, tmp_path: Path
) -> None:
    source = tmp_path / name
    source.write_bytes({**BAD_SOURCES, **BAD_TARBALLS}[name])
    out = tmp_path / "PRICES.md"
    args = ["report", "prices", "--against", kind, str(source), "--out", str(out)]
    line = _one_line(CliRunner().invoke(main, [*args, "--catalog", str(imported_catalog)]))
    assert str(source) in line
    assert not out.exists()


@pytest.mark.parametrize("which", ["models-dev", "litellm"])
def test_import_with_a_bad_source_writes_nothing(which: str, repo: Repo, tmp_path: Path) -> None:
    bad = tmp_path / (
        "models.dev-0123abc.tar.gz"
        if which == "models-dev"
        else "litellm-9.9.9-model_prices_and_context_window.json.gz"
    )
    bad.write_bytes(
        BAD_TARBALLS["truncated.tar.gz"]
        if which == "models-dev"
        else BAD_SOURCES["truncated.json.gz"]
    )
    sources = {"models-dev": str(repo.models_dev), "litellm": str(repo.litellm), which: str(bad)}
    args = [
        *("import", "all", "--models-dev", sources["models-dev"], "--litellm", sources["litellm"]),
        *("--models-dev-date", MD_DAY.isoformat(), "--litellm-date", LL_DAY.isoformat()),
        *("--out", str(repo.catalog), "--manual", str(repo.manual)),
    ]
    line = _one_line(CliRunner().invoke(main, args))
    assert str(bad) in line
    assert not repo.catalog.exists()


def test_reads_are_bounded(tmp_path: Path) -> None:
    if Path("/dev/zero").exists():
        with pytest.raises(SourceError, match="larger than 1,000 bytes; not a source snapshot"):
            read_source(Path("/dev/zero"), limit=1000)
    bomb = tmp_path / "bomb.json.gz"
    bomb.write_bytes(gzip.compress(b" " * 100_000))
    with pytest.raises(SourceError, match="larger than 1,000 bytes decompressed"):
        read_source(bomb, limit=1000)
    assert read_source(bomb, limit=100_000) == b" " * 100_000


@pytest.fixture(scope="module")
def imported_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.catalog.importers.conftest import make_repo

    repo = make_repo(tmp_path_factory.mktemp("sources"))
    repo.run()
    return repo.catalog


@pytest.mark.parametrize("which", ["models-dev", "litellm"])
def test_an_empty_source_is_refused_and_the_catalog_kept(
    which: str, repo: Repo, tmp_path: Path
) -> None:
    """An empty snapshot (a folder with no model files, a map of no entries) would retire every
    offering the catalog has from it: it is one error line, and the catalog stays as it was."""
    repo.run()
    before = {p: p.read_bytes() for p in repo.catalog.rglob("*") if p.is_file()}
    if which == "models-dev":
        empty = tmp_path / "models.dev-0123abc"
        (empty / "providers").mkdir(parents=True)
    else:
        empty = tmp_path / "litellm-9.9.9-model_prices_and_context_window.json"
        empty.write_text("{}", "utf-8")
    sources = {"models-dev": str(repo.models_dev), "litellm": str(repo.litellm), which: str(empty)}
    args = [
        *("import", "all", "--models-dev", sources["models-dev"], "--litellm", sources["litellm"]),
        *("--models-dev-date", MD_DAY.isoformat(), "--litellm-date", LL_DAY.isoformat()),
        *("--out", str(repo.catalog), "--manual", str(repo.manual)),
    ]
    line = _one_line(CliRunner().invoke(main, args))
    assert str(empty) in line
    assert {p: p.read_bytes() for p in repo.catalog.rglob("*") if p.is_file()} == before
