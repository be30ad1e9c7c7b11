"""The seed's provider registry: ``ProviderRegistry`` and ``Provider`` (see
:mod:`llmaestro.registry.seed_providers`).

A facade: it re-exports, and holds no logic of its own.
"""

from llmaestro.registry.seed_providers import (
    Provider,
    ProviderRegistry,
)

__all__ = [
    "Provider",
    "ProviderRegistry",
]
