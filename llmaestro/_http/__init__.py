"""Shared HTTP machinery, below every layer that talks to a network: retries with backoff
(:mod:`.retry`), secrets and their redaction (:mod:`.secrets`), server-sent events (:mod:`.sse`).
"""
