"""The catalog's files and their resolved records: a provider (:class:`ProviderFile`), a canonical
model (:class:`CanonicalModelFile`) and an offering (:class:`OfferingFile`), and the
:class:`Provider`, :class:`CanonicalModel` and :class:`Offering` that carry the ids given by
their paths. Import these names from :mod:`llmaestro.catalog.model`."""

from __future__ import annotations

import typing
from typing import Annotated

from llmaestro._optional import installed
from llmaestro.catalog.model.facts import (
    Billing,
    Capabilities,
    Lifecycle,
    Limits,
    Modalities,
    Pricing,
    Source,
)
from llmaestro.catalog.model.scalars import (
    ApiStyle,
    EnvVarName,
    Kind,
    ModelRef,
    MonthOrDate,
    Slug,
    TokenCount,
    Url,
    _Strict,
)

if typing.TYPE_CHECKING or installed("pydantic"):
    from pydantic import Field
else:  # the core install: the models raise on use (llmaestro.catalog.model)
    from llmaestro._pydantic_absent import Field


LinkedBy = Annotated[str, Field(pattern=r"^(source|id|manual|rule:[a-z0-9-]+)$", max_length=64)]
Variant = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=40)]
"""An offering variant: `thinking`, `free`, `fp8`...."""


# --- files -----------------------------------------------------------------------------------


class ModelFacts(_Strict):
    """Facts shared by canonical models and offerings."""

    id: Slug | None = None
    """Optional; when present it must equal the id given by the file's path."""
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    """Display name."""
    description: Annotated[str, Field(max_length=2000)] | None = None
    """One or two sentences."""
    family: Slug | None = None
    """Model family, e.g. `gpt`, `claude-sonnet`, `gemini-flash`."""
    kind: Kind | None = None
    """What the model does."""
    open_weights: bool | None = None
    """Weights are published."""
    license: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    """Licence of the weights (SPDX id where one exists)."""
    knowledge_cutoff: MonthOrDate | None = None
    """Training data cutoff."""
    limits: Limits | None = None
    """Token limits."""
    modalities: Modalities | None = None
    """Input and output modalities."""
    capabilities: Capabilities | None = None
    """Capability facts."""
    lifecycle: Lifecycle | None = None
    """Release, deprecation and retirement."""
    tokenizer: Annotated[str, Field(pattern=r"^[a-z0-9_.-]+$", max_length=64)] | None = None
    """Tokenizer: a tiktoken encoding (`o200k_base`, `cl100k_base`) or a family name."""
    provenance: tuple[Source, ...] | None = None
    """Where the facts of this file came from."""


class CanonicalModelFile(ModelFacts):
    """A model as its lab made it: `catalog/models/<lab>/<model>.yaml`."""

    pricing: Pricing | None = None
    """The lab's own list price, inherited by offerings that do not set theirs."""
    snapshot_of: ModelRef | None = None
    """The model (`<lab>/<model>`) this is a dated snapshot of, where the snapshot differs
    from it in price or behaviour; the model's offerings include the snapshot's."""


class OfferingFile(ModelFacts):
    """A model as a provider sells it: `catalog/providers/<provider>/models/<model>.yaml`."""

    base: ModelRef | None = None
    """Canonical model (`<lab>/<model>`) whose facts this offering inherits (deep merge)."""
    base_omit: tuple[Annotated[str, Field(pattern=r"^[a-z_0-9]+(\.[a-z_0-9]+)*$")], ...] | None = (
        None
    )
    """Dotted paths of inherited facts to drop, e.g. `pricing.cache_read`."""
    aliases: tuple[Slug, ...] | None = None
    """Other ids the provider accepts for this offering."""
    pricing: Pricing | None = None
    """What this offering costs."""
    rate_limit_group: Slug | None = None
    """Name of the provider's rate-limit model group this offering belongs to."""
    linked_by: LinkedBy | None = None
    """How `base` was found: `source` (a source names it, e.g. models.dev `base_model`), `id`
    (the id is the canonical model's), `rule:<name>` (a normalisation rule of
    `llmaestro.catalog.identity`) or `manual` (a hand-checked entry in `data/manual/`)."""
    variants: tuple[Variant, ...] | None = None
    """Which variant of its base model this offering is, when it is one: `thinking`, `free`,
    `batch`, a quantisation (`fp8`, `fp4`, `int8`, `int4`, `bf16`), `fast`, `turbo`..."""
    billing: Billing | None = None
    """How this offering is billed; absent: as its provider's `billing` says."""


class Auth(_Strict):
    """How requests authenticate. Names environment variables; never holds a key."""

    env: tuple[EnvVarName, ...]
    """Environment variables that may hold the key, first found wins."""
    header: Annotated[str, Field(pattern=r"^[A-Za-z0-9-]+$")] | None = None
    """HTTP header that carries the key, e.g. `Authorization` or `x-api-key`."""
    scheme: Annotated[str, Field(pattern=r"^[A-Za-z]+$")] | None = None
    """Scheme before the key in the header, e.g. `Bearer`; absent for a bare key."""
    query_param: Annotated[str, Field(pattern=r"^[A-Za-z0-9_]+$")] | None = None
    """Query parameter that carries the key instead of a header."""


class Api(_Strict):
    """Where and how to call the provider."""

    style: ApiStyle
    """Wire format of the provider's primary API."""
    base_url: Url | None = None
    """Base URL of the API; absent when it is per-deployment (see `base_url_env`)."""
    base_url_env: EnvVarName | None = None
    """Environment variable holding the base URL for per-deployment endpoints."""
    auth: Auth | None = None
    """Authentication; absent for keyless local servers."""
    models_endpoint: Annotated[str, Field(pattern=r"^/[^\s]*$")] | None = None
    """Path of the model-listing endpoint, relative to the base URL."""


#: Bounds of a provider's rate limits: every pattern is matched against every offering of the
#: provider, so their product bounds the time one file can cost (the catalog's largest
#: provider has 46 tiers of at most 2 models each).
MAX_TIERS = 250
MAX_TIER_MODELS = 20


class RateLimitTier(_Strict):
    """Rate limits of one account tier for one group of models. Absent means unknown."""

    tier: Slug
    """Account tier name, e.g. `tier-1`, `free`, `build`."""
    models: (
        Annotated[
            tuple[Annotated[str, Field(min_length=1, max_length=300)], ...],
            Field(max_length=MAX_TIER_MODELS),
        ]
        | None
    ) = None
    """Model ids, `fnmatch` patterns or `rate_limit_group` names; absent means every model."""
    requests_per_minute: TokenCount | None = None
    """RPM."""
    tokens_per_minute: TokenCount | None = None
    """TPM, input and output together."""
    input_tokens_per_minute: TokenCount | None = None
    """Input TPM, where metered apart."""
    output_tokens_per_minute: TokenCount | None = None
    """Output TPM, where metered apart."""
    requests_per_day: TokenCount | None = None
    """RPD."""
    tokens_per_day: TokenCount | None = None
    """TPD."""
    concurrent_requests: TokenCount | None = None
    """Requests in flight at once."""


class ProviderFeatures(_Strict):
    """Provider-wide features."""

    batch_api: bool | None = None
    """A batch API at reduced prices."""
    prompt_caching: bool | None = None
    """Prompt caching."""
    files_api: bool | None = None
    """Upload files once, reference them in requests."""
    fine_tuning: bool | None = None
    """Fine-tuning API."""
    count_tokens_endpoint: bool | None = None
    """An endpoint that counts prompt tokens exactly."""
    openai_compatible: bool | None = None
    """Also serves an OpenAI-compatible chat completions API."""


class ProviderFile(_Strict):
    """A provider: `catalog/providers/<provider>/provider.yaml`."""

    id: Slug | None = None
    """Optional; when present it must equal the folder name."""
    name: Annotated[str, Field(min_length=1, max_length=200)]
    """Display name."""
    api: Api | None = None
    """How to call it."""
    docs_url: Url | None = None
    """Model documentation."""
    pricing_url: Url | None = None
    """Price list."""
    status_url: Url | None = None
    """Status page."""
    litellm_prefix: Slug | None = None
    """LiteLLM's provider name for this provider, when it differs from the id."""
    features: ProviderFeatures | None = None
    """Provider-wide features."""
    rate_limits: Annotated[tuple[RateLimitTier, ...], Field(max_length=MAX_TIERS)] | None = None
    """Rate limits per tier and model group."""
    billing: Billing | None = None
    """How the provider's offerings are billed unless one says otherwise; absent: `per_token`."""
    provenance: tuple[Source, ...] | None = None
    """Where the facts of this file came from."""


class Offering(OfferingFile):
    """A resolved offering: the file merged over its canonical model."""

    provider: Slug
    """Provider id (from the path)."""
    model: Slug
    """Model id at that provider (from the path)."""


class CanonicalModel(CanonicalModelFile):
    """A resolved canonical model."""

    lab: Slug
    """Lab id (from the path)."""
    model: Slug
    """Model id (from the path)."""


class Provider(ProviderFile):
    """A resolved provider."""

    provider: Slug
    """Provider id (from the path)."""
