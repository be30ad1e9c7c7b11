"""Token counting and fitting: exact OpenAI counts from the shipped rank files, labelled
estimates elsewhere, image tokens, and fitting messages into a model's context.

::

    from llmaestro.tokens import count_message_tokens, count_tokens, fit_messages

* :mod:`.count`: :func:`count_tokens`, :func:`count_message_tokens`, :func:`image_tokens`,
  :func:`fit_text` (built on :mod:`.encodings`, :mod:`.resolve`, :mod:`.chat`,
  :mod:`.images` and :mod:`.types`);
* :mod:`.fitting`: :func:`fit_messages` and :func:`cheapest_model_for`, which count with
  :mod:`.count` and price with :mod:`llmaestro.cost` (``fitting`` imports ``count``, never
  the reverse).

The seed's ``llmaestro.llm.token_utils`` re-exports these names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from llmaestro.tokens.count import (
    FAMILY_CALIBRATION,
    SHIPPED_ENCODINGS,
    Calibration,
    CountTokensClient,
    Message,
    ModelRef,
    TokenCount,
    TokenizerDataError,
    TokenizerSpec,
    count_message_tokens,
    count_tokens,
    fit_text,
    get_encoding,
    image_tokens,
    tokenizer_for,
)

if TYPE_CHECKING:  # the lazy re-exports of __getattr__, for type checkers
    from llmaestro.tokens.fitting import FitResult, ModelChoice, cheapest_model_for, fit_messages

__all__ = [
    "FAMILY_CALIBRATION",
    "SHIPPED_ENCODINGS",
    "Calibration",
    "CountTokensClient",
    "FitResult",
    "Message",
    "ModelChoice",
    "ModelRef",
    "TokenCount",
    "TokenizerDataError",
    "TokenizerSpec",
    "cheapest_model_for",
    "count_message_tokens",
    "count_tokens",
    "fit_messages",
    "fit_text",
    "get_encoding",
    "image_tokens",
    "tokenizer_for",
]

_FITTING = frozenset({"FitResult", "ModelChoice", "cheapest_model_for", "fit_messages"})


def __getattr__(name: str) -> Any:
    """The names of :mod:`.fitting`, imported on first use: cold-start laziness, not a cycle.

    ``fitting`` pulls in :mod:`llmaestro.cost`: importing it here would add about 6 ms to
    every ``import llmaestro.tokens.count`` (itself about 54 ms; best of 12 runs of
    ``python -X importtime``), i.e. to the first-use latency that ``benchmarks/tokens.py``
    compares with tiktoken's.
    """
    if name in _FITTING:
        from llmaestro.tokens import fitting

        return getattr(fitting, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
