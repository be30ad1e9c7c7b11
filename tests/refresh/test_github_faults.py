"""The PR bot against a fake GitHub on 127.0.0.1 that fails each write step once: after
the write took effect (500, 502, a timeout, a dropped connection) or before it (a 403 rate
limit with ``retry-after``, a 429 with ``x-ratelimit-reset``). Every run still ends with
one open pull request, its labels and the branch at "base + this run"; a rerun writes
nothing; rate limits are waited for on the injected clock, never for real."""

from __future__ import annotations

import pytest

from llmaestro.refresh.github import PullRequestError
from tests.refresh._github import FAILURES, FakeGitHub
from tests.refresh._github_run import (
    BRANCH,
    CREATE_STEPS,
    UPDATE_STEPS,
    Waits,
    assert_proposed,
    assert_rerun_writes_nothing,
    fake,
    propose,
    server_error,
)

__all__ = ["fake"]  # the fixture


@pytest.mark.parametrize("kind", FAILURES)
@pytest.mark.parametrize(("method", "pattern"), CREATE_STEPS)
def test_create_survives_one_failure_of_each_step(
    fake: FakeGitHub, method: str, pattern: str, kind: str
) -> None:
    fake.fail_once(method, pattern, kind)
    waits = Waits()
    result = propose(fake, "new\n", "f1", waits)
    assert fake.once[0].used
    assert result.action == "created"
    assert_proposed(fake, "new\n", "f1")
    if kind == "403":
        assert waits.seconds == [30.0]  # retry-after
    elif kind == "429":
        assert waits.seconds == [43.0]  # x-ratelimit-reset - now + 1 s of clock skew
    assert_rerun_writes_nothing(fake, "new\n", "f1")


@pytest.mark.parametrize("kind", FAILURES)
@pytest.mark.parametrize(("method", "pattern"), UPDATE_STEPS)
def test_update_survives_one_failure_of_each_step(
    fake: FakeGitHub, method: str, pattern: str, kind: str
) -> None:
    assert propose(fake, "first\n", "f1").action == "created"
    fake.fail_once(method, pattern, kind)
    result = propose(fake, "second\n", "f2")
    assert fake.once[0].used
    assert result.action == "updated" and result.number == 1
    assert_proposed(fake, "second\n", "f2")
    assert len(fake.pulls) == 1
    assert_rerun_writes_nothing(fake, "second\n", "f2")


def test_a_missed_search_finds_the_open_pull_request_and_updates_it(fake: FakeGitHub) -> None:
    propose(fake, "first\n", "f1")
    fake.miss_searches = 1  # the search index lags: the open pull request is not listed
    fake.once.clear()
    result = propose(fake, "second\n", "f2")
    assert result.action == "updated" and result.number == 1
    assert len(fake.pulls) == 1
    assert_proposed(fake, "second\n", "f2")


def test_labels_a_failed_run_never_applied_are_added_by_the_next(fake: FakeGitHub) -> None:
    fake.faults[("POST", r"/repos/.*/issues/\d+/labels")] = server_error(500)
    with pytest.raises(PullRequestError, match="HTTP 500"):
        propose(fake, "new\n", "f1")
    fake.faults.clear()
    assert propose(fake, "new\n", "f1").action == "unchanged"
    assert_proposed(fake, "new\n", "f1")


@pytest.mark.parametrize("existing", [False, True])
def test_a_pull_request_step_failing_for_good_puts_the_branch_back(
    fake: FakeGitHub, existing: bool
) -> None:
    before_tip = None
    if existing:
        propose(fake, "first\n", "f1")
        before_tip = fake.refs[f"heads/{BRANCH}"]
        fake.faults[("PATCH", r"/repos/.*/pulls/\d+")] = server_error(502)
    else:
        fake.faults[("POST", r"/repos/.*/pulls")] = server_error(502)
    with pytest.raises(PullRequestError, match="HTTP 502") as info:
        propose(fake, "second\n", "f2")
    assert "\n" not in str(info.value)
    assert fake.refs.get(f"heads/{BRANCH}") == before_tip  # a failed run changes nothing


@pytest.mark.parametrize("kind", ["500", "reset"])
def test_the_undo_of_the_branch_survives_a_lost_answer(fake: FakeGitHub, kind: str) -> None:
    fake.faults[("POST", r"/repos/.*/pulls")] = server_error(502)
    fake.fail_once("DELETE", r"/repos/.*/git/refs/heads/.*", kind)
    with pytest.raises(PullRequestError) as info:
        propose(fake, "new\n", "f1")
    assert "undoing" not in str(info.value)
    assert f"heads/{BRANCH}" not in fake.refs


READ_STEPS = [
    ("GET", r"/repos/.*/pulls"),
    ("GET", r"/repos/.*/git/ref/heads/main"),
    ("GET", r"/repos/.*/git/ref/heads/catalog-refresh/.*"),
    ("GET", r"/repos/.*/git/commits/[0-9a-f]+"),
    ("GET", r"/repos/.*/compare/.*"),
    ("GET", r"/repos/.*/commits/[0-9a-f]+"),
    ("GET", r"/repos/.*/git/trees/[0-9a-f]+"),
]


@pytest.mark.parametrize("kind", ["502", "reset", "429"])
@pytest.mark.parametrize(("method", "pattern"), READ_STEPS)
def test_a_read_failing_once_is_retried(
    fake: FakeGitHub, method: str, pattern: str, kind: str
) -> None:
    """Every read of an update over a person's commit (the longest path)."""
    propose(fake, "first\n", "f1")
    mine = fake.push(BRANCH, {"NOTES.md": "n\n"}, "Notes", "jane")
    fake.fail_once(method, pattern, kind)
    assert propose(fake, "second\n", "f2").action == "updated"
    assert fake.once[0].used
    assert fake.parents(BRANCH) == [mine]


@pytest.mark.parametrize("kind", FAILURES)
def test_the_fast_forward_over_a_persons_commit_survives_one_failure(
    fake: FakeGitHub, kind: str
) -> None:
    propose(fake, "first\n", "f1")
    mine = fake.push(BRANCH, {"NOTES.md": "n\n"}, "Notes", "jane")
    fake.fail_once("PATCH", r"/repos/.*/git/refs/heads/.*", kind)
    assert propose(fake, "second\n", "f2").action == "updated"
    assert fake.once[0].used
    assert fake.parents(BRANCH) == [mine]
    assert fake.branch_files(BRANCH)["NOTES.md"] == "n\n"
    assert_rerun_writes_nothing(fake, "second\n", "f2")
