"""What every detector shares: the fetch → parse → translate pipeline, the errors and the
wire-model base class.

A detector asks one provider's model-listing API what it serves and turns the answer into
:class:`~llmaestro.refresh.observation.ObservedOffering` records: facts addressed by dotted
catalog paths (``pricing.input``, ``limits.context``, ``capabilities.tool_calling``…), each
marked with whether this API is *authoritative* for it. Drift (:mod:`llmaestro.refresh.plan`)
corrects the catalog only where the API is authoritative; informative facts (a display name,
a guessed ``kind``) only seed the files of new offerings.

The three steps are separate methods so each can be tested alone:

* :meth:`Detector.fetch` reads every page of the listing through the interface layer
  (its clients, retries, timeouts and typed errors) and returns the raw items;
* :meth:`Detector.parse` validates them with pydantic models that ignore fields we do not
  read (providers add fields all the time);
* :meth:`Detector.translate` maps them to observed facts (helpers in :mod:`.translate`).

:meth:`Detector.detect` runs the three and refuses anything partial: an error, a timeout, a
malformed body, a missing page or an empty listing raises :class:`FetchError` and nothing
downstream runs.
"""

from __future__ import annotations

import abc
import asyncio
import dataclasses
import datetime as dt
import fnmatch
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from llmaestro._http.redact import escape_control, redact
from llmaestro._http.retry import RetryPolicy
from llmaestro._http.secrets import Secret
from llmaestro._optional import installed
from llmaestro.catalog.ids import LOOKS_LIKE_SECRET, id_problem
from llmaestro.errors import (
    DetectorConfigError,
    DetectorError,
    FetchError,
    ProviderError,
)
from llmaestro.refresh.observation import Observation, ObservedOffering

if TYPE_CHECKING:  # pragma: no cover
    import httpx

    from llmaestro.catalog.model import ProviderFile
    from llmaestro.clients import BaseClient

if TYPE_CHECKING or installed("pydantic"):
    from pydantic import BaseModel, ConfigDict, ValidationError
else:  # the core install: this module imports; WireModel (so every detector) needs pydantic
    from llmaestro._pydantic_absent import BaseModel, ConfigDict, ValidationError

__all__ = [
    "Detector",
    "DetectorConfigError",
    "DetectorError",
    "FetchError",
    "WireModel",
]

logger = logging.getLogger("llmaestro.detectors")

_DEFAULT_TIMEOUT = 60.0


class WireModel(BaseModel):
    """Base of the models that parse a provider's listing: unknown upstream fields are
    ignored, missing ones are None."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


def _shown(value: str, problem: str) -> str:
    """How a refused id is named in a note: escaped, or not at all when it looks like a key."""
    if problem == LOOKS_LIKE_SECRET:
        return "(value not shown)"
    return repr(escape_control(value)[:80])


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

    def screen(self, offering: ObservedOffering) -> ObservedOffering | None:
        """``offering`` if its id may become a catalog file name (the rules of
        :func:`llmaestro.catalog.ids.id_problem`), its refused aliases dropped; ``None`` (and a
        note) when the id is refused. An id that looks like a key is never quoted."""
        secrets = [self.api_key] if self.api_key else []
        problem = id_problem(offering.model_id, secrets)
        if problem is not None:
            self.skip(f"rejected listing id {_shown(offering.model_id, problem)}: {problem}")
            return None
        kept = []
        for alias in offering.aliases:
            trouble = id_problem(alias, secrets)
            if trouble is None:
                kept.append(alias)
            else:
                self.skip(
                    f"dropped alias {_shown(alias, trouble)} of `{offering.model_id}`: {trouble}"
                )
        if len(kept) == len(offering.aliases):
            return offering
        return dataclasses.replace(offering, aliases=tuple(kept))

    def skip(self, note: str) -> None:
        """Record why a listing entry was left out (shown in the report): the key and every
        key shape redacted (a note may quote a listing id before it was screened), control
        characters escaped."""
        secrets = [self.api_key] if self.api_key else []
        self.notes.append(escape_control(redact(note, secrets)))

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
            screened = self.screen(offering)
            if screened is not None:
                offerings.setdefault(screened.model_id, screened)
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
        return await asyncio.to_thread(self.detect)

    def _redact(self, text: str) -> str:
        return redact(text, [self.api_key] if self.api_key else [])

    @staticmethod
    def parse_all(model: type[WireModel], items: Sequence[Mapping[str, Any]]) -> list[Any]:
        """Validate every item with ``model``."""
        return [model.model_validate(item) for item in items]


if not TYPE_CHECKING and not installed("pydantic"):
    from llmaestro._pydantic_absent import hide_models

    __getattr__ = hide_models(globals(), "the detectors' wire models")
