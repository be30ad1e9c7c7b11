"""``llmaestro fmt``: rewrite catalog files in their one canonical form (or ``--check`` them).

::

    llmaestro fmt                        # the catalog in reach (./catalog, else the checkout's)
    llmaestro fmt catalog/providers/openai
    llmaestro fmt --check FILE ...       # what the pre-commit hook runs on changed files

Exit status: 0 when every file is (now) canonical; 1 when ``--check`` found files that would
change, or a file could not be read or parsed (a located error; that file is left as it is);
2 for a usage error (a path that does not exist, no catalog in reach).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from llmaestro.cli.common import usage_error
from llmaestro.loader import catalog_folder_in_reach


def _default_targets() -> list[Path]:
    found = catalog_folder_in_reach()
    if found is None:
        _usage("no catalog folder here; pass catalog files or folders to format")
    return [Path(found)]


def _usage(message: str) -> NoReturn:
    usage_error(f"llmaestro fmt: {message}")


@click.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Write nothing; list the files that would change.")
@click.option("--quiet", "-q", is_flag=True, help="No summary line.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for many files [default: CPUs, at most 4].",
)
@click.option("--no-cache", is_flag=True, help="Do not use the cache of files known canonical.")
def fmt(
    paths: tuple[Path, ...], check: bool, quiet: bool, jobs: int | None, no_cache: bool
) -> None:
    """Rewrite catalog files in canonical form: the `$schema` line, key order, quoting, numbers.

    PATHS are catalog files or folders (default: the catalog). Comments are kept. With
    --check nothing is written: each file that would change is listed and the exit status
    is 1.
    """
    from llmaestro.catalog.fmt_run import NoSuchPath, run
    from llmaestro.catalog.validate_parallel import default_jobs  # validate's, without its imports

    targets = list(paths) or _default_targets()
    try:
        report = run(
            targets,
            check=check,
            jobs=jobs or default_jobs(),
            use_cache=not no_cache,
        )
    except NoSuchPath as exc:
        _usage(f"no such file or folder: {exc}; pass catalog files or folders")
    verb = "would reformat" if check else "reformatted"
    from llmaestro._http.redact import escape_control

    for changed in report.changed:  # a file name may hold a newline: one line per file
        click.echo(escape_control(f"{changed.display}: {verb} ({', '.join(changed.reasons)})"))
    for problem in report.diagnostics:
        click.echo(problem.format(), err=True)
    if not quiet:
        summary = f"{len(report.changed)} of {report.files} files {verb}"
        if report.diagnostics:
            summary += f", {len(report.diagnostics)} left as they are (errors above)"
        if check and report.changed:
            summary += "; run `llmaestro fmt` to rewrite them"
        click.echo(summary, err=True)
    sys.exit(1 if report.diagnostics or (check and report.changed) else 0)
