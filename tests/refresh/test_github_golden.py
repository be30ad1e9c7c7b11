"""The PR bot's error lines as a person reads them (golden file): GitHub's details, rate
limits beyond the budget, and each reason the bot leaves a branch alone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from llmaestro.refresh.github import GitHub, PullRequestError
from tests.refresh._github import FakeGitHub, error, failure
from tests.refresh._github_run import BRANCH, PATH, propose
from tests.refresh.conftest import FAST_RETRY

GOLDEN = Path(__file__).resolve().parent.parent / "fixtures" / "github" / "errors.txt"
REPO = "/repos/acme/llm-catalog"


def _permission(fake: FakeGitHub) -> None:
    fake.faults[("POST", f"{REPO}/pulls")] = error(
        403,
        "GitHub Actions is not permitted to create or approve pull requests.",
        "pulls/pulls#create-a-pull-request",
    )
    propose(fake, "new\n", "f1")


def _validation(fake: FakeGitHub) -> None:
    fake.faults[("POST", f"{REPO}/pulls")] = error(
        422,
        "Validation Failed",
        "pulls/pulls#create-a-pull-request",
        {"resource": "PullRequest", "field": "base", "code": "invalid"},
        {"resource": "PullRequest", "code": "custom", "message": "No commits between a and b"},
    )
    propose(fake, "new\n", "f1")


def _rate_limit(fake: FakeGitHub) -> None:
    reply = failure("403")
    reply.headers = {**reply.headers, "retry-after": "3600"}
    fake.faults[("GET", f"{REPO}/pulls")] = reply
    propose(fake, "new\n", "f1")


def _conflict(fake: FakeGitHub) -> None:
    propose(fake, "first\n", "f1")
    fake.push(BRANCH, {PATH: "by hand\n"}, "Fix the price by hand", "jane")
    propose(fake, "second\n", "f2")


def _merge(fake: FakeGitHub) -> None:
    propose(fake, "first\n", "f1")
    fake.push("main", {"README.md": "news\n"}, "News", "joe")
    fake.push(BRANCH, {"README.md": "news\n"}, "Merge branch 'main'", "jane", merge="main")
    propose(fake, "second\n", "f2")


def _moved(fake: FakeGitHub) -> None:
    propose(fake, "first\n", "f1")
    fake.meanwhile[("POST", r"/repos/.*/git/commits")] = lambda: fake.push(
        BRANCH, {"NOTES.md": "late\n"}, "A late note", "jane"
    )
    propose(fake, "second\n", "f2")


def _bad_token(fake: FakeGitHub) -> None:
    wrong = "ghp_wrongWRONGwrong0000000000000000000"
    with GitHub(wrong, api_url=fake.url, retry=FAST_RETRY, sleep=lambda s: None) as github:
        github.request("GET", REPO)


CASES: list[tuple[str, Callable[[FakeGitHub], None]]] = [
    ("permission", _permission),
    ("validation", _validation),
    ("rate limit beyond the budget", _rate_limit),
    ("a person's edit of a file this run writes", _conflict),
    ("a person's merge", _merge),
    ("a push during the run", _moved),
    ("a wrong token", _bad_token),
]


def test_error_lines_match_the_golden_file(update_goldens: bool) -> None:
    lines = []
    for name, case in CASES:
        fake = FakeGitHub(files={PATH: "old\n"})
        try:
            with pytest.raises(PullRequestError) as info:
                case(fake)
        finally:
            fake.close()
        text = str(info.value)
        assert "\n" not in text and "ghp_" not in text
        lines.append(f"{name}: {text}\n")
    out = "".join(lines)
    if update_goldens:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(out, "utf-8")
    assert out == GOLDEN.read_text("utf-8"), f"run pytest --update-goldens and review {GOLDEN}"
