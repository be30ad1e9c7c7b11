"""``client_for()``: the right client for a catalog provider or offering.

::

    from llmaestro.clients import client_for

    client = client_for("anthropic")                        # a provider id
    client = client_for("openai/gpt-4o")                    # an offering: its default model
    client = client_for(registry.get("google/gemini-2.5-flash"), rate_limiter=limiter)
    client = client_for("groq", api_key="...", base_url="http://127.0.0.1:8080/v1")

The provider's catalog entry gives the API style (which class), the base URL (or the
environment variable holding it), and where the key comes from: the ``auth.env``
variables, first set one wins, unless ``api_key=`` is given. Explicit arguments override
the catalog. Connection facts live in the catalog only (``catalog/providers/<id>/provider.yaml``);
a provider without an ``api`` entry needs an explicit :class:`~llmaestro.Provider`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from llmaestro._http.redact import add_key_env_names
from llmaestro._http.secrets import Secret
from llmaestro._records import Api, Offering, Provider
from llmaestro.clients.anthropic import AnthropicClient
from llmaestro.clients.client import BaseClient
from llmaestro.clients.gemini import GeminiClient
from llmaestro.clients.openai_compat import OpenAICompatClient
from llmaestro.errors import ProviderConfigError
from llmaestro.loader import load

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro.limits import RateLimiter
    from llmaestro.registry.core import Registry

__all__ = ["CLIENT_CLASSES", "client_for", "resolve_api_key"]

#: API style (catalog ``api.style``) → client class.
CLIENT_CLASSES: dict[str, type[BaseClient]] = {
    "openai-chat": OpenAICompatClient,
    "ollama": OpenAICompatClient,
    "anthropic-messages": AnthropicClient,
    "gemini": GeminiClient,
}


def _provider_record(registry: Registry, provider_id: str) -> Provider:
    return registry.provider(provider_id)


def _has_provider(registry: Registry, provider_id: str) -> bool:
    return provider_id in registry.provider_ids


def resolve_api_key(provider: Provider, api_key: str | Secret | None = None) -> Secret | None:
    """The key to use: ``api_key`` when given, else the first set ``auth.env`` variable;
    None for providers without auth. Raises
    :class:`~llmaestro.errors.ProviderConfigError` when a key is needed and none is found,
    or the key is too short to be one (naming the variables, never a value).

    The ``auth.env`` names are handed to :func:`llmaestro._http.redact.add_key_env_names`,
    so every later redaction masks their values too, whatever the names look like."""
    auth = provider.api.auth if provider.api is not None else None
    if auth is not None:
        add_key_env_names(auth.env)
    if api_key is not None:
        if isinstance(api_key, Secret):
            return api_key
        return Secret(api_key, source=f"the api_key= for provider {provider.provider!r}")
    if auth is None:
        return None
    found = Secret.from_env(auth.env)
    if found is None:
        names = " or ".join(auth.env) if auth.env else "an environment variable"
        raise ProviderConfigError(
            f"no API key for provider {provider.provider!r}: pass api_key= or set {names}"
        )
    return found


def _base_url(provider: Provider, api: Api, base_url: str | None) -> str:
    url = base_url or api.base_url
    if not url and api.base_url_env:
        url = os.environ.get(api.base_url_env) or None
    if not url:
        hint = f" or set {api.base_url_env}" if api.base_url_env else ""
        raise ProviderConfigError(
            f"no base URL for provider {provider.provider!r}: pass base_url={hint}"
        )
    url = url.rstrip("/")
    if api.style == "ollama" and not base_url and not url.endswith("/v1"):
        url += "/v1"  # Ollama's OpenAI-compatible endpoint
    return url


def client_for(
    target: str | Offering | Provider,
    *,
    api_key: str | Secret | None = None,
    base_url: str | None = None,
    registry: Registry | None = None,
    rate_limiter: RateLimiter | None = None,
    style: str | None = None,
    **kwargs: Any,
) -> BaseClient:
    """A client for a provider (``"openai"``, a :class:`~llmaestro.Provider`) or an
    offering (``"anthropic/claude-sonnet-4-5-20250929"``, a bare catalog model id, an
    :class:`~llmaestro.Offering`), which becomes the client's ``default_model``.

    ``api_key`` / ``base_url`` / ``style`` override the catalog; ``registry`` is the
    catalog (default ``llmaestro.load()``), also used by the client for checks and cost;
    ``rate_limiter`` is attached to the client; other keyword arguments go to the client
    class (``retry=``, ``timeout=``, ``transport=``, ``check=``, ``sleep=`` ...).

    Raises :class:`~llmaestro.errors.UnknownProviderError` /
    :class:`~llmaestro.errors.UnknownModelError` for ids the catalog does not know and
    :class:`~llmaestro.errors.ProviderConfigError` for a missing key or base URL or an API
    style this layer does not speak.
    """
    if registry is None:
        registry = load()
    default_model: str | Offering | None = kwargs.pop("default_model", None)
    if isinstance(target, Provider):
        provider = target
    elif isinstance(target, Offering):
        provider = _provider_record(registry, target.provider)
        default_model = default_model or target
    elif isinstance(target, str):
        head, sep, _ = target.partition("/")
        if _has_provider(registry, target):
            provider = _provider_record(registry, target)
        elif sep and _has_provider(registry, head):
            provider = _provider_record(registry, head)
            default_model = default_model or target
        else:
            offering = registry.get(target)  # raises UnknownModelError with suggestions
            provider = _provider_record(registry, offering.provider)
            default_model = default_model or offering
    else:
        raise TypeError(f"client_for() takes a provider or model id, got {type(target).__name__}")
    api = provider.api
    if api is None:
        raise ProviderConfigError(
            f"provider {provider.provider!r} has no API in the catalog; pass a Provider "
            "with one, or build a client class directly"
        )
    chosen = style or api.style
    cls = CLIENT_CLASSES.get(chosen)
    if cls is None:
        raise ProviderConfigError(
            f"provider {provider.provider!r} speaks {chosen!r}; supported API styles: "
            f"{', '.join(sorted(CLIENT_CLASSES))} (pass style= for a compatible endpoint)"
        )
    auth = api.auth
    options: dict[str, Any] = {
        "provider": provider.provider,
        "base_url": _base_url(provider, api, base_url),
        "api_key": resolve_api_key(provider, api_key),
        "registry": registry,
        "rate_limiter": rate_limiter,
        "default_model": default_model,
        "models_endpoint": api.models_endpoint or "/models",
    }
    if auth is not None:
        options["auth_header"] = auth.header
        options["auth_scheme"] = auth.scheme
        options["auth_query_param"] = auth.query_param
    options.update(kwargs)
    return cls(**options)
