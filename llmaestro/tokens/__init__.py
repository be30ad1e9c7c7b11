"""Token counting and fitting: exact OpenAI counts from the shipped rank files, labelled
estimates elsewhere, image tokens, and fitting messages into a model's context.

:mod:`.count` is the public entry point (re-exported by the seed's ``llmaestro.llm.token_utils``).
"""
