"""Commands that build and inspect the catalog: `import` and `report` (`stats` is in
:mod:`llmaestro.cli.stats`).

They are click objects attached to the main `llmaestro` group; this module also runs alone::

    python -m llmaestro.cli.imports all --models-dev data/sources/models.dev-<commit>.tar.gz \\
        --litellm data/sources/litellm-<version>-model_prices_and_context_window.json.gz \\
        --out catalog
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from llmaestro.cli.common import catalog_in_reach, fail

#: Where the pinned source snapshots live, relative to the catalog's parent folder.
SOURCES_DIR = Path("data") / "sources"


def _pinned(out: Path, pattern: str) -> Path | None:
    """The single pinned snapshot matching ``pattern`` beside the catalog, if there is one."""
    found = sorted((out.resolve().parent / SOURCES_DIR).glob(pattern))
    return found[-1] if len(found) == 1 else None


def _run(
    out: Path,
    models_dev: Path | None,
    litellm: Path | None,
    manual: Path | None,
    models_dev_date: dt.datetime | None,
    litellm_date: dt.datetime | None,
    genai_prices: Path | None = None,
) -> None:
    from llmaestro.catalog.importers.manual import ManualError
    from llmaestro.catalog.importers.pipeline import run_import

    if models_dev is None and litellm is None:
        raise click.UsageError("give at least one source")
    try:
        result = run_import(
            out=out,
            models_dev=models_dev,
            litellm=litellm,
            manual_dir=manual,
            models_dev_date=models_dev_date.date() if models_dev_date else None,
            litellm_date=litellm_date.date() if litellm_date else None,
            genai_prices=genai_prices,
        )
    except (ValueError, ManualError) as exc:
        raise click.ClickException(str(exc)) from exc
    built, stats = result.built, result.stats
    log = built.log
    for source in built.sources:
        click.echo(f"read {source.name} {source.revision} ({source.checked}): {source.path}")
    click.echo(
        f"catalog: {len(built.providers)} providers, {len(built.canonical)} canonical models, "
        f"{len(built.offerings)} offerings"
    )
    click.echo(
        f"report: {len(log.skipped)} source entries not written as files, "
        f"{len(log.changes)} values dropped or corrected, {len(log.conflicts)} conflicts "
        f"-> {result.report_path}"
    )
    click.echo(
        f"files: {stats.written} written, {stats.unchanged} unchanged, {stats.removed} removed"
    )


_DATE = click.DateTime(formats=["%Y-%m-%d"])
_out = click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("catalog"),
    show_default=True,
    help="Catalog folder to write (every YAML file in it is generated).",
)
_manual = click.option(
    "--manual",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Hand-authored facts laid out like the catalog [default: data/manual beside --out].",
)

_genai = click.option(
    "--genai-prices",
    "genai_prices",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="genai-prices snapshot (its tarball or a checkout): its dated prices become "
    "pricing.history [default for `all`: none; for the others: the one pinned in data/sources/].",
)


@click.group("import")
def import_group() -> None:
    """Build the catalog from pinned sources (and the hand-authored facts in data/manual/).

    Every command regenerates the whole catalog and catalog/IMPORT_REPORT.md; running it again
    on the same inputs changes no file.
    """


@import_group.command("all")
@click.option(
    "--models-dev",
    "models_dev",
    type=click.Path(exists=True, path_type=Path),
    required=True,
    help="models.dev snapshot: a checkout folder or its tarball.",
)
@click.option(
    "--litellm",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="LiteLLM's model_prices_and_context_window.json(.gz).",
)
@click.option(
    "--models-dev-date",
    type=_DATE,
    default=None,
    help="Day of the models.dev snapshot, when it is not a known one.",
)
@click.option(
    "--litellm-date",
    type=_DATE,
    default=None,
    help="Day of the LiteLLM snapshot, when it is not a known one.",
)
@_genai
@_out
@_manual
def import_all(
    models_dev: Path,
    litellm: Path,
    models_dev_date: dt.datetime | None,
    litellm_date: dt.datetime | None,
    genai_prices: Path | None,
    out: Path,
    manual: Path | None,
) -> None:
    """Import models.dev and LiteLLM together (the reproducible full import), with the dated
    prices of genai-prices when ``--genai-prices`` is given."""
    _run(out, models_dev, litellm, manual, models_dev_date, litellm_date, genai_prices)


@import_group.command("models-dev")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--litellm",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="LiteLLM map to merge with [default: the one pinned in data/sources/].",
)
@click.option("--no-litellm", is_flag=True, help="Import models.dev alone.")
@click.option(
    "--date",
    "day",
    type=_DATE,
    default=None,
    help="Day of the snapshot, when it is not a known one.",
)
@_genai
@_out
@_manual
def import_models_dev(
    path: Path,
    litellm: Path | None,
    no_litellm: bool,
    day: dt.datetime | None,
    genai_prices: Path | None,
    out: Path,
    manual: Path | None,
) -> None:
    """Import a models.dev snapshot PATH (a checkout folder or its tarball)."""
    if no_litellm:
        litellm = None
    elif litellm is None:
        litellm = _pinned(out, "litellm-*-model_prices_and_context_window.json*")
    genai_prices = genai_prices or _pinned(out, "genai-prices-*.tar.gz")
    _run(out, path, litellm, manual, day, None, genai_prices)


@import_group.command("litellm")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--models-dev",
    "models_dev",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="models.dev snapshot to merge with [default: the one pinned in data/sources/].",
)
@click.option("--no-models-dev", is_flag=True, help="Import LiteLLM alone.")
@click.option(
    "--date",
    "day",
    type=_DATE,
    default=None,
    help="Day of the snapshot, when it is not a known one.",
)
@_genai
@_out
@_manual
def import_litellm(
    file: Path,
    models_dev: Path | None,
    no_models_dev: bool,
    day: dt.datetime | None,
    genai_prices: Path | None,
    out: Path,
    manual: Path | None,
) -> None:
    """Import LiteLLM's model map FILE (JSON, optionally gzipped), merged with models.dev."""
    if no_models_dev:
        models_dev = None
    elif models_dev is None:
        models_dev = _pinned(out, "models.dev-*.tar.gz")
    genai_prices = genai_prices or _pinned(out, "genai-prices-*.tar.gz")
    _run(out, models_dev, file, manual, None, day, genai_prices)


def _default_catalog(catalog: Path | None) -> Path:
    """The catalog folder to report on: ``--catalog``, else the one in reach."""
    if catalog is not None:
        return catalog
    return catalog_in_reach("llmaestro", "pass --catalog DIR")


@click.group("report")
def report() -> None:
    """Reports about the catalog."""


@report.command("prices")
@click.option(
    "--against",
    "against",
    type=(click.Choice(["genai-prices", "litellm"]), click.Path(exists=True, path_type=Path)),
    multiple=True,
    required=True,
    help="An independent price source: `genai-prices DIR` (its prices/providers YAML files, a "
    "folder or tarball) or `litellm FILE`. Repeat for several.",
)
@click.option("--catalog", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the Markdown report to this file (default: print it).",
)
@click.option(
    "--min-percent",
    type=float,
    default=0.0,
    show_default=True,
    help="Only list differences of at least this many percent.",
)
def report_prices(
    against: tuple[tuple[str, Path], ...],
    catalog: Path | None,
    out: Path | None,
    min_percent: float,
) -> None:
    """Compare the catalog's prices with independent sources, grouped by provider."""
    from llmaestro.catalog.importers.price_report import compare_prices, render_markdown
    from llmaestro.catalog.importers.source_file import SourceError
    from llmaestro.catalog.writer import write_if_changed

    root = _default_catalog(catalog)
    try:
        result = compare_prices(root, list(against))
    except SourceError as exc:
        fail(str(exc))
    text = render_markdown(result, min_percent=min_percent)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_if_changed(out, text)
        click.echo(
            f"{len(result.differences)} differences in {result.compared} compared prices -> {out}",
            err=True,
        )


if __name__ == "__main__":  # pragma: no cover
    import_group()
