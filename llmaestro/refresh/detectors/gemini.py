"""Google Gemini API: ``GET /v1beta/models`` (``{"models": [...], "nextPageToken"}``, pages
by ``pageToken``) whose entries carry ``inputTokenLimit``, ``outputTokenLimit``,
``supportedGenerationMethods`` and ``thinking``. Authoritative for the two token limits and
thinking; the methods give the kind of new models and fill in batch and caching support."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from llmaestro.clients.gemini import GeminiClient
from llmaestro.refresh.detectors.base import Detector, WireModel
from llmaestro.refresh.detectors.translate import guess_kind
from llmaestro.refresh.observation import ObservedOffering

__all__ = ["GeminiDetector", "GeminiModel"]


class GeminiModel(WireModel):
    name: str
    baseModelId: str | None = None
    version: str | None = None
    displayName: str | None = None
    description: str | None = None
    inputTokenLimit: int | None = None
    outputTokenLimit: int | None = None
    supportedGenerationMethods: list[str] | None = None
    thinking: bool | None = None


def _kind(model_id: str, methods: set[str]) -> str:
    if methods & {"generateContent", "streamGenerateContent", "bidiGenerateContent"}:
        return "chat"
    if methods & {"embedContent", "embedText", "batchEmbedContents"}:
        return "embedding"
    if "predictLongRunning" in methods:
        return "video"
    if "predict" in methods:
        return "image_generation"
    return guess_kind(model_id)


class GeminiDetector(Detector):
    """The Gemini API's model listing."""

    provider = "google"
    name = "gemini"
    label = "Google Gemini API"
    lab = "google"
    default_base_url = "https://generativelanguage.googleapis.com/v1beta"
    default_env = ("GEMINI_API_KEY", "GOOGLE_API_KEY")
    auth_header = "x-goog-api-key"
    auth_scheme = None
    probe_style = "gemini"
    authoritative = frozenset(
        {"limits.max_input", "limits.max_output", "capabilities.reasoning.supported"}
    )
    fill_only = frozenset({"capabilities.batch", "capabilities.prompt_caching"})

    def make_client(self) -> GeminiClient:
        return GeminiClient(**self.client_options())

    def parse(self, items: Sequence[Mapping[str, Any]]) -> list[Any]:
        return self.parse_all(GeminiModel, items)

    def translate(self, models: Sequence[GeminiModel]) -> list[ObservedOffering]:
        out = []
        for m in models:
            if not m.name.startswith("models/"):
                self.skip(f"{m.name}: not a base model")
                continue
            model_id = m.name.removeprefix("models/")
            methods = set(m.supportedGenerationMethods or ())
            kind = _kind(model_id, methods)
            chat = kind == "chat"
            out.append(
                self.observe(
                    model_id,
                    {
                        "name": m.displayName,
                        "kind": kind,
                        "limits.max_input": m.inputTokenLimit or None,
                        "limits.max_output": (m.outputTokenLimit or None) if chat else None,
                        "capabilities.reasoning.supported": m.thinking if chat else None,
                        "capabilities.batch": (
                            ("batchGenerateContent" in methods) if chat and methods else None
                        ),
                        "capabilities.prompt_caching": (
                            ("createCachedContent" in methods) if chat and methods else None
                        ),
                    },
                    raw=m.model_dump(),
                )
            )
        return out
