"""The seed's provider registry API: catalog providers plus in-memory overlays.

>>> from llmaestro.seed.providers import ProviderRegistry, Provider
>>> providers = ProviderRegistry()
>>> providers.register_provider(
...     "anthropic",
...     Provider(api_base="https://api.anthropic.com", rate_limits={"requests_per_minute": 60}),
... ).api.base_url
'https://api.anthropic.com'

A registration is a runtime overlay: it is checked by the same rules as a ``provider.yaml``
(errors are :class:`~llmaestro.errors.CatalogValidationError` with JSON pointers) and it never
writes to ``catalog/``. Neither needs pydantic: this works on the core install.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from llmaestro import _records as records
from llmaestro.catalog.diagnostics import Diagnostic
from llmaestro.catalog.model import ApiStyle
from llmaestro.catalog.rules import check_provider
from llmaestro.errors import CatalogValidationError, UnknownProviderError
from llmaestro.loader import load
from llmaestro.registry.core import Registry
from llmaestro.registry.jsonable import record_json
from llmaestro.registry.naming import shown

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro.catalog.model import ProviderFile

__all__ = ["Provider", "ProviderRegistry"]

_RATE_KEYS = (
    "requests_per_minute",
    "tokens_per_minute",
    "input_tokens_per_minute",
    "output_tokens_per_minute",
    "requests_per_day",
    "tokens_per_day",
    "concurrent_requests",
)
_API_STYLES: tuple[str, ...] = typing.get_args(ApiStyle)
# the data model's constraints (llmaestro/catalog/model.py: Url, EnvVarName, Auth, Slug);
# tests/registry/test_seed_provider.py checks that these accept exactly what the model does
_URL = re.compile(r"^https?://[^\s]+$")
_ENV_VAR = re.compile(r"^[A-Z][A-Z0-9_]*$")
_HEADER = re.compile(r"^[A-Za-z0-9-]+$")
_SCHEME = re.compile(r"^[A-Za-z]+$")
_SLUG = re.compile(r"^[^\s]+$")


def _text(owner: str, value: object, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValueError(f"Provider.{owner}: expected a string, got {type(value).__name__}")
    return value


@dataclass(frozen=True, kw_only=True)
class Provider:
    """Provider settings to register at run time (the seed's ``Provider``).

    Types and formats are checked here (``ValueError`` naming the field); the catalog's rules
    run when :meth:`ProviderRegistry.register_provider` merges it over the catalog's entry.
    """

    api_base: str
    """Base URL of the provider's API (``http(s)://...``)."""
    rate_limits: Mapping[str, int] = field(default_factory=dict)
    """Limits by name: requests_per_minute, tokens_per_minute, input_tokens_per_minute,
    output_tokens_per_minute, requests_per_day, tokens_per_day, concurrent_requests."""
    name: str | None = None
    """Display name; defaults to the catalog's, else the id."""
    api_style: ApiStyle | None = None
    """Wire format; defaults to the catalog's."""
    api_key_env: tuple[str, ...] | None = None
    """Environment variables holding the key (never the key itself)."""
    auth_header: str | None = None
    """Header carrying the key, e.g. `Authorization` or `x-api-key`."""
    auth_scheme: str | None = None
    """Scheme before the key, e.g. `Bearer`."""
    rate_limit_tier: str = "runtime"
    """Name of the tier these rate limits are recorded under."""

    def __post_init__(self) -> None:
        base = _text("api_base", self.api_base)
        assert base is not None
        if len(base) > 2048 or not _URL.match(base):
            raise ValueError(f"Provider.api_base: expected an http(s) URL, got {base!r}")
        if not isinstance(self.rate_limits, Mapping):
            raise ValueError("Provider.rate_limits: expected a mapping of limit name to integer")
        for key, value in self.rate_limits.items():
            _text("rate_limits key", key)
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"Provider.rate_limits[{key!r}]: expected an integer")
        object.__setattr__(self, "rate_limits", dict(self.rate_limits))
        for name in ("name", "auth_header", "auth_scheme"):
            _text(name, getattr(self, name), optional=True)
        _text("rate_limit_tier", self.rate_limit_tier)
        style = self.api_style
        if style is not None and style not in _API_STYLES:
            raise ValueError(
                f"Provider.api_style: expected one of {', '.join(_API_STYLES)}, got {style!r}"
            )
        env = self.api_key_env
        if env is not None:
            if isinstance(env, str) or not isinstance(env, Sequence):
                raise ValueError("Provider.api_key_env: expected a tuple of variable names")
            for item in env:
                if not isinstance(item, str) or len(item) > 128 or not _ENV_VAR.match(item):
                    raise ValueError(
                        f"Provider.api_key_env: {item!r} is not an environment variable name "
                        "(A-Z, 0-9, _; a letter first)"
                    )
            object.__setattr__(self, "api_key_env", tuple(env))


class ProviderRegistry:
    """Catalog providers with in-memory registrations layered on top."""

    def __init__(self, registry: Registry | None = None) -> None:
        if registry is None:
            registry = load()
        self._registry = registry
        self._overlay: dict[str, records.Provider] = {}

    def register_provider(self, provider_id: str, provider: Provider) -> records.Provider:
        """Validate and register ``provider`` over the catalog's entry (if any)."""
        base: dict[str, Any] = {}
        if provider_id in self._registry.provider_ids:
            base = record_json(self._registry.provider(provider_id))
        data = _merge(base, _as_catalog_data(provider_id, provider, base))
        where = f"<register_provider:{provider_id}>"
        problems: list[Diagnostic] = [
            Diagnostic(where, 1, 1, "LM012", ptr, message, expected=expected)
            for ptr, message, expected in _schema_problems(data)
        ]
        if problems:
            raise CatalogValidationError(problems)
        record = records.Provider._from(data)

        def report(code: str, ptr: str, message: str, **kw: Any) -> None:
            severity = kw.pop("severity", "error")
            if severity == "error":
                problems.append(Diagnostic(where, 1, 1, code, ptr, message, **kw))

        # the rules read attributes only: a record has the data model's
        check_provider(cast("ProviderFile", record), report)
        if problems:
            raise CatalogValidationError(problems)
        self._overlay[provider_id] = record
        return record

    def get_provider(self, provider_id: str) -> records.Provider:
        """A registered provider, else the catalog's; UnknownProviderError otherwise."""
        found = self._overlay.get(provider_id)
        if found is not None:
            return found
        return self._registry.provider(provider_id)

    def list_providers(self) -> list[str]:
        return sorted(set(self._registry.provider_ids) | set(self._overlay))

    def unregister_provider(self, provider_id: str) -> None:
        if self._overlay.pop(provider_id, None) is None:
            raise UnknownProviderError(shown(provider_id), sorted(self._overlay))


def _as_catalog_data(pid: str, p: Provider, base: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(p.rate_limits) - set(_RATE_KEYS))
    if unknown:
        raise CatalogValidationError(
            [
                Diagnostic(
                    f"<register_provider:{pid}>",
                    1,
                    1,
                    "LM012",
                    f"/rate_limits/{key}",
                    f"unknown rate limit `{key}`",
                    expected="one of " + ", ".join(_RATE_KEYS),
                )
                for key in unknown
            ]
        )
    api: dict[str, Any] = {"base_url": p.api_base.rstrip("/")}
    base_api = base.get("api") or {}
    api["style"] = p.api_style or base_api.get("style") or "other"
    auth: dict[str, Any] = {}
    if p.api_key_env is not None:
        auth["env"] = list(p.api_key_env)
    if p.auth_header is not None:
        auth["header"] = p.auth_header
    if p.auth_scheme is not None:
        auth["scheme"] = p.auth_scheme
    if auth:
        api["auth"] = auth
    data: dict[str, Any] = {"provider": pid, "api": api}
    data["name"] = p.name or base.get("name") or pid
    if p.rate_limits:
        tier = {"tier": p.rate_limit_tier, **p.rate_limits}
        kept = [t for t in base.get("rate_limits") or () if t.get("tier") != p.rate_limit_tier]
        data["rate_limits"] = [*kept, tier]
    return data


def _merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        if isinstance(out.get(key), dict) and isinstance(value, dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _schema_problems(data: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """The data model's constraints on what a registration sets: (pointer, what, expected)."""
    out: list[tuple[str, str, str]] = []
    pid = data.get("provider")
    if not isinstance(pid, str) or not 1 <= len(pid) <= 200 or not _SLUG.match(pid):
        out.append(("/provider", f"`{pid}` is not a provider id", "no white space"))
    url = (data.get("api") or {}).get("base_url")
    if url is not None and (len(url) > 2048 or not _URL.match(url)):
        out.append(("/api/base_url", f"`{url}` is not a URL", "http(s)://..."))
    name = data.get("name")
    if not isinstance(name, str) or not 1 <= len(name) <= 200:
        out.append(("/name", "the name is empty or too long", "1 to 200 characters"))
    auth = (data.get("api") or {}).get("auth") or {}
    if auth and "env" not in auth:
        out.append(("/api/auth/env", "auth names no environment variable", "api_key_env"))
    header, scheme = auth.get("header"), auth.get("scheme")
    if header is not None and not _HEADER.match(header):
        out.append(("/api/auth/header", f"`{header}` is not a header name", "A-Z, a-z, 0-9, -"))
    if scheme is not None and not _SCHEME.match(scheme):
        out.append(("/api/auth/scheme", f"`{scheme}` is not an auth scheme", "letters only"))
    for i, tier in enumerate(data.get("rate_limits") or ()):
        label = tier.get("tier")
        if not isinstance(label, str) or not 1 <= len(label) <= 200 or not _SLUG.match(label):
            out.append((f"/rate_limits/{i}/tier", "the tier name is not an id", "no white space"))
        for key in _RATE_KEYS:
            value = tier.get(key)
            if value is not None and value < 1:
                out.append((f"/rate_limits/{i}/{key}", f"{value} is not a limit", "at least 1"))
    return out
