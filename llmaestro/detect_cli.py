"""``llmaestro detect``: read a provider's model listing, compare it with the catalog, and
apply, report or propose the differences.

::

    llmaestro detect openai --dry-run                 # print the report, write nothing
    llmaestro detect anthropic                         # edit catalog/ in place
    llmaestro detect google --open-pr --report r.md    # propose the edits as a pull request
    llmaestro detect --list-providers                  # JSON for a workflow matrix

Exit status: 0 when the run succeeded (changes applied or proposed, or nothing new); 1 when
it failed or a guard refused (a failed or partial fetch, too many offerings gone, edits that
break validation, a GitHub error): then nothing was changed; 2 for a usage error.

:func:`run_detect` is the same run as a library call (``scripts/refresh_catalog.py`` loops
it over providers).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

__all__ = [
    "DetectOptions",
    "DetectOutcome",
    "Progress",
    "default_catalog",
    "detect",
    "provider_matrix",
    "run_detect",
]

EXIT_OK = 0
EXIT_FAILED = 1


def _default_labels() -> tuple[str, ...]:
    # pull_requests needs httpx (the `clients` extra); the command line starts without it
    from llmaestro.catalog.pull_requests import DEFAULT_LABELS

    return DEFAULT_LABELS


@dataclass
class DetectOptions:
    """One run of ``llmaestro detect``; see the command's options."""

    provider: str
    catalog: Path
    base_url: str | None = None
    api_key: str | None = None
    dry_run: bool = False
    report: Path | None = None
    probe: bool = False
    probe_limit: int = 20
    open_pr: bool = False
    max_gone_share: float = 0.2
    timeout: float = 60.0
    repository: str | None = None
    base_branch: str | None = None
    base_sha: str | None = None
    repo_root: Path | None = None
    labels: tuple[str, ...] = field(default_factory=_default_labels)
    github_api_url: str | None = None
    #: the current time (UTC); tests pin it
    clock: Callable[[], dt.datetime] | None = None
    #: extra detector arguments (``transport=``, ``retry=``, ``sleep=``)
    detector_options: dict[str, Any] = field(default_factory=dict)
    #: extra GitHub client arguments (``retry=``, ``sleep=``, ``transport=``)
    github_options: dict[str, Any] = field(default_factory=dict)


@dataclass
class DetectOutcome:
    """What a run did: its exit code, a one-line message, the report and the details."""

    provider: str
    exit_code: int
    message: str
    report: str | None = None
    plan: Any = None
    pull_request: Any = None
    written: list[Path] = field(default_factory=list)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _repo_root(catalog: Path) -> Path:
    here = catalog.resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here.parent


def _title(plan: Any, label: str) -> str:
    parts = []
    for count, word in (
        (len(plan.prices), "price"),
        (len(plan.new), "new"),
        (len(plan.gone), "gone"),
    ):
        if count:
            parts.append(f"{count} {word}")
    other = len(plan.edits) - len(plan.new)
    if not parts and other:
        parts.append(f"{other} updated")
    suffix = f" ({', '.join(parts)})" if parts else ""
    return f"catalog: refresh {label}{suffix}"


def _failure_report(provider: str, reason: str, now: dt.datetime) -> str:
    return (
        f"## Catalog refresh: `{provider}` failed\n\n"
        f"Nothing was changed: {reason}\n\n"
        f"Run at {now.astimezone(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}.\n"
    )


def run_detect(
    options: DetectOptions, *, progress: Callable[[str], None] | None = None
) -> DetectOutcome:
    """Detect → compare → validate → report → apply or propose; never raises for the
    failures the command reports (they become a non-zero :attr:`DetectOutcome.exit_code`)."""
    from llmaestro.catalog.drift import (
        DriftError,
        apply_plan,
        plan_drift,
        render_report,
        validate_plan,
    )
    from llmaestro.catalog.pull_requests import (
        GitHub,
        PullRequestError,
        open_or_update_pull_request,
    )
    from llmaestro.errors import LLMaestroError
    from llmaestro.llm.capability_detector import DETECTORS
    from llmaestro.llm.detectors.base import DetectorError
    from llmaestro.llm.interfaces.secret import Secret

    say = progress or (lambda message: None)
    clock = options.clock or _now
    pid = options.provider
    secrets: list[Secret] = []
    if options.api_key:
        secrets.append(Secret(options.api_key))
    token = Secret.from_env(["GITHUB_TOKEN"])
    if token:
        secrets.append(token)

    def redact(text: str) -> str:
        for secret in secrets:
            text = secret.redact(text)
        return text

    def fail(reason: str, plan: Any = None, report: str | None = None) -> DetectOutcome:
        reason = redact(reason)
        text = redact(report) if report else _failure_report(pid, reason, clock())
        if options.report is not None:
            options.report.write_text(text, "utf-8")
        return DetectOutcome(pid, EXIT_FAILED, reason, report=text, plan=plan)

    try:
        detector = DETECTORS.create(
            pid,
            catalog=options.catalog,
            base_url=options.base_url,
            api_key=options.api_key,
            timeout=options.timeout,
            clock=clock,
            **options.detector_options,
        )
        if detector.api_key:
            secrets.append(detector.api_key)
        say(f"{pid}: reading {detector.listing_url}")
        observation = detector.detect()
        say(f"{pid}: {len(observation.offerings)} models listed")
        if options.probe:
            from llmaestro.llm.detectors.probe import probe_observation

            observation = probe_observation(
                detector,
                observation,
                limit=options.probe_limit,
                progress=lambda model: say(f"{pid}: probing {model}"),
            )
        say(f"{pid}: comparing with {options.catalog}")
        plan = plan_drift(
            options.catalog,
            observation,
            today=clock().astimezone(dt.UTC).date(),
            max_gone_share=options.max_gone_share,
        )
        if plan.edits:
            say(f"{pid}: validating {len(plan.edits)} changed file(s) on a copy of the catalog")
        validate_plan(plan)
    except (DetectorError, DriftError) as exc:
        return fail(str(exc))
    except LLMaestroError as exc:
        return fail(f"{type(exc).__name__}: {exc}")

    label = detector.label or pid
    report = redact(render_report(plan, now=clock(), title=f"Catalog refresh: {label} (`{pid}`)"))
    if plan.refused:
        return fail(plan.refused, plan, report)
    if options.report is not None:
        options.report.write_text(report, "utf-8")
    outcome = DetectOutcome(pid, EXIT_OK, "", report=report, plan=plan)
    held = (
        f"; {len(plan.held_back)} edit(s) held back by validation (see the report)"
        if plan.held_back
        else ""
    )
    if not plan.has_changes:
        if plan.held_back:
            return fail(f"{pid}: nothing to propose{held}", plan, report)
        outcome.message = f"{pid}: nothing new ({len(observation.offerings)} models checked)"
        return outcome
    if options.dry_run:
        outcome.message = f"{pid}: dry run; {len(plan.edits)} file(s) would change{held}"
        return outcome
    if options.open_pr:
        repository = options.repository or os.environ.get("GITHUB_REPOSITORY")
        if not repository:
            return fail("--open-pr needs --repository or GITHUB_REPOSITORY", plan, report)
        root = options.repo_root or _repo_root(options.catalog)
        catalog = options.catalog.resolve()
        files = {
            (catalog / rel).relative_to(root.resolve()).as_posix(): edit.after
            for rel, edit in plan.edits.items()
        }
        say(f"{pid}: proposing {len(files)} file(s) to {repository}")
        try:
            with GitHub(api_url=options.github_api_url, **options.github_options) as github:
                pr = open_or_update_pull_request(
                    github,
                    repository=repository,
                    provider=pid,
                    files=files,
                    title=_title(plan, label),
                    body=report,
                    fingerprint=plan.fingerprint(),
                    base=options.base_branch,
                    base_sha=options.base_sha or os.environ.get("GITHUB_SHA") or None,
                    labels=options.labels,
                )
        except PullRequestError as exc:
            return fail(str(exc), plan, report)
        outcome.pull_request = pr
        where = f" {pr.url}" if pr.url else ""
        if pr.action == "unchanged":
            outcome.message = f"{pid}: pull request #{pr.number} already proposes this{where}"
        else:
            outcome.message = f"{pid}: pull request #{pr.number} {pr.action}{where}{held}"
        return outcome
    try:
        applied = apply_plan(plan)
    except (DriftError, OSError) as exc:
        return fail(f"writing the catalog failed (every file restored): {exc}", plan, report)
    outcome.written = applied.files
    outcome.message = f"{pid}: {len(applied.files)} file(s) written{held}"
    return outcome


def provider_matrix(
    catalog: Path | None, only: Sequence[str] = (), *, include_unscheduled: bool = False
) -> list[dict[str, Any]]:
    """The workflow matrix: one entry per scheduled detector (or the ``only`` ones) with its
    provider id, label and the secret holding its key (the catalog's first ``auth.env``)."""
    from llmaestro.llm.capability_detector import DETECTORS

    wanted = {p for item in only for p in item.split(",") if p.strip()}
    out = []
    for entry in DETECTORS.describe(catalog):
        if wanted:
            if entry["provider"] not in wanted:
                continue
        elif not (entry["scheduled"] or include_unscheduled):
            continue
        env = entry["env"]
        out.append(
            {
                "provider": entry["provider"],
                "label": entry["label"],
                "secret": env[0] if env else "",
            }
        )
    unknown = wanted - {e["provider"] for e in out}
    if unknown:
        raise click.UsageError(f"no detector for: {', '.join(sorted(unknown))}")
    return out


class Progress:
    """Progress lines on stderr, only when it is a terminal (or forced)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, message: str) -> None:
        if self.enabled:
            stamp = dt.datetime.now().strftime("%H:%M:%S")
            click.echo(f"[{stamp}] {message}", err=True)


def default_catalog() -> Path:
    from llmaestro.catalog.bundle import source_catalog_dir

    found = source_catalog_dir()
    return found if found is not None else Path("catalog")


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
@click.option(
    "--max-gone-share",
    type=click.FloatRange(0.0, 1.0),
    default=0.2,
    show_default=True,
    help="Refuse when more than this share of the offerings would be marked gone.",
)
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
        timeout=timeout,
        repository=repository,
        base_branch=base_branch,
        labels=tuple(labels) if labels else _default_labels(),
    )
    progress = Progress(not quiet and (verbose or sys.stderr.isatty()))
    outcome = run_detect(options, progress=progress)
    if dry_run and report is None and outcome.report and outcome.exit_code == EXIT_OK:
        click.echo(outcome.report, nl=False)
    click.echo(outcome.message, err=True)
    sys.exit(outcome.exit_code)
