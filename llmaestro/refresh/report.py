"""The report of a refresh run: the Markdown body of its pull request (or of the job's
summary), the pull request's title, and the report of a run that failed.

The body ends with a hidden marker line (:func:`fingerprint_marker`) carrying the plan's
fingerprint, so a later run that finds the same drift leaves the open pull request alone.

Everything a provider said (ids, names, notes, validation messages quoting its values) goes
through :func:`text` or :func:`code`: keys redacted, control characters, Markdown, HTML and
``@`` mentions made inert, so a listing cannot write into the pull request body.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from llmaestro._http.redact import escape_control, redact
from llmaestro.refresh.drift import DriftPlan, PriceChange

__all__ = [
    "code",
    "failure_report",
    "fingerprint_marker",
    "pull_request_title",
    "render_report",
    "text",
]

_MARKER = "<!-- llmaestro-refresh provider={provider} fingerprint={fingerprint} -->"


def fingerprint_marker(provider: str, fingerprint: str) -> str:
    """The hidden line of a pull request body that identifies the drift it proposes."""
    return _MARKER.format(provider=provider, fingerprint=fingerprint)


def pull_request_title(plan: DriftPlan, label: str) -> str:
    """``catalog: refresh <label> (2 price, 1 new, …)``."""
    parts = []
    for count, word in (
        (len(plan.prices), "price"),
        (len(plan.new), "new"),
        (len(plan.gone), "gone"),
    ):
        if count:
            parts.append(f"{count} {word}")
    other = len(plan.edits) - len(plan.new)
    if not parts and other:
        parts.append(f"{other} updated")
    suffix = f" ({', '.join(parts)})" if parts else ""
    return f"catalog: refresh {label}{suffix}"


def failure_report(provider: str, reason: str, now: dt.datetime) -> str:
    """The report of a run that changed nothing because it failed."""
    return (
        f"## Catalog refresh: `{provider}` failed\n\n"
        f"Nothing was changed: {text(reason)}\n\n"
        f"Run at {now.astimezone(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}.\n"
    )


#: Markdown punctuation that could start emphasis, links, code, HTML or break a table cell
_MARKDOWN = str.maketrans(
    {c: "\\" + c for c in "\\`*_[]|~#!"} | {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
)


def text(value: object) -> str:
    """Provider text as inert Markdown: keys redacted (before anything else, so an escape
    cannot split a key past recognition), control characters escaped, Markdown and HTML
    characters escaped, ``@`` mentions broken (``@&#8203;name``, as Dependabot does)."""
    shown = escape_control(redact(str(value))).translate(_MARKDOWN)
    return shown.replace("@", "@&#8203;")


def code(value: object) -> str:
    """Provider text as an inline code span: keys redacted, control characters escaped; a
    fence longer than any run of backticks in it; ``|`` escaped (GitHub splits table cells
    before it reads code spans)."""
    shown = escape_control(redact(str(value))).replace("|", "\\|")
    longest = max((len(run) for run in re.findall("`+", shown)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest or shown.startswith(" ") or shown.endswith(" ") else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        return ", ".join(text(v) for v in value) or "—"
    if isinstance(value, dt.date):
        return value.isoformat()
    return text(value)


def _pct(change: PriceChange) -> str:
    pct = change.percent
    return "new" if pct is None else f"{pct:+.1f} %"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render_report(
    plan: DriftPlan, *, now: dt.datetime | None = None, title: str | None = None
) -> str:
    """The Markdown report (the pull request body): prices with old, new and %, new and gone
    offerings, limit, capability and lifecycle changes, the guards, the source and time."""
    now = now or dt.datetime.now(dt.UTC)
    obs = plan.observation
    kept = set(plan.edits)
    applied = {e.offering for e in plan.edits.values()}
    out = [f"## {title or f'Catalog refresh: `{plan.provider}`'}", ""]
    out.append(
        f"Source: the `{obs.detector}` detector read {code(obs.url)} at "
        f"{obs.fetched_at.astimezone(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}: "
        f"{len(obs.offerings)} models listed"
        + (", capabilities probed with live requests" if obs.probed else "")
        + f"; the catalog has {plan.catalog_count} offerings of `{plan.provider}`."
    )
    out.append(f"Report generated {now.astimezone(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}.")
    out.append("")
    if plan.refused:
        out += [f"**Nothing was changed.** {text(plan.refused)}", ""]
    changes = [c for c in plan.changes if c.offering in applied]
    prices = [p for p in plan.prices if p.offering in applied]
    new = [n for n in plan.new if n.file in kept]
    gone = [g for g in plan.gone if g.offering in applied]
    limits = [c for c in changes if c.category == "limit"]
    caps = [c for c in changes if c.category in ("capability", "modality")]
    life = [c for c in changes if c.category == "lifecycle"]
    other = [c for c in changes if c.category == "other" or (c.category == "price" and c.added)]
    summary = [
        f"{len(prices)} price change(s)",
        f"{len(new)} new offering(s)",
        f"{len(gone)} gone",
        f"{len(limits)} limit change(s)",
        f"{len(caps)} capability or modality change(s)",
        f"{len(life)} lifecycle change(s)",
        f"{len(plan.edits)} file(s) changed",
    ]
    out += ["**Summary:** " + ", ".join(summary) + ".", ""]
    if prices:
        out += ["### Price changes (USD per 1M tokens unless noted)", ""]
        out += _table(
            ["Offering", "Price", "Old", "New", "Change"],
            (
                [code(p.offering), text(p.field), _cell(p.old), _cell(p.new), _pct(p)]
                for p in sorted(prices, key=lambda p: (p.offering, p.field))
            ),
        )
        out += ["", "Old prices move to `pricing.history` with `until` yesterday.", ""]
    if new:
        out += ["### New offerings", ""]
        out += _table(
            ["Offering", "Name", "Kind", "Context", "Input", "Output", "Base"],
            (
                [
                    code(n.offering),
                    _cell(n.facts.get("name")),
                    _cell(n.facts.get("kind")),
                    _cell(n.facts.get("limits.context") or n.facts.get("limits.max_input")),
                    _cell(n.facts.get("pricing.input")),
                    _cell(n.facts.get("pricing.output")),
                    code(n.base) if n.base else "—",
                ]
                for n in new
            ),
        )
        out.append("")
    if gone:
        out += ["### Gone offerings", ""]
        out += _table(
            ["Offering", "Last seen", "Basis", "Marked"],
            ([code(g.offering), g.last_seen.isoformat(), g.basis, g.action] for g in gone),
        )
        out += ["", "Gone offerings are marked, never deleted.", ""]
    for heading, rows in (
        ("Limit changes", limits),
        ("Capability and modality changes", caps),
        ("Lifecycle changes", life),
        ("Other facts filled in", other),
    ):
        if rows:
            out += [f"### {heading}", ""]
            out += _table(
                ["Offering", "Field", "Old", "New"],
                (
                    [code(c.offering), code(c.path), _cell(c.old), _cell(c.new)]
                    for c in sorted(rows, key=lambda c: (c.offering, c.path))
                ),
            )
            out.append("")
    out += ["### Guards", ""]
    out.append(f"- ✅ fetch: complete listing, {len(obs.offerings)} models")
    for guard in plan.guards:
        out.append(f"- {'✅' if guard.ok else '⛔'} {guard.name}: {text(guard.detail)}")
    for held in plan.held_back:
        out.append(f"- ⚠️ held back {code(held.file)} ({text(held.offering)}): {_cell(held.reason)}")
    out.append("")
    if obs.notes:
        out += [
            f"<details><summary>{len(obs.notes)} listing entries skipped</summary>",
            "",
            *(f"- {_cell(note)}" for note in obs.notes),
            "",
            "</details>",
            "",
        ]
    out.append(fingerprint_marker(plan.provider, plan.fingerprint()))
    return "\n".join(out) + "\n"
