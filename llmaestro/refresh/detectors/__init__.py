"""Capability detectors: one module per provider, each reading the provider's model-listing
API (fetch → parse → translate) into observed facts (:mod:`llmaestro.refresh.observation`)
for the drift plan (:mod:`llmaestro.refresh.plan`).

============  ===============  ============================================================
detector      catalog id       authoritative for
============  ===============  ============================================================
openai        ``openai``       existence (fills in release dates)
anthropic     ``anthropic``    max input and output tokens, the capabilities object, image
                               and PDF input, lifecycle status and dates
gemini        ``google``       input and output token limits, thinking
mistral       ``mistral``      capabilities (tools, fine-tuning, vision, audio), context,
                               deprecation date
openrouter    ``openrouter``   prices, context, max output, modalities, capabilities from the
                               supported parameters
ollama        ``ollama``       context, tools, thinking, vision (never marks models gone)
groq          ``groq``         context window, max completion tokens
together      ``togetherai``   token prices (per 1M), context
xai           ``xai``          prices (cents per 100M tokens), modalities
deepseek      ``deepseek``     existence
fireworks     ``fireworks-ai`` context, tool calling, image input
cohere        ``cohere``       context, tool calling, JSON schema / JSON mode, image input
============  ===============  ============================================================

The registry of detectors (with third-party ones from the ``llmaestro.detectors`` entry
point group) is :mod:`llmaestro.refresh.registry`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from llmaestro.refresh.detectors.base import (
    Detector,
    DetectorConfigError,
    DetectorError,
    FetchError,
)
from llmaestro.refresh.observation import Observation, ObservedOffering

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro.refresh.detectors.base import WireModel

__all__ = [
    "BUILTIN_DETECTORS",
    "Detector",
    "DetectorConfigError",
    "DetectorError",
    "FetchError",
    "Observation",
    "ObservedOffering",
    "WireModel",
]

#: catalog provider id → ``module:Class`` of the built-in detectors (imported on first use).
BUILTIN_DETECTORS: dict[str, str] = {
    "openai": "llmaestro.refresh.detectors.openai:OpenAIDetector",
    "anthropic": "llmaestro.refresh.detectors.anthropic:AnthropicDetector",
    "google": "llmaestro.refresh.detectors.gemini:GeminiDetector",
    "mistral": "llmaestro.refresh.detectors.mistral:MistralDetector",
    "openrouter": "llmaestro.refresh.detectors.openrouter:OpenRouterDetector",
    "ollama": "llmaestro.refresh.detectors.ollama:OllamaDetector",
    "groq": "llmaestro.refresh.detectors.groq:GroqDetector",
    "togetherai": "llmaestro.refresh.detectors.together:TogetherDetector",
    "xai": "llmaestro.refresh.detectors.xai:XAIDetector",
    "deepseek": "llmaestro.refresh.detectors.deepseek:DeepSeekDetector",
    "fireworks-ai": "llmaestro.refresh.detectors.fireworks:FireworksDetector",
    "cohere": "llmaestro.refresh.detectors.cohere:CohereDetector",
}


def __getattr__(name: str) -> Any:
    # WireModel is a pydantic model: resolved on use, so this package imports without pydantic
    if name == "WireModel":
        from llmaestro.refresh.detectors import base

        return base.WireModel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
