"""Together AI: ``GET /v1/models`` answers a bare JSON array whose entries carry ``type``,
``display_name``, ``context_length``, ``license`` and ``pricing`` (USD per 1M tokens;
``input``/``output`` both 0 for models not sold per token). Authoritative for token prices
and the context window."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from llmaestro.refresh.detectors._compat import OpenAICompatDetector
from llmaestro.refresh.detectors.base import WireModel
from llmaestro.refresh.detectors.translate import guess_kind, per_million
from llmaestro.refresh.observation import ObservedOffering

__all__ = ["TogetherDetector", "TogetherModel"]

_KINDS = {
    "chat": "chat",
    "language": "completion",
    "code": "completion",
    "image": "image_generation",
    "embedding": "embedding",
    "moderation": "moderation",
    "rerank": "rerank",
    "audio": "speech",
    "transcribe": "transcription",
    "video": "video",
}


class TogetherPricing(WireModel):
    input: Any = None
    output: Any = None
    hourly: Any = None
    base: Any = None
    finetune: Any = None


class TogetherModel(WireModel):
    id: str
    object: str | None = None
    created: int | None = None
    type: str | None = None
    display_name: str | None = None
    organization: str | None = None
    license: str | None = None
    context_length: int | None = None
    pricing: TogetherPricing | None = None


class TogetherDetector(OpenAICompatDetector):
    """Together AI's model listing."""

    provider = "togetherai"
    name = "together"
    label = "Together AI"
    default_base_url = "https://api.together.xyz/v1"
    default_env = ("TOGETHER_API_KEY",)
    authoritative = frozenset({"pricing.input", "pricing.output", "limits.context"})

    def parse(self, items: Sequence[Mapping[str, Any]]) -> list[Any]:
        return self.parse_all(TogetherModel, items)

    def translate(self, models: Sequence[TogetherModel]) -> list[ObservedOffering]:
        out = []
        for m in models:
            kind = _KINDS.get((m.type or "").lower()) or guess_kind(m.id)
            facts: dict[str, Any] = {
                "name": m.display_name or None,
                "kind": kind,
                "limits.context": m.context_length or None,
            }
            price_in = per_million(m.pricing.input) if m.pricing else None
            price_out = per_million(m.pricing.output) if m.pricing else None
            zero = Decimal(0)
            if (price_in or zero) > 0 or (price_out or zero) > 0:
                facts["pricing.input"] = price_in
                if kind not in ("embedding", "rerank", "moderation"):
                    facts["pricing.output"] = price_out
            out.append(self.observe(m.id, facts, raw=m.model_dump()))
        return out
