"""The seed's capability detection: ``ModelCapabilityDetectorFactory`` over the detector
registry (:mod:`llmaestro.refresh.registry`), re-exported with it by the seed's path
``llmaestro.llm.capability_detector``.

The factory asks live APIs what they serve and returns catalog records updated with it
(nothing is written to the catalog)::

    offerings = await ModelCapabilityDetectorFactory.register_all_models(
        anthropic_api_key="...", openai_api_key="..."
    )
    sonnet = await ModelCapabilityDetectorFactory.register_claude_sonnet_4_5(api_key)

``register_<model>`` methods exist for every model id and alias of the catalog (non
alphanumeric characters become ``_``); they are generated on access by the class's
metaclass.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import warnings
from collections.abc import Awaitable, Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from llmaestro._records import Offering
from llmaestro.errors import ModelNotListedError
from llmaestro.loader import load, source_catalog
from llmaestro.refresh.detectors.base import Detector, DetectorConfigError, DetectorError
from llmaestro.refresh.observation import Observation, ObservedOffering, get_fact, set_fact
from llmaestro.refresh.registry import (
    DETECTORS,
    ENTRY_POINT_GROUP,
    DetectorRegistry,
    load_provider_record,
)
from llmaestro.registry.jsonable import record_json

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro._http.secrets import Secret
    from llmaestro.registry.core import Registry

# the seed's API: the factory, what it returns or raises, and the detector registry it draws on
__all__ = [
    "DETECTORS",
    "ENTRY_POINT_GROUP",
    "DetectorRegistry",
    "ModelCapabilityDetectorFactory",
    "ModelNotListedError",
    "load_provider_record",
    "mangle",
    "updated_record",
]


# --- updating catalog records with observations -------------------------------------------------


def updated_record(
    observation: Observation, observed: ObservedOffering, current: Offering | None
) -> Offering:
    """``current`` (a catalog record, or None for a model the catalog lacks) with the facts of
    ``observed``: authoritative ones win, fill-only and informative ones fill in what the
    catalog does not know; a ``detector:<provider>`` provenance entry records the check."""
    data: dict[str, Any] = (
        record_json(current)
        if current is not None
        else {"provider": observation.provider, "model": observed.model_id}
    )
    for path, value in observed.facts.items():
        if path in observed.authoritative or get_fact(data, path) is None:
            set_fact(data, path, record_json(value))
    source = {
        "source": observation.source,
        "url": observation.url,
        "checked": observation.fetched_at.date().isoformat(),
    }
    data["provenance"] = [
        s for s in data.get("provenance") or () if s.get("source") != observation.source
    ] + [source]
    return Offering._from(data)


# --- the seed's factory ---------------------------------------------------------------------

_MANGLE = re.compile(r"[^0-9a-z]+")
#: name prefixes → provider, for models the catalog does not know yet
_PREFIXES: tuple[tuple[str, str], ...] = (
    ("claude", "anthropic"),
    ("gpt", "openai"),
    ("chatgpt", "openai"),
    ("o1", "openai"),
    ("o3", "openai"),
    ("o4", "openai"),
    ("dall_e", "openai"),
    ("whisper", "openai"),
    ("tts", "openai"),
    ("text_embedding", "openai"),
    ("gemini", "google"),
    ("gemma", "google"),
    ("imagen", "google"),
    ("mistral", "mistral"),
    ("codestral", "mistral"),
    ("ministral", "mistral"),
    ("magistral", "mistral"),
    ("pixtral", "mistral"),
    ("devstral", "mistral"),
    ("grok", "xai"),
    ("deepseek", "deepseek"),
    ("command", "cohere"),
)


def mangle(model_id: str) -> str:
    """The method-name form of a model id: ``claude-3-5-sonnet-latest`` →
    ``claude_3_5_sonnet_latest``."""
    return _MANGLE.sub("_", model_id.lower()).strip("_")


class _FactoryMeta(type):
    """Generates ``register_<model>`` class methods on access."""

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("register_") and len(name) > len("register_"):
            factory: Any = cls
            return factory._registrar(name[len("register_") :])
        raise AttributeError(f"type object {cls.__name__!r} has no attribute {name!r}")

    def __dir__(cls) -> Iterable[str]:
        names = set(type.__dir__(cls))
        try:
            factory: Any = cls
            names |= {f"register_{m}" for m in factory._method_index()}
        except Exception:  # pragma: no cover - dir() must never fail
            pass
        return sorted(names)


class ModelCapabilityDetectorFactory(metaclass=_FactoryMeta):
    """The seed's factory: detect models through live APIs and return catalog records
    (:class:`llmaestro.Offering`) updated with what the APIs report. Never writes to the
    catalog.

    Class-level configuration (:meth:`configure`): ``catalog`` (a catalog folder; default
    the packaged catalog), ``base_urls`` (provider → base URL, e.g. a local test server),
    ``detector_options`` (``retry=``, ``timeout=``, ``transport=``, ``sleep=`` for every
    detector).
    """

    catalog: ClassVar[Path | str | None] = None
    base_urls: ClassVar[dict[str, str]] = {}
    detector_options: ClassVar[dict[str, Any]] = {}
    registry: ClassVar[DetectorRegistry] = DETECTORS
    _catalog_cache: ClassVar[dict[str, Any]] = {}

    @classmethod
    def configure(
        cls,
        *,
        catalog: Path | str | None = None,
        base_urls: Mapping[str, str] | None = None,
        registry: DetectorRegistry | None = None,
        **detector_options: Any,
    ) -> None:
        """Set where the catalog and the APIs are (call with no argument to reset)."""
        cls.catalog = catalog
        cls.base_urls = dict(base_urls or {})
        cls.detector_options = dict(detector_options)
        cls.registry = registry or DETECTORS
        cls._catalog_cache = {}

    # -- catalog ---------------------------------------------------------------------------

    @classmethod
    def _registry(cls) -> Registry:
        found = cls._catalog_cache.get("registry")
        if found is None:
            found = load(catalog=cls.catalog)
            cls._catalog_cache["registry"] = found
        registry: Registry = found
        return registry

    @classmethod
    def _lookup(cls, model_id: str, provider: str | None = None) -> Offering | None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                return cls._registry().get(model_id, provider=provider)
            except LookupError:
                return None

    @classmethod
    def _method_index(cls) -> dict[str, tuple[str, str]]:
        """mangled name → (provider, model id) for every catalog id and alias."""
        index: dict[str, tuple[str, str]] | None = cls._catalog_cache.get("methods")
        if index is not None:
            return index
        registry = cls._registry()
        candidates: dict[str, list[tuple[str, str]]] = {}
        for full in registry.ids:
            provider, _, model = full.partition("/")
            candidates.setdefault(mangle(model), []).append((provider, model))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for offering in registry:
                for alias in offering.aliases or ():
                    candidates.setdefault(mangle(alias), []).append((offering.provider, alias))
        index = {}
        for name, options in candidates.items():
            index[name] = cls._prefer(options)
        cls._catalog_cache["methods"] = index
        return index

    @classmethod
    def _prefer(cls, options: list[tuple[str, str]]) -> tuple[str, str]:
        if len(options) == 1:
            return options[0]
        detected = [o for o in options if o[0] in cls.registry]
        first = cls._lookup(options[0][1])
        if first is not None and any(o[0] == first.provider for o in detected):
            return next(o for o in detected if o[0] == first.provider)
        return (detected or options)[0]

    @classmethod
    def _guess_provider(cls, name: str) -> str | None:
        for prefix, provider in _PREFIXES:
            if name.startswith(prefix):
                return provider
        return None

    # -- detection ---------------------------------------------------------------------------

    @classmethod
    def _detector(cls, provider: str, api_key: str | Secret | None, **options: Any) -> Detector:
        settings = {**cls.detector_options, **options}
        base_url = settings.pop("base_url", None) or cls.base_urls.get(provider)
        return cls.registry.create(
            provider,
            catalog=cls.catalog if cls.catalog is not None else _source_catalog(),
            api_key=api_key,
            base_url=base_url,
            **settings,
        )

    @classmethod
    async def detect_provider(
        cls, provider: str, api_key: str | Secret | None = None, **options: Any
    ) -> Observation:
        """The live listing of one provider (``api_key`` None: from the environment)."""
        return await cls._detector(provider, api_key, **options).adetect()

    @classmethod
    def _records(cls, observation: Observation) -> dict[str, Offering]:
        out: dict[str, Offering] = {}
        for observed in observation.offerings:
            current = cls._lookup(f"{observation.provider}/{observed.model_id}")
            if current is not None and current.provider != observation.provider:
                current = None
            record = updated_record(observation, observed, current)
            out[f"{record.provider}/{record.model}"] = record
        return out

    @classmethod
    async def register_all_models(
        cls,
        *,
        anthropic_api_key: str | Secret | None = None,
        openai_api_key: str | Secret | None = None,
        **api_keys: str | Secret | None,
    ) -> dict[str, Offering]:
        """Detect every provider given a key (``<provider>_api_key=``, ``-`` written
        ``_``: ``google_api_key``, ``fireworks_ai_api_key``…) concurrently; the records
        of every listed model by ``provider/model``. Providers without a key are skipped;
        a failed provider raises :class:`~llmaestro.refresh.detectors.DetectorError` after the
        others finished."""
        keys: dict[str, str | Secret] = {}
        if anthropic_api_key is not None:
            keys["anthropic"] = anthropic_api_key
        if openai_api_key is not None:
            keys["openai"] = openai_api_key
        by_name = {p.replace("-", "_"): p for p in cls.registry.providers()}
        for name, key in api_keys.items():
            provider = by_name.get(name.removesuffix("_api_key"))
            if not name.endswith("_api_key") or provider is None:
                raise TypeError(f"register_all_models() got an unexpected keyword {name!r}")
            if key is not None:
                keys[provider] = key
        if not keys:
            raise DetectorConfigError("register_all_models(): no API key given")
        providers = list(keys)
        results = await asyncio.gather(
            *(cls.detect_provider(p, keys[p]) for p in providers), return_exceptions=True
        )
        out: dict[str, Offering] = {}
        failures: list[str] = []
        for provider, result in zip(providers, results, strict=True):
            if isinstance(result, BaseException):
                if not isinstance(result, Exception):
                    raise result
                failures.append(f"{provider}: {result}")
                continue
            out.update(cls._records(result))
        if failures:
            raise DetectorError("detection failed: " + "; ".join(failures))
        return out

    @classmethod
    async def register_model(
        cls,
        model_id: str,
        api_key: str | Secret | None = None,
        *,
        provider: str | None = None,
        **options: Any,
    ) -> Offering:
        """One model's record updated from its provider's live listing (found by id, alias
        or mangled name). Raises :class:`ModelNotListedError` when the listing lacks it."""
        wanted = {model_id, mangle(model_id)}
        known = cls._lookup(model_id, provider)
        if known is not None:
            provider = provider or known.provider
            wanted |= {known.model, *(known.aliases or ())}
        if provider is None:
            provider = cls._guess_provider(mangle(model_id))
        if provider is None:
            raise DetectorConfigError(f"cannot tell the provider of {model_id!r}; pass provider=")
        observation = await cls.detect_provider(provider, api_key, **options)
        for observed in observation.offerings:
            names = {observed.model_id, *observed.aliases}
            if names & wanted or {mangle(n) for n in names} & wanted:
                single = dataclasses.replace(observation, offerings=(observed,))
                return cls._records(single).popitem()[1]
        raise ModelNotListedError(f"{provider} does not list {model_id!r}")

    @classmethod
    def _registrar(cls, name: str) -> Callable[..., Awaitable[Offering]]:
        target = cls._method_index().get(name)
        if target is None:
            provider = cls._guess_provider(name)
            if provider is None:
                raise AttributeError(
                    f"{cls.__name__} has no method register_{name}: no catalog model id "
                    f"mangles to {name!r}"
                )
            target = (provider, name)
        provider, model = target

        async def register(api_key: str | Secret | None = None, **options: Any) -> Offering:
            return await cls.register_model(model, api_key, provider=provider, **options)

        register.__name__ = register.__qualname__ = f"register_{name}"
        register.__doc__ = f"Detect {provider}/{model} through the live API."
        return register


def _source_catalog() -> Path | None:
    found = source_catalog()
    return Path(found) if found is not None else None
