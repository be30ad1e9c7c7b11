"""Private implementation of :mod:`llmaestro.llm.token_utils`.

Nothing here is public API: import from :mod:`llmaestro.llm.token_utils` instead.
"""
