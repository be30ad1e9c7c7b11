"""``llmaestro detect``: read a provider's model listing, compare it with the catalog, and
apply, report or propose the differences.

::

    llmaestro detect openai --dry-run                 # print the report, write nothing
    llmaestro detect anthropic                         # edit catalog/ in place
    llmaestro detect google --open-pr --report r.md    # propose the edits as a pull request
    llmaestro detect --list-providers                  # JSON for a workflow matrix

Exit status: 0 when the run succeeded (changes applied or proposed, or nothing new); 1 when
it failed or a guard refused (a failed or partial fetch, too many offerings gone or new, edits
that break validation, a GitHub error): then nothing was changed; 2 for a usage error;
``128 + n`` when signal ``n`` (SIGTERM, SIGINT) stopped it: every catalog file is restored
(the catalog is written as one transaction, and a run killed outright is recovered by the
next one).

The run itself is :func:`llmaestro.refresh.run.run_detect` (``scripts/refresh_catalog.py``
loops it over providers); this module parses the options, calls it and prints.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from llmaestro.cli.common import checkout_catalog as default_catalog

if TYPE_CHECKING:
    from llmaestro.refresh.run import DetectOptions, DetectOutcome

__all__ = [
    "Progress",
    "default_catalog",
    "detect",
    "guard_options",
    "provider_matrix",
    "run_interruptible",
]

_F = TypeVar("_F", bound=Callable[..., Any])

# The refresh stack (detectors, pydantic wire models, ruamel, httpx and the clients) loads when
# a detect command runs, not when the command line starts: importing llmaestro.refresh.run
# costs ~0.3 s (328 ms, best of 7) on top of the rest of the command line.


def provider_matrix(
    catalog: Path | None, only: Sequence[str] = (), *, include_unscheduled: bool = False
) -> list[dict[str, Any]]:
    """:func:`llmaestro.refresh.run.provider_matrix`, an unknown ``only`` id a usage error."""
    from llmaestro.refresh.detectors import DetectorConfigError
    from llmaestro.refresh.run import provider_matrix as matrix

    try:
        return matrix(catalog, only, include_unscheduled=include_unscheduled)
    except DetectorConfigError as exc:
        raise click.UsageError(str(exc)) from None


def guard_options(func: _F) -> _F:
    """The guards' options (gone share, new count and share), shared with the script."""
    func = click.option(
        "--max-new-share",
        type=click.FloatRange(min=0.0),
        default=0.5,
        show_default=True,
        help="Refuse when the listing adds more new offerings than this share of the active "
        "ones (from 10 new on).",
    )(func)
    func = click.option(
        "--max-new",
        "max_new_count",
        type=click.IntRange(min=0),
        default=100,
        show_default=True,
        help="Refuse when the listing adds more new offerings than this.",
    )(func)
    return click.option(
        "--max-gone-share",
        type=click.FloatRange(0.0, 1.0),
        default=0.2,
        show_default=True,
        help="Refuse when more than this share of the offerings would be marked gone.",
    )(func)


def run_interruptible(
    options: DetectOptions,
    progress: Callable[[str], None],
    run: Callable[..., DetectOutcome] | None = None,
) -> DetectOutcome:
    """``run`` (:func:`~llmaestro.refresh.run.run_detect`); a SIGTERM or SIGINT is one line
    and exit ``128 + signal``: while the catalog is written every file is restored, at any
    other point the run stops where it is (temporary copies removed) and the catalog holds
    all of its edits or none."""
    from llmaestro.refresh.run import run_detect
    from llmaestro.refresh.transaction import Interrupted

    def stop(signum: int, frame: object) -> None:
        raise Interrupted(signum, restored=False)

    previous = {}
    if threading.current_thread() is threading.main_thread():
        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        return (run or run_detect)(options, progress=progress)
    except Interrupted as exc:
        state = (
            "every catalog file restored"
            if exc.restored
            else "the catalog holds all of this run's edits or none"
        )
        click.echo(f"{options.provider}: {exc}; {state}", err=True)
        sys.exit(128 + exc.signum)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class Progress:
    """Progress lines on stderr, only when it is a terminal (or forced)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, message: str) -> None:
        if self.enabled:
            stamp = dt.datetime.now().strftime("%H:%M:%S")
            click.echo(f"[{stamp}] {message}", err=True)


@click.command("detect")
@click.argument("provider", required=False)
@click.option(
    "--list-providers",
    is_flag=True,
    help="Print the scheduled providers as JSON (a workflow matrix) and exit.",
)
@click.option("--only", multiple=True, help="With --list-providers: just these provider ids.")
@click.option("--base-url", help="API base URL (default: the catalog's).")
@click.option(
    "--catalog",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Catalog folder (default: the repository's catalog/).",
)
@click.option("--dry-run", is_flag=True, help="Compare and report; write nothing.")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the Markdown report (the pull request body) here.",
)
@click.option("--probe", is_flag=True, help="Also send minimal live chat requests (costs tokens).")
@click.option("--probe-limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--open-pr", is_flag=True, help="Propose the edits as a GitHub pull request.")
@guard_options
@click.option(
    "--api-key-env",
    metavar="VAR",
    help="Read the provider's API key from this environment variable.",
)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True)
@click.option("--repository", help="owner/name for --open-pr (default: GITHUB_REPOSITORY).")
@click.option("--base-branch", help="Branch the pull request merges into (default: the repo's).")
@click.option(
    "--label", "labels", multiple=True, help="Pull request label (repeatable).", default=None
)
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@click.option("--verbose", "-v", is_flag=True, help="Progress lines even when not a terminal.")
def detect(
    provider: str | None,
    list_providers: bool,
    only: tuple[str, ...],
    base_url: str | None,
    catalog: Path | None,
    dry_run: bool,
    report: Path | None,
    probe: bool,
    probe_limit: int,
    open_pr: bool,
    max_gone_share: float,
    max_new_count: int,
    max_new_share: float,
    api_key_env: str | None,
    timeout: float,
    repository: str | None,
    base_branch: str | None,
    labels: tuple[str, ...] | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Compare PROVIDER's live model listing with the catalog and apply, report (--dry-run)
    or propose (--open-pr) the differences. The key comes from the catalog's auth.env
    variables (or --api-key-env)."""
    root = catalog or default_catalog()
    if list_providers:
        click.echo(json.dumps(provider_matrix(root, only), separators=(",", ":")))
        return
    if not provider:
        raise click.UsageError("give a PROVIDER (or --list-providers)")
    if dry_run and open_pr:
        raise click.UsageError("--dry-run and --open-pr exclude each other")
    api_key = None
    if api_key_env:
        api_key = os.environ.get(api_key_env) or None
        if api_key is None:
            raise click.UsageError(f"--api-key-env: {api_key_env} is not set")
    from llmaestro.refresh.github import DEFAULT_LABELS
    from llmaestro.refresh.run import EXIT_OK, DetectOptions

    options = DetectOptions(
        provider=provider,
        catalog=root,
        base_url=base_url,
        api_key=api_key,
        dry_run=dry_run,
        report=report,
        probe=probe,
        probe_limit=probe_limit,
        open_pr=open_pr,
        max_gone_share=max_gone_share,
        max_new_count=max_new_count,
        max_new_share=max_new_share,
        timeout=timeout,
        repository=repository,
        base_branch=base_branch,
        labels=tuple(labels) if labels else DEFAULT_LABELS,
    )
    progress = Progress(not quiet and (verbose or sys.stderr.isatty()))
    outcome = run_interruptible(options, progress)
    if dry_run and report is None and outcome.report and outcome.exit_code == EXIT_OK:
        click.echo(outcome.report, nl=False)
    click.echo(outcome.message, err=True)
    sys.exit(outcome.exit_code)
