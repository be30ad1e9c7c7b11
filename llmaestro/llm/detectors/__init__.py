"""Capability detectors: one module per provider, each reading the provider's model-listing
API (fetch → parse → translate) into observed facts for :mod:`llmaestro.catalog.drift`.

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
point group) is :mod:`llmaestro.llm.capability_detector`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from llmaestro.llm.detectors.base import (
    Detector,
    DetectorConfigError,
    DetectorError,
    FetchError,
    Observation,
    ObservedOffering,
)

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro.llm.detectors.base import WireModel

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
    "openai": "llmaestro.llm.detectors.openai:OpenAIDetector",
    "anthropic": "llmaestro.llm.detectors.anthropic:AnthropicDetector",
    "google": "llmaestro.llm.detectors.gemini:GeminiDetector",
    "mistral": "llmaestro.llm.detectors.mistral:MistralDetector",
    "openrouter": "llmaestro.llm.detectors.openrouter:OpenRouterDetector",
    "ollama": "llmaestro.llm.detectors.ollama:OllamaDetector",
    "groq": "llmaestro.llm.detectors.groq:GroqDetector",
    "togetherai": "llmaestro.llm.detectors.together:TogetherDetector",
    "xai": "llmaestro.llm.detectors.xai:XAIDetector",
    "deepseek": "llmaestro.llm.detectors.deepseek:DeepSeekDetector",
    "fireworks-ai": "llmaestro.llm.detectors.fireworks:FireworksDetector",
    "cohere": "llmaestro.llm.detectors.cohere:CohereDetector",
}


def __getattr__(name: str) -> Any:
    # WireModel is a pydantic model: resolved on use, so this package imports without pydantic
    if name == "WireModel":
        from llmaestro.llm.detectors import base

        return base.WireModel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
