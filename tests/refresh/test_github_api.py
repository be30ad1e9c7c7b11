"""The GitHub client: rate limits waited out within a budget (on the injected clock and
sleep), other 403s never retried, and GitHub's error details (message, errors[],
documentation_url) on one redacted, control-free line."""

from __future__ import annotations

import base64
import logging
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmaestro.refresh.github import GitHub, GitHubAPIError, PullRequestError
from llmaestro.refresh.github_api import MAX_ERROR
from tests.refresh._github import FAKE_NOW, FakeGitHub, error, failure
from tests.refresh._github_run import Waits, client, fake
from tests.refresh._server import FAKE_TOKEN, Reply

__all__ = ["fake"]  # the fixture

REPO = "/repos/acme/llm-catalog"
OTHER_KEY = "sk-proj-CANARYabcdefghijklmnopqrstuvwxyz0123456789"


def test_a_rate_limit_beyond_the_budget_fails_at_once(fake: FakeGitHub) -> None:
    reply = failure("403")
    reply.headers = {**reply.headers, "retry-after": "3600"}
    fake.faults[("GET", REPO)] = reply
    waits = Waits()
    with client(fake, waits) as github, pytest.raises(GitHubAPIError) as info:
        github.request("GET", REPO)
    assert waits.seconds == []
    assert len(fake.calls) == 1
    text = str(info.value)
    assert "HTTP 403" in text and "API rate limit exceeded" in text
    assert "3600s" in text and "budget" in text
    assert "docs.github.com/rest/overview/rate-limits-for-the-rest-api" in text
    assert info.value.rate_limited


def test_rate_limit_waits_add_up_to_the_budget_at_most(fake: FakeGitHub) -> None:
    fake.faults[("GET", REPO)] = failure("403")  # retry-after: 30, every time
    waits = Waits()
    github = client(fake, waits, rate_limit_budget=75.0)
    with github, pytest.raises(GitHubAPIError, match="budget"):
        github.request("GET", REPO)
    assert waits.seconds == [30.0, 30.0]
    assert len(fake.calls) == 3


def test_x_ratelimit_reset_is_read_on_the_injected_clock(fake: FakeGitHub) -> None:
    reply = error(403, "API rate limit exceeded for user ID 1.", "overview/rate-limits")
    reply.headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(FAKE_NOW) + 90)}
    fake.faults[("GET", REPO)] = reply
    waits = Waits()
    github = client(fake, waits, rate_limit_budget=100.0)
    with github, pytest.raises(GitHubAPIError):
        github.request("GET", REPO)
    assert waits.seconds == [91.0]


def test_a_secondary_rate_limit_without_headers_waits_a_minute(fake: FakeGitHub) -> None:
    reply = error(429, "You have exceeded a secondary rate limit.", "overview/rate-limits")
    fake.faults[("GET", REPO)] = reply
    waits = Waits()
    with client(fake, waits, rate_limit_budget=60.0) as github, pytest.raises(GitHubAPIError):
        github.request("GET", REPO)
    assert waits.seconds == [60.0]


def test_a_permission_403_is_not_retried(fake: FakeGitHub) -> None:
    reply = error(
        403, "Resource not accessible by integration", "pulls/pulls#create-a-pull-request"
    )
    reply.headers = {"x-ratelimit-remaining": "4999", "x-ratelimit-reset": str(int(FAKE_NOW))}
    fake.faults[("POST", f"{REPO}/pulls")] = reply
    waits = Waits()
    with client(fake, waits) as github, pytest.raises(GitHubAPIError) as info:
        github.request("POST", f"{REPO}/pulls", json={})
    assert waits.seconds == [] and len(fake.calls) == 1
    assert str(info.value) == (
        f"GitHub POST {REPO}/pulls failed (HTTP 403): Resource not accessible by integration "
        "(see https://docs.github.com/rest/pulls/pulls#create-a-pull-request)"
    )
    assert not info.value.rate_limited


def test_error_details_on_one_redacted_line(fake: FakeGitHub) -> None:
    fake.faults[("POST", f"{REPO}/pulls")] = error(
        422,
        f"Validation Failed for {FAKE_TOKEN}\n\x1b]0;owned\x07",
        "pulls/pulls#create-a-pull-request",
        {"resource": "PullRequest", "code": "custom", "message": "No commits between x and y"},
        {"resource": "PullRequest", "field": "base", "code": "invalid"},
        {"resource": "Issue", "code": "custom", "message": f"key {OTHER_KEY}"},
    )
    with client(fake) as github, pytest.raises(GitHubAPIError) as info:
        github.request("POST", f"{REPO}/pulls", json={})
    text = str(info.value)
    assert text.startswith(f"GitHub POST {REPO}/pulls failed (HTTP 422): Validation Failed")
    assert "No commits between x and y; PullRequest.base invalid; key sk-***" in text
    assert text.endswith("(see https://docs.github.com/rest/pulls/pulls#create-a-pull-request)")
    assert "\\n\\x1b]0;owned\\x07" in text  # shown escaped, never sent to the terminal
    assert FAKE_TOKEN not in text and OTHER_KEY not in text
    assert info.value.errors == (
        "No commits between x and y",
        "PullRequest.base invalid",
        "key sk-***",
    )
    assert info.value.status == 422


def test_a_non_json_error_body_is_redacted_before_it_is_cut(
    fake: FakeGitHub, caplog: pytest.LogCaptureFixture
) -> None:
    page = "<html>" + "x" * (MAX_ERROR - 60) + f"Bearer {FAKE_TOKEN} " + "y" * 500 + "</html>"
    fake.faults[("GET", REPO)] = Reply(502, body=page.encode())
    caplog.set_level(logging.DEBUG)
    with client(fake) as github, pytest.raises(GitHubAPIError) as info:
        github.request("GET", REPO)
    text = str(info.value)
    assert len(text) <= MAX_ERROR and "HTTP 502" in text
    for fragment in (FAKE_TOKEN[:12], FAKE_TOKEN[-12:]):
        assert fragment not in text and fragment not in caplog.text
    assert "retry 1 of 1" in caplog.text


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80)
_ECHO = st.sampled_from(
    [
        FAKE_TOKEN,
        FAKE_TOKEN.upper(),
        base64.b64encode(FAKE_TOKEN.encode()).decode(),
        f"Bearer {FAKE_TOKEN}",
        f" {OTHER_KEY} ",  # a key shape (not a configured key) is recognised as a word
    ]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(before=_TEXT, echo=_ECHO, after=_TEXT, where=st.sampled_from(["message", "errors", "doc"]))
def test_no_error_line_shows_the_token(
    fake: FakeGitHub, before: str, echo: str, after: str, where: str
) -> None:
    hostile = before + echo + after
    body: dict[str, object] = {"message": "Bad", "documentation_url": "https://docs.github.com"}
    if where == "message":
        body["message"] = hostile
    elif where == "errors":
        body["errors"] = [{"message": hostile}, hostile]
    else:
        body["documentation_url"] = hostile
    fake.faults[("GET", REPO)] = Reply(400, json=body)
    with client(fake) as github, pytest.raises(GitHubAPIError) as info:
        github.request("GET", REPO)
    text = str(info.value)
    assert FAKE_TOKEN not in text and FAKE_TOKEN.upper() not in text
    assert OTHER_KEY not in text and base64.b64encode(FAKE_TOKEN.encode()).decode() not in text
    # one line, no control characters (escaped as \\n, \\x1b, \\u2028)
    assert not [c for c in text if unicodedata.category(c) in ("Cc", "Zl", "Zp")]
    assert len(text) <= MAX_ERROR


def test_a_token_too_short_to_be_one_is_a_clear_error(
    fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "abc")
    with pytest.raises(PullRequestError, match=r"GITHUB_TOKEN is too short") as info:
        GitHub(api_url=fake.url)
    assert "abc" not in str(info.value)
