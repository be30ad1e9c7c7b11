"""The `llmaestro` command. Thin: parse arguments, call the library, print."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import NoReturn

import click

from llmaestro._version import __version__

#: What each command needs beyond the core install (extras of llmaestro/_optional.py); the
#: others (models, show, providers, stats, cost, export...) read the compiled catalog.
NEEDS: dict[str, tuple[str, ...]] = {
    "validate": ("authoring",),
    "fmt": ("authoring",),
    "schemas": ("authoring",),
    "compile": ("authoring",),
    "import": ("authoring",),
    "report": ("authoring",),
    "detect": ("authoring", "clients"),
    "site": ("site",),
    "tokens": ("tokens",),
}


class _Group(click.Group):
    """Usage errors exit 2 (click's default); anything unexpected is one line, never a traceback.
    A command whose extra is not installed says which (`pip install 'llmaestro[...]'`)."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        needs = NEEDS.get(name or "")
        if needs and not ctx.resilient_parsing and not {"-h", "--help"} & set(rest):
            from llmaestro._optional import require_extras

            require_extras(f"`llmaestro {name}`", *needs)
        return name, command, rest

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:  # pragma: no cover
            click.echo("interrupted", err=True)
            sys.exit(130)
        except Exception as exc:
            from llmaestro._optional import from_exception
            from llmaestro.errors import LLMaestroError

            if isinstance(exc, ModuleNotFoundError):  # an optional import deeper down
                exc = from_exception(f"`llmaestro {ctx.invoked_subcommand}`", exc) or exc
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


def _catalog_in_reach(command: str, what: str) -> Path:
    """The catalog folder a command works on when given none; else a one-line usage error."""
    from llmaestro.loader import catalog_folder_in_reach

    found = catalog_folder_in_reach()
    if found is None:
        _usage_error(f"llmaestro {command}: no catalog folder in reach (no ./catalog here); {what}")
    return Path(found)


def _usage_error(message: str) -> NoReturn:
    """One line on stderr, exit 2."""
    click.echo(message, err=True)
    sys.exit(2)


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
    from llmaestro.catalog.diagnostics import format_github, format_json, format_text
    from llmaestro.targets import NO_BASE, Base, validate_targets

    start = time.perf_counter()
    what = "pass the catalog folder or files to check: llmaestro validate PATH ..."
    targets = list(paths) or [_catalog_in_reach("validate", what)]
    for target in targets:
        if not target.exists() and not target.is_symlink():
            _usage_error(f"llmaestro validate: {target}: no such file or folder; {what}")
    if base_catalog not in (None, NO_BASE) and not Path(base_catalog).exists():
        _usage_error(
            f"llmaestro validate: --base-catalog {base_catalog}: no such folder or file; "
            "pass a catalog folder, a compiled bundle, an export, or `none`"
        )
    import os

    jobs = jobs or min(os.cpu_count() or 1, 4)
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
            click.echo(f"  {note}", err=fmt == "github")
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

    root = catalog or _catalog_in_reach("compile", "pass --catalog DIR")
    info = compile_catalog(root, out)
    click.echo(f"compiled {info} -> {out}")


def _attach() -> None:
    """Attach the command groups that live with the code they drive."""
    from llmaestro.cli.cost import cost, tokens
    from llmaestro.cli.detect import detect
    from llmaestro.cli.export import export
    from llmaestro.cli.fmt import fmt
    from llmaestro.cli.imports import import_group, report, stats
    from llmaestro.cli.registry import COMMANDS
    from llmaestro.cli.site import site

    for command in (*COMMANDS, export, tokens, cost, import_group, report, stats, site, detect):
        main.add_command(command)
    main.add_command(fmt)


_attach()
