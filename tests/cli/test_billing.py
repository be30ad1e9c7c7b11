"""`llmaestro models --billing` and the billing labels in the CLI's tables and the site's
pages: an offering not billed per token shows how it is billed instead of "$0.00"."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import llmaestro
from llmaestro.cli.main import main
from llmaestro.exports import export_json
from tests.registry.test_billing import ROWS, TODAY, _doc


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("billing") / "catalog.json"
    path.write_text(export_json(llmaestro.Registry.from_document(_doc(ROWS), today=TODAY)))
    return path


def _lines(catalog: Path, *args: str) -> list[str]:
    res = CliRunner().invoke(main, ["models", *args, "--catalog", str(catalog)])
    assert res.exit_code == 0, res.output
    return res.stdout.splitlines()


def test_price_sort_ranks_per_token_first_and_labels_the_others(catalog: Path) -> None:
    lines = _lines(catalog, "--sort", "input_price")
    ids = [line.split()[0] for line in lines[1:]]
    assert ids[:4] == ["meter/gratis", "meter/cheap", "meter/inherits", "meter/dear"]
    assert ids[-1] == "meter/unpriced"
    by_id = {line.split()[0]: line for line in lines[1:]}
    assert by_id["plan/coder"].split()[-3:-1] == ["subscription", "subscription"]
    assert "free tier" in by_id["free/small"] and "self-hosted" in by_id["local/llama"]
    assert "0" in by_id["meter/gratis"].split()  # a metered offer's 0 is shown: it is free


def test_billing_option_filters_and_widens_price_bounds(catalog: Path) -> None:
    assert [x.split()[0] for x in _lines(catalog, "--billing", "subscription")[1:]] == [
        "plan/coder"
    ]
    assert len(_lines(catalog, "--max-input-price", "0")) == 2  # header + meter/gratis
    assert len(_lines(catalog, "--max-input-price", "0", "--billing", "any")) == 5
    res = CliRunner().invoke(main, ["models", "--billing", "monthly", "--catalog", str(catalog)])
    assert res.exit_code == 2 and "monthly" in res.output


def test_site_pages_label_the_offers_not_billed_per_token(tmp_path: Path) -> None:
    pytest.importorskip("jinja2")
    from llmaestro.site.build import build_site

    registry = llmaestro.Registry.from_document(_doc(ROWS), today=TODAY)
    build_site(registry, tmp_path / "site", generated="2026-06-01T00:00:00Z")
    index = (tmp_path / "site" / "index.html").read_text("utf-8")
    row = next(line for line in index.splitlines() if "<code>plan/coder</code>" in line)
    assert row.count("<td>subscription") == 3  # input, output, cache read
    assert "$0.00" not in row
    free = next(line for line in index.splitlines() if "<code>free/small</code>" in line)
    assert "free tier" in free and "$0.00" not in free
    metered = next(line for line in index.splitlines() if "<code>meter/gratis</code>" in line)
    assert "$0.00" in metered and "subscription" not in metered
    pages = "".join(p.read_text("utf-8") for p in (tmp_path / "site").rglob("*.html"))
    assert "self-hosted" in pages


def test_models_cheapest_takes_per_token_offers_unless_told(catalog: Path) -> None:
    assert _lines(catalog, "cheapest")[1].split()[0] == "meter/gratis"
    assert _lines(catalog, "cheapest", "--by", "input", "--billing", "free_tier")[1].startswith(
        "free/small"
    )
    res = CliRunner().invoke(
        main, ["models", "cheapest", "--provider", "plan", "--catalog", str(catalog)]
    )
    assert res.exit_code == 0 and res.stdout == ""
    assert "`--billing any` includes offers not billed per token" in res.stderr
    assert _lines(catalog, "cheapest", "--provider", "plan", "--billing", "any")[1].startswith(
        "plan/coder"
    )
    shown = CliRunner().invoke(
        main, ["models", "cheapest", "--json", "--provider", "local", "--catalog", str(catalog)]
    )
    assert shown.exit_code == 0 and shown.stdout.strip() == "null"
