"""Merge a LiteLLM snapshot into a build (after models.dev, which is the primary source).

Several keys for one offering become one (the provider-prefixed key wins); an offering
models.dev also has takes LiteLLM's prices when LiteLLM's snapshot is the later one, and only
what models.dev does not say otherwise; `successor_model` becomes `lifecycle.replacement`,
`alias_of` stubs aliases, `rpm`/`tpm` a default rate-limit tier of the provider.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from llmaestro.catalog.identity.families import SELLER_WINDOW
from llmaestro.catalog.importers.builder import Builder
from llmaestro.catalog.importers.common import (
    LITELLM,
    MODELS_DEV,
    Facts,
    ImportLog,
    copy_data,
    dotted,
)
from llmaestro.catalog.importers.draft import Draft, same_model
from llmaestro.catalog.importers.litellm.facts import modalities_from_flags
from llmaestro.catalog.importers.litellm.keys import Entry
from llmaestro.catalog.importers.litellm.read import Snapshot
from llmaestro.catalog.importers.merge import fill
from llmaestro.catalog.importers.provider_map import LITELLM_PROVIDERS

OriginFn = Callable[[tuple[str | int, ...]], str]


def _is_price(path: tuple[str, ...]) -> bool:
    return bool(path) and path[0] == "pricing"


def merge_into(
    builder: Builder,
    snap: Snapshot,
    provider_facts: dict[str, Facts],
    provider_origin: dict[str, str],
    provider_sources: dict[str, list[str]],
) -> None:
    """Merge LiteLLM's entries into the builder's offerings (models.dev first)."""
    log: ImportLog = builder.log
    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in snap.entries:
        existing = builder.find(entry.provider, entry.model)
        model = existing.model if existing is not None else entry.model
        groups[(entry.provider, model)].append(entry)
    price_source = (
        builder.later_source(MODELS_DEV, LITELLM) if MODELS_DEV in builder.by_name else LITELLM
    )
    final_id: dict[str, tuple[str, str]] = {}
    pending: list[tuple[Draft, Entry]] = []
    for (pid, mid), entries in sorted(groups.items()):
        entries.sort(key=lambda e: (not e.prefixed, e.key))
        primary = entries[0]
        target = f"{pid}/{mid}"
        facts, flags, origin_of = _combine(log, target, entries)
        if "context" in (facts.get("limits") or {}):  # only the one-window rule gives one
            path = ("limits", "context")
            origin_of[path] = f"{origin_of.get(path, f'litellm `{primary.key}`')} {SELLER_WINDOW}"
        for entry in entries:
            final_id[entry.key] = (pid, mid)
        origin = f"litellm `{primary.key}`"
        cleaned = builder.clean(
            facts,
            "offering",
            {"provider": pid, "model": mid},
            target,
            _origin_fn(origin_of, origin),
            defer=("LM027",),
        )
        if cleaned is None:
            for entry in entries:
                log.skip(LITELLM, pid, entry.key, "breaks the catalog's rules beyond repair")
            continue
        draft = builder.find(pid, mid)
        if draft is not None and MODELS_DEV in draft.sources:
            _merge_with_models_dev(builder, draft, cleaned, flags, primary, price_source, origin_of)
        elif draft is not None:  # a hand-authored-only offering already drafted: not expected
            fill(
                draft.facts,
                cleaned,
                prefer_other=lambda _p: False,
                on_conflict=lambda *_a: None,
                on_fill=lambda _p: None,
            )
        else:
            mods = modalities_from_flags(flags, primary.kind)
            if mods:
                cleaned["modalities"] = mods
            base = same_model(pid, mid, builder.built.canonical)
            draft = Draft(pid, mid, cleaned, origin, base, [LITELLM])
            draft.field_origin.update(origin_of)
            builder.add_draft(draft)
        draft.litellm_keys.extend(e.key for e in entries)
        if LITELLM not in draft.sources:
            draft.sources.append(LITELLM)
        rpm = next((e.rpm for e in entries if e.rpm), None)
        tpm = next((e.tpm for e in entries if e.tpm), None)
        if rpm or tpm:
            tier: Facts = {"tier": "default", "models": [mid]}
            if rpm:
                tier["requests_per_minute"] = rpm
            if tpm:
                tier["tokens_per_minute"] = tpm
            provider_facts.setdefault(pid, {}).setdefault("rate_limits", []).append(tier)
        successor = next((e for e in entries if e.successor), None)
        if successor is not None:
            pending.append((draft, successor))
    _resolve_successors(builder, snap, final_id, pending)
    contributed = {p for p, _ in final_id.values()}
    _aliases(builder, snap, final_id)
    for lp, mapping in LITELLM_PROVIDERS.items():
        pid = mapping.provider
        if pid not in contributed:
            continue
        facts = provider_facts.setdefault(pid, {})
        sources = provider_sources.setdefault(pid, [])
        if LITELLM not in sources:
            sources.append(LITELLM)
        provider_origin.setdefault(pid, f"litellm provider `{lp}`")
        names = [n for n, m in LITELLM_PROVIDERS.items() if m.provider == pid]
        if pid not in names and "litellm_prefix" not in facts:
            facts["litellm_prefix"] = names[0]


def _origin_fn(origin_of: dict[tuple[str, ...], str], default: str) -> OriginFn:
    def origin(path: tuple[str | int, ...]) -> str:
        return origin_of.get(tuple(map(str, path)), default)

    return origin


def _combine(
    log: ImportLog, target: str, entries: list[Entry]
) -> tuple[Facts, dict[str, dict[str, bool]], dict[tuple[str, ...], str]]:
    """One set of facts from several LiteLLM keys for the same offering (the first wins)."""
    primary = entries[0]
    facts = copy_data(primary.facts)
    flags = {side: dict(v) for side, v in primary.flags.items()}
    origin_of: dict[tuple[str, ...], str] = {}
    for other in entries[1:]:
        label = f"litellm `{other.key}`"

        def conflict(
            path: tuple[str, ...], mine: Any, theirs: Any, take: bool, label: str = label
        ) -> None:
            log.conflict(
                target,
                dotted(path),
                f"litellm `{primary.key}`",
                mine,
                label,
                theirs,
                "two LiteLLM keys for one offering: the provider-prefixed key wins",
            )

        def filled(path: tuple[str, ...], label: str = label) -> None:
            origin_of[path] = label

        fill(facts, other.facts, prefer_other=_never, on_conflict=conflict, on_fill=filled)
        for side, known in other.flags.items():
            for modality, value in known.items():
                flags.setdefault(side, {}).setdefault(modality, value)
        log.skip(
            LITELLM,
            primary.provider,
            other.key,
            f"duplicate of `{primary.key}` (both are {target}): merged into it",
        )
    return facts, flags, origin_of


def _never(_path: tuple[str, ...]) -> bool:
    return False


def _merge_with_models_dev(
    builder: Builder,
    draft: Draft,
    ll_facts: Facts,
    flags: dict[str, dict[str, bool]],
    primary: Entry,
    price_source: str,
    origin_of: dict[tuple[str, ...], str],
) -> None:
    log: ImportLog = builder.log
    target = draft.target
    key_label = f"litellm `{primary.key}`"

    def prefer_litellm(path: tuple[str, ...]) -> bool:
        if _is_price(path):
            return price_source == LITELLM
        return path == ("kind",)

    def conflict(path: tuple[str, ...], mine: Any, theirs: Any, take: bool) -> None:
        if path == ("kind",):
            why = "models.dev states no kind (guessed from modalities): LiteLLM's `mode` wins"
        elif _is_price(path):
            why = f"prices: the later snapshot ({price_source}) wins"
        else:
            why = "models.dev is the primary source for facts other than prices"
        md_label = draft.origin_of(path)
        if take:
            log.conflict(target, dotted(path), key_label, theirs, md_label, mine, why)
            draft.field_origin[path] = origin_of.get(path, key_label)
        else:
            log.conflict(target, dotted(path), md_label, mine, key_label, theirs, why)

    def filled(path: tuple[str, ...]) -> None:
        draft.field_origin[path] = origin_of.get(path, key_label)

    limits = ll_facts.get("limits") or {}
    context = (draft.facts.get("limits") or {}).get("context")
    if limits.get("max_input") is not None and limits.get("max_input") == context:
        limits.pop("max_input")  # LiteLLM's input limit is models.dev's context: nothing new
        if not limits:
            ll_facts.pop("limits", None)
    fill(draft.facts, ll_facts, prefer_other=prefer_litellm, on_conflict=conflict, on_fill=filled)
    mods = draft.facts.get("modalities")
    if not mods:
        built = modalities_from_flags(flags, primary.kind)
        if built:
            draft.facts["modalities"] = built
            draft.field_origin[("modalities",)] = key_label
        return
    for side, known in flags.items():
        have = mods.get(side)
        if have is None:
            continue
        for modality, value in known.items():
            if value != (modality in have):
                log.conflict(
                    target,
                    f"modalities.{side}",
                    draft.origin_of(("modalities", side)),
                    have,
                    key_label,
                    f"{modality}: {'yes' if value else 'no'}",
                    "models.dev is the primary source for facts other than prices",
                )


def _resolve_successors(
    builder: Builder,
    snap: Snapshot,
    final_id: dict[str, tuple[str, str]],
    pending: list[tuple[Draft, Entry]],
) -> None:
    """`successor_model` -> `lifecycle.replacement`, when the successor is in the catalog."""
    log: ImportLog = builder.log
    for draft, entry in pending:
        successor = entry.successor
        assert successor is not None
        life = draft.facts.setdefault("lifecycle", {})
        if "replacement" in life:
            continue
        found = final_id.get(successor)
        mapping = LITELLM_PROVIDERS.get(entry.litellm_provider)
        for prefix in mapping.prefixes if mapping and found is None else ():
            found = final_id.get(f"{prefix}/{successor}")
            if found:
                break
        if found is None:
            if not life:
                draft.facts.pop("lifecycle")
            log.change(
                draft.target,
                "lifecycle.replacement",
                successor,
                f"litellm `{entry.key}`",
                "LM031 `successor_model` names no offering in the catalog",
            )
            continue
        pid, mid = found
        life["replacement"] = mid if pid == draft.provider else f"{pid}/{mid}"
        draft.field_origin[("lifecycle", "replacement")] = f"litellm `{entry.key}`"
    del snap


def _aliases(builder: Builder, snap: Snapshot, final_id: dict[str, tuple[str, str]]) -> None:
    log: ImportLog = builder.log
    for alias_key, target_key in snap.aliases:
        found = final_id.get(target_key)
        head = alias_key.split("/", 1)[0] if "/" in alias_key else ""
        if found is None:
            for lp, mapping in LITELLM_PROVIDERS.items():
                if head in mapping.prefixes:
                    found = final_id.get(f"{head}/{target_key}") or final_id.get(
                        f"{lp}/{target_key}"
                    )
                    if found:
                        break
        if found is None:
            log.skip(
                LITELLM,
                head or "-",
                alias_key,
                f"alias stub of `{target_key}`, which is not in the catalog",
            )
            continue
        pid, mid = found
        alias = alias_key.split("/", 1)[1] if head and head in _prefixes_of(pid) else alias_key
        draft = builder.built.offerings.get((pid, mid))
        if draft is None:
            log.skip(
                LITELLM,
                pid,
                alias_key,
                f"alias stub of `{target_key}` ({pid}/{mid}), which is not in the catalog",
            )
            continue
        if alias not in draft.aliases:
            draft.aliases.append(alias)
            draft.field_origin[("aliases",)] = f"litellm `{alias_key}`"
        log.skip(LITELLM, pid, alias_key, f"alias stub: written as alias `{alias}` of {pid}/{mid}")


def _prefixes_of(pid: str) -> set[str]:
    return {p for m in LITELLM_PROVIDERS.values() if m.provider == pid for p in m.prefixes}
