"""Merge facts: one source into another, hand-authored over imported, and back to `base:`.

Order of precedence, per fact of one offering:

1. a hand-authored value (`data/manual/`) always wins;
2. a value that breaks a catalog rule is never kept (it becomes unknown, and is reported);
3. for prices, the source with the later snapshot date wins; for other facts models.dev (the
   primary source) wins; LiteLLM fills what models.dev does not say;
4. every disagreement is recorded in the import report.

Offerings that are a canonical model as a provider serves it (`base_model` in models.dev, or a
lab's own API serving the lab's model under the same id) are written as `base: <lab>/<model>`
plus only what differs, with `base_omit` for inherited facts the offering does not have.

The :class:`~llmaestro.catalog.importers.builder.Builder` applies these operations offering by
offering; :mod:`~llmaestro.catalog.importers.write` writes the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pydantic import ValidationError

from llmaestro.catalog.importers.common import (
    MANUAL,
    Facts,
    ImportLog,
    copy_data,
    deep_merge,
    delete_path,
    dotted,
    get_path,
)
from llmaestro.catalog.importers.sanitize import as_model_input
from llmaestro.catalog.model import OfferingFile


def same(a: Any, b: Any) -> bool:
    """Equal as catalog data: same shape, and ``True`` is not ``1``."""
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    return bool(a == b)


def _is_tier_list(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(t, dict) and "above_tokens" in t for t in value
    )


def fill(
    into: Facts,
    other: Facts,
    *,
    prefer_other: Callable[[tuple[str, ...]], bool],
    on_conflict: Callable[[tuple[str, ...], Any, Any, bool], None],
    on_fill: Callable[[tuple[str, ...]], None],
    prefix: tuple[str, ...] = (),
) -> None:
    """Merge ``other`` into ``into`` leaf by leaf. Context-tier lists merge tier by tier
    (matched on `above_tokens`); other lists are one value."""
    for key, value in other.items():
        path = (*prefix, key)
        if key not in into:
            into[key] = copy_data(value)
            on_fill(path)
            continue
        mine = into[key]
        if isinstance(mine, dict) and isinstance(value, dict):
            fill(
                mine,
                value,
                prefer_other=prefer_other,
                on_conflict=on_conflict,
                on_fill=on_fill,
                prefix=path,
            )
        elif _is_tier_list(mine) and _is_tier_list(value):
            by_size = {t["above_tokens"]: t for t in mine}
            for tier in value:
                size = tier["above_tokens"]
                if size in by_size:
                    fill(
                        by_size[size],
                        tier,
                        prefer_other=prefer_other,
                        on_conflict=on_conflict,
                        on_fill=on_fill,
                        prefix=(*path, str(size)),
                    )
                else:
                    by_size[size] = copy_data(tier)
                    on_fill((*path, str(size)))
            into[key] = [by_size[s] for s in sorted(by_size)]
        elif not same(mine, value):
            take = prefer_other(path)
            on_conflict(path, mine, value, take)
            if take:
                into[key] = copy_data(value)


def overlay_manual(
    imported: Facts,
    manual: Facts,
    *,
    target: str,
    log: ImportLog,
    manual_path: str,
    imported_origin: Callable[[tuple[str, ...]], str],
) -> Facts:
    """Hand-authored facts over imported ones; disagreements logged. Provenance lists and
    rate-limit lists are joined (hand-authored entries first), other lists replaced."""
    out = copy_data(imported)

    def walk(into: Facts, top: Facts, prefix: tuple[str, ...]) -> None:
        for key, value in top.items():
            path = (*prefix, key)
            if key in ("provenance", "rate_limits") and isinstance(into.get(key), list):
                joined = copy_data(value)
                for item in into[key]:
                    if not any(same(item, x) for x in joined):
                        joined.append(item)
                into[key] = joined
            elif isinstance(value, dict) and isinstance(into.get(key), dict):
                walk(into[key], value, path)
            else:
                if key in into and not same(into[key], value):
                    log.conflict(
                        target,
                        dotted(path),
                        MANUAL,
                        value,
                        imported_origin(path),
                        into[key],
                        "hand-authored value wins",
                    )
                into[key] = copy_data(value)

    walk(out, manual, ())
    del manual_path
    result: Facts = out
    return result


def compact(base: Facts, full: Facts, prefix: tuple[str, ...] = ()) -> tuple[Facts, list[str]]:
    """(own facts, base_omit paths) such that ``base`` minus the omitted paths, with ``own``
    merged over it, equals ``full``."""
    own: Facts = {}
    omit: list[str] = []
    for key, value in full.items():
        if key not in base:
            own[key] = value
        elif isinstance(value, dict) and isinstance(base[key], dict):
            sub_own, sub_omit = compact(base[key], value, (*prefix, key))
            if sub_own:
                own[key] = sub_own
            omit.extend(sub_omit)
        elif not same(value, base[key]):
            own[key] = value
    for key in base:
        if key not in full and key != "id":
            omit.append(".".join((*prefix, key)))
    return own, omit


def restore_required(own: Facts, full: Facts) -> None:
    """Put back required keys a compacted file lacks (e.g. `reasoning.supported`): a file is
    validated on its own before inheritance."""
    for _ in range(20):
        try:
            OfferingFile.model_validate(as_model_input(own))
            return
        except ValidationError as exc:
            missing = [tuple(e["loc"]) for e in exc.errors() if e["type"] == "missing"]
            if not missing:
                raise
            for loc in missing:
                node: Any = own
                for part in loc[:-1]:
                    node = node[part]
                node[loc[-1]] = copy_data(get_path(full, tuple(loc)))


def resolve(base: Facts, omit: Iterable[str], own: Facts) -> Facts:
    """What the validator computes for `base:` + `base_omit:` + own facts."""
    inherited = {k: copy_data(v) for k, v in base.items() if k != "id"}
    for path in omit:
        delete_path(inherited, tuple(path.split(".")))
    return deep_merge(inherited, own)
