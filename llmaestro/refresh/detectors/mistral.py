"""Mistral: ``GET /v1/models`` (OpenAI-compatible) whose entries carry ``capabilities``
(``completion_chat``, ``function_calling``, ``vision``, ``fine_tuning``…),
``max_context_length``, ``aliases`` and ``deprecation`` (a date, with
``deprecation_replacement_model``). Authoritative for those capabilities, the context window
and the deprecation date; aliases are listed as entries of their own and folded together."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from llmaestro.refresh.detectors._compat import OpenAICompatDetector
from llmaestro.refresh.detectors.base import WireModel
from llmaestro.refresh.detectors.translate import epoch_or_date, guess_kind
from llmaestro.refresh.observation import ObservedOffering

__all__ = ["MistralCapabilities", "MistralDetector", "MistralModel"]


class MistralCapabilities(WireModel):
    completion_chat: bool | None = None
    completion_fim: bool | None = None
    function_calling: bool | None = None
    fine_tuning: bool | None = None
    vision: bool | None = None
    classification: bool | None = None
    audio: bool | None = None
    ocr: bool | None = None


class MistralModel(WireModel):
    id: str
    created: int | None = None
    owned_by: str | None = None
    name: str | None = None
    description: str | None = None
    max_context_length: int | None = None
    aliases: list[str] | None = None
    deprecation: str | None = None
    deprecation_replacement_model: str | None = None
    capabilities: MistralCapabilities | None = None
    type: str | None = None


class MistralDetector(OpenAICompatDetector):
    """Mistral's model listing."""

    provider = "mistral"
    label = "Mistral"
    lab = "mistral"
    default_base_url = "https://api.mistral.ai/v1"
    default_env = ("MISTRAL_API_KEY",)
    authoritative = frozenset(
        {
            "limits.context",
            "capabilities.tool_calling",
            "capabilities.fine_tuning",
            "modalities.input[image]",
            "modalities.input[audio]",
            "lifecycle.deprecation_date",
        }
    )

    def parse(self, items: Sequence[Mapping[str, Any]]) -> list[Any]:
        return self.parse_all(MistralModel, items)

    def translate(self, models: Sequence[MistralModel]) -> list[ObservedOffering]:
        out = []
        for m in models:
            if m.type == "fine-tuned" or m.id.startswith("ft:"):
                self.skip(f"{m.id}: a fine-tuned model of this account")
                continue
            caps = m.capabilities or MistralCapabilities()
            guessed = guess_kind(m.id)
            if caps.completion_chat:
                kind = "chat"
            elif guessed != "chat":
                kind = guessed
            elif caps.classification:
                kind = "moderation"
            else:
                kind = "completion" if caps.completion_fim else guessed
            chat = kind == "chat"
            out.append(
                self.observe(
                    m.id,
                    {
                        "name": m.name if m.name and m.name != m.id else None,
                        "kind": kind,
                        "limits.context": m.max_context_length or None,
                        "capabilities.tool_calling": caps.function_calling if chat else None,
                        "capabilities.fine_tuning": caps.fine_tuning,
                        "modalities.input[image]": caps.vision if chat else None,
                        "modalities.input[audio]": caps.audio if chat else None,
                        "lifecycle.deprecation_date": epoch_or_date(m.deprecation),
                        "lifecycle.replacement": m.deprecation_replacement_model,
                    },
                    aliases=m.aliases or (),
                    raw=m.model_dump(),
                )
            )
        return out
