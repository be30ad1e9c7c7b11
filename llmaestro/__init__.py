"""llmaestro: the reviewed catalog of LLM models and providers, and the library that reads it."""

from __future__ import annotations

__version__ = "0.1.0"

from llmaestro.errors import (
    CatalogError,
    CatalogValidationError,
    LLMaestroError,
    UnknownModelError,
    UnknownProviderError,
)

__all__ = [
    "CatalogError",
    "CatalogValidationError",
    "LLMaestroError",
    "UnknownModelError",
    "UnknownProviderError",
    "__version__",
]
