"""The seed's provider registry API: catalog providers plus in-memory overlays.

>>> from llmaestro.seed.providers import ProviderRegistry, Provider
>>> providers = ProviderRegistry()
>>> providers.register_provider(
...     "anthropic",
...     Provider(api_base="https://api.anthropic.com", rate_limits={"requests_per_minute": 60}),
... ).api.base_url
'https://api.anthropic.com'

A registration is a runtime overlay: it is validated by the same schema and rules as a
``provider.yaml`` (errors are :class:`~llmaestro.errors.CatalogValidationError` with JSON
pointers) and it never writes to ``catalog/``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from llmaestro import _records as records
from llmaestro.catalog.diagnostics import Diagnostic
from llmaestro.catalog.model import ApiStyle, EnvVarName, Url
from llmaestro.catalog.model import Provider as ProviderModel
from llmaestro.errors import CatalogValidationError, UnknownProviderError
from llmaestro.loader import load
from llmaestro.registry.core import Registry

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


class Provider(BaseModel):
    """Provider settings to register at run time (the seed's ``Provider``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    api_base: Url
    """Base URL of the provider's API."""
    rate_limits: dict[str, int] = Field(default_factory=dict)
    """Limits by name: requests_per_minute, tokens_per_minute, input_tokens_per_minute,
    output_tokens_per_minute, requests_per_day, tokens_per_day, concurrent_requests."""
    name: str | None = None
    """Display name; defaults to the catalog's, else the id."""
    api_style: ApiStyle | None = None
    """Wire format; defaults to the catalog's."""
    api_key_env: tuple[EnvVarName, ...] | None = None
    """Environment variables holding the key (never the key itself)."""
    auth_header: str | None = None
    """Header carrying the key, e.g. `Authorization` or `x-api-key`."""
    auth_scheme: str | None = None
    """Scheme before the key, e.g. `Bearer`."""
    rate_limit_tier: str = "runtime"
    """Name of the tier these rate limits are recorded under."""


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
            base = self._registry.to_document()["providers"][provider_id]
        data = _merge(base, _as_catalog_data(provider_id, provider, base))
        where = f"<register_provider:{provider_id}>"
        try:
            model = ProviderModel.model_validate(data, strict=False)
        except ValidationError as exc:
            raise CatalogValidationError(
                [
                    Diagnostic(
                        where,
                        1,
                        1,
                        "LM012",
                        "".join(f"/{p}" for p in err["loc"]),
                        err["msg"],
                    )
                    for err in exc.errors(include_url=False)
                ]
            ) from None
        from llmaestro.catalog.rules import check_provider

        problems: list[Diagnostic] = []

        def report(code: str, ptr: str, message: str, **kw: Any) -> None:
            severity = kw.pop("severity", "error")
            if severity == "error":
                problems.append(Diagnostic(where, 1, 1, code, ptr, message, **kw))

        check_provider(model, report)
        if problems:
            raise CatalogValidationError(problems)
        record = records.Provider._from(model.model_dump(mode="json", exclude_none=True))
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
            raise UnknownProviderError(provider_id, sorted(self._overlay))


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
