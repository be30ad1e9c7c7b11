"""The refresh bot's branch: which commits on it are the bot's, where this run's commit
goes, and moving the branch safely.

The bot marks each commit it makes with a trailer line::

    Llmaestro-Refresh: provider=openrouter fingerprint=<drift> tree=<tree sha>

A commit is the bot's when its message carries the trailer for this provider and the
``tree=`` it names is the commit's own tree (so an amended or hand-edited copy of a bot
commit counts as a person's). The branch is force-moved to "base + this run" only when
every commit on it that the base lacks is the bot's. People's commits are never
discarded: this run's commit goes on top of them (a fast-forward, keeping the files they
changed), or, when that cannot be done safely (they changed a file this run writes, or
merged), the run stops before any write with a message that names them
(:func:`plan_branch`). The ref is re-read just before the move and after any failed
write: a write whose answer was lost (a ``500`` after the ref was created, a timeout) is
recognised by its result and the run goes on; a branch that moved meanwhile stops the run.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from llmaestro.errors import PullRequestError
from llmaestro.refresh.github_api import GitHub, GitHubAPIError

__all__ = [
    "Layout",
    "bot_fingerprints",
    "branch_tip",
    "commit_trailer",
    "move_branch",
    "plan_branch",
    "restore_branch",
]

logger = logging.getLogger("llmaestro.pull_requests")

TRAILER = "Llmaestro-Refresh:"
#: commits GitHub lists in one compare answer (more: the branch is not inspected whole)
COMPARE_LIMIT = 250
#: files GitHub lists for one commit on its first page (more: the commit is not read whole)
FILES_LISTED = 300


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


def _compare(github: GitHub, repo: str, base: str, head: str) -> tuple[list[Any], int]:
    """The commits of ``head`` that ``base`` lacks (oldest first) and how many commits of
    ``base`` ``head`` lacks."""
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
    behind = found.get("behind_by")
    return commits, behind if isinstance(behind, int) else 1


def bot_fingerprints(github: GitHub, repo: str, provider: str, base: str, tip: str) -> set[str]:
    """The drift fingerprints of the bot's commits on the branch (ahead of ``base``)."""
    return {
        fp
        for c in _compare(github, repo, base, tip)[0]
        if (fp := _bot_fingerprint(c, provider)) is not None
    }


def _describe(github: GitHub, commit: Any) -> str:
    """``abc1234 "subject" by login``: redacted before the subject is cut, escaped."""
    sha = str(commit.get("sha") or "?")[:7] if isinstance(commit, Mapping) else "?"
    inner = commit.get("commit") if isinstance(commit, Mapping) else None
    inner = inner if isinstance(inner, Mapping) else {}
    subject = github.line(str(inner.get("message") or "").split("\n", 1)[0])
    subject = subject if len(subject) <= 60 else subject[:59] + "…"
    author = inner.get("author")
    name = author.get("name") if isinstance(author, Mapping) else None
    login = commit.get("author") if isinstance(commit, Mapping) else None
    who = login.get("login") if isinstance(login, Mapping) else None
    by = who or name
    return f'{sha} "{subject}"' + (f" by {github.line(str(by))}" if by else "")


@dataclass
class Layout:
    """Where this run's commit goes: its ``parents`` and the people's files it carries over
    (path → its mode and blob sha at the tip, None for a file they deleted); ``force``
    when the branch may be force-moved (it holds the bot's commits only)."""

    parents: list[str]
    carry: dict[str, tuple[str, str] | None] = field(default_factory=dict)
    force: bool = True


def plan_branch(
    github: GitHub,
    repo: str,
    provider: str,
    branch: str,
    base_sha: str,
    tip: str | None,
    files: Collection[str],
    pull: int | None = None,
) -> Layout:
    """The layout of this run's commit on the branch; raises :class:`PullRequestError`
    (before any write: the run changes nothing) when people's commits on it cannot be kept.

    Only the bot's commits: "base + this run", force-moved. People's commits too: a commit
    on top of the branch (a fast-forward, never forced) whose tree is the base's, this
    run's files and the files those commits changed as they are on the branch; its parents
    are the tip and, when the base moved on, the base (so the pull request's diff is this
    run's edits plus the people's). Refused: people's changes to a file this run writes, a
    merge commit of theirs (what it changed cannot be told apart from what it merged), a
    commit of theirs changing more files than GitHub lists."""
    if tip is None or tip == base_sha:
        return Layout([base_sha])
    commits, behind = _compare(github, repo, base_sha, tip)
    foreign = [c for c in commits if _bot_fingerprint(c, provider) is None]
    if not foreign:
        return Layout([base_sha])
    shown = ", ".join(_describe(github, c) for c in foreign[:3])
    shown += f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
    what = f"pull request #{pull}" if pull else "its pull request"

    def refuse(why: str, remedy: str) -> PullRequestError:
        return PullRequestError(
            github.line(
                f"{branch} has {len(foreign)} commit(s) llmaestro did not make ({shown}) {why}; "
                f"the refresh leaves the branch as it is and changed nothing: {remedy}, and "
                "the next run proposes the drift again"
            )
        )

    touched: set[str] = set()
    for commit in foreign:
        sha = str(commit.get("sha") or "")
        found = github.request("GET", f"{repo}/commits/{quote(sha, safe='')}")
        changed = found.get("files") if isinstance(found, Mapping) else None
        parents = found.get("parents") if isinstance(found, Mapping) else None
        if not isinstance(changed, list) or not isinstance(parents, list):
            raise PullRequestError(f"GitHub answered the commit {sha[:7]} unexpectedly")
        if len(parents) != 1:
            raise refuse(
                f"with a merge ({sha[:7]}) the refresh cannot build on safely",
                f"merge or close {what} and delete the branch",
            )
        if len(changed) >= FILES_LISTED:
            raise refuse(
                f"changing {len(changed)}+ files in {sha[:7]}, more than GitHub lists",
                f"merge or close {what} and delete the branch",
            )
        for entry in changed:
            if not isinstance(entry, Mapping) or not isinstance(entry.get("filename"), str):
                raise PullRequestError(f"GitHub answered the commit {sha[:7]} unexpectedly")
            touched.add(entry["filename"])
            if isinstance(entry.get("previous_filename"), str):
                touched.add(entry["previous_filename"])
    clash = sorted(touched & set(files))
    if clash:
        listed = ", ".join(clash[:3]) + (f" and {len(clash) - 3} more" if len(clash) > 3 else "")
        raise refuse(
            f"that change {listed}, which this run changes too",
            f"merge or close {what} and delete the branch, or drop those commits from it",
        )
    at_tip = _tree_entries(github, repo, tip)
    if at_tip is None:
        raise refuse(
            "on a branch whose files GitHub does not list whole",
            f"merge or close {what} and delete the branch",
        )
    carry = {path: at_tip.get(path) for path in sorted(touched)}
    logger.warning(
        "%s: keeping %d commit(s) someone else made (%s); this run's commit goes on top",
        branch,
        len(foreign),
        shown,
    )
    return Layout([tip, base_sha] if behind else [tip], carry, force=False)


def _tree_entries(github: GitHub, repo: str, commit: str) -> dict[str, tuple[str, str]] | None:
    """Every file of ``commit``: path → (mode, blob sha); None when GitHub cut the list."""
    found = github.request("GET", f"{repo}/git/commits/{quote(commit, safe='')}")
    tree = found.get("tree") if isinstance(found, Mapping) else None
    tree_sha = tree.get("sha") if isinstance(tree, Mapping) else None
    if not isinstance(tree_sha, str) or not tree_sha:
        raise PullRequestError(f"GitHub answered the commit {commit[:7]} unexpectedly")
    listing = github.request(
        "GET", f"{repo}/git/trees/{quote(tree_sha, safe='')}", params={"recursive": "1"}
    )
    entries = listing.get("tree") if isinstance(listing, Mapping) else None
    if not isinstance(entries, list) or not isinstance(listing, Mapping):
        raise PullRequestError(f"GitHub answered the tree of {commit[:7]} unexpectedly")
    if listing.get("truncated"):
        return None
    return {
        str(e["path"]): (str(e.get("mode") or "100644"), str(e["sha"]))
        for e in entries
        if isinstance(e, Mapping) and e.get("type") == "blob" and e.get("path") and e.get("sha")
    }


def move_branch(
    github: GitHub, repo: str, branch: str, tip: str | None, commit: str, *, force: bool = True
) -> None:
    """Point the branch at ``commit``: create it (``tip`` None) or move it from ``tip``
    (forced only over the bot's own commits, :func:`plan_branch`); re-checked after any
    error."""
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
            json={"sha": commit, "force": force},
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
