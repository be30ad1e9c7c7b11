"""client_for(): the client class and its configuration from the catalog."""

from __future__ import annotations

import httpx
import pytest

from llmaestro._http.redact import redact
from llmaestro._records import Api, Auth, Provider
from llmaestro.clients import (
    AnthropicClient,
    ChatClient,
    GeminiClient,
    Message,
    OpenAICompatClient,
    Secret,
    client_for,
)
from llmaestro.errors import LookupFailedError, ProviderConfigError
from llmaestro.registry.core import Registry
from tests.clients._server import FAKE_KEY

SEEN: list[httpx.Request] = []


def _ok(request: httpx.Request) -> httpx.Response:
    SEEN.append(request)
    return httpx.Response(
        200,
        json={
            "choices": [{"index": 0, "message": {"content": "ok"}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1},
        },
    )


@pytest.fixture(autouse=True)
def _no_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY",
        "GEMINI_API_KEY",
        "GOOGLE_API_KEY",
        "GROQ_API_KEY",
        "TOGETHER_API_KEY",
        "MY_BASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    SEEN.clear()


def test_classes_by_api_style(registry: Registry) -> None:
    cases = {"openai": OpenAICompatClient, "anthropic": AnthropicClient, "google": GeminiClient}
    for provider, cls in cases.items():
        client = client_for(provider, api_key=FAKE_KEY, registry=registry)
        assert type(client) is cls
        assert isinstance(client, ChatClient)
        assert client.provider == provider
        api = registry.provider(provider).api
        assert api is not None and client.base_url == (api.base_url or "").rstrip("/")


def test_key_from_the_catalog_env_vars(monkeypatch: pytest.MonkeyPatch, registry: Registry) -> None:
    monkeypatch.setenv("GOOGLE_API_KEY", FAKE_KEY)  # the second of GEMINI_API_KEY, GOOGLE_API_KEY
    client = client_for("google", registry=registry)
    assert repr(client).endswith("api_key=Secret('***'))")
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    with client_for("openai/gpt-4o", registry=registry, transport=httpx.MockTransport(_ok)) as c:
        assert c.chat([Message.user("hi")]).text == "ok"  # the offering is the default model
    (request,) = SEEN
    ok = request.headers["authorization"] == "Bearer " + FAKE_KEY
    assert ok
    assert request.url == "https://api.openai.com/v1/chat/completions"  # MockTransport: no network


def test_missing_key_names_the_variables(registry: Registry) -> None:
    with pytest.raises(ProviderConfigError, match="OPENAI_API_KEY"):
        client_for("openai", registry=registry)


def test_targets(registry: Registry) -> None:
    offering = registry.get("anthropic/claude-haiku-4-5-20251001")
    client = client_for(offering, api_key=Secret(FAKE_KEY), registry=registry)
    assert isinstance(client, AnthropicClient) and client.default_model is offering
    bare = client_for("gpt-4o-mini", api_key=FAKE_KEY, registry=registry)
    assert bare.provider == "openai"
    with pytest.raises(LookupFailedError):
        client_for("no-such-model-or-provider", api_key=FAKE_KEY, registry=registry)
    with pytest.raises(TypeError):
        client_for(42, registry=registry)  # type: ignore[arg-type]


def test_overrides_and_catalog_facts(monkeypatch: pytest.MonkeyPatch, registry: Registry) -> None:
    client = client_for(
        "openai", api_key=FAKE_KEY, base_url="http://127.0.0.1:9/v1/", registry=registry
    )
    assert client.base_url == "http://127.0.0.1:9/v1"
    monkeypatch.setenv("TOGETHER_API_KEY", FAKE_KEY)
    together = client_for("togetherai", registry=registry)  # base URL and key env: the catalog
    assert isinstance(together, OpenAICompatClient)
    assert together.base_url == "https://api.together.xyz/v1"
    forced = client_for("openai", api_key=FAKE_KEY, registry=registry, style="anthropic-messages")
    assert isinstance(forced, AnthropicClient)


def test_provider_records(monkeypatch: pytest.MonkeyPatch, registry: Registry) -> None:
    local = Provider(
        name="Local",
        provider="local-ollama",
        api=Api(style="ollama", base_url="http://127.0.0.1:11434"),
    )
    client = client_for(local, registry=registry)  # keyless
    assert isinstance(client, OpenAICompatClient) and client.base_url == "http://127.0.0.1:11434/v1"
    assert "api_key=None" in repr(client)
    deployment = Provider(
        name="Deployment",
        provider="dep",
        api=Api(
            style="openai-chat",
            base_url_env="MY_BASE_URL",
            auth=Auth(env=("OPENAI_API_KEY",), header="api-key"),
        ),
    )
    with pytest.raises(ProviderConfigError, match="MY_BASE_URL"):
        client_for(deployment, api_key=FAKE_KEY, registry=registry)
    monkeypatch.setenv("MY_BASE_URL", "http://127.0.0.1:9/openai")
    dep = client_for(
        deployment, api_key=FAKE_KEY, registry=registry, transport=httpx.MockTransport(_ok)
    )
    with dep:
        dep.chat([Message.user("hi")], "my-deployment", check=False)
    (request,) = SEEN
    ok = request.headers["api-key"] == FAKE_KEY and "authorization" not in request.headers
    assert ok
    assert str(request.url) == "http://127.0.0.1:9/openai/chat/completions"
    odd = Provider(
        name="Odd", provider="odd", api=Api(style="cohere", base_url="http://127.0.0.1:9")
    )
    with pytest.raises(ProviderConfigError, match="supported API styles"):
        client_for(odd, registry=registry)


def test_a_short_key_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, registry: Registry
) -> None:
    # OPENAI_API_KEY=o would otherwise turn every "o" of every message into ***
    monkeypatch.setenv("OPENAI_API_KEY", "o")
    with pytest.raises(ProviderConfigError, match=r"\$OPENAI_API_KEY is too short") as caught:
        client_for("openai", registry=registry)
    assert "'o'" not in str(caught.value)
    with pytest.raises(ProviderConfigError, match="api_key= for provider 'openai' is too short"):
        client_for("openai", api_key="abc", registry=registry)


def test_catalog_key_variables_are_redacted_whatever_their_names(
    monkeypatch: pytest.MonkeyPatch, registry: Registry
) -> None:
    odd = Provider(
        name="Odd",
        provider="odd-names",
        api=Api(
            style="openai-chat",
            base_url="http://127.0.0.1:9/v1",
            auth=Auth(env=("ODD_CREDENTIAL_VALUE",), header="Authorization", scheme="Bearer"),
        ),
    )
    monkeypatch.setenv("ODD_CREDENTIAL_VALUE", "plain-credential-words")
    client = client_for(odd, registry=registry)
    assert redact("echo: plain-credential-words") == "echo: ***"
    assert client._redact("echo: PLAIN-CREDENTIAL-WORDS") == "echo: ***"
