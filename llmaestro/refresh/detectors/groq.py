"""Groq: ``GET /openai/v1/models`` (OpenAI-compatible) with ``active``,
``context_window`` and ``max_completion_tokens`` per model. Authoritative for existence and
the two limits; inactive models count as not listed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from llmaestro.refresh.detectors._compat import OpenAICompatDetector
from llmaestro.refresh.detectors.base import WireModel
from llmaestro.refresh.detectors.translate import epoch_or_date, guess_kind
from llmaestro.refresh.observation import ObservedOffering

__all__ = ["GroqDetector", "GroqModel"]


class GroqModel(WireModel):
    id: str
    created: int | None = None
    owned_by: str | None = None
    active: bool | None = None
    context_window: int | None = None
    max_completion_tokens: int | None = None


class GroqDetector(OpenAICompatDetector):
    """Groq's model listing."""

    provider = "groq"
    label = "Groq"
    default_base_url = "https://api.groq.com/openai/v1"
    default_env = ("GROQ_API_KEY",)
    authoritative = frozenset({"limits.context", "limits.max_output"})
    fill_only = frozenset({"lifecycle.release_date"})

    def parse(self, items: Sequence[Mapping[str, Any]]) -> list[Any]:
        return self.parse_all(GroqModel, items)

    def translate(self, models: Sequence[GroqModel]) -> list[ObservedOffering]:
        out = []
        for m in models:
            if m.active is False:
                self.skip(f"{m.id}: listed as inactive")
                continue
            kind = guess_kind(m.id)
            token_model = kind in ("chat", "completion")
            out.append(
                self.observe(
                    m.id,
                    {
                        "kind": kind,
                        "limits.context": m.context_window if token_model else None,
                        "limits.max_output": m.max_completion_tokens if token_model else None,
                        "lifecycle.release_date": epoch_or_date(m.created),
                    },
                    raw=m.model_dump(),
                )
            )
        return out
