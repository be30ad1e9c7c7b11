"""OpenAI: ``GET /v1/models`` (``{"object": "list", "data": [{id, object, created,
owned_by}]}``). The listing says which models exist and when each was created, nothing more:
this detector is authoritative for existence only and fills in missing release dates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from llmaestro.refresh.detectors._compat import OpenAICompatDetector
from llmaestro.refresh.detectors.base import WireModel
from llmaestro.refresh.detectors.translate import epoch_or_date, guess_kind
from llmaestro.refresh.observation import ObservedOffering

__all__ = ["OpenAIDetector", "OpenAIModel"]


class OpenAIModel(WireModel):
    id: str
    object: str | None = None
    created: int | None = None
    owned_by: str | None = None


class OpenAIDetector(OpenAICompatDetector):
    """OpenAI's model listing."""

    provider = "openai"
    label = "OpenAI"
    lab = "openai"
    default_base_url = "https://api.openai.com/v1"
    default_env = ("OPENAI_API_KEY",)
    authoritative = frozenset()
    fill_only = frozenset({"lifecycle.release_date"})

    def parse(self, items: Sequence[Mapping[str, Any]]) -> list[Any]:
        return self.parse_all(OpenAIModel, items)

    def translate(self, models: Sequence[OpenAIModel]) -> list[ObservedOffering]:
        out = []
        for m in models:
            owner = m.owned_by or ""
            if m.id.startswith("ft:") or owner.startswith(("user-", "org-")):
                self.skip(f"{m.id}: a fine-tuned model of this account")
                continue
            out.append(
                self.observe(
                    m.id,
                    {"kind": guess_kind(m.id), "lifecycle.release_date": epoch_or_date(m.created)},
                    raw=m.model_dump(),
                )
            )
        return out
