"""Ollama (a local server): ``GET /api/tags`` lists the installed models
(``{"models": [{name, model, details}]}``) and ``POST /api/show`` ``{"model": name}`` tells
each one's ``capabilities`` (``completion``, ``tools``, ``vision``, ``thinking``,
``embedding``) and ``model_info`` (``<architecture>.context_length``). Authoritative for the
context window, tool calling, thinking and image input; a model missing from a local server
is not gone, so this detector never marks offerings as gone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from llmaestro.clients.request import HttpRequest
from llmaestro.refresh.detectors._listing import ListingClient, require_list
from llmaestro.refresh.detectors.base import Detector, WireModel
from llmaestro.refresh.observation import ObservedOffering

__all__ = ["OllamaDetector", "OllamaEntry"]


class OllamaDetails(WireModel):
    format: str | None = None
    family: str | None = None
    families: list[str] | None = None
    parameter_size: str | None = None
    quantization_level: str | None = None


class OllamaTag(WireModel):
    name: str
    model: str | None = None
    modified_at: str | None = None
    size: int | None = None
    digest: str | None = None
    details: OllamaDetails | None = None


class OllamaShow(WireModel):
    capabilities: list[str] | None = None
    model_info: dict[str, Any] | None = None
    details: OllamaDetails | None = None


class OllamaEntry(WireModel):
    tag: OllamaTag
    show: OllamaShow


def _context(info: Mapping[str, Any] | None) -> int | None:
    if not info:
        return None
    arch = info.get("general.architecture")
    value = info.get(f"{arch}.context_length") if isinstance(arch, str) else None
    if value is None:
        value = next((v for k, v in info.items() if k.endswith(".context_length")), None)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


class OllamaDetector(Detector):
    """The models installed on an Ollama server."""

    provider = "ollama"
    label = "Ollama"
    default_base_url = "http://localhost:11434"
    needs_key = False
    auth_header = None
    auth_scheme = None
    models_path = "/api/tags"
    complete_listing = False
    scheduled = False
    probe_style = "openai-chat"
    authoritative = frozenset(
        {
            "limits.context",
            "capabilities.tool_calling",
            "capabilities.reasoning.supported",
            "modalities.input[image]",
        }
    )

    def _resolve_base_url(self, explicit: str | None, catalog: str | None) -> str:
        # the native API lives at the root, not under the OpenAI-compatible /v1
        return super()._resolve_base_url(explicit, catalog).removesuffix("/v1")

    def make_client(self) -> ListingClient:
        provider = self.provider

        def page(data: Any) -> tuple[list[Mapping[str, Any]], str | None]:
            body = data if isinstance(data, Mapping) else {}
            return require_list(provider, body.get("models"), "models"), None

        return ListingClient(
            page_request=lambda cursor: HttpRequest("GET", self.models_path),
            page_parser=page,
            id_key="name",
            **self.client_options(),
        )

    def fetch(self) -> list[Mapping[str, Any]]:
        with self.make_client() as client:
            assert isinstance(client, ListingClient)
            tags = [dict(info.raw) for info in client.list_models()]
            out: list[Mapping[str, Any]] = []
            for tag in tags:
                show = client.request_json("POST", "/api/show", json={"model": tag["name"]})
                if not isinstance(show, Mapping):
                    raise ValueError(f"/api/show of {tag['name']} is not an object")
                out.append({"tag": tag, "show": dict(show)})
            return out

    def parse(self, items: Sequence[Mapping[str, Any]]) -> list[Any]:
        return self.parse_all(OllamaEntry, items)

    def translate(self, models: Sequence[OllamaEntry]) -> list[ObservedOffering]:
        out = []
        for entry in models:
            name = entry.tag.name.removesuffix(":latest")
            caps = set(entry.show.capabilities) if entry.show.capabilities is not None else None
            details = entry.show.details or entry.tag.details or OllamaDetails()
            facts: dict[str, Any] = {
                "family": details.family,
                "open_weights": True,
                "limits.context": _context(entry.show.model_info),
            }
            if caps is not None:
                embedding = "embedding" in caps and "completion" not in caps
                facts["kind"] = "embedding" if embedding else "chat"
                if not embedding:
                    facts["capabilities.tool_calling"] = "tools" in caps
                    facts["capabilities.reasoning.supported"] = "thinking" in caps
                    facts["modalities.input[image]"] = "vision" in caps
            else:
                facts["kind"] = "chat"
            out.append(self.observe(name, facts, raw=entry.model_dump()))
        return out
