"""The normaliser: an offering id → the candidate ids of the model it is, by the rule table.

:func:`normalise` applies :data:`~.rules.RULES` to an id and returns its candidates, most
specific first: the id with every ordinary rule applied, then (when fallback rules match) the
id with each fallback applied on top. :func:`match_key` is how two ids are compared.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from llmaestro.catalog.identity.rules import RULES, Rule

_RUN = re.compile(r"[a-z]+|[0-9]+")
_SNAPSHOT = "dated-snapshot"


@dataclass(frozen=True)
class Candidate:
    """An id an offering may be, after some rules."""

    model: str
    """The rewritten id, lowercased, dots kept (`llama-3.1-8b`): how a new canonical model
    created for it is named."""
    key: str
    """Its match key (:func:`match_key`): what it is compared by."""
    rules: tuple[str, ...]
    """The rules that changed the id, in order (`case` included)."""
    variants: tuple[str, ...]
    """The variants the rules recorded (`thinking`, `free`, `fp8`...)."""
    snapshot: str | None
    """The snapshot date the id named (`2025-09-29`), if any."""
    org: str | None = None
    """The hub organisation the id names (`meta-llama/...` -> `meta-llama`), lowercased."""

    @property
    def rule(self) -> str:
        """The rule that links by this candidate: the first one that changed the id."""
        for name in self.rules:
            if name != "case":
                return name
        return "case" if self.rules else "separators"


def match_key(model: str) -> str:
    """Letter and digit runs of ``model`` (lowercased) joined by ``-``: `Claude-4.5_Sonnet`
    and `claude-4-5-sonnet` have the same key; `3p1` reads as `3.1` (Fireworks)."""
    text = re.sub(r"([0-9])p([0-9])", r"\1.\2", model.lower())
    return "-".join(_RUN.findall(text))


def _apply(rule: Rule, text: str) -> tuple[str, str | None, str | None]:
    """(rewritten text, variant, snapshot date) of one rule; the text unchanged when it does
    not match."""
    found = rule.pattern.search(text)
    if found is None:
        return text, None, None
    variant = found.expand(rule.variant) if rule.variant else None
    snapshot = None
    if rule.name == _SNAPSHOT:
        snapshot = "-".join(found.groups())
    return rule.pattern.sub(rule.replace, text), variant or None, snapshot


def _run(
    text: str, rules: list[str], variants: list[str], snapshot: str | None
) -> tuple[str, str | None]:
    for rule in RULES:
        if rule.fallback:
            continue
        out, variant, date = _apply(rule, text)
        if out != text:
            rules.append(rule.name)
            if variant and variant not in variants:
                variants.append(variant)
            snapshot = snapshot or date
            text = out.strip("-")
    return text, snapshot


@functools.lru_cache(maxsize=65536)
def normalise(model: str) -> tuple[Candidate, ...]:
    """The candidates an offering id may be, most specific first (never empty)."""
    rules: list[str] = []
    variants: list[str] = []
    text = model.lower()
    if text != model:
        rules.append("case")
    text, snapshot = _run(text, rules, variants, None)
    out = [_candidate(model, text, rules, variants, snapshot)]
    for rule in RULES:
        if not rule.fallback:
            continue
        changed, variant, _ = _apply(rule, text)
        if changed == text:
            continue
        rules = [*rules, rule.name]
        variants = [*variants, *([variant] if variant and variant not in variants else [])]
        text, snapshot = _run(changed, rules, variants, snapshot)
        out.append(_candidate(model, text, rules, variants, snapshot))
    return tuple(out)


def _candidate(
    original: str, text: str, rules: list[str], variants: list[str], snapshot: str | None
) -> Candidate:
    parts = original.lower().split("/")
    org = parts[-2] if len(parts) > 1 and parts[-2] not in _NO_ORG else None
    text = text.replace("~", "-")
    return Candidate(text, match_key(text), tuple(rules), tuple(variants), snapshot, org)


#: Path segments that are a provider's namespace, not the lab's organisation.
_NO_ORG = frozenset({"models", "routers", "tee", "workers-ai", "@cf", "@hf", "meta-models"})
