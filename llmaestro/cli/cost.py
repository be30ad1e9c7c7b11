"""The ``tokens`` and ``cost`` commands, as :class:`click.Command` objects.

Attach them to the main group (``main.add_command(tokens)``, ``main.add_command(cost)``)::

    llmaestro tokens prompt.txt --model openai/gpt-4o-mini
    llmaestro tokens chat.json --model claude-sonnet-4-5        # a JSON list of messages
    llmaestro cost --model gemini-2.5-pro --input 250000 --output 2000 --cache-read 100000

Unknown models print the error with suggestions and exit 1; bad numbers exit 2 (usage).
``tokens`` reads at most ``--max-bytes`` (64 MiB by default, beyond any context window):
``tokens /dev/zero`` is an error line, not a process growing until the machine runs out of
memory; a file that is not UTF-8 text, or a closed standard input, is one error line too.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import click

from llmaestro.cli.common import fail, table, usd
from llmaestro.errors import CostError, UnknownModelError

__all__ = ["cost", "tokens"]


def _offering(model: str) -> Any:
    """The offering ``model`` names; exits 1 with suggestions when unknown."""
    from llmaestro.cost.compute import resolve_offering

    try:
        return resolve_offering(model)
    except UnknownModelError as exc:
        fail(str(exc))
    except CostError as exc:
        fail(str(exc))


def _money(value: Decimal | None) -> str:
    """An amount: USD to 6 decimals (``$0.000450``), ``unknown`` when unknown."""
    return usd(value, places=6, unknown="unknown")


def _price(value: Decimal | None) -> str:
    """A price as the catalog holds it (``$2.50``), ``unknown`` when unknown."""
    return usd(value, unknown="unknown")


# --- tokens ----------------------------------------------------------------------------------

#: The most ``tokens`` reads by default: 64 MiB, several times the largest context window's text
MAX_BYTES = 64 * 1024 * 1024

#: A count above 2^53 is no count a request has (and what the catalog's schema allows at most)
MAX_COUNT = 2**53


def _read_bounded(name: str, limit: int) -> str:
    """The text of FILE (``-``: standard input), at most ``limit`` bytes, strict UTF-8.
    Reads ``limit + 1`` bytes at most, so an endless source (``/dev/zero``, a pipe that never
    closes after sending more) stops at the limit."""
    shown = "standard input" if name == "-" else name
    raw: bytes
    if name == "-":
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            fail("standard input is closed; give FILE, or pipe the text in")
        try:
            raw = stream.read(limit + 1)
        except (OSError, ValueError) as exc:  # EBADF on a closed descriptor
            fail(f"cannot read standard input: {getattr(exc, 'strerror', None) or exc}")
    else:
        try:
            with Path(name).open("rb") as handle:  # FIFOs and devices too
                raw = handle.read(limit + 1)
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
            fail(f"{name}: {getattr(exc, 'strerror', None) or exc}")
    if len(raw) > limit:
        fail(f"{shown} is larger than {limit:,} bytes (the --max-bytes of `tokens`)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        fail(
            f"{shown} is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "`tokens` counts text"
        )


def _parse_messages(text: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None] | None:
    """Messages (and tools) when ``text`` is JSON: a list of messages or a request body."""
    stripped = text.lstrip()
    if not stripped.startswith(("[", "{")):
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than a prompt is: text
        return None
    tools: list[dict[str, Any]] | None = None
    if isinstance(data, dict) and isinstance(data.get("messages"), list):
        raw_tools = data.get("tools")
        if isinstance(raw_tools, list) and all(isinstance(t, dict) for t in raw_tools):
            tools = raw_tools
        data = data["messages"]
    if (
        isinstance(data, list)
        and data
        and all(isinstance(m, dict) and isinstance(m.get("role"), str) for m in data)
    ):
        return data, tools
    return None


@click.command("tokens")
@click.argument("file", metavar="FILE")  # read by _read_bounded, which reports every failure
@click.option(
    "--model",
    "-m",
    required=True,
    help="Model id (provider/model, alias, LiteLLM-style) or an encoding (o200k_base).",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1, max=2**40),
    default=MAX_BYTES,
    show_default=True,
    help="Refuse a FILE larger than this.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def tokens(file: str, model: str, max_bytes: int, as_json: bool) -> None:
    """Count the tokens of FILE for a model ('-' reads standard input).

    FILE is plain text, or JSON: a list of chat messages or a request body with
    "messages" (and "tools"), counted as a chat prompt with its framing.
    """
    from llmaestro.tokens.count import SHIPPED_ENCODINGS, count_message_tokens, count_tokens

    text = _read_bounded(file, max_bytes)
    ref: Any = model if model.strip().lower() in SHIPPED_ENCODINGS else _offering(model)
    parsed = _parse_messages(text)
    if parsed is not None:
        messages, tools = parsed
        counted = count_message_tokens(messages, ref, tools)
        what = f"{len(messages)} message(s)" + (f", {len(tools)} tool(s)" if tools else "")
    else:
        counted = count_tokens(text, ref)
        what = f"{len(text):,} characters of text"
    name = model if isinstance(ref, str) else f"{ref.provider}/{ref.model}"
    limits = getattr(ref, "limits", None)
    context = getattr(limits, "context", None)
    pricing = getattr(ref, "pricing", None)
    input_price = getattr(pricing, "input", None)
    input_cost = None if input_price is None else input_price * counted.value / 1_000_000
    if as_json:
        click.echo(
            json.dumps(
                {
                    "model": name,
                    "input": what,
                    "tokens": counted.value,
                    "exact": counted.exact,
                    "method": counted.method,
                    "expected_error": counted.expected_error,
                    "context": context,
                    "input_cost": None if input_cost is None else str(input_cost),
                },
                indent=2,
            )
        )
        return
    if counted.exact:
        quality = "exact"
    else:
        error = counted.expected_error
        quality = "estimate" + (f", typically ±{error:.0%}" if error is not None else "")
    click.echo(f"model:   {name}")
    click.echo(f"input:   {what}")
    click.echo(f"tokens:  {counted.value:,} ({quality}; {counted.method})")
    if context:
        click.echo(f"context: {counted.value / context:.1%} of {context:,} tokens")
    if input_cost is not None:
        click.echo(f"cost:    {_money(input_cost)} as input at {_price(input_price)}/1M tokens")


# --- cost ------------------------------------------------------------------------------------


_F = TypeVar("_F", bound=Callable[..., Any])


def _count_option(*names: str, help: str) -> Callable[[_F], _F]:
    return click.option(*names, type=click.IntRange(min=0, max=MAX_COUNT), default=0, help=help)


@click.command("cost")
@click.option("--model", "-m", required=True, help="Model id (provider/model, alias, ...).")
@click.option(
    "--input",
    "input_tokens",
    type=click.IntRange(min=0, max=MAX_COUNT),
    required=True,
    help="ALL prompt tokens, cached and cache-written ones included.",
)
@click.option(
    "--output",
    "output_tokens",
    type=click.IntRange(min=0, max=MAX_COUNT),
    required=True,
    help="ALL generated tokens, reasoning tokens included.",
)
@_count_option("--cache-read", help="Prompt tokens read from the cache (part of --input).")
@_count_option(
    "--cache-write", help="Prompt tokens written to the 5-minute cache (part of --input)."
)
@_count_option(
    "--cache-write-1h", help="Prompt tokens written to the 1-hour cache (part of --input)."
)
@_count_option("--reasoning", help="Reasoning tokens (part of --output).")
@_count_option("--input-audio", help="Audio prompt tokens (part of --input).")
@_count_option("--output-audio", help="Audio output tokens (part of --output).")
@_count_option("--images", help="Images in the prompt (per-image prices).")
@_count_option("--web-searches", help="Web-search calls.")
@click.option("--requests", type=click.IntRange(min=0, max=MAX_COUNT), default=1, show_default=True)
@click.option("--batch", is_flag=True, help="Batch API prices.")
@click.option("--service-tier", default=None, help="standard, batch, flex or priority.")
@click.option(
    "--at",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Prices in force on this day (YYYY-MM-DD).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def cost(
    model: str,
    input_tokens: int,
    output_tokens: int,
    cache_read: int,
    cache_write: int,
    cache_write_1h: int,
    reasoning: int,
    input_audio: int,
    output_audio: int,
    images: int,
    web_searches: int,
    requests: int,
    batch: bool,
    service_tier: str | None,
    at: dt.datetime | None,
    as_json: bool,
) -> None:
    """Price a request: a breakdown per component from the catalog's prices.

    Unknown prices are never taken as 0: they show as "unknown" and the total is then a
    lower bound.
    """
    from llmaestro.cost.compute import cost as compute_cost
    from llmaestro.cost.usage import Usage

    try:
        usage = Usage(
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cache_read_tokens=cache_read,
            cache_write_tokens=cache_write,
            cache_write_1h_tokens=cache_write_1h,
            reasoning_tokens=reasoning,
            input_audio_tokens=input_audio,
            output_audio_tokens=output_audio,
            images=images,
            web_searches=web_searches,
            requests=requests,
        )
    except CostError as exc:
        raise click.UsageError(str(exc)) from None
    offering = _offering(model)
    try:
        breakdown = compute_cost(
            offering,
            usage,
            at=at.date() if at is not None else None,
            service_tier=service_tier,
            batch=batch,
        )
    except CostError as exc:
        raise click.UsageError(str(exc)) from None
    if as_json:
        click.echo(json.dumps(breakdown.to_dict(), indent=2))
        return
    click.echo(_format(breakdown))


def _format(breakdown: Any) -> str:
    """A readable breakdown: one line per component used, then the total."""
    applied = breakdown.prices
    where = [f"{applied.service_tier or 'standard'} prices"]
    if applied.context_tier is not None:
        where.append(f"context tier above {applied.context_tier:,} prompt tokens")
    if applied.historic:
        until = f" to {applied.until}" if applied.until else ""
        where.append(f"historic prices from {applied.effective}{until}")
    elif applied.effective is not None:
        where.append(f"effective {applied.effective}")
    lines = [f"{breakdown.model_id}: {', '.join(where)}"]
    quantities = breakdown.quantities()
    prices = breakdown.unit_prices()
    from llmaestro.cost.prices import PRICED_BY  # loaded already: a breakdown exists

    rows = [("component", "quantity", "price", "cost")]
    for name, amount in breakdown.components().items():
        quantity = quantities[name]
        if not quantity:
            continue
        unit = " each" if PRICED_BY[name].startswith("per_") else "/1M"
        price = prices[name]
        price_text = _price(price) + (unit if price is not None else "")
        if name == "reasoning" and applied.reasoning_as_output:
            price_text += " (output)"
        if name == "input_image" and applied.image_as_input:
            price_text += " (input)"
        if name == "requests" and price is None and amount is not None:
            continue  # no per-request fee
        rows.append((name, f"{quantity:,}", price_text, _money(amount)))
    lines += [f"  {line}" for line in table(rows[0], rows[1:], (1, 3)).splitlines()]
    total = _money(breakdown.total)
    if breakdown.complete:
        lines.append(f"  total: {total}")
    else:
        lines.append(f"  total: at least {total} (unknown price: {', '.join(breakdown.unknown)})")
    lines.extend(f"  note: {note}" for note in breakdown.notes)
    return "\n".join(lines)
