"""A key echoed by a provider never leaves the client: random error bodies (JSON or not,
random bytes around it) from a 127.0.0.1 server, the key at a random offset in one of the
forms providers echo it in (whole, upper-cased, base64, URL-encoded, ``Bearer``, OpenAI's
first-8+last-4), checked in the exception's text, repr, message and the retry log lines."""

from __future__ import annotations

import base64
import json
import logging
import string
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import llmaestro
from llmaestro.clients import Message, RetryPolicy, client_for
from llmaestro.errors import ProviderAPIError
from llmaestro.registry.core import Registry
from tests.clients._server import LocalServer, Reply, Waits

ALNUM = string.ascii_letters + string.digits
KEY_BODY = st.text(alphabet=ALNUM + "_-", min_size=30, max_size=120)
BACKGROUND = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=400)
STYLES = {"openai": "gpt-4o", "anthropic": "claude-sonnet-4-5", "google": "gemini-2.5-flash"}


@pytest.fixture(scope="module")
def shared_server() -> Iterator[LocalServer]:
    srv = LocalServer()
    try:
        yield srv
    finally:
        srv.close()


@pytest.fixture(scope="module")
def catalog() -> Registry:
    return llmaestro.load()


def echoes(key: str) -> list[str]:
    return [
        key,
        key.upper(),
        f"Authorization: Bearer {key}",
        base64.b64encode(key.encode()).decode(),
        base64.b64encode(f"api:{key}".encode()).decode(),
        quote(key, safe=""),
        f"Incorrect API key provided: {key[:8]}{'*' * 40}{key[-4:]}.",
        key[:8] + "..." + key[-4:],
    ]


def body_of(form: int, before: str, echoed: str, after: str) -> bytes:
    text = before + echoed + after
    if form == 0:  # an HTML page or a proxy's text
        return text.encode("utf-8", "replace")
    if form == 1:
        return json.dumps({"error": {"message": text, "type": "x", "code": echoed}}).encode()
    if form == 2:
        return json.dumps({"detail": {"echo": text}, "request_id": echoed}).encode()
    return (
        before.encode("utf-8", "replace")
        + b"\xff\xfe"
        + echoed.encode()
        + b"\x00"
        + after.encode("utf-8", "replace")
    )


def leaked(out: str, key: str, background: str) -> list[str]:
    """Every 8-character window of the key (any case) found in ``out`` but not in the
    random text around it."""
    low, bg = out.lower(), background.lower()
    windows = {key[i : i + 8].lower() for i in range(len(key) - 7)}
    return sorted(w for w in windows if w in low and w not in bg)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    prefix=st.sampled_from(["sk-proj-", "sk-ant-api03-", "AIza", "", "tok"]),
    body=KEY_BODY,
    which=st.integers(0, 7),
    form=st.integers(0, 3),
    before=BACKGROUND,
    after=BACKGROUND,
    status=st.sampled_from([400, 401, 403, 404, 429, 500, 502]),
    provider=st.sampled_from(sorted(STYLES)),
)
def test_echoed_keys_never_leave_the_client(
    shared_server: LocalServer,
    catalog: Registry,
    caplog: pytest.LogCaptureFixture,
    prefix: str,
    body: str,
    which: int,
    form: int,
    before: str,
    after: str,
    status: int,
    provider: str,
) -> None:
    key = prefix + body + "9Zq"
    echoed = echoes(key)[which]
    payload = body_of(form, before, echoed, after)
    reply = Reply(status, body=payload, headers={"content-type": "application/json"})
    shared_server.route = lambda r: reply
    caplog.clear()
    caplog.set_level(logging.WARNING, logger="llmaestro.clients")
    client = client_for(
        provider,
        api_key=key,
        base_url=shared_server.url + "/v1",
        registry=catalog,
        sleep=Waits().sleep,
        retry=RetryPolicy(max_attempts=2, jitter=0, initial_delay=0.0),
    )
    with client, pytest.raises(ProviderAPIError) as caught:
        client.chat([Message.user("Hi")], STYLES[provider], check=False)
    error = caught.value
    texts = [str(error), repr(error), error.message, caplog.text]
    texts += [str(x) for x in (error.error_type, error.error_code, error.request_id)]
    for text in texts:
        assert leaked(text, key, before + after) == []
        assert "\x1b" not in text and "\x00" not in text
    assert len(error.message) <= 501


def test_a_query_parameter_key_stays_out_of_httpx_logs(
    shared_server: LocalServer, catalog: Registry, caplog: pytest.LogCaptureFixture
) -> None:
    # a key with no recognisable shape, sent as ?secret_param=…: only the live Secret knows it
    key = "plainkeywithoutanyshape"
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)
    shared_server.route = lambda r: Reply(401, json={"error": {"message": f"bad {key}"}})
    client = client_for(
        "google",
        api_key=key,
        base_url=shared_server.url + "/v1",
        registry=catalog,
        auth_header=None,
        auth_query_param="secret_param",
        retry=RetryPolicy.none(),
    )
    with client, pytest.raises(ProviderAPIError) as caught:
        client.chat([Message.user("Hi")], "gemini-2.5-flash", check=False)
    assert shared_server.requests[-1].query["secret_param"] == key  # it was sent
    assert "HTTP Request: POST" in caplog.text
    assert key not in caplog.text and key not in str(caught.value)
    assert "secret_param=***" in caplog.text


@pytest.mark.parametrize("provider", sorted(STYLES))
def test_an_error_inside_a_stream_is_redacted(
    shared_server: LocalServer, catalog: Registry, provider: str
) -> None:
    key = "sk-proj-StreamEcho0123456789abcdefXYZ"
    error = {"message": f"bad key {key.upper()} / {key[:8]}****{key[-4:]}", "type": "x"}
    if provider == "anthropic":
        events = [f"event: error\ndata: {json.dumps({'type': 'error', 'error': error})}"]
    else:
        events = [f"data: {json.dumps({'error': {**error, 'code': 500}})}"]
    shared_server.route = lambda r: Reply(sse=events)
    client = client_for(
        provider,
        api_key=key,
        base_url=shared_server.url + "/v1",
        registry=catalog,
        retry=RetryPolicy.none(),
    )
    with client, pytest.raises(ProviderAPIError) as caught:
        client.stream([Message.user("Hi")], STYLES[provider], check=False).final_response()
    shown = str(caught.value) + repr(caught.value)
    assert "bad key ***" in shown
    assert leaked(shown, key, "") == [] and key[-4:] not in shown


def test_the_clients_logger_is_a_safety_net(caplog: pytest.LogCaptureFixture) -> None:
    # llmaestro.clients (imported above) installed the filters
    caplog.set_level(logging.INFO, logger="llmaestro.clients")
    logging.getLogger("llmaestro.clients").warning(
        "echo %s", "Bearer sk-proj-Zx9Yw8Vu7Ts6Rq5Po4NmLk3Ji2"
    )
    assert caplog.records[-1].getMessage() == "echo Bearer ***"
