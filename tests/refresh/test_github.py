"""Pull requests through a fake GitHub REST API on 127.0.0.1: created, updated in place,
left alone when nothing is new; GitHub failures change nothing; the token never shows."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from llmaestro.refresh.github import GitHub, PullRequestError, branch_for
from llmaestro.refresh.run import DetectOptions, DetectOutcome, run_detect
from tests.refresh._github import BASE_SHA, FakeGitHub
from tests.refresh._server import FAKE_KEY, FAKE_TOKEN, LocalServer, Reply, payload
from tests.refresh.conftest import FAST_RETRY, FIXTURE_CATALOG, clock, no_sleep, snapshot

BRANCH = branch_for("openrouter")


@pytest.fixture(autouse=True)
def _github_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", FAKE_TOKEN)
    for name in ("GITHUB_SHA", "GITHUB_REPOSITORY", "GITHUB_API_URL"):
        monkeypatch.delenv(name, raising=False)


def checkout(tmp_path: Path, name: str) -> Path:
    """A fresh checkout of the repository's catalog (what each scheduled run starts from)."""
    repo = tmp_path / name
    (repo / ".git").mkdir(parents=True)
    shutil.copytree(FIXTURE_CATALOG, repo / "catalog")
    return repo / "catalog"


def propose(
    server: LocalServer, github: FakeGitHub, catalog: Path, provider: str = "openrouter"
) -> DetectOutcome:
    return run_detect(
        DetectOptions(
            provider=provider,
            catalog=catalog,
            base_url=server.url + "/api/v1",
            api_key=FAKE_KEY,
            open_pr=True,
            repository=github.repository,
            github_api_url=github.url,
            clock=clock,
            detector_options={"retry": FAST_RETRY, "sleep": no_sleep},
            github_options={"retry": FAST_RETRY, "sleep": no_sleep},
        )
    )


def no_secret_in(*texts: Any) -> None:
    for text in texts:
        assert FAKE_TOKEN not in str(text)
        assert FAKE_KEY not in str(text)


def test_created_then_updated_then_left_alone(
    server: LocalServer, github: FakeGitHub, tmp_path: Path
) -> None:
    listing = payload("openrouter.json")
    server.route = lambda r: Reply(json=listing)

    # run 1: a pull request with every change
    first_catalog = checkout(tmp_path, "run1")
    before = snapshot(first_catalog)
    first = propose(server, github, first_catalog)
    assert first.exit_code == 0, first.message
    assert first.plan is not None and first.pull_request is not None
    assert first.pull_request.action == "created"
    assert snapshot(first_catalog) == before  # proposing writes nothing locally
    pulls = github.open_pulls()
    assert len(pulls) == 1
    pr = pulls[0]
    assert pr["head"]["ref"] == BRANCH and pr["base"]["ref"] == "main"
    assert [label["name"] for label in pr["labels"]] == ["catalog-refresh", "automated"]
    assert pr["title"] == "catalog: refresh OpenRouter (3 price, 1 new, 1 gone)"
    assert "### Price changes" in pr["body"] and "+100.0 %" in pr["body"]
    assert f"fingerprint={first.plan.fingerprint()}" in pr["body"]
    files = github.branch_files(BRANCH)
    assert set(files) == {f"catalog/{rel}" for rel in first.plan.edits}
    for rel, edit in first.plan.edits.items():
        assert files[f"catalog/{rel}"] == edit.after
    assert github.parents(BRANCH) == [BASE_SHA]

    # run 2: upstream changed again -> the same pull request is updated, no duplicate
    listing["data"][4]["pricing"]["prompt"] = "0.0000005"  # deepseek/deepseek-chat
    second = propose(server, github, checkout(tmp_path, "run2"))
    assert second.exit_code == 0, second.message
    assert second.plan is not None and second.pull_request is not None
    assert second.pull_request.action == "updated"
    assert second.pull_request.number == first.pull_request.number
    assert len(github.pulls) == 1 and len(github.open_pulls()) == 1
    files = github.branch_files(BRANCH)
    deepseek = files["catalog/providers/openrouter/models/deepseek/deepseek-chat.yaml"]
    assert "  input: 0.5\n" in deepseek and "      input: 0.38\n" in deepseek
    assert "catalog/providers/openrouter/models/qwen/qwen3-235b-a22b.yaml" in files  # still there
    assert github.pulls[0]["body"].count("fingerprint=") == 1
    assert f"fingerprint={second.plan.fingerprint()}" in github.pulls[0]["body"]
    assert github.parents(BRANCH) == [BASE_SHA]  # base + this run's edits, not a pile of commits
    writes_after_second = list(github.writes())

    # run 3: nothing new upstream -> no call that writes
    third = propose(server, github, checkout(tmp_path, "run3"))
    assert third.exit_code == 0, third.message
    assert third.pull_request is not None
    assert third.pull_request.action == "unchanged"
    assert github.writes() == writes_after_second
    assert "already proposes" in third.message

    # run 4: a person closed the pull request; the same drift leaves it closed and says so
    assert first.pull_request.number is not None
    github.close_pull(first.pull_request.number)
    fourth = propose(server, github, checkout(tmp_path, "run4"))
    assert fourth.exit_code == 0, fourth.message
    assert fourth.pull_request is not None
    assert fourth.pull_request.closed and github.open_pulls() == []
    assert github.writes() == writes_after_second
    assert "was closed; left closed until the drift changes" in fourth.message

    no_secret_in(
        first.message,
        second.message,
        third.message,
        first.report,
        github.pulls[0]["body"],
        *(r.body for r in github.calls),
        *(r.path for r in github.calls),
    )
    assert all(r.headers["authorization"] == f"Bearer {FAKE_TOKEN}" for r in github.calls)


def test_nothing_new_calls_nothing(server: LocalServer, github: FakeGitHub, catalog: Path) -> None:
    server.route = lambda r: Reply(json=payload("deepseek.json"))
    outcome = propose(server, github, catalog, provider="deepseek")
    assert outcome.exit_code == 0
    assert "nothing new" in outcome.message
    assert github.calls == []


@pytest.mark.parametrize(
    ("method", "pattern", "reply", "words"),
    [
        (
            "POST",
            "/repos/.*/pulls",
            Reply(
                422,
                json={
                    "message": "Validation Failed",
                    "errors": [
                        {"message": "No commits between main and catalog-refresh/openrouter"}
                    ],
                },
            ),
            ("422", "Validation Failed"),
        ),
        (
            "POST",
            "/repos/.*/git/trees",
            Reply(502, json={"message": "Server Error"}),
            ("502", "git/trees"),
        ),
        ("GET", "/repos/.*/pulls", Reply(503, json={"message": "Service Unavailable"}), ("503",)),
    ],
)
def test_github_failures_change_nothing(
    server: LocalServer,
    github: FakeGitHub,
    catalog: Path,
    tmp_path: Path,
    method: str,
    pattern: str,
    reply: Reply,
    words: tuple[str, ...],
) -> None:
    server.route = lambda r: Reply(json=payload("openrouter.json"))
    github.faults[(method, pattern)] = reply
    before = snapshot(catalog)
    outcome = propose(server, github, catalog)
    assert outcome.exit_code == 1
    assert snapshot(catalog) == before
    for word in words:
        assert word in outcome.message, outcome.message
    assert not github.open_pulls()
    no_secret_in(outcome.message, outcome.report)
    if reply.status >= 500:  # retried once, then reported
        hits = [
            r
            for r in github.calls
            if r.method == method and r.path.endswith(pattern.split("*")[-1].lstrip("."))
        ]
        assert len(hits) == 2


def test_bad_or_missing_token(
    server: LocalServer, github: FakeGitHub, catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.route = lambda r: Reply(json=payload("openrouter.json"))
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_wrongWRONGwrong0000000000000000000")
    outcome = propose(server, github, catalog)
    assert outcome.exit_code == 1 and "Bad credentials" in outcome.message
    assert "ghp_wrongWRONGwrong" not in outcome.message
    monkeypatch.delenv("GITHUB_TOKEN")
    outcome = propose(server, github, catalog)
    assert outcome.exit_code == 1 and "GITHUB_TOKEN is not set" in outcome.message


def test_client_repr_errors_and_logs_hide_the_token(
    github: FakeGitHub, caplog: pytest.LogCaptureFixture
) -> None:
    github.faults[("GET", "/repos/.*")] = Reply(500, json={"message": f"echo {FAKE_TOKEN}"})
    caplog.set_level("DEBUG")
    with GitHub(FAKE_TOKEN, api_url=github.url, retry=FAST_RETRY, sleep=no_sleep) as gh:
        assert FAKE_TOKEN not in repr(gh)
        with pytest.raises(PullRequestError) as info:
            gh.request("GET", f"/repos/{github.repository}")
    assert FAKE_TOKEN not in str(info.value)
    assert info.value.status == 500
    assert "retry 1 of 1" in caplog.text  # the retry was logged ...
    assert FAKE_TOKEN not in caplog.text  # ... without the token


def test_a_lost_answer_and_a_rate_limit_do_not_fail_the_run(
    server: LocalServer, github: FakeGitHub, catalog: Path
) -> None:
    """A 502 after the pull request was created, and a 403 rate limit on the labels (waited
    for on the injected sleep): the run ends with the pull request and its labels."""
    server.route = lambda r: Reply(json=payload("openrouter.json"))
    github.fail_once("POST", "/repos/.*/pulls", "502")
    github.fail_once("POST", r"/repos/.*/issues/\d+/labels", "403")
    waits: list[float] = []
    before = snapshot(catalog)
    outcome = run_detect(
        DetectOptions(
            provider="openrouter",
            catalog=catalog,
            base_url=server.url + "/api/v1",
            api_key=FAKE_KEY,
            open_pr=True,
            repository=github.repository,
            github_api_url=github.url,
            clock=clock,
            detector_options={"retry": FAST_RETRY, "sleep": no_sleep},
            github_options={"retry": FAST_RETRY, "sleep": waits.append},
        )
    )
    assert outcome.exit_code == 0, outcome.message
    assert outcome.pull_request is not None and outcome.pull_request.action == "created"
    assert all(once.used for once in github.once)
    assert waits[-1] == 30.0  # the rate limit's retry-after
    assert len(github.pulls) == 1
    assert [label["name"] for label in github.pulls[0]["labels"]] == [
        "catalog-refresh",
        "automated",
    ]
    assert snapshot(catalog) == before


def test_a_persons_commit_on_the_branch_is_kept(
    server: LocalServer, github: FakeGitHub, tmp_path: Path
) -> None:
    listing = payload("openrouter.json")
    server.route = lambda r: Reply(json=listing)
    assert propose(server, github, checkout(tmp_path, "run1")).exit_code == 0
    mine = github.push(BRANCH, {"catalog/NOTES.md": "checked by hand\n"}, "Checked", "jane")
    listing["data"][4]["pricing"]["prompt"] = "0.0000005"
    second_catalog = checkout(tmp_path, "run2")
    before = snapshot(second_catalog)
    second = propose(server, github, second_catalog)
    assert second.exit_code == 0, second.message
    assert second.pull_request is not None and second.pull_request.action == "updated"
    assert second.plan is not None
    assert github.parents(BRANCH) == [mine]  # on top of the person's commit
    files = github.branch_files(BRANCH)
    assert files["catalog/NOTES.md"] == "checked by hand\n"
    for rel, edit in second.plan.edits.items():
        assert files[f"catalog/{rel}"] == edit.after
    assert snapshot(second_catalog) == before
    writes = github.writes()
    third = propose(server, github, checkout(tmp_path, "run3"))
    assert third.exit_code == 0 and github.writes() == writes  # nothing new: no write
    no_secret_in(second.message, second.report)


def test_a_persons_edit_of_a_file_the_run_writes_stops_it(
    server: LocalServer, github: FakeGitHub, tmp_path: Path
) -> None:
    listing = payload("openrouter.json")
    server.route = lambda r: Reply(json=listing)
    first = propose(server, github, checkout(tmp_path, "run1"))
    assert first.plan is not None
    edited = f"catalog/{sorted(first.plan.edits)[0]}"
    mine = github.push(BRANCH, {edited: "fixed by hand\n"}, "Fix by hand", "jane")
    writes = github.writes()
    second_catalog = checkout(tmp_path, "run2")
    before = snapshot(second_catalog)
    listing["data"][4]["pricing"]["prompt"] = "0.0000005"
    outcome = propose(server, github, second_catalog)
    assert outcome.exit_code == 1
    assert mine[:7] in outcome.message and "jane" in outcome.message
    assert edited in outcome.message and "changed nothing" in outcome.message
    assert "\n" not in outcome.message.strip()
    assert github.writes() == writes and github.refs[f"heads/{BRANCH}"] == mine
    assert snapshot(second_catalog) == before
    no_secret_in(outcome.message, outcome.report)
