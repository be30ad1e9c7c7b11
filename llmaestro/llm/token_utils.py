"""The seed's token utilities: counting, fitting, the cheapest model for a prompt (see
:mod:`llmaestro.tokens`).

A facade: it re-exports, and holds no logic of its own.
"""

from llmaestro.tokens import (
    FAMILY_CALIBRATION,
    SHIPPED_ENCODINGS,
    Calibration,
    CountTokensClient,
    FitResult,
    Message,
    ModelChoice,
    ModelRef,
    TokenCount,
    TokenizerDataError,
    TokenizerSpec,
    cheapest_model_for,
    count_message_tokens,
    count_tokens,
    fit_messages,
    fit_text,
    get_encoding,
    image_tokens,
    tokenizer_for,
)

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
