"""The catalog behind a client: which model id goes on the wire, and the catalog
:class:`~llmaestro.Offering` of it (for the pre-send checks and the cost).

A client takes ``registry=``: a :class:`~llmaestro.Registry`, ``None`` (``llmaestro.load()``
on first need) or ``False`` (no catalog: no checks, no prices). A catalog that cannot be
loaded is logged once and treated as ``False``; calls still work.

A lookup never leaves the client's provider: the same bare id at another provider is
another offering, with other prices and limits (DeepInfra's
``anthropic/claude-3-7-sonnet-latest`` is not Anthropic's ``claude-3-7-sonnet-latest``), so
it is never used. For a provider the catalog has, a model id it lacks there is an
:class:`~llmaestro.errors.UnknownModelWarning` (an id several offerings answer to, none
of them alone this provider's: :class:`~llmaestro.errors.AmbiguousModelWarning`), once per
client and id; a provider the catalog does not describe (a private deployment) is not looked up.
When the requested id is unknown, each response is priced under the model it names, and
the last one known checks the next calls with that id (:meth:`CatalogLookup.served`).
"""

from __future__ import annotations

import logging
import sys
import warnings
from typing import TYPE_CHECKING, Literal

from llmaestro.errors import (
    AmbiguousModelWarning,
    CatalogError,
    UnknownModelError,
    UnknownModelWarning,
)
from llmaestro.loader import load

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable, Sequence
    from types import FrameType

    from llmaestro._records import Offering
    from llmaestro.registry.core import Registry

__all__ = ["MAX_CACHED", "MAX_MODEL_ID", "CatalogLookup", "served_model", "wire_model"]

logger = logging.getLogger("llmaestro.clients")

#: Longest model id a response may name and still be looked up (catalog ids are far
#: shorter); a longer or non-text one is not an id.
MAX_MODEL_ID = 256

#: Most model ids a client remembers the catalog's answer for (each is warned about once
#: while remembered).
MAX_CACHED = 4096

_PACKAGE = __name__.rpartition(".")[0] + "."


def _caller_stacklevel() -> int:
    """The ``stacklevel`` that points a warning at the first frame outside this package
    (the user's ``chat()`` / ``stream()`` call, or the loop driving a stream)."""
    level = 1
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith(_PACKAGE):
        frame = frame.f_back
        level += 1
    return level


def served_model(value: object) -> str | None:
    """The model id a response names, when it is one (text, not empty, not too long)."""
    if isinstance(value, str) and value and len(value) <= MAX_MODEL_ID:
        return value
    return None


class CatalogLookup:
    """The offerings of one provider's models, looked up once each (misses included)."""

    __slots__ = (
        "_found",
        "_has_provider",
        "_learnt",
        "_redact",
        "_registry",
        "provider",
    )

    def __init__(
        self,
        provider: str,
        registry: Registry | Literal[False] | None,
        redact: Callable[[str], str] | None = None,
    ) -> None:
        self.provider = provider
        self._registry = registry
        self._redact = redact
        self._found: dict[str, Offering | None] = {}  # the catalog's answer per id
        self._learnt: dict[str, Offering] = {}  # unknown id -> the model its response named
        self._has_provider: bool | None = None

    def registry(self) -> Registry | None:
        """The catalog (loaded on first need), or None when there is none."""
        if self._registry is False:
            return None
        if self._registry is None:
            try:
                self._registry = load()
            except CatalogError as exc:  # calls still work, without checks and prices
                logger.warning(
                    "%s: the catalog cannot be loaded (%s); no checks, no prices",
                    self.provider,
                    exc,
                )
                self._registry = False
                return None
        return self._registry

    def offering(self, model: str) -> Offering | None:
        """The offering to check a call to the provider's model id ``model`` against (see
        :meth:`resolve`)."""
        return self.resolve(model)[0]

    def resolve(self, model: str) -> tuple[Offering | None, bool]:
        """The offering to check a call to ``model`` against: the catalog's, else the one
        of the model a response to ``model`` named (None when neither is known); and
        whether the catalog lacks ``model`` (its responses are then priced under the model
        they name). One warning per id the catalog lacks."""
        found = self._catalog(
            model,
            "the call is sent unchecked; its cost is priced under the model the response "
            "names when the catalog knows it, else it is incomplete",
        )
        if found is not None:
            return found, False
        return self._learnt.get(model), True

    def served(self, requested: str, served: object) -> Offering | None:
        """The offering to price a response to ``requested`` (an id the catalog lacks)
        under: the one of the model the response names (``served``), or None.

        A known served model is learnt: later calls to ``requested`` are checked against it
        (each response is still priced under the model it names). An unknown one is warned
        about once.
        """
        name = served_model(served)
        if name is None or name == requested:
            return None
        found = self._catalog(
            name, f"the response to {requested!r} names it; its cost is incomplete"
        )
        if found is not None and (requested in self._learnt or len(self._learnt) < MAX_CACHED):
            self._learnt[requested] = found
        return found

    def _catalog(self, model: str, consequence: str) -> Offering | None:
        if model in self._found:
            return self._found[model]
        found = self._lookup(model, consequence)
        if len(self._found) < MAX_CACHED:  # bounded, whatever ids responses name
            self._found[model] = found
        return found

    def _lookup(self, model: str, consequence: str) -> Offering | None:
        registry = self.registry()
        if registry is None:
            return None
        if self._has_provider is None:
            self._has_provider = self.provider in registry.provider_ids
        if not self._has_provider:  # a deployment the catalog does not describe: no warning
            return None
        found, problem, category = self._find(registry, model)
        if found is None:
            text = f"{self.provider}: {problem}; {consequence}"
            if self._redact is not None:
                text = self._redact(text)
            warnings.warn(text, category, stacklevel=_caller_stacklevel())
        return found

    def _find(
        self, registry: Registry, model: str
    ) -> tuple[Offering | None, str, type[UnknownModelWarning]]:
        """The offering of ``model`` at this provider, or None with why and the warning."""
        provider = self.provider
        prefix = provider + "/"
        shown = f"{prefix}{model}"
        missing = f"the catalog has no offering {shown!r}"
        try:
            found = registry.get(model, provider=provider)
        except UnknownModelError as exc:
            candidates: tuple[str, ...] = getattr(exc, "candidates", ())
            own = [c for c in candidates if c.startswith(prefix)]
            if len(own) == 1:
                return registry.get(own[0]), "", UnknownModelWarning
            if own:
                what = f"{shown!r} names {len(own)} offerings: {_listed(own)}"
                return None, what, AmbiguousModelWarning
            if candidates:  # sold under this id elsewhere only
                missing += f" (other providers' {_listed(candidates)} are not used)"
                return None, missing, AmbiguousModelWarning
            close = [s for s in exc.suggestions if s.startswith(prefix)]
            if close:
                missing += f" (did you mean {_listed(close)}?)"
            return None, missing, UnknownModelWarning
        if found.provider != provider:  # resolved through another provider's id or alias
            other = f"{found.provider}/{found.model}"
            return (
                None,
                f"{missing} (another provider's {other!r} is not used)",
                UnknownModelWarning,
            )
        return found, "", UnknownModelWarning


def _listed(ids: Sequence[str]) -> str:
    shown = ", ".join(repr(c) for c in ids[:4])
    return shown + (f" and {len(ids) - 4} more" if len(ids) > 4 else "")


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
