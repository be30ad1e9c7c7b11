"""`llmaestro stats`: what the catalog holds and how it measures against issue 15's goals.

Counts (providers, canonical models, offerings per kind and per provider, validation errors
of a catalog folder), then the measures of :mod:`llmaestro.registry.stats` as of ``--today``
(default: today UTC): the linked share of chat offerings, the unknown-context share, the
offerings per effective lifecycle status and per billing kind, the billing kinds among the
cheapest chat offerings, and, when the identity package provides it
(:func:`llmaestro.catalog.identity.goals.well_known_report`), how the offerings naming the
well-known models link. Each goal is printed with PASS or FAIL; ``--check`` exits 1 when
one fails. ``--json`` (or ``--format json``) prints one object.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from llmaestro.cli.common import fail
from llmaestro.errors import LLMaestroError

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro.registry.core import Registry

#: (key, what, target, at least?): the goals; a share compares as a fraction.
GOALS: tuple[tuple[str, str, float, bool], ...] = (
    ("linked", "chat offerings linked to a canonical model", 0.85, True),
    ("well_known", "offerings naming a well-known model linked to it", 0.95, True),
    ("well_known_wrong", "offerings naming a well-known model linked to another", 0, False),
    (
        "unknown_context",
        "chat offerings with unknown context (no window, own or inherited)",
        0.10,
        False,
    ),
    ("cheapest_unmetered", "of the 20 cheapest chat offerings, not billed per token", 0, False),
)


def _share(count: int, total: int) -> dict[str, Any]:
    return {"count": count, "total": total, "share": round(count / total, 4) if total else 0.0}


def counts_of(registry: Registry) -> dict[str, Any]:
    """Providers, canonical models, offerings, per kind and per provider."""
    kinds = Counter(o.kind or "unknown" for o in registry)
    per_provider = Counter(oid.split("/", 1)[0] for oid in registry.ids)
    return {
        "providers": len(registry.provider_ids),
        "canonical_models": len(registry.canonical_ids),
        "offerings": len(registry),
        "offerings_per_kind": dict(sorted(kinds.items(), key=lambda t: (-t[1], t[0]))),
        "offerings_per_provider": dict(sorted(per_provider.items())),
    }


def measures_of(registry: Registry) -> dict[str, Any]:
    """The measures and goals of ``registry`` (as of ``registry.today``) as plain JSON."""
    from llmaestro.registry import stats

    linked = stats.linked_share(registry)
    unknown = stats.unknown_context_share(registry)
    unknown_window = stats.unknown_input_window_share(registry)
    cheapest = stats.unmetered_among_cheapest(registry)
    out: dict[str, Any] = {
        "today": registry.today.isoformat(),
        "linked": linked.as_json(),
        "unknown_context": unknown.as_json(),
        "unknown_input_window": unknown_window.as_json(),
        "status": stats.status_counts(registry),
        "billing": stats.billing_counts(registry),
        "cheapest_unmetered": cheapest.as_json(),
        "well_known": _well_known(registry),
    }
    out["goals"] = _goals(out)
    return out


def _well_known(registry: Registry) -> dict[str, Any] | None:
    """The identity package's report on the well-known models, None when it is not there."""
    try:
        from llmaestro.catalog.identity.goals import well_known_report
    except ImportError:  # the identity package (or its authoring extra) is not installed
        return None
    report = well_known_report(registry)
    return {
        **_share(report.linked, report.offerings),
        "wrong": report.wrong,
        "models": len(report.models),
        "wrong_links": sorted(w for m in report.models for w in m.wrong),
    }


def _goals(measures: dict[str, Any]) -> list[dict[str, Any]]:
    values: dict[str, tuple[float | None, str]] = {}  # None: nothing to measure
    for key in ("linked", "unknown_context", "cheapest_unmetered"):
        m = measures[key]
        if key == "cheapest_unmetered":
            values[key] = (m["count"], f"{m['count']:,} of {m['total']:,}")
        else:
            share = m["share"] if m["total"] else None
            values[key] = (share, f"{m['share']:.1%} ({m['count']:,} of {m['total']:,})")
    known = measures["well_known"]
    if known is not None:
        values["well_known"] = (
            known["share"] if known["total"] else None,
            f"{known['share']:.1%} ({known['count']:,} of {known['total']:,})",
        )
        values["well_known_wrong"] = (known["wrong"], f"{known['wrong']:,}")
    out = []
    for key, what, target, at_least in GOALS:
        if key not in values:
            continue
        value, shown = values[key]
        passed = value is None or (value >= target if at_least else value <= target)
        bound = f"≥ {target:.0%}" if at_least else (f"≤ {target:.0%}" if target else "none")
        out.append(
            {"goal": key, "what": what, "target": bound, "value": shown, "pass": bool(passed)}
        )
    return out


@click.command("stats")
@click.option(
    "--catalog",
    type=click.Path(path_type=Path),
    default=None,
    help="Catalog folder (validated: its errors are counted), compiled bundle, or JSON/SQLite "
    "export [default: the catalog load() reads: the bundled one outside a source checkout].",
)
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="The day lifecycle statuses are taken as of [default: today UTC].",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--check", is_flag=True, help="Exit 1 when a goal is not met.")
def stats(
    catalog: Path | None, today: dt.datetime | None, fmt: str, as_json: bool, check: bool
) -> None:
    """Providers, canonical models, offerings per kind, lifecycle statuses and billing kinds,
    and the catalog's goals (linked share, unknown context) with PASS or FAIL."""
    from llmaestro.loader import default_catalog, load

    day = today.date() if today is not None else None
    folder = catalog
    if catalog is None and not os.environ.get("LLMAESTRO_CATALOG_PATH"):
        default = Path(default_catalog())
        folder = default if default.is_dir() else None
    errors = 0
    if folder is not None and folder.is_dir():
        from llmaestro.catalog.validate import validate_catalog

        errors = len(validate_catalog(folder, today=day).errors)
    data: dict[str, Any] = {"errors": errors}
    try:
        registry = load(catalog=catalog, today=day)
    except LLMaestroError as exc:
        if not errors:
            fail(str(exc))
        registry = None  # an invalid folder: its counts need a valid catalog
    if registry is not None:
        data.update(counts_of(registry))
        data.update(measures_of(registry))
    if as_json or fmt == "json":
        click.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        click.echo("\n".join(render_text(data)))
    if errors:
        click.echo(f"the catalog has {errors} validation errors", err=True)
        sys.exit(1)
    if check and not all(g["pass"] for g in data.get("goals", ())):
        sys.exit(1)


def render_text(data: dict[str, Any]) -> list[str]:
    """The text form of ``llmaestro stats`` (``data``: its JSON form)."""
    if "offerings" not in data:
        return []
    lines = [
        f"providers: {data['providers']}",
        f"canonical models: {data['canonical_models']}",
        f"offerings: {data['offerings']}",
    ]
    lines += [f"  {kind}: {n:,}" for kind, n in data["offerings_per_kind"].items()]
    lines.append(f"lifecycle status as of {data['today']}:")
    lines += [f"  {status}: {n:,}" for status, n in data["status"].items()]
    lines.append("billing:")
    lines += [f"  {kind}: {n:,}" for kind, n in data["billing"].items()]
    known = data["well_known"]
    if known is None:
        lines.append("well-known models: not measured (the identity package is not installed)")
    ctx, window = data["unknown_context"], data["unknown_input_window"]
    lines.append(
        f"chat offerings with no context window: {ctx['share']:.1%} ({ctx['count']:,} of "
        f"{ctx['total']:,}; {ctx['count'] - window['count']:,} of them state an input limit)"
    )
    lines.append(
        f"chat offerings with neither a context window nor an input limit: "
        f"{window['share']:.1%} ({window['count']:,} of {window['total']:,})"
    )
    lines.append("goals:")
    for g in data["goals"]:
        verdict = "PASS" if g["pass"] else "FAIL"
        lines.append(f"  {verdict}  {g['what']} ({g['target']}): {g['value']}")
    return lines
