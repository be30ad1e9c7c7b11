"""Redaction (llmaestro._http.redact): a key goes in every form it is echoed in, wherever it
sits in the text; ordinary words and model ids stay; control characters are escaped."""

from __future__ import annotations

import base64
import gc
import string
import threading
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmaestro._http.redact import (
    MASK,
    add_key_env_names,
    env_secrets,
    escape_control,
    looks_like_secret,
    may_hold_secret,
    redact,
    safe_text,
)
from llmaestro._http.secrets import Secret
from llmaestro.errors import ProviderConfigError

ALNUM = string.ascii_letters + string.digits
#: Prose and model ids: nothing here may be masked.
ORDINARY = [
    "gpt-4o-mini",
    "sk-model",
    "pplx-decider-v1-27b",
    "task-llama-3-70b-instruct-turbo",
    "claude-sonnet-4-5-20250929",
    "meta-llama/Llama-3.3-70B-Instruct-Turbo",
    "gemini-2.5-flash-preview-05-20",
    "Bearer authentication is required here",
    "the key: see the documentation",
    "max_tokens=4096 total_tokens: 123456789",
    "hf_transfer enabled",
    "risk-assessment-2024-10-01-preview",
    "AIza is a prefix",
    "ghp_ tokens are classic",
    "Incorrect API key provided. You can find your API key at https://platform.openai.com",
    "o" * 50,
    "a **bold** word and f***ing stars *** and a*b",
    "loading...done",
]


@st.composite
def keys(draw: st.DrawFn) -> str:
    """Keys shaped like the providers' (a prefix and a random body)."""
    prefix = draw(st.sampled_from(["sk-", "sk-proj-", "sk-ant-api03-", "AIza", "ghp_", "gsk_", ""]))
    body = draw(st.text(alphabet=ALNUM + "_-", min_size=32, max_size=90))
    # a random body is key-like; make sure the drawn one is (a run of 10 with a digit)
    return (
        prefix + body + draw(st.text(alphabet=string.digits, min_size=1, max_size=3)) + "Ab9cD8eF7g"
    )


prose = st.text(
    alphabet=string.ascii_letters + string.digits + " .,:;!?()[]{}\"'\n\t/=+-_*", max_size=200
)


def variants(key: str) -> list[str]:
    return [
        key,
        key.upper(),
        key.lower(),
        f"Bearer {key}",
        base64.b64encode(key.encode()).decode(),
        base64.b64encode(f"user:{key}".encode()).decode(),
        base64.urlsafe_b64encode(f"xx{key}".encode()).decode(),
        quote(key, safe=""),
        key[:8] + "*" * 36 + key[-4:],
        key[:8] + "..." + key[-4:],
        key[: len(key) // 2],  # cut on the right
        key[len(key) // 2 :],  # cut on the left
    ]


@settings(max_examples=60, deadline=None)
@given(key=keys(), before=prose, after=prose, which=st.integers(0, 11))
def test_key_masked_in_every_form_at_any_offset(
    key: str, before: str, after: str, which: int
) -> None:
    echoed = variants(key)[which]
    text = before + " " + echoed + " " + after
    out = redact(text, [key])
    assert echoed not in out
    assert MASK in out
    # nothing of the key longer than the fragments providers echo survives
    for i in range(len(key) - 12):
        window = key[i : i + 12]
        assert window not in out or window in before + after


@settings(max_examples=60, deadline=None)
@given(key=keys(), before=prose, after=prose)
def test_secret_redact_and_shapes_without_configuration(key: str, before: str, after: str) -> None:
    text = f"{before} {key} {after}"
    assert key not in Secret(key).redact(text)
    if key.startswith(("sk-", "AIza", "ghp_", "gsk_")):  # found by its shape alone
        assert key not in redact(text)
        assert looks_like_secret(key)


@settings(max_examples=80, deadline=None)
@given(text=st.lists(st.sampled_from(ORDINARY), min_size=1, max_size=6).map(" | ".join))
def test_ordinary_text_is_never_masked(text: str) -> None:
    assert redact(text) == text
    assert not looks_like_secret(text)


@pytest.mark.parametrize("word", ORDINARY)
def test_model_ids_are_not_secrets(word: str) -> None:
    assert not looks_like_secret(word)
    assert redact(word, ["sk-unrelated-KEY-0123456789abcdef"]) == word


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bearer sk-proj-Ab0123456789cdefGHIJ", "Bearer ***"),
        ("x-api-key: sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm", "x-api-key: ***"),
        ("url?key=AIzaSyA1234567890abcdefghijklmnopqrstu&alt=sse", "url?key=***&alt=sse"),
        ("token ghp_FAKEtokenCANARY0123456789abcdef.", "token ghp_***."),
        ("github_pat_11ABCDEFG0123456789_abcdefghijklmnop", "github_pat_***"),
        ("Authorization: Basic dXNlcjpwYXNzd29yZDEyMzQ1Ng==", "Authorization: Basic ***"),
        ('{"api_key": "abcDEF1234567890xyz"}', '{"api_key": "***"}'),
        (
            "Incorrect API key provided: sk-proj-**********************abcd.",
            "Incorrect API key provided: ***.",
        ),
        ("provided: gsk_AbCd****wxyz, retry", "provided: ***, retry"),
        ("token: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc", "token: Bearer ***"),
        ("Authorization: Bearer ya29.A0ARrdaM-xyz_0123456789", "Authorization: Bearer ***"),
    ],
)
def test_shapes(text: str, expected: str) -> None:
    assert redact(text) == expected
    assert looks_like_secret(text)


def test_openai_401_fragment() -> None:
    key = "sk-proj-" + "Q" * 20 + "a1b2c3d4e5f6g7h8" + "wxyz"
    message = f"Incorrect API key provided: {key[:8]}{'*' * 40}{key[-4:]}. You can find..."
    assert redact(message, [key]) == "Incorrect API key provided: ***. You can find..."
    assert key[-4:] not in redact(message, [key])


def test_environment_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLMAESTRO_TEST_API_KEY", "plainvalue-no-shape")
    monkeypatch.setenv("LLMAESTRO_TEST_SHORT_TOKEN", "o")
    monkeypatch.setenv("LLMAESTRO_TEST_NOT_A_KEY_FILE", "plainvalue-file")
    assert "plainvalue-no-shape" in env_secrets()
    assert "o" not in env_secrets()
    out = redact("got plainvalue-no-shape and PLAINVALUE-NO-SHAPE; plainvalue-file; foo")
    assert out == "got *** and ***; plainvalue-file; foo"
    assert looks_like_secret("id plainvalue-no-shape")
    monkeypatch.setenv("LLMAESTRO_TEST_ENDPOINT_AUTH", "catalog-named-value")
    assert redact("catalog-named-value") == "catalog-named-value"
    add_key_env_names(["LLMAESTRO_TEST_ENDPOINT_AUTH"])
    assert redact("x catalog-named-value") == "x ***"


def test_short_keys_are_refused_not_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    assert redact("look: oooo", ["o"]) == "look: oooo"
    with pytest.raises(ProviderConfigError, match="too short") as caught:
        Secret("o")
    assert "'o'" not in str(caught.value)
    monkeypatch.setenv("LLMAESTRO_T_KEY", "abc")
    with pytest.raises(ProviderConfigError, match=r"\$LLMAESTRO_T_KEY is too short"):
        Secret.from_env(["LLMAESTRO_T_KEY"])
    assert not Secret("")  # empty: no key, allowed
    with pytest.raises(ProviderConfigError, match="control character"):
        Secret("sk-abcdefgh\r\nX-Injected: 1")
    with pytest.raises(ProviderConfigError, match="non-ASCII"):
        Secret("\u201csk-abcdefgh12345\u201d")
    monkeypatch.setenv("LLMAESTRO_T_KEY", "  sk-abcdefgh12345\n")
    assert Secret.from_env(["LLMAESTRO_T_KEY"]) == Secret("sk-abcdefgh12345")
    assert Secret("12345678").get_secret_value() == "12345678"


def test_redact_is_idempotent_and_keeps_text() -> None:
    key = "sk-llmaestro-CANARY-7f3a9c1e5d"
    once = redact(f"a {key} b {key.upper()} c", [key])
    assert once == "a *** b *** c"
    assert redact(once, [key]) == once


def test_large_text_is_linear() -> None:
    key = "sk-llmaestro-CANARY-7f3a9c1e5d"
    body = ("a" * 10_000 + "-") * 100 + key
    assert redact(body, [key]).endswith(MASK)
    # a hostile body: the key 30,000 times in one run of key characters, each copy an anchor
    assert redact(key * 30_000, [key]) == MASK
    assert set(redact((key[:12] + "****") * 20_000, [key])) == {"*"}


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\nb", "a\\nb"),
        ("x\r\ny\tz", "x\\r\\ny\\tz"),
        ("\x1b]8;;http://evil\x07link\x1b[0m", "\\x1b]8;;http://evil\\x07link\\x1b[0m"),
        ("del\x7f nul\x00", "del\\x7f nul\\x00"),
        ("nel\x85 c1\x9b", "nel\\x85 c1\\x9b"),
        ("ls\u2028ps\u2029", "ls\\u2028ps\\u2029"),
        ("zw\u200bbidi\u202e", "zw\\u200bbidi\\u202e"),
        ("C:\\path é ü 漢字", "C:\\path é ü 漢字"),
    ],
)
def test_escape_control(raw: str, shown: str) -> None:
    assert escape_control(raw) == shown


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_escape_control_is_one_safe_line(text: str) -> None:
    out = escape_control(text)
    assert len(out.splitlines()) <= 1
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in out)
    assert "\u2028" not in out and "\u2029" not in out


@settings(max_examples=60, deadline=None)
@given(key=keys(), offset=st.integers(0, 260), limit=st.integers(20, 250))
def test_safe_text_redacts_before_the_cut(key: str, offset: int, limit: int) -> None:
    text = "e" * offset + f" Bearer {key}\n" + "z" * 300
    out = safe_text(text, [key], limit=limit)
    assert len(out) <= limit + 1 and "\n" not in out
    for i in range(len(key) - 8):
        assert key[i : i + 8] not in out
    assert safe_text("a\x1bb", limit=None) == "a\\x1bb"


def test_live_secrets_are_masked_while_they_live() -> None:
    secret = Secret("unshaped-live-value")
    assert redact("log: unshaped-live-value") == "log: ***"
    del secret
    gc.collect()
    assert redact("log: unshaped-live-value") == "log: unshaped-live-value"


SEGMENT = st.one_of(
    st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=9),
    st.text(alphabet=string.digits, min_size=1, max_size=8),
    st.tuples(  # 4o, v1, r1, 70b
        st.text(alphabet=string.ascii_lowercase, max_size=3),
        st.text(alphabet=string.digits, min_size=1, max_size=3),
        st.text(alphabet=string.ascii_lowercase, max_size=1),
    ).map("".join),
)
MODEL_ID = st.tuples(
    st.sampled_from(["", "sk-", "pplx-", "hf_", "gsk_", "xai-", "AIza", "ghp_", "key=", "Bearer "]),
    st.lists(SEGMENT, min_size=1, max_size=8).map("-".join),
).map("".join)


@settings(max_examples=150, deadline=None)
@given(ids=st.lists(MODEL_ID, min_size=1, max_size=4).map(" ".join))
def test_model_id_like_text_is_never_masked(ids: str) -> None:
    # ids are words of up to 9 letters or 8 digits joined by "-": no run of 10 letters and
    # digits with a digit in it, so never key-like, whatever prefix they start with
    assert redact(ids) == ids
    assert not looks_like_secret(ids)


def test_keys_with_dots_and_slashes_and_equal_secrets() -> None:
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2lnbmF0dXJlLXBhcnQ"
    out = redact(f"token {jwt} end", [jwt])
    assert out == "token *** end"
    assert "eyJzdWIiOiJhYmMifQ" not in redact(f"x {jwt.upper()} y", [jwt]).upper()
    first, second = Secret("equal-live-value-1"), Secret("equal-live-value-1")
    del first
    gc.collect()
    assert redact("equal-live-value-1") == "***"
    del second


def test_secrets_made_while_other_threads_redact() -> None:
    failures: list[BaseException] = []
    stop = threading.Event()

    def redacting() -> None:
        try:
            while not stop.is_set():
                redact("some text sk-threadsafe-0123456789abcdef")
        except BaseException as exc:  # pragma: no cover - the failure being tested for
            failures.append(exc)

    workers = [threading.Thread(target=redacting) for _ in range(3)]
    for worker in workers:
        worker.start()
    for i in range(3000):
        Secret(f"thread-secret-{i:08d}")  # made and dropped: the live set changes constantly
    stop.set()
    for worker in workers:
        worker.join()
    assert failures == []


@settings(max_examples=80, deadline=None)
@given(key=keys(), before=prose, after=prose, which=st.integers(0, 11))
def test_the_cheap_test_never_misses_what_the_full_one_finds(
    key: str, before: str, after: str, which: int
) -> None:
    text = before + variants(key)[which] + after
    assert may_hold_secret(text, [key])
    for sample in (before, after, text):
        if looks_like_secret(sample, [key]):
            assert may_hold_secret(sample, [key])
    assert not may_hold_secret("gpt-4o-mini claude-sonnet-4-5 128000 tokens")
