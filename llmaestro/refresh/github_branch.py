"""The refresh bot's branch: which commits on it are the bot's, and moving it safely.

The bot marks each commit it makes with a trailer line::

    Llmaestro-Refresh: provider=openrouter fingerprint=<drift> tree=<tree sha>

A commit is the bot's when its message carries the trailer for this provider and the
``tree=`` it names is the commit's own tree (so an amended or hand-edited copy of a bot
commit counts as a person's). The branch is force-moved to "base + this run" only when
every commit on it that the base lacks is the bot's; any other commit stops the run with a
message that names it, before anything is written (the bot never discards a person's
work). The ref is re-read just before the move and after any failed write: a write whose
answer was lost (a ``500`` after the ref was created, a timeout) is recognised by its
result and the run goes on; a branch that moved meanwhile stops the run.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from llmaestro.errors import PullRequestError
from llmaestro.refresh.github_api import GitHub, GitHubAPIError

__all__ = [
    "bot_fingerprints",
    "branch_tip",
    "check_branch_is_ours",
    "commit_trailer",
    "move_branch",
    "restore_branch",
]

logger = logging.getLogger("llmaestro.pull_requests")

TRAILER = "Llmaestro-Refresh:"
#: commits GitHub lists in one compare answer (more: the branch is not inspected whole)
COMPARE_LIMIT = 250


def commit_trailer(provider: str, fingerprint: str, tree: str) -> str:
    """The trailer line that marks a commit as the bot's."""
    return f"{TRAILER} provider={provider} fingerprint={fingerprint} tree={tree}"


def _trailer_fields(message: str, provider: str) -> dict[str, str] | None:
    for line in reversed(message.splitlines()):
        if line.startswith(TRAILER):
            fields = dict(
                part.split("=", 1) for part in line[len(TRAILER) :].split() if "=" in part
            )
            if fields.get("provider") == provider:
                return fields
    return None


def _bot_fingerprint(commit: Any, provider: str) -> str | None:
    """The drift fingerprint of a bot commit (a compare ``commits[]`` entry), else None."""
    if not isinstance(commit, Mapping):
        return None
    inner = commit.get("commit")
    if not isinstance(inner, Mapping):
        return None
    fields = _trailer_fields(str(inner.get("message") or ""), provider)
    tree = inner.get("tree")
    tree_sha = tree.get("sha") if isinstance(tree, Mapping) else None
    if fields is None or not tree_sha or fields.get("tree") != tree_sha:
        return None
    return fields.get("fingerprint") or None


def _ref_path(repo: str, branch: str) -> str:
    return f"{repo}/git/ref/heads/{quote(branch, safe='/')}"


def branch_tip(github: GitHub, repo: str, branch: str) -> str | None:
    """The commit the branch points at, None when there is no such branch."""
    ref = github.get_optional(_ref_path(repo, branch))
    if ref is None:
        return None
    node = ref.get("object") if isinstance(ref, Mapping) else None
    sha = node.get("sha") if isinstance(node, Mapping) else None
    if not isinstance(sha, str) or not sha:
        raise PullRequestError(f"GitHub's answer for the branch {branch} has no object.sha")
    return sha


def _compare(github: GitHub, repo: str, base: str, head: str) -> list[Any]:
    found = github.request(
        "GET",
        f"{repo}/compare/{quote(base, safe='')}...{quote(head, safe='')}",
        params={"per_page": str(COMPARE_LIMIT)},
    )
    commits = found.get("commits") if isinstance(found, Mapping) else None
    if not isinstance(commits, list):
        raise PullRequestError(f"GitHub answered the comparison {base}...{head} unexpectedly")
    total = found.get("total_commits", len(commits))
    if isinstance(total, int) and total > len(commits):
        raise PullRequestError(
            f"{head} is {total} commits ahead of {base}, more than the {len(commits)} GitHub "
            "lists at once; the refresh leaves the branch alone and changed nothing: merge or "
            "close its pull request and delete the branch"
        )
    return commits


def bot_fingerprints(github: GitHub, repo: str, provider: str, base: str, tip: str) -> set[str]:
    """The drift fingerprints of the bot's commits on the branch (ahead of ``base``)."""
    return {
        fp
        for c in _compare(github, repo, base, tip)
        if (fp := _bot_fingerprint(c, provider)) is not None
    }


def _describe(commit: Any) -> str:
    sha = str(commit.get("sha") or "?")[:7] if isinstance(commit, Mapping) else "?"
    inner = commit.get("commit") if isinstance(commit, Mapping) else None
    inner = inner if isinstance(inner, Mapping) else {}
    subject = str(inner.get("message") or "").split("\n", 1)[0][:60]
    author = inner.get("author")
    name = author.get("name") if isinstance(author, Mapping) else None
    login = commit.get("author") if isinstance(commit, Mapping) else None
    who = login.get("login") if isinstance(login, Mapping) else None
    by = who or name
    return f'{sha} "{subject}"' + (f" by {by}" if by else "")


def check_branch_is_ours(
    github: GitHub,
    repo: str,
    provider: str,
    branch: str,
    base_sha: str,
    tip: str,
    pull: int | None = None,
) -> None:
    """Raise :class:`PullRequestError` when the branch holds a commit the bot did not make
    (nothing has been written yet, so the run changes nothing)."""
    if tip == base_sha:
        return
    commits = _compare(github, repo, base_sha, tip)
    foreign = [c for c in commits if _bot_fingerprint(c, provider) is None]
    if not foreign:
        return
    shown = ", ".join(_describe(c) for c in foreign[:3])
    more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
    raise PullRequestError(
        github.line(
            f"{branch} has {len(foreign)} commit(s) llmaestro did not make ({shown}{more}); "
            "the refresh does not move a branch with someone's work on it and changed "
            f"nothing: merge or close {f'pull request #{pull}' if pull else 'its pull request'} "
            "and delete the branch (or drop those "
            "commits), and the next run proposes the drift again"
        )
    )


def move_branch(github: GitHub, repo: str, branch: str, tip: str | None, commit: str) -> None:
    """Point the branch at ``commit``: create it (``tip`` None) or force-move it from
    ``tip`` (only bot commits, checked before); re-checked after any error."""
    if tip is None:
        try:
            github.request(
                "POST", f"{repo}/git/refs", json={"ref": f"refs/heads/{branch}", "sha": commit}
            )
        except GitHubAPIError as exc:
            _recheck(github, repo, branch, commit, exc, before=None)
        return
    now = branch_tip(github, repo, branch)
    if now != tip:
        raise PullRequestError(
            f"{branch} moved during this run (from {tip[:7]} to "
            f"{(now or 'deleted')[:7]}); the refresh left it alone, run it again"
        )
    try:
        github.request(
            "PATCH",
            f"{repo}/git/refs/heads/{quote(branch, safe='/')}",
            json={"sha": commit, "force": True},
        )
    except GitHubAPIError as exc:
        _recheck(github, repo, branch, commit, exc, before=tip)


def _recheck(
    github: GitHub, repo: str, branch: str, commit: str, exc: GitHubAPIError, before: str | None
) -> None:
    """After a failed ref write: go on when the branch is at ``commit`` (the write took
    effect, its answer was lost), else raise."""
    try:
        now = branch_tip(github, repo, branch)
    except PullRequestError:
        raise exc from None
    if now == commit:
        logger.warning("%s; the branch is at the new commit all the same: going on", exc)
        return
    if now is not None and now != before:
        raise PullRequestError(
            f"{exc}; {branch} now points at {now[:7]}, a commit of someone else: the "
            "refresh left it alone"
        ) from None
    raise exc


def restore_branch(github: GitHub, repo: str, branch: str, tip: str | None, commit: str) -> str:
    """Undo :func:`move_branch` after a later step failed (a failed run changes nothing):
    delete the branch it created or move it back to ``tip``, only while it still points at
    ``commit``. Answers a note for the error message ("" when undone)."""
    try:
        if branch_tip(github, repo, branch) != commit:
            return f"; {branch} moved meanwhile and was left as it is"
        ref = f"{repo}/git/refs/heads/{quote(branch, safe='/')}"
        if tip is None:
            github.request("DELETE", ref)
        else:
            github.request("PATCH", ref, json={"sha": tip, "force": True})
    except PullRequestError as exc:
        try:  # the undo may have happened, its answer lost
            if branch_tip(github, repo, branch) == tip:
                return ""
        except PullRequestError:
            pass
        return f"; undoing the branch change failed too ({exc})"
    return ""
