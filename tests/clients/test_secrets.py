"""The API key never shows: not in reprs, exception texts or tracebacks, logs, or output."""

from __future__ import annotations

import asyncio
import copy
import logging
import pickle
import traceback

import pytest

from llmaestro.clients import Message, RetryPolicy, Secret, client_for
from llmaestro.errors import ProviderAPIError, RateLimitedError
from llmaestro.registry.core import Registry
from tests.clients._server import FAKE_KEY, LocalServer, Reply, Sequenced, Waits, sse_data


def test_secret_type(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = Secret(FAKE_KEY)
    shown = [repr(secret), str(secret), f"{secret}", f"{secret!r}", f"{secret:>40}", repr([secret])]
    assert all(FAKE_KEY not in text for text in shown)
    assert repr(secret) == "Secret('***')"
    assert secret.get_secret_value() == FAKE_KEY
    assert secret == Secret(FAKE_KEY) and secret != Secret("other-key-value") and secret != FAKE_KEY
    assert copy.deepcopy(secret) is secret and Secret(secret) == secret
    with pytest.raises(TypeError):
        pickle.dumps(secret)
    with pytest.raises(AttributeError):
        secret._value = "x"
    assert secret.redact(f"key={FAKE_KEY}!") == "key=***!"
    monkeypatch.delenv("LLMAESTRO_T1", raising=False)
    monkeypatch.setenv("LLMAESTRO_T2", FAKE_KEY)
    found = Secret.from_env(["LLMAESTRO_T1", "LLMAESTRO_T2"])
    assert found == secret
    assert Secret.from_env(["LLMAESTRO_T1"]) is None


def test_no_key_anywhere(
    server: LocalServer,
    registry: Registry,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)  # httpx and httpcore debug logs included
    # whatever level another library (litellm, genai-prices) gave these loggers in this process
    for name in ("httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)
    waits = Waits()
    echo = Reply(
        401,
        json={"error": {"message": f"Incorrect API key provided: {FAKE_KEY}.", "type": "auth"}},
    )
    limited = Reply(
        429, json={"error": {"message": f"key {FAKE_KEY} is limited"}}, headers={"retry-after": "1"}
    )
    server.route = Sequenced(limited, limited, limited, echo)
    client = client_for(
        "openai",
        api_key=FAKE_KEY,
        base_url=server.url + "/v1",
        registry=registry,
        sleep=waits.sleep,
        retry=RetryPolicy(jitter=0),
    )
    errors: list[ProviderAPIError] = []
    with client:
        for _ in range(2):
            try:
                client.chat([Message.user("Hi")], "gpt-4o")
            except ProviderAPIError as exc:
                errors.append(exc)
        server.route = lambda r: Reply(sse=sse_data({"choices": []}), drop_after=0)
        try:
            client.stream([Message.user("Hi")], "gpt-4o").final_response()
        except ProviderAPIError as exc:
            errors.append(exc)
        texts = [repr(client), repr(client._auth), repr(client._sync_client().headers)]
    assert [type(e).__name__ for e in errors] == [
        "RateLimitedError",
        "AuthenticationError",
        "ProviderConnectionError",
    ]
    assert isinstance(errors[0], RateLimitedError) and "***" in errors[0].message

    async def run_async() -> None:
        async with client_for(
            "openai",
            api_key=FAKE_KEY,
            base_url=server.url + "/v1",
            registry=registry,
            asleep=waits.asleep,
            retry=RetryPolicy.none(),
        ) as aclient:
            server.route = lambda r: echo
            try:
                await aclient.achat([Message.user("Hi")], "gpt-4o")
            except ProviderAPIError as exc:
                errors.append(exc)
            texts.append(repr(aclient._async_client().headers))

    asyncio.run(run_async())
    for error in errors:
        texts += [
            str(error),
            repr(error),
            error.message,
            "".join(traceback.format_exception(error)),
        ]
        texts.append(repr(pickle.loads(pickle.dumps(error)).__dict__))
    out, err = capsys.readouterr()
    texts += [caplog.text, out, err]
    leaks = [i for i, text in enumerate(texts) if FAKE_KEY in text]
    assert leaks == []
    assert "retry 1 of 2" in caplog.text  # the retries were logged, without the key
    assert "HTTP Request: POST" in caplog.text  # httpx's own logs were captured too
    # the key did go where it belongs
    ok = all(r.headers.get("authorization") == "Bearer " + FAKE_KEY for r in server.requests)
    assert ok


def test_errors_pickle_with_their_details() -> None:
    error = RateLimitedError("slow", provider="p", status_code=429, request_id="r", retry_after=2.5)
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is RateLimitedError
    assert (back.status_code, back.request_id, back.retry_after, str(back)) == (
        429,
        "r",
        2.5,
        str(error),
    )
    assert str(error) == "p: slow (HTTP 429, retry after 2.5s, request id r)"


def test_a_key_in_the_base_url_stays_out_of_the_repr(registry: Registry) -> None:
    """A base URL can carry a key (userinfo, a ``?key=`` query): the repr masks it."""
    token = "sk-proj-" + "Ab3" * 12
    client = client_for(
        "openai",
        api_key=FAKE_KEY,
        base_url=f"https://user:{token}@proxy.example/v1?key={token}",
        registry=registry,
    )
    shown = repr(client)
    assert token not in shown and token[:20] not in shown, shown
    assert "proxy.example" in shown
