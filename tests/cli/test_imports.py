"""The `import`, `report prices` and `stats` commands."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from llmaestro.cli.imports import import_group, report
from llmaestro.cli.stats import stats
from tests.catalog.importers.conftest import LL_DAY, MD_DAY, Repo


def test_import_all_then_stats_and_price_report(repo: Repo, tmp_path: Path) -> None:
    runner = CliRunner()
    args = [
        "all",
        "--models-dev",
        str(repo.models_dev),
        "--litellm",
        str(repo.litellm),
        "--models-dev-date",
        MD_DAY.isoformat(),
        "--litellm-date",
        LL_DAY.isoformat(),
        "--out",
        str(repo.catalog),
        "--manual",
        str(repo.manual),
    ]
    first = runner.invoke(import_group, args)
    assert first.exit_code == 0, first.output
    # the lab's own models are canonical models too (identity: sold by the lab itself)
    assert "catalog: 5 providers, 5 canonical models, 17 offerings" in first.output
    again = runner.invoke(import_group, args)
    assert "files: 0 written" in again.output

    counted = runner.invoke(stats, ["--catalog", str(repo.catalog), "--format", "json"])
    assert counted.exit_code == 0, counted.output
    data = json.loads(counted.output)
    assert (data["providers"], data["canonical_models"], data["offerings"]) == (5, 5, 17)
    assert data["offerings_per_kind"]["chat"] == 12

    out = tmp_path / "PRICES.md"
    priced = runner.invoke(
        report,
        [
            "prices",
            "--against",
            "litellm",
            str(repo.litellm),
            "--catalog",
            str(repo.catalog),
            "--out",
            str(out),
        ],
    )
    assert priced.exit_code == 0, priced.output
    assert out.read_text().startswith("# Price discrepancies")


def test_an_unknown_snapshot_needs_its_day(repo: Repo) -> None:
    result = CliRunner().invoke(
        import_group,
        [
            "models-dev",
            str(repo.models_dev),
            "--no-litellm",
            "--out",
            str(repo.catalog),
            "--manual",
            str(repo.manual),
        ],
    )
    assert result.exit_code == 1
    assert "release day of models.dev 0123abc is unknown" in result.output
