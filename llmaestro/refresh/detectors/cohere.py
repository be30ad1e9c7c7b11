"""Cohere: ``GET /v1/models`` (``{"models": [...], "next_page_token"}``, pages by
``page_token``) whose entries carry ``endpoints``, ``context_length``, ``features``
(``tools``, ``json_mode``, ``json_schema``, ``vision``…), ``supports_vision`` and
``finetuned``. Authoritative for the context window, tool calling, JSON output and image
input."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from llmaestro.clients.request import HttpRequest
from llmaestro.refresh.detectors._listing import ListingClient, require_list
from llmaestro.refresh.detectors.base import Detector, WireModel
from llmaestro.refresh.detectors.translate import guess_kind
from llmaestro.refresh.observation import ObservedOffering

__all__ = ["CohereDetector", "CohereModel"]

_PAGE_SIZE = "1000"


class CohereModel(WireModel):
    name: str
    endpoints: list[str] | None = None
    finetuned: bool | None = None
    context_length: float | None = None
    tokenizer_url: str | None = None
    default_endpoints: list[str] | None = None
    features: list[str] | None = None
    supports_vision: bool | None = None
    is_deprecated: bool | None = None


def _kind(model_id: str, endpoints: set[str]) -> str:
    if "chat" in endpoints:
        return "chat"
    if "generate" in endpoints:
        return "completion"
    if "embed" in endpoints:
        return "embedding"
    if "rerank" in endpoints:
        return "rerank"
    if "classify" in endpoints:
        return "moderation"
    return guess_kind(model_id)


class CohereDetector(Detector):
    """Cohere's model listing."""

    provider = "cohere"
    label = "Cohere"
    lab = "cohere"
    default_base_url = "https://api.cohere.com"
    default_env = ("COHERE_API_KEY", "CO_API_KEY")
    models_path = "/v1/models"
    authoritative = frozenset(
        {
            "limits.context",
            "capabilities.tool_calling",
            "capabilities.structured_output",
            "capabilities.json_mode",
            "modalities.input[image]",
        }
    )

    def _resolve_base_url(self, explicit: str | None, catalog: str | None) -> str:
        # the catalog names the v2 chat API; the model listing lives at the root's /v1
        url = super()._resolve_base_url(explicit, catalog)
        for suffix in ("/v1", "/v2"):
            url = url.removesuffix(suffix)
        return url

    def make_client(self) -> ListingClient:
        provider = self.provider

        def request(cursor: str | None) -> HttpRequest:
            params = {"page_size": _PAGE_SIZE}
            if cursor:
                params["page_token"] = cursor
            return HttpRequest("GET", self.models_path, params=params)

        def page(data: Any) -> tuple[list[Mapping[str, Any]], str | None]:
            body = data if isinstance(data, Mapping) else {}
            cursor = body.get("next_page_token")
            return require_list(provider, body.get("models"), "models"), (
                str(cursor) if cursor else None
            )

        return ListingClient(
            page_request=request, page_parser=page, id_key="name", **self.client_options()
        )

    def parse(self, items: Sequence[Mapping[str, Any]]) -> list[Any]:
        return self.parse_all(CohereModel, items)

    def translate(self, models: Sequence[CohereModel]) -> list[ObservedOffering]:
        out = []
        for m in models:
            if m.finetuned:
                self.skip(f"{m.name}: a fine-tuned model of this account")
                continue
            kind = _kind(m.name, set(m.endpoints or ()))
            chat = kind == "chat"
            features = set(m.features) if m.features is not None else None
            vision = m.supports_vision
            if vision is None and features is not None:
                vision = "vision" in features
            context = int(m.context_length) if m.context_length else None
            facts: dict[str, Any] = {
                "kind": kind,
                "limits.context": context,
                "modalities.input[image]": vision if chat else None,
            }
            if chat and features is not None:
                facts["capabilities.tool_calling"] = "tools" in features
                facts["capabilities.structured_output"] = "json_schema" in features
                facts["capabilities.json_mode"] = "json_mode" in features
            out.append(self.observe(m.name, facts, raw=m.model_dump()))
        return out
