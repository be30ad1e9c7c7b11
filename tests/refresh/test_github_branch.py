"""The PR bot and people: a commit someone pushed to the bot's branch is never discarded
(the run stops before any write and names it); a pull request a person closed stays
closed for the same drift, and a changed drift opens a new one."""

from __future__ import annotations

import pytest

from llmaestro.refresh.github import (
    PullRequestError,
    fingerprint_marker,
    open_or_update_pull_request,
)
from tests.refresh._github import BASE_SHA, FakeGitHub
from tests.refresh._github_run import BRANCH, PATH, assert_proposed, client, fake, propose
from tests.refresh._server import FAKE_TOKEN

__all__ = ["fake"]  # the fixture


def test_a_persons_commit_is_kept_and_the_run_goes_on_top(fake: FakeGitHub) -> None:
    propose(fake, "first\n", "f1")
    mine = fake.push(BRANCH, {"NOTES.md": "why this price\n"}, "Explain the price", "jane")
    result = propose(fake, "second\n", "f2")
    assert result.action == "updated"
    assert fake.parents(BRANCH) == [mine]  # a fast-forward: nothing discarded
    assert fake.branch_files(BRANCH) == {PATH: "second\n", "NOTES.md": "why this price\n"}
    assert [p["state"] for p in fake.pulls] == ["open"]
    writes = fake.writes()
    assert propose(fake, "second\n", "f2").action == "unchanged"
    assert fake.writes() == writes


def test_a_persons_edit_of_a_file_this_run_writes_stops_the_run(fake: FakeGitHub) -> None:
    propose(fake, "first\n", "f1")
    mine = fake.push(BRANCH, {PATH: "hand-fixed\n"}, "Fix the price by hand", "jane")
    writes = fake.writes()
    with pytest.raises(PullRequestError) as info:
        propose(fake, "second\n", "f2")
    message = str(info.value)
    assert mine[:7] in message and "jane" in message and "Fix the price by hand" in message
    assert PATH in message and "pull request #1" in message
    assert "changed nothing" in message and "\n" not in message
    assert fake.writes() == writes  # not even a blob
    assert fake.refs[f"heads/{BRANCH}"] == mine
    assert "f1" in fake.pulls[0]["body"]  # the pull request still describes its branch


def test_a_persons_merge_commit_stops_the_run(fake: FakeGitHub) -> None:
    propose(fake, "first\n", "f1")
    fake.push("main", {"README.md": "news\n"}, "News", "joe")
    merged = fake.push(BRANCH, {"README.md": "news\n"}, "Merge main", "jane", merge="main")
    writes = fake.writes()
    with pytest.raises(PullRequestError, match="merge"):
        propose(fake, "second\n", "f2")
    assert fake.writes() == writes and fake.refs[f"heads/{BRANCH}"] == merged


def test_on_a_moved_base_the_people_files_and_this_run_sit_on_the_new_base(
    fake: FakeGitHub,
) -> None:
    fake.push("main", {"OLD.md": "old\n"}, "Old", "joe")
    propose(fake, "first\n", "f1")
    mine = fake.push(BRANCH, {"NOTES.md": "note\n", "OLD.md": None}, "Notes", "jane")
    new_base = fake.push("main", {"README.md": "news\n"}, "News", "joe")
    result = propose(fake, "second\n", "f2")
    assert result.action == "updated"
    assert fake.parents(BRANCH) == [mine, new_base]
    assert fake.branch_files(BRANCH) == {
        PATH: "second\n",  # this run
        "NOTES.md": "note\n",  # the person's
        "README.md": "news\n",  # the base's
    }  # OLD.md: the person deleted it


def test_a_stale_bot_edit_is_dropped_and_a_persons_file_kept(fake: FakeGitHub) -> None:
    other = "catalog/providers/acme/models/n.yaml"
    with client(fake) as github:
        open_or_update_pull_request(
            github,
            repository=fake.repository,
            provider="acme",
            files={PATH: "first\n", other: "bot\n"},
            title="t",
            body="b",
            fingerprint="f1",
        )
    fake.push(BRANCH, {"NOTES.md": "note\n"}, "Notes", "jane")
    propose(fake, "second\n", "f2")  # the drift of ``other`` is gone
    assert fake.branch_files(BRANCH) == {PATH: "second\n", "NOTES.md": "note\n"}


def test_the_same_drift_with_a_persons_commit_is_left_alone(fake: FakeGitHub) -> None:
    propose(fake, "first\n", "f1")
    fake.push(BRANCH, {"NOTES.md": "x\n"}, "A note", "jane")
    writes = fake.writes()
    assert propose(fake, "first\n", "f1").action == "unchanged"
    assert fake.writes() == writes


def test_an_amended_bot_commit_counts_as_a_persons(fake: FakeGitHub) -> None:
    """A copy of the bot's message on other content is not the bot's commit (the trailer
    names the tree the bot wrote)."""
    propose(fake, "first\n", "f1")
    tip = fake.refs[f"heads/{BRANCH}"]
    message = fake.commits[tip]["commit"]["message"]
    fake.refs[f"heads/{BRANCH}"] = BASE_SHA
    fake.push(BRANCH, {PATH: "hand-fixed\n"}, message, "jane")
    with pytest.raises(PullRequestError, match="did not make"):
        propose(fake, "second\n", "f2")
    assert fake.branch_files(BRANCH)[PATH] == "hand-fixed\n"


def test_a_branch_someone_else_made_is_built_on(fake: FakeGitHub) -> None:
    fake.refs[f"heads/{BRANCH}"] = BASE_SHA
    theirs = fake.push(BRANCH, {"x.txt": "y\n"}, "my experiment", "joe")
    assert propose(fake, "new\n", "f1").action == "created"
    assert fake.parents(BRANCH) == [theirs]
    assert fake.branch_files(BRANCH)["x.txt"] == "y\n"


def test_bot_only_branch_is_moved_to_base_plus_this_run(fake: FakeGitHub) -> None:
    propose(fake, "first\n", "f1")
    propose(fake, "second\n", "f2")
    assert_proposed(fake, "second\n", "f2")


def test_a_closed_pull_request_stays_closed_until_the_drift_changes(fake: FakeGitHub) -> None:
    first = propose(fake, "first\n", "f1")
    fake.close_pull(first.number or 0)
    writes = fake.writes()
    for _ in range(2):  # every later run with the same drift
        again = propose(fake, "first\n", "f1")
        assert again.action == "unchanged" and again.closed and again.number == 1
        assert "left closed" in again.summary
        assert fake.writes() == writes
        assert not fake.open_pulls()
    changed = propose(fake, "second\n", "f2")
    assert changed.action == "created" and changed.number == 2
    assert fake.pulls[0]["state"] == "closed"  # the closed one is not reopened
    assert_proposed(fake, "second\n", "f2")


def test_a_closed_pull_request_whose_branch_was_deleted(fake: FakeGitHub) -> None:
    propose(fake, "first\n", "f1")
    fake.close_pull(1)
    del fake.refs[f"heads/{BRANCH}"]
    assert propose(fake, "first\n", "f1").closed
    assert propose(fake, "second\n", "f2").action == "created"
    assert_proposed(fake, "second\n", "f2")


def test_a_push_during_the_run_stops_it_and_survives(fake: FakeGitHub) -> None:
    """Someone pushes between the bot's look at the branch and its move: the ref is read
    again just before the (forced) move."""
    propose(fake, "first\n", "f1")
    pushed: list[str] = []
    fake.meanwhile[("POST", r"/repos/.*/git/commits")] = lambda: pushed.append(
        fake.push(BRANCH, {"NOTES.md": "late\n"}, "A late note", "jane")
    )
    with pytest.raises(PullRequestError, match="moved during this run"):
        propose(fake, "second\n", "f2")
    assert fake.refs[f"heads/{BRANCH}"] == pushed[0]
    assert "f1" in fake.pulls[0]["body"]


def test_the_closed_pull_request_of_this_drift_is_found_on_a_later_page(
    fake: FakeGitHub,
) -> None:
    marker = fingerprint_marker("acme", "f1")
    fake.add_closed_pulls(BRANCH, [f"drift f1\n\n{marker}\n"])
    fake.add_closed_pulls(BRANCH, [f"drift old{i}\n" for i in range(150)])  # newer ones
    result = propose(fake, "first\n", "f1")
    assert result.closed and result.number == 1
    assert not fake.writes()


def test_a_huge_report_is_cut_to_what_github_takes(fake: FakeGitHub) -> None:
    with client(fake) as github:
        result = open_or_update_pull_request(
            github,
            repository=fake.repository,
            provider="acme",
            files={PATH: "new\n"},
            title="catalog: " + "x" * 400,
            body="".join(f"| model-{i} | new |\n" for i in range(10_000)),
            fingerprint="f9",
        )
    pr = fake.pulls[result.number - 1 if result.number else 0]
    assert len(pr["body"]) <= 65_536 and len(pr["title"]) <= 256
    assert pr["body"].endswith(fingerprint_marker("acme", "f9") + "\n")
    assert "more characters of the report are cut" in pr["body"]
    assert propose(fake, "new\n", "f9").action == "unchanged"  # the marker still matches


def test_a_hostile_commit_subject_is_redacted_before_it_is_cut_and_escaped(
    fake: FakeGitHub, caplog: pytest.LogCaptureFixture
) -> None:
    propose(fake, "first\n", "f1")
    subject = "x" * 45 + f"{FAKE_TOKEN} \x1b]0;owned\x07"  # the token straddles the cut at 60
    fake.push(BRANCH, {PATH: "mine\n"}, subject, "jane\u2028forged: line")
    with pytest.raises(PullRequestError) as info:
        propose(fake, "second\n", "f2")
    for text in (str(info.value), caplog.text):
        assert FAKE_TOKEN[:10] not in text and "\x1b" not in text and "\u2028" not in text
    assert "jane\\u2028forged" in str(info.value)
