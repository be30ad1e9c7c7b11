"""Lookups and typed queries over a compiled catalog.

:mod:`.core` holds :class:`Registry`.
"""

from llmaestro.registry.core import (
    BUNDLE_VERSION,
    CAPABILITIES,
    CAPABILITY_FIELDS,
    CatalogInfo,
    DeprecatedModelWarning,
    Registry,
)

__all__ = [
    "BUNDLE_VERSION",
    "CAPABILITIES",
    "CAPABILITY_FIELDS",
    "CatalogInfo",
    "DeprecatedModelWarning",
    "Registry",
]
