"""The seed's `Provider` is a plain class (the core install has no pydantic): it accepts
exactly what the catalog's pydantic data model accepts, and registration reports the same
problems as a provider.yaml would have."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from llmaestro.catalog.diagnostics import Diagnostic
from llmaestro.catalog.model import Provider as ProviderModel
from llmaestro.catalog.rules import check_provider
from llmaestro.errors import CatalogValidationError
from llmaestro.exports import record_json
from llmaestro.seed.providers import _RATE_KEYS, Provider, ProviderRegistry
from tests.packaging.core_only import run_python

URLS = st.sampled_from(
    [
        "https://api.example.com",
        "https://api.example.com/v1/",
        "http://localhost:8080",
        "http://api.example.com",
        "ftp://api.example.com",
        "https://",
        "https:///",
        "https://a b",
        "api.example.com",
        "https://" + "a" * 2050,
    ]
)
WORDS = st.sampled_from(["", "x", "Bearer", "x-api-key", "Authorization", "a b", "tier 1", "é"])
ENV = st.sampled_from(["OPENAI_API_KEY", "MY_KEY", "lower", "1ABC", "", "A" * 129])
STYLES = st.sampled_from([None, "openai-chat", "anthropic-messages", "other", "soap"])
LIMITS = st.dictionaries(
    st.sampled_from([*_RATE_KEYS[:3], "rpm"]), st.integers(min_value=-1, max_value=3), max_size=3
)
PROVIDERS = st.sampled_from(["anthropic", "mine", "openai"])


def _pydantic_verdict(registry: ProviderRegistry, pid: str, kwargs: dict[str, Any]) -> bool:
    """Whether the pydantic data model and the rules accept the registration."""
    from llmaestro.seed.providers import _as_catalog_data, _merge

    try:
        provider = Provider(**kwargs)
    except ValueError:
        return False  # checked separately: the plain class refuses what the model refuses
    base: dict[str, Any] = {}
    if pid in registry._registry.provider_ids:
        base = record_json(registry._registry.provider(pid))
    try:
        data = _merge(base, _as_catalog_data(pid, provider, base))
        model = ProviderModel.model_validate(data, strict=False)
    except (CatalogValidationError, ValidationError):
        return False
    problems: list[str] = []

    def report(code: str, ptr: str, message: str, **kw: Any) -> None:
        if kw.get("severity", "error") == "error":
            problems.append(code)

    check_provider(model, report)
    return not problems


@pytest.fixture(scope="module")
def registry() -> ProviderRegistry:
    return ProviderRegistry()


@given(
    pid=PROVIDERS,
    api_base=URLS,
    rate_limits=LIMITS,
    name=st.one_of(st.none(), WORDS),
    api_style=STYLES,
    env=st.one_of(st.none(), st.lists(ENV, max_size=2)),
    header=st.one_of(st.none(), WORDS),
    scheme=st.one_of(st.none(), WORDS),
    tier=WORDS,
)
def test_registration_accepts_what_the_data_model_accepts(
    registry: ProviderRegistry,
    pid: str,
    api_base: str,
    rate_limits: dict[str, int],
    name: str | None,
    api_style: str | None,
    env: list[str] | None,
    header: str | None,
    scheme: str | None,
    tier: str,
) -> None:
    kwargs: dict[str, Any] = {
        "api_base": api_base,
        "rate_limits": rate_limits,
        "name": name,
        "api_style": api_style,
        "api_key_env": None if env is None else tuple(env),
        "auth_header": header,
        "auth_scheme": scheme,
        "rate_limit_tier": tier,
    }
    expected = _pydantic_verdict(registry, pid, kwargs)
    problem: Exception | None = None
    try:
        got = registry.register_provider(pid, Provider(**kwargs))
    except (CatalogValidationError, ValueError) as exc:
        problem = exc
    finally:
        registry._overlay.clear()
    if problem is None:
        assert expected, kwargs
        assert got.api is not None and got.api.base_url == api_base.rstrip("/")
    elif isinstance(problem, CatalogValidationError):
        assert not expected, problem
        assert all(isinstance(d, Diagnostic) for d in problem.diagnostics)
        assert all(d.pointer.startswith("/") for d in problem.diagnostics)
    else:
        assert not expected, problem
        assert str(problem).startswith("Provider.")


@given(
    api_base=st.one_of(URLS, st.integers(), st.none()),
    api_style=st.one_of(STYLES, st.integers()),
    env=st.one_of(st.none(), st.lists(st.one_of(ENV, st.integers()), max_size=2)),
    limit=st.one_of(st.integers(), st.booleans(), st.text(max_size=2)),
)
def test_construction_checks_what_the_fields_declare(
    api_base: Any, api_style: Any, env: Any, limit: Any
) -> None:
    from pydantic import TypeAdapter

    from llmaestro.llm.models import ApiStyle, EnvVarName, Url

    def ok(kind: Any, value: Any) -> bool:
        try:
            TypeAdapter(kind).validate_python(value, strict=True)
        except ValidationError:
            return False
        return True

    expected = (
        ok(Url, api_base)
        and ok(ApiStyle | None, api_style)
        and ok(tuple[EnvVarName, ...] | None, None if env is None else tuple(env))
        and ok(int, limit)
    )
    try:
        Provider(
            api_base=api_base,
            api_style=api_style,
            api_key_env=None if env is None else tuple(env),
            rate_limits={"requests_per_minute": limit},
        )
    except ValueError:
        accepted = False
    else:
        accepted = True
    assert accepted == expected


def test_a_provider_is_frozen_and_keyword_only() -> None:
    p = Provider(api_base="https://api.example.com")
    with pytest.raises(AttributeError):
        p.api_base = "https://other.example.com"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Provider("https://api.example.com")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Provider(api_base="https://api.example.com", api_url="x")  # type: ignore[call-arg]


def test_registration_works_on_the_core_install() -> None:
    out = run_python(
        "from llmaestro.llm.provider_registry import Provider, ProviderRegistry\n"
        "from llmaestro.errors import CatalogValidationError\n"
        "r = ProviderRegistry()\n"
        "got = r.register_provider('anthropic', Provider(api_base='https://api.anthropic.com',"
        " rate_limits={'requests_per_minute': 60}))\n"
        "print(got.api.base_url, got.rate_limits[-1].requests_per_minute, got.api.auth.env)\n"
        "try:\n"
        "    r.register_provider('mine', Provider(api_base='http://api.example.com/v1'))\n"
        "except CatalogValidationError as exc:\n"
        "    print(exc.diagnostics[0].code, exc.diagnostics[0].pointer)\n"
        "print(sorted({'pydantic', 'yaml'} & {m.split('.')[0] for m in sys.modules}))\n"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "https://api.anthropic.com 60 ('ANTHROPIC_API_KEY',)",
        "LM033 /api/base_url",
        "[]",
    ]
