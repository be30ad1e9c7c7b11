"""The seed's model registry: ``LLMRegistry`` over the catalog (see
:mod:`llmaestro.registry.seed`).

A facade: it re-exports, and holds no logic of its own.
"""

from llmaestro.registry.seed import (
    CAPABILITIES,
    LLMRegistry,
)

__all__ = [
    "CAPABILITIES",
    "LLMRegistry",
]
