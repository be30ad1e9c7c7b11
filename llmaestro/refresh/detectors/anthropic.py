"""Anthropic: ``GET /v1/models`` (``{"data": [...], "has_more", "first_id", "last_id"}``,
pages by ``after_id``) whose entries carry ``max_input_tokens``, ``max_tokens``, a
``capabilities`` object (batch, citations, effort levels, image and PDF input, server tools,
structured outputs, thinking) and the ``lifecycle`` with its dates. Authoritative for the two
limits, every capability it reports and the lifecycle."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from llmaestro.clients.anthropic import AnthropicClient
from llmaestro.refresh.detectors.base import Detector, WireModel
from llmaestro.refresh.detectors.translate import epoch_or_date
from llmaestro.refresh.observation import ObservedOffering

__all__ = ["AnthropicDetector", "AnthropicModel"]

_EFFORT_LEVELS = ("low", "medium", "high", "max")


class Support(WireModel):
    supported: bool | None = None


class EffortCapability(WireModel):
    supported: bool | None = None
    low: Support | None = None
    medium: Support | None = None
    high: Support | None = None
    max: Support | None = None


class ServerTools(WireModel):
    supported: bool | None = None
    web_search: Support | None = None
    code_execution: Support | None = None


class AnthropicCapabilities(WireModel):
    batch: Support | None = None
    citations: Support | None = None
    code_execution: Support | None = None
    effort: EffortCapability | None = None
    image_input: Support | None = None
    pdf_input: Support | None = None
    server_tools: ServerTools | None = None
    structured_outputs: Support | None = None
    thinking: Support | None = None


class AnthropicModel(WireModel):
    id: str
    type: str | None = None
    display_name: str | None = None
    created_at: str | None = None
    max_input_tokens: int | None = None
    max_tokens: int | None = None
    capabilities: AnthropicCapabilities | None = None
    lifecycle: str | None = None
    deprecated_at: str | None = None
    retires_at: str | None = None


def _flag(value: Support | None) -> bool | None:
    return value.supported if value is not None else None


class AnthropicDetector(Detector):
    """Anthropic's Models API."""

    provider = "anthropic"
    label = "Anthropic"
    lab = "anthropic"
    default_base_url = "https://api.anthropic.com/v1"
    default_env = ("ANTHROPIC_API_KEY",)
    auth_header = "x-api-key"
    auth_scheme = None
    probe_style = "anthropic-messages"
    authoritative = frozenset(
        {
            "limits.max_input",
            "limits.max_output",
            "capabilities.*",
            "modalities.input[*]",
            "lifecycle.status",
            "lifecycle.deprecation_date",
            "lifecycle.retirement_date",
        }
    )
    fill_only = frozenset({"lifecycle.release_date"})

    def make_client(self) -> AnthropicClient:
        return AnthropicClient(**self.client_options())

    def parse(self, items: Sequence[Mapping[str, Any]]) -> list[Any]:
        return self.parse_all(AnthropicModel, items)

    def translate(self, models: Sequence[AnthropicModel]) -> list[ObservedOffering]:
        out = []
        for m in models:
            facts: dict[str, Any] = {
                "name": m.display_name,
                "kind": "chat",
                "limits.max_input": m.max_input_tokens or None,
                "limits.max_output": m.max_tokens or None,
                "lifecycle.release_date": epoch_or_date(m.created_at),
            }
            if m.lifecycle in ("active", "deprecated", "retired"):
                facts["lifecycle.status"] = m.lifecycle
                if m.lifecycle != "active":
                    facts["lifecycle.deprecation_date"] = epoch_or_date(m.deprecated_at)
                    facts["lifecycle.retirement_date"] = epoch_or_date(m.retires_at)
            caps = m.capabilities
            if caps is not None:
                tools = caps.server_tools or ServerTools()
                thinking = _flag(caps.thinking)
                facts.update(
                    {
                        "capabilities.batch": _flag(caps.batch),
                        "capabilities.citations": _flag(caps.citations),
                        "capabilities.structured_output": _flag(caps.structured_outputs),
                        "capabilities.web_search": _flag(tools.web_search),
                        "capabilities.code_execution": _flag(tools.code_execution),
                        "capabilities.reasoning.supported": thinking,
                        "modalities.input[image]": _flag(caps.image_input),
                        "modalities.input[pdf]": _flag(caps.pdf_input),
                    }
                )
                effort = caps.effort
                if thinking and effort is not None and effort.supported:
                    levels = tuple(
                        level for level in _EFFORT_LEVELS if _flag(getattr(effort, level))
                    )
                    facts["capabilities.reasoning.effort_levels"] = levels or None
            out.append(self.observe(m.id, facts, raw=m.model_dump()))
        return out
