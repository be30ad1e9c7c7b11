"""Pull requests for catalog refreshes through the GitHub REST API (httpx, no ``gh``).

One fixed branch per provider (``catalog-refresh/<provider>``) and at most one open pull
request per provider, updated in place by later runs:

1. ``GET /repos/{repo}/pulls?head={owner}:{branch}&state=all`` finds the provider's pull
   requests, newest first. An open one whose body carries this drift's fingerprint, with
   a bot commit of that fingerprint on its branch, means the run found nothing new: no
   write (labels missing from it are added). A closed one (closed by a person, or merged)
   with this fingerprint is left closed: the drift is proposed again only once it changes,
   and then in a new pull request.
2. The branch is inspected (:mod:`~llmaestro.refresh.github_branch`): commits on it the
   bot did not make are kept (this run's commit goes on top of them, keeping their files),
   or, when that is not safe, stop the run before any write with a message naming them.
3. The files are committed with the Git Data API (blobs, a tree, a commit carrying the
   fingerprint trailer) and the branch is created or moved to it: with only the bot's
   commits on it, it is force-moved to "base + this run's edits".
4. The pull request is created or its title and body are updated; the labels are added.

Every write is re-checked after an error, since its answer may be lost after it took
effect (a ``502`` after the pull request was created, a ``500`` after the ref was
created, a timeout): the ref is re-read, the pull request searched again, the labels
listed, and the run goes on when the write is there. Blobs, trees and commits are content
objects: writing one twice is harmless. When a later step fails for good, the branch is
put back as it was (a failed run changes nothing). Rate limits and GitHub's error details:
:mod:`~llmaestro.refresh.github_api`. The token, every key shape and the key variables
are redacted from the title, the body and every message.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote

from llmaestro.errors import PullRequestError
from llmaestro.refresh.github_api import DEFAULT_API_URL, GitHub, GitHubAPIError
from llmaestro.refresh.github_branch import (
    Layout,
    bot_fingerprints,
    branch_tip,
    commit_trailer,
    move_branch,
    plan_branch,
    restore_branch,
)
from llmaestro.refresh.report import fingerprint_marker

__all__ = [
    "DEFAULT_API_URL",
    "DEFAULT_LABELS",
    "GitHub",
    "GitHubAPIError",
    "PullRequestError",
    "PullRequestResult",
    "branch_for",
    "fingerprint_marker",
    "open_or_update_pull_request",
]

logger = logging.getLogger("llmaestro.pull_requests")

DEFAULT_LABELS: tuple[str, ...] = ("catalog-refresh", "automated")
#: pull requests per search page, and pages read at most (the branch's history)
PER_PAGE = 100
MAX_PAGES = 10
#: GitHub refuses a body over 65,536 characters and a title over 256
MAX_BODY = 65_000
MAX_TITLE = 256

Action = Literal["created", "updated", "unchanged"]


def branch_for(provider: str) -> str:
    """The fixed branch of a provider's refresh pull request."""
    return f"catalog-refresh/{provider}"


@dataclass
class PullRequestResult:
    """What :func:`open_or_update_pull_request` did. ``closed``: the drift is the one of a
    closed pull request (``number``), left closed (``action`` is ``"unchanged"``)."""

    action: Action
    branch: str
    number: int | None = None
    url: str | None = None
    commit: str | None = None
    calls: list[str] = field(default_factory=list)
    closed: bool = False

    @property
    def summary(self) -> str:
        """One line for the run's message."""
        where = f" {self.url}" if self.url else ""
        if self.closed:
            return (
                f"pull request #{self.number} proposed this drift and was closed; left closed "
                f"until the drift changes{where}"
            )
        if self.action == "unchanged":
            return f"pull request #{self.number} already proposes this{where}"
        return f"pull request #{self.number} {self.action}{where}"


def _object(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise PullRequestError(f"GitHub answered {what} with an unexpected body")
    return value


def _sha(value: Any, what: str, *keys: str) -> str:
    node: Any = value
    for key in keys:
        node = _object(node, what).get(key)
    if not isinstance(node, str) or not node:
        raise PullRequestError(f"GitHub's answer to {what} has no {'.'.join(keys)}")
    return node


class _Run:
    """One proposal: the repository paths and the calls of each step."""

    def __init__(self, github: GitHub, repository: str, provider: str) -> None:
        if "/" not in repository:
            raise PullRequestError(f"repository must be owner/name, got {repository!r}")
        self.github = github
        self.repo = "/repos/" + "/".join(quote(p, safe="") for p in repository.split("/", 1))
        self.owner = repository.split("/", 1)[0]
        self.provider = provider
        self.branch = branch_for(provider)

    def pulls(self, state: str) -> Iterator[Mapping[str, Any]]:
        """The branch's pull requests in ``state``, newest first, page by page (at most
        :data:`MAX_PAGES` pages of :data:`PER_PAGE`)."""
        for page in range(1, MAX_PAGES + 1):
            found = self.github.request(
                "GET",
                f"{self.repo}/pulls",
                params={
                    "state": state,
                    "head": f"{self.owner}:{self.branch}",
                    "sort": "created",
                    "direction": "desc",
                    "per_page": str(PER_PAGE),
                    "page": str(page),
                },
            )
            if not isinstance(found, list):
                raise PullRequestError(
                    "GitHub answered the pull request search with an unexpected body"
                )
            yield from (p for p in found if isinstance(p, Mapping) and p.get("number") is not None)
            if len(found) < PER_PAGE:
                return

    def search(self, marker: str) -> tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]:
        """The open pull request, else the newest closed one proposing ``marker``'s drift
        (the open one, when there is one, is the newest: a new one is opened only when
        none is open)."""
        for pr in self.pulls("all"):
            if pr.get("state") == "open":
                return pr, None
            if marker in str(pr.get("body") or ""):
                return None, pr
        return None, None

    def is_current(self, pr: Mapping[str, Any], fingerprint: str) -> bool:
        """Whether the open ``pr``'s branch holds a bot commit of ``fingerprint``."""
        tip = branch_tip(self.github, self.repo, self.branch)
        base = _object(pr.get("base"), "the pull request").get("ref")
        if tip is None or not isinstance(base, str):
            return False
        return fingerprint in bot_fingerprints(self.github, self.repo, self.provider, base, tip)

    def commit(
        self,
        files: Mapping[str, str],
        base_sha: str,
        layout: Layout,
        message: str,
        fingerprint: str,
    ) -> str:
        """Blobs, a tree (the base's, the people's files ``layout`` carries, this run's
        files) and the commit, marked with the trailer."""
        github, repo = self.github, self.repo
        base_commit = github.request("GET", f"{repo}/git/commits/{base_sha}")
        base_tree = _sha(base_commit, "the base commit", "tree", "sha")
        entries: list[dict[str, str | None]] = []
        for path, text in sorted(files.items()):
            blob = github.request(
                "POST", f"{repo}/git/blobs", json={"content": text, "encoding": "utf-8"}
            )
            entries.append(
                {"path": path, "mode": "100644", "type": "blob", "sha": _sha(blob, "a blob", "sha")}
            )
        for path, kept in sorted(layout.carry.items()):  # people's files, as on the branch
            mode, sha = kept if kept is not None else ("100644", None)  # None: deleted
            entries.append({"path": path, "mode": mode, "type": "blob", "sha": sha})
        tree = github.request(
            "POST", f"{repo}/git/trees", json={"base_tree": base_tree, "tree": entries}
        )
        tree_sha = _sha(tree, "the tree", "sha")
        trailer = commit_trailer(self.provider, fingerprint, tree_sha)
        commit = github.request(
            "POST",
            f"{repo}/git/commits",
            json={
                "message": f"{message.rstrip()}\n\n{trailer}\n",
                "tree": tree_sha,
                "parents": layout.parents,
            },
        )
        return _sha(commit, "the commit", "sha")

    def create_pull(self, title: str, body: str, base: str) -> tuple[Mapping[str, Any], Action]:
        """Create the pull request; after an error, one found open on the branch is it (the
        answer was lost) or one the search missed: updated to this run's title and body."""
        try:
            created = self.github.request(
                "POST",
                f"{self.repo}/pulls",
                json={"title": title, "head": self.branch, "base": base, "body": body},
            )
        except GitHubAPIError as exc:
            try:
                found = list(itertools.islice(self.pulls("open"), 1))
            except PullRequestError:
                raise exc from None
            if not found:
                raise
            logger.warning(
                "%s; found pull request #%s open on the branch: going on",
                exc,
                found[0].get("number"),
            )
            ours = found[0].get("title") == title and _same_text(found[0].get("body"), body)
            return self.update_pull(found[0], title, body), "created" if ours else "updated"
        return _object(created, "the new pull request"), "created"

    def update_pull(self, pr: Mapping[str, Any], title: str, body: str) -> Mapping[str, Any]:
        """Set the title and body (unless they are already so); re-read after an error."""
        if pr.get("title") == title and _same_text(pr.get("body"), body):
            return pr
        path = f"{self.repo}/pulls/{pr.get('number')}"
        try:
            updated = self.github.request("PATCH", path, json={"title": title, "body": body})
        except GitHubAPIError as exc:
            try:
                now = _object(self.github.request("GET", path), "the pull request")
            except PullRequestError:
                raise exc from None
            if now.get("title") == title and _same_text(now.get("body"), body):
                logger.warning("%s; the pull request is updated all the same: going on", exc)
                return now
            raise
        return _object(updated, "the pull request update")

    def ensure_labels(self, pr: Mapping[str, Any], labels: Sequence[str]) -> None:
        """Add the labels the pull request lacks; re-listed after an error."""
        have = _label_names(pr.get("labels"))
        missing = [name for name in labels if name not in have]
        if not missing:
            return
        path = f"{self.repo}/issues/{pr.get('number')}/labels"
        try:
            self.github.request("POST", path, json={"labels": missing})
        except GitHubAPIError as exc:
            try:
                now = _label_names(self.github.request("GET", path))
            except PullRequestError:
                raise exc from None
            if not set(missing) <= now:
                raise
            logger.warning("%s; the labels are there all the same: going on", exc)


def _label_names(value: Any) -> set[str]:
    if not isinstance(value, list):
        return set()
    return {str(label.get("name")) if isinstance(label, Mapping) else str(label) for label in value}


def _same_text(a: Any, b: str) -> bool:
    """GitHub may answer a body with ``\\r\\n`` line ends or trimmed."""
    return isinstance(a, str) and a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


def _fit(body: str, marker: str) -> str:
    """``body`` ending with ``marker``, cut (at a line end) to what GitHub takes: a long
    report (thousands of new models) must not fail the run with a 422."""
    text = body.replace(marker, "").rstrip("\n")
    if len(text) + len(marker) + 2 > MAX_BODY:
        room = MAX_BODY - len(marker) - 200
        cut = text.rfind("\n", 0, room)
        cut = cut if cut > 0 else room
        text = (
            text[:cut]
            + f"\n\n… {len(text) - cut:,} more characters of the report are cut (GitHub takes "
            "65,536 at most); the branch's diff has every change."
        )
    return text + "\n\n" + marker + "\n"


def open_or_update_pull_request(
    github: GitHub,
    *,
    repository: str,
    provider: str,
    files: Mapping[str, str],
    title: str,
    body: str,
    fingerprint: str,
    base: str | None = None,
    base_sha: str | None = None,
    labels: Sequence[str] = DEFAULT_LABELS,
    message: str | None = None,
) -> PullRequestResult:
    """Propose ``files`` (repository path → new text) on the provider's branch.

    ``base`` is the branch to merge into (default: the repository's default branch);
    ``base_sha`` the commit the edits were computed on (default: the tip of ``base``; in
    Actions pass ``GITHUB_SHA``). The fingerprint marker is appended to ``body`` unless it
    is in it already. Raises :class:`PullRequestError` (nothing changed) on failure.
    """
    if not files:
        raise PullRequestError("nothing to propose: no changed file")
    run = _Run(github, repository, provider)
    repo, branch = run.repo, run.branch
    marker = fingerprint_marker(provider, fingerprint)
    title = github.line(title)
    if len(title) > MAX_TITLE:
        title = title[: MAX_TITLE - 1] + "…"
    body = _fit(github.redact(body), marker)
    start = len(github.calls)

    def result(action: Action, pr: Mapping[str, Any], **kw: Any) -> PullRequestResult:
        return PullRequestResult(
            action,
            branch,
            number=pr.get("number"),
            url=pr.get("html_url"),
            calls=github.calls[start:],
            **kw,
        )

    existing, closed = run.search(marker)
    if existing is not None:
        if marker in str(existing.get("body") or "") and run.is_current(existing, fingerprint):
            run.ensure_labels(existing, labels)
            logger.info("%s: the open pull request already proposes this drift", provider)
            return result("unchanged", existing)
    elif closed is not None:
        logger.info(
            "%s: pull request #%s proposed this drift and was closed",
            provider,
            closed.get("number"),
        )
        return result("unchanged", closed, closed=True)

    if base is None:
        if existing is not None:
            base = _object(existing.get("base"), "the pull request").get("ref")
        if not isinstance(base, str) or not base:
            info = github.request("GET", repo)
            base = str(_object(info, "the repository").get("default_branch") or "main")
    if base_sha is None:
        ref = github.request("GET", f"{repo}/git/ref/heads/{quote(base, safe='/')}")
        base_sha = _sha(ref, "the base branch", "object", "sha")

    tip = branch_tip(github, repo, branch)
    number = existing.get("number") if existing is not None else None
    layout = plan_branch(
        github,
        repo,
        provider,
        branch,
        base_sha,
        tip,
        files.keys(),
        number if isinstance(number, int) else None,
    )
    commit_sha = run.commit(files, base_sha, layout, message or title, fingerprint)
    move_branch(github, repo, branch, tip, commit_sha, force=layout.force)
    action: Action = "updated"
    try:
        if existing is not None:
            pr = run.update_pull(existing, title, body)
        else:
            pr, action = run.create_pull(title, body, base)
    except PullRequestError as exc:
        note = restore_branch(github, repo, branch, tip, commit_sha)
        raise PullRequestError(f"{exc}{note}", status=exc.status) from None
    run.ensure_labels(pr, labels)
    return result(action, pr, commit=commit_sha)
