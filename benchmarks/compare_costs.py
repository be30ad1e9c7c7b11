"""Where llmaestro's cost() disagrees with genai-prices and LiteLLM, model by model.

For every offering of ``catalog/`` (loaded with the validator, so no compiled bundle is
needed) and a set of usage scenarios (plain, cached input, 5-minute and 1-hour cache writes,
reasoning, a long prompt crossing context tiers, audio input, batch), prices the same usage
three ways and prints the models where the totals differ, then a summary.

* ours: ``llmaestro.cost.cost(offering, usage)``; an incomplete cost (an unknown price)
  shows as ``>= $x`` and is not counted as a disagreement with a higher peer;
* genai-prices: ``calc_price(Usage(...), model_ref, provider_id=...)`` (service tiers through
  ``price_context``); LookupError -> not covered;
* LiteLLM: ``cost_per_token(model=..., usage_object=Usage(...))`` with the local cost map;
  ``<prefix>/<model>`` (the provider's ``litellm_prefix``) or the bare model id when LiteLLM
  files it under the same provider; batch through ``service_tier`` is not supported there.

Run: python benchmarks/compare_costs.py [--provider P ...] [--limit N | --all]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from llmaestro.catalog.model import Offering  # noqa: E402
from llmaestro.catalog.validate import validate_catalog  # noqa: E402
from llmaestro.cost import CostBreakdown, Usage, cost  # noqa: E402

#: our provider id -> genai-prices provider id, where they differ
GENAI_PROVIDERS = {
    "xai": "x-ai",
    "fireworks-ai": "fireworks",
    "togetherai": "together",
    "amazon-bedrock": "aws",
    "novita-ai": "novita",
    "voyage": "voyageai",
}

#: LiteLLM providers not asked: their cost lookup starts an OAuth device flow (network),
#: plus any provider whose lookup turns out to take longer than 0.25 s.
LITELLM_SKIPPED = {"github_copilot", "chatgpt"}

SCENARIOS: tuple[tuple[str, Usage, str | None], ...] = (
    ("plain", Usage(input_tokens=10_000, output_tokens=1_000), None),
    ("cached", Usage(input_tokens=10_000, cache_read_tokens=6_000, output_tokens=1_000), None),
    (
        "cache-write",
        Usage(input_tokens=10_000, cache_write_tokens=8_000, output_tokens=1_000),
        None,
    ),
    (
        "cache-write-1h",
        Usage(input_tokens=10_000, cache_write_1h_tokens=8_000, output_tokens=1_000),
        None,
    ),
    ("reasoning", Usage(input_tokens=2_000, output_tokens=5_000, reasoning_tokens=4_000), None),
    ("long", Usage(input_tokens=300_000, output_tokens=2_000), None),
    ("audio", Usage(input_tokens=10_000, input_audio_tokens=8_000, output_tokens=1_000), None),
    ("batch", Usage(input_tokens=10_000, output_tokens=1_000), "batch"),
)


def _relevant(name: str, offering: Offering) -> bool:
    """Scenarios worth running for an offering (by what its prices or limits say)."""
    pricing = offering.pricing
    assert pricing is not None
    if name == "cache-write":
        return pricing.cache_write is not None
    if name == "cache-write-1h":
        return pricing.cache_write_1h is not None
    if name == "cached":
        return pricing.cache_read is not None
    if name == "long":
        context = offering.limits.context if offering.limits else None
        return bool(pricing.tiers) or (context is not None and context >= 302_000)
    if name == "audio":
        return pricing.input_audio is not None
    if name == "batch":
        return pricing.service_tiers is not None and pricing.service_tiers.batch is not None
    return True


def _genai_pricer(genai: Any, providers: set[str]) -> Callable[[Offering, Usage, str | None], Any]:
    def price(offering: Offering, usage: Usage, tier: str | None) -> Decimal | None:
        provider = GENAI_PROVIDERS.get(offering.provider, offering.provider)
        if provider not in providers:
            return None
        g_usage = genai.Usage(
            input_tokens=usage.input_tokens,
            cache_read_tokens=usage.cache_read_tokens,
            cache_write_tokens=usage.cache_write_tokens + usage.cache_write_1h_tokens,
            cache_write_1h_tokens=usage.cache_write_1h_tokens,
            input_audio_tokens=usage.input_audio_tokens,
            output_tokens=usage.output_tokens,
            output_reasoning_tokens=usage.reasoning_tokens,
        )
        context = {"service_tier": tier} if tier else None
        for ref in (offering.model, *(offering.aliases or ())):
            try:
                result = genai.calc_price(
                    g_usage, model_ref=ref, provider_id=provider, price_context=context
                )
            except LookupError:
                continue
            except Exception:
                return None
            return Decimal(str(result.total_price))
        return None

    return price


def _litellm_pricer(litellm: Any, prefixes: dict[str, str]) -> Callable[..., Any]:
    from litellm.types.utils import (
        CompletionTokensDetailsWrapper,
        PromptTokensDetailsWrapper,
    )
    from litellm.types.utils import Usage as LiteUsage

    known = litellm.model_cost

    def name_for(offering: Offering) -> str | None:
        prefix = prefixes.get(offering.provider, offering.provider)
        if prefix in LITELLM_SKIPPED:
            return None
        for candidate in (f"{prefix}/{offering.model}", offering.model):
            info = known.get(candidate)
            if info is not None and info.get("litellm_provider") in (prefix, offering.provider):
                return candidate
        return None

    def price(offering: Offering, usage: Usage, tier: str | None) -> Decimal | None:
        if tier == "batch":
            return None
        name = name_for(offering)
        if name is None:
            return None
        started = time.perf_counter()
        writes = usage.cache_write_tokens + usage.cache_write_1h_tokens
        lite = LiteUsage(
            prompt_tokens=usage.input_tokens,
            completion_tokens=usage.output_tokens,
            prompt_tokens_details=PromptTokensDetailsWrapper(
                cached_tokens=usage.cache_read_tokens, audio_tokens=usage.input_audio_tokens
            ),
            completion_tokens_details=CompletionTokensDetailsWrapper(
                reasoning_tokens=usage.reasoning_tokens
            ),
            cache_creation_input_tokens=writes,
            cache_read_input_tokens=usage.cache_read_tokens,
        )
        try:
            prompt, completion = litellm.cost_per_token(model=name, usage_object=lite)
        except Exception:
            return None
        finally:
            if time.perf_counter() - started > 0.25:  # it went to the network: stop asking
                LITELLM_SKIPPED.add(prefixes.get(offering.provider, offering.provider))
        return Decimal(str(prompt)) + Decimal(str(completion))

    return price


def _differs(ours: CostBreakdown, theirs: Decimal) -> bool:
    if not ours.complete:
        return theirs < ours.total  # ours is a lower bound
    scale = max(abs(ours.total), abs(theirs), Decimal("1e-9"))
    return abs(ours.total - theirs) > scale * Decimal("1e-6")


def _money(value: Decimal | None, complete: bool = True) -> str:
    if value is None:
        return "-"
    text = f"${value.quantize(Decimal('1e-6')):,}"
    return text if complete else f">={text}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--provider", action="append", help="Only this provider (repeatable).")
    parser.add_argument("--limit", type=int, default=30, help="Models shown in detail.")
    parser.add_argument("--all", action="store_true", help="Show every model that differs.")
    args = parser.parse_args()

    start = time.perf_counter()
    result = validate_catalog(ROOT / "catalog")
    offerings = [
        o
        for key, o in sorted(result.offerings.items())
        if o.pricing is not None and (not args.provider or key[0] in args.provider)
    ]
    prefixes = {pid: p.litellm_prefix for pid, p in result.providers.items() if p.litellm_prefix}
    print(f"{len(offerings)} priced offerings ({time.perf_counter() - start:.1f}s to load)")

    peers: dict[str, Callable[[Offering, Usage, str | None], Decimal | None]] = {}
    try:
        import genai_prices
        from genai_prices import data_snapshot
    except ImportError:
        print("genai-prices not installed (pip install -e .[bench])")
    else:
        ids = {p.id for p in data_snapshot.get_snapshot().providers}
        peers["genai-prices"] = _genai_pricer(genai_prices, ids)
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"  # never fetch the cost map
    try:
        import litellm
    except ImportError:
        print("litellm not installed (pip install -e .[bench])")
    else:
        litellm.suppress_debug_info = True  # no "Provider List" banners on lookups
        peers["litellm"] = _litellm_pricer(litellm, prefixes)
    if not peers:
        return 0

    stats: dict[str, Counter[str]] = {peer: Counter() for peer in peers}
    by_scenario: dict[str, Counter[str]] = {peer: Counter() for peer in peers}
    shown = 0
    hidden = 0
    warnings.simplefilter("ignore")  # peers warn about usage keys they do not price
    for offering in offerings:
        rows: list[str] = []
        for name, usage, tier in SCENARIOS:
            if not _relevant(name, offering):
                continue
            ours = cost(offering, usage, service_tier=tier)
            cells = []
            differ = False
            for peer, price in peers.items():
                theirs = price(offering, usage, tier)
                if theirs is None:
                    stats[peer]["not covered"] += 1
                    cells.append(f"{'-':>14s}")
                    continue
                if _differs(ours, theirs):
                    stats[peer]["differ"] += 1
                    by_scenario[peer][name] += 1
                    differ = True
                    cells.append(f"{_money(theirs) + ' *':>14s}")
                else:
                    stats[peer]["agree"] += 1
                    cells.append(f"{_money(theirs):>14s}")
            if differ:
                ours_text = _money(ours.total, ours.complete)
                rows.append(f"  {name:15s}{ours_text:>14s}{''.join(cells)}")
        if rows:
            if args.all or shown < args.limit:
                shown += 1
                print(f"\n{offering.provider}/{offering.model}")
                print(f"  {'scenario':15s}{'llmaestro':>14s}" + "".join(f"{p:>14s}" for p in peers))
                print("\n".join(rows))
            else:
                hidden += 1
    if hidden:
        print(f"\n... {hidden} more models differ (--all to show them)")
    print("\nsummary (scenario results; * marks a differing total above)")
    for peer in peers:
        counts = stats[peer]
        print(
            f"  {peer:13s} agree {counts['agree']:6d}   differ {counts['differ']:6d}   "
            f"not covered {counts['not covered']:6d}"
        )
        if by_scenario[peer]:
            detail = ", ".join(f"{k} {v}" for k, v in by_scenario[peer].most_common())
            print(f"  {'':13s} differences by scenario: {detail}")
    if "litellm" in peers:
        print(f"  (LiteLLM not asked for: {', '.join(sorted(LITELLM_SKIPPED))})")
    print(f"({time.perf_counter() - start:.1f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
