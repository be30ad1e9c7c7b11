"""The identity section of `IMPORT_REPORT.md`: how offerings were linked to canonical models
(:mod:`llmaestro.catalog.identity`), the canonical models made from offerings, the source
links corrected, and every chat offering left unlinked with the reason."""

from __future__ import annotations

import re
from collections import Counter

from llmaestro.catalog.importers.draft import Built
from llmaestro.catalog.importers.mdtable import table

#: What each `linked_by` means, for the report's table.
HOW = {
    "manual": "a hand-checked entry in `data/manual/`",
    "source": "the source's own link (models.dev `base_model`)",
    "id": "the id is the canonical model's",
}


def _how(linked_by: object) -> str:
    text = str(linked_by)
    if text.startswith("rule:"):
        return f"rule `{text[5:]}` of `llmaestro.catalog.identity.rules`"
    return HOW.get(text, text)


def identity_section(built: Built) -> list[str]:
    """The report's `## Identity` lines."""
    chat = [d for d in built.offerings.values() if d.facts.get("kind") == "chat"]
    linked = [d for d in chat if d.base]
    share = f"{100 * len(linked) / len(chat):.1f} %" if chat else "n/a"
    out = [
        "",
        "## Identity",
        "",
        f"**{len(linked)} of {len(chat)} chat offerings ({share}) are linked to a canonical "
        "model** (`base:`), each saying how (`linked_by`). Rules: "
        "`llmaestro/catalog/identity/rules.py`.",
        "",
    ]
    how = Counter(_how(d.facts.get("linked_by")) for d in built.offerings.values() if d.base)
    out += table(("how offerings are linked (all kinds)", "count"), how.most_common())
    made = sorted(r for r in built.made_canonical if r in built.canonical)
    sellers: dict[str, set[str]] = {}
    for draft in built.offerings.values():
        if draft.base:
            sellers.setdefault(draft.base, set()).add(draft.provider)
    out += [
        "",
        f"Canonical models made from the offerings that sell them (no source has them; facts "
        f"by consensus of the offerings): {len(made)}.",
        "",
    ]
    out += table(
        ("canonical model", "providers", "context"),
        ((f"`{ref}`", len(sellers.get(ref, ())), _context(built.canonical[ref])) for ref in made),
    )
    corrected = [c for c in built.log.changes if c.field == "base" and c.action == "corrected"]
    out += ["", "Source links corrected (the id names another model):", ""]
    out += table(
        ("offering", "declared", "why"),
        ((c.target, f"`{c.value}`", c.why) for c in sorted(corrected)),
    )
    reasons = Counter(re.sub(r"`[^`]*`", "…", r) for r in built.unlinked.values())
    out += [
        "",
        f"Chat offerings left unlinked: {len(built.unlinked)}.",
        "",
    ]
    out += table(("reason", "count"), reasons.most_common())
    out += [""]
    out += table(
        ("offering", "reason"),
        ((f"{p}/{m}", reason) for (p, m), reason in sorted(built.unlinked.items())),
    )
    return out


def _context(facts: dict[str, object]) -> object:
    limits = facts.get("limits")
    return limits.get("context", "") if isinstance(limits, dict) else ""
