"""The seed's provider registry: ``ProviderRegistry`` and ``Provider`` (see
:mod:`llmaestro.seed.providers`).

A facade: it re-exports, and holds no logic of its own.
"""

from llmaestro.seed.providers import (
    Provider,
    ProviderRegistry,
)

__all__ = [
    "Provider",
    "ProviderRegistry",
]
