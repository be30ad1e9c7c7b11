"""OpenRouter: ``GET /api/v1/models`` (``{"data": [...]}``) with prices per token as
decimal strings (``pricing.prompt``, ``completion``, ``input_cache_read``…; ``-1`` for
"varies"), ``context_length``, ``top_provider.max_completion_tokens``,
``architecture.input_modalities`` / ``output_modalities`` and ``supported_parameters``.
Authoritative for prices, limits, modalities and the capabilities the supported parameters
show."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from llmaestro.refresh.detectors._compat import OpenAICompatDetector
from llmaestro.refresh.detectors.base import WireModel
from llmaestro.refresh.detectors.translate import epoch_or_date, modalities, per_million
from llmaestro.refresh.observation import ObservedOffering

__all__ = ["OpenRouterDetector", "OpenRouterModel"]

_MILLION = 1_000_000
_MODALITY_NAMES = {"file": "pdf"}
#: supported parameter → capability (absent parameter: the capability is not offered)
_PARAMETERS = {
    "capabilities.tool_calling": ("tools",),
    "capabilities.tool_choice": ("tool_choice",),
    "capabilities.structured_output": ("structured_outputs",),
    "capabilities.json_mode": ("response_format", "structured_outputs"),
    "capabilities.reasoning.supported": ("reasoning", "include_reasoning"),
    "capabilities.temperature": ("temperature",),
    "capabilities.logprobs": ("logprobs",),
}


class OpenRouterArchitecture(WireModel):
    modality: str | None = None
    input_modalities: list[str] | None = None
    output_modalities: list[str] | None = None
    tokenizer: str | None = None


class OpenRouterPricing(WireModel):
    prompt: Any = None
    completion: Any = None
    request: Any = None
    image: Any = None
    web_search: Any = None
    internal_reasoning: Any = None
    input_cache_read: Any = None
    input_cache_write: Any = None


class OpenRouterTopProvider(WireModel):
    context_length: int | None = None
    max_completion_tokens: int | None = None
    is_moderated: bool | None = None


class OpenRouterModel(WireModel):
    id: str
    canonical_slug: str | None = None
    name: str | None = None
    created: int | None = None
    description: str | None = None
    context_length: int | None = None
    architecture: OpenRouterArchitecture | None = None
    pricing: OpenRouterPricing | None = None
    top_provider: OpenRouterTopProvider | None = None
    supported_parameters: list[str] | None = None


def _positive(value: Any, scale: int = 1) -> Decimal | None:
    price = per_million(value, scale)
    return price if price is not None and price > 0 else None


class OpenRouterDetector(OpenAICompatDetector):
    """OpenRouter's model listing."""

    provider = "openrouter"
    label = "OpenRouter"
    default_base_url = "https://openrouter.ai/api/v1"
    default_env = ("OPENROUTER_API_KEY",)
    needs_key = False
    authoritative = frozenset(
        {"pricing.*", "limits.context", "limits.max_output", "modalities.*", "capabilities.*"}
    )
    fill_only = frozenset({"lifecycle.release_date"})

    def parse(self, items: Sequence[Mapping[str, Any]]) -> list[Any]:
        return self.parse_all(OpenRouterModel, items)

    def translate(self, models: Sequence[OpenRouterModel]) -> list[ObservedOffering]:
        out = []
        for m in models:
            arch = m.architecture or OpenRouterArchitecture()
            modal_in = modalities(arch.input_modalities, aliases=_MODALITY_NAMES)
            modal_out = modalities(arch.output_modalities, aliases=_MODALITY_NAMES)
            kind = "chat"
            if modal_out is not None and "text" not in modal_out and "image" in modal_out:
                kind = "image_generation"
            top = m.top_provider or OpenRouterTopProvider()
            p = m.pricing or OpenRouterPricing()
            facts: dict[str, Any] = {
                "name": m.name,
                "kind": kind,
                "limits.context": m.context_length or top.context_length or None,
                "limits.max_output": top.max_completion_tokens or None,
                "modalities.input": modal_in or None,
                "modalities.output": modal_out or None,
                "pricing.input": per_million(p.prompt, _MILLION),
                "pricing.output": per_million(p.completion, _MILLION),
                "pricing.cache_read": _positive(p.input_cache_read, _MILLION),
                "pricing.cache_write": _positive(p.input_cache_write, _MILLION),
                "pricing.per_request": _positive(p.request),
                "pricing.per_input_image": _positive(p.image),
                "pricing.per_web_search": _positive(p.web_search),
                "lifecycle.release_date": epoch_or_date(m.created),
            }
            if m.supported_parameters is not None and kind == "chat":
                params = set(m.supported_parameters)
                for path, names in _PARAMETERS.items():
                    facts[path] = any(name in params for name in names)
            out.append(self.observe(m.id, facts, raw=m.model_dump()))
        return out
