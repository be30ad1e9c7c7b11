"""Authoring side of llmaestro: reading catalog YAML with positions, validating, compiling.

Nothing here is imported by ``llmaestro.load()`` at run time; the runtime reads the compiled
bundle that :mod:`llmaestro.catalog.compile` writes.
"""
