"""DeepSeek: ``GET /models`` (OpenAI-compatible, ``{id, object, owned_by}`` only).
Authoritative for existence alone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from llmaestro.refresh.detectors._compat import OpenAICompatDetector
from llmaestro.refresh.detectors.base import WireModel
from llmaestro.refresh.detectors.translate import guess_kind
from llmaestro.refresh.observation import ObservedOffering

__all__ = ["DeepSeekDetector", "DeepSeekModel"]


class DeepSeekModel(WireModel):
    id: str
    owned_by: str | None = None


class DeepSeekDetector(OpenAICompatDetector):
    """DeepSeek's model listing."""

    provider = "deepseek"
    label = "DeepSeek"
    lab = "deepseek"
    default_base_url = "https://api.deepseek.com"
    default_env = ("DEEPSEEK_API_KEY",)
    authoritative = frozenset()

    def parse(self, items: Sequence[Mapping[str, Any]]) -> list[Any]:
        return self.parse_all(DeepSeekModel, items)

    def translate(self, models: Sequence[DeepSeekModel]) -> list[ObservedOffering]:
        return [self.observe(m.id, {"kind": guess_kind(m.id)}, raw=m.model_dump()) for m in models]
