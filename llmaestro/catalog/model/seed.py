"""The seed's names: :class:`MediaType` and :class:`ModelFamily` (plain enums), and
:class:`LLMCapabilities` and :class:`LLMProfile`, views computed from an offering (never
authored). Import these names from :mod:`llmaestro.catalog.model`."""

from __future__ import annotations

import datetime as dt
import typing
from decimal import Decimal
from enum import StrEnum

from llmaestro._optional import installed
from llmaestro.catalog.model.facts import Capabilities, Lifecycle, Limits
from llmaestro.catalog.model.files import Offering, OfferingFile

if typing.TYPE_CHECKING or installed("pydantic"):
    from pydantic import BaseModel, ConfigDict
else:  # the core install: the enums import, the models raise on use (llmaestro.catalog.model)
    from llmaestro._pydantic_absent import BaseModel, ConfigDict


class MediaType(StrEnum):
    """Input and output modalities (the seed's `MediaType`)."""

    TEXT = "text"
    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"
    PDF = "pdf"


class ModelFamily(StrEnum):
    """Well-known model families (the seed's `ModelFamily`); the catalog's `family` is free text."""

    GPT = "gpt"
    CLAUDE = "claude"
    GEMINI = "gemini"
    LLAMA = "llama"
    MISTRAL = "mistral"
    DEEPSEEK = "deepseek"
    GROK = "grok"
    QWEN = "qwen"
    COMMAND = "command"
    OTHER = "other"


class LLMCapabilities(BaseModel):
    """The seed's flat capability view of an offering (computed, never authored).

    Each ``supports_*`` field is derived from the typed catalog fields; ``None`` is unknown.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    supports_streaming: bool | None = None
    supports_function_calling: bool | None = None
    supports_tools: bool | None = None
    supports_parallel_tool_calls: bool | None = None
    supports_vision: bool | None = None
    supports_audio: bool | None = None
    supports_pdf: bool | None = None
    supports_json_mode: bool | None = None
    supports_structured_output: bool | None = None
    supports_system_prompt: bool | None = None
    supports_temperature: bool | None = None
    supports_reasoning: bool | None = None
    supports_prompt_caching: bool | None = None
    supports_batch: bool | None = None
    supports_web_search: bool | None = None
    supports_embeddings: bool | None = None
    max_context_window: int | None = None
    max_output_tokens: int | None = None
    input_cost_per_1k_tokens: Decimal | None = None
    output_cost_per_1k_tokens: Decimal | None = None

    @classmethod
    def from_offering(cls, offering: OfferingFile) -> LLMCapabilities:
        caps = offering.capabilities or Capabilities()
        modal_in = offering.modalities.input if offering.modalities else None
        limits = offering.limits or Limits()
        pricing = offering.pricing

        def has(modality: str) -> bool | None:
            return None if modal_in is None else modality in modal_in

        def per_1k(price: Decimal | None) -> Decimal | None:
            return None if price is None else price / 1000

        reasoning = caps.reasoning.supported if caps.reasoning else None
        return cls(
            supports_streaming=caps.streaming,
            supports_function_calling=caps.tool_calling,
            supports_tools=caps.tool_calling,
            supports_parallel_tool_calls=caps.parallel_tool_calls,
            supports_vision=has("image"),
            supports_audio=has("audio"),
            supports_pdf=has("pdf"),
            supports_json_mode=caps.json_mode,
            supports_structured_output=caps.structured_output,
            supports_system_prompt=caps.system_prompt,
            supports_temperature=caps.temperature,
            supports_reasoning=reasoning,
            supports_prompt_caching=caps.prompt_caching,
            supports_batch=caps.batch,
            supports_web_search=caps.web_search,
            supports_embeddings=None if offering.kind is None else offering.kind == "embedding",
            max_context_window=limits.context,
            max_output_tokens=limits.max_output,
            input_cost_per_1k_tokens=per_1k(pricing.input if pricing else None),
            output_cost_per_1k_tokens=per_1k(pricing.output if pricing else None),
        )


class LLMProfile(BaseModel):
    """The seed's model profile: identity plus the capability view (computed)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    """`provider/model` id."""
    provider: str
    model: str
    display_name: str | None = None
    family: str | None = None
    kind: str | None = None
    capabilities: LLMCapabilities
    status: str | None = None
    release_date: dt.date | None = None
    deprecation_date: dt.date | None = None
    retirement_date: dt.date | None = None

    @classmethod
    def from_offering(cls, offering: Offering) -> LLMProfile:
        life = offering.lifecycle or Lifecycle()
        return cls(
            name=f"{offering.provider}/{offering.model}",
            provider=offering.provider,
            model=offering.model,
            display_name=offering.name,
            family=offering.family,
            kind=offering.kind,
            capabilities=LLMCapabilities.from_offering(offering),
            status=life.status,
            release_date=life.release_date,
            deprecation_date=life.deprecation_date,
            retirement_date=life.retirement_date,
        )
