"""The one exception hierarchy of llmaestro.

Every error the library raises on purpose derives from :class:`LLMaestroError`::

    LLMaestroError
    ├── CatalogError                 the catalog cannot be read or is invalid
    │   └── CatalogValidationError   carries every Diagnostic found
    ├── LookupFailedError (+LookupError)
    │   ├── UnknownModelError        an id that names no offering (with suggestions)
    │   └── UnknownProviderError     an id that names no provider (with suggestions)
    ├── ExportError                  an export cannot be written or read back
    ├── RateLimitError               the rate limiter refused or could not decide
    │   ├── RateLimitTimeout         acquire() waited longer than its timeout
    │   └── RateLimiterUnavailable   the shared backend (Redis) is unreachable, fail-closed
    └── ProviderError                a provider API call failed (interface layer)

Messages never contain credentials.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Sequence

    from llmaestro.catalog.diagnostics import Diagnostic


class LLMaestroError(Exception):
    """Base class of every error llmaestro raises on purpose."""


class CatalogError(LLMaestroError):
    """The catalog cannot be read, compiled or is invalid."""


class CatalogValidationError(CatalogError):
    """The catalog (or an overlay) has problems; ``diagnostics`` lists every one."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        shown = "\n".join(d.format() for d in self.diagnostics[:20])
        more = len(self.diagnostics) - 20
        tail = f"\n... and {more} more" if more > 0 else ""
        super().__init__(f"{len(self.diagnostics)} catalog problem(s):\n{shown}{tail}")


class LookupFailedError(LLMaestroError, LookupError):
    """A lookup by id found nothing."""

    def __init__(self, kind: str, wanted: str, suggestions: Sequence[str] = ()) -> None:
        self.wanted = wanted
        self.suggestions = tuple(suggestions)
        hint = ""
        if self.suggestions:
            hint = "; did you mean " + ", ".join(f"`{s}`" for s in self.suggestions) + "?"
        super().__init__(f"unknown {kind} `{wanted}`{hint}")


class UnknownModelError(LookupFailedError):
    """No offering has this id, alias or LiteLLM-style name."""

    def __init__(self, wanted: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__("model", wanted, suggestions)


class UnknownProviderError(LookupFailedError):
    """No provider has this id."""

    def __init__(self, wanted: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__("provider", wanted, suggestions)


class ExportError(LLMaestroError):
    """An export cannot be written, or a file given to load() is not a known export."""


class RateLimitError(LLMaestroError):
    """The rate limiter refused a request or could not decide."""


class RateLimitTimeout(RateLimitError, TimeoutError):
    """acquire() could not be granted within its timeout."""


class RateLimiterUnavailable(RateLimitError):
    """The shared rate-limit backend cannot be reached and the policy is fail-closed."""


class ProviderError(LLMaestroError):
    """A provider API call failed. Subclasses live with the interface layer's section below."""


# --- interface layer errors (issue: Interface layer) -------------------------------------------


# --- cost errors (llmaestro.cost, llmaestro.llm.fitting) ---------------------------------------


class CostError(LLMaestroError, ValueError):
    """A cost or token-budget computation cannot be done (unknown API style or service tier,
    a payload without usage, inconsistent usage, a model without a known context window)."""
