"""llmaestro: the reviewed catalog of LLM models and providers, and the library that reads it.

>>> import llmaestro
>>> registry = llmaestro.load()
>>> registry.get("openai/gpt-4o").limits.context
128000
"""

from __future__ import annotations

from llmaestro._records import CanonicalModel, Offering, Provider
from llmaestro._version import __version__
from llmaestro.errors import (
    AmbiguousModelError,
    CatalogCacheWarning,
    CatalogError,
    CatalogValidationError,
    DeprecatedModelWarning,
    LLMaestroError,
    UnknownModelError,
    UnknownProviderError,
)
from llmaestro.loader import load
from llmaestro.registry.core import Registry

__all__ = [
    "AmbiguousModelError",
    "CanonicalModel",
    "CatalogCacheWarning",
    "CatalogError",
    "CatalogValidationError",
    "DeprecatedModelWarning",
    "LLMaestroError",
    "Offering",
    "Provider",
    "Registry",
    "UnknownModelError",
    "UnknownProviderError",
    "__version__",
    "load",
]
