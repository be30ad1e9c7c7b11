"""A listing-only client for model-listing APIs that no chat client of the interface layer
reads (Ollama ``/api/tags`` + ``/api/show``, xAI ``/language-models``, Cohere ``/v1/models``).

It is a :class:`~llmaestro.clients.core.BaseClient`: the same HTTP client, auth,
retries with backoff, timeouts and typed errors as the chat clients; only the listing's
request and page parser are given by the detector.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from llmaestro.clients import BaseClient
from llmaestro.clients.request import HttpRequest
from llmaestro.clients.types import ModelInfo
from llmaestro.errors import InvalidResponseError

__all__ = ["ListingClient", "PageParser", "info", "require_list"]

#: ``data -> (items, next cursor)``: the entries of one page and the cursor of the next.
PageParser = Callable[[Any], tuple[list[Mapping[str, Any]], str | None]]
#: ``cursor -> request`` of one page.
PageRequest = Callable[[str | None], HttpRequest]


def info(provider: str, item: Mapping[str, Any], id_key: str = "id") -> ModelInfo | None:
    """A :class:`ModelInfo` carrying ``item`` as ``raw`` (None when it has no id)."""
    ident = item.get(id_key)
    if not isinstance(ident, str) or not ident:
        return None
    return ModelInfo(id=ident, provider=provider, raw=item)


class ListingClient(BaseClient):
    """Reads a paginated listing with :meth:`list_models`; the public
    :meth:`~llmaestro.clients.core.BaseClient.request_json` sends one more request (e.g.
    Ollama's per-model ``/api/show``) with the same auth, retries, timeouts and typed,
    redacted errors."""

    def __init__(
        self,
        *,
        page_request: PageRequest,
        page_parser: PageParser,
        id_key: str = "id",
        **kwargs: Any,
    ) -> None:
        self._page_request = page_request
        self._page_parser = page_parser
        self._id_key = id_key
        super().__init__(**kwargs)

    def _models_request(self, cursor: str | None) -> HttpRequest:
        return self._page_request(cursor)

    def _parse_models(self, data: Any) -> tuple[list[ModelInfo], str | None]:
        items, cursor = self._page_parser(data)
        found = []
        for item in items:
            if not isinstance(item, Mapping):
                raise InvalidResponseError(
                    "a model list entry is not an object", provider=self.provider
                )
            entry = info(self.provider, item, self._id_key)
            if entry is None:
                raise InvalidResponseError(
                    f"a model list entry has no {self._id_key!r}", provider=self.provider
                )
            found.append(entry)
        return found, cursor


def require_list(provider: str, value: Any, what: str) -> list[Mapping[str, Any]]:
    """``value`` as a list of objects, else :class:`InvalidResponseError`."""
    if not isinstance(value, list):
        raise InvalidResponseError(f"the model list has no {what} array", provider=provider)
    return value
