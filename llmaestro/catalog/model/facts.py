"""The facts a catalog file states: provenance, limits, modalities, capabilities, pricing and
lifecycle. Import these names from :mod:`llmaestro.catalog.model`."""

from __future__ import annotations

import typing
from typing import Annotated

from llmaestro._optional import installed
from llmaestro.catalog.model.scalars import (
    BillingKind,
    Date,
    Modality,
    NonNegativeInt,
    Price,
    ReasoningEffort,
    Status,
    TokenCount,
    Url,
    _Strict,
)

if typing.TYPE_CHECKING or installed("pydantic"):
    from pydantic import Field
else:  # the core install: the models raise on use (llmaestro.catalog.model)
    from llmaestro._pydantic_absent import Field


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


class ContextExtension(_Strict):
    """How a request asks for the extended context window."""

    header: Annotated[str, Field(pattern=r"^[A-Za-z0-9-]+$", max_length=100)] | None = None
    """HTTP header to send, e.g. `anthropic-beta`."""
    value: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    """Value of that header (or of `parameter`), e.g. `context-1m-2025-08-07`."""
    parameter: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    """Request body parameter (dotted path) to set instead of a header."""
    url: Url | None = None
    """A page that documents the option and who may use it."""


class Limits(_Strict):
    """Token limits. Absent means unknown."""

    context: TokenCount | None = None
    """Context window a request gets by default: prompt plus output tokens."""
    max_input: TokenCount | None = None
    """Most prompt tokens accepted, where the provider states it apart from the context."""
    max_output: TokenCount | None = None
    """Most tokens one response may generate."""
    extended_context: TokenCount | None = None
    """Larger context window the provider sells behind an option (`extended_context_via`)."""
    extended_context_via: ContextExtension | None = None
    """How a request enables `extended_context` (a beta header, a parameter)."""


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
    tiers: tuple[ContextTier, ...] | None = None
    """Context tiers of this period: prices for long prompts (as `Pricing.tiers`)."""


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


class Billing(_Strict):
    """How an offering is paid for. Only `per_token` prices rank against each other: `0` on a
    `per_token` offering is free, on the others it is no price to sort by."""

    kind: BillingKind
    """`per_token` (metered tokens), `subscription` (a coding or token plan), `free_tier` (free
    within limits), `self_hosted` (a local runtime, or billed per instance or hour)."""
    plan: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    """The plan's name (subscriptions)."""
    monthly_price: Price | None = None
    """The plan's price per month in USD, when known."""
    limits: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    """What the plan or free tier allows, in the provider's words, when known."""
    url: Url | None = None
    """The page that states the plan or tier."""


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
