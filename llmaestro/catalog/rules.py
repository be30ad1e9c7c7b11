"""Semantic rules: what the JSON Schema cannot say. Each rule has a code (see RULES).

Rules run on resolved objects (an offering merged over its canonical model) and report
through a callback that knows which file and line a JSON Pointer came from. The lifecycle
rules (LM027, LM043) are in :mod:`llmaestro.catalog.rules_lifecycle`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from llmaestro._http.redact import env_secrets, looks_like_secret, redact
from llmaestro.catalog.diagnostics import clip, escape_pointer_token
from llmaestro.catalog.rules_lifecycle import check_lifecycle

if TYPE_CHECKING:  # annotations only: the rules read attributes, so records work too
    from llmaestro.catalog.model import (
        CanonicalModel,
        ContextTier,
        ModelFacts,
        Offering,
        PriceSet,
        Pricing,
        ProviderFile,
    )

#: Every code the validator can emit, with its one-line meaning (the docs table is made from it).
RULES: dict[str, str] = {
    "LM001": "The file is not readable YAML (syntax error, several documents, unreadable file).",
    "LM002": "A mapping has the same key twice.",
    "LM003": "YAML anchors, aliases and merge keys (`&a`, `*a`, `<<`) are not allowed.",
    "LM004": "YAML tags (`!!str`, `!custom`) are not allowed.",
    "LM005": "Ambiguous scalars: YAML 1.1 booleans (`yes`, `on`, `NO`), octal, hex, sexagesimal "
    "or underscored numbers, `.inf` and `.nan`.",
    "LM006": "An impossible date or timestamp (`2025-02-31`).",
    "LM007": "The file is larger than 1 MiB, or holds over 100,000 values.",
    "LM008": "The file is not UTF-8.",
    "LM009": "A file that does not belong in the catalog (not `.yaml`, or in the wrong place).",
    "LM010": "A symbolic link in the catalog.",
    "LM011": "Ids and paths: a non-canonical file name, an id that collides on case-insensitive "
    "file systems, or an `id:` that disagrees with the path.",
    "LM012": "The JSON Schema: an unknown key, a missing key, a wrong type or value.",
    "LM013": "The first line must be `# yaml-language-server: $schema=<path>` naming the right "
    "schema.",
    "LM014": "An offering's provider has no `provider.yaml`.",
    "LM020": "Maximum output tokens exceed the context window.",
    "LM021": "Maximum input tokens exceed the context window.",
    "LM022": "Context tiers: thresholds unique, ascending and below the context window "
    "(the extended window when there is one).",
    "LM023": "A cache read price above the input price.",
    "LM024": "Release date after the last-updated date.",
    "LM025": "Knowledge cutoff after the release date.",
    "LM026": "Deprecation date after the retirement date.",
    "LM027": "A lifecycle status its dates cannot support (retired without a past retirement "
    "date, deprecated without a date).",
    "LM028": "Reasoning controls (effort levels, budget, toggle) on a model without reasoning.",
    "LM029": "A price the offering's kind does not use (e.g. output tokens of an embedding).",
    "LM030": "`base` names no canonical model.",
    "LM031": "`replacement` names no offering.",
    "LM032": "Aliases: unique within a provider and never equal to another offering's id.",
    "LM033": "Provider API rules (base URL, auth header and scheme, https).",
    "LM034": "`base_omit` names a path the base model does not have.",
    "LM035": "An offering (after inheritance) has no `kind`.",
    "LM036": "A list holds the same item twice (modalities, aliases, effort levels).",
    "LM037": "A value that looks like a secret: only environment-variable names belong here.",
    "LM038": "Rate-limit tiers: duplicate tier and model group, or a model pattern that matches "
    "no offering.",
    "LM039": "Price history: effective dates unique, newest first, before the current prices.",
    "LM040": "A reasoning budget whose minimum exceeds its maximum.",
    "LM041": "Two overlays change the same offering.",
    "LM042": "The catalog holds no offering: there is nothing to load.",
    "LM043": "A declared lifecycle status disagrees with the dates as of today (warning).",
}


class Report(Protocol):
    def __call__(
        self,
        code: str,
        ptr: str,
        message: str,
        *,
        found: str | None = None,
        expected: str | None = None,
        hint: str | None = None,
        severity: str = "error",
    ) -> None: ...


TOKEN_KINDS = frozenset({"chat", "completion", "embedding", "rerank", "moderation"})


def _fmt(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"${value}"
    return str(value)


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def _price_sets(pricing: Pricing) -> Iterator[tuple[str, PriceSet]]:
    yield "/pricing", pricing
    for i, tier in enumerate(pricing.tiers or ()):
        yield f"/pricing/tiers/{i}", tier
    if pricing.service_tiers:
        for name in ("batch", "flex", "priority"):
            st = getattr(pricing.service_tiers, name)
            if st is not None:
                yield f"/pricing/service_tiers/{name}", st
                for i, tier in enumerate(st.tiers or ()):
                    yield f"/pricing/service_tiers/{name}/tiers/{i}", tier
    for i, old in enumerate(pricing.history or ()):
        yield f"/pricing/history/{i}", old
        for k, tier in enumerate(old.tiers or ()):
            yield f"/pricing/history/{i}/tiers/{k}", tier


def check_facts(facts: ModelFacts, report: Report, today: dt.date) -> None:
    """Rules that hold for canonical models and offerings alike."""
    limits = facts.limits
    if limits and limits.context is not None:
        if limits.max_output is not None and limits.max_output > limits.context:
            report(
                "LM020",
                "/limits/max_output",
                "maximum output exceeds the context window",
                found=f"max_output {limits.max_output}",
                expected=f"at most context {limits.context}",
            )
        if limits.max_input is not None and limits.max_input > limits.context:
            report(
                "LM021",
                "/limits/max_input",
                "maximum input exceeds the context window",
                found=f"max_input {limits.max_input}",
                expected=f"at most context {limits.context}",
            )
    life = facts.lifecycle
    release = life.release_date if life else None
    if life:
        if release and life.last_updated and release > life.last_updated:
            report(
                "LM024",
                "/lifecycle/last_updated",
                "last update before the release",
                found=f"last_updated {life.last_updated}",
                expected=f"on or after release_date {release}",
            )
        if (
            life.deprecation_date
            and life.retirement_date
            and life.deprecation_date > life.retirement_date
        ):
            report(
                "LM026",
                "/lifecycle/deprecation_date",
                "deprecation after retirement",
                found=f"deprecation_date {life.deprecation_date}",
                expected=f"on or before retirement_date {life.retirement_date}",
            )
        check_lifecycle(life, report, today)
    cutoff = facts.knowledge_cutoff
    if cutoff is not None and release is not None:
        cutoff_day = (
            cutoff if isinstance(cutoff, dt.date) else dt.date.fromisoformat(cutoff + "-01")
        )
        if cutoff_day > release:
            report(
                "LM025",
                "/knowledge_cutoff",
                "knowledge cutoff after the release",
                found=str(cutoff),
                expected=f"on or before release_date {release}",
            )
    caps = facts.capabilities
    if caps and caps.reasoning:
        r = caps.reasoning
        if not r.supported:
            for name in ("effort_levels", "budget_tokens", "toggle", "summaries"):
                if getattr(r, name) is not None:
                    report(
                        "LM028",
                        f"/capabilities/reasoning/{name}",
                        f"reasoning control `{name}` on a model without reasoning",
                        expected="`supported: true`, or no reasoning controls",
                    )
        if r.effort_levels and len(set(r.effort_levels)) != len(r.effort_levels):
            report("LM036", "/capabilities/reasoning/effort_levels", "an effort level is repeated")
        b = r.budget_tokens
        if b and b.min is not None and b.max is not None and b.min > b.max:
            report(
                "LM040",
                "/capabilities/reasoning/budget_tokens",
                "budget minimum exceeds its maximum",
                found=f"min {b.min}, max {b.max}",
                expected="min ≤ max",
            )
    if facts.modalities:
        for side in ("input", "output"):
            values = getattr(facts.modalities, side)
            if values and len(set(values)) != len(values):
                report("LM036", f"/modalities/{side}", f"a modality is repeated in `{side}`")
    pricing: Pricing | None = getattr(facts, "pricing", None)
    if pricing is not None:
        _check_pricing(facts, pricing, report, today)


_KIND_UNITS: dict[str, frozenset[str]] = {
    "per_1k_characters": frozenset({"speech"}),
    "per_second": frozenset({"speech", "transcription", "video", "chat"}),
    "per_image": frozenset({"image_generation", "chat"}),
}


def _check_pricing(facts: ModelFacts, pricing: Pricing, report: Report, today: dt.date) -> None:
    kind = facts.kind
    limits = facts.limits
    # tiers may sit between the default window and the extended one a provider sells behind
    # an option (`extended_context`): LM022 checks them against the larger of the two
    context = (limits.extended_context or limits.context) if limits else None
    window = "extended context" if limits and limits.extended_context else "context"
    for ptr, prices in _price_sets(pricing):
        if (
            prices.cache_read is not None
            and prices.input is not None
            and prices.cache_read > prices.input
        ):
            report(
                "LM023",
                f"{ptr}/cache_read",
                "cache read costs more than uncached input",
                found=f"cache_read {_fmt(prices.cache_read)}",
                expected=f"at most input {_fmt(prices.input)}",
            )
        if kind is None:
            continue
        if kind in ("embedding", "rerank", "moderation") and prices.output:
            report(
                "LM029",
                f"{ptr}/output",
                f"an output token price on {_a(kind)} model",
                found=_fmt(prices.output),
                expected="no output price (or 0)",
            )
        for field, kinds in _KIND_UNITS.items():
            if getattr(prices, field) is not None and kind not in kinds:
                report(
                    "LM029",
                    f"{ptr}/{field}",
                    f"`{field}` does not apply to {_a(kind)} model",
                    expected="kinds " + ", ".join(sorted(kinds)),
                )
    tier_lists: list[tuple[str, tuple[ContextTier, ...]]] = [
        ("/pricing/tiers", pricing.tiers or ())
    ]
    if pricing.service_tiers:
        for name in ("batch", "flex", "priority"):
            st = getattr(pricing.service_tiers, name)
            if st is not None and st.tiers:
                tier_lists.append((f"/pricing/service_tiers/{name}/tiers", st.tiers))
    for i, old in enumerate(pricing.history or ()):
        if old.tiers:
            tier_lists.append((f"/pricing/history/{i}/tiers", old.tiers))
    for base_ptr, tiers in tier_lists:
        if tiers and kind is not None and kind not in TOKEN_KINDS:
            report("LM029", base_ptr, f"context tiers on {_a(kind)} model", expected="token kinds")
        previous = 0
        for i, tier in enumerate(tiers):
            if tier.above_tokens <= previous:
                report(
                    "LM022",
                    f"{base_ptr}/{i}/above_tokens",
                    "tier thresholds must be unique and ascending",
                    found=str(tier.above_tokens),
                    expected=f"more than {previous}",
                )
            if context is not None and tier.above_tokens >= context:
                report(
                    "LM022",
                    f"{base_ptr}/{i}/above_tokens",
                    "tier threshold at or above the context window",
                    found=str(tier.above_tokens),
                    expected=f"below {window} {context}",
                )
            previous = max(previous, tier.above_tokens)
    history = pricing.history or ()
    newer = pricing.effective
    for i, old in enumerate(history):
        if newer is not None and old.effective >= newer:
            report(
                "LM039",
                f"/pricing/history/{i}/effective",
                "price history must be newest first and older than the prices after it",
                found=str(old.effective),
                expected=f"before {newer}",
            )
        if old.until is not None and old.until < old.effective:
            report(
                "LM039",
                f"/pricing/history/{i}/until",
                "a price set cannot end before it starts",
                found=str(old.until),
                expected=f"on or after {old.effective}",
            )
        newer = old.effective
    del today


def check_offering(offering: Offering, report: Report, today: dt.date) -> None:
    if offering.kind is None:
        report(
            "LM035",
            "/kind",
            "the offering has no kind",
            expected="`kind:` here or in its base model",
        )
    check_facts(offering, report, today)
    if offering.aliases and len(set(offering.aliases)) != len(offering.aliases):
        report("LM036", "/aliases", "an alias is repeated")


def check_canonical(model: CanonicalModel, report: Report, today: dt.date) -> None:
    check_facts(model, report, today)


def check_provider(provider: ProviderFile, report: Report) -> None:
    api = provider.api
    if api is not None:
        if api.base_url is None and api.base_url_env is None and api.style != "other":
            report(
                "LM033",
                "/api",
                "the API has no base URL",
                expected="`base_url`, or `base_url_env` for per-deployment endpoints",
            )
        if api.base_url and api.base_url.startswith("http://"):
            host = api.base_url[7:].split("/", 1)[0].split(":", 1)[0]
            if host not in ("localhost", "127.0.0.1", "[::1]"):
                report(
                    "LM033",
                    "/api/base_url",
                    "a remote API must use https",
                    found=api.base_url,
                    expected="https://…",
                )
        if api.base_url and api.base_url.endswith("/"):
            report(
                "LM033",
                "/api/base_url",
                "the base URL ends with `/`",
                found=api.base_url,
                hint="drop the trailing slash; paths are joined with `/`",
            )
        auth = api.auth
        if auth is not None:
            if auth.header is None and auth.query_param is None:
                report(
                    "LM033",
                    "/api/auth",
                    "auth names no header or query parameter",
                    expected="`header` (e.g. Authorization) or `query_param`",
                )
            if auth.header is not None and auth.query_param is not None:
                report("LM033", "/api/auth", "auth sets both a header and a query parameter")
            if auth.scheme is not None and auth.header is None:
                report("LM033", "/api/auth/scheme", "a scheme needs a header")
            if not auth.env:
                report("LM033", "/api/auth/env", "auth names no environment variable")
        if (
            api.style == "anthropic-messages"
            and auth
            and auth.header not in (None, "x-api-key")
            and auth.header.lower() != "authorization"
        ):
            report(
                "LM033",
                "/api/auth/header",
                "Anthropic Messages APIs take the key in `x-api-key` or `Authorization`",
                found=auth.header,
            )
    seen: dict[tuple[str, tuple[str, ...]], int] = {}
    for i, tier in enumerate(provider.rate_limits or ()):
        key = (tier.tier, tuple(sorted(tier.models or ())))
        if key in seen:
            report(
                "LM038",
                f"/rate_limits/{i}",
                f"tier `{tier.tier}` is given twice for the same models",
                found=f"also at /rate_limits/{seen[key]}",
            )
        seen[key] = i


#: What every key shape of :mod:`llmaestro._http.redact` starts with, in lower case: a cheap
#: test before the full one (which costs ~40 µs a string; a file can hold 100,000 strings).
_SHAPE_START = (
    r"sk-|aiza|gh[pousr]_|github_pat_|gsk_|xai-|hf_|pplx-|r8_|bearer\s|basic\s"
    r"|(?:key|token|secret|password)[\"']?\s*[=:]"
)
_MAYBE_SECRET = re.compile(_SHAPE_START)
_MAYBE_SECRET_BYTES = re.compile(_SHAPE_START.encode())
#: what each alternative of :data:`_SHAPE_START` begins with, as one search with no tail: a
#: text it does not find cannot match the whole pattern, and over a text that holds none of
#: these it is a quicker search (most catalog files hold `gh` or `token` somewhere, which a
#: test by literals let through to the whole search)
_SHAPE_HEADS = re.compile(
    rb"sk-|aiza|gh[pousr]_|github_pat_|gsk_|xai-|hf_|pplx-|r8_|bearer|basic"
    rb"|key|token|secret|password"
)


def env_keys() -> tuple[bytes, ...]:
    """The key environment variables' values, lower-cased, as :func:`may_hold_secret` looks
    for them: read once for a run over many files (reading the environment costs ~15 µs)."""
    return tuple(key.lower().encode() for key in env_secrets())


def may_hold_secret(raw: bytes, keys: tuple[bytes, ...] | None = None) -> bool:
    """Whether a file's bytes can hold anything :func:`find_secrets` finds (most cannot);
    ``keys``: :func:`env_keys`, when the caller read them already."""
    lowered = raw.lower()
    # the whole pattern tried only where a head stands (every such place, overlapping ones
    # too): the same answer as one search of it, at half the cost over a catalog file
    search, match = _SHAPE_HEADS.search, _MAYBE_SECRET_BYTES.match
    head = search(lowered)
    while head is not None:
        if match(lowered, head.start()):
            return True
        head = search(lowered, head.start() + 1)
    return any(key in lowered for key in (env_keys() if keys is None else keys))


def find_secrets(data: Any, ptr: str = "") -> Iterator[tuple[str, str]]:
    """(pointer, redacted text) of every string, value or mapping key, that looks like an API
    key (:func:`~llmaestro._http.redact.looks_like_secret`: the one rule of what is shown
    nowhere). A key's pointer is its own: ``/headers/sk-…`` for the key ``sk-…``."""
    keys = [key.lower() for key in env_secrets()]

    def suspect(text: str) -> bool:
        lowered = text.lower()
        return (
            bool(_MAYBE_SECRET.search(lowered)) or any(k in lowered for k in keys)
        ) and looks_like_secret(text)

    def walk(data: Any, ptr: str) -> Iterator[tuple[str, str]]:
        if isinstance(data, dict):
            for key, value in data.items():
                child = f"{ptr}/{escape_pointer_token(key)}"
                if isinstance(key, str) and suspect(key):
                    yield child, clip(redact(key), 40)
                yield from walk(value, child)
        elif isinstance(data, tuple | list):
            for i, value in enumerate(data):
                yield from walk(value, f"{ptr}/{i}")
        elif isinstance(data, str) and suspect(data):
            yield ptr, clip(redact(data), 40)

    return walk(data, ptr)


ReportFactory = Callable[..., Report]
