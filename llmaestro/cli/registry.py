"""Commands over the registry: ``models`` (``list``, ``cheapest``, ``show``), ``show``,
``providers`` (``export`` is in :mod:`llmaestro.cli.export`).

Module-level click objects; the main group attaches them (``for c in COMMANDS:
main.add_command(c)``). Every command takes ``--catalog PATH`` (a catalog folder, a compiled
bundle, or a JSON or SQLite export) and never prints a traceback: an unknown id prints the
closest ids and exits 1, a bad option exits 2.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from llmaestro.catalog.model import KINDS, MODALITIES, STATUSES
from llmaestro.cli.common import catalog_option, echo_json, fail, load_registry, table
from llmaestro.errors import UnknownModelError, UnknownProviderError
from llmaestro.registry.ranking import ANY, BILLING_KINDS, billing_label

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable

    from llmaestro._records import Offering
    from llmaestro.registry.core import Registry
    from llmaestro.registry.filters import QueryFilters

UNKNOWN = "—"
SORT_KEYS = ("id", "input_price", "output_price", "blended_price", "context", "max_output",
             "release_date")  # fmt: skip


# --- cells ------------------------------------------------------------------------------------


def _count(n: int | None) -> str:
    return UNKNOWN if n is None else f"{n:,}"


def _price(value: Decimal | None) -> str:
    return UNKNOWN if value is None else format(value, "f")


def _offering_row(o: Offering, mark: str = "") -> list[str]:
    limits = o.limits
    pricing = o.pricing
    status = o.lifecycle.status if o.lifecycle else None
    # an offering not billed per token shows how it is billed, not its per-token figure
    label = billing_label(o.billing.kind if o.billing else None)
    return [
        f"{mark}{o.provider}/{o.model}",
        o.kind or UNKNOWN,
        _count(limits.context if limits else None),
        _count(limits.max_output if limits else None),
        label or _price(pricing.input if pricing else None),
        label or _price(pricing.output if pricing else None),
        status or UNKNOWN,
    ]


OFFERING_HEADERS = ("id", "kind", "context", "max output", "$in/1M", "$out/1M", "status")
OFFERING_RIGHT = (2, 3, 4, 5)


def offerings_table(offerings: Iterable[Offering], current: str | None = None) -> str:
    """The readable table of offerings (unknown shown as ``—``)."""
    rows = []
    for o in offerings:
        mark = ""
        if current is not None:
            mark = "* " if f"{o.provider}/{o.model}" == current else "  "
        rows.append(_offering_row(o, mark))
    return table(OFFERING_HEADERS, rows, OFFERING_RIGHT)


_PRICE = re.compile(r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]{1,3})?|\.[0-9]+", re.ASCII)


def _usd(ctx: click.Context, param: click.Parameter, value: str | None) -> Decimal | None:
    """A price option: USD per 1M tokens, a non-negative decimal in ASCII digits (``2.5``,
    ``$0.15``, ``1e-3``); Decimal alone would take ``1_0`` as 10 and Arabic-Indic digits."""
    if value is None:
        return None
    text = value.strip().removeprefix("$")
    try:
        number = Decimal(text) if _PRICE.fullmatch(text) else Decimal("NaN")
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number < 0:
        raise click.BadParameter(f"{value!r} is not a price (USD per 1M tokens, e.g. 2.5)")
    return number


# --- models -----------------------------------------------------------------------------------


class DefaultGroup(click.Group):
    """A group that runs ``default_command`` when no subcommand is named:
    ``llmaestro models --kind chat`` is ``llmaestro models list --kind chat``."""

    default_command = "list"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        first = args[0] if args else None
        if first is None or (first not in self.commands and first not in ctx.help_option_names):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup)
def models() -> None:
    """List and show models (offerings); `llmaestro models` is `llmaestro models list`."""


def _multi(values: tuple[str, ...]) -> tuple[str, ...] | None:
    return values or None


#: The filter options of `models list` and `models cheapest`, one per QueryFilters field.
_FILTERS: tuple[Callable[[Any], Any], ...] = (
    click.option(
        "--capability",
        "capabilities",
        multiple=True,
        metavar="NAME",
        help="Required capability, e.g. tool_calling, vision, reasoning (repeatable).",
    ),
    click.option("--kind", multiple=True, type=click.Choice(KINDS), help="Kind (repeatable: any)."),
    click.option(
        "--input-modality", multiple=True, type=click.Choice(MODALITIES), help="Required input."
    ),
    click.option(
        "--output-modality", multiple=True, type=click.Choice(MODALITIES), help="Required output."
    ),
    click.option("--min-context", type=click.IntRange(min=0), help="Smallest context window."),
    click.option("--min-output", type=click.IntRange(min=0), help="Smallest max output."),
    click.option(
        "--max-input-price", callback=_usd, metavar="USD", help="Most USD per 1M input tokens."
    ),
    click.option(
        "--max-output-price", callback=_usd, metavar="USD", help="Most USD per 1M output tokens."
    ),
    click.option(
        "--max-blended-price",
        callback=_usd,
        metavar="USD",
        help="Most USD per 1M tokens, 3 in : 1 out.",
    ),
    click.option("--provider", multiple=True, help="Provider id (repeatable: any)."),
    click.option("--family", multiple=True, help="Model family (repeatable: any)."),
    click.option("--lab", multiple=True, help="Lab of the canonical model (repeatable: any)."),
    click.option(
        "--open-weights/--closed-weights",
        "open_weights",
        default=None,
        help="Only models whose weights are (or are not) published.",
    ),
    click.option(
        "--status",
        multiple=True,
        type=click.Choice(STATUSES),
        help="Lifecycle status (repeatable).",
    ),
    click.option(
        "--released-after", type=click.DateTime(["%Y-%m-%d"]), help="Released on or after this day."
    ),
    click.option(
        "--released-before",
        type=click.DateTime(["%Y-%m-%d"]),
        help="Released on or before this day.",
    ),
    click.option("--include-retired", is_flag=True, help="Include retired models."),
    click.option(
        "--billing",
        multiple=True,
        type=click.Choice((*BILLING_KINDS, ANY)),
        help="Billing kind (repeatable; `any`: every kind). Default: every kind, but price "
        "sorts rank per_token offers first, and price bounds and `cheapest` take only them.",
    ),
)


def filter_options(func: Any) -> Any:
    """The filter options, on a command taking them as keywords (see :func:`_filters`)."""
    for option in reversed(_FILTERS):
        func = option(func)
    return func


def _filters(registry: Registry, o: dict[str, Any]) -> QueryFilters:
    """The QueryFilters of the filter options' values ``o``; an unknown provider exits 1, an
    unknown capability 2."""
    from llmaestro.registry.filters import QueryFilters

    for pid in o["provider"]:
        try:
            registry.provider(pid)
        except UnknownProviderError as exc:
            fail(str(exc))
    after, before = o["released_after"], o["released_before"]
    try:
        return QueryFilters(
            capabilities=o["capabilities"],
            kind=_multi(o["kind"]),
            input_modalities=o["input_modality"],
            output_modalities=o["output_modality"],
            min_context=o["min_context"],
            min_output=o["min_output"],
            max_input_price=o["max_input_price"],
            max_output_price=o["max_output_price"],
            max_blended_price=o["max_blended_price"],
            provider=_multi(o["provider"]),
            family=_multi(o["family"]),
            lab=_multi(o["lab"]),
            open_weights=o["open_weights"],
            status=_multi(o["status"]),
            released_after=after.date() if after else None,
            released_before=before.date() if before else None,
            include_retired=True if o["include_retired"] else None,
            billing=_multi(o["billing"]),
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--capability'") from None


@models.command("list")
@filter_options
@click.option(
    "--sort", type=click.Choice(SORT_KEYS), default="id", show_default=True, help="Sort key."
)
@click.option("--desc", is_flag=True, help="Sort descending (unknown values stay last).")
@click.option("--limit", type=click.IntRange(min=0), help="Show at most this many.")
@click.option("--json", "as_json", is_flag=True, help="Print the offerings as a JSON array.")
@catalog_option
def list_models(
    sort: str, desc: bool, limit: int | None, as_json: bool, catalog: Path | None, **options: Any
) -> None:
    """List offerings matching every filter (prices: USD per 1M tokens).

    A filter on an unknown fact excludes the model; sorting puts unknown values last.
    Sorting by a price ranks per_token offers first; offers billed otherwise show
    "subscription", "free tier" or "self-hosted" instead of a price (`--billing any` lets
    price bounds pass them too).
    """
    from llmaestro.registry.jsonable import record_json

    registry = load_registry(catalog)
    filters = _filters(registry, options)
    found = registry.query(filters, sort=sort, descending=desc, limit=limit)  # type: ignore[arg-type]
    if as_json:
        echo_json([record_json(o) for o in found])
        return
    if not found:
        click.echo("no model matches these filters", err=True)
        return
    click.echo(offerings_table(found))


@models.command("cheapest")
@filter_options
@click.option(
    "--by",
    type=click.Choice(("input", "output", "blended")),
    default="blended",
    show_default=True,
    help="The price compared (blended: 3 in : 1 out).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the offering as JSON.")
@catalog_option
def cheapest(by: str, as_json: bool, catalog: Path | None, **options: Any) -> None:
    """The offering with the lowest known price matching every filter: one billed per token,
    unless `--billing` names other kinds (`--billing any`: every kind), which rank after the
    per-token ones."""
    from llmaestro.registry.jsonable import record_json

    registry = load_registry(catalog)
    found = registry.cheapest(_filters(registry, options), by=by)  # type: ignore[arg-type]
    if as_json:
        echo_json(None if found is None else record_json(found))
        return
    if found is None:
        hint = (
            "" if options["billing"] else " (`--billing any` includes offers not billed per token)"
        )
        click.echo(f"no offering with a known price matches these filters{hint}", err=True)
        return
    click.echo(offerings_table([found]))


# --- show -------------------------------------------------------------------------------------


def _scalar(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _inline(entry: Mapping[str, Any]) -> str | None:
    parts = []
    for key, value in entry.items():
        if isinstance(value, Mapping):
            return None
        if isinstance(value, list):
            if any(isinstance(v, Mapping | list) for v in value):
                return None
            value = ", ".join(_scalar(v) for v in value)
        parts.append(f"{key}: {_scalar(value)}")
    return "; ".join(parts)


def facts_tree(data: Mapping[str, Any], indent: int = 1) -> list[str]:
    """Facts (plain JSON) as indented ``key: value`` lines."""
    pad = "  " * indent
    lines: list[str] = []
    for key, value in data.items():
        if isinstance(value, Mapping):
            lines.append(f"{pad}{key}:")
            lines += facts_tree(value, indent + 1)
        elif isinstance(value, list):
            if not any(isinstance(v, Mapping | list) for v in value):
                lines.append(f"{pad}{key}: {', '.join(_scalar(v) for v in value)}")
                continue
            lines.append(f"{pad}{key}:")
            for item in value:
                flat = _inline(item) if isinstance(item, Mapping) else _scalar(item)
                if flat is not None:
                    lines.append(f"{pad}  - {flat}")
                else:
                    sub = facts_tree(item, indent + 2)
                    lines.append(f"{pad}  - {sub[0].strip()}")
                    lines += sub[1:]
        else:
            lines.append(f"{pad}{key}: {_scalar(value)}")
    return lines


def _lifecycle_note(o: Offering) -> str | None:
    life = o.lifecycle
    if life is None or life.status not in ("deprecated", "retired"):
        return None
    text = f"note: {o.provider}/{o.model} is {life.status}"
    if life.retirement_date:
        verb = "retired on" if life.status == "retired" else "retires on"
        text += f"; {verb} {life.retirement_date}"
    if life.replacement:
        text += f"; use {life.replacement} instead"
    return text


@click.command()
@click.argument("model_id")
@click.option("--json", "as_json", is_flag=True, help="Print every fact as JSON.")
@catalog_option
def show(model_id: str, as_json: bool, catalog: Path | None) -> None:
    """Every fact of a model, its provenance, and every offering of its canonical model.

    MODEL_ID is `provider/model`, an alias, a LiteLLM-style id, a bare model id, or a
    canonical model `lab/model`.
    """
    from llmaestro.registry.core import DeprecatedModelWarning
    from llmaestro.registry.jsonable import record_json

    registry = load_registry(catalog)
    offering: Offering | None = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecatedModelWarning)
        try:
            offering = registry.get(model_id)
        except UnknownModelError as exc:
            if model_id not in registry.canonical_ids:
                hint = "" if exc.suggestions else "; `llmaestro models` lists every id"
                fail(f"{exc}{hint}")
    ref = offering.base if offering is not None else model_id
    canonical = None
    siblings: list[Offering] = []
    if ref is not None and ref in registry.canonical_ids:
        canonical = registry.canonical_model(ref)
        siblings = registry.offerings_of(ref)
    provider = None
    if offering is not None and offering.provider in registry.provider_ids:
        provider = registry.provider(offering.provider)

    if as_json:
        echo_json(
            {
                "id": None if offering is None else f"{offering.provider}/{offering.model}",
                "offering": None if offering is None else record_json(offering),
                "provider": None if provider is None else record_json(provider),
                "canonical_model": None if canonical is None else record_json(canonical),
                "offerings": [record_json(o) for o in siblings],
            }
        )
        return

    lines: list[str] = []
    if offering is not None:
        oid = f"{offering.provider}/{offering.model}"
        title = f"{oid} — {offering.name}" if offering.name else oid
        lines.append(title)
        if oid != model_id:
            lines.append(f"  (resolved from `{model_id}`)")
        pname = f"{provider.name} ({provider.provider})" if provider else offering.provider
        lines.append(f"  provider: {pname}")
        lines.append(f"  canonical model: {offering.base or UNKNOWN}")
        note = _lifecycle_note(offering)
        if note:
            lines.append(f"  {note}")
        lines += ["", "Facts"]
        facts = record_json(offering)
        for key in ("provider", "model", "id"):
            facts.pop(key, None)
        lines += facts_tree(facts)
    if canonical is not None:
        if lines:
            lines.append("")
        cname = f" — {canonical.name}" if canonical.name else ""
        lines.append(f"Canonical model {canonical.lab}/{canonical.model}{cname}")
        cfacts = record_json(canonical)
        for key in ("lab", "model", "id"):
            cfacts.pop(key, None)
        if offering is not None:  # the offering shows the merged facts; keep the lab's sources
            cfacts = {k: v for k, v in cfacts.items() if k in ("provenance", "pricing")}
        lines += facts_tree(cfacts)
    if siblings:
        current = f"{offering.provider}/{offering.model}" if offering is not None else None
        lines += ["", f"Offerings of {ref} ({len(siblings)}, cheapest input first)"]
        lines += [f"  {row}" for row in offerings_table(siblings, current).splitlines()]
    elif offering is not None:
        lines += ["", "No canonical model links this offering to others."]
    from llmaestro._http.redact import escape_control

    # catalog text (a name, a description) is shown, never obeyed: one line stays one line
    # and an escape sequence does not reach the terminal
    click.echo("\n".join(escape_control(line) for line in lines))


models.add_command(show)


# --- providers --------------------------------------------------------------------------------


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the providers as a JSON array.")
@catalog_option
def providers(as_json: bool, catalog: Path | None) -> None:
    """List the providers, with their API and number of offerings."""
    from llmaestro.registry.jsonable import record_json

    registry = load_registry(catalog)
    counts = Counter(oid.split("/", 1)[0] for oid in registry.ids)
    found = registry.providers()
    if as_json:
        echo_json(
            [{**record_json(p), "offering_count": counts.get(pid, 0)} for pid, p in found.items()]
        )
        return
    rows = []
    for pid, p in found.items():
        rows.append(
            [
                pid,
                p.name,
                (p.api.style if p.api else None) or UNKNOWN,
                str(counts.get(pid, 0)),
                (p.api.base_url if p.api else None) or UNKNOWN,
            ]
        )
    click.echo(table(("id", "name", "api", "offerings", "base url"), rows, (3,)))


#: Every command of this module, for ``main.add_command``.
COMMANDS: tuple[click.Command, ...] = (models, show, providers)
