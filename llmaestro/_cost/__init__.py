"""Private implementation of :mod:`llmaestro.cost` (import from there)."""
