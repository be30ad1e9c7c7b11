"""A fake GitHub REST API (the calls the refresh uses) on a local server; it keeps refs,
commits, trees, blobs and pull requests in memory and records every call."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from tests.refresh._server import FAKE_TOKEN, LocalServer, Recorded, Reply

BASE_SHA = "b" * 40


def _sha(*parts: str) -> str:
    return hashlib.sha1("\0".join(parts).encode()).hexdigest()


class FakeGitHub:
    def __init__(self, repository: str = "acme/llm-catalog", files: dict[str, str] | None = None):
        self.repository = repository
        self.blobs: dict[str, str] = {}
        base_tree = _sha("tree", "base")
        self.trees: dict[str, dict[str, str]] = {base_tree: {}}
        for path, text in (files or {}).items():
            sha = _sha("blob", text)
            self.blobs[sha] = text
            self.trees[base_tree][path] = sha
        self.commits: dict[str, dict[str, Any]] = {
            BASE_SHA: {"sha": BASE_SHA, "tree": {"sha": base_tree}, "parents": []}
        }
        self.refs: dict[str, str] = {"heads/main": BASE_SHA}
        self.pulls: list[dict[str, Any]] = []
        #: (method, path regex) -> Reply: injected failures
        self.faults: dict[tuple[str, str], Reply] = {}
        self.server = LocalServer(self.route)

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
        return {p: self.blobs[s] for p, s in self.trees[commit["tree"]["sha"]].items()}

    def open_pulls(self) -> list[dict[str, Any]]:
        return [p for p in self.pulls if p["state"] == "open"]

    # -- routing ---------------------------------------------------------------------------

    def route(self, r: Recorded) -> Reply:
        if r.headers.get("authorization") != f"Bearer {FAKE_TOKEN}":
            return Reply(401, json={"message": "Bad credentials"})
        for (method, pattern), reply in self.faults.items():
            if r.method == method and re.fullmatch(pattern, r.path):
                return reply
        prefix = f"/repos/{self.repository}"
        if not r.path.startswith(prefix):
            return Reply(404, json={"message": "Not Found"})
        path = r.path[len(prefix) :]
        handler = getattr(self, f"_{r.method.lower()}", None)
        return handler(path, r) if handler else Reply(405, json={"message": "no"})

    def _get(self, path: str, r: Recorded) -> Reply:
        if path == "":
            return Reply(json={"full_name": self.repository, "default_branch": "main"})
        if path == "/pulls":
            head = r.query.get("head", "")
            found = [
                p
                for p in self.pulls
                if p["state"] == r.query.get("state", "open")
                and (not head or f"{self.repository.split('/')[0]}:{p['head']['ref']}" == head)
            ]
            return Reply(json=found)
        m = re.fullmatch(r"/git/ref/(heads/.+)", path)
        if m:
            sha = self.refs.get(m.group(1))
            if sha is None:
                return Reply(404, json={"message": "Not Found"})
            return Reply(
                json={"ref": f"refs/{m.group(1)}", "object": {"sha": sha, "type": "commit"}}
            )
        m = re.fullmatch(r"/git/commits/([0-9a-f]+)", path)
        if m and m.group(1) in self.commits:
            return Reply(json=self.commits[m.group(1)])
        return Reply(404, json={"message": "Not Found"})

    def _post(self, path: str, r: Recorded) -> Reply:
        body = r.json
        if path == "/git/blobs":
            sha = _sha("blob", body["content"])
            self.blobs[sha] = body["content"]
            return Reply(201, json={"sha": sha})
        if path == "/git/trees":
            files = dict(self.trees[body["base_tree"]])
            for entry in body["tree"]:
                files[entry["path"]] = entry["sha"]
            sha = _sha("tree", *sorted(f"{k}={v}" for k, v in files.items()))
            self.trees[sha] = files
            return Reply(201, json={"sha": sha})
        if path == "/git/commits":
            sha = _sha(
                "commit", body["tree"], *body["parents"], body["message"], str(len(self.commits))
            )
            self.commits[sha] = {
                "sha": sha,
                "tree": {"sha": body["tree"]},
                "parents": body["parents"],
            }
            return Reply(201, json={"sha": sha})
        if path == "/git/refs":
            name = body["ref"].removeprefix("refs/")
            if name in self.refs:
                return Reply(422, json={"message": "Reference already exists"})
            self.refs[name] = body["sha"]
            return Reply(201, json={"ref": body["ref"], "object": {"sha": body["sha"]}})
        if path == "/pulls":
            if any(p["head"]["ref"] == body["head"] for p in self.open_pulls()):
                return Reply(
                    422,
                    json={
                        "message": "Validation Failed",
                        "errors": [{"message": "A pull request already exists"}],
                    },
                )
            number = len(self.pulls) + 1
            pr = {
                "number": number,
                "state": "open",
                "title": body["title"],
                "body": body["body"],
                "head": {"ref": body["head"]},
                "base": {"ref": body["base"]},
                "labels": [],
                "html_url": f"https://github.example/{self.repository}/pull/{number}",
            }
            self.pulls.append(pr)
            return Reply(201, json=pr)
        m = re.fullmatch(r"/issues/(\d+)/labels", path)
        if m:
            pr = self.pulls[int(m.group(1)) - 1]
            pr["labels"] += [{"name": n} for n in body["labels"]]
            return Reply(200, json=pr["labels"])
        return Reply(404, json={"message": "Not Found"})

    def _patch(self, path: str, r: Recorded) -> Reply:
        body = r.json
        m = re.fullmatch(r"/git/refs/(heads/.+)", path)
        if m:
            if m.group(1) not in self.refs:
                return Reply(422, json={"message": "Reference does not exist"})
            self.refs[m.group(1)] = body["sha"]
            return Reply(200, json={"ref": f"refs/{m.group(1)}", "object": {"sha": body["sha"]}})
        m = re.fullmatch(r"/pulls/(\d+)", path)
        if m:
            pr = self.pulls[int(m.group(1)) - 1]
            pr.update({k: v for k, v in body.items() if k in ("title", "body", "state")})
            return Reply(200, json=pr)
        return Reply(404, json={"message": "Not Found"})
