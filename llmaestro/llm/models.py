"""The seed's domain models: the catalog's data model (see :mod:`llmaestro.catalog.model`).

A facade: it re-exports, and holds no logic of its own. The data model needs pydantic (the
``authoring`` extra), so its names load on first use and ``import llmaestro.llm.models``
works on the lean core install.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from llmaestro.catalog.model import (
        KINDS,
        MODALITIES,
        STATUSES,
        Api,
        ApiStyle,
        Auth,
        BudgetRange,
        CanonicalModel,
        CanonicalModelFile,
        Capabilities,
        ContextTier,
        Date,
        EnvVarName,
        HistoricPrice,
        Kind,
        Lifecycle,
        Limits,
        LLMCapabilities,
        LLMProfile,
        MediaType,
        Modalities,
        Modality,
        ModelFacts,
        ModelFamily,
        ModelRef,
        MonthOrDate,
        NonNegativeInt,
        Offering,
        OfferingFile,
        Price,
        PriceSet,
        Pricing,
        Provider,
        ProviderFeatures,
        ProviderFile,
        RateLimitTier,
        Reasoning,
        ReasoningEffort,
        ServiceTierPrices,
        ServiceTiers,
        Slug,
        Source,
        Status,
        TokenCount,
        Url,
    )

__all__ = [
    "KINDS",
    "MODALITIES",
    "STATUSES",
    "Api",
    "ApiStyle",
    "Auth",
    "BudgetRange",
    "CanonicalModel",
    "CanonicalModelFile",
    "Capabilities",
    "ContextTier",
    "Date",
    "EnvVarName",
    "HistoricPrice",
    "Kind",
    "LLMCapabilities",
    "LLMProfile",
    "Lifecycle",
    "Limits",
    "MediaType",
    "Modalities",
    "Modality",
    "ModelFacts",
    "ModelFamily",
    "ModelRef",
    "MonthOrDate",
    "NonNegativeInt",
    "Offering",
    "OfferingFile",
    "Price",
    "PriceSet",
    "Pricing",
    "Provider",
    "ProviderFeatures",
    "ProviderFile",
    "RateLimitTier",
    "Reasoning",
    "ReasoningEffort",
    "ServiceTierPrices",
    "ServiceTiers",
    "Slug",
    "Source",
    "Status",
    "TokenCount",
    "Url",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from llmaestro.catalog import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
