"""xAI: ``GET /v1/language-models`` (``{"models": [...]}``) whose entries carry the
modalities, the aliases and the prices in US cents per 100M tokens
(``prompt_text_token_price``, ``cached_prompt_text_token_price``,
``prompt_image_token_price``, ``completion_text_token_price``): 30000 is $3.00 per 1M
tokens. Authoritative for those prices and the modalities."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from llmaestro.clients.request import HttpRequest
from llmaestro.refresh.detectors._listing import ListingClient, require_list
from llmaestro.refresh.detectors.base import Detector, WireModel
from llmaestro.refresh.detectors.translate import epoch_or_date, modalities, per_million
from llmaestro.refresh.observation import ObservedOffering

__all__ = ["XAIDetector", "XAIModel"]

#: cents per 100M tokens → USD per 1M tokens
CENTS_PER_100M = Decimal("0.0001")


class XAIModel(WireModel):
    id: str
    created: int | None = None
    owned_by: str | None = None
    version: str | None = None
    input_modalities: list[str] | None = None
    output_modalities: list[str] | None = None
    prompt_text_token_price: Any = None
    cached_prompt_text_token_price: Any = None
    cached_prompt_token_price: Any = None
    prompt_image_token_price: Any = None
    completion_text_token_price: Any = None
    search_price: Any = None
    aliases: list[str] | None = None


def _price(value: Any) -> Decimal | None:
    return per_million(value, CENTS_PER_100M)


class XAIDetector(Detector):
    """xAI's language-model listing (with prices)."""

    provider = "xai"
    label = "xAI"
    lab = "xai"
    default_base_url = "https://api.x.ai/v1"
    default_env = ("XAI_API_KEY",)
    models_path = "/language-models"
    probe_style = "openai-chat"
    authoritative = frozenset(
        {
            "pricing.input",
            "pricing.output",
            "pricing.cache_read",
            "pricing.input_image",
            "modalities.input",
            "modalities.output",
        }
    )
    fill_only = frozenset({"lifecycle.release_date"})

    def make_client(self) -> ListingClient:
        provider = self.provider

        def page(data: Any) -> tuple[list[Mapping[str, Any]], str | None]:
            if not isinstance(data, Mapping):
                return require_list(provider, None, "models"), None
            return require_list(provider, data.get("models"), "models"), None

        return ListingClient(
            page_request=lambda cursor: HttpRequest("GET", self.models_path),
            page_parser=page,
            **self.client_options(),
        )

    def parse(self, items: Sequence[Mapping[str, Any]]) -> list[Any]:
        return self.parse_all(XAIModel, items)

    def translate(self, models: Sequence[XAIModel]) -> list[ObservedOffering]:
        out = []
        for m in models:
            image_price = _price(m.prompt_image_token_price)
            cached = m.cached_prompt_text_token_price
            if cached is None:
                cached = m.cached_prompt_token_price
            out.append(
                self.observe(
                    m.id,
                    {
                        "kind": "chat",
                        "modalities.input": modalities(m.input_modalities) or None,
                        "modalities.output": modalities(m.output_modalities) or None,
                        "pricing.input": _price(m.prompt_text_token_price),
                        "pricing.output": _price(m.completion_text_token_price),
                        "pricing.cache_read": _price(cached) or None,
                        "pricing.input_image": image_price if image_price else None,
                        "lifecycle.release_date": epoch_or_date(m.created),
                    },
                    aliases=m.aliases or (),
                    raw=m.model_dump(),
                )
            )
        return out
