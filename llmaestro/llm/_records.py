"""Runtime records of the catalog: frozen, slotted dataclasses.

GENERATED from llmaestro/llm/models.py by llmaestro/catalog/codegen.py; do not edit.
Run `make schemas` to regenerate (pre-commit fails when this file is stale).
"""

# ruff: noqa: E501
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _month_or_date(text: str) -> dt.date | str:
    return dt.date.fromisoformat(text) if len(text) == 10 else text


@dataclass(frozen=True, slots=True)
class Auth:
    """How requests authenticate. Names environment variables; never holds a key."""

    env: tuple[str, ...]
    """Environment variables that may hold the key, first found wins."""
    header: str | None = None
    """HTTP header that carries the key, e.g. `Authorization` or `x-api-key`."""
    scheme: str | None = None
    """Scheme before the key in the header, e.g. `Bearer`; absent for a bare key."""
    query_param: str | None = None
    """Query parameter that carries the key instead of a header."""

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Auth:
        g: Callable[[str], Any] = d.get
        return cls(
            env=tuple(d["env"]),
            header=g("header"),
            scheme=g("scheme"),
            query_param=g("query_param"),
        )


@dataclass(frozen=True, slots=True)
class Api:
    """Where and how to call the provider."""

    style: str
    """Wire format of the provider's primary API."""
    base_url: str | None = None
    """Base URL of the API; absent when it is per-deployment (see `base_url_env`)."""
    base_url_env: str | None = None
    """Environment variable holding the base URL for per-deployment endpoints."""
    auth: Auth | None = None
    """Authentication; absent for keyless local servers."""
    models_endpoint: str | None = None
    """Path of the model-listing endpoint, relative to the base URL."""

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Api:
        g: Callable[[str], Any] = d.get
        return cls(
            style=d["style"],
            base_url=g("base_url"),
            base_url_env=g("base_url_env"),
            auth=None if g("auth") is None else Auth._from(g("auth")),
            models_endpoint=g("models_endpoint"),
        )


@dataclass(frozen=True, slots=True)
class ProviderFeatures:
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

    @classmethod
    def _from(cls, d: dict[str, Any]) -> ProviderFeatures:
        g: Callable[[str], Any] = d.get
        return cls(
            batch_api=g("batch_api"),
            prompt_caching=g("prompt_caching"),
            files_api=g("files_api"),
            fine_tuning=g("fine_tuning"),
            count_tokens_endpoint=g("count_tokens_endpoint"),
            openai_compatible=g("openai_compatible"),
        )


@dataclass(frozen=True, slots=True)
class RateLimitTier:
    """Rate limits of one account tier for one group of models. Absent means unknown."""

    tier: str
    """Account tier name, e.g. `tier-1`, `free`, `build`."""
    models: tuple[str, ...] | None = None
    """Model ids, `fnmatch` patterns or `rate_limit_group` names; absent means every model."""
    requests_per_minute: int | None = None
    """RPM."""
    tokens_per_minute: int | None = None
    """TPM, input and output together."""
    input_tokens_per_minute: int | None = None
    """Input TPM, where metered apart."""
    output_tokens_per_minute: int | None = None
    """Output TPM, where metered apart."""
    requests_per_day: int | None = None
    """RPD."""
    tokens_per_day: int | None = None
    """TPD."""
    concurrent_requests: int | None = None
    """Requests in flight at once."""

    @classmethod
    def _from(cls, d: dict[str, Any]) -> RateLimitTier:
        g: Callable[[str], Any] = d.get
        return cls(
            tier=d["tier"],
            models=None if g("models") is None else tuple(g("models")),
            requests_per_minute=g("requests_per_minute"),
            tokens_per_minute=g("tokens_per_minute"),
            input_tokens_per_minute=g("input_tokens_per_minute"),
            output_tokens_per_minute=g("output_tokens_per_minute"),
            requests_per_day=g("requests_per_day"),
            tokens_per_day=g("tokens_per_day"),
            concurrent_requests=g("concurrent_requests"),
        )


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact came from."""

    source: str
    """The origin: `manual`, an importer (`models.dev`, `litellm`) or a detector (`detector:openai`)."""
    url: str | None = None
    """A page or file that states the fact."""
    revision: str | None = None
    """The source's revision: a commit, a package version or a release tag."""
    checked: dt.date | None = None
    """The day the fact was last checked against this source."""

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Source:
        g: Callable[[str], Any] = d.get
        return cls(
            source=d["source"],
            url=g("url"),
            revision=g("revision"),
            checked=None if g("checked") is None else _date(g("checked")),
        )


@dataclass(frozen=True, slots=True)
class Provider:
    """A resolved provider."""

    name: str
    """Display name."""
    provider: str
    """Provider id (from the path)."""
    id: str | None = None
    """Optional; when present it must equal the folder name."""
    api: Api | None = None
    """How to call it."""
    docs_url: str | None = None
    """Model documentation."""
    pricing_url: str | None = None
    """Price list."""
    status_url: str | None = None
    """Status page."""
    litellm_prefix: str | None = None
    """LiteLLM's provider name for this provider, when it differs from the id."""
    features: ProviderFeatures | None = None
    """Provider-wide features."""
    rate_limits: tuple[RateLimitTier, ...] | None = None
    """Rate limits per tier and model group."""
    provenance: tuple[Source, ...] | None = None
    """Where the facts of this file came from."""

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Provider:
        g: Callable[[str], Any] = d.get
        return cls(
            id=g("id"),
            name=d["name"],
            api=None if g("api") is None else Api._from(g("api")),
            docs_url=g("docs_url"),
            pricing_url=g("pricing_url"),
            status_url=g("status_url"),
            litellm_prefix=g("litellm_prefix"),
            features=None if g("features") is None else ProviderFeatures._from(g("features")),
            rate_limits=None if g("rate_limits") is None else tuple(RateLimitTier._from(x) for x in g("rate_limits")),
            provenance=None if g("provenance") is None else tuple(Source._from(x) for x in g("provenance")),
            provider=d["provider"],
        )


@dataclass(frozen=True, slots=True)
class Limits:
    """Token limits. Absent means unknown."""

    context: int | None = None
    """Context window: prompt plus output tokens."""
    max_input: int | None = None
    """Most prompt tokens accepted, where the provider states it apart from the context."""
    max_output: int | None = None
    """Most tokens one response may generate."""

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Limits:
        g: Callable[[str], Any] = d.get
        return cls(
            context=g("context"),
            max_input=g("max_input"),
            max_output=g("max_output"),
        )


@dataclass(frozen=True, slots=True)
class Modalities:
    """What a model takes in and gives out."""

    input: tuple[str, ...] | None = None
    """Input modalities."""
    output: tuple[str, ...] | None = None
    """Output modalities."""

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Modalities:
        g: Callable[[str], Any] = d.get
        return cls(
            input=None if g("input") is None else tuple(g("input")),
            output=None if g("output") is None else tuple(g("output")),
        )


@dataclass(frozen=True, slots=True)
class BudgetRange:
    """The range of a reasoning token budget."""

    min: int | None = None
    """Smallest budget accepted."""
    max: int | None = None
    """Largest budget accepted."""

    @classmethod
    def _from(cls, d: dict[str, Any]) -> BudgetRange:
        g: Callable[[str], Any] = d.get
        return cls(
            min=g("min"),
            max=g("max"),
        )


@dataclass(frozen=True, slots=True)
class Reasoning:
    """Reasoning ("thinking") support and its controls."""

    supported: bool
    """The model reasons before answering."""
    effort_levels: tuple[str, ...] | None = None
    """Values the effort control accepts, when it has one."""
    budget_tokens: BudgetRange | None = None
    """Range of the thinking-token budget, when it has one."""
    toggle: bool | None = None
    """Reasoning can be switched on and off per request."""
    summaries: bool | None = None
    """The API returns reasoning summaries or thinking text."""

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Reasoning:
        g: Callable[[str], Any] = d.get
        return cls(
            supported=d["supported"],
            effort_levels=None if g("effort_levels") is None else tuple(g("effort_levels")),
            budget_tokens=None if g("budget_tokens") is None else BudgetRange._from(g("budget_tokens")),
            toggle=g("toggle"),
            summaries=g("summaries"),
        )


@dataclass(frozen=True, slots=True)
class Capabilities:
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

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Capabilities:
        g: Callable[[str], Any] = d.get
        return cls(
            tool_calling=g("tool_calling"),
            parallel_tool_calls=g("parallel_tool_calls"),
            tool_choice=g("tool_choice"),
            structured_output=g("structured_output"),
            json_mode=g("json_mode"),
            streaming=g("streaming"),
            system_prompt=g("system_prompt"),
            temperature=g("temperature"),
            reasoning=None if g("reasoning") is None else Reasoning._from(g("reasoning")),
            prompt_caching=g("prompt_caching"),
            batch=g("batch"),
            web_search=g("web_search"),
            code_execution=g("code_execution"),
            computer_use=g("computer_use"),
            fine_tuning=g("fine_tuning"),
            logprobs=g("logprobs"),
            citations=g("citations"),
        )


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """Release and retirement."""

    status: str | None = None
    """preview, active, deprecated or retired."""
    release_date: dt.date | None = None
    """First public availability."""
    last_updated: dt.date | None = None
    """Last change to the model or its weights."""
    deprecation_date: dt.date | None = None
    """Day the provider announced deprecation or starts deprecating."""
    retirement_date: dt.date | None = None
    """Day the model stops answering."""
    replacement: str | None = None
    """Recommended replacement: an offering id of the same provider, or `provider/model`."""

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Lifecycle:
        g: Callable[[str], Any] = d.get
        return cls(
            status=g("status"),
            release_date=None if g("release_date") is None else _date(g("release_date")),
            last_updated=None if g("last_updated") is None else _date(g("last_updated")),
            deprecation_date=None if g("deprecation_date") is None else _date(g("deprecation_date")),
            retirement_date=None if g("retirement_date") is None else _date(g("retirement_date")),
            replacement=g("replacement"),
        )


@dataclass(frozen=True, slots=True)
class ContextTier:
    """Prices that replace the base prices for the whole request once the prompt has more than
    `above_tokens` tokens."""

    above_tokens: int
    """The tier applies when the prompt has more than this many tokens."""
    input: Decimal | None = None
    """Prompt tokens."""
    output: Decimal | None = None
    """Generated tokens (including reasoning tokens unless `reasoning` is set)."""
    cache_read: Decimal | None = None
    """Prompt tokens read from the cache."""
    cache_write: Decimal | None = None
    """Prompt tokens written to the cache (5-minute lifetime where it matters)."""
    cache_write_1h: Decimal | None = None
    """Prompt tokens written to the 1-hour cache."""
    reasoning: Decimal | None = None
    """Reasoning tokens, where billed apart from output."""
    input_audio: Decimal | None = None
    """Audio prompt tokens."""
    output_audio: Decimal | None = None
    """Audio output tokens."""
    cache_read_audio: Decimal | None = None
    """Audio prompt tokens read from the cache."""
    input_image: Decimal | None = None
    """Image prompt tokens, where billed apart from text."""
    output_image: Decimal | None = None
    """Image output tokens."""
    per_image: Decimal | None = None
    """Per generated image."""
    per_input_image: Decimal | None = None
    """Per image in the prompt."""
    per_second: Decimal | None = None
    """Per second of audio or video (in or out, by kind)."""
    per_1k_characters: Decimal | None = None
    """Per 1,000 characters of input (speech)."""
    per_request: Decimal | None = None
    """Per request."""
    per_web_search: Decimal | None = None
    """Per web search call."""
    per_1k_web_searches: Decimal | None = None
    """Per 1,000 web search calls."""

    @classmethod
    def _from(cls, d: dict[str, Any]) -> ContextTier:
        g: Callable[[str], Any] = d.get
        return cls(
            input=None if g("input") is None else Decimal(g("input")),
            output=None if g("output") is None else Decimal(g("output")),
            cache_read=None if g("cache_read") is None else Decimal(g("cache_read")),
            cache_write=None if g("cache_write") is None else Decimal(g("cache_write")),
            cache_write_1h=None if g("cache_write_1h") is None else Decimal(g("cache_write_1h")),
            reasoning=None if g("reasoning") is None else Decimal(g("reasoning")),
            input_audio=None if g("input_audio") is None else Decimal(g("input_audio")),
            output_audio=None if g("output_audio") is None else Decimal(g("output_audio")),
            cache_read_audio=None if g("cache_read_audio") is None else Decimal(g("cache_read_audio")),
            input_image=None if g("input_image") is None else Decimal(g("input_image")),
            output_image=None if g("output_image") is None else Decimal(g("output_image")),
            per_image=None if g("per_image") is None else Decimal(g("per_image")),
            per_input_image=None if g("per_input_image") is None else Decimal(g("per_input_image")),
            per_second=None if g("per_second") is None else Decimal(g("per_second")),
            per_1k_characters=None if g("per_1k_characters") is None else Decimal(g("per_1k_characters")),
            per_request=None if g("per_request") is None else Decimal(g("per_request")),
            per_web_search=None if g("per_web_search") is None else Decimal(g("per_web_search")),
            per_1k_web_searches=None if g("per_1k_web_searches") is None else Decimal(g("per_1k_web_searches")),
            above_tokens=d["above_tokens"],
        )


@dataclass(frozen=True, slots=True)
class ServiceTierPrices:
    """Prices for one service tier."""

    input: Decimal | None = None
    """Prompt tokens."""
    output: Decimal | None = None
    """Generated tokens (including reasoning tokens unless `reasoning` is set)."""
    cache_read: Decimal | None = None
    """Prompt tokens read from the cache."""
    cache_write: Decimal | None = None
    """Prompt tokens written to the cache (5-minute lifetime where it matters)."""
    cache_write_1h: Decimal | None = None
    """Prompt tokens written to the 1-hour cache."""
    reasoning: Decimal | None = None
    """Reasoning tokens, where billed apart from output."""
    input_audio: Decimal | None = None
    """Audio prompt tokens."""
    output_audio: Decimal | None = None
    """Audio output tokens."""
    cache_read_audio: Decimal | None = None
    """Audio prompt tokens read from the cache."""
    input_image: Decimal | None = None
    """Image prompt tokens, where billed apart from text."""
    output_image: Decimal | None = None
    """Image output tokens."""
    per_image: Decimal | None = None
    """Per generated image."""
    per_input_image: Decimal | None = None
    """Per image in the prompt."""
    per_second: Decimal | None = None
    """Per second of audio or video (in or out, by kind)."""
    per_1k_characters: Decimal | None = None
    """Per 1,000 characters of input (speech)."""
    per_request: Decimal | None = None
    """Per request."""
    per_web_search: Decimal | None = None
    """Per web search call."""
    per_1k_web_searches: Decimal | None = None
    """Per 1,000 web search calls."""
    tiers: tuple[ContextTier, ...] | None = None
    """Context tiers within this service tier."""

    @classmethod
    def _from(cls, d: dict[str, Any]) -> ServiceTierPrices:
        g: Callable[[str], Any] = d.get
        return cls(
            input=None if g("input") is None else Decimal(g("input")),
            output=None if g("output") is None else Decimal(g("output")),
            cache_read=None if g("cache_read") is None else Decimal(g("cache_read")),
            cache_write=None if g("cache_write") is None else Decimal(g("cache_write")),
            cache_write_1h=None if g("cache_write_1h") is None else Decimal(g("cache_write_1h")),
            reasoning=None if g("reasoning") is None else Decimal(g("reasoning")),
            input_audio=None if g("input_audio") is None else Decimal(g("input_audio")),
            output_audio=None if g("output_audio") is None else Decimal(g("output_audio")),
            cache_read_audio=None if g("cache_read_audio") is None else Decimal(g("cache_read_audio")),
            input_image=None if g("input_image") is None else Decimal(g("input_image")),
            output_image=None if g("output_image") is None else Decimal(g("output_image")),
            per_image=None if g("per_image") is None else Decimal(g("per_image")),
            per_input_image=None if g("per_input_image") is None else Decimal(g("per_input_image")),
            per_second=None if g("per_second") is None else Decimal(g("per_second")),
            per_1k_characters=None if g("per_1k_characters") is None else Decimal(g("per_1k_characters")),
            per_request=None if g("per_request") is None else Decimal(g("per_request")),
            per_web_search=None if g("per_web_search") is None else Decimal(g("per_web_search")),
            per_1k_web_searches=None if g("per_1k_web_searches") is None else Decimal(g("per_1k_web_searches")),
            tiers=None if g("tiers") is None else tuple(ContextTier._from(x) for x in g("tiers")),
        )


@dataclass(frozen=True, slots=True)
class ServiceTiers:
    """Prices under the provider's service tiers."""

    batch: ServiceTierPrices | None = None
    """Batch API prices."""
    flex: ServiceTierPrices | None = None
    """Flex (slower, cheaper) prices."""
    priority: ServiceTierPrices | None = None
    """Priority prices."""

    @classmethod
    def _from(cls, d: dict[str, Any]) -> ServiceTiers:
        g: Callable[[str], Any] = d.get
        return cls(
            batch=None if g("batch") is None else ServiceTierPrices._from(g("batch")),
            flex=None if g("flex") is None else ServiceTierPrices._from(g("flex")),
            priority=None if g("priority") is None else ServiceTierPrices._from(g("priority")),
        )


@dataclass(frozen=True, slots=True)
class HistoricPrice:
    """A price set and the day it took effect."""

    effective: dt.date
    """First day these prices applied."""
    input: Decimal | None = None
    """Prompt tokens."""
    output: Decimal | None = None
    """Generated tokens (including reasoning tokens unless `reasoning` is set)."""
    cache_read: Decimal | None = None
    """Prompt tokens read from the cache."""
    cache_write: Decimal | None = None
    """Prompt tokens written to the cache (5-minute lifetime where it matters)."""
    cache_write_1h: Decimal | None = None
    """Prompt tokens written to the 1-hour cache."""
    reasoning: Decimal | None = None
    """Reasoning tokens, where billed apart from output."""
    input_audio: Decimal | None = None
    """Audio prompt tokens."""
    output_audio: Decimal | None = None
    """Audio output tokens."""
    cache_read_audio: Decimal | None = None
    """Audio prompt tokens read from the cache."""
    input_image: Decimal | None = None
    """Image prompt tokens, where billed apart from text."""
    output_image: Decimal | None = None
    """Image output tokens."""
    per_image: Decimal | None = None
    """Per generated image."""
    per_input_image: Decimal | None = None
    """Per image in the prompt."""
    per_second: Decimal | None = None
    """Per second of audio or video (in or out, by kind)."""
    per_1k_characters: Decimal | None = None
    """Per 1,000 characters of input (speech)."""
    per_request: Decimal | None = None
    """Per request."""
    per_web_search: Decimal | None = None
    """Per web search call."""
    per_1k_web_searches: Decimal | None = None
    """Per 1,000 web search calls."""
    until: dt.date | None = None
    """Last day these prices applied."""

    @classmethod
    def _from(cls, d: dict[str, Any]) -> HistoricPrice:
        g: Callable[[str], Any] = d.get
        return cls(
            input=None if g("input") is None else Decimal(g("input")),
            output=None if g("output") is None else Decimal(g("output")),
            cache_read=None if g("cache_read") is None else Decimal(g("cache_read")),
            cache_write=None if g("cache_write") is None else Decimal(g("cache_write")),
            cache_write_1h=None if g("cache_write_1h") is None else Decimal(g("cache_write_1h")),
            reasoning=None if g("reasoning") is None else Decimal(g("reasoning")),
            input_audio=None if g("input_audio") is None else Decimal(g("input_audio")),
            output_audio=None if g("output_audio") is None else Decimal(g("output_audio")),
            cache_read_audio=None if g("cache_read_audio") is None else Decimal(g("cache_read_audio")),
            input_image=None if g("input_image") is None else Decimal(g("input_image")),
            output_image=None if g("output_image") is None else Decimal(g("output_image")),
            per_image=None if g("per_image") is None else Decimal(g("per_image")),
            per_input_image=None if g("per_input_image") is None else Decimal(g("per_input_image")),
            per_second=None if g("per_second") is None else Decimal(g("per_second")),
            per_1k_characters=None if g("per_1k_characters") is None else Decimal(g("per_1k_characters")),
            per_request=None if g("per_request") is None else Decimal(g("per_request")),
            per_web_search=None if g("per_web_search") is None else Decimal(g("per_web_search")),
            per_1k_web_searches=None if g("per_1k_web_searches") is None else Decimal(g("per_1k_web_searches")),
            effective=_date(d["effective"]),
            until=None if g("until") is None else _date(g("until")),
        )


@dataclass(frozen=True, slots=True)
class Pricing:
    """What an offering costs, in USD."""

    input: Decimal | None = None
    """Prompt tokens."""
    output: Decimal | None = None
    """Generated tokens (including reasoning tokens unless `reasoning` is set)."""
    cache_read: Decimal | None = None
    """Prompt tokens read from the cache."""
    cache_write: Decimal | None = None
    """Prompt tokens written to the cache (5-minute lifetime where it matters)."""
    cache_write_1h: Decimal | None = None
    """Prompt tokens written to the 1-hour cache."""
    reasoning: Decimal | None = None
    """Reasoning tokens, where billed apart from output."""
    input_audio: Decimal | None = None
    """Audio prompt tokens."""
    output_audio: Decimal | None = None
    """Audio output tokens."""
    cache_read_audio: Decimal | None = None
    """Audio prompt tokens read from the cache."""
    input_image: Decimal | None = None
    """Image prompt tokens, where billed apart from text."""
    output_image: Decimal | None = None
    """Image output tokens."""
    per_image: Decimal | None = None
    """Per generated image."""
    per_input_image: Decimal | None = None
    """Per image in the prompt."""
    per_second: Decimal | None = None
    """Per second of audio or video (in or out, by kind)."""
    per_1k_characters: Decimal | None = None
    """Per 1,000 characters of input (speech)."""
    per_request: Decimal | None = None
    """Per request."""
    per_web_search: Decimal | None = None
    """Per web search call."""
    per_1k_web_searches: Decimal | None = None
    """Per 1,000 web search calls."""
    tiers: tuple[ContextTier, ...] | None = None
    """Context tiers: prices for long prompts."""
    service_tiers: ServiceTiers | None = None
    """Batch, flex and priority prices."""
    effective: dt.date | None = None
    """Day the current prices took effect."""
    history: tuple[HistoricPrice, ...] | None = None
    """Earlier price sets, newest first."""
    provenance: tuple[Source, ...] | None = None
    """Where these prices came from and when they were checked."""

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Pricing:
        g: Callable[[str], Any] = d.get
        return cls(
            input=None if g("input") is None else Decimal(g("input")),
            output=None if g("output") is None else Decimal(g("output")),
            cache_read=None if g("cache_read") is None else Decimal(g("cache_read")),
            cache_write=None if g("cache_write") is None else Decimal(g("cache_write")),
            cache_write_1h=None if g("cache_write_1h") is None else Decimal(g("cache_write_1h")),
            reasoning=None if g("reasoning") is None else Decimal(g("reasoning")),
            input_audio=None if g("input_audio") is None else Decimal(g("input_audio")),
            output_audio=None if g("output_audio") is None else Decimal(g("output_audio")),
            cache_read_audio=None if g("cache_read_audio") is None else Decimal(g("cache_read_audio")),
            input_image=None if g("input_image") is None else Decimal(g("input_image")),
            output_image=None if g("output_image") is None else Decimal(g("output_image")),
            per_image=None if g("per_image") is None else Decimal(g("per_image")),
            per_input_image=None if g("per_input_image") is None else Decimal(g("per_input_image")),
            per_second=None if g("per_second") is None else Decimal(g("per_second")),
            per_1k_characters=None if g("per_1k_characters") is None else Decimal(g("per_1k_characters")),
            per_request=None if g("per_request") is None else Decimal(g("per_request")),
            per_web_search=None if g("per_web_search") is None else Decimal(g("per_web_search")),
            per_1k_web_searches=None if g("per_1k_web_searches") is None else Decimal(g("per_1k_web_searches")),
            tiers=None if g("tiers") is None else tuple(ContextTier._from(x) for x in g("tiers")),
            service_tiers=None if g("service_tiers") is None else ServiceTiers._from(g("service_tiers")),
            effective=None if g("effective") is None else _date(g("effective")),
            history=None if g("history") is None else tuple(HistoricPrice._from(x) for x in g("history")),
            provenance=None if g("provenance") is None else tuple(Source._from(x) for x in g("provenance")),
        )


@dataclass(frozen=True, slots=True)
class CanonicalModel:
    """A resolved canonical model."""

    lab: str
    """Lab id (from the path)."""
    model: str
    """Model id (from the path)."""
    id: str | None = None
    """Optional; when present it must equal the id given by the file's path."""
    name: str | None = None
    """Display name."""
    description: str | None = None
    """One or two sentences."""
    family: str | None = None
    """Model family, e.g. `gpt`, `claude-sonnet`, `gemini-flash`."""
    kind: str | None = None
    """What the model does."""
    open_weights: bool | None = None
    """Weights are published."""
    license: str | None = None
    """Licence of the weights (SPDX id where one exists)."""
    knowledge_cutoff: dt.date | str | None = None
    """Training data cutoff."""
    limits: Limits | None = None
    """Token limits."""
    modalities: Modalities | None = None
    """Input and output modalities."""
    capabilities: Capabilities | None = None
    """Capability facts."""
    lifecycle: Lifecycle | None = None
    """Release, deprecation and retirement."""
    tokenizer: str | None = None
    """Tokenizer: a tiktoken encoding (`o200k_base`, `cl100k_base`) or a family name."""
    provenance: tuple[Source, ...] | None = None
    """Where the facts of this file came from."""
    pricing: Pricing | None = None
    """The lab's own list price, inherited by offerings that do not set theirs."""

    @classmethod
    def _from(cls, d: dict[str, Any]) -> CanonicalModel:
        g: Callable[[str], Any] = d.get
        return cls(
            id=g("id"),
            name=g("name"),
            description=g("description"),
            family=g("family"),
            kind=g("kind"),
            open_weights=g("open_weights"),
            license=g("license"),
            knowledge_cutoff=None if g("knowledge_cutoff") is None else _month_or_date(g("knowledge_cutoff")),
            limits=None if g("limits") is None else Limits._from(g("limits")),
            modalities=None if g("modalities") is None else Modalities._from(g("modalities")),
            capabilities=None if g("capabilities") is None else Capabilities._from(g("capabilities")),
            lifecycle=None if g("lifecycle") is None else Lifecycle._from(g("lifecycle")),
            tokenizer=g("tokenizer"),
            provenance=None if g("provenance") is None else tuple(Source._from(x) for x in g("provenance")),
            pricing=None if g("pricing") is None else Pricing._from(g("pricing")),
            lab=d["lab"],
            model=d["model"],
        )


@dataclass(frozen=True, slots=True)
class Offering:
    """A resolved offering: the file merged over its canonical model."""

    provider: str
    """Provider id (from the path)."""
    model: str
    """Model id at that provider (from the path)."""
    id: str | None = None
    """Optional; when present it must equal the id given by the file's path."""
    name: str | None = None
    """Display name."""
    description: str | None = None
    """One or two sentences."""
    family: str | None = None
    """Model family, e.g. `gpt`, `claude-sonnet`, `gemini-flash`."""
    kind: str | None = None
    """What the model does."""
    open_weights: bool | None = None
    """Weights are published."""
    license: str | None = None
    """Licence of the weights (SPDX id where one exists)."""
    knowledge_cutoff: dt.date | str | None = None
    """Training data cutoff."""
    limits: Limits | None = None
    """Token limits."""
    modalities: Modalities | None = None
    """Input and output modalities."""
    capabilities: Capabilities | None = None
    """Capability facts."""
    lifecycle: Lifecycle | None = None
    """Release, deprecation and retirement."""
    tokenizer: str | None = None
    """Tokenizer: a tiktoken encoding (`o200k_base`, `cl100k_base`) or a family name."""
    provenance: tuple[Source, ...] | None = None
    """Where the facts of this file came from."""
    base: str | None = None
    """Canonical model (`<lab>/<model>`) whose facts this offering inherits (deep merge)."""
    base_omit: tuple[str, ...] | None = None
    """Dotted paths of inherited facts to drop, e.g. `pricing.cache_read`."""
    aliases: tuple[str, ...] | None = None
    """Other ids the provider accepts for this offering."""
    pricing: Pricing | None = None
    """What this offering costs."""
    rate_limit_group: str | None = None
    """Name of the provider's rate-limit model group this offering belongs to."""

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Offering:
        g: Callable[[str], Any] = d.get
        return cls(
            id=g("id"),
            name=g("name"),
            description=g("description"),
            family=g("family"),
            kind=g("kind"),
            open_weights=g("open_weights"),
            license=g("license"),
            knowledge_cutoff=None if g("knowledge_cutoff") is None else _month_or_date(g("knowledge_cutoff")),
            limits=None if g("limits") is None else Limits._from(g("limits")),
            modalities=None if g("modalities") is None else Modalities._from(g("modalities")),
            capabilities=None if g("capabilities") is None else Capabilities._from(g("capabilities")),
            lifecycle=None if g("lifecycle") is None else Lifecycle._from(g("lifecycle")),
            tokenizer=g("tokenizer"),
            provenance=None if g("provenance") is None else tuple(Source._from(x) for x in g("provenance")),
            base=g("base"),
            base_omit=None if g("base_omit") is None else tuple(g("base_omit")),
            aliases=None if g("aliases") is None else tuple(g("aliases")),
            pricing=None if g("pricing") is None else Pricing._from(g("pricing")),
            rate_limit_group=g("rate_limit_group"),
            provider=d["provider"],
            model=d["model"],
        )


__all__ = [
    "Api",
    "Auth",
    "BudgetRange",
    "CanonicalModel",
    "Capabilities",
    "ContextTier",
    "HistoricPrice",
    "Lifecycle",
    "Limits",
    "Modalities",
    "Offering",
    "Pricing",
    "Provider",
    "ProviderFeatures",
    "RateLimitTier",
    "Reasoning",
    "ServiceTierPrices",
    "ServiceTiers",
    "Source",
]
