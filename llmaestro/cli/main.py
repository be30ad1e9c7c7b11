"""The `llmaestro` command. Thin: parse arguments, call the library, print."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import click

from llmaestro._version import __version__


class _Group(click.Group):
    """Usage errors exit 2 (click's default); anything unexpected is one line, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:  # pragma: no cover
            click.echo("interrupted", err=True)
            sys.exit(130)
        except Exception as exc:
            from llmaestro.errors import LLMaestroError

            kind = (
                "error"
                if isinstance(exc, LLMaestroError)
                else f"internal error ({type(exc).__name__})"
            )
            click.echo(f"llmaestro: {kind}: {exc}", err=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="llmaestro")
def main() -> None:
    """llmaestro: the reviewed catalog of LLM models and providers."""


def _default_catalog() -> Path:
    from llmaestro.catalog.bundle import source_catalog_dir

    found = source_catalog_dir()
    return found if found is not None else Path("catalog")


@main.command()
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
def validate(
    paths: tuple[Path, ...], fmt: str, quiet: bool, today: dt.datetime | None, jobs: int | None
) -> None:
    """Validate catalog files or folders (default: the catalog).

    Exit 0 when valid, 1 when a problem was found, 2 on a usage error.
    """
    from llmaestro.catalog.diagnostics import format_github, format_json, format_text
    from llmaestro.catalog.validate import validate_paths

    start = time.perf_counter()
    targets = list(paths) or [_default_catalog()]
    import os

    jobs = jobs or min(os.cpu_count() or 1, 4)
    result = validate_paths(targets, today=today.date() if today else None, jobs=jobs)
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
    sys.exit(0 if result.ok else 1)


@main.command()
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


@main.command()
@click.option("--catalog", type=click.Path(path_type=Path), default=None)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Bundle file to write.")
def compile(catalog: Path | None, out: Path) -> None:
    """Compile the validated catalog into the runtime bundle."""
    from llmaestro.catalog.bundle import compile_catalog

    info = compile_catalog(catalog or _default_catalog(), out)
    click.echo(f"compiled {info} -> {out}")


def _attach() -> None:
    """Attach the command groups that live with the code they drive."""
    from llmaestro.cli.cost import cost, tokens
    from llmaestro.cli.detect import detect
    from llmaestro.cli.imports import import_group, report, stats
    from llmaestro.cli.registry import COMMANDS
    from llmaestro.cli.site import site

    for command in (*COMMANDS, tokens, cost, import_group, report, stats, site, detect):
        main.add_command(command)


_attach()
