#!/usr/bin/env python3
"""The scheduled catalog refresh: ``llmaestro detect`` for one provider or every scheduled
one, one pull request per provider.

::

    python scripts/refresh_catalog.py --list-providers          # the workflow's matrix
    python scripts/refresh_catalog.py anthropic --open-pr       # one provider (a matrix job)
    python scripts/refresh_catalog.py --dry-run                 # every scheduled provider

Each provider runs on its own: one failing (no key, an API error, a guard refusing) does not
stop the others, and the exit status is 1 when any failed. Reports go to ``--report-dir``
(``refresh-<provider>.md``) or, with ``--report`` and one provider, that file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from llmaestro.cli.detect import Progress, default_catalog, provider_matrix
from llmaestro.refresh.github import DEFAULT_LABELS
from llmaestro.refresh.run import DetectOptions, run_detect


@click.command()
@click.argument("providers", nargs=-1)
@click.option("--list-providers", is_flag=True, help="Print the workflow matrix (JSON) and exit.")
@click.option("--only", multiple=True, help="With --list-providers: just these provider ids.")
@click.option("--catalog", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--dry-run", is_flag=True)
@click.option("--open-pr", is_flag=True)
@click.option("--probe", is_flag=True)
@click.option("--max-gone-share", type=click.FloatRange(0.0, 1.0), default=0.2, show_default=True)
@click.option("--api-key-env", metavar="VAR", help="Environment variable holding the key.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--report-dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--base-url", help="API base URL (one provider only).")
@click.option("--quiet", "-q", is_flag=True)
def main(
    providers: tuple[str, ...],
    list_providers: bool,
    only: tuple[str, ...],
    catalog: Path | None,
    dry_run: bool,
    open_pr: bool,
    probe: bool,
    max_gone_share: float,
    api_key_env: str | None,
    report: Path | None,
    report_dir: Path | None,
    base_url: str | None,
    quiet: bool,
) -> None:
    """Refresh the catalog from the providers' live model listings."""
    import json

    root = catalog or default_catalog()
    if list_providers:
        click.echo(json.dumps(provider_matrix(root, only), separators=(",", ":")))
        return
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
        outcome = run_detect(
            DetectOptions(
                provider=provider,
                catalog=root,
                base_url=base_url,
                api_key=api_key,
                dry_run=dry_run,
                open_pr=open_pr,
                probe=probe,
                max_gone_share=max_gone_share,
                report=target,
                labels=DEFAULT_LABELS,
            ),
            progress=progress,
        )
        click.echo(outcome.message, err=True)
        if outcome.exit_code:
            failed.append(provider)
    if failed:
        click.echo(f"failed: {', '.join(failed)}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
