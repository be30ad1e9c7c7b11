"""One refresh run of one provider: detect → compare → validate → report → apply or propose.

::

    outcome = run_detect(DetectOptions(provider="openai", catalog=Path("catalog"), dry_run=True))
    outcome.exit_code, outcome.message, outcome.report

:func:`run_detect` never raises for the failures it reports (a failed or partial fetch, a
guard refusing, edits that break validation, a GitHub error): they become exit code 1
(:data:`EXIT_FAILED`) with a one-line reason, and nothing was changed. ``llmaestro detect``
(:mod:`llmaestro.cli.detect`) and ``scripts/refresh_catalog.py`` run it; :func:`provider_matrix`
is the scheduled workflow's matrix.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llmaestro._atomic import write_output
from llmaestro._http.redact import escape_control, redact
from llmaestro._http.secrets import Secret
from llmaestro.errors import LLMaestroError
from llmaestro.refresh.apply import apply_plan, validate_plan
from llmaestro.refresh.detectors.base import Detector, DetectorConfigError, DetectorError
from llmaestro.refresh.detectors.probe import probe_observation
from llmaestro.refresh.drift import DriftError, DriftPlan, Guard
from llmaestro.refresh.github import (
    DEFAULT_LABELS,
    GitHub,
    PullRequestError,
    PullRequestResult,
    open_or_update_pull_request,
)
from llmaestro.refresh.plan import (
    DEFAULT_MAX_GONE_SHARE,
    DEFAULT_MAX_NEW_COUNT,
    DEFAULT_MAX_NEW_SHARE,
    plan_drift,
)
from llmaestro.refresh.registry import DETECTORS
from llmaestro.refresh.report import failure_report, pull_request_title, render_report
from llmaestro.refresh.transaction import recover

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "DetectOptions",
    "DetectOutcome",
    "provider_matrix",
    "run_detect",
]

EXIT_OK = 0
EXIT_FAILED = 1


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
    max_gone_share: float = DEFAULT_MAX_GONE_SHARE
    max_new_share: float = DEFAULT_MAX_NEW_SHARE
    max_new_count: int = DEFAULT_MAX_NEW_COUNT
    timeout: float = 60.0
    repository: str | None = None
    base_branch: str | None = None
    base_sha: str | None = None
    repo_root: Path | None = None
    labels: tuple[str, ...] = DEFAULT_LABELS
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
    plan: DriftPlan | None = None
    pull_request: PullRequestResult | None = None
    written: list[Path] = field(default_factory=list)


def run_detect(
    options: DetectOptions, *, progress: Callable[[str], None] | None = None
) -> DetectOutcome:
    """Detect → compare → validate → report → apply or propose; never raises for the
    failures the command reports (they become a non-zero :attr:`DetectOutcome.exit_code`)."""
    run = _Run(options, progress)
    pid = options.provider
    try:
        recovered = recover(options.catalog)
        for line in recovered:
            run.say(f"{pid}: {line}")
        detector, plan = run.compare()
        plan.guards[:0] = [Guard("recovery", True, line) for line in recovered]
    except (DetectorError, DriftError) as exc:
        return run.fail(str(exc))
    except LLMaestroError as exc:
        return run.fail(f"{type(exc).__name__}: {exc}")
    except OSError as exc:
        return run.fail(f"reading or recovering the catalog failed: {exc}")

    label = detector.label or pid
    report = run.redact(
        render_report(plan, now=run.clock(), title=f"Catalog refresh: {label} (`{pid}`)")
    )
    if plan.refused:
        return run.fail(plan.refused, plan, report)
    trouble = run.write_report(report)
    if trouble:
        return run.fail(trouble, plan, report, write=False)
    outcome = DetectOutcome(pid, EXIT_OK, "", report=report, plan=plan)
    held = (
        f"; {len(plan.held_back)} edit(s) held back by validation (see the report)"
        if plan.held_back
        else ""
    )
    if not plan.has_changes:
        if plan.held_back:
            return run.fail(f"{pid}: nothing to propose{held}", plan, report)
        outcome.message = f"{pid}: nothing new ({len(plan.observation.offerings)} models checked)"
        return outcome
    if options.dry_run:
        outcome.message = f"{pid}: dry run; {len(plan.edits)} file(s) would change{held}"
        return outcome
    if options.open_pr:
        return run.propose(outcome, plan, report, label, held)
    try:
        applied = apply_plan(plan)
    except (DriftError, OSError) as exc:
        return run.fail(f"writing the catalog failed (every file restored): {exc}", plan, report)
    outcome.written = applied.files
    outcome.message = f"{pid}: {len(applied.files)} file(s) written{held}"
    return outcome


class _Run:
    """The state of one :func:`run_detect`: its options, clock, progress and the secrets
    redacted from every message, progress line and report (the configured keys, the
    catalog's key variables and every key shape, :func:`llmaestro._http.redact.redact`)."""

    def __init__(self, options: DetectOptions, progress: Callable[[str], None] | None) -> None:
        self.options = options
        self.progress = progress or (lambda message: None)
        self.clock = options.clock or _now
        self.secrets: list[Secret] = []
        if options.api_key:
            self.secrets.append(Secret(options.api_key))
        token = Secret.from_env(["GITHUB_TOKEN"])
        if token:
            self.secrets.append(token)

    def redact(self, text: str) -> str:
        return redact(text, self.secrets)

    def say(self, message: str) -> None:
        """A progress line: redacted, then made one terminal-safe line."""
        self.progress(escape_control(self.redact(message)))

    def fail(
        self,
        reason: str,
        plan: DriftPlan | None = None,
        report: str | None = None,
        *,
        write: bool = True,
    ) -> DetectOutcome:
        """A failed outcome (its report written where asked)."""
        pid = self.options.provider
        reason = escape_control(self.redact(reason))
        text = self.redact(report) if report else failure_report(pid, reason, self.clock())
        trouble = self.write_report(text) if write else None
        if trouble:
            reason = f"{reason}; {trouble}"
        return DetectOutcome(pid, EXIT_FAILED, reason, report=text, plan=plan)

    def write_report(self, text: str) -> str | None:
        """Write the report where ``--report`` asks (atomically; ``-`` is standard output);
        why that failed, or None."""
        if self.options.report is None:
            return None
        try:
            write_output(self.options.report, text)
        except OSError as exc:
            return escape_control(self.redact(f"writing the report failed: {exc}"))
        return None

    def compare(self) -> tuple[Detector, DriftPlan]:
        """Detect (and probe), compare with the catalog and validate the edits."""
        options, say, pid = self.options, self.say, self.options.provider
        detector = DETECTORS.create(
            pid,
            catalog=options.catalog,
            base_url=options.base_url,
            api_key=options.api_key,
            timeout=options.timeout,
            clock=self.clock,
            **options.detector_options,
        )
        if detector.api_key:
            self.secrets.append(detector.api_key)
        say(f"{pid}: reading {detector.listing_url}")
        observation = detector.detect()
        say(f"{pid}: {len(observation.offerings)} models listed")
        if options.probe:
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
            today=self.clock().astimezone(dt.UTC).date(),
            max_gone_share=options.max_gone_share,
            max_new_share=options.max_new_share,
            max_new_count=options.max_new_count,
        )
        if plan.edits:
            say(f"{pid}: validating {len(plan.edits)} changed file(s) on a staging copy")
        validate_plan(plan)
        return detector, plan

    def propose(
        self, outcome: DetectOutcome, plan: DriftPlan, report: str, label: str, held: str
    ) -> DetectOutcome:
        """Open or update the provider's pull request with the plan's edits."""
        options, pid = self.options, self.options.provider
        repository = options.repository or os.environ.get("GITHUB_REPOSITORY")
        if not repository:
            return self.fail("--open-pr needs --repository or GITHUB_REPOSITORY", plan, report)
        root = options.repo_root or _repo_root(options.catalog)
        catalog = options.catalog.resolve()
        files = {
            (catalog / rel).relative_to(root.resolve()).as_posix(): edit.after
            for rel, edit in plan.edits.items()
        }
        self.say(f"{pid}: proposing {len(files)} file(s) to {repository}")
        try:
            with GitHub(api_url=options.github_api_url, **options.github_options) as github:
                pr = open_or_update_pull_request(
                    github,
                    repository=repository,
                    provider=pid,
                    files=files,
                    title=pull_request_title(plan, label),
                    body=report,
                    fingerprint=plan.fingerprint(),
                    base=options.base_branch,
                    base_sha=options.base_sha or os.environ.get("GITHUB_SHA") or None,
                    labels=options.labels,
                )
        except PullRequestError as exc:
            return self.fail(str(exc), plan, report)
        outcome.pull_request = pr
        outcome.message = f"{pid}: {pr.summary}" + ("" if pr.action == "unchanged" else held)
        return outcome


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _repo_root(catalog: Path) -> Path:
    here = catalog.resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here.parent


def provider_matrix(
    catalog: Path | None, only: Sequence[str] = (), *, include_unscheduled: bool = False
) -> list[dict[str, Any]]:
    """The workflow matrix: one entry per scheduled detector (or the ``only`` ones) with its
    provider id, label and the secret holding its key (the catalog's first ``auth.env``).
    Raises :class:`~llmaestro.refresh.detectors.DetectorConfigError` naming the ``only``
    ids no detector has."""
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
        raise DetectorConfigError(f"no detector for: {', '.join(sorted(unknown))}")
    return out
