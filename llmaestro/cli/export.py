"""``llmaestro export``: the catalog as JSON, YAML, SQLite or LiteLLM's ``model_cost``.

Attached to the main group with the registry commands (:mod:`llmaestro.cli.registry`), whose
``--catalog`` option and error handling it shares (:mod:`llmaestro.cli.common`).
"""

from __future__ import annotations

from pathlib import Path

import click

from llmaestro.cli.common import catalog_option, fail, load_registry
from llmaestro.errors import LLMaestroError, UnknownProviderError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from llmaestro.registry.core import Registry

EXPORT_FORMATS = ("json", "yaml", "sqlite", "litellm")


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="json",
    show_default=True,
    help="json/yaml: the documented export file; sqlite: a database; litellm: model_cost "
    "for litellm.register_model.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="File to write, atomically (a symbolic link is written through; a folder, FIFO or "
    "device refused); - or no --out: standard output (sqlite needs --out).",
)
@click.option(
    "--provider",
    "providers",
    multiple=True,
    metavar="ID",
    help="litellm: only this provider's offerings (our id, e.g. google); repeatable.",
)
@click.option(
    "--only-litellm-providers",
    is_flag=True,
    help="litellm: only providers LiteLLM knows (the others would carry our provider id as "
    "`litellm_provider`).",
)
@catalog_option
def export(
    fmt: str,
    out: Path | None,
    providers: tuple[str, ...],
    only_litellm_providers: bool,
    catalog: Path | None,
) -> None:
    """Export the catalog as JSON, YAML, SQLite or LiteLLM's model_cost JSON.

    The litellm format is for litellm.register_model: keys as LiteLLM routes them
    (openai/gpt-4o, gemini/gemini-2.5-pro), never one that would replace another provider's
    LiteLLM entry; what it leaves out is counted on standard error.
    """
    from llmaestro.exports import export_text, write_export, write_export_text
    from llmaestro.exports.litellm import build_litellm_export, litellm_json

    if fmt == "sqlite" and out is None:
        raise click.UsageError(
            "--format sqlite writes a database file; give --out FILE (or --out - for stdout)"
        )
    if fmt != "litellm" and (providers or only_litellm_providers):
        raise click.UsageError("--provider and --only-litellm-providers filter --format litellm")
    registry = load_registry(catalog)
    target = None if out is None or str(out) == "-" else out  # None: standard output
    try:
        if fmt != "litellm":
            if target is None and fmt == "sqlite":
                _sqlite_to_stdout(registry)
                return
            if target is None:
                click.echo(export_text(registry, fmt), nl=False)
                return
            write_export(registry, fmt, target)
            click.echo(f"wrote {len(registry)} offerings as {fmt} to {out}", err=True)
            return
        result = build_litellm_export(
            registry, providers=providers or None, only_litellm_providers=only_litellm_providers
        )
    except UnknownProviderError as exc:
        raise click.BadParameter(str(exc), param_hint="'--provider'") from None
    except LLMaestroError as exc:
        fail(str(exc))
    if result.skipped:
        label, why = result.skipped[0]
        click.echo(
            f"left out {len(result.skipped)} entries that LiteLLM would file under another "
            f"provider or cannot price from its map (e.g. {label}: {why})",
            err=True,
        )
    text = litellm_json(result.model_cost)
    if target is None:
        click.echo(text, nl=False)
        return
    try:
        write_export_text(target, text)
    except LLMaestroError as exc:
        fail(str(exc))
    click.echo(f"wrote {len(result.model_cost)} entries as litellm to {out}", err=True)


def _sqlite_to_stdout(registry: Registry) -> None:
    """``--format sqlite --out -``: the database built in a private temporary folder, then
    copied to standard output (SQLite cannot write to a pipe); never to a terminal."""
    import shutil
    import sys
    import tempfile

    from llmaestro.exports import write_export

    if sys.stdout.isatty():
        fail("--format sqlite --out -: a binary database; redirect standard output to a file")
    with tempfile.TemporaryDirectory(prefix="llmaestro-export-") as folder:
        path = write_export(registry, "sqlite", Path(folder) / "catalog.sqlite")
        sys.stdout.flush()
        with open(path, "rb") as handle:
            shutil.copyfileobj(handle, sys.stdout.buffer)
        sys.stdout.buffer.flush()


#: The commands of this module, for ``main.add_command``.
COMMANDS: tuple[click.Command, ...] = (export,)
