"""Shared HTTP machinery, below every layer that talks to a network: retries with backoff
(:mod:`.retry`), credentials (:mod:`.secrets`), redaction and escaping of every text that
leaves the process (:mod:`.redact`: ``redact``, ``looks_like_secret``, ``escape_control``,
``safe_text``), server-sent events (:mod:`.sse`).
"""
