"""Pull requests for catalog refreshes through the GitHub REST API (httpx, no ``gh``).

One fixed branch per provider (``catalog-refresh/<provider>``) and at most one open pull
request per provider, updated in place by later runs:

1. ``GET /repos/{repo}/pulls?head={owner}:{branch}&state=open`` finds the open pull request;
   when its body carries the same drift fingerprint, nothing is written (the run found
   nothing new);
2. the files are committed on top of the base commit with the Git Data API (blobs, a tree,
   a commit) and the branch ref is created or force-moved to it, so the branch is always
   "base + this run's edits";
3. the pull request is created (with labels) or its title and body are updated.

The token comes from ``GITHUB_TOKEN`` and lives in a :class:`~llmaestro.clients.
Secret`: it is sent in the ``Authorization`` header only and redacted from every error
message; it never appears in reprs, logs or bodies. ``GITHUB_API_URL`` (default
``https://api.github.com``) points the client elsewhere (a GitHub Enterprise server, a
test fake). Requests go through the interface layer's public
:meth:`~llmaestro.clients.BaseClient.request_json`: its auth, retries (5xx, 429 and
timeouts are retried with backoff; ``Retry-After`` is honoured), timeouts and typed errors.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

from llmaestro._http.retry import RetryPolicy
from llmaestro._http.secrets import Secret
from llmaestro.clients import BaseClient
from llmaestro.errors import NotFoundError, ProviderError, PullRequestError
from llmaestro.refresh.report import fingerprint_marker

if TYPE_CHECKING:  # pragma: no cover
    import httpx

__all__ = [
    "DEFAULT_API_URL",
    "DEFAULT_LABELS",
    "GitHub",
    "PullRequestError",
    "PullRequestResult",
    "branch_for",
    "fingerprint_marker",
    "open_or_update_pull_request",
]

logger = logging.getLogger("llmaestro.pull_requests")

DEFAULT_API_URL = "https://api.github.com"
DEFAULT_LABELS: tuple[str, ...] = ("catalog-refresh", "automated")


def branch_for(provider: str) -> str:
    """The fixed branch of a provider's refresh pull request."""
    return f"catalog-refresh/{provider}"


class GitHub:
    """A small GitHub REST client: JSON in, JSON out, typed errors.

    ``token`` defaults to ``GITHUB_TOKEN``, ``api_url`` to ``GITHUB_API_URL``.
    """

    def __init__(
        self,
        token: str | Secret | None = None,
        *,
        api_url: str | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        if token is None:
            token = Secret.from_env(["GITHUB_TOKEN"])
            if token is None:
                raise PullRequestError("GITHUB_TOKEN is not set; a pull request needs a token")
        self._token = token if isinstance(token, Secret) else Secret(token)
        self.api_url = (api_url or os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/")
        options: dict[str, Any] = {
            "provider": "github",
            "base_url": self.api_url,
            "api_key": self._token,
            "auth_header": "Authorization",
            "auth_scheme": "Bearer",
            "registry": False,
            "check": False,
            "retry": retry if retry is not None else RetryPolicy(),
            "timeout": timeout,
            "headers": {
                "accept": "application/vnd.github+json",
                "x-github-api-version": "2022-11-28",
            },
        }
        if transport is not None:
            options["transport"] = transport
        if sleep is not None:
            options["sleep"] = sleep
        self._client = BaseClient(**options)
        self.calls: list[str] = []

    def __repr__(self) -> str:
        return f"GitHub(api_url={self.api_url!r}, token={self._token!r})"

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> GitHub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
    ) -> Any:
        """One API call; raises :class:`PullRequestError` (``status`` set) on failure."""
        self.calls.append(f"{method} {path}")
        try:
            return self._client.request_json(method, path, params=params, json=json)
        except ProviderError as exc:
            status = getattr(exc, "status_code", None)
            text = self._token.redact(str(exc))
            raise PullRequestError(
                f"GitHub {method} {path} failed"
                + (f" (HTTP {status})" if status else "")
                + f": {text}",
                status=status,
            ) from None

    def get_optional(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        """A GET that answers None for 404."""
        self.calls.append(f"GET {path}")
        try:
            return self._client.request_json("GET", path, params=params)
        except NotFoundError:
            return None
        except ProviderError as exc:
            status = getattr(exc, "status_code", None)
            raise PullRequestError(
                f"GitHub GET {path} failed: {self._token.redact(str(exc))}", status=status
            ) from None


@dataclass
class PullRequestResult:
    """What :func:`open_or_update_pull_request` did."""

    action: Literal["created", "updated", "unchanged"]
    branch: str
    number: int | None = None
    url: str | None = None
    commit: str | None = None
    calls: list[str] = field(default_factory=list)


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
    is in it already.
    """
    if "/" not in repository:
        raise PullRequestError(f"repository must be owner/name, got {repository!r}")
    if not files:
        raise PullRequestError("nothing to propose: no changed file")
    repo = "/repos/" + "/".join(quote(part, safe="") for part in repository.split("/", 1))
    owner = repository.split("/", 1)[0]
    branch = branch_for(provider)
    marker = fingerprint_marker(provider, fingerprint)
    if marker not in body:
        body = body.rstrip("\n") + "\n\n" + marker + "\n"
    start = len(github.calls)

    def result(action: Literal["created", "updated", "unchanged"], **kw: Any) -> PullRequestResult:
        return PullRequestResult(action, branch, calls=github.calls[start:], **kw)

    found = github.request(
        "GET", f"{repo}/pulls", params={"state": "open", "head": f"{owner}:{branch}"}
    )
    if not isinstance(found, list):
        raise PullRequestError("GitHub answered the pull request search with an unexpected body")
    existing = next((p for p in found if isinstance(p, Mapping)), None)
    if existing is not None and marker in str(existing.get("body") or ""):
        logger.info("%s: the open pull request already proposes this drift", provider)
        return result("unchanged", number=existing.get("number"), url=existing.get("html_url"))

    if base is None:
        if existing is not None:
            base = _object(existing.get("base"), "the pull request").get("ref")
        if not isinstance(base, str) or not base:
            info = github.request("GET", repo)
            base = str(_object(info, "the repository").get("default_branch") or "main")
    if base_sha is None:
        ref = github.request("GET", f"{repo}/git/ref/heads/{quote(base, safe='/')}")
        base_sha = _sha(ref, "the base branch", "object", "sha")
    base_commit = github.request("GET", f"{repo}/git/commits/{base_sha}")
    base_tree = _sha(base_commit, "the base commit", "tree", "sha")

    entries = []
    for path, text in sorted(files.items()):
        blob = github.request(
            "POST", f"{repo}/git/blobs", json={"content": text, "encoding": "utf-8"}
        )
        entries.append(
            {"path": path, "mode": "100644", "type": "blob", "sha": _sha(blob, "a blob", "sha")}
        )
    tree = github.request(
        "POST", f"{repo}/git/trees", json={"base_tree": base_tree, "tree": entries}
    )
    commit = github.request(
        "POST",
        f"{repo}/git/commits",
        json={
            "message": message or title,
            "tree": _sha(tree, "the tree", "sha"),
            "parents": [base_sha],
        },
    )
    commit_sha = _sha(commit, "the commit", "sha")
    ref_path = f"{repo}/git/refs/heads/{quote(branch, safe='/')}"
    if github.get_optional(f"{repo}/git/ref/heads/{quote(branch, safe='/')}") is None:
        github.request(
            "POST", f"{repo}/git/refs", json={"ref": f"refs/heads/{branch}", "sha": commit_sha}
        )
    else:
        github.request("PATCH", ref_path, json={"sha": commit_sha, "force": True})

    if existing is not None:
        number = existing.get("number")
        updated = github.request(
            "PATCH", f"{repo}/pulls/{number}", json={"title": title, "body": body}
        )
        pr = _object(updated, "the pull request update")
        action: Literal["created", "updated"] = "updated"
    else:
        created = github.request(
            "POST",
            f"{repo}/pulls",
            json={"title": title, "head": branch, "base": base, "body": body},
        )
        pr = _object(created, "the new pull request")
        number = pr.get("number")
        action = "created"
        if labels:
            github.request("POST", f"{repo}/issues/{number}/labels", json={"labels": list(labels)})
    return result(action, number=number, url=pr.get("html_url"), commit=commit_sha)
