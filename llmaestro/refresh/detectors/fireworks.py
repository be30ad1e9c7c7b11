"""Fireworks AI: ``GET /inference/v1/models`` (OpenAI-compatible) whose entries add
``kind``, ``supports_chat``, ``supports_image_input``, ``supports_tools`` and
``context_length``. Authoritative for the context window, tool calling and image input."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from llmaestro.refresh.detectors._compat import OpenAICompatDetector
from llmaestro.refresh.detectors.base import WireModel
from llmaestro.refresh.detectors.translate import epoch_or_date, guess_kind
from llmaestro.refresh.observation import ObservedOffering

__all__ = ["FireworksDetector", "FireworksModel"]


class FireworksModel(WireModel):
    id: str
    created: int | None = None
    owned_by: str | None = None
    kind: str | None = None
    supports_chat: bool | None = None
    supports_image_input: bool | None = None
    supports_tools: bool | None = None
    context_length: int | None = None


class FireworksDetector(OpenAICompatDetector):
    """Fireworks AI's serverless model listing."""

    provider = "fireworks-ai"
    name = "fireworks"
    label = "Fireworks AI"
    default_base_url = "https://api.fireworks.ai/inference/v1"
    default_env = ("FIREWORKS_API_KEY",)
    authoritative = frozenset(
        {"limits.context", "capabilities.tool_calling", "modalities.input[image]"}
    )
    fill_only = frozenset({"lifecycle.release_date"})

    def parse(self, items: Sequence[Mapping[str, Any]]) -> list[Any]:
        return self.parse_all(FireworksModel, items)

    def translate(self, models: Sequence[FireworksModel]) -> list[ObservedOffering]:
        out = []
        for m in models:
            guessed = guess_kind(m.id)
            if m.supports_chat:
                kind = "chat"
            elif guessed != "chat":
                kind = guessed
            else:
                kind = "completion" if m.supports_chat is False else "chat"
            out.append(
                self.observe(
                    m.id,
                    {
                        "kind": kind,
                        "limits.context": m.context_length or None,
                        "capabilities.tool_calling": m.supports_tools,
                        "modalities.input[image]": m.supports_image_input,
                        "lifecycle.release_date": epoch_or_date(m.created),
                    },
                    raw=m.model_dump(),
                )
            )
        return out
