"""A fake GitHub REST API (the calls the refresh uses) on a local server, in GitHub's wire
format: it keeps refs, commits, trees, blobs and pull requests in memory, records every
call, and fails on demand: a fixed reply per route (``faults``), or one failure of a step
(``fail_once``) before or *after* its side effect happened (a 500/502 answer, a timeout,
a dropped connection), or a rate limit (403 with ``retry-after``, 429 with
``x-ratelimit-reset``). ``push`` adds a person's commit to a branch."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.refresh._server import FAKE_TOKEN, LocalServer, Recorded, Reply

BASE_SHA = "b" * 40
DOCS = "https://docs.github.com/rest"
#: the fake's clock (Unix time) for ``x-ratelimit-reset``
FAKE_NOW = 1_800_000_000.0

#: the kinds of one failure ``fail_once`` injects
FAILURES = ("500", "502", "timeout", "reset", "403", "429")


def _sha(*parts: str) -> str:
    return hashlib.sha1("\0".join(parts).encode()).hexdigest()


def error(status: int, message: str, doc: str, *errors: dict[str, str]) -> Reply:
    """An error body as GitHub sends it."""
    body: dict[str, Any] = {"message": message, "documentation_url": f"{DOCS}/{doc}"}
    if errors:
        body["errors"] = list(errors)
    body["status"] = str(status)
    return Reply(status, json=body)


def failure(kind: str, reply: Reply | None = None, timeout_delay: float = 3.0) -> Reply:
    """The reply of one injected failure (``reply``: what the call would have answered)."""
    if kind in ("500", "502"):
        return error(int(kind), "Server Error" if kind == "500" else "Bad Gateway", "")
    if kind == "timeout":  # the answer comes after the client gave up
        return Reply(
            reply.status if reply else 200, json=reply.json if reply else {}, delay=timeout_delay
        )
    if kind == "reset":  # headers, then the connection drops before the body
        return Reply(200, sse=[], drop_after=0)
    if kind == "403":
        found = error(
            403,
            "API rate limit exceeded for installation ID 4242.",
            "overview/rate-limits-for-the-rest-api",
        )
        found.headers = {
            "retry-after": "30",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-limit": "5000",
            "x-ratelimit-resource": "core",
        }
        return found
    if kind == "429":
        found = error(
            429,
            "You have exceeded a secondary rate limit. Please wait a few "
            "minutes before you try again.",
            "overview/rate-limits-for-the-rest-api",
        )
        found.headers = {"x-ratelimit-reset": str(int(FAKE_NOW + 42)), "x-ratelimit-remaining": "0"}
        return found
    raise ValueError(kind)


@dataclass
class Once:
    """One failure of the next call matching ``method`` and ``pattern``."""

    method: str
    pattern: str
    kind: str
    used: bool = False

    @property
    def after_effect(self) -> bool:
        """Server errors, timeouts and drops strike after the write happened (the hard
        case); rate limits before (GitHub did not process the call)."""
        return self.kind not in ("403", "429")


class FakeGitHub:
    def __init__(self, repository: str = "acme/llm-catalog", files: dict[str, str] | None = None):
        self.repository = repository
        self.owner = repository.split("/")[0]
        self.blobs: dict[str, str] = {}
        base_tree = _sha("tree", "base")
        self.trees: dict[str, dict[str, str]] = {base_tree: {}}
        for path, text in (files or {}).items():
            sha = _sha("blob", text)
            self.blobs[sha] = text
            self.trees[base_tree][path] = sha
        self.commits: dict[str, dict[str, Any]] = {
            BASE_SHA: self._commit_object(BASE_SHA, base_tree, [], "initial", "octocat")
        }
        self.refs: dict[str, str] = {"heads/main": BASE_SHA}
        self.pulls: list[dict[str, Any]] = []
        #: (method, path regex) -> Reply: injected failures (every time)
        self.faults: dict[tuple[str, str], Reply] = {}
        self.once: list[Once] = []
        #: (method, path regex) -> action run once before that call (someone acting meanwhile)
        self.meanwhile: dict[tuple[str, str], Callable[[], object]] = {}
        #: the next N searches for open pull requests find nothing (a lagging index)
        self.miss_searches = 0
        self._lock = threading.RLock()
        self.server = LocalServer(self.route)
        # headers and body leave in two writes: without TCP_NODELAY each answer waits for the
        # client's delayed ACK (~40 ms), which made the fault matrix take a minute
        self.server._httpd.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[attr-defined]

    @property
    def url(self) -> str:
        return self.server.url

    def close(self) -> None:
        self.server.close()

    @property
    def calls(self) -> list[Recorded]:
        return self.server.requests

    def writes(self) -> list[str]:
        return [f"{r.method} {r.path}" for r in self.calls if r.method != "GET"]

    def branch_files(self, branch: str) -> dict[str, str]:
        commit = self.commits[self.refs[f"heads/{branch}"]]
        return {p: self.blobs[s] for p, s in self.trees[commit["commit"]["tree"]["sha"]].items()}

    def parents(self, branch: str) -> list[str]:
        """The parents of the branch's tip."""
        return [p["sha"] for p in self.commits[self.refs[f"heads/{branch}"]]["parents"]]

    def open_pulls(self) -> list[dict[str, Any]]:
        return [p for p in self.pulls if p["state"] == "open"]

    def fail_once(self, method: str, pattern: str, kind: str) -> None:
        self.once.append(Once(method, pattern, kind))

    def push(
        self,
        branch: str,
        files: dict[str, str | None],
        message: str,
        login: str,
        merge: str | None = None,
    ) -> str:
        """A person's commit on ``branch`` (on top of its tip; a None text deletes the file;
        ``merge``: a second parent, e.g. ``main``)."""
        with self._lock:
            parent = self.refs[f"heads/{branch}"]
            tree = dict(self.trees[self.commits[parent]["commit"]["tree"]["sha"]])
            for path, text in files.items():
                if text is None:
                    tree.pop(path, None)
                    continue
                sha = _sha("blob", text)
                self.blobs[sha] = text
                tree[path] = sha
            tree_sha = _sha("tree", *sorted(f"{k}={v}" for k, v in tree.items()))
            self.trees[tree_sha] = tree
            parents = [parent] + ([self.refs[f"heads/{merge}"]] if merge else [])
            sha = _sha("commit", tree_sha, *parents, message)
            self.commits[sha] = self._commit_object(sha, tree_sha, parents, message, login)
            self.refs[f"heads/{branch}"] = sha
            return sha

    def files_at(self, sha: str) -> dict[str, str]:
        tree = self.trees[self.commits[sha]["commit"]["tree"]["sha"]]
        return {p: self.blobs[b] for p, b in tree.items()}

    def changed_files(self, sha: str) -> list[dict[str, str]]:
        """The commit's files against its first parent, as GET /commits/{sha} lists them."""
        commit = self.commits[sha]
        after = self.trees[commit["commit"]["tree"]["sha"]]
        parents = commit["parents"]
        first = self.commits[parents[0]["sha"]] if parents else None
        before = self.trees[first["commit"]["tree"]["sha"]] if first else {}
        out = []
        for path in sorted(set(before) | set(after)):
            if before.get(path) == after.get(path):
                continue
            status = "added" if path not in before else "modified"
            status = "removed" if path not in after else status
            out.append({"filename": path, "status": status, "sha": after.get(path) or before[path]})
        return out

    def close_pull(self, number: int) -> None:
        self.pulls[number - 1]["state"] = "closed"

    def add_closed_pulls(self, branch: str, bodies: list[str]) -> None:
        """Old closed pull requests of ``branch`` (oldest first)."""
        for body in bodies:
            number = len(self.pulls) + 1
            self.pulls.append(
                {
                    "number": number,
                    "state": "closed",
                    "title": "old",
                    "body": body,
                    "head": {"ref": branch},
                    "base": {"ref": "main"},
                    "labels": [],
                    "html_url": f"https://github.example/pull/{number}",
                }
            )

    def _commit_object(
        self, sha: str, tree: str, parents: list[str], message: str, login: str | None
    ) -> dict[str, Any]:
        """A commit as the Git Data and compare APIs show it (the fields the bot reads and
        a few more)."""
        person = {
            "name": login or "github-actions[bot]",
            "email": "x@example.com",
            "date": "2026-11-27T12:00:00Z",
        }
        return {
            "sha": sha,
            "url": f"https://api.github.example/repos/{self.repository}/git/commits/{sha}",
            "commit": {
                "message": message,
                "tree": {"sha": tree},
                "author": person,
                "committer": person,
            },
            "author": {"login": login, "type": "User"} if login else None,
            "parents": [{"sha": p} for p in parents],
            # the Git Data API's own shape, beside the compare one
            "tree": {"sha": tree},
            "message": message,
        }

    # -- routing ---------------------------------------------------------------------------

    def route(self, r: Recorded) -> Reply:
        if r.headers.get("authorization") != f"Bearer {FAKE_TOKEN}":
            return error(401, "Bad credentials", "")
        for (method, pattern), reply in self.faults.items():
            if r.method == method and re.fullmatch(pattern, r.path):
                return reply
        with self._lock:
            for (method, pattern), action in list(self.meanwhile.items()):
                if r.method == method and re.fullmatch(pattern, r.path):
                    del self.meanwhile[(method, pattern)]
                    action()
            once = next(
                (
                    o
                    for o in self.once
                    if not o.used and o.method == r.method and re.fullmatch(o.pattern, r.path)
                ),
                None,
            )
            if once is not None:
                once.used = True
                if not once.after_effect:
                    return failure(once.kind)
            reply = self._dispatch(r)
            return failure(once.kind, reply) if once is not None else reply

    def _dispatch(self, r: Recorded) -> Reply:
        prefix = f"/repos/{self.repository}"
        if not r.path.startswith(prefix):
            return error(404, "Not Found", "")
        path = r.path[len(prefix) :]
        handler = getattr(self, f"_{r.method.lower()}", None)
        return handler(path, r) if handler else error(405, "no", "")

    def _resolve(self, name: str) -> str | None:
        if name in self.commits:
            return name
        return self.refs.get(f"heads/{name}")

    def _ancestors(self, sha: str) -> set[str]:
        seen: set[str] = set()
        todo = [sha]
        while todo:
            at = todo.pop()
            if at in seen:
                continue
            seen.add(at)
            todo.extend(p["sha"] for p in self.commits[at]["parents"])
        return seen

    def _get(self, path: str, r: Recorded) -> Reply:
        if path == "":
            return Reply(json={"full_name": self.repository, "default_branch": "main"})
        if path == "/pulls":
            state = r.query.get("state", "open")
            if state == "open" and self.miss_searches:
                self.miss_searches -= 1
                return Reply(json=[])
            head = r.query.get("head", "")
            found = [
                p
                for p in reversed(self.pulls)  # sort=created, direction=desc
                if state in ("all", p["state"])
                and (not head or f"{self.owner}:{p['head']['ref']}" == head)
            ]
            size, page = int(r.query.get("per_page", "30")), int(r.query.get("page", "1"))
            return Reply(json=found[(page - 1) * size : page * size])
        m = re.fullmatch(r"/pulls/(\d+)", path)
        if m and 0 < int(m.group(1)) <= len(self.pulls):
            return Reply(json=self.pulls[int(m.group(1)) - 1])
        m = re.fullmatch(r"/issues/(\d+)/labels", path)
        if m and 0 < int(m.group(1)) <= len(self.pulls):
            return Reply(json=self.pulls[int(m.group(1)) - 1]["labels"])
        m = re.fullmatch(r"/git/ref/(heads/.+)", path)
        if m:
            sha = self.refs.get(m.group(1))
            if sha is None:
                return error(404, "Not Found", "git/refs#get-a-reference")
            return Reply(
                json={"ref": f"refs/{m.group(1)}", "object": {"sha": sha, "type": "commit"}}
            )
        m = re.fullmatch(r"/git/commits/([0-9a-f]+)", path)
        if m and m.group(1) in self.commits:
            return Reply(json=self.commits[m.group(1)])
        m = re.fullmatch(r"/commits/([0-9a-f]+)", path)
        if m and m.group(1) in self.commits:
            files = self.changed_files(m.group(1))
            return Reply(json={**self.commits[m.group(1)], "files": files})
        m = re.fullmatch(r"/git/trees/([0-9a-f]+)", path)
        if m and m.group(1) in self.trees:
            entries = [
                {"path": p, "mode": "100644", "type": "blob", "sha": b}
                for p, b in sorted(self.trees[m.group(1)].items())
            ]
            return Reply(json={"sha": m.group(1), "tree": entries, "truncated": False})
        m = re.fullmatch(r"/compare/(.+)\.\.\.(.+)", path)
        if m:
            found_base, found_head = self._resolve(m.group(1)), self._resolve(m.group(2))
            if found_base is None or found_head is None:
                return error(404, "Not Found", "commits/commits#compare-two-commits")
            base, head = found_base, found_head
            behind = self._ancestors(base)
            ahead = self._ancestors(head) - behind
            commits = [self.commits[s] for s in self.commits if s in ahead]  # oldest first
            lacking = behind - self._ancestors(head)
            status = "diverged" if ahead and lacking else "ahead" if ahead else "identical"
            status = "behind" if lacking and not ahead else status
            return Reply(
                json={
                    "status": status,
                    "ahead_by": len(commits),
                    "behind_by": len(lacking),
                    "total_commits": len(commits),
                    "commits": commits,
                    "base_commit": self.commits[base],
                    "files": [],
                }
            )
        return error(404, "Not Found", "")

    def _post(self, path: str, r: Recorded) -> Reply:
        body = r.json
        if path == "/git/blobs":
            sha = _sha("blob", body["content"])
            self.blobs[sha] = body["content"]
            return Reply(201, json={"sha": sha, "url": f"blobs/{sha}"})
        if path == "/git/trees":
            files = dict(self.trees[body["base_tree"]])
            for entry in body["tree"]:
                if entry["sha"] is None:  # GitHub: a null sha deletes the file
                    files.pop(entry["path"], None)
                else:
                    files[entry["path"]] = entry["sha"]
            sha = _sha("tree", *sorted(f"{k}={v}" for k, v in files.items()))
            self.trees[sha] = files
            return Reply(201, json={"sha": sha, "tree": [], "truncated": False})
        if path == "/git/commits":
            sha = _sha(
                "commit", body["tree"], *body["parents"], body["message"], str(len(self.commits))
            )
            self.commits[sha] = self._commit_object(
                sha, body["tree"], body["parents"], body["message"], None
            )
            return Reply(201, json=self.commits[sha])
        if path == "/git/refs":
            name = body["ref"].removeprefix("refs/")
            if name in self.refs:
                return error(422, "Reference already exists", "git/refs#create-a-reference")
            self.refs[name] = body["sha"]
            return Reply(201, json={"ref": body["ref"], "object": {"sha": body["sha"]}})
        if path == "/pulls":
            head = f"{self.owner}:{body['head']}"
            if any(p["head"]["ref"] == body["head"] for p in self.open_pulls()):
                return error(
                    422,
                    "Validation Failed",
                    "pulls/pulls#create-a-pull-request",
                    {
                        "resource": "PullRequest",
                        "code": "custom",
                        "message": f"A pull request already exists for {head}.",
                    },
                )
            number = len(self.pulls) + 1
            pr = {
                "number": number,
                "state": "open",
                "title": body["title"],
                "body": body["body"],
                "head": {"ref": body["head"], "sha": self.refs.get(f"heads/{body['head']}")},
                "base": {"ref": body["base"], "sha": self.refs.get(f"heads/{body['base']}")},
                "labels": [],
                "user": {"login": "github-actions[bot]", "type": "Bot"},
                "html_url": f"https://github.example/{self.repository}/pull/{number}",
            }
            self.pulls.append(pr)
            return Reply(201, json=pr)
        m = re.fullmatch(r"/issues/(\d+)/labels", path)
        if m:
            pr = self.pulls[int(m.group(1)) - 1]
            have = {label["name"] for label in pr["labels"]}
            pr["labels"] += [
                {"name": n, "color": "ededed"} for n in body["labels"] if n not in have
            ]
            return Reply(200, json=pr["labels"])
        return error(404, "Not Found", "")

    def _patch(self, path: str, r: Recorded) -> Reply:
        body = r.json
        m = re.fullmatch(r"/git/refs/(heads/.+)", path)
        if m:
            if m.group(1) not in self.refs:
                return error(422, "Reference does not exist", "git/refs#update-a-reference")
            old = self.refs[m.group(1)]
            if not body.get("force") and old not in self._ancestors(body["sha"]):
                return error(422, "Update is not a fast forward", "git/refs#update-a-reference")
            self.refs[m.group(1)] = body["sha"]
            return Reply(200, json={"ref": f"refs/{m.group(1)}", "object": {"sha": body["sha"]}})
        m = re.fullmatch(r"/pulls/(\d+)", path)
        if m:
            pr = self.pulls[int(m.group(1)) - 1]
            pr.update({k: v for k, v in body.items() if k in ("title", "body", "state")})
            return Reply(200, json=pr)
        return error(404, "Not Found", "")

    def _delete(self, path: str, r: Recorded) -> Reply:
        m = re.fullmatch(r"/git/refs/(heads/.+)", path)
        if m and m.group(1) in self.refs:
            del self.refs[m.group(1)]
            return Reply(204, body=b"")
        return error(422, "Reference does not exist", "git/refs#delete-a-reference")
