"""The seed's model registry: ``LLMRegistry`` over the catalog (see
:mod:`llmaestro.seed.registry`).

A facade: it re-exports, and holds no logic of its own.
"""

from llmaestro.seed.registry import (
    CAPABILITIES,
    LLMRegistry,
)

__all__ = [
    "CAPABILITIES",
    "LLMRegistry",
]
