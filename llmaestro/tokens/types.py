"""Value types shared by the token counting modules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

__all__ = ["CountTokensClient", "TokenCount", "TokenizerSpec"]


@dataclass(frozen=True, slots=True)
class TokenCount:
    """A number of tokens and how much it can be trusted.

    ``exact`` is true only when ``value`` was computed with the model's own tokenizer under
    the provider's published rules (or reported by the provider's count-tokens endpoint).
    ``method`` says how it was obtained, e.g. ``"tiktoken:o200k_base"``,
    ``"estimate:o200k_base×1.25(anthropic)"`` or ``"openai:image:tiles(85+170n)"``.
    ``expected_error`` is, for non-exact counts, the typical relative error of ``value``
    (``0.15`` means "usually within ±15%"); ``None`` for exact counts.
    """

    value: int
    exact: bool
    method: str
    expected_error: float | None = None

    def __int__(self) -> int:
        return self.value

    def __add__(self, other: TokenCount) -> TokenCount:
        """Sum of two counts: exact only if both are; the larger relative error is kept."""
        if not isinstance(other, TokenCount):
            return NotImplemented
        method = self.method if self.method == other.method else f"{self.method}+{other.method}"
        errors = [e for e in (self.expected_error, other.expected_error) if e is not None]
        exact = self.exact and other.exact
        return TokenCount(
            value=self.value + other.value,
            exact=exact,
            method=method,
            expected_error=None if exact else max(errors, default=None),
        )


@runtime_checkable
class TokenizerSpec(Protocol):
    """Anything that names its tokenizer, e.g. a catalog offering.

    ``tokenizer`` is an encoding shipped with llmaestro (``"o200k_base"``,
    ``"cl100k_base"``) for an exact count, a family name (``"anthropic"``, ``"gemini"``,
    ``"llama"``, ``"mistral"``, ...) for a labelled estimate, or ``None`` to fall back to
    the model-name table using the object's ``id`` (and ``provider``) attributes, when
    present.
    """

    @property
    def tokenizer(self) -> str | None: ...


class CountTokensClient(Protocol):
    """A provider client able to count tokens exactly through its API.

    ``count_tokens`` receives OpenAI-style chat messages and the model id, and returns the
    number of input tokens the provider reports (e.g. Anthropic's ``/v1/messages/count_tokens``,
    Gemini's ``countTokens``). Wired up by the interface layer; token_utils only calls it.
    """

    def count_tokens(self, messages: Sequence[Mapping[str, Any]], model: str) -> int: ...
