"""The registry of capability detectors, looked up by catalog provider id::

    from llmaestro.refresh.registry import DETECTORS

    detector = DETECTORS.create("anthropic", catalog="catalog")   # key from ANTHROPIC_API_KEY
    observation = detector.detect()

Third-party packages add detectors through the ``llmaestro.detectors`` entry point group; an
entry point names a :class:`~llmaestro.refresh.detectors.Detector` subclass (or an iterable of
them, or a callable returning either)::

    [project.entry-points."llmaestro.detectors"]
    acme = "acme_llm.detector:AcmeDetector"

The seed's ``ModelCapabilityDetectorFactory`` over this registry is :mod:`llmaestro.refresh.seed`.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.metadata
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from llmaestro._optional import require
from llmaestro.refresh.detectors import BUILTIN_DETECTORS
from llmaestro.refresh.detectors.base import Detector, DetectorConfigError

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro.catalog.model import ProviderFile

__all__ = [
    "DETECTORS",
    "ENTRY_POINT_GROUP",
    "DetectorRegistry",
    "load_provider_record",
]

logger = logging.getLogger("llmaestro.detectors")

ENTRY_POINT_GROUP = "llmaestro.detectors"


def load_provider_record(catalog: Path | str | None, provider: str) -> ProviderFile | None:
    """The catalog's ``provider.yaml`` of ``provider`` (None when absent or invalid)."""
    if catalog is None:
        return None
    # the catalog's pydantic data model loads only when a catalog is read (~140 ms)
    from llmaestro.catalog.model import ProviderFile
    from llmaestro.catalog.tree import CatalogTree

    tree = CatalogTree(Path(catalog))
    path = tree.provider_file(provider)
    if path is None:
        return None
    found = tree.read(path, "provider", provider, "")
    return found.model if isinstance(found.model, ProviderFile) else None


def _detector_classes(obj: Any) -> list[type[Detector]]:
    if isinstance(obj, type) and issubclass(obj, Detector):
        return [obj]
    if callable(obj) and not isinstance(obj, type):
        return _detector_classes(obj())
    if isinstance(obj, Iterable) and not isinstance(obj, str | bytes):
        out: list[type[Detector]] = []
        for item in obj:
            out.extend(_detector_classes(item))
        return out
    raise TypeError(f"expected a Detector subclass, got {obj!r}")


class DetectorRegistry:
    """Provider id → detector class: the built-ins, what :meth:`register` adds, and the
    ``llmaestro.detectors`` entry points (loaded on first use; a broken plugin is logged and
    listed in :attr:`errors`, never fatal)."""

    def __init__(
        self, builtins: Mapping[str, str] | None = None, *, entry_points: bool = True
    ) -> None:
        self._specs: dict[str, str | type[Detector]] = dict(
            BUILTIN_DETECTORS if builtins is None else builtins
        )
        self._entry_points_loaded = not entry_points
        self.errors: list[str] = []

    def register(self, cls: type[Detector], *, provider: str | None = None) -> type[Detector]:
        """Add (or replace) a detector; usable as a class decorator."""
        if not (isinstance(cls, type) and issubclass(cls, Detector)):
            raise TypeError(f"{cls!r} is not a Detector subclass")
        self._specs[provider or cls.provider] = cls
        return cls

    def unregister(self, provider: str) -> None:
        self._specs.pop(provider, None)

    def _load_entry_points(self) -> None:
        if self._entry_points_loaded:
            return
        self._entry_points_loaded = True
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            try:
                classes = _detector_classes(ep.load())
            except Exception as exc:  # a broken plugin must not break the built-ins
                message = f"entry point {ep.name!r} ({ep.value}): {type(exc).__name__}: {exc}"
                self.errors.append(message)
                logger.warning("llmaestro.detectors: skipping %s", message)
                continue
            for cls in classes:
                self._specs[cls.provider] = cls

    def providers(self) -> list[str]:
        """Every provider id with a detector, sorted."""
        self._load_entry_points()
        return sorted(self._specs)

    def __contains__(self, provider: object) -> bool:
        self._load_entry_points()
        return provider in self._specs

    def get(self, provider: str) -> type[Detector]:
        """The detector class of ``provider``."""
        self._load_entry_points()
        spec = self._specs.get(provider)
        if spec is None:
            close = difflib.get_close_matches(provider, list(self._specs), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise DetectorConfigError(
                f"no detector for provider {provider!r}{hint} (known: "
                f"{', '.join(sorted(self._specs))})"
            )
        if isinstance(spec, str):
            module, _, name = spec.partition(":")
            # a detector parses with pydantic and fetches with httpx
            require(f"the {provider} detector", "pydantic", "httpx")
            cls = getattr(importlib.import_module(module), name)
            self._specs[provider] = spec = cls
        assert not isinstance(spec, str)
        return spec

    def create(
        self,
        provider: str,
        *,
        catalog: Path | str | None = None,
        **options: Any,
    ) -> Detector:
        """A detector for ``provider`` configured from the catalog's provider entry
        (``options`` go to the detector: ``base_url=``, ``api_key=``, ``transport=`` …)."""
        cls = self.get(provider)
        record = options.pop("provider_record", None) or load_provider_record(catalog, provider)
        return cls(provider_record=record, **options)

    def describe(self, catalog: Path | str | None = None) -> list[dict[str, Any]]:
        """One entry per detector: provider, detector, label, the key's environment
        variables (from the catalog where it names them), scheduled, authoritative fields."""
        out = []
        for provider in self.providers():
            cls = self.get(provider)
            record = load_provider_record(catalog, provider)
            auth = record.api.auth if record is not None and record.api is not None else None
            env = list(auth.env) if auth is not None else list(cls.default_env)
            out.append(
                {
                    "provider": provider,
                    "detector": cls.detector_name(),
                    "label": cls.label or provider,
                    "env": env if cls.needs_key or auth is not None else [],
                    "scheduled": cls.scheduled,
                    "complete_listing": cls.complete_listing,
                    "authoritative": sorted(cls.authoritative),
                    "fill_only": sorted(cls.fill_only),
                }
            )
        return out


#: The default registry.
DETECTORS = DetectorRegistry()
