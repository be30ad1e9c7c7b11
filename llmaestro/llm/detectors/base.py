"""What every detector shares: observed facts, the fetch → parse → translate pipeline, the
errors and the wire-model base class.

A detector asks one provider's model-listing API what it serves and turns the answer into
:class:`ObservedOffering` records: facts addressed by dotted catalog paths
(``pricing.input``, ``limits.context``, ``capabilities.tool_calling``…), each marked with
whether this API is *authoritative* for it. Drift (:mod:`llmaestro.catalog.drift`) corrects
the catalog only where the API is authoritative; informative facts (a display name, a guessed
``kind``) only seed the files of new offerings.

The three steps are separate methods so each can be tested alone:

* :meth:`Detector.fetch` reads every page of the listing through the interface layer
  (its clients, retries, timeouts and typed errors) and returns the raw items;
* :meth:`Detector.parse` validates them with pydantic models that ignore fields we do not
  read (providers add fields all the time);
* :meth:`Detector.translate` maps them to observed facts.

:meth:`Detector.detect` runs the three and refuses anything partial: an error, a timeout, a
malformed body, a missing page or an empty listing raises :class:`FetchError` and nothing
downstream runs.
"""

from __future__ import annotations

import abc
import datetime as dt
import fnmatch
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar

from llmaestro._optional import installed
from llmaestro.errors import LLMaestroError, ProviderError
from llmaestro.llm.interfaces.retry import RetryPolicy
from llmaestro.llm.interfaces.secret import Secret

if TYPE_CHECKING:  # pragma: no cover
    import httpx

    from llmaestro.llm.interfaces._core import BaseClient
    from llmaestro.llm.models import ProviderFile

if TYPE_CHECKING or installed("pydantic"):
    from pydantic import BaseModel, ConfigDict, ValidationError
else:  # the core install: this module imports; WireModel (so every detector) needs pydantic
    from llmaestro._pydantic_absent import BaseModel, ConfigDict, ValidationError

__all__ = [
    "MODALITY_ORDER",
    "Detector",
    "DetectorConfigError",
    "DetectorError",
    "FetchError",
    "Observation",
    "ObservedOffering",
    "WireModel",
    "epoch_or_date",
    "get_fact",
    "guess_kind",
    "modalities",
    "per_million",
    "set_fact",
    "split_path",
    "with_member",
]

logger = logging.getLogger("llmaestro.detectors")

#: The catalog's modalities in their canonical order.
MODALITY_ORDER: tuple[str, ...] = ("text", "image", "audio", "video", "pdf")
_DEFAULT_TIMEOUT = 60.0


class DetectorError(LLMaestroError):
    """A detector could not produce an observation."""


class DetectorConfigError(DetectorError):
    """A detector cannot run: no API key, no base URL, an unknown provider."""


class FetchError(DetectorError):
    """The listing could not be fetched completely (an error, a timeout, a malformed body,
    a missing page, an empty list). Nothing may be concluded from a partial listing."""

    def __init__(self, provider: str, reason: str) -> None:
        super().__init__(f"{provider}: {reason}")
        self.provider = provider
        self.reason = reason


class WireModel(BaseModel):
    """Base of the models that parse a provider's listing: unknown upstream fields are
    ignored, missing ones are None."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


@dataclass(frozen=True, slots=True)
class ObservedOffering:
    """What one listing entry says about one offering.

    ``facts`` maps dotted catalog paths to values in the catalog's units (USD per 1M tokens,
    tokens, :class:`datetime.date`, modality tuples); ``authoritative`` names the paths of
    ``facts`` the provider's API is the authority for (drift may correct those);
    ``fill_only`` those it may only add where the catalog does not know them; every other
    fact is informative (used for new offerings only).
    """

    model_id: str
    facts: Mapping[str, Any]
    authoritative: frozenset[str] = frozenset()
    fill_only: frozenset[str] = frozenset()
    aliases: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def authoritative_facts(self) -> dict[str, Any]:
        """The facts this API is authoritative for (including fill-only ones)."""
        return {
            k: v for k, v in self.facts.items() if k in self.authoritative or k in self.fill_only
        }


@dataclass(frozen=True, slots=True)
class Observation:
    """One complete listing of one provider, translated."""

    provider: str
    """Catalog provider id."""
    detector: str
    """Detector name (``openai``, ``anthropic``…)."""
    url: str
    """The listing endpoint that was read."""
    fetched_at: dt.datetime
    """When the listing was read (UTC)."""
    offerings: tuple[ObservedOffering, ...]
    complete_listing: bool = True
    """Whether a model absent from the listing is gone (False for local servers)."""
    probed: bool = False
    """Whether active probes added facts."""
    notes: tuple[str, ...] = ()
    """What the detector skipped and why (fine-tunes, inactive models…)."""

    @property
    def source(self) -> str:
        """The provenance name of these facts: ``detector:<provider>``."""
        return f"detector:{self.provider}"

    def by_id(self) -> dict[str, ObservedOffering]:
        return {o.model_id: o for o in self.offerings}


# --- helpers for translations ------------------------------------------------------------------


def per_million(value: Any, scale: Decimal | int = 1) -> Decimal | None:
    """A price in USD per 1M tokens from ``value`` × ``scale`` (``scale=1_000_000`` for a
    per-token price), exact, with at least one decimal place (``3.0``, ``0.15``); None for
    missing, negative or unparsable values (OpenRouter's ``-1`` means "varies")."""
    if value is None or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value)) * Decimal(scale)
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount < 0:
        return None
    amount = amount.normalize()
    if amount == amount.to_integral_value():
        return amount.quantize(Decimal("0.0"))
    return amount


def modalities(
    values: Iterable[str] | None, *, aliases: Mapping[str, str] | None = None
) -> tuple[str, ...] | None:
    """The catalog modalities among ``values`` (mapped through ``aliases``), in canonical
    order; None when ``values`` is None."""
    if values is None:
        return None
    names = {(aliases or {}).get(v.lower(), v.lower()) for v in values if isinstance(v, str)}
    return tuple(m for m in MODALITY_ORDER if m in names)


def epoch_or_date(value: Any) -> dt.date | None:
    """A date from Unix seconds or an ISO 8601 text; None for missing values and for the
    epoch placeholder some APIs send when they do not know."""
    if value is None or isinstance(value, bool):
        return None
    when: dt.datetime | None = None
    if isinstance(value, int | float):
        if value <= 86_400:
            return None
        try:
            when = dt.datetime.fromtimestamp(value, tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    elif isinstance(value, dt.datetime):
        when = value
    elif isinstance(value, dt.date):
        return value
    elif isinstance(value, str) and value:
        text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
        try:
            when = dt.datetime.fromisoformat(text)
        except ValueError:
            try:
                return dt.date.fromisoformat(value[:10])
            except ValueError:
                return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    day = when.astimezone(dt.UTC).date()
    return None if day.year <= 1970 else day


def split_path(path: str) -> tuple[list[str], str | None]:
    """``"modalities.input[image]"`` → ``(["modalities", "input"], "image")``: a path and,
    for membership facts (is ``image`` among the input modalities?), the member."""
    member = None
    if path.endswith("]") and "[" in path:
        path, _, rest = path.partition("[")
        member = rest[:-1]
    return path.split("."), member


def get_fact(data: Mapping[str, Any] | None, path: str) -> Any:
    """The value at a dotted ``path`` of nested mappings (None when absent); for a
    membership path, whether the member is in the list (None when the list is absent)."""
    parts, member = split_path(path)
    node: Any = data
    for part in parts:
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    if member is None or node is None:
        return node
    return member in node


def set_fact(data: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted ``path`` in nested dicts, creating them; for a membership path, add or
    remove the member (keeping :data:`MODALITY_ORDER` for modalities; an unknown list starts
    from ``["text"]``, and removing from an unknown list changes nothing)."""
    parts, member = split_path(path)
    if member is not None:
        value = with_member(get_fact(data, ".".join(parts)), member, bool(value))
        if value is None:
            return
    node = data
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {} if child is None else dict(child)
            node[part] = child
        node = child
    node[parts[-1]] = value


def with_member(current: Sequence[str] | None, member: str, present: bool) -> list[str] | None:
    """``current`` with ``member`` added or removed (canonical modality order); None when
    nothing is known and nothing to add."""
    if current is None:
        if not present:
            return None
        current = ["text"]
    items = [x for x in current if x != member]
    if present:
        items.append(member)
    order = {m: i for i, m in enumerate(MODALITY_ORDER)}
    if all(x in order for x in items):
        items.sort(key=order.__getitem__)
    return items


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --- the detector --------------------------------------------------------------------------------


class Detector(abc.ABC):
    """Reads one provider's model listing; see the module documentation.

    Subclasses set the class attributes and implement :meth:`fetch`, :meth:`parse` and
    :meth:`translate`; :meth:`make_client` builds the interface-layer client that fetches.

    Args:
        base_url: the API base URL (default: the catalog's ``api.base_url``, else
            :attr:`default_base_url`).
        api_key: the key (default: the first set environment variable of the catalog's
            ``api.auth.env``, else :attr:`default_env`).
        provider_record: the catalog's provider entry (for base URL and auth).
        retry / timeout / transport / sleep: passed to the interface client (tests inject
            a transport and a no-op sleep).
        clock: the current time (UTC), for ``fetched_at``.
    """

    #: Catalog provider id.
    provider: ClassVar[str]
    #: Detector name (defaults to the provider id).
    name: ClassVar[str] = ""
    #: Human name for reports.
    label: ClassVar[str] = ""
    #: Base URL when the catalog has none.
    default_base_url: ClassVar[str] = ""
    #: Environment variables holding the key when the catalog names none.
    default_env: ClassVar[tuple[str, ...]] = ()
    #: Whether the API needs a key.
    needs_key: ClassVar[bool] = True
    auth_header: ClassVar[str | None] = "Authorization"
    auth_scheme: ClassVar[str | None] = "Bearer"
    #: Listing path relative to the base URL.
    models_path: ClassVar[str] = "/models"
    #: Dotted paths (``fnmatch`` patterns) this API is authoritative for.
    authoritative: ClassVar[frozenset[str]] = frozenset()
    #: Paths this API may only fill in where the catalog does not know them.
    fill_only: ClassVar[frozenset[str]] = frozenset()
    #: Whether the listing is complete (absence means gone).
    complete_listing: ClassVar[bool] = True
    #: Whether the scheduled refresh workflow runs this detector.
    scheduled: ClassVar[bool] = True
    #: Lab whose canonical models (``catalog/models/<lab>/``) new offerings may inherit.
    lab: ClassVar[str | None] = None
    #: Whether active probes can run (an interface chat client exists for the API).
    probe_style: ClassVar[str | None] = None

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        provider_record: ProviderFile | None = None,
        retry: RetryPolicy | None = None,
        timeout: float | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        api = provider_record.api if provider_record is not None else None
        auth = api.auth if api is not None else None
        self.base_url = self._resolve_base_url(base_url, api.base_url if api else None)
        self.env_names: tuple[str, ...] = tuple(auth.env) if auth else self.default_env
        if auth is not None:
            self.header: str | None = auth.header
            self.scheme: str | None = auth.scheme
            self.query_param: str | None = auth.query_param
        else:
            self.header, self.scheme, self.query_param = (
                self.auth_header,
                self.auth_scheme,
                None,
            )
        if api_key is None and self.env_names:
            api_key = Secret.from_env(self.env_names)
        self.api_key: Secret | None = (
            None if api_key is None else api_key if isinstance(api_key, Secret) else Secret(api_key)
        )
        self.retry = retry if retry is not None else RetryPolicy()
        self.timeout = timeout if timeout is not None else _DEFAULT_TIMEOUT
        self.transport = transport
        self.sleep = sleep
        self.clock = clock or _utcnow
        self.notes: list[str] = []

    # -- configuration -------------------------------------------------------------------

    @classmethod
    def detector_name(cls) -> str:
        return cls.name or cls.provider

    def _resolve_base_url(self, explicit: str | None, catalog: str | None) -> str:
        url = explicit or catalog or self.default_base_url
        if not url:
            raise DetectorConfigError(
                f"{self.provider}: no base URL (the catalog has none; pass base_url=)"
            )
        return url.rstrip("/")

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(provider={self.provider!r}, base_url={self.base_url!r}, "
            f"api_key={self.api_key!r})"
        )

    @property
    def listing_url(self) -> str:
        """The URL of the listing endpoint (for reports and provenance)."""
        return self.base_url + self.models_path

    def require_key(self) -> Secret | None:
        """The key, or :class:`DetectorConfigError` naming the variables to set."""
        if self.api_key is None and self.needs_key:
            names = " or ".join(self.env_names) or "an API key"
            raise DetectorConfigError(f"{self.provider}: no API key; set {names}")
        return self.api_key

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for an interface-layer client class."""
        options: dict[str, Any] = {
            "provider": self.provider,
            "base_url": self.base_url,
            "api_key": self.require_key(),
            "auth_header": self.header,
            "auth_scheme": self.scheme,
            "auth_query_param": self.query_param,
            "registry": False,
            "check": False,
            "retry": self.retry,
            "timeout": self.timeout,
            "models_endpoint": self.models_path,
        }
        if self.transport is not None:
            options["transport"] = self.transport
        if self.sleep is not None:
            options["sleep"] = self.sleep
        return options

    @abc.abstractmethod
    def make_client(self) -> BaseClient:
        """The interface-layer client that reads the listing."""

    # -- the three steps -------------------------------------------------------------------

    def fetch(self) -> list[Mapping[str, Any]]:
        """Every entry of the listing (every page), as raw JSON objects."""
        with self.make_client() as client:
            return [dict(info.raw) for info in client.list_models()]

    @abc.abstractmethod
    def parse(self, items: Sequence[Mapping[str, Any]]) -> list[Any]:
        """Validate the raw entries (pydantic :class:`WireModel` subclasses)."""

    @abc.abstractmethod
    def translate(self, models: Sequence[Any]) -> list[ObservedOffering]:
        """Observed facts of the parsed entries."""

    # -- helpers for translate ---------------------------------------------------------------

    @classmethod
    def is_authoritative(cls, path: str) -> bool:
        return any(fnmatch.fnmatchcase(path, pattern) for pattern in cls.authoritative)

    @classmethod
    def is_fill_only(cls, path: str) -> bool:
        return any(fnmatch.fnmatchcase(path, pattern) for pattern in cls.fill_only)

    def observe(
        self,
        model_id: str,
        facts: Mapping[str, Any],
        *,
        aliases: Iterable[str] = (),
        raw: Mapping[str, Any] | None = None,
    ) -> ObservedOffering:
        """An :class:`ObservedOffering` with the None facts dropped and each fact marked."""
        kept = {k: v for k, v in facts.items() if v is not None}
        fill = frozenset(k for k in kept if self.is_fill_only(k))
        auth = frozenset(k for k in kept if k not in fill and self.is_authoritative(k))
        return ObservedOffering(
            model_id=model_id,
            facts=kept,
            authoritative=auth,
            fill_only=fill,
            aliases=tuple(a for a in dict.fromkeys(aliases) if a and a != model_id),
            raw=dict(raw or {}),
        )

    def skip(self, note: str) -> None:
        """Record why a listing entry was left out (shown in the report)."""
        self.notes.append(note)

    # -- running -----------------------------------------------------------------------------

    def detect(self) -> Observation:
        """Fetch, parse and translate; raises :class:`FetchError` for anything partial."""
        self.notes = []
        try:
            items = self.fetch()
        except DetectorError:
            raise
        except ProviderError as exc:
            detail = self._redact(str(exc)).removeprefix(f"{self.provider}: ")
            raise FetchError(self.provider, f"fetching the model list failed: {detail}") from None
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise FetchError(
                self.provider,
                f"the model list is malformed ({type(exc).__name__}: {self._redact(str(exc))})",
            ) from None
        if not items:
            raise FetchError(
                self.provider,
                "the provider listed no models; an empty list is treated as a failed fetch",
            )
        try:
            models = self.parse(items)
        except ValidationError as exc:
            errors = exc.errors()
            where = ".".join(str(p) for p in errors[0]["loc"]) if errors else "?"
            what = errors[0]["msg"] if errors else str(exc)
            raise FetchError(
                self.provider, f"a model list entry is malformed ({where}: {what})"
            ) from None
        offerings: dict[str, ObservedOffering] = {}
        for offering in self.translate(models):
            offerings.setdefault(offering.model_id, offering)
        if not offerings:
            raise FetchError(self.provider, "no usable model in the listing")
        return Observation(
            provider=self.provider,
            detector=self.detector_name(),
            url=self.listing_url,
            fetched_at=self.clock(),
            offerings=tuple(offerings.values()),
            complete_listing=self.complete_listing,
            notes=tuple(self.notes),
        )

    async def adetect(self) -> Observation:
        """:meth:`detect` in a worker thread (the interface clients are thread-safe)."""
        import asyncio

        return await asyncio.to_thread(self.detect)

    def _redact(self, text: str) -> str:
        return self.api_key.redact(text) if self.api_key else text

    @staticmethod
    def parse_all(model: type[WireModel], items: Sequence[Mapping[str, Any]]) -> list[Any]:
        """Validate every item with ``model``."""
        return [model.model_validate(item) for item in items]


_KIND_MARKERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("embedding", ("embed",)),
    ("rerank", ("rerank",)),
    ("moderation", ("moderation", "guard")),
    ("transcription", ("whisper", "transcribe", "stt")),
    ("speech", ("tts",)),
    (
        "image_generation",
        ("dall-e", "gpt-image", "chatgpt-image", "imagen", "flux", "stable-diffusion"),
    ),
    ("video", ("sora", "veo")),
    ("completion", ("babbage", "davinci")),
)


def guess_kind(model_id: str) -> str:
    """A best guess of an offering's ``kind`` from its id (informative only): chat unless the
    id names an embedding, rerank, moderation, audio, image or video model."""
    lowered = model_id.lower()
    for kind, markers in _KIND_MARKERS:
        if any(marker in lowered for marker in markers):
            return kind
    return "chat"


if not TYPE_CHECKING and not installed("pydantic"):
    from llmaestro._pydantic_absent import hide_models

    __getattr__ = hide_models(globals(), "the detectors' wire models")
