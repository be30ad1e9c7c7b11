"""Pre-send checks of a chat call against the catalog facts of its offering.

Only facts the catalog states block a call: ``None`` (unknown) never does. Token estimates
that are not exact are taken at their optimistic end (``value × (1 − expected_error)``), so
an estimate never blocks a prompt that may fit.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from llmaestro.clients.types import ImagePart
from llmaestro.errors import CapabilityError

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro._records import Offering
    from llmaestro.clients.request import Prepared
    from llmaestro.tokens.count import TokenCount

__all__ = ["CHAT_KINDS", "check_request", "optimistic_tokens"]

#: Offering kinds that answer chat requests.
CHAT_KINDS = frozenset({"chat", "completion"})


def optimistic_tokens(count: TokenCount) -> int:
    """The smallest token count ``count`` allows for (``value`` when exact)."""
    if count.exact or not count.expected_error:
        return count.value
    return math.floor(count.value * (1.0 - count.expected_error))


def _fail(provider: str, offering: Offering, what: str) -> CapabilityError:
    return CapabilityError(f"{offering.provider}/{offering.model} {what}", provider=provider)


def check_request(provider: str, p: Prepared, prompt: TokenCount | None) -> None:
    """Raise :class:`~llmaestro.errors.CapabilityError` when the catalog says ``p`` cannot
    work with its offering (no-op without an offering)."""
    o = p.offering
    if o is None:
        return
    opts = p.options
    caps = o.capabilities
    if o.kind is not None and o.kind not in CHAT_KINDS:
        raise _fail(provider, o, f"is a {o.kind} model, not a chat model")
    if caps is not None:
        if opts.tools and caps.tool_calling is False:
            raise _fail(provider, o, "does not support tool calling; remove tools=")
        if (
            opts.tool_choice not in (None, "auto")
            and caps.tool_choice is False
            and caps.tool_calling is not False
        ):
            raise _fail(provider, o, f"does not support tool_choice={opts.tool_choice!r}")
        if opts.parallel_tool_calls and caps.parallel_tool_calls is False:
            raise _fail(provider, o, "does not support parallel tool calls")
        if caps.system_prompt is False and any(m.role == "system" for m in p.messages):
            raise _fail(provider, o, "does not accept a system prompt")
        if opts.temperature is not None and caps.temperature is False:
            raise _fail(provider, o, "does not accept a temperature")
        if p.stream and caps.streaming is False:
            raise _fail(provider, o, "does not support streaming")
        fmt = opts.response_format
        if fmt is not None:
            if fmt.type == "json_schema" and caps.structured_output is False:
                raise _fail(provider, o, "does not support structured output (JSON Schema)")
            if fmt.type == "json_object" and caps.json_mode is False:
                raise _fail(provider, o, "does not support JSON mode")
        _check_reasoning(provider, o, p)
    modalities = o.modalities
    inputs = modalities.input if modalities is not None else None
    if inputs is not None and "image" not in inputs and _has_images(p):
        accepted = ", ".join(inputs) or "nothing"
        raise _fail(provider, o, f"does not accept images (input: {accepted})")
    _check_limits(provider, o, p, prompt)


def _has_images(p: Prepared) -> bool:
    return any(isinstance(part, ImagePart) for m in p.messages for part in m.content)


def _check_reasoning(provider: str, o: Offering, p: Prepared) -> None:
    wanted = p.options.reasoning
    facts = o.capabilities.reasoning if o.capabilities is not None else None
    if wanted is None or facts is None:
        return
    if wanted.wanted and facts.supported is False:
        raise _fail(provider, o, "does not reason; remove reasoning=")
    if wanted.enabled is False and facts.supported and facts.toggle is False:
        raise _fail(provider, o, "always reasons; reasoning cannot be switched off")
    if (
        wanted.effort is not None
        and facts.effort_levels is not None
        and wanted.effort not in facts.effort_levels
    ):
        levels = ", ".join(facts.effort_levels)
        raise _fail(provider, o, f"has no reasoning effort {wanted.effort!r} (levels: {levels})")
    budget = wanted.budget_tokens
    bounds = facts.budget_tokens
    if budget is not None and bounds is not None and wanted.enabled is not False:
        if bounds.min is not None and budget < bounds.min and budget != 0:
            raise _fail(provider, o, f"needs a reasoning budget >= {bounds.min} (got {budget})")
        if bounds.max is not None and budget > bounds.max:
            raise _fail(provider, o, f"takes a reasoning budget <= {bounds.max} (got {budget})")
        if budget == 0 and facts.toggle is False:
            raise _fail(provider, o, "always reasons; a reasoning budget of 0 is not accepted")


def _check_limits(provider: str, o: Offering, p: Prepared, prompt: TokenCount | None) -> None:
    limits = o.limits
    if limits is None:
        return
    max_tokens = p.options.max_tokens
    if max_tokens is not None and limits.max_output is not None and max_tokens > limits.max_output:
        raise _fail(
            provider, o, f"generates at most {limits.max_output} tokens (max_tokens={max_tokens})"
        )
    if prompt is None:
        return
    low = optimistic_tokens(prompt)
    shown = f"{prompt.value}" if prompt.exact else f"~{prompt.value} (estimated)"
    # the extended window when the call asks for it and the offering has one; `max_input`
    # is a limit of the default window
    extended = limits.extended_context if p.options.extended_context else None
    if extended is None and limits.max_input is not None and low > limits.max_input:
        raise _fail(
            provider, o, f"accepts at most {limits.max_input} prompt tokens; the prompt has {shown}"
        )
    window = extended if extended is not None else limits.context
    if window is not None and low + (max_tokens or 0) > window:
        extra = f" + max_tokens {max_tokens}" if max_tokens else ""
        what = "an extended context window" if extended is not None else "a context window"
        hint = ""
        if extended is None and limits.extended_context is not None:
            hint = f" (extended_context=True asks for {limits.extended_context})"
        raise _fail(
            provider,
            o,
            f"has {what} of {window} tokens; the prompt has {shown}{extra}{hint}",
        )
