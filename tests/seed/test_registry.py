"""The seed README's registry examples, run as written."""

from __future__ import annotations

import pytest

from llmaestro.errors import CatalogValidationError


def test_finding_models_by_capability_as_documented() -> None:
    from llmaestro.seed.registry import LLMRegistry

    registry = LLMRegistry()
    vision_models = registry.get_models_by_capability(
        capability="supports_vision", min_context_window=16000, max_cost_per_1k=0.01
    )
    assert vision_models
    for model in vision_models:
        assert model.pricing is not None and model.pricing.input is not None
        assert model.pricing.input <= 10  # $0.01 per 1K tokens = $10 per 1M
        assert model.modalities is not None and "image" in (model.modalities.input or ())


def test_configuring_a_provider_as_documented() -> None:
    from llmaestro.seed.providers import Provider, ProviderRegistry

    provider_registry = ProviderRegistry()
    provider_registry.register_provider(
        "anthropic",
        Provider(
            api_base="https://api.anthropic.com",
            rate_limits={"requests_per_minute": 60},
        ),
    )
    got = provider_registry.get_provider("anthropic")
    assert got.api is not None and got.api.base_url == "https://api.anthropic.com"
    assert got.rate_limits is not None and got.rate_limits[-1].requests_per_minute == 60
    # the catalog's facts are kept under the overlay
    assert got.api.auth is not None and got.api.auth.env == ("ANTHROPIC_API_KEY",)


def test_registration_is_validated_like_yaml() -> None:
    from llmaestro.seed.providers import Provider, ProviderRegistry

    registry = ProviderRegistry()
    with pytest.raises(CatalogValidationError, match="LM033 /api/base_url"):
        registry.register_provider("mine", Provider(api_base="http://api.example.com/v1"))
    with pytest.raises(CatalogValidationError, match="unknown rate limit `rpm`"):
        registry.register_provider(
            "mine", Provider(api_base="https://api.example.com", rate_limits={"rpm": 1})
        )


def test_unknown_capability_names_are_rejected() -> None:
    from llmaestro.seed.registry import LLMRegistry

    with pytest.raises(ValueError, match="unknown capability"):
        LLMRegistry().get_models_by_capability("supports_telepathy")
