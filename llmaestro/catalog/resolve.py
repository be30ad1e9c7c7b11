"""What the catalog validator and overlays share: merging, located reporting, cross-file rules.

A whole catalog (:mod:`llmaestro.catalog.validate`) and an overlay merged over a base catalog
(:mod:`llmaestro.catalog.overlay`) resolve offerings the same way and check the same
cross-file rules, through the functions here.
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from llmaestro.catalog import rules
from llmaestro.catalog.diagnostics import Diagnostic
from llmaestro.catalog.tree import CatalogFile


def deep_merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """``top`` over ``base``: mappings merge key by key, everything else is replaced."""
    out = dict(base)
    for key, value in top.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = deep_merge(old, value)
        else:
            out[key] = value
    return out


def omit_path(data: dict[str, Any], dotted: str) -> bool:
    """Remove a dotted path from nested dicts (copying on the way); False when absent."""
    head, _, rest = dotted.partition(".")
    if head not in data:
        return False
    if not rest:
        del data[head]
        return True
    child = data[head]
    if not isinstance(child, dict):
        return False
    child = dict(child)
    data[head] = child
    return omit_path(child, rest)


def close_match(wanted: str, options: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(wanted, list(options), n=1, cutoff=0.6)
    return found[0] if found else None


def file_reporter(
    file: CatalogFile, inherited_from: str | None = None, *, suffix: str = ""
) -> rules.Report:
    """A rules callback that locates a JSON Pointer in ``file``.

    A pointer the file does not have, on an offering that inherits (``inherited_from`` names
    where from), points at its ``base:`` line and says where the value came from. ``suffix``
    is added to every message."""
    diags = file.diagnostics

    def report(
        code: str,
        ptr: str,
        message: str,
        *,
        found: str | None = None,
        expected: str | None = None,
        hint: str | None = None,
        severity: str = "error",
    ) -> None:
        doc = file.doc
        assert doc is not None
        doc.ensure_positions()
        probe = ptr
        while probe and probe not in doc.values:
            probe = probe.rsplit("/", 1)[0]
        if probe == "" and ptr and inherited_from is not None:
            line, column = doc.position("/base")
            message += f" (inherited from {inherited_from})"
        else:
            line, column = doc.position(ptr)
        diags.append(
            Diagnostic(
                file.display,
                line,
                column,
                code,
                ptr,
                message + suffix,
                found,
                expected,
                hint,
                "warning" if severity == "warning" else "error",
            )
        )

    return report


# --- cross-file rules of one provider --------------------------------------------------------


class CrossFacts(NamedTuple):
    """What the cross-file rules read of one resolved offering."""

    aliases: tuple[str, ...]
    replacement: str | None
    group: str | None

    @classmethod
    def of_model(cls, offering: Any) -> CrossFacts:
        life = offering.lifecycle
        return cls(
            tuple(offering.aliases or ()),
            life.replacement if life is not None else None,
            offering.rate_limit_group,
        )

    @classmethod
    def of_json(cls, offering: Mapping[str, Any]) -> CrossFacts:
        life = offering.get("lifecycle") or {}
        return cls(
            tuple(offering.get("aliases") or ()),
            life.get("replacement"),
            offering.get("rate_limit_group"),
        )


@dataclass(frozen=True, slots=True)
class CrossProblem:
    """A cross-file problem: ``owner`` is the offering whose field is wrong (``""``: the
    provider file), ``other`` the offering it collides with and ``value`` the alias, if any."""

    owner: str
    pointer: str
    code: str
    message: str
    expected: str | None = None
    hint: str | None = None
    other: str | None = None
    value: str | None = None


def provider_problems(
    pid: str,
    offerings: Mapping[str, CrossFacts | None],
    rate_limit_patterns: Sequence[Sequence[str]] | None,
    offering_ids_of: Callable[[str], Collection[str] | None],
) -> list[CrossProblem]:
    """Aliases, replacements and rate-limit patterns within one provider.

    ``offerings`` maps every model id of the provider to its facts (``None``: not resolved,
    its own errors are reported elsewhere); ``rate_limit_patterns`` are the model patterns of
    each rate-limit tier of the provider file (``None``: no valid provider file);
    ``offering_ids_of(other)`` lists another provider's model ids (``None``: no such
    provider), for ``replacement: provider/model``."""
    out: list[CrossProblem] = []
    ids = set(offerings)
    alias_owner: dict[str, str] = {}
    for mid, facts in offerings.items():
        if facts is None:
            continue
        for i, alias in enumerate(facts.aliases):
            ptr = f"/aliases/{i}"
            if alias in ids and alias != mid:
                out.append(
                    CrossProblem(
                        mid,
                        ptr,
                        "LM032",
                        f"alias `{alias}` is the id of another offering of `{pid}`",
                        hint="drop the alias, or merge the two files",
                        other=alias,
                        value=alias,
                    )
                )
            elif alias == mid:
                out.append(
                    CrossProblem(mid, ptr, "LM032", "an alias equal to the offering's own id")
                )
            elif alias in alias_owner and alias_owner[alias] != mid:
                out.append(
                    CrossProblem(
                        mid,
                        ptr,
                        "LM032",
                        f"alias `{alias}` is also an alias of `{alias_owner[alias]}`",
                        other=alias_owner[alias],
                        value=alias,
                    )
                )
            else:
                alias_owner[alias] = mid
    for mid, facts in offerings.items():
        target = facts.replacement if facts is not None else None
        if target is None or target in ids or target in alias_owner:
            continue
        if "/" in target:
            other, other_mid = target.split("/", 1)
            listed = offering_ids_of(other)
            if listed is not None and other_mid in listed:
                continue
        close = close_match(target, offerings)
        out.append(
            CrossProblem(
                mid,
                "/lifecycle/replacement",
                "LM031",
                f"replacement `{target}` is not an offering",
                expected=f"an id of `{pid}`, or `provider/model`",
                hint=f"did you mean `{close}`?" if close else None,
            )
        )
    if rate_limit_patterns is not None:
        groups = {f.group for f in offerings.values() if f is not None and f.group}
        names = ids | set(alias_owner)
        for i, patterns in enumerate(rate_limit_patterns):
            for j, pattern in enumerate(patterns):
                if pattern in groups or pattern in names:
                    continue
                if not any(fnmatch.fnmatchcase(m, pattern) for m in names):
                    out.append(
                        CrossProblem(
                            "",
                            f"/rate_limits/{i}/models/{j}",
                            "LM038",
                            f"`{pattern}` matches no offering and no rate_limit_group",
                        )
                    )
    return out


def report_problem(report: rules.Report, problem: CrossProblem, prefix: str = "") -> None:
    report(
        problem.code,
        problem.pointer,
        prefix + problem.message,
        expected=problem.expected,
        hint=problem.hint,
    )
