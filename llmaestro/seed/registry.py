"""The seed's model registry API, over :class:`llmaestro.Registry`.

>>> from llmaestro.seed.registry import LLMRegistry
>>> registry = LLMRegistry()
>>> vision_models = registry.get_models_by_capability(
...     capability="supports_vision", min_context_window=16000, max_cost_per_1k=0.01
... )

Capability names are checked against the typed capability fields of the catalog
(``supports_<field>`` or ``<field>``, plus modality capabilities such as ``supports_vision``);
an unknown name is a ``ValueError`` that suggests the closest one.
"""

from __future__ import annotations

from decimal import Decimal

from llmaestro._records import Offering
from llmaestro.loader import load
from llmaestro.registry.core import CAPABILITIES, Registry

__all__ = ["CAPABILITIES", "LLMRegistry"]


class LLMRegistry:
    """Read-only model registry (the seed's ``LLMRegistry``), backed by the compiled catalog."""

    def __init__(self, registry: Registry | None = None) -> None:
        if registry is None:
            registry = load()
        self._registry = registry

    @property
    def registry(self) -> Registry:
        return self._registry

    def get_models_by_capability(
        self,
        capability: str,
        min_context_window: int | None = None,
        max_cost_per_1k: float | Decimal | str | None = None,
        *,
        include_retired: bool = False,
    ) -> list[Offering]:
        """Offerings with ``capability``, at least ``min_context_window`` tokens of context and
        at most ``max_cost_per_1k`` USD per 1,000 input tokens, cheapest first.

        An offering whose context or input price is unknown does not qualify when that filter
        is given (an unknown price is never taken for a cheap one).
        """
        max_per_1m = None
        if max_cost_per_1k is not None:
            max_per_1m = Decimal(str(max_cost_per_1k)) * 1000
        return self._registry.query(
            capabilities=(capability,),
            min_context=min_context_window,
            max_input_price=max_per_1m,
            include_retired=include_retired,
            sort="input_price",
        )

    def get_model(self, name: str) -> Offering:
        """Resolve a model id (``provider/model``, alias or LiteLLM-style)."""
        return self._registry.get(name)

    def list_models(self) -> list[str]:
        """Every offering id, ``provider/model``."""
        return list(self._registry.ids)

    def is_available(self, name: str) -> bool:
        """Whether ``name`` resolves to an offering that is not retired."""
        try:
            offering = self._registry.get(name)
        except LookupError:  # unknown, or a bare id several providers sell
            return False
        return not (offering.lifecycle and offering.lifecycle.status == "retired")
