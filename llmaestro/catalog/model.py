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
"""

from __future__ import annotations

import datetime as dt
import typing
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from llmaestro._optional import installed

if typing.TYPE_CHECKING or installed("pydantic"):
    from pydantic import (
        BaseModel,
        BeforeValidator,
        ConfigDict,
        Field,
        ValidationInfo,
        WithJsonSchema,
        field_validator,
    )
    from pydantic_core import PydanticCustomError
else:  # the core install: the vocabulary imports, the models raise on use (end of the module)
    from llmaestro._pydantic_absent import (
        BaseModel,
        BeforeValidator,
        ConfigDict,
        Field,
        PydanticCustomError,
        ValidationInfo,
        WithJsonSchema,
        field_validator,
    )

# --- scalar types ---------------------------------------------------------------------------


def _to_decimal(value: Any) -> Any:
    # YAML integers are prices too (``input: 3``); bools and floats are not.
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


Price = Annotated[
    Decimal,
    BeforeValidator(_to_decimal),
    Field(ge=0, allow_inf_nan=False),
    WithJsonSchema({"type": "number", "minimum": 0}),
]
"""USD, never negative; ``0`` is free."""

TokenCount = Annotated[int, Field(ge=1)]
NonNegativeInt = Annotated[int, Field(ge=0)]

Date = Annotated[dt.date, WithJsonSchema({"type": "string", "format": "date"})]

MonthOrDate = Annotated[
    dt.date | Annotated[str, Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")],
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"},
            ]
        }
    ),
]
"""A calendar date, or a month written ``YYYY-MM`` where only the month is known."""

Url = Annotated[str, Field(pattern=r"^https?://[^\s]+$", max_length=2048)]
EnvVarName = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$", max_length=128)]
Slug = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\s]+$")]
"""An id: no white space."""

ModelRef = Annotated[str, Field(pattern=r"^[^\s/]+/[^\s]+$", max_length=300)]
"""A canonical model reference ``<lab>/<model>``."""

Kind = Literal[
    "chat",
    "completion",
    "embedding",
    "image_generation",
    "speech",
    "transcription",
    "rerank",
    "moderation",
    "video",
]
Modality = Literal["text", "image", "audio", "video", "pdf"]
Status = Literal["preview", "active", "deprecated", "retired"]
ApiStyle = Literal[
    "openai-chat",
    "openai-responses",
    "openai-completions",
    "anthropic-messages",
    "gemini",
    "vertex",
    "bedrock-converse",
    "cohere",
    "ollama",
    "other",
]
ReasoningEffort = Literal["none", "minimal", "low", "medium", "high", "xhigh", "max"]

KINDS: tuple[str, ...] = typing.get_args(Kind)
MODALITIES: tuple[str, ...] = typing.get_args(Modality)
STATUSES: tuple[str, ...] = typing.get_args(Status)


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        use_attribute_docstrings=True,
        validate_default=False,
        revalidate_instances="never",
    )

    @field_validator("*", mode="before")
    @classmethod
    def _absent_not_null(cls, value: Any, info: ValidationInfo) -> Any:
        # An optional field is optional by being absent: `key: null` (or `key:` with no value)
        # is a second way to say "unknown", so it is refused. A required field's null is left
        # to its type check ("must be a string").
        if (
            value is None
            and info.field_name
            and not cls.model_fields[info.field_name].is_required()
        ):
            raise PydanticCustomError(
                "explicit_null", "an optional key is absent, never null: delete the key"
            )
        return value


# --- provenance ------------------------------------------------------------------------------


class Source(_Strict):
    """Where a fact came from."""

    source: Annotated[str, Field(min_length=1, max_length=100)]
    """Origin: `manual`, an importer (`models.dev`, `litellm`) or a detector (`detector:openai`)."""
    url: Url | None = None
    """A page or file that states the fact."""
    revision: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    """The source's revision: a commit, a package version or a release tag."""
    checked: Date | None = None
    """The day the fact was last checked against this source."""


# --- limits, modalities, capabilities --------------------------------------------------------


class Limits(_Strict):
    """Token limits. Absent means unknown."""

    context: TokenCount | None = None
    """Context window: prompt plus output tokens."""
    max_input: TokenCount | None = None
    """Most prompt tokens accepted, where the provider states it apart from the context."""
    max_output: TokenCount | None = None
    """Most tokens one response may generate."""


class Modalities(_Strict):
    """What a model takes in and gives out."""

    input: tuple[Modality, ...] | None = None
    """Input modalities."""
    output: tuple[Modality, ...] | None = None
    """Output modalities."""


class BudgetRange(_Strict):
    """The range of a reasoning token budget."""

    min: NonNegativeInt | None = None
    """Smallest budget accepted."""
    max: NonNegativeInt | None = None
    """Largest budget accepted."""


class Reasoning(_Strict):
    """Reasoning ("thinking") support and its controls."""

    supported: bool
    """The model reasons before answering."""
    effort_levels: tuple[ReasoningEffort, ...] | None = None
    """Values the effort control accepts, when it has one."""
    budget_tokens: BudgetRange | None = None
    """Range of the thinking-token budget, when it has one."""
    toggle: bool | None = None
    """Reasoning can be switched on and off per request."""
    summaries: bool | None = None
    """The API returns reasoning summaries or thinking text."""


class Capabilities(_Strict):
    """Typed capability facts. ``None`` (or absent) means unknown, never "no"."""

    tool_calling: bool | None = None
    """Function / tool calling."""
    parallel_tool_calls: bool | None = None
    """Several tool calls in one response."""
    tool_choice: bool | None = None
    """The caller can force or forbid tool use."""
    structured_output: bool | None = None
    """Output constrained to a JSON Schema."""
    json_mode: bool | None = None
    """Output constrained to valid JSON (no schema)."""
    streaming: bool | None = None
    """Responses can be streamed."""
    system_prompt: bool | None = None
    """A system / developer prompt is accepted."""
    temperature: bool | None = None
    """Sampling temperature can be set."""
    reasoning: Reasoning | None = None
    """Reasoning support and controls."""
    prompt_caching: bool | None = None
    """Prompt caching (explicit or automatic)."""
    batch: bool | None = None
    """Offered through the provider's batch API."""
    web_search: bool | None = None
    """Built-in web search tool."""
    code_execution: bool | None = None
    """Built-in code execution tool."""
    computer_use: bool | None = None
    """Computer-use tool."""
    fine_tuning: bool | None = None
    """Can be fine-tuned."""
    logprobs: bool | None = None
    """Returns token log probabilities."""
    citations: bool | None = None
    """Returns citations to provided documents."""


# --- pricing ---------------------------------------------------------------------------------


class PriceSet(_Strict):
    """One set of prices in USD. Token prices are per 1M tokens; absent means unknown."""

    input: Price | None = None
    """Prompt tokens."""
    output: Price | None = None
    """Generated tokens (including reasoning tokens unless `reasoning` is set)."""
    cache_read: Price | None = None
    """Prompt tokens read from the cache."""
    cache_write: Price | None = None
    """Prompt tokens written to the cache (5-minute lifetime where it matters)."""
    cache_write_1h: Price | None = None
    """Prompt tokens written to the 1-hour cache."""
    reasoning: Price | None = None
    """Reasoning tokens, where billed apart from output."""
    input_audio: Price | None = None
    """Audio prompt tokens."""
    output_audio: Price | None = None
    """Audio output tokens."""
    cache_read_audio: Price | None = None
    """Audio prompt tokens read from the cache."""
    input_image: Price | None = None
    """Image prompt tokens, where billed apart from text."""
    output_image: Price | None = None
    """Image output tokens."""
    per_image: Price | None = None
    """Per generated image."""
    per_input_image: Price | None = None
    """Per image in the prompt."""
    per_second: Price | None = None
    """Per second of audio or video (in or out, by kind)."""
    per_1k_characters: Price | None = None
    """Per 1,000 characters of input (speech)."""
    per_request: Price | None = None
    """Per request."""
    per_web_search: Price | None = None
    """Per web search call."""
    per_1k_web_searches: Price | None = None
    """Per 1,000 web search calls."""


class ContextTier(PriceSet):
    """Prices that replace the base prices for the whole request once the prompt has more than
    `above_tokens` tokens."""

    above_tokens: TokenCount
    """The tier applies when the prompt has more than this many tokens."""


class ServiceTierPrices(PriceSet):
    """Prices for one service tier."""

    tiers: tuple[ContextTier, ...] | None = None
    """Context tiers within this service tier."""


class ServiceTiers(_Strict):
    """Prices under the provider's service tiers."""

    batch: ServiceTierPrices | None = None
    """Batch API prices."""
    flex: ServiceTierPrices | None = None
    """Flex (slower, cheaper) prices."""
    priority: ServiceTierPrices | None = None
    """Priority prices."""


class HistoricPrice(PriceSet):
    """A price set and the day it took effect."""

    effective: Date
    """First day these prices applied."""
    until: Date | None = None
    """Last day these prices applied."""


class Pricing(PriceSet):
    """What an offering costs, in USD."""

    tiers: tuple[ContextTier, ...] | None = None
    """Context tiers: prices for long prompts."""
    service_tiers: ServiceTiers | None = None
    """Batch, flex and priority prices."""
    effective: Date | None = None
    """Day the current prices took effect."""
    history: tuple[HistoricPrice, ...] | None = None
    """Earlier price sets, newest first."""
    provenance: tuple[Source, ...] | None = None
    """Where these prices came from and when they were checked."""


# --- lifecycle -------------------------------------------------------------------------------


class Lifecycle(_Strict):
    """Release and retirement."""

    status: Status | None = None
    """preview, active, deprecated or retired."""
    release_date: Date | None = None
    """First public availability."""
    last_updated: Date | None = None
    """Last change to the model or its weights."""
    deprecation_date: Date | None = None
    """Day the provider announced deprecation or starts deprecating."""
    retirement_date: Date | None = None
    """Day the model stops answering."""
    replacement: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    """Recommended replacement: an offering id of the same provider, or `provider/model`."""


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


class RateLimitTier(_Strict):
    """Rate limits of one account tier for one group of models. Absent means unknown."""

    tier: Slug
    """Account tier name, e.g. `tier-1`, `free`, `build`."""
    models: tuple[Annotated[str, Field(min_length=1)], ...] | None = None
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
    rate_limits: tuple[RateLimitTier, ...] | None = None
    """Rate limits per tier and model group."""
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


# --- seed names ------------------------------------------------------------------------------


class MediaType(StrEnum):
    """Input and output modalities (the seed's `MediaType`)."""

    TEXT = "text"
    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"
    PDF = "pdf"


class ModelFamily(StrEnum):
    """Well-known model families (the seed's `ModelFamily`); the catalog's `family` is free text."""

    GPT = "gpt"
    CLAUDE = "claude"
    GEMINI = "gemini"
    LLAMA = "llama"
    MISTRAL = "mistral"
    DEEPSEEK = "deepseek"
    GROK = "grok"
    QWEN = "qwen"
    COMMAND = "command"
    OTHER = "other"


class LLMCapabilities(BaseModel):
    """The seed's flat capability view of an offering (computed, never authored).

    Each ``supports_*`` field is derived from the typed catalog fields; ``None`` is unknown.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    supports_streaming: bool | None = None
    supports_function_calling: bool | None = None
    supports_tools: bool | None = None
    supports_parallel_tool_calls: bool | None = None
    supports_vision: bool | None = None
    supports_audio: bool | None = None
    supports_pdf: bool | None = None
    supports_json_mode: bool | None = None
    supports_structured_output: bool | None = None
    supports_system_prompt: bool | None = None
    supports_temperature: bool | None = None
    supports_reasoning: bool | None = None
    supports_prompt_caching: bool | None = None
    supports_batch: bool | None = None
    supports_web_search: bool | None = None
    supports_embeddings: bool | None = None
    max_context_window: int | None = None
    max_output_tokens: int | None = None
    input_cost_per_1k_tokens: Decimal | None = None
    output_cost_per_1k_tokens: Decimal | None = None

    @classmethod
    def from_offering(cls, offering: OfferingFile) -> LLMCapabilities:
        caps = offering.capabilities or Capabilities()
        modal_in = offering.modalities.input if offering.modalities else None
        limits = offering.limits or Limits()
        pricing = offering.pricing

        def has(modality: str) -> bool | None:
            return None if modal_in is None else modality in modal_in

        def per_1k(price: Decimal | None) -> Decimal | None:
            return None if price is None else price / 1000

        reasoning = caps.reasoning.supported if caps.reasoning else None
        return cls(
            supports_streaming=caps.streaming,
            supports_function_calling=caps.tool_calling,
            supports_tools=caps.tool_calling,
            supports_parallel_tool_calls=caps.parallel_tool_calls,
            supports_vision=has("image"),
            supports_audio=has("audio"),
            supports_pdf=has("pdf"),
            supports_json_mode=caps.json_mode,
            supports_structured_output=caps.structured_output,
            supports_system_prompt=caps.system_prompt,
            supports_temperature=caps.temperature,
            supports_reasoning=reasoning,
            supports_prompt_caching=caps.prompt_caching,
            supports_batch=caps.batch,
            supports_web_search=caps.web_search,
            supports_embeddings=None if offering.kind is None else offering.kind == "embedding",
            max_context_window=limits.context,
            max_output_tokens=limits.max_output,
            input_cost_per_1k_tokens=per_1k(pricing.input if pricing else None),
            output_cost_per_1k_tokens=per_1k(pricing.output if pricing else None),
        )


class LLMProfile(BaseModel):
    """The seed's model profile: identity plus the capability view (computed)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    """`provider/model` id."""
    provider: str
    model: str
    display_name: str | None = None
    family: str | None = None
    kind: str | None = None
    capabilities: LLMCapabilities
    status: str | None = None
    release_date: dt.date | None = None
    deprecation_date: dt.date | None = None
    retirement_date: dt.date | None = None

    @classmethod
    def from_offering(cls, offering: Offering) -> LLMProfile:
        life = offering.lifecycle or Lifecycle()
        return cls(
            name=f"{offering.provider}/{offering.model}",
            provider=offering.provider,
            model=offering.model,
            display_name=offering.name,
            family=offering.family,
            kind=offering.kind,
            capabilities=LLMCapabilities.from_offering(offering),
            status=life.status,
            release_date=life.release_date,
            deprecation_date=life.deprecation_date,
            retirement_date=life.retirement_date,
        )


if not typing.TYPE_CHECKING and not installed("pydantic"):
    from llmaestro._pydantic_absent import hide_models

    __getattr__ = hide_models(globals(), "the catalog's pydantic data model")
