"""The LiteLLM export: a ``model_cost`` dictionary for ``litellm.register_model()``.

::

    import litellm, llmaestro
    from llmaestro.exports import export_litellm

    litellm.register_model(export_litellm(llmaestro.load(), only_litellm_providers=True))

Keys and ``litellm_provider`` follow LiteLLM's own conventions, from the one provider table
the LiteLLM importer uses (:data:`~llmaestro.catalog.importers.provider_map.LITELLM_PROVIDERS`)
read in reverse:

* the key is ``<LiteLLM prefix>/<model id>`` (``openai/gpt-4o``, ``gemini/gemini-2.5-pro``,
  ``vertex_ai/claude-sonnet-4-5``, ``bedrock/anthropic.claude-…``): the name LiteLLM routes,
  which ``register_model`` files under LiteLLM's own entry of that model *for the same
  provider* (``openai/gpt-4o`` updates ``gpt-4o``); never a bare key, which LiteLLM would file
  under whichever provider's entry carries that name;
* ``litellm_provider`` is LiteLLM's name for the provider and kind (``cohere_chat`` for Cohere
  chat models, ``bedrock_converse`` for Bedrock chat models, ``vertex_ai-language-models`` …);
* entries LiteLLM would still file under another provider's entry are left out and listed in
  :attr:`LiteLLMExport.skipped`: ``azure_ai/<m>`` where OpenAI has a model ``<m>`` (LiteLLM's
  lookup falls back from Azure AI to OpenAI), providers whose LiteLLM name the table gives to
  another provider, and providers LiteLLM never prices from its map (Hugging Face, Ollama,
  Lemonade: it asks a server);
* two offerings with one key: the provider with the more specific LiteLLM mapping wins
  (Vertex's Anthropic models over Vertex's copies of them), then the offering over an alias.

Providers LiteLLM does not know keep their own id as prefix and ``litellm_provider``;
``only_litellm_providers=True`` leaves them out. Token prices are USD per token (the catalog's
per-1M Decimal / 1e6, as floats); unknown facts are left out, and so is ``mode`` for chat
models (LiteLLM's ``chat``/``responses`` split is not in the catalog, and LiteLLM routes
``responses`` models through the Responses API).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from llmaestro.catalog.importers.provider_map import LITELLM_PROVIDERS
from llmaestro.errors import UnknownProviderError
from llmaestro.registry import Registry
from llmaestro.registry.naming import shown

#: catalog kind -> LiteLLM `mode` (chat is left out: see the module documentation)
LITELLM_MODES: dict[str, str] = {
    "chat": "chat",
    "completion": "completion",
    "embedding": "embedding",
    "image_generation": "image_generation",
    "speech": "audio_speech",
    "transcription": "audio_transcription",
    "rerank": "rerank",
    "moderation": "moderation",
    "video": "video_generation",
}

#: LiteLLM provider names that LiteLLM uses for some kinds only (the others are for any kind):
#: an offering of a provider with several LiteLLM names takes the first (in table order) whose
#: kinds include its kind, else the first that is for any kind.
KIND_NAMES: dict[str, frozenset[str]] = {
    "text-completion-openai": frozenset({"completion"}),
    "azure_text": frozenset({"completion"}),
    # separate endpoints of a provider, under their own prefix: never chosen
    "codestral": frozenset(),
    "text-completion-codestral": frozenset(),
    "text-completion-inception": frozenset(),
    "cohere_chat": frozenset({"chat"}),
    "bedrock_converse": frozenset({"chat"}),
    "bedrock_mantle": frozenset(),
    "vertex_ai-language-models": frozenset({"chat", "completion", "image_generation"}),
    "vertex_ai-text-models": frozenset(),
    "vertex_ai-embedding-models": frozenset({"embedding"}),
    "vertex_ai-video-models": frozenset({"video"}),
    "fireworks_ai-embedding-models": frozenset({"embedding"}),
}
#: LiteLLM's cost lookup lets a key of these providers fall back to the bare entry of the same
#: model name of those providers (``litellm.utils._check_provider_match``: Azure AI to Azure and
#: OpenAI; LiteLLM keys every Azure entry ``azure/…``, so the bare entries are OpenAI's):
#: registering ``azure_ai/gpt-4o`` would replace OpenAI's ``gpt-4o``. Such entries are left out.
FALLS_BACK_TO: dict[str, tuple[str, ...]] = {"azure_ai": ("openai",)}
#: LiteLLM providers whose keys may fall back to any provider's entry, or whose facts LiteLLM
#: does not take from its cost map: never exported.
REFUSED: dict[str, str] = {
    "github": "LiteLLM files `github/<model>` under any provider's `<model>`",
    "litellm_proxy": "LiteLLM files `litellm_proxy/<model>` under any provider's `<model>`",
    "huggingface": "LiteLLM reads Hugging Face models' facts from the Hub, not its cost map",
    "ollama": "LiteLLM asks the local Ollama server about models it does not list",
    "ollama_chat": "LiteLLM asks the local Ollama server about models it does not list",
    "lemonade": "LiteLLM asks the local Lemonade server about every model",
}


class LiteLLMRoute(NamedTuple):
    """How LiteLLM names one provider's offerings of one kind."""

    prefix: str
    """The key prefix, before the model id."""
    litellm_provider: str
    """The entries' `litellm_provider`."""
    known: bool
    """Whether LiteLLM knows the provider (it is in the provider table)."""


def _names_by_provider() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for name, mapping in LITELLM_PROVIDERS.items():
        out.setdefault(mapping.provider, []).append(name)
    return {pid: tuple(names) for pid, names in out.items()}


#: our provider id -> its LiteLLM names, in table order (the provider table in reverse)
LITELLM_NAMES: dict[str, tuple[str, ...]] = _names_by_provider()


def _kind_name(names: Sequence[str], kind: str | None) -> str:
    for name in names:
        if kind is not None and kind in KIND_NAMES.get(name, frozenset()):
            return name
    return next((n for n in names if n not in KIND_NAMES), names[0])


def litellm_route(provider_id: str, provider: Mapping[str, Any], kind: str | None) -> LiteLLMRoute:
    """The key prefix and `litellm_provider` of a provider's offerings of one kind.

    A provider of the table takes its LiteLLM names (see :data:`KIND_NAMES`); another takes its
    ``litellm_prefix`` (a private catalog's), else its own id.
    """
    names = LITELLM_NAMES.get(provider_id)
    if names is None:
        declared = provider.get("litellm_prefix")
        name = str(declared) if declared else provider_id
        mapping = LITELLM_PROVIDERS.get(name)
        prefix = mapping.prefixes[0] if mapping is not None else name
        return LiteLLMRoute(prefix, name, mapping is not None)
    return LiteLLMRoute(
        LITELLM_PROVIDERS[names[0]].prefixes[0], _kind_name(names, kind), known=True
    )


def _refusal(provider_id: str, route: LiteLLMRoute) -> str | None:
    if route.litellm_provider in REFUSED:
        return REFUSED[route.litellm_provider]
    owner = LITELLM_PROVIDERS.get(route.litellm_provider)
    if owner is not None and owner.provider != provider_id:
        return (
            f"LiteLLM's `{route.litellm_provider}` is provider `{owner.provider}`: its entries "
            "would be replaced"
        )
    return None


# --- one entry --------------------------------------------------------------------------------

_MILLION = Decimal(1_000_000)
#: token prices: catalog field -> LiteLLM key (USD per token = catalog price / 1M)
_TOKEN_PRICE_KEYS: dict[str, str] = {
    "input": "input_cost_per_token",
    "output": "output_cost_per_token",
    "cache_read": "cache_read_input_token_cost",
    "cache_write": "cache_creation_input_token_cost",
    "cache_write_1h": "cache_creation_input_token_cost_above_1hr",
    "reasoning": "output_cost_per_reasoning_token",
    "input_audio": "input_cost_per_audio_token",
    "output_audio": "output_cost_per_audio_token",
    "cache_read_audio": "cache_read_input_audio_token_cost",
    "input_image": "input_cost_per_image_token",
    "output_image": "output_cost_per_image_token",
}
#: token prices LiteLLM prices per context tier (`<key>_above_<N>k_tokens`)
_TIERED_KEYS = ("input", "output", "cache_read", "cache_write", "input_audio")
_SERVICE_SUFFIX = {"batch": "_batches", "flex": "_flex", "priority": "_priority"}
#: capability -> LiteLLM flag
_CAPABILITY_FLAGS: dict[str, str] = {
    "tool_calling": "supports_function_calling",
    "parallel_tool_calls": "supports_parallel_function_calling",
    "tool_choice": "supports_tool_choice",
    "structured_output": "supports_response_schema",
    "system_prompt": "supports_system_messages",
    "prompt_caching": "supports_prompt_caching",
    "web_search": "supports_web_search",
    "computer_use": "supports_computer_use",
}
#: (direction, modality) -> LiteLLM flag
_MODALITY_FLAGS: dict[tuple[str, str], str] = {
    ("input", "image"): "supports_vision",
    ("input", "pdf"): "supports_pdf_input",
    ("input", "audio"): "supports_audio_input",
    ("input", "video"): "supports_video_input",
    ("output", "audio"): "supports_audio_output",
}
_LITELLM_MODALITIES = ("text", "image", "audio", "video")


def _per_token(value: Any) -> float:
    return float(Decimal(str(value)) / _MILLION)


def _usd(value: Any, divisor: int = 1) -> float:
    return float(Decimal(str(value)) / divisor)


def _threshold(above_tokens: int) -> str:
    return f"{above_tokens // 1000}k" if above_tokens % 1000 == 0 else str(above_tokens)


def _prices(entry: dict[str, Any], prices: Mapping[str, Any], kind: str | None) -> None:
    """Flat (not tiered) prices of one price set."""
    for name, key in _TOKEN_PRICE_KEYS.items():
        if prices.get(name) is not None:
            entry[key] = _per_token(prices[name])
    if prices.get("per_image") is not None:
        entry["output_cost_per_image"] = _usd(prices["per_image"])
    if prices.get("per_input_image") is not None:
        entry["input_cost_per_image"] = _usd(prices["per_input_image"])
    if prices.get("per_second") is not None:
        side = "input" if kind == "transcription" else "output"
        entry[f"{side}_cost_per_second"] = _usd(prices["per_second"])
    if prices.get("per_1k_characters") is not None:
        entry["input_cost_per_character"] = _usd(prices["per_1k_characters"], 1000)
    if prices.get("per_request") is not None:
        key = "input_cost_per_query" if kind == "rerank" else "input_cost_per_request"
        entry[key] = _usd(prices["per_request"])
    search: float | None = None
    if prices.get("per_web_search") is not None:
        search = _usd(prices["per_web_search"])
    elif prices.get("per_1k_web_searches") is not None:
        search = _usd(prices["per_1k_web_searches"], 1000)
    if search is not None:
        entry["search_context_cost_per_query"] = {
            "search_context_size_low": search,
            "search_context_size_medium": search,
            "search_context_size_high": search,
        }


def _tier_prices(entry: dict[str, Any], tiers: Sequence[Mapping[str, Any]], suffix: str) -> None:
    for tier in tiers:
        above = _threshold(int(tier["above_tokens"]))
        for name in _TIERED_KEYS:
            if tier.get(name) is not None:
                entry[f"{_TOKEN_PRICE_KEYS[name]}_above_{above}_tokens{suffix}"] = _per_token(
                    tier[name]
                )
        if tier.get("cache_write_1h") is not None:
            key = f"cache_creation_input_token_cost_above_1hr_above_{above}_tokens{suffix}"
            entry[key] = _per_token(tier["cache_write_1h"])


def litellm_entry(
    offering: Mapping[str, Any],
    provider: Mapping[str, Any],
    *,
    successor: str | None = None,
    litellm_provider: str | None = None,
) -> dict[str, Any]:
    """One offering (export JSON form) as a LiteLLM ``model_cost`` value; ``litellm_provider``
    defaults to the provider's LiteLLM name for the offering's kind (:func:`litellm_route`)."""
    kind = offering.get("kind")
    limits = offering.get("limits") or {}
    caps = offering.get("capabilities") or {}
    mods = offering.get("modalities") or {}
    life = offering.get("lifecycle") or {}
    pricing = offering.get("pricing") or {}
    if litellm_provider is None:
        litellm_provider = litellm_route(offering["provider"], provider, kind).litellm_provider
    entry: dict[str, Any] = {"litellm_provider": litellm_provider}
    if kind in LITELLM_MODES and kind != "chat":
        entry["mode"] = LITELLM_MODES[kind]
    max_input = limits.get("max_input") or limits.get("context")
    if max_input is not None:
        entry["max_input_tokens"] = max_input
    if limits.get("max_output") is not None:
        entry["max_output_tokens"] = limits["max_output"]
    legacy_max = limits.get("max_output") or max_input
    if legacy_max is not None:
        entry["max_tokens"] = legacy_max  # LiteLLM's legacy field: max output, else max input
    _prices(entry, pricing, kind)
    _tier_prices(entry, pricing.get("tiers") or (), "")
    for name, suffix in _SERVICE_SUFFIX.items():
        st = (pricing.get("service_tiers") or {}).get(name)
        if st is None:
            continue
        for field, key in _TOKEN_PRICE_KEYS.items():
            if st.get(field) is not None:
                entry[f"{key}{suffix}"] = _per_token(st[field])
        _tier_prices(entry, st.get("tiers") or (), suffix)
    for name, flag in _CAPABILITY_FLAGS.items():
        if isinstance(caps.get(name), bool):
            entry[flag] = caps[name]
    reasoning = caps.get("reasoning")
    if isinstance(reasoning, Mapping) and isinstance(reasoning.get("supported"), bool):
        entry["supports_reasoning"] = reasoning["supported"]
    for (direction, modality), flag in _MODALITY_FLAGS.items():
        listed = mods.get(direction)
        if listed is not None:
            entry[flag] = modality in listed
    for direction, key in (
        ("input", "supported_modalities"),
        ("output", "supported_output_modalities"),
    ):
        listed = mods.get(direction)
        if listed is not None:
            entry[key] = [m for m in listed if m in _LITELLM_MODALITIES]
    shutdown = life.get("retirement_date") or life.get("deprecation_date")
    if shutdown is not None:
        entry["deprecation_date"] = shutdown
    if successor is not None:
        entry["successor_model"] = successor
    source = _first_url(pricing.get("provenance")) or provider.get("pricing_url")
    if source:
        entry["source"] = source
    return entry


def _first_url(sources: Any) -> str | None:
    for s in sources or ():
        if isinstance(s, Mapping) and s.get("url"):
            return str(s["url"])
    return None


# --- the whole export -------------------------------------------------------------------------


class LiteLLMExport(NamedTuple):
    """The export and what it left out."""

    model_cost: dict[str, dict[str, Any]]
    """Key -> entry, sorted by key: what ``litellm.register_model`` takes."""
    skipped: tuple[tuple[str, str], ...]
    """(offering id or ``id (alias a)``, why) of each selected offering or alias left out."""


class _Candidate(NamedTuple):
    rank: tuple[int, int, str, str]
    key: str
    label: str
    offering: Mapping[str, Any]
    route: LiteLLMRoute


def build_litellm_export(
    registry: Registry,
    *,
    aliases: bool = True,
    providers: Iterable[str] | None = None,
    only_litellm_providers: bool = False,
) -> LiteLLMExport:
    """:func:`export_litellm` with the list of what it left out, and why.

    ``providers``: only these provider ids (:class:`~llmaestro.errors.UnknownProviderError`
    for an unknown one). An entry is in a filtered export exactly when it is in the whole
    export: who wins a shared key does not depend on the filter.
    """
    doc = registry.to_document()
    provs: dict[str, Mapping[str, Any]] = doc["providers"]
    wanted = _wanted(provs, providers)
    offerings = doc["offerings"]
    names: dict[str, set[str]] = {}  # provider id -> its model ids and aliases
    for o in offerings:
        names.setdefault(o["provider"], set()).update([o["model"], *(o.get("aliases") or ())])
    candidates: list[_Candidate] = []
    skipped: list[tuple[str, str, str]] = []  # (provider, label, why)
    routes: dict[str, str] = {}  # offering id -> its key
    for o in offerings:
        pid, oid = o["provider"], f"{o['provider']}/{o['model']}"
        route = litellm_route(pid, provs.get(pid, {}), o.get("kind"))
        why = _refusal(pid, route)
        specific = len(LITELLM_NAMES[pid]) if pid in LITELLM_NAMES else len(LITELLM_PROVIDERS)
        for rank, model in enumerate((o["model"], *((o.get("aliases") or ()) if aliases else ()))):
            label = oid if rank == 0 else f"{oid} (alias {model})"
            reason = why or _fallback(route, model, names)
            if reason is not None:
                skipped.append((pid, label, reason))
                continue
            key = f"{route.prefix}/{model}"
            order = (min(rank, 1), specific, pid, model)
            candidates.append(_Candidate(order, key, label, o, route))
            if rank == 0:
                routes[oid] = key
            else:  # a replacement may name an alias
                routes.setdefault(f"{pid}/{model}", key)
    winners: dict[str, _Candidate] = {}
    for c in sorted(candidates, key=lambda c: c.rank):
        if c.key in winners:
            first = winners[c.key].label
            if first.split(" ")[0] != c.label.split(" ")[0]:  # not an alias of itself
                skipped.append((c.offering["provider"], c.label, f"`{c.key}` is {first}'s key"))
            continue
        winners[c.key] = c
    out: dict[str, dict[str, Any]] = {}
    for key, c in winners.items():
        pid = c.offering["provider"]
        if pid not in wanted or (only_litellm_providers and not c.route.known):
            continue
        out[key] = litellm_entry(
            c.offering,
            provs.get(pid, {}),
            successor=_successor(c.offering, routes),
            litellm_provider=c.route.litellm_provider,
        )
    kept = tuple(
        (label, why)
        for pid, label, why in sorted(skipped, key=lambda s: s[1])
        if pid in wanted and not (only_litellm_providers and not _known(pid, provs))
    )
    return LiteLLMExport(dict(sorted(out.items())), kept)


def _wanted(provs: Mapping[str, Any], providers: Iterable[str] | None) -> set[str]:
    if providers is None:
        return set(provs)
    chosen = set(providers)
    for pid in sorted(chosen - set(provs)):
        if pid in LITELLM_PROVIDERS and LITELLM_PROVIDERS[pid].provider in provs:
            raise UnknownProviderError(shown(pid), [LITELLM_PROVIDERS[pid].provider])  # its name
        close = difflib.get_close_matches(pid, list(provs), n=3)
        raise UnknownProviderError(shown(pid), close)
    return chosen


def _known(pid: str, provs: Mapping[str, Any]) -> bool:
    return litellm_route(pid, provs.get(pid, {}), None).known


def _fallback(route: LiteLLMRoute, model: str, names: Mapping[str, set[str]]) -> str | None:
    for target in FALLS_BACK_TO.get(route.litellm_provider, ()):
        owner = LITELLM_PROVIDERS.get(target)
        if owner is not None and model in names.get(owner.provider, ()):
            return (
                f"LiteLLM would file `{route.prefix}/{model}` under `{target}`'s `{model}` "
                f"(provider `{owner.provider}`)"
            )
    return None


def _successor(o: Mapping[str, Any], routes: Mapping[str, str]) -> str | None:
    """The key of the offering ``lifecycle.replacement`` names (same provider, else an id)."""
    replacement = (o.get("lifecycle") or {}).get("replacement")
    if not replacement:
        return None
    for candidate in (f"{o['provider']}/{replacement}", str(replacement)):
        if candidate in routes:
            return routes[candidate]
    return None  # not an offering of this registry: unknown to LiteLLM too


def export_litellm(
    registry: Registry,
    *,
    aliases: bool = True,
    providers: Iterable[str] | None = None,
    only_litellm_providers: bool = False,
) -> dict[str, dict[str, Any]]:
    """LiteLLM's ``model_cost`` dictionary: ``litellm.register_model(export_litellm(r))``.

    Keys, ``litellm_provider`` and what is left out: see the module documentation. With
    ``aliases``, each alias gets a key too (a copy of its offering's entry). ``providers``
    keeps those provider ids only; ``only_litellm_providers`` keeps providers LiteLLM knows.
    ``deprecation_date`` is the day the model stops answering (LiteLLM's meaning), else the
    announced deprecation date.
    """
    return build_litellm_export(
        registry,
        aliases=aliases,
        providers=providers,
        only_litellm_providers=only_litellm_providers,
    ).model_cost


def export_litellm_json(
    registry: Registry,
    *,
    aliases: bool = True,
    providers: Iterable[str] | None = None,
    only_litellm_providers: bool = False,
) -> str:
    """:func:`export_litellm` as JSON text (sorted keys, 2-space indent)."""
    cost = export_litellm(
        registry,
        aliases=aliases,
        providers=providers,
        only_litellm_providers=only_litellm_providers,
    )
    return litellm_json(cost)


def litellm_json(model_cost: Mapping[str, Any]) -> str:
    """A ``model_cost`` dictionary as the export's JSON text (2-space indent)."""
    return json.dumps(model_cost, indent=2) + "\n"
