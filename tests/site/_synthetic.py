"""A synthetic catalog of any size, for the site's scale tests (size, speed, filters).

Independent of the repository catalog (which grows concurrently), deterministic (seeded), and
full of the edge cases the filters must agree with ``Registry.query`` on: unknown prices and
contexts, prices exactly at a bound written several ways (``1``, ``1.00``), zero prices,
modality capabilities, retired and unknown statuses, ids with ``/``, upper case and ``:``, and
names with markup in them.
"""

from __future__ import annotations

import random
from typing import Any

from llmaestro.registry.core import Registry

KINDS = ["chat"] * 12 + ["embedding", "image_generation", "speech", "transcription", "rerank"]
CONTEXTS: list[int | None] = [
    None, 4096, 8192, 32000, 127999, 128000, 128001, 131072, 200000, 1048576, 2000000
]  # fmt: skip
PRICES: list[str | None] = [
    None, "0", "0.02", "0.075", "0.15", "0.5", "0.9999", "1", "1.00", "1.0000001", "2.5", "3",
    "15", "60",
]  # fmt: skip
STATUSES: list[str | None] = [*(["active"] * 10), "preview", "deprecated", "retired", None]
INPUTS = [
    ["text"],
    ["text", "image"],
    ["text", "image", "pdf"],
    ["text", "image", "audio", "video", "pdf"],
    ["text", "audio"],
    None,
]
OUTPUTS = [["text"]] * 6 + [["image"], ["text", "audio"], None]
CAPS = [
    "tool_calling",
    "parallel_tool_calls",
    "tool_choice",
    "structured_output",
    "json_mode",
    "streaming",
    "system_prompt",
    "temperature",
    "prompt_caching",
    "batch",
    "web_search",
    "logprobs",
]


def synthetic_document(offerings: int = 6000, providers: int = 60, seed: int = 7) -> dict[str, Any]:
    """A registry document (see ``Registry.from_document``) with ``offerings`` offerings."""
    rng = random.Random(seed)
    labs = [f"lab{n}" for n in range(25)]
    canonical: dict[str, dict[str, Any]] = {}
    refs: list[str] = []
    for n in range(offerings // 4):
        lab = rng.choice(labs)
        model = f"model-{n}" if n % 7 else f"Model-{n}:{n % 3}b"
        ref = f"{lab}/{model}"
        canonical[ref] = {"lab": lab, "model": model, "name": f"Model {n} <b>&amp;</b>"}
        refs.append(ref)
    provider_ids = [f"p{n:02d}" for n in range(providers - 2)] + ["Hosted.AI", "zz-relay"]
    provider_docs = {
        pid: {
            "provider": pid,
            "name": f"Provider {pid} & Sons" if pid.startswith("p0") else f"{pid} “cloud”",
            "api": {"style": "openai-chat", "base_url": f"https://{pid.lower()}.example/v1"},
        }
        for pid in provider_ids
    }
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    n = 0
    while len(rows) < offerings:
        n += 1
        pid = rng.choice(provider_ids)
        base = rng.choice(refs) if rng.random() < 0.7 else None
        if base is not None:
            model = base.split("/", 1)[1] if rng.random() < 0.5 else base
        else:
            model = f"solo-{n}" if n % 5 else f"Org/Solo-{n}"
        oid = f"{pid}/{model}"
        if oid in seen:
            continue
        seen.add(oid)
        o: dict[str, Any] = {"provider": pid, "model": model}
        if base is not None:
            o["base"] = base
        if rng.random() < 0.9:
            o["name"] = f"{model} <i>{n}</i>" if n % 11 == 0 else f"{model} by {pid}"
        kind = rng.choice(KINDS)
        if rng.random() < 0.95:
            o["kind"] = kind
        context = rng.choice(CONTEXTS)
        limits: dict[str, Any] = {}
        if context is not None:
            limits["context"] = context
            if rng.random() < 0.8:
                limits["max_output"] = min(context, rng.choice([4096, 8192, 16384, 65536]))
        if limits:
            o["limits"] = limits
        mods: dict[str, Any] = {}
        inputs = rng.choice(INPUTS)
        outputs = rng.choice(OUTPUTS)
        if inputs is not None:
            mods["input"] = inputs
        if outputs is not None:
            mods["output"] = outputs
        if mods:
            o["modalities"] = mods
        caps: dict[str, Any] = {}
        for cap in CAPS:
            roll = rng.random()
            if roll < 0.45:
                caps[cap] = True
            elif roll < 0.6:
                caps[cap] = False
        if rng.random() < 0.5:
            caps["reasoning"] = {"supported": rng.random() < 0.5}
        if caps:
            o["capabilities"] = caps
        pricing: dict[str, Any] = {}
        price_in = rng.choice(PRICES)
        price_out = rng.choice(PRICES)
        if price_in is not None:
            pricing["input"] = price_in
        if price_out is not None:
            pricing["output"] = price_out
        if pricing and rng.random() < 0.8:
            pricing["provenance"] = [
                {
                    "source": "manual",
                    "url": f"https://{pid.lower()}.example/pricing",
                    "checked": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
                }
            ]
        if n % 13 == 0:  # an offer not billed per token: its prices are 0 and stand for nothing
            o["billing"] = {"kind": ("subscription", "free_tier", "self_hosted")[n % 3]}
            pricing.update(input=0, output=0)
        if pricing:
            o["pricing"] = pricing
        status = rng.choice(STATUSES)
        life: dict[str, Any] = {}
        if status is not None:
            life["status"] = status
        if status in ("deprecated", "retired"):
            life["deprecation_date"] = "2025-01-15"
            life["retirement_date"] = "2025-12-31" if status == "retired" else "2027-01-01"
            if rows and rng.random() < 0.8:
                life["replacement"] = rng.choice(rows)["model"]
        if rng.random() < 0.5:
            life["release_date"] = (
                f"202{rng.randint(3, 6)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
            )
        if life:
            o["lifecycle"] = life
        o["provenance"] = [{"source": "models.dev", "revision": "abc123", "checked": "2026-07-02"}]
        rows.append(o)
    return {
        "fingerprint": f"synthetic-{offerings}-{seed}",
        "providers": provider_docs,
        "canonical": canonical,
        "offerings": rows,
    }


def synthetic_registry(offerings: int = 6000, providers: int = 60, seed: int = 7) -> Registry:
    return Registry.from_document(
        synthetic_document(offerings, providers, seed), source=f"synthetic-{offerings}"
    )
