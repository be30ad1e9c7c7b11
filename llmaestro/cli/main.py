"""The `llmaestro` command. Thin: parse arguments, call the library, print.

This module is the group: what each command needs installed (``NEEDS``), the one-line error
handling, and the attachment of the command groups, one module each: :mod:`.catalog`
(validate, schemas, compile), :mod:`.fmt`, :mod:`.registry` (models, show, providers),
:mod:`.export`, :mod:`.cost` (tokens, cost), :mod:`.imports` (import, report, stats),
:mod:`.site` and :mod:`.detect`; :mod:`.common` holds what they share.
"""

from __future__ import annotations

import sys

import click

from llmaestro._version import __version__
from llmaestro.cli import catalog, cost, detect, export, fmt, imports, registry, site

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


#: The commands of every group module, attached to ``main``.
for _command in (
    *catalog.COMMANDS,
    *registry.COMMANDS,
    *export.COMMANDS,
    cost.tokens,
    cost.cost,
    imports.import_group,
    imports.report,
    imports.stats,
    site.site,
    detect.detect,
    fmt.fmt,
):
    main.add_command(_command)
