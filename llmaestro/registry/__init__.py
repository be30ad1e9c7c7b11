"""Lookups and typed queries over a compiled catalog.

- :mod:`.core`: :class:`Registry`, lookups by id, alias or LiteLLM-style id, and the queries.
- :mod:`.filters`: :class:`QueryFilters`, every query filter typed and normalized once.
- :mod:`.index`: the column predicates and orders that answer a query.
- :mod:`.bundle_reader`: the compiled bundle's layout, read or mapped from a file.
- :mod:`.info`: :class:`CatalogInfo`, where a registry's data came from.
- :mod:`.jsonable`: a record as plain JSON values.
"""

from llmaestro.registry.core import (
    BUNDLE_VERSION,
    CAPABILITIES,
    CAPABILITY_FIELDS,
    CatalogInfo,
    DeprecatedModelWarning,
    QueryFilters,
    Registry,
)

__all__ = [
    "BUNDLE_VERSION",
    "CAPABILITIES",
    "CAPABILITY_FIELDS",
    "CatalogInfo",
    "DeprecatedModelWarning",
    "QueryFilters",
    "Registry",
]
