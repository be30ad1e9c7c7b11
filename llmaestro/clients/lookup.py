"""The catalog behind a client: which model id goes on the wire, and the catalog
:class:`~llmaestro.Offering` of it (for the pre-send checks and the cost).

A client takes ``registry=``: a :class:`~llmaestro.Registry`, ``None`` (``llmaestro.load()``
on first need) or ``False`` (no catalog: no checks, no cost). A catalog that cannot be
loaded is logged once and treated as ``False``; calls still work.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

from llmaestro.errors import CatalogError
from llmaestro.loader import load

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro._records import Offering
    from llmaestro.registry.core import Registry

__all__ = ["CatalogLookup", "wire_model"]

logger = logging.getLogger("llmaestro.clients")


class CatalogLookup:
    """The offerings of one provider's models, looked up once each (misses included)."""

    __slots__ = ("_found", "_registry", "provider")

    def __init__(self, provider: str, registry: Registry | Literal[False] | None) -> None:
        self.provider = provider
        self._registry = registry
        self._found: dict[str, Offering | None] = {}

    def registry(self) -> Registry | None:
        """The catalog (loaded on first need), or None when there is none."""
        if self._registry is False:
            return None
        if self._registry is None:
            try:
                self._registry = load()
            except CatalogError as exc:  # calls still work, without checks and cost
                logger.warning(
                    "%s: the catalog cannot be loaded (%s); no checks, no cost", self.provider, exc
                )
                self._registry = False
                return None
        return self._registry

    def offering(self, model: str) -> Offering | None:
        """The catalog offering of the provider's model id ``model`` (None when unknown)."""
        if model in self._found:
            return self._found[model]
        found: Offering | None = None
        registry = self.registry()
        if registry is not None:
            try:
                found = registry.get(model, provider=self.provider)
            except LookupError:
                found = None
        self._found[model] = found
        return found


def wire_model(
    provider: str, model: str | Offering | None, default: str | Offering | None
) -> tuple[str, Offering | None]:
    """The model id to send for ``model`` (``default`` when None), and its offering when
    ``model`` is one. A catalog id (``"<provider>/<model>"``) loses its provider prefix."""
    if model is None:
        model = default
    if model is None:
        raise ValueError(f"{provider}: no model given and the client has no default")
    if not isinstance(model, str):
        offering = model
        if offering.provider != provider:
            raise ValueError(
                f"{offering.provider}/{offering.model} is not an offering of {provider}"
            )
        return offering.model, offering
    prefix = provider + "/"
    wire = model[len(prefix) :] if model.startswith(prefix) else model
    return wire, None
