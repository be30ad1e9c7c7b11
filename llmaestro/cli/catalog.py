"""Commands over the catalog's source files: ``validate``, ``schemas`` and ``compile``.

Module-level click objects; the main group attaches them (``for c in COMMANDS:
main.add_command(c)``). Each needs the authoring extra (``NEEDS`` in :mod:`llmaestro.cli.main`).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import click

from llmaestro.cli.common import catalog_in_reach, usage_error


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for machines, github for Actions annotations.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print problems only, no summary.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Check lifecycle dates as of this day (default: today, UTC).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for whole-catalog folders [default: CPUs, at most 4].",
)
@click.option(
    "--base-catalog",
    "base_catalog",
    metavar="DIR|FILE|none",
    default=None,
    help="The catalog a private catalog or overlay is merged over, as load(overlays=...) "
    "does: a catalog folder, a compiled bundle or an export; `none` checks every path as a "
    "complete catalog [default: the bundled catalog, as load() reads it].",
)
def validate(
    paths: tuple[Path, ...],
    fmt: str,
    quiet: bool,
    today: dt.datetime | None,
    jobs: int | None,
    base_catalog: str | None,
) -> None:
    """Validate catalog files or folders (default: ./catalog, or the source checkout's).

    A folder, or the catalog folder a file belongs to, is checked as a complete catalog when
    it is the base catalog itself or, with no --base-catalog, when it is self-contained
    (every provider folder has its provider.yaml, every `base:` names one of its own
    canonical models). Any other folder is a private catalog or overlay: merged over the
    base catalog exactly as llmaestro.load(overlays=[DIR]) merges it (a private offering
    may `base:` a public canonical model, override a public offering's price, add aliases),
    and every rule checks the merged result. It is checked whole, whichever files were named.

    Exit 0 when valid, 1 when a problem was found, 2 on a usage error.
    """
    from llmaestro.catalog.diagnostics import format_github, format_json, format_text, shown
    from llmaestro.catalog.validate import default_jobs
    from llmaestro.targets import NO_BASE, Base, validate_targets

    start = time.perf_counter()
    what = "pass the catalog folder or files to check: llmaestro validate PATH ..."
    targets = list(paths) or [catalog_in_reach("llmaestro validate", what)]
    for target in targets:
        if not target.exists() and not target.is_symlink():
            usage_error(f"llmaestro validate: {shown(str(target))}: no such file or folder; {what}")
    if base_catalog not in (None, NO_BASE) and not Path(base_catalog).exists():
        usage_error(
            f"llmaestro validate: --base-catalog {shown(base_catalog)}: no such folder or file; "
            "pass a catalog folder, a compiled bundle, an export, or `none`"
        )
    jobs = jobs or default_jobs()
    checked = validate_targets(
        targets, Base.of(base_catalog), today=today.date() if today else None, jobs=jobs
    )
    result = checked.result
    elapsed = time.perf_counter() - start
    if fmt == "json":
        click.echo(format_json(result.diagnostics, result.summary()), nl=False)
    elif fmt == "github":
        click.echo(format_github(result.diagnostics), nl=False)
    else:
        click.echo(format_text(result.diagnostics), nl=False)
    if fmt != "json" and not quiet:
        s = result.summary()
        verdict = "valid" if result.ok else "INVALID"
        click.echo(
            f"{verdict}: {s['files']} files, {s['providers']} providers, "
            f"{s['canonical_models']} canonical models, {s['offerings']} offerings; "
            f"{s['errors']} errors, {s['warnings']} warnings ({elapsed:.2f} s)",
            err=fmt == "github",
        )
        for note in checked.notes:
            click.echo(f"  {shown(note)}", err=fmt == "github")
    sys.exit(0 if result.ok else 1)


@click.command()
@click.option("--check", is_flag=True, help="Fail (exit 1) when schemas/ is stale; write nothing.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("schemas"),
    show_default=True,
    help="Folder of the JSON Schemas.",
)
def schemas(check: bool, out: Path) -> None:
    """Write (or --check) the JSON Schemas generated from the data model."""
    from llmaestro.catalog.jsonschemas import write_schemas

    stale = write_schemas(out, check=check)
    if check and stale:
        for name in stale:
            click.echo(f"{out / name}: stale or missing; run `make schemas`", err=True)
        sys.exit(1)
    if not check:
        click.echo(f"wrote {len(stale)} changed schema file(s) in {out}/")


@click.command()
@click.option("--catalog", type=click.Path(path_type=Path), default=None)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Bundle file to write.")
def compile(catalog: Path | None, out: Path) -> None:
    """Compile the validated catalog into the runtime bundle."""
    from llmaestro.catalog.bundle import compile_catalog

    root = catalog or catalog_in_reach("llmaestro compile", "pass --catalog DIR")
    info = compile_catalog(root, out)
    # the summary never mixes with a bundle written to standard output
    click.echo(f"compiled {info} -> {out}", err=str(out) == "-")


#: Every command of this module, for ``main.add_command``.
COMMANDS: tuple[click.Command, ...] = (validate, schemas, compile)
