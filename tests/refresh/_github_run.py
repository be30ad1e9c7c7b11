"""Helpers of the PR bot's tests: a fake GitHub with one catalog file, a client on the
injected clock and sleep, one proposal, and what a good end state looks like."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from llmaestro.refresh.github import (
    GitHub,
    PullRequestResult,
    branch_for,
    open_or_update_pull_request,
)
from tests.refresh._github import BASE_SHA, FAKE_NOW, FakeGitHub, error
from tests.refresh._server import FAKE_TOKEN, Reply
from tests.refresh.conftest import FAST_RETRY

BRANCH = branch_for("acme")
PATH = "catalog/providers/acme/models/m.yaml"
LABELS = ("catalog-refresh", "automated")


def server_error(status: int) -> Reply:
    return error(status, "Server Error", "")


CREATE_STEPS = [
    ("POST", r"/repos/.*/git/blobs"),
    ("POST", r"/repos/.*/git/trees"),
    ("POST", r"/repos/.*/git/commits"),
    ("POST", r"/repos/.*/git/refs"),
    ("POST", r"/repos/.*/pulls"),
    ("POST", r"/repos/.*/issues/\d+/labels"),
]
UPDATE_STEPS = [
    ("POST", r"/repos/.*/git/blobs"),
    ("POST", r"/repos/.*/git/trees"),
    ("POST", r"/repos/.*/git/commits"),
    ("PATCH", r"/repos/.*/git/refs/heads/.*"),
    ("PATCH", r"/repos/.*/pulls/\d+"),
]


class Waits:
    """The injected sleep: records what would have been waited."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    github = FakeGitHub(files={PATH: "old\n"})
    yield github
    github.close()


def client(fake: FakeGitHub, waits: Waits | None = None, **kw: object) -> GitHub:
    options: dict[str, object] = {
        "api_url": fake.url,
        "retry": FAST_RETRY,
        "sleep": waits or Waits(),
        "clock": lambda: FAKE_NOW,
        "timeout": 0.5,
    }
    options.update(kw)
    return GitHub(FAKE_TOKEN, **options)  # type: ignore[arg-type]


def propose(
    fake: FakeGitHub, text: str, fingerprint: str, waits: Waits | None = None, **kw: object
) -> PullRequestResult:
    with client(fake, waits, **kw) as github:
        return open_or_update_pull_request(
            github,
            repository=fake.repository,
            provider="acme",
            files={PATH: text},
            title=f"catalog: refresh Acme ({fingerprint})",
            body=f"drift {fingerprint}\n",
            fingerprint=fingerprint,
            labels=LABELS,
        )


def assert_proposed(fake: FakeGitHub, text: str, fingerprint: str) -> None:
    """One open pull request with this drift and the labels; the branch is base + it."""
    pulls = fake.open_pulls()
    assert len(pulls) == 1, pulls
    assert f"fingerprint={fingerprint}" in pulls[0]["body"]
    assert [label["name"] for label in pulls[0]["labels"]] == list(LABELS)
    assert fake.branch_files(BRANCH)[PATH] == text
    assert fake.parents(BRANCH) == [BASE_SHA]


def assert_rerun_writes_nothing(fake: FakeGitHub, text: str, fingerprint: str) -> None:
    writes = fake.writes()
    again = propose(fake, text, fingerprint)
    assert again.action == "unchanged" and not again.closed
    assert fake.writes() == writes
