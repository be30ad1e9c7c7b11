"""``llmaestro site``: build the static catalog site (HTML pages and JSON API files).

The main group attaches it: ``from llmaestro.cli.site import site; main.add_command(site)``.
"""

from __future__ import annotations

from pathlib import Path

import click

from llmaestro.cli.common import fail


@click.group()
def site() -> None:
    """The catalog site: static HTML pages and a JSON API, no network at view time."""


@site.command("build")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--catalog",
    type=click.Path(path_type=Path),
    default=None,
    help="Catalog folder, compiled bundle, or JSON/SQLite export (default: the catalog).",
)
def build(out: Path, catalog: Path | None) -> None:
    """Render the site of the catalog into the folder OUT.

    OUT must be missing, empty, or a site an earlier build wrote (which is replaced).
    Exit 0 when built, 1 on an error.
    """
    from llmaestro.errors import LLMaestroError
    from llmaestro.loader import load
    from llmaestro.site.build import build_site

    try:
        registry = load(catalog=catalog)
        result = build_site(registry, out)
    except LLMaestroError as exc:
        fail(str(exc))
    click.echo(result.summary())
