"""The catalog's data model: providers, canonical models, offerings, pricing, limits, lifecycle.

Every class is a frozen, strict pydantic model that forbids unknown keys at every depth. Field
docstrings become the descriptions in the generated JSON Schemas (``make schemas``).

An unknown fact is an absent key (``None`` on the object); no field has a default that looks like
a fact. An explicit ``null`` in a file is rejected (error type ``explicit_null``): absence is the
one way to say "unknown", and the JSON Schemas type optional fields without ``null``. Prices are
:class:`~decimal.Decimal` USD (per 1M tokens for token prices) and ``0`` means free, while an
absent price means unknown.

The seed's names live here too: :class:`ModelFamily`, :class:`MediaType`,
:class:`LLMCapabilities` and :class:`LLMProfile` (views computed from an offering).

One module per noun, each name imported from here::

    scalars   annotated scalars (Price, TokenCount, Slug...), the vocabulary (Kind, KINDS...)
              and the strict base every catalog model derives from
    facts     Source, Limits, Modalities, Capabilities, Reasoning, PriceSet, Pricing, Lifecycle
    files     ProviderFile, CanonicalModelFile, OfferingFile and the resolved records
    seed      MediaType, ModelFamily, LLMCapabilities, LLMProfile

On the core install (no pydantic) the vocabulary and the enums import, and every model name
raises :class:`~llmaestro.errors.MissingDependencyError` naming the ``authoring`` extra.
"""

from __future__ import annotations

import typing

from llmaestro._optional import installed
from llmaestro.catalog.model import facts, files, scalars, seed
from llmaestro.catalog.model.facts import (
    Billing,
    BudgetRange,
    Capabilities,
    ContextExtension,
    ContextTier,
    HistoricPrice,
    Lifecycle,
    Limits,
    Modalities,
    PriceSet,
    Pricing,
    Reasoning,
    ServiceTierPrices,
    ServiceTiers,
    Source,
)
from llmaestro.catalog.model.files import (
    MAX_TIER_MODELS,
    MAX_TIERS,
    Api,
    Auth,
    CanonicalModel,
    CanonicalModelFile,
    LinkedBy,
    ModelFacts,
    Offering,
    OfferingFile,
    Provider,
    ProviderFeatures,
    ProviderFile,
    RateLimitTier,
    Variant,
)
from llmaestro.catalog.model.scalars import (
    BILLING_KINDS,
    KINDS,
    MAX_NUMBER,
    MODALITIES,
    STATUSES,
    ApiStyle,
    BillingKind,
    Date,
    EnvVarName,
    Kind,
    Modality,
    ModelRef,
    MonthOrDate,
    NonNegativeInt,
    Price,
    ReasoningEffort,
    Slug,
    Status,
    TokenCount,
    Url,
)
from llmaestro.catalog.model.seed import LLMCapabilities, LLMProfile, MediaType, ModelFamily

__all__ = [
    "BILLING_KINDS",
    "KINDS",
    "MAX_NUMBER",
    "MAX_TIERS",
    "MAX_TIER_MODELS",
    "MODALITIES",
    "STATUSES",
    "Api",
    "ApiStyle",
    "Auth",
    "Billing",
    "BillingKind",
    "BudgetRange",
    "CanonicalModel",
    "CanonicalModelFile",
    "Capabilities",
    "ContextExtension",
    "ContextTier",
    "Date",
    "EnvVarName",
    "HistoricPrice",
    "Kind",
    "LLMCapabilities",
    "LLMProfile",
    "Lifecycle",
    "Limits",
    "LinkedBy",
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
    "Variant",
]

if not typing.TYPE_CHECKING and not installed("pydantic"):
    # Every module has been built from the stand-ins; now remove them, here and in each
    # module, so that using one raises the error that names the extra.
    from llmaestro._pydantic_absent import hide_models

    for _module in (scalars, facts, files, seed):
        _module.__getattr__ = hide_models(vars(_module), "the catalog's pydantic data model")
    del _module
    __getattr__ = hide_models(globals(), "the catalog's pydantic data model")
