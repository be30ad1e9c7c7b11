"""Runtime records of the catalog: frozen, slotted value objects.

GENERATED from llmaestro/catalog/model.py by llmaestro/catalog/codegen.py; do not edit.
Run `make schemas` to regenerate (pre-commit fails when this file is stale).

Plain classes rather than dataclasses: creating 19 dataclasses costs ~15 ms at import, which
`import llmaestro` cannot afford. Each record is immutable (assignment raises
FrozenRecordError, an AttributeError), compares and hashes by value, and lists its fields in
`_fields`.
"""

# ruff: noqa: E501
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from llmaestro.errors import FrozenRecordError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

_set = object.__setattr__


class _Record:
    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenRecordError(f"{type(self).__name__} is immutable; cannot set `{name}`")

    def __delattr__(self, name: str) -> None:
        raise FrozenRecordError(f"{type(self).__name__} is immutable; cannot delete `{name}`")

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, f) for f in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, self._values()))

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f}={v!r}" for f in self._fields if (v := getattr(self, f)) is not None
        )
        return f"{type(self).__name__}({shown})"

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (self.__class__, self._values())


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _month_or_date(text: str) -> dt.date | str:
    return dt.date.fromisoformat(text) if len(text) == 10 else text


class Auth(_Record):
    """How requests authenticate. Names environment variables; never holds a key."""

    __slots__ = {
        "env": "Environment variables that may hold the key, first found wins.",
        "header": "HTTP header that carries the key, e.g. `Authorization` or `x-api-key`.",
        "scheme": "Scheme before the key in the header, e.g. `Bearer`; absent for a bare key.",
        "query_param": "Query parameter that carries the key instead of a header.",
    }
    _fields = ('env', 'header', 'scheme', 'query_param')

    env: tuple[str, ...]
    header: str | None
    scheme: str | None
    query_param: str | None

    def __init__(self, env: tuple[str, ...], header: str | None = None, scheme: str | None = None, query_param: str | None = None) -> None:
        _set(self, "env", env)
        _set(self, "header", header)
        _set(self, "scheme", scheme)
        _set(self, "query_param", query_param)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Auth:
        g: Callable[[str], Any] = d.get
        return cls(
            tuple(d["env"]),
            g("header"),
            g("scheme"),
            g("query_param"),
        )


class Api(_Record):
    """Where and how to call the provider."""

    __slots__ = {
        "style": "Wire format of the provider's primary API.",
        "base_url": "Base URL of the API; absent when it is per-deployment (see `base_url_env`).",
        "base_url_env": "Environment variable holding the base URL for per-deployment endpoints.",
        "auth": "Authentication; absent for keyless local servers.",
        "models_endpoint": "Path of the model-listing endpoint, relative to the base URL.",
    }
    _fields = ('style', 'base_url', 'base_url_env', 'auth', 'models_endpoint')

    style: str
    base_url: str | None
    base_url_env: str | None
    auth: Auth | None
    models_endpoint: str | None

    def __init__(self, style: str, base_url: str | None = None, base_url_env: str | None = None, auth: Auth | None = None, models_endpoint: str | None = None) -> None:
        _set(self, "style", style)
        _set(self, "base_url", base_url)
        _set(self, "base_url_env", base_url_env)
        _set(self, "auth", auth)
        _set(self, "models_endpoint", models_endpoint)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Api:
        g: Callable[[str], Any] = d.get
        return cls(
            d["style"],
            g("base_url"),
            g("base_url_env"),
            None if g("auth") is None else Auth._from(g("auth")),
            g("models_endpoint"),
        )


class ProviderFeatures(_Record):
    """Provider-wide features."""

    __slots__ = {
        "batch_api": "A batch API at reduced prices.",
        "prompt_caching": "Prompt caching.",
        "files_api": "Upload files once, reference them in requests.",
        "fine_tuning": "Fine-tuning API.",
        "count_tokens_endpoint": "An endpoint that counts prompt tokens exactly.",
        "openai_compatible": "Also serves an OpenAI-compatible chat completions API.",
    }
    _fields = ('batch_api', 'prompt_caching', 'files_api', 'fine_tuning', 'count_tokens_endpoint', 'openai_compatible')

    batch_api: bool | None
    prompt_caching: bool | None
    files_api: bool | None
    fine_tuning: bool | None
    count_tokens_endpoint: bool | None
    openai_compatible: bool | None

    def __init__(self, batch_api: bool | None = None, prompt_caching: bool | None = None, files_api: bool | None = None, fine_tuning: bool | None = None, count_tokens_endpoint: bool | None = None, openai_compatible: bool | None = None) -> None:
        _set(self, "batch_api", batch_api)
        _set(self, "prompt_caching", prompt_caching)
        _set(self, "files_api", files_api)
        _set(self, "fine_tuning", fine_tuning)
        _set(self, "count_tokens_endpoint", count_tokens_endpoint)
        _set(self, "openai_compatible", openai_compatible)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> ProviderFeatures:
        g: Callable[[str], Any] = d.get
        return cls(
            g("batch_api"),
            g("prompt_caching"),
            g("files_api"),
            g("fine_tuning"),
            g("count_tokens_endpoint"),
            g("openai_compatible"),
        )


class RateLimitTier(_Record):
    """Rate limits of one account tier for one group of models. Absent means unknown."""

    __slots__ = {
        "tier": "Account tier name, e.g. `tier-1`, `free`, `build`.",
        "models": "Model ids, `fnmatch` patterns or `rate_limit_group` names; absent means every model.",
        "requests_per_minute": "RPM.",
        "tokens_per_minute": "TPM, input and output together.",
        "input_tokens_per_minute": "Input TPM, where metered apart.",
        "output_tokens_per_minute": "Output TPM, where metered apart.",
        "requests_per_day": "RPD.",
        "tokens_per_day": "TPD.",
        "concurrent_requests": "Requests in flight at once.",
    }
    _fields = ('tier', 'models', 'requests_per_minute', 'tokens_per_minute', 'input_tokens_per_minute', 'output_tokens_per_minute', 'requests_per_day', 'tokens_per_day', 'concurrent_requests')

    tier: str
    models: tuple[str, ...] | None
    requests_per_minute: int | None
    tokens_per_minute: int | None
    input_tokens_per_minute: int | None
    output_tokens_per_minute: int | None
    requests_per_day: int | None
    tokens_per_day: int | None
    concurrent_requests: int | None

    def __init__(self, tier: str, models: tuple[str, ...] | None = None, requests_per_minute: int | None = None, tokens_per_minute: int | None = None, input_tokens_per_minute: int | None = None, output_tokens_per_minute: int | None = None, requests_per_day: int | None = None, tokens_per_day: int | None = None, concurrent_requests: int | None = None) -> None:
        _set(self, "tier", tier)
        _set(self, "models", models)
        _set(self, "requests_per_minute", requests_per_minute)
        _set(self, "tokens_per_minute", tokens_per_minute)
        _set(self, "input_tokens_per_minute", input_tokens_per_minute)
        _set(self, "output_tokens_per_minute", output_tokens_per_minute)
        _set(self, "requests_per_day", requests_per_day)
        _set(self, "tokens_per_day", tokens_per_day)
        _set(self, "concurrent_requests", concurrent_requests)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> RateLimitTier:
        g: Callable[[str], Any] = d.get
        return cls(
            d["tier"],
            None if g("models") is None else tuple(g("models")),
            g("requests_per_minute"),
            g("tokens_per_minute"),
            g("input_tokens_per_minute"),
            g("output_tokens_per_minute"),
            g("requests_per_day"),
            g("tokens_per_day"),
            g("concurrent_requests"),
        )


class Billing(_Record):
    """How an offering is paid for. Only `per_token` prices rank against each other: `0` on a
    `per_token` offering is free, on the others it is no price to sort by."""

    __slots__ = {
        "kind": "`per_token` (metered tokens), `subscription` (a coding or token plan), `free_tier` (free within limits), `self_hosted` (a local runtime, or billed per instance or hour).",
        "plan": "The plan's name (subscriptions).",
        "monthly_price": "The plan's price per month in USD, when known.",
        "limits": "What the plan or free tier allows, in the provider's words, when known.",
        "url": "The page that states the plan or tier.",
    }
    _fields = ('kind', 'plan', 'monthly_price', 'limits', 'url')

    kind: str
    plan: str | None
    monthly_price: Decimal | None
    limits: str | None
    url: str | None

    def __init__(self, kind: str, plan: str | None = None, monthly_price: Decimal | None = None, limits: str | None = None, url: str | None = None) -> None:
        _set(self, "kind", kind)
        _set(self, "plan", plan)
        _set(self, "monthly_price", monthly_price)
        _set(self, "limits", limits)
        _set(self, "url", url)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Billing:
        g: Callable[[str], Any] = d.get
        return cls(
            d["kind"],
            g("plan"),
            None if g("monthly_price") is None else Decimal(g("monthly_price")),
            g("limits"),
            g("url"),
        )


class Source(_Record):
    """Where a fact came from."""

    __slots__ = {
        "source": "Origin: `manual`, an importer (`models.dev`, `litellm`) or a detector (`detector:openai`).",
        "url": "A page or file that states the fact.",
        "revision": "The source's revision: a commit, a package version or a release tag.",
        "checked": "The day the fact was last checked against this source.",
    }
    _fields = ('source', 'url', 'revision', 'checked')

    source: str
    url: str | None
    revision: str | None
    checked: dt.date | None

    def __init__(self, source: str, url: str | None = None, revision: str | None = None, checked: dt.date | None = None) -> None:
        _set(self, "source", source)
        _set(self, "url", url)
        _set(self, "revision", revision)
        _set(self, "checked", checked)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Source:
        g: Callable[[str], Any] = d.get
        return cls(
            d["source"],
            g("url"),
            g("revision"),
            None if g("checked") is None else _date(g("checked")),
        )


class Provider(_Record):
    """A resolved provider."""

    __slots__ = {
        "name": "Display name.",
        "provider": "Provider id (from the path).",
        "id": "The provider's id (the folder name), e.g. `openai`.",
        "api": "How to call it.",
        "docs_url": "Model documentation.",
        "pricing_url": "Price list.",
        "status_url": "Status page.",
        "litellm_prefix": "LiteLLM's provider name for this provider, when it differs from the id.",
        "features": "Provider-wide features.",
        "rate_limits": "Rate limits per tier and model group.",
        "billing": "How the provider's offerings are billed unless one says otherwise; absent: `per_token`.",
        "provenance": "Where the facts of this file came from.",
    }
    _fields = ('name', 'provider', 'id', 'api', 'docs_url', 'pricing_url', 'status_url', 'litellm_prefix', 'features', 'rate_limits', 'billing', 'provenance')

    name: str
    provider: str
    id: str
    api: Api | None
    docs_url: str | None
    pricing_url: str | None
    status_url: str | None
    litellm_prefix: str | None
    features: ProviderFeatures | None
    rate_limits: tuple[RateLimitTier, ...] | None
    billing: Billing | None
    provenance: tuple[Source, ...] | None

    def __init__(self, name: str, provider: str, id: str | None = None, api: Api | None = None, docs_url: str | None = None, pricing_url: str | None = None, status_url: str | None = None, litellm_prefix: str | None = None, features: ProviderFeatures | None = None, rate_limits: tuple[RateLimitTier, ...] | None = None, billing: Billing | None = None, provenance: tuple[Source, ...] | None = None) -> None:
        _set(self, "name", name)
        _set(self, "provider", provider)
        _set(self, "id", provider if id is None else id)
        _set(self, "api", api)
        _set(self, "docs_url", docs_url)
        _set(self, "pricing_url", pricing_url)
        _set(self, "status_url", status_url)
        _set(self, "litellm_prefix", litellm_prefix)
        _set(self, "features", features)
        _set(self, "rate_limits", rate_limits)
        _set(self, "billing", billing)
        _set(self, "provenance", provenance)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Provider:
        g: Callable[[str], Any] = d.get
        return cls(
            d["name"],
            d["provider"],
            g("id"),
            None if g("api") is None else Api._from(g("api")),
            g("docs_url"),
            g("pricing_url"),
            g("status_url"),
            g("litellm_prefix"),
            None if g("features") is None else ProviderFeatures._from(g("features")),
            None if g("rate_limits") is None else tuple(RateLimitTier._from(x) for x in g("rate_limits")),
            None if g("billing") is None else Billing._from(g("billing")),
            None if g("provenance") is None else tuple(Source._from(x) for x in g("provenance")),
        )


class ContextExtension(_Record):
    """How a request asks for the extended context window."""

    __slots__ = {
        "header": "HTTP header to send, e.g. `anthropic-beta`.",
        "value": "Value of that header (or of `parameter`), e.g. `context-1m-2025-08-07`.",
        "parameter": "Request body parameter (dotted path) to set instead of a header.",
        "url": "A page that documents the option and who may use it.",
    }
    _fields = ('header', 'value', 'parameter', 'url')

    header: str | None
    value: str | None
    parameter: str | None
    url: str | None

    def __init__(self, header: str | None = None, value: str | None = None, parameter: str | None = None, url: str | None = None) -> None:
        _set(self, "header", header)
        _set(self, "value", value)
        _set(self, "parameter", parameter)
        _set(self, "url", url)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> ContextExtension:
        g: Callable[[str], Any] = d.get
        return cls(
            g("header"),
            g("value"),
            g("parameter"),
            g("url"),
        )


class Limits(_Record):
    """Token limits. Absent means unknown."""

    __slots__ = {
        "context": "Context window a request gets by default: prompt plus output tokens.",
        "max_input": "Most prompt tokens accepted, where the provider states it apart from the context.",
        "max_output": "Most tokens one response may generate.",
        "extended_context": "Larger context window the provider sells behind an option (`extended_context_via`).",
        "extended_context_via": "How a request enables `extended_context` (a beta header, a parameter).",
    }
    _fields = ('context', 'max_input', 'max_output', 'extended_context', 'extended_context_via')

    context: int | None
    max_input: int | None
    max_output: int | None
    extended_context: int | None
    extended_context_via: ContextExtension | None

    def __init__(self, context: int | None = None, max_input: int | None = None, max_output: int | None = None, extended_context: int | None = None, extended_context_via: ContextExtension | None = None) -> None:
        _set(self, "context", context)
        _set(self, "max_input", max_input)
        _set(self, "max_output", max_output)
        _set(self, "extended_context", extended_context)
        _set(self, "extended_context_via", extended_context_via)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Limits:
        g: Callable[[str], Any] = d.get
        return cls(
            g("context"),
            g("max_input"),
            g("max_output"),
            g("extended_context"),
            None if g("extended_context_via") is None else ContextExtension._from(g("extended_context_via")),
        )


class Modalities(_Record):
    """What a model takes in and gives out."""

    __slots__ = {
        "input": "Input modalities.",
        "output": "Output modalities.",
    }
    _fields = ('input', 'output')

    input: tuple[str, ...] | None
    output: tuple[str, ...] | None

    def __init__(self, input: tuple[str, ...] | None = None, output: tuple[str, ...] | None = None) -> None:
        _set(self, "input", input)
        _set(self, "output", output)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Modalities:
        g: Callable[[str], Any] = d.get
        return cls(
            None if g("input") is None else tuple(g("input")),
            None if g("output") is None else tuple(g("output")),
        )


class BudgetRange(_Record):
    """The range of a reasoning token budget."""

    __slots__ = {
        "min": "Smallest budget accepted.",
        "max": "Largest budget accepted.",
    }
    _fields = ('min', 'max')

    min: int | None
    max: int | None

    def __init__(self, min: int | None = None, max: int | None = None) -> None:
        _set(self, "min", min)
        _set(self, "max", max)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> BudgetRange:
        g: Callable[[str], Any] = d.get
        return cls(
            g("min"),
            g("max"),
        )


class Reasoning(_Record):
    """Reasoning ("thinking") support and its controls."""

    __slots__ = {
        "supported": "The model reasons before answering.",
        "effort_levels": "Values the effort control accepts, when it has one.",
        "budget_tokens": "Range of the thinking-token budget, when it has one.",
        "toggle": "Reasoning can be switched on and off per request.",
        "summaries": "The API returns reasoning summaries or thinking text.",
    }
    _fields = ('supported', 'effort_levels', 'budget_tokens', 'toggle', 'summaries')

    supported: bool
    effort_levels: tuple[str, ...] | None
    budget_tokens: BudgetRange | None
    toggle: bool | None
    summaries: bool | None

    def __init__(self, supported: bool, effort_levels: tuple[str, ...] | None = None, budget_tokens: BudgetRange | None = None, toggle: bool | None = None, summaries: bool | None = None) -> None:
        _set(self, "supported", supported)
        _set(self, "effort_levels", effort_levels)
        _set(self, "budget_tokens", budget_tokens)
        _set(self, "toggle", toggle)
        _set(self, "summaries", summaries)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Reasoning:
        g: Callable[[str], Any] = d.get
        return cls(
            d["supported"],
            None if g("effort_levels") is None else tuple(g("effort_levels")),
            None if g("budget_tokens") is None else BudgetRange._from(g("budget_tokens")),
            g("toggle"),
            g("summaries"),
        )


class Capabilities(_Record):
    """Typed capability facts. ``None`` (or absent) means unknown, never "no"."""

    __slots__ = {
        "tool_calling": "Function / tool calling.",
        "parallel_tool_calls": "Several tool calls in one response.",
        "tool_choice": "The caller can force or forbid tool use.",
        "structured_output": "Output constrained to a JSON Schema.",
        "json_mode": "Output constrained to valid JSON (no schema).",
        "streaming": "Responses can be streamed.",
        "system_prompt": "A system / developer prompt is accepted.",
        "temperature": "Sampling temperature can be set.",
        "reasoning": "Reasoning support and controls.",
        "prompt_caching": "Prompt caching (explicit or automatic).",
        "batch": "Offered through the provider's batch API.",
        "web_search": "Built-in web search tool.",
        "code_execution": "Built-in code execution tool.",
        "computer_use": "Computer-use tool.",
        "fine_tuning": "Can be fine-tuned.",
        "logprobs": "Returns token log probabilities.",
        "citations": "Returns citations to provided documents.",
    }
    _fields = ('tool_calling', 'parallel_tool_calls', 'tool_choice', 'structured_output', 'json_mode', 'streaming', 'system_prompt', 'temperature', 'reasoning', 'prompt_caching', 'batch', 'web_search', 'code_execution', 'computer_use', 'fine_tuning', 'logprobs', 'citations')

    tool_calling: bool | None
    parallel_tool_calls: bool | None
    tool_choice: bool | None
    structured_output: bool | None
    json_mode: bool | None
    streaming: bool | None
    system_prompt: bool | None
    temperature: bool | None
    reasoning: Reasoning | None
    prompt_caching: bool | None
    batch: bool | None
    web_search: bool | None
    code_execution: bool | None
    computer_use: bool | None
    fine_tuning: bool | None
    logprobs: bool | None
    citations: bool | None

    def __init__(self, tool_calling: bool | None = None, parallel_tool_calls: bool | None = None, tool_choice: bool | None = None, structured_output: bool | None = None, json_mode: bool | None = None, streaming: bool | None = None, system_prompt: bool | None = None, temperature: bool | None = None, reasoning: Reasoning | None = None, prompt_caching: bool | None = None, batch: bool | None = None, web_search: bool | None = None, code_execution: bool | None = None, computer_use: bool | None = None, fine_tuning: bool | None = None, logprobs: bool | None = None, citations: bool | None = None) -> None:
        _set(self, "tool_calling", tool_calling)
        _set(self, "parallel_tool_calls", parallel_tool_calls)
        _set(self, "tool_choice", tool_choice)
        _set(self, "structured_output", structured_output)
        _set(self, "json_mode", json_mode)
        _set(self, "streaming", streaming)
        _set(self, "system_prompt", system_prompt)
        _set(self, "temperature", temperature)
        _set(self, "reasoning", reasoning)
        _set(self, "prompt_caching", prompt_caching)
        _set(self, "batch", batch)
        _set(self, "web_search", web_search)
        _set(self, "code_execution", code_execution)
        _set(self, "computer_use", computer_use)
        _set(self, "fine_tuning", fine_tuning)
        _set(self, "logprobs", logprobs)
        _set(self, "citations", citations)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Capabilities:
        g: Callable[[str], Any] = d.get
        return cls(
            g("tool_calling"),
            g("parallel_tool_calls"),
            g("tool_choice"),
            g("structured_output"),
            g("json_mode"),
            g("streaming"),
            g("system_prompt"),
            g("temperature"),
            None if g("reasoning") is None else Reasoning._from(g("reasoning")),
            g("prompt_caching"),
            g("batch"),
            g("web_search"),
            g("code_execution"),
            g("computer_use"),
            g("fine_tuning"),
            g("logprobs"),
            g("citations"),
        )


class Lifecycle(_Record):
    """Release and retirement."""

    __slots__ = {
        "status": "preview, active, deprecated or retired.",
        "release_date": "First public availability.",
        "last_updated": "Last change to the model or its weights.",
        "deprecation_date": "Day the provider announced deprecation or starts deprecating.",
        "retirement_date": "Day the model stops answering.",
        "replacement": "Recommended replacement: an offering id of the same provider, or `provider/model`.",
    }
    _fields = ('status', 'release_date', 'last_updated', 'deprecation_date', 'retirement_date', 'replacement')

    status: str | None
    release_date: dt.date | None
    last_updated: dt.date | None
    deprecation_date: dt.date | None
    retirement_date: dt.date | None
    replacement: str | None

    def __init__(self, status: str | None = None, release_date: dt.date | None = None, last_updated: dt.date | None = None, deprecation_date: dt.date | None = None, retirement_date: dt.date | None = None, replacement: str | None = None) -> None:
        _set(self, "status", status)
        _set(self, "release_date", release_date)
        _set(self, "last_updated", last_updated)
        _set(self, "deprecation_date", deprecation_date)
        _set(self, "retirement_date", retirement_date)
        _set(self, "replacement", replacement)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Lifecycle:
        g: Callable[[str], Any] = d.get
        return cls(
            g("status"),
            None if g("release_date") is None else _date(g("release_date")),
            None if g("last_updated") is None else _date(g("last_updated")),
            None if g("deprecation_date") is None else _date(g("deprecation_date")),
            None if g("retirement_date") is None else _date(g("retirement_date")),
            g("replacement"),
        )


class ContextTier(_Record):
    """Prices that replace the base prices for the whole request once the prompt has more than
    `above_tokens` tokens."""

    __slots__ = {
        "above_tokens": "The tier applies when the prompt has more than this many tokens.",
        "input": "Prompt tokens.",
        "output": "Generated tokens (including reasoning tokens unless `reasoning` is set).",
        "cache_read": "Prompt tokens read from the cache.",
        "cache_write": "Prompt tokens written to the cache (5-minute lifetime where it matters).",
        "cache_write_1h": "Prompt tokens written to the 1-hour cache.",
        "reasoning": "Reasoning tokens, where billed apart from output.",
        "input_audio": "Audio prompt tokens.",
        "output_audio": "Audio output tokens.",
        "cache_read_audio": "Audio prompt tokens read from the cache.",
        "input_image": "Image prompt tokens, where billed apart from text.",
        "output_image": "Image output tokens.",
        "per_image": "Per generated image.",
        "per_input_image": "Per image in the prompt.",
        "per_second": "Per second of audio or video (in or out, by kind).",
        "per_1k_characters": "Per 1,000 characters of input (speech).",
        "per_request": "Per request.",
        "per_web_search": "Per web search call.",
        "per_1k_web_searches": "Per 1,000 web search calls.",
    }
    _fields = ('above_tokens', 'input', 'output', 'cache_read', 'cache_write', 'cache_write_1h', 'reasoning', 'input_audio', 'output_audio', 'cache_read_audio', 'input_image', 'output_image', 'per_image', 'per_input_image', 'per_second', 'per_1k_characters', 'per_request', 'per_web_search', 'per_1k_web_searches')

    above_tokens: int
    input: Decimal | None
    output: Decimal | None
    cache_read: Decimal | None
    cache_write: Decimal | None
    cache_write_1h: Decimal | None
    reasoning: Decimal | None
    input_audio: Decimal | None
    output_audio: Decimal | None
    cache_read_audio: Decimal | None
    input_image: Decimal | None
    output_image: Decimal | None
    per_image: Decimal | None
    per_input_image: Decimal | None
    per_second: Decimal | None
    per_1k_characters: Decimal | None
    per_request: Decimal | None
    per_web_search: Decimal | None
    per_1k_web_searches: Decimal | None

    def __init__(self, above_tokens: int, input: Decimal | None = None, output: Decimal | None = None, cache_read: Decimal | None = None, cache_write: Decimal | None = None, cache_write_1h: Decimal | None = None, reasoning: Decimal | None = None, input_audio: Decimal | None = None, output_audio: Decimal | None = None, cache_read_audio: Decimal | None = None, input_image: Decimal | None = None, output_image: Decimal | None = None, per_image: Decimal | None = None, per_input_image: Decimal | None = None, per_second: Decimal | None = None, per_1k_characters: Decimal | None = None, per_request: Decimal | None = None, per_web_search: Decimal | None = None, per_1k_web_searches: Decimal | None = None) -> None:
        _set(self, "above_tokens", above_tokens)
        _set(self, "input", input)
        _set(self, "output", output)
        _set(self, "cache_read", cache_read)
        _set(self, "cache_write", cache_write)
        _set(self, "cache_write_1h", cache_write_1h)
        _set(self, "reasoning", reasoning)
        _set(self, "input_audio", input_audio)
        _set(self, "output_audio", output_audio)
        _set(self, "cache_read_audio", cache_read_audio)
        _set(self, "input_image", input_image)
        _set(self, "output_image", output_image)
        _set(self, "per_image", per_image)
        _set(self, "per_input_image", per_input_image)
        _set(self, "per_second", per_second)
        _set(self, "per_1k_characters", per_1k_characters)
        _set(self, "per_request", per_request)
        _set(self, "per_web_search", per_web_search)
        _set(self, "per_1k_web_searches", per_1k_web_searches)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> ContextTier:
        g: Callable[[str], Any] = d.get
        return cls(
            d["above_tokens"],
            None if g("input") is None else Decimal(g("input")),
            None if g("output") is None else Decimal(g("output")),
            None if g("cache_read") is None else Decimal(g("cache_read")),
            None if g("cache_write") is None else Decimal(g("cache_write")),
            None if g("cache_write_1h") is None else Decimal(g("cache_write_1h")),
            None if g("reasoning") is None else Decimal(g("reasoning")),
            None if g("input_audio") is None else Decimal(g("input_audio")),
            None if g("output_audio") is None else Decimal(g("output_audio")),
            None if g("cache_read_audio") is None else Decimal(g("cache_read_audio")),
            None if g("input_image") is None else Decimal(g("input_image")),
            None if g("output_image") is None else Decimal(g("output_image")),
            None if g("per_image") is None else Decimal(g("per_image")),
            None if g("per_input_image") is None else Decimal(g("per_input_image")),
            None if g("per_second") is None else Decimal(g("per_second")),
            None if g("per_1k_characters") is None else Decimal(g("per_1k_characters")),
            None if g("per_request") is None else Decimal(g("per_request")),
            None if g("per_web_search") is None else Decimal(g("per_web_search")),
            None if g("per_1k_web_searches") is None else Decimal(g("per_1k_web_searches")),
        )


class ServiceTierPrices(_Record):
    """Prices for one service tier."""

    __slots__ = {
        "input": "Prompt tokens.",
        "output": "Generated tokens (including reasoning tokens unless `reasoning` is set).",
        "cache_read": "Prompt tokens read from the cache.",
        "cache_write": "Prompt tokens written to the cache (5-minute lifetime where it matters).",
        "cache_write_1h": "Prompt tokens written to the 1-hour cache.",
        "reasoning": "Reasoning tokens, where billed apart from output.",
        "input_audio": "Audio prompt tokens.",
        "output_audio": "Audio output tokens.",
        "cache_read_audio": "Audio prompt tokens read from the cache.",
        "input_image": "Image prompt tokens, where billed apart from text.",
        "output_image": "Image output tokens.",
        "per_image": "Per generated image.",
        "per_input_image": "Per image in the prompt.",
        "per_second": "Per second of audio or video (in or out, by kind).",
        "per_1k_characters": "Per 1,000 characters of input (speech).",
        "per_request": "Per request.",
        "per_web_search": "Per web search call.",
        "per_1k_web_searches": "Per 1,000 web search calls.",
        "tiers": "Context tiers within this service tier.",
    }
    _fields = ('input', 'output', 'cache_read', 'cache_write', 'cache_write_1h', 'reasoning', 'input_audio', 'output_audio', 'cache_read_audio', 'input_image', 'output_image', 'per_image', 'per_input_image', 'per_second', 'per_1k_characters', 'per_request', 'per_web_search', 'per_1k_web_searches', 'tiers')

    input: Decimal | None
    output: Decimal | None
    cache_read: Decimal | None
    cache_write: Decimal | None
    cache_write_1h: Decimal | None
    reasoning: Decimal | None
    input_audio: Decimal | None
    output_audio: Decimal | None
    cache_read_audio: Decimal | None
    input_image: Decimal | None
    output_image: Decimal | None
    per_image: Decimal | None
    per_input_image: Decimal | None
    per_second: Decimal | None
    per_1k_characters: Decimal | None
    per_request: Decimal | None
    per_web_search: Decimal | None
    per_1k_web_searches: Decimal | None
    tiers: tuple[ContextTier, ...] | None

    def __init__(self, input: Decimal | None = None, output: Decimal | None = None, cache_read: Decimal | None = None, cache_write: Decimal | None = None, cache_write_1h: Decimal | None = None, reasoning: Decimal | None = None, input_audio: Decimal | None = None, output_audio: Decimal | None = None, cache_read_audio: Decimal | None = None, input_image: Decimal | None = None, output_image: Decimal | None = None, per_image: Decimal | None = None, per_input_image: Decimal | None = None, per_second: Decimal | None = None, per_1k_characters: Decimal | None = None, per_request: Decimal | None = None, per_web_search: Decimal | None = None, per_1k_web_searches: Decimal | None = None, tiers: tuple[ContextTier, ...] | None = None) -> None:
        _set(self, "input", input)
        _set(self, "output", output)
        _set(self, "cache_read", cache_read)
        _set(self, "cache_write", cache_write)
        _set(self, "cache_write_1h", cache_write_1h)
        _set(self, "reasoning", reasoning)
        _set(self, "input_audio", input_audio)
        _set(self, "output_audio", output_audio)
        _set(self, "cache_read_audio", cache_read_audio)
        _set(self, "input_image", input_image)
        _set(self, "output_image", output_image)
        _set(self, "per_image", per_image)
        _set(self, "per_input_image", per_input_image)
        _set(self, "per_second", per_second)
        _set(self, "per_1k_characters", per_1k_characters)
        _set(self, "per_request", per_request)
        _set(self, "per_web_search", per_web_search)
        _set(self, "per_1k_web_searches", per_1k_web_searches)
        _set(self, "tiers", tiers)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> ServiceTierPrices:
        g: Callable[[str], Any] = d.get
        return cls(
            None if g("input") is None else Decimal(g("input")),
            None if g("output") is None else Decimal(g("output")),
            None if g("cache_read") is None else Decimal(g("cache_read")),
            None if g("cache_write") is None else Decimal(g("cache_write")),
            None if g("cache_write_1h") is None else Decimal(g("cache_write_1h")),
            None if g("reasoning") is None else Decimal(g("reasoning")),
            None if g("input_audio") is None else Decimal(g("input_audio")),
            None if g("output_audio") is None else Decimal(g("output_audio")),
            None if g("cache_read_audio") is None else Decimal(g("cache_read_audio")),
            None if g("input_image") is None else Decimal(g("input_image")),
            None if g("output_image") is None else Decimal(g("output_image")),
            None if g("per_image") is None else Decimal(g("per_image")),
            None if g("per_input_image") is None else Decimal(g("per_input_image")),
            None if g("per_second") is None else Decimal(g("per_second")),
            None if g("per_1k_characters") is None else Decimal(g("per_1k_characters")),
            None if g("per_request") is None else Decimal(g("per_request")),
            None if g("per_web_search") is None else Decimal(g("per_web_search")),
            None if g("per_1k_web_searches") is None else Decimal(g("per_1k_web_searches")),
            None if g("tiers") is None else tuple(ContextTier._from(x) for x in g("tiers")),
        )


class ServiceTiers(_Record):
    """Prices under the provider's service tiers."""

    __slots__ = {
        "batch": "Batch API prices.",
        "flex": "Flex (slower, cheaper) prices.",
        "priority": "Priority prices.",
    }
    _fields = ('batch', 'flex', 'priority')

    batch: ServiceTierPrices | None
    flex: ServiceTierPrices | None
    priority: ServiceTierPrices | None

    def __init__(self, batch: ServiceTierPrices | None = None, flex: ServiceTierPrices | None = None, priority: ServiceTierPrices | None = None) -> None:
        _set(self, "batch", batch)
        _set(self, "flex", flex)
        _set(self, "priority", priority)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> ServiceTiers:
        g: Callable[[str], Any] = d.get
        return cls(
            None if g("batch") is None else ServiceTierPrices._from(g("batch")),
            None if g("flex") is None else ServiceTierPrices._from(g("flex")),
            None if g("priority") is None else ServiceTierPrices._from(g("priority")),
        )


class HistoricPrice(_Record):
    """A price set and the day it took effect."""

    __slots__ = {
        "effective": "First day these prices applied.",
        "input": "Prompt tokens.",
        "output": "Generated tokens (including reasoning tokens unless `reasoning` is set).",
        "cache_read": "Prompt tokens read from the cache.",
        "cache_write": "Prompt tokens written to the cache (5-minute lifetime where it matters).",
        "cache_write_1h": "Prompt tokens written to the 1-hour cache.",
        "reasoning": "Reasoning tokens, where billed apart from output.",
        "input_audio": "Audio prompt tokens.",
        "output_audio": "Audio output tokens.",
        "cache_read_audio": "Audio prompt tokens read from the cache.",
        "input_image": "Image prompt tokens, where billed apart from text.",
        "output_image": "Image output tokens.",
        "per_image": "Per generated image.",
        "per_input_image": "Per image in the prompt.",
        "per_second": "Per second of audio or video (in or out, by kind).",
        "per_1k_characters": "Per 1,000 characters of input (speech).",
        "per_request": "Per request.",
        "per_web_search": "Per web search call.",
        "per_1k_web_searches": "Per 1,000 web search calls.",
        "until": "Last day these prices applied.",
        "tiers": "Context tiers of this period: prices for long prompts (as `Pricing.tiers`).",
    }
    _fields = ('effective', 'input', 'output', 'cache_read', 'cache_write', 'cache_write_1h', 'reasoning', 'input_audio', 'output_audio', 'cache_read_audio', 'input_image', 'output_image', 'per_image', 'per_input_image', 'per_second', 'per_1k_characters', 'per_request', 'per_web_search', 'per_1k_web_searches', 'until', 'tiers')

    effective: dt.date
    input: Decimal | None
    output: Decimal | None
    cache_read: Decimal | None
    cache_write: Decimal | None
    cache_write_1h: Decimal | None
    reasoning: Decimal | None
    input_audio: Decimal | None
    output_audio: Decimal | None
    cache_read_audio: Decimal | None
    input_image: Decimal | None
    output_image: Decimal | None
    per_image: Decimal | None
    per_input_image: Decimal | None
    per_second: Decimal | None
    per_1k_characters: Decimal | None
    per_request: Decimal | None
    per_web_search: Decimal | None
    per_1k_web_searches: Decimal | None
    until: dt.date | None
    tiers: tuple[ContextTier, ...] | None

    def __init__(self, effective: dt.date, input: Decimal | None = None, output: Decimal | None = None, cache_read: Decimal | None = None, cache_write: Decimal | None = None, cache_write_1h: Decimal | None = None, reasoning: Decimal | None = None, input_audio: Decimal | None = None, output_audio: Decimal | None = None, cache_read_audio: Decimal | None = None, input_image: Decimal | None = None, output_image: Decimal | None = None, per_image: Decimal | None = None, per_input_image: Decimal | None = None, per_second: Decimal | None = None, per_1k_characters: Decimal | None = None, per_request: Decimal | None = None, per_web_search: Decimal | None = None, per_1k_web_searches: Decimal | None = None, until: dt.date | None = None, tiers: tuple[ContextTier, ...] | None = None) -> None:
        _set(self, "effective", effective)
        _set(self, "input", input)
        _set(self, "output", output)
        _set(self, "cache_read", cache_read)
        _set(self, "cache_write", cache_write)
        _set(self, "cache_write_1h", cache_write_1h)
        _set(self, "reasoning", reasoning)
        _set(self, "input_audio", input_audio)
        _set(self, "output_audio", output_audio)
        _set(self, "cache_read_audio", cache_read_audio)
        _set(self, "input_image", input_image)
        _set(self, "output_image", output_image)
        _set(self, "per_image", per_image)
        _set(self, "per_input_image", per_input_image)
        _set(self, "per_second", per_second)
        _set(self, "per_1k_characters", per_1k_characters)
        _set(self, "per_request", per_request)
        _set(self, "per_web_search", per_web_search)
        _set(self, "per_1k_web_searches", per_1k_web_searches)
        _set(self, "until", until)
        _set(self, "tiers", tiers)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> HistoricPrice:
        g: Callable[[str], Any] = d.get
        return cls(
            _date(d["effective"]),
            None if g("input") is None else Decimal(g("input")),
            None if g("output") is None else Decimal(g("output")),
            None if g("cache_read") is None else Decimal(g("cache_read")),
            None if g("cache_write") is None else Decimal(g("cache_write")),
            None if g("cache_write_1h") is None else Decimal(g("cache_write_1h")),
            None if g("reasoning") is None else Decimal(g("reasoning")),
            None if g("input_audio") is None else Decimal(g("input_audio")),
            None if g("output_audio") is None else Decimal(g("output_audio")),
            None if g("cache_read_audio") is None else Decimal(g("cache_read_audio")),
            None if g("input_image") is None else Decimal(g("input_image")),
            None if g("output_image") is None else Decimal(g("output_image")),
            None if g("per_image") is None else Decimal(g("per_image")),
            None if g("per_input_image") is None else Decimal(g("per_input_image")),
            None if g("per_second") is None else Decimal(g("per_second")),
            None if g("per_1k_characters") is None else Decimal(g("per_1k_characters")),
            None if g("per_request") is None else Decimal(g("per_request")),
            None if g("per_web_search") is None else Decimal(g("per_web_search")),
            None if g("per_1k_web_searches") is None else Decimal(g("per_1k_web_searches")),
            None if g("until") is None else _date(g("until")),
            None if g("tiers") is None else tuple(ContextTier._from(x) for x in g("tiers")),
        )


class Pricing(_Record):
    """What an offering costs, in USD."""

    __slots__ = {
        "input": "Prompt tokens.",
        "output": "Generated tokens (including reasoning tokens unless `reasoning` is set).",
        "cache_read": "Prompt tokens read from the cache.",
        "cache_write": "Prompt tokens written to the cache (5-minute lifetime where it matters).",
        "cache_write_1h": "Prompt tokens written to the 1-hour cache.",
        "reasoning": "Reasoning tokens, where billed apart from output.",
        "input_audio": "Audio prompt tokens.",
        "output_audio": "Audio output tokens.",
        "cache_read_audio": "Audio prompt tokens read from the cache.",
        "input_image": "Image prompt tokens, where billed apart from text.",
        "output_image": "Image output tokens.",
        "per_image": "Per generated image.",
        "per_input_image": "Per image in the prompt.",
        "per_second": "Per second of audio or video (in or out, by kind).",
        "per_1k_characters": "Per 1,000 characters of input (speech).",
        "per_request": "Per request.",
        "per_web_search": "Per web search call.",
        "per_1k_web_searches": "Per 1,000 web search calls.",
        "tiers": "Context tiers: prices for long prompts.",
        "service_tiers": "Batch, flex and priority prices.",
        "effective": "Day the current prices took effect.",
        "history": "Earlier price sets, newest first.",
        "provenance": "Where these prices came from and when they were checked.",
    }
    _fields = ('input', 'output', 'cache_read', 'cache_write', 'cache_write_1h', 'reasoning', 'input_audio', 'output_audio', 'cache_read_audio', 'input_image', 'output_image', 'per_image', 'per_input_image', 'per_second', 'per_1k_characters', 'per_request', 'per_web_search', 'per_1k_web_searches', 'tiers', 'service_tiers', 'effective', 'history', 'provenance')

    input: Decimal | None
    output: Decimal | None
    cache_read: Decimal | None
    cache_write: Decimal | None
    cache_write_1h: Decimal | None
    reasoning: Decimal | None
    input_audio: Decimal | None
    output_audio: Decimal | None
    cache_read_audio: Decimal | None
    input_image: Decimal | None
    output_image: Decimal | None
    per_image: Decimal | None
    per_input_image: Decimal | None
    per_second: Decimal | None
    per_1k_characters: Decimal | None
    per_request: Decimal | None
    per_web_search: Decimal | None
    per_1k_web_searches: Decimal | None
    tiers: tuple[ContextTier, ...] | None
    service_tiers: ServiceTiers | None
    effective: dt.date | None
    history: tuple[HistoricPrice, ...] | None
    provenance: tuple[Source, ...] | None

    def __init__(self, input: Decimal | None = None, output: Decimal | None = None, cache_read: Decimal | None = None, cache_write: Decimal | None = None, cache_write_1h: Decimal | None = None, reasoning: Decimal | None = None, input_audio: Decimal | None = None, output_audio: Decimal | None = None, cache_read_audio: Decimal | None = None, input_image: Decimal | None = None, output_image: Decimal | None = None, per_image: Decimal | None = None, per_input_image: Decimal | None = None, per_second: Decimal | None = None, per_1k_characters: Decimal | None = None, per_request: Decimal | None = None, per_web_search: Decimal | None = None, per_1k_web_searches: Decimal | None = None, tiers: tuple[ContextTier, ...] | None = None, service_tiers: ServiceTiers | None = None, effective: dt.date | None = None, history: tuple[HistoricPrice, ...] | None = None, provenance: tuple[Source, ...] | None = None) -> None:
        _set(self, "input", input)
        _set(self, "output", output)
        _set(self, "cache_read", cache_read)
        _set(self, "cache_write", cache_write)
        _set(self, "cache_write_1h", cache_write_1h)
        _set(self, "reasoning", reasoning)
        _set(self, "input_audio", input_audio)
        _set(self, "output_audio", output_audio)
        _set(self, "cache_read_audio", cache_read_audio)
        _set(self, "input_image", input_image)
        _set(self, "output_image", output_image)
        _set(self, "per_image", per_image)
        _set(self, "per_input_image", per_input_image)
        _set(self, "per_second", per_second)
        _set(self, "per_1k_characters", per_1k_characters)
        _set(self, "per_request", per_request)
        _set(self, "per_web_search", per_web_search)
        _set(self, "per_1k_web_searches", per_1k_web_searches)
        _set(self, "tiers", tiers)
        _set(self, "service_tiers", service_tiers)
        _set(self, "effective", effective)
        _set(self, "history", history)
        _set(self, "provenance", provenance)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Pricing:
        g: Callable[[str], Any] = d.get
        return cls(
            None if g("input") is None else Decimal(g("input")),
            None if g("output") is None else Decimal(g("output")),
            None if g("cache_read") is None else Decimal(g("cache_read")),
            None if g("cache_write") is None else Decimal(g("cache_write")),
            None if g("cache_write_1h") is None else Decimal(g("cache_write_1h")),
            None if g("reasoning") is None else Decimal(g("reasoning")),
            None if g("input_audio") is None else Decimal(g("input_audio")),
            None if g("output_audio") is None else Decimal(g("output_audio")),
            None if g("cache_read_audio") is None else Decimal(g("cache_read_audio")),
            None if g("input_image") is None else Decimal(g("input_image")),
            None if g("output_image") is None else Decimal(g("output_image")),
            None if g("per_image") is None else Decimal(g("per_image")),
            None if g("per_input_image") is None else Decimal(g("per_input_image")),
            None if g("per_second") is None else Decimal(g("per_second")),
            None if g("per_1k_characters") is None else Decimal(g("per_1k_characters")),
            None if g("per_request") is None else Decimal(g("per_request")),
            None if g("per_web_search") is None else Decimal(g("per_web_search")),
            None if g("per_1k_web_searches") is None else Decimal(g("per_1k_web_searches")),
            None if g("tiers") is None else tuple(ContextTier._from(x) for x in g("tiers")),
            None if g("service_tiers") is None else ServiceTiers._from(g("service_tiers")),
            None if g("effective") is None else _date(g("effective")),
            None if g("history") is None else tuple(HistoricPrice._from(x) for x in g("history")),
            None if g("provenance") is None else tuple(Source._from(x) for x in g("provenance")),
        )


class CanonicalModel(_Record):
    """A resolved canonical model."""

    __slots__ = {
        "lab": "Lab id (from the path).",
        "model": "Model id (from the path).",
        "id": "The model's id, `lab/model`, e.g. `anthropic/claude-sonnet-4-5`.",
        "name": "Display name.",
        "description": "One or two sentences.",
        "family": "Model family, e.g. `gpt`, `claude-sonnet`, `gemini-flash`.",
        "kind": "What the model does.",
        "open_weights": "Weights are published.",
        "license": "Licence of the weights (SPDX id where one exists).",
        "knowledge_cutoff": "Training data cutoff.",
        "limits": "Token limits.",
        "modalities": "Input and output modalities.",
        "capabilities": "Capability facts.",
        "lifecycle": "Release, deprecation and retirement.",
        "tokenizer": "Tokenizer: a tiktoken encoding (`o200k_base`, `cl100k_base`) or a family name.",
        "provenance": "Where the facts of this file came from.",
        "pricing": "The lab's own list price, inherited by offerings that do not set theirs.",
        "snapshot_of": "The model (`<lab>/<model>`) this is a dated snapshot of, where the snapshot differs from it in price or behaviour; the model's offerings include the snapshot's.",
    }
    _fields = ('lab', 'model', 'id', 'name', 'description', 'family', 'kind', 'open_weights', 'license', 'knowledge_cutoff', 'limits', 'modalities', 'capabilities', 'lifecycle', 'tokenizer', 'provenance', 'pricing', 'snapshot_of')

    lab: str
    model: str
    id: str
    name: str | None
    description: str | None
    family: str | None
    kind: str | None
    open_weights: bool | None
    license: str | None
    knowledge_cutoff: dt.date | str | None
    limits: Limits | None
    modalities: Modalities | None
    capabilities: Capabilities | None
    lifecycle: Lifecycle | None
    tokenizer: str | None
    provenance: tuple[Source, ...] | None
    pricing: Pricing | None
    snapshot_of: str | None

    def __init__(self, lab: str, model: str, id: str | None = None, name: str | None = None, description: str | None = None, family: str | None = None, kind: str | None = None, open_weights: bool | None = None, license: str | None = None, knowledge_cutoff: dt.date | str | None = None, limits: Limits | None = None, modalities: Modalities | None = None, capabilities: Capabilities | None = None, lifecycle: Lifecycle | None = None, tokenizer: str | None = None, provenance: tuple[Source, ...] | None = None, pricing: Pricing | None = None, snapshot_of: str | None = None) -> None:
        _set(self, "lab", lab)
        _set(self, "model", model)
        _set(self, "id", f"{lab}/{model}" if id is None else id)
        _set(self, "name", name)
        _set(self, "description", description)
        _set(self, "family", family)
        _set(self, "kind", kind)
        _set(self, "open_weights", open_weights)
        _set(self, "license", license)
        _set(self, "knowledge_cutoff", knowledge_cutoff)
        _set(self, "limits", limits)
        _set(self, "modalities", modalities)
        _set(self, "capabilities", capabilities)
        _set(self, "lifecycle", lifecycle)
        _set(self, "tokenizer", tokenizer)
        _set(self, "provenance", provenance)
        _set(self, "pricing", pricing)
        _set(self, "snapshot_of", snapshot_of)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> CanonicalModel:
        g: Callable[[str], Any] = d.get
        return cls(
            d["lab"],
            d["model"],
            g("id"),
            g("name"),
            g("description"),
            g("family"),
            g("kind"),
            g("open_weights"),
            g("license"),
            None if g("knowledge_cutoff") is None else _month_or_date(g("knowledge_cutoff")),
            None if g("limits") is None else Limits._from(g("limits")),
            None if g("modalities") is None else Modalities._from(g("modalities")),
            None if g("capabilities") is None else Capabilities._from(g("capabilities")),
            None if g("lifecycle") is None else Lifecycle._from(g("lifecycle")),
            g("tokenizer"),
            None if g("provenance") is None else tuple(Source._from(x) for x in g("provenance")),
            None if g("pricing") is None else Pricing._from(g("pricing")),
            g("snapshot_of"),
        )


class Offering(_Record):
    """A resolved offering: the file merged over its canonical model."""

    __slots__ = {
        "provider": "Provider id (from the path).",
        "model": "Model id at that provider (from the path).",
        "id": "The offering's id, `provider/model`, e.g. `openai/gpt-4o`.",
        "name": "Display name.",
        "description": "One or two sentences.",
        "family": "Model family, e.g. `gpt`, `claude-sonnet`, `gemini-flash`.",
        "kind": "What the model does.",
        "open_weights": "Weights are published.",
        "license": "Licence of the weights (SPDX id where one exists).",
        "knowledge_cutoff": "Training data cutoff.",
        "limits": "Token limits.",
        "modalities": "Input and output modalities.",
        "capabilities": "Capability facts.",
        "lifecycle": "Release, deprecation and retirement.",
        "tokenizer": "Tokenizer: a tiktoken encoding (`o200k_base`, `cl100k_base`) or a family name.",
        "provenance": "Where the facts of this file came from.",
        "base": "Canonical model (`<lab>/<model>`) whose facts this offering inherits (deep merge).",
        "base_omit": "Dotted paths of inherited facts to drop, e.g. `pricing.cache_read`.",
        "aliases": "Other ids the provider accepts for this offering.",
        "pricing": "What this offering costs.",
        "rate_limit_group": "Name of the provider's rate-limit model group this offering belongs to.",
        "linked_by": "How `base` was found: `source` (a source names it, e.g. models.dev `base_model`), `id` (the id is the canonical model's), `rule:<name>` (a normalisation rule of `llmaestro.catalog.identity`) or `manual` (a hand-checked entry in `data/manual/`).",
        "variants": "Which variant of its base model this offering is, when it is one: `thinking`, `free`, `batch`, a quantisation (`fp8`, `fp4`, `int8`, `int4`, `bf16`), `fast`, `turbo`...",
        "billing": "How this offering is billed; absent: as its provider's `billing` says.",
    }
    _fields = ('provider', 'model', 'id', 'name', 'description', 'family', 'kind', 'open_weights', 'license', 'knowledge_cutoff', 'limits', 'modalities', 'capabilities', 'lifecycle', 'tokenizer', 'provenance', 'base', 'base_omit', 'aliases', 'pricing', 'rate_limit_group', 'linked_by', 'variants', 'billing')

    provider: str
    model: str
    id: str
    name: str | None
    description: str | None
    family: str | None
    kind: str | None
    open_weights: bool | None
    license: str | None
    knowledge_cutoff: dt.date | str | None
    limits: Limits | None
    modalities: Modalities | None
    capabilities: Capabilities | None
    lifecycle: Lifecycle | None
    tokenizer: str | None
    provenance: tuple[Source, ...] | None
    base: str | None
    base_omit: tuple[str, ...] | None
    aliases: tuple[str, ...] | None
    pricing: Pricing | None
    rate_limit_group: str | None
    linked_by: str | None
    variants: tuple[str, ...] | None
    billing: Billing | None

    def __init__(self, provider: str, model: str, id: str | None = None, name: str | None = None, description: str | None = None, family: str | None = None, kind: str | None = None, open_weights: bool | None = None, license: str | None = None, knowledge_cutoff: dt.date | str | None = None, limits: Limits | None = None, modalities: Modalities | None = None, capabilities: Capabilities | None = None, lifecycle: Lifecycle | None = None, tokenizer: str | None = None, provenance: tuple[Source, ...] | None = None, base: str | None = None, base_omit: tuple[str, ...] | None = None, aliases: tuple[str, ...] | None = None, pricing: Pricing | None = None, rate_limit_group: str | None = None, linked_by: str | None = None, variants: tuple[str, ...] | None = None, billing: Billing | None = None) -> None:
        _set(self, "provider", provider)
        _set(self, "model", model)
        _set(self, "id", f"{provider}/{model}" if id is None else id)
        _set(self, "name", name)
        _set(self, "description", description)
        _set(self, "family", family)
        _set(self, "kind", kind)
        _set(self, "open_weights", open_weights)
        _set(self, "license", license)
        _set(self, "knowledge_cutoff", knowledge_cutoff)
        _set(self, "limits", limits)
        _set(self, "modalities", modalities)
        _set(self, "capabilities", capabilities)
        _set(self, "lifecycle", lifecycle)
        _set(self, "tokenizer", tokenizer)
        _set(self, "provenance", provenance)
        _set(self, "base", base)
        _set(self, "base_omit", base_omit)
        _set(self, "aliases", aliases)
        _set(self, "pricing", pricing)
        _set(self, "rate_limit_group", rate_limit_group)
        _set(self, "linked_by", linked_by)
        _set(self, "variants", variants)
        _set(self, "billing", billing)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Offering:
        g: Callable[[str], Any] = d.get
        return cls(
            d["provider"],
            d["model"],
            g("id"),
            g("name"),
            g("description"),
            g("family"),
            g("kind"),
            g("open_weights"),
            g("license"),
            None if g("knowledge_cutoff") is None else _month_or_date(g("knowledge_cutoff")),
            None if g("limits") is None else Limits._from(g("limits")),
            None if g("modalities") is None else Modalities._from(g("modalities")),
            None if g("capabilities") is None else Capabilities._from(g("capabilities")),
            None if g("lifecycle") is None else Lifecycle._from(g("lifecycle")),
            g("tokenizer"),
            None if g("provenance") is None else tuple(Source._from(x) for x in g("provenance")),
            g("base"),
            None if g("base_omit") is None else tuple(g("base_omit")),
            None if g("aliases") is None else tuple(g("aliases")),
            None if g("pricing") is None else Pricing._from(g("pricing")),
            g("rate_limit_group"),
            g("linked_by"),
            None if g("variants") is None else tuple(g("variants")),
            None if g("billing") is None else Billing._from(g("billing")),
        )


__all__ = [
    "Api",
    "Auth",
    "Billing",
    "BudgetRange",
    "CanonicalModel",
    "Capabilities",
    "ContextExtension",
    "ContextTier",
    "FrozenRecordError",
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
