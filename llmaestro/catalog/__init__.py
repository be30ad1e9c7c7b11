"""Authoring side of llmaestro: reading catalog YAML with positions, validating, compiling.

``llmaestro.load()`` reads the compiled bundle (:mod:`llmaestro.catalog.bundle`); in a source
checkout it imports the validator only when the cached bundle is missing or stale.
"""
