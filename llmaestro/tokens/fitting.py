"""Token budgets: fit a conversation into a context window, pick the cheapest model for it.

* :func:`fit_messages` drops (or truncates) the oldest turns of a chat until the prompt fits
  the model's context window minus the tokens reserved for the answer, always keeping the
  system / developer prompts and the last user turn, and reports what it removed.
* :func:`cheapest_model_for` asks the registry for the offerings meeting some requirements,
  counts the prompt's tokens with each one's tokenizer and prices it with
  :func:`llmaestro.cost.cost` under a stated output-token assumption.

Token counts come from :func:`llmaestro.tokens.count.count_message_tokens`: exact for
OpenAI models, labelled estimates for the others (``FitResult.tokens.exact``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Protocol

import llmaestro  # for llmaestro.load, looked up when called (it may be replaced)
from llmaestro.cost import CostBreakdown, Usage, cost, resolve_offering
from llmaestro.errors import CostError
from llmaestro.registry.ranking import PER_TOKEN, billing_kinds
from llmaestro.tokens.count import Message, count_message_tokens, count_tokens, fit_text
from llmaestro.tokens.resolve import resolve
from llmaestro.tokens.types import TokenCount

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro.cost.compute import Offering

__all__ = [
    "DEFAULT_OUTPUT_TOKENS",
    "FitResult",
    "ModelChoice",
    "Queryable",
    "cheapest_model_for",
    "fit_messages",
]

#: Output tokens :func:`cheapest_model_for` assumes when not told.
DEFAULT_OUTPUT_TOKENS: Final = 1024

_PROTECTED_ROLES: Final = frozenset({"system", "developer"})
_TEXT_PARTS: Final = frozenset({"text", "input_text", "output_text"})
_MAX_ROUNDS: Final = 8


@dataclass(frozen=True, slots=True)
class FitResult:
    """What :func:`fit_messages` kept and removed."""

    messages: tuple[Message, ...]
    """The fitted conversation: original message objects, new dicts for truncated ones."""
    tokens: TokenCount
    """Prompt tokens of ``messages`` (with the tools, if given)."""
    original_tokens: TokenCount
    """Prompt tokens of the conversation as given."""
    budget: int
    """Most prompt tokens allowed: the context window minus ``reserve_output``."""
    fits: bool
    """``tokens.value <= budget``; False when the protected messages alone do not fit."""
    dropped: tuple[int, ...]
    """Indices (in the given list) of the messages removed."""
    truncated: tuple[int, ...]
    """Indices (in the given list) of the messages whose text was cut."""

    @property
    def changed(self) -> bool:
        """True when something was dropped or truncated."""
        return bool(self.dropped or self.truncated)


def _window(
    model: Any, context_window: int | None, reserve_output: int, extended_context: bool = False
) -> tuple[Any, int]:
    """The tokenizer reference to count with, and the prompt-token budget."""
    if not isinstance(extended_context, bool):
        raise TypeError(f"extended_context must be a bool, got {type(extended_context).__name__}")
    for name, value in (("reserve_output", reserve_output), ("context_window", context_window)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if reserve_output < 0:
        raise ValueError(f"reserve_output must be >= 0, got {reserve_output}")
    counter_ref: Any = model
    max_input: int | None = None
    if context_window is None:
        offering = resolve_offering(model) if isinstance(model, str) else model
        limits = getattr(offering, "limits", None)
        extended = getattr(limits, "extended_context", None) if extended_context else None
        if extended is not None:  # max_input is a limit of the default window
            context_window = extended
        else:
            context_window = getattr(limits, "context", None)
            max_input = getattr(limits, "max_input", None)
        if context_window is None and max_input is None:
            name = _name(offering) if not isinstance(model, str) else model
            raise CostError(f"the context window of {name} is unknown; pass context_window=")
        counter_ref = offering
    if context_window is None:  # only max_input is known
        assert max_input is not None
        budget = max_input
    else:
        if context_window <= 0:
            raise ValueError(f"context_window must be > 0, got {context_window}")
        budget = context_window - reserve_output
        if max_input is not None:
            budget = min(budget, max_input)
    if budget <= 0:
        raise CostError(
            f"reserve_output ({reserve_output}) leaves no room for the prompt in a context "
            f"window of {context_window} tokens"
        )
    return counter_ref, budget


def _name(offering: Any) -> str:
    provider = getattr(offering, "provider", None)
    model = getattr(offering, "model", None)
    if isinstance(provider, str) and isinstance(model, str):
        return f"{provider}/{model}"
    return repr(offering)


def _is_tool_result_turn(message: Message) -> bool:
    """An Anthropic-style user message carrying only tool results (part of the prior turn)."""
    content = message.get("content")
    if not isinstance(content, Sequence) or isinstance(content, str) or not content:
        return False
    return all(isinstance(p, Mapping) and p.get("type") == "tool_result" for p in content)


def _units(messages: Sequence[Message], last_user: int) -> list[list[int]]:
    """Droppable turns before the last user turn: a user message with the replies, tool calls
    and tool results that follow it. System / developer messages are never in a turn."""
    units: list[list[int]] = []
    for index in range(last_user):
        message = messages[index]
        role = message.get("role")
        if role in _PROTECTED_ROLES:
            continue
        starts = (role == "user" and not _is_tool_result_turn(message)) or not units
        if starts:
            units.append([index])
        else:
            units[-1].append(index)
    return units


def _longest_text(message: Message) -> tuple[str, int | None] | None:
    """The longest text of a message: (text, part index or None for string content)."""
    if message.get("tool_calls") or message.get("role") in ("tool", "function"):
        return None
    content = message.get("content")
    if isinstance(content, str):
        return (content, None) if content else None
    if not isinstance(content, Sequence):
        return None
    best: tuple[str, int | None] | None = None
    for position, part in enumerate(content):
        if isinstance(part, Mapping) and part.get("type") in _TEXT_PARTS:
            text = part.get("text")
            if isinstance(text, str) and (best is None or len(text) > len(best[0])):
                best = (text, position)
    return best


def _with_text(message: Message, text: str, position: int | None) -> dict[str, Any]:
    copy = dict(message)
    if position is None:
        copy["content"] = text
    else:
        parts = list(message["content"])
        parts[position] = {**parts[position], "text": text}
        copy["content"] = parts
    return copy


def fit_messages(
    messages: Iterable[Message],
    model: Offering | str | Any,
    *,
    reserve_output: int,
    context_window: int | None = None,
    tools: Iterable[Mapping[str, Any]] | None = None,
    min_truncated_tokens: int = 32,
    extended_context: bool = False,
) -> FitResult:
    """Fit a chat conversation into ``model``'s context window, oldest turns first.

    The prompt budget is ``context_window - reserve_output`` where ``context_window`` is the
    argument or the offering's ``limits.context`` (capped by ``limits.max_input``): the window
    a request gets by default. ``extended_context=True`` fits into ``limits.extended_context``
    instead, for a request that enables the offering's larger window (e.g. Claude Sonnet
    4.5's 1M-token beta; see ``limits.extended_context_via``); an offering without one keeps
    its default window. ``model``
    is an :class:`~llmaestro.catalog.model.Offering`, a model id (resolved through
    ``llmaestro.load()`` unless ``context_window`` is given, in which case any name
    :func:`~llmaestro.tokens.count.count_tokens` accepts will do) or a tokenizer spec.

    Kept always: system / developer messages, and the last user message with everything
    after it (tool calls and results of the current turn). Earlier messages are grouped in
    turns (a user message and the replies, tool calls and tool results after it, so tool
    calls never lose their results) and removed oldest first. When removing a whole turn
    would remove more than needed, its longest text is cut instead (keeping its beginning)
    provided at least ``min_truncated_tokens`` tokens of it remain.

    Returns a :class:`FitResult`; ``fits`` is False when the protected messages alone exceed
    the budget (nothing protected is ever removed or cut). Raises
    :class:`~llmaestro.errors.CostError` when the window is unknown or leaves no room.
    """
    if isinstance(messages, (str, bytes, Mapping)):
        raise TypeError("messages must be a sequence of message mappings")
    original = list(messages)
    for message in original:
        if not isinstance(message, Mapping):
            raise TypeError(f"a message must be a mapping, got {type(message).__name__}")
    if min_truncated_tokens < 1:
        raise ValueError(f"min_truncated_tokens must be >= 1, got {min_truncated_tokens}")
    tool_list = list(tools) if tools is not None else None
    ref, budget = _window(model, context_window, reserve_output, extended_context)

    def count(msgs: Sequence[Message]) -> TokenCount:
        return count_message_tokens(msgs, ref, tool_list)

    original_tokens = count(original)
    if original_tokens.value <= budget or not original:
        return FitResult(tuple(original), original_tokens, original_tokens, budget, True, (), ())

    users = [i for i, m in enumerate(original) if m.get("role") == "user"]
    last_user = users[-1] if users else len(original) - 1
    queue = _units(original, last_user)

    current: dict[int, Message] = dict(enumerate(original))
    empty = count_message_tokens([], ref).value
    per = {i: count_message_tokens([m], ref).value - empty for i, m in current.items()}
    dropped: set[int] = set()
    truncated: set[int] = set()
    tokens = original_tokens
    for _ in range(_MAX_ROUNDS):
        # plan with per-message counts, then verify with a full count (estimated counts
        # are rounded per request, so the sum of the parts can be off by a token or two)
        estimate = tokens.value
        while estimate > budget and queue:
            unit = queue[0]
            need = estimate - budget
            if sum(per[i] for i in unit) > need:
                cut = _truncate(
                    unit, need, current, per, ref, empty, min_truncated_tokens, truncated
                )
                if cut is not None:
                    truncated.add(cut[0])
                    estimate -= cut[1]
                    continue
            queue.pop(0)
            for i in unit:
                dropped.add(i)
                truncated.discard(i)
                del current[i]
                estimate -= per.pop(i)
        tokens = count([current[i] for i in sorted(current)])
        if tokens.value <= budget or not queue:
            break
    kept = tuple(current[i] for i in sorted(current))
    return FitResult(
        messages=kept,
        tokens=tokens,
        original_tokens=original_tokens,
        budget=budget,
        fits=tokens.value <= budget,
        dropped=tuple(sorted(dropped)),
        truncated=tuple(sorted(truncated)),
    )


def _truncate(
    unit: list[int],
    need: int,
    current: dict[int, Message],
    per: dict[int, int],
    ref: Any,
    empty: int,
    min_keep: int,
    already: set[int],
) -> tuple[int, int] | None:
    """Cut the longest text of ``unit`` by about ``need`` tokens, keeping its beginning
    (a message cut before is cut again first).

    Returns (message index, tokens saved), or None when the cut would leave fewer than
    ``min_keep`` tokens of that text (or save nothing).
    """
    best: tuple[int, str, int | None] | None = None
    best_rank = (False, -1)
    for i in unit:
        found = _longest_text(current[i])
        if found is None:
            continue
        rank = (i in already, len(found[0]))
        if rank > best_rank:
            best, best_rank = (i, found[0], found[1]), rank
    if best is None:
        return None
    index, text, position = best
    keep = count_tokens(text, ref).value - need
    if keep < min_keep:
        return None
    shorter = fit_text(text, ref, keep)
    if len(shorter) >= len(text):
        return None
    message = _with_text(current[index], shorter, position)
    tokens = count_message_tokens([message], ref).value - empty
    saved = per[index] - tokens
    if saved <= 0:
        return None
    current[index] = message
    per[index] = tokens
    return index, saved


# --- cheapest model -----------------------------------------------------------------------


class Queryable(Protocol):
    """What :func:`cheapest_model_for` needs from a registry: ``query(**requirements)``."""

    def query(self, *args: Any, **requirements: Any) -> Iterable[Offering]:
        """Offerings meeting ``requirements`` (e.g. :meth:`llmaestro.Registry.query`)."""
        ...


@dataclass(frozen=True, slots=True)
class ModelChoice:
    """The cheapest offering for a prompt, and how that was decided."""

    offering: Offering
    """The offering with the lowest estimated cost."""
    cost: CostBreakdown
    """Its cost for ``input_tokens`` prompt tokens and ``output_tokens`` output tokens."""
    input_tokens: TokenCount
    """Prompt tokens counted with its tokenizer (exact or a labelled estimate)."""
    output_tokens: int
    """Output tokens assumed (the ``output_tokens`` argument)."""
    ranking: tuple[tuple[str, CostBreakdown], ...]
    """Every priced candidate, ``(provider/model, cost)``, cheapest first."""
    skipped: tuple[str, ...]
    """Candidates left out, as ``"provider/model: reason"``."""


def _has_parts(messages: Sequence[Message]) -> bool:
    return any(not isinstance(m.get("content"), (str, type(None))) for m in messages)


def cheapest_model_for(
    messages: Iterable[Message],
    requirements: Mapping[str, Any] | None = None,
    registry: Queryable | None = None,
    *,
    output_tokens: int = DEFAULT_OUTPUT_TOKENS,
    tools: Iterable[Mapping[str, Any]] | None = None,
    service_tier: str | None = None,
    billing: str | Iterable[str] | None = None,
    **more_requirements: Any,
) -> ModelChoice:
    """The offering that would answer ``messages`` for the least money.

    Candidates are ``registry.query(**requirements, **more_requirements)`` (the default
    registry is ``llmaestro.load()``). For each one the prompt is counted with its own
    tokenizer (:func:`~llmaestro.tokens.count.count_message_tokens`) and priced with
    :func:`~llmaestro.cost.cost` as one request of that many input tokens (no cache hits)
    and **``output_tokens`` output tokens (default 1024: an assumption, stated in the
    result)**, under ``service_tier``. Candidates are skipped, with the reason in
    ``skipped``, when the prompt plus the output exceeds their context window (or the
    output their ``max_output``), or when their cost is incomplete (a needed price is
    unknown). Ties are broken by ``provider/model``. Only ``per_token`` offerings are
    candidates unless ``billing`` names other kinds (``"any"``: every kind), which then rank
    after the ``per_token`` ones (:mod:`llmaestro.registry.ranking`).

    Raises :class:`~llmaestro.errors.CostError` when no candidate remains.
    """
    if isinstance(output_tokens, bool) or not isinstance(output_tokens, int):
        raise TypeError(f"output_tokens must be an int, got {type(output_tokens).__name__}")
    if output_tokens < 0:
        raise ValueError(f"output_tokens must be >= 0, got {output_tokens}")
    chat = list(messages)
    tool_list = list(tools) if tools is not None else None
    wanted = {**(requirements or {}), **more_requirements}
    if registry is None:
        load: Any = getattr(llmaestro, "load", None)
        if load is None:
            raise CostError("llmaestro.load() is not available; pass registry=")
        registry = load()
    assert registry is not None
    per_model = _has_parts(chat)  # image token formulas depend on the model
    counted: dict[tuple[str, str], TokenCount] = {}
    priced: list[tuple[Decimal, str, Offering, TokenCount, CostBreakdown]] = []
    skipped: list[str] = []
    considered = 0
    kinds, unbilled = billing_kinds(billing) or frozenset({PER_TOKEN}), Counter[str]()
    for offering in registry.query(**wanted):
        kind = _kind(offering)
        if kind not in kinds:
            unbilled[kind] += 1
            continue
        considered += 1
        name = f"{offering.provider}/{offering.model}"
        key = (resolve(offering).tokenizer, name if per_model else "")
        tokens = counted.get(key)
        if tokens is None:
            tokens = counted[key] = count_message_tokens(chat, offering, tool_list)
        limits = offering.limits
        if limits is not None:
            if limits.max_output is not None and output_tokens > limits.max_output:
                skipped.append(f"{name}: {output_tokens} output tokens > max_output")
                continue
            if limits.max_input is not None and tokens.value > limits.max_input:
                skipped.append(f"{name}: {tokens.value} prompt tokens > max_input")
                continue
            if limits.context is not None and tokens.value + output_tokens > limits.context:
                skipped.append(
                    f"{name}: {tokens.value}+{output_tokens} tokens > context {limits.context}"
                )
                continue
        breakdown = cost(
            offering,
            Usage(input_tokens=tokens.value, output_tokens=output_tokens),
            service_tier=service_tier,
        )
        if not breakdown.complete:
            skipped.append(f"{name}: unknown price ({', '.join(breakdown.unknown)})")
            continue
        priced.append((breakdown.total, name, offering, tokens, breakdown))
    if unbilled:
        shown = ", ".join(f"{n} {k}" for k, n in sorted(unbilled.items()))
        skipped.append(f"not billed per token ({shown}): billing='any' includes them")
    if not priced:
        detail = "; ".join(skipped) if skipped else "the query returned no offering"
        raise CostError(
            f"no offering can be priced for this prompt among {considered} candidate(s): {detail}"
        )
    priced.sort(key=lambda row: (_kind(row[2]) != PER_TOKEN, row[0], row[1]))
    _, _, offering, tokens, breakdown = priced[0]
    return ModelChoice(
        offering=offering,
        cost=breakdown,
        input_tokens=tokens,
        output_tokens=output_tokens,
        ranking=tuple((row[1], row[4]) for row in priced),
        skipped=tuple(skipped),
    )


def _kind(offering: Offering) -> str:
    return offering.billing.kind if offering.billing else PER_TOKEN
