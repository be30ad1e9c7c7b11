#!/usr/bin/env python3
"""The scheduled catalog refresh: ``llmaestro detect`` for one provider or every scheduled
one, one pull request per provider.

::

    python scripts/refresh_catalog.py --list-providers          # the workflow's matrix
    python scripts/refresh_catalog.py anthropic --open-pr       # one provider (a matrix job)
    python scripts/refresh_catalog.py --dry-run                 # every scheduled provider

In the workflow the matrix holds only the providers whose key secret is configured:
``--configured-secrets-env VAR`` names an environment variable holding the repository's
secrets as ``toJSON(secrets)`` gives them (or a JSON list of secret names). Only the names are
read, and only whether each value is non-empty; no value is ever printed. Every provider left
out gets a ``::notice::`` line, so an unconfigured provider is a note in the run, not a failed
job every week. ``--github-output FILE`` appends ``matrix=<json>`` to that file (the
workflow's ``$GITHUB_OUTPUT``) and prints the notices on stdout, where the runner reads them.

Each provider runs on its own: one failing (no key, an API error, a guard refusing) does not
stop the others, and the exit status is 1 when any failed. Reports go to ``--report-dir``
(``refresh-<provider>.md``) or, with ``--report`` and one provider, that file.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from llmaestro.cli.detect import (
    Progress,
    default_catalog,
    guard_options,
    provider_matrix,
    run_interruptible,
)
from llmaestro.refresh.github import DEFAULT_LABELS
from llmaestro.refresh.run import DetectOptions, run_detect


def configured_secret_names(text: str) -> set[str]:
    """The names (upper case, as GitHub stores them) of the configured secrets in ``text``:
    ``toJSON(secrets)`` (names with a non-empty value) or a JSON list of names. Raises
    ValueError without quoting ``text``, which may hold secret values."""
    try:
        data = json.loads(text) if text.strip() else {}
    except ValueError:
        raise ValueError("is not JSON (pass toJSON(secrets) or a JSON list of names)") from None
    if isinstance(data, Mapping):
        return {str(k).upper() for k, v in data.items() if isinstance(v, str) and v.strip()}
    if isinstance(data, list) and all(isinstance(n, str) for n in data):
        return {n.upper() for n in data if n.strip()}
    raise ValueError("is neither a JSON object of secrets nor a JSON list of names")


def split_configured(
    matrix: Iterable[dict[str, Any]], configured: set[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(entries to run, entries skipped): an entry runs when its secret is configured or it
    needs none (an empty ``secret``)."""
    run: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for entry in matrix:
        secret = entry.get("secret") or ""
        (run if not secret or secret.upper() in configured else skipped).append(entry)
    return run, skipped


def _notice(message: str) -> str:
    # workflow command data: %, CR and LF are escaped so one notice stays one line
    text = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::notice title=catalog refresh::{text}"


def list_providers_command(
    root: Path | None, only: Sequence[str], secrets_env: str | None, github_output: Path | None
) -> None:
    matrix = provider_matrix(root, only)
    notices: list[str] = []
    if secrets_env is not None:
        try:
            configured = configured_secret_names(os.environ.get(secrets_env, ""))
        except ValueError as exc:
            raise click.UsageError(f"--configured-secrets-env: ${secrets_env} {exc}") from None
        matrix, skipped = split_configured(matrix, configured)
        notices = [
            _notice(
                f"{e['provider']} skipped: the repository secret {e['secret']} is not set "
                f"(add it to refresh {e['label']}; see docs/refresh.md)"
            )
            for e in skipped
        ]
        if not matrix:
            notices.append(_notice("no provider has its key secret set: nothing to refresh"))
    text = json.dumps(matrix, separators=(",", ":"))
    if github_output is None:
        for line in notices:
            click.echo(line, err=True)
        click.echo(text)
        return
    with github_output.open("a", encoding="utf-8") as handle:
        handle.write(f"matrix={text}\n")
    for line in notices:
        click.echo(line)
    names = ", ".join(e["provider"] for e in matrix) or "none"
    click.echo(f"refreshing {len(matrix)} provider(s): {names}")


@click.command()
@click.argument("providers", nargs=-1)
@click.option("--list-providers", is_flag=True, help="Print the workflow matrix (JSON) and exit.")
@click.option("--only", multiple=True, help="With --list-providers: just these provider ids.")
@click.option(
    "--configured-secrets-env",
    metavar="VAR",
    help="With --list-providers: keep the providers whose secret is set in $VAR "
    "(toJSON(secrets), or a JSON list of names); a ::notice:: for each one left out.",
)
@click.option(
    "--github-output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --list-providers: append matrix=<json> to this file ($GITHUB_OUTPUT).",
)
@click.option("--catalog", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--dry-run", is_flag=True)
@click.option("--open-pr", is_flag=True)
@click.option("--probe", is_flag=True)
@guard_options
@click.option("--api-key-env", metavar="VAR", help="Environment variable holding the key.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--report-dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--base-url", help="API base URL (one provider only).")
@click.option("--quiet", "-q", is_flag=True)
def main(
    providers: tuple[str, ...],
    list_providers: bool,
    only: tuple[str, ...],
    configured_secrets_env: str | None,
    github_output: Path | None,
    catalog: Path | None,
    dry_run: bool,
    open_pr: bool,
    probe: bool,
    max_gone_share: float,
    max_new_count: int,
    max_new_share: float,
    api_key_env: str | None,
    report: Path | None,
    report_dir: Path | None,
    base_url: str | None,
    quiet: bool,
) -> None:
    """Refresh the catalog from the providers' live model listings."""
    root = catalog or default_catalog()
    if list_providers:
        list_providers_command(root, only, configured_secrets_env, github_output)
        return
    if configured_secrets_env or github_output:
        raise click.UsageError("--configured-secrets-env and --github-output need --list-providers")
    chosen = list(providers) or [e["provider"] for e in provider_matrix(root)]
    if (report or base_url or api_key_env) and len(chosen) != 1:
        raise click.UsageError("--report, --base-url and --api-key-env need exactly one provider")
    api_key = os.environ.get(api_key_env) or None if api_key_env else None
    if report_dir is not None:
        report_dir.mkdir(parents=True, exist_ok=True)
    progress = Progress(not quiet and sys.stderr.isatty())
    failed = []
    for provider in chosen:
        target = report
        if target is None and report_dir is not None:
            target = report_dir / f"refresh-{provider}.md"
        outcome = run_interruptible(
            DetectOptions(
                provider=provider,
                catalog=root,
                base_url=base_url,
                api_key=api_key,
                dry_run=dry_run,
                open_pr=open_pr,
                probe=probe,
                max_gone_share=max_gone_share,
                max_new_count=max_new_count,
                max_new_share=max_new_share,
                report=target,
                labels=DEFAULT_LABELS,
            ),
            progress,
            run=run_detect,
        )
        click.echo(outcome.message, err=True)
        if outcome.exit_code:
            failed.append(provider)
    if failed:
        click.echo(f"failed: {', '.join(failed)}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
