"""The one exception hierarchy of llmaestro.

Every error the library raises on purpose derives from :class:`LLMaestroError`::

    LLMaestroError
    ├── CatalogError                 the catalog cannot be read or is invalid
    │   └── CatalogValidationError   carries every Diagnostic found
    ├── LookupFailedError (+LookupError)
    │   ├── UnknownModelError        an id that names no offering (with suggestions)
    │   │   └── AmbiguousModelError  a bare id several providers sell (with the candidates)
    │   └── UnknownProviderError     an id that names no provider (with suggestions)
    ├── ExportError                  an export cannot be written or read back
    ├── RateLimitError               the rate limiter refused or could not decide
    │   ├── RateLimitTimeout         acquire() waited longer than its timeout
    │   └── RateLimiterUnavailable   the shared backend (Redis) is unreachable, fail-closed
    ├── ProviderError                calling a provider failed (interface layer)
    │   ├── ProviderConfigError      no API key in the catalog's env vars, no base URL, ...
    │   └── ProviderAPIError         the API answered with an error (message, status, request id)
    │       ├── AuthenticationError, PermissionDeniedError, NotFoundError
    │       ├── RateLimitedError     429, with retry_after
    │       ├── InvalidRequestError
    │       │   └── ContextLengthExceededError
    │       ├── ServerError, ProviderTimeoutError, ProviderConnectionError
    │       ├── InvalidResponseError a malformed body
    │       └── CapabilityError      refused before sending: the catalog says it cannot work
    ├── CostError (+ValueError)      a usage payload or price set cannot be costed
    ├── TokenizerDataError           a shipped tokenizer rank file is missing or corrupted
    ├── DetectorError                a detector could not produce an observation (refresh)
    │   ├── DetectorConfigError      no API key, no base URL, an unknown provider
    │   ├── FetchError               the listing could not be fetched completely
    │   └── ModelNotListedError (+LookupError)  the live listing lacks the model
    ├── DriftError                   drift cannot be computed or applied
    ├── PullRequestError             GitHub refused or failed a request
    ├── SiteError                    the catalog site cannot be built where asked
    └── MissingDependencyError (+ImportError)  a feature's optional extra is not installed

Messages never contain credentials.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Sequence

    from llmaestro.catalog.diagnostics import Diagnostic


class LLMaestroError(Exception):
    """Base class of every error llmaestro raises on purpose."""


class CatalogError(LLMaestroError):
    """The catalog cannot be read, compiled or is invalid."""


class CatalogValidationError(CatalogError):
    """The catalog (or an overlay) has problems; ``diagnostics`` lists every one."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        if len(self.diagnostics) == 1:  # one problem is one line, as every other error
            super().__init__(self.diagnostics[0].format())
            return
        shown = "\n".join(d.format() for d in self.diagnostics[:20])
        more = len(self.diagnostics) - 20
        tail = f"\n... and {more} more" if more > 0 else ""
        super().__init__(f"{len(self.diagnostics)} catalog problem(s):\n{shown}{tail}")


class SourceError(CatalogError, ValueError):
    """A source snapshot that cannot be read; the message names the file and why."""


class ManualError(CatalogError, ValueError):
    """A hand-authored file is not valid: fix it before importing (a ValueError too, as before)."""


class CatalogCacheWarning(UserWarning):
    """The cache cannot be used (read-only, not the user's, full): work goes on without it."""


class LookupFailedError(LLMaestroError, LookupError):
    """A lookup by id found nothing."""

    def __init__(self, kind: str, wanted: str, suggestions: Sequence[str] = ()) -> None:
        self.wanted = wanted
        self.suggestions = tuple(suggestions)
        hint = ""
        if self.suggestions:
            hint = "; did you mean " + ", ".join(f"`{s}`" for s in self.suggestions) + "?"
        super().__init__(f"unknown {kind} `{wanted}`{hint}")


class UnknownModelError(LookupFailedError):
    """No offering has this id, alias or LiteLLM-style name."""

    def __init__(self, wanted: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__("model", wanted, suggestions)


class AmbiguousModelError(UnknownModelError):
    """A bare model id that several providers sell, none of them its lab: say which."""

    def __init__(self, wanted: str, candidates: Sequence[str]) -> None:
        LookupFailedError.__init__(self, "model", wanted, candidates)
        self.candidates = tuple(candidates)
        shown = ", ".join(f"`{c}`" for c in self.candidates[:8])
        more = f" and {len(self.candidates) - 8} more" if len(self.candidates) > 8 else ""
        self.args = (
            f"`{wanted}` is sold by {len(self.candidates)} providers: {shown}{more}; "
            "name one as `provider/model`",
        )


class UnknownProviderError(LookupFailedError):
    """No provider has this id."""

    def __init__(self, wanted: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__("provider", wanted, suggestions)


class DeprecatedModelWarning(DeprecationWarning):
    """A resolved model is deprecated or retired; the message names its date and replacement."""


class FrozenRecordError(LLMaestroError, AttributeError):
    """A runtime record is immutable: assigning to a field raises this (an AttributeError,
    as assigning to a frozen dataclass does)."""


class ExportError(LLMaestroError):
    """An export cannot be written, or a file given to load() is not a known export."""


class RateLimitError(LLMaestroError):
    """The rate limiter refused a request or could not decide."""


class RateLimitTimeout(RateLimitError, TimeoutError):
    """acquire() could not be granted within its timeout."""


class RateLimiterUnavailable(RateLimitError):
    """The shared rate-limit backend cannot be reached and the policy is fail-closed."""


class RateLimiterWarning(UserWarning):
    """The limiter could not record something about a request that already happened (a
    reconcile, a server pushback): the budget may be off until the backend is back.

    A warning, not an error, because raising it would fail a request that succeeded; the
    reservation keeps the failure (:attr:`~llmaestro.limits.Reservation.reconcile_error`).
    """


class ProviderError(LLMaestroError):
    """A provider API call failed. Subclasses live with the interface layer's section below."""


# --- interface layer errors (issue: Interface layer) -------------------------------------------


class ProviderAPIError(ProviderError):
    """A call to a provider API failed, or would fail (the base of the interface layer's errors).

    ``message`` is what the provider said (credentials redacted, long bodies cut);
    ``provider`` the provider id; ``status_code`` the HTTP status (None when no response
    came back); ``request_id`` the provider's request id (``x-request-id`` /
    ``request-id``), to quote to its support; ``error_type`` / ``error_code`` the
    provider's own classification (OpenAI ``error.type`` / ``error.code``, Anthropic
    ``error.type``, Gemini ``error.status``); ``retry_after`` the seconds the provider asked
    to wait (``Retry-After``, ``retry-after-ms``, Gemini ``RetryInfo``), when it did;
    ``should_retry`` the provider's own hint (``x-should-retry``), when it gave one.
    """

    def __init__(
        self,
        message: str,
        *,
        provider: str | None = None,
        status_code: int | None = None,
        request_id: str | None = None,
        error_type: str | None = None,
        error_code: str | None = None,
        retry_after: float | None = None,
        should_retry: bool | None = None,
    ) -> None:
        self.message = message
        self.provider = provider
        self.status_code = status_code
        self.request_id = request_id
        self.error_type = error_type
        self.error_code = error_code
        self.retry_after = retry_after
        self.should_retry = should_retry
        super().__init__(self._describe())

    def _describe(self) -> str:
        head = f"{self.provider}: " if self.provider else ""
        facts = []
        if self.status_code is not None:
            facts.append(f"HTTP {self.status_code}")
        kind = "/".join(x for x in (self.error_type, self.error_code) if x)
        if kind:
            facts.append(kind)
        if self.retry_after is not None:
            facts.append(f"retry after {self.retry_after:g}s")
        if self.request_id:
            facts.append(f"request id {self.request_id}")
        tail = f" ({', '.join(facts)})" if facts else ""
        return f"{head}{self.message}{tail}"

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_provider_error,
            (
                type(self),
                self.message,
                {
                    "provider": self.provider,
                    "status_code": self.status_code,
                    "request_id": self.request_id,
                    "error_type": self.error_type,
                    "error_code": self.error_code,
                    "retry_after": self.retry_after,
                    "should_retry": self.should_retry,
                },
            ),
        )


def _rebuild_provider_error(
    cls: type[ProviderAPIError], message: str, fields: dict[str, object]
) -> ProviderAPIError:
    error = cls.__new__(cls)
    ProviderAPIError.__init__(error, message, **fields)  # type: ignore[arg-type]
    return error


class ProviderConfigError(ProviderError):
    """A client cannot be built: no API key, no base URL, an API style not supported."""


class AuthenticationError(ProviderAPIError):
    """The credentials were refused (HTTP 401, Gemini ``API_KEY_INVALID``)."""


class PermissionDeniedError(ProviderAPIError):
    """The credentials are valid but not allowed to do this (HTTP 403)."""


class NotFoundError(ProviderAPIError):
    """The model or endpoint does not exist, or is not visible to this key (HTTP 404)."""


class RateLimitedError(ProviderAPIError):
    """The provider refused the request for its rate limits or quota (HTTP 429).

    ``retry_after`` is the wait the provider asked for, in seconds, when it said.
    """


class InvalidRequestError(ProviderAPIError):
    """The provider rejected the request as malformed or invalid (HTTP 400, 413, 422)."""


class ContextLengthExceededError(InvalidRequestError):
    """The prompt (plus the requested output) does not fit the model's context window."""


class ServerError(ProviderAPIError):
    """The provider failed or is overloaded (HTTP 5xx, Anthropic 529 ``overloaded_error``)."""


class ProviderTimeoutError(ProviderAPIError):
    """No (complete) answer within the timeout (client-side timeout, HTTP 408)."""


class ProviderConnectionError(ProviderAPIError):
    """The connection failed, or dropped before the answer was complete."""


class InvalidResponseError(ProviderAPIError):
    """The provider answered with a body that cannot be understood (malformed JSON, SSE)."""


class CapabilityError(ProviderAPIError):
    """A pre-send check found the request cannot work: the prompt does not fit the context
    window, images to a text-only model, tools to a model without tool calling, an option
    the API does not have. Raised before anything is sent."""


# --- cost errors (llmaestro.cost, llmaestro.tokens.fitting) ---------------------------------------


class CostError(LLMaestroError, ValueError):
    """A cost or token-budget computation cannot be done (unknown API style or service tier,
    a payload without usage, inconsistent usage, a model without a known context window)."""


# --- optional dependencies (llmaestro._optional) -----------------------------------------------


class MissingDependencyError(LLMaestroError, ImportError):
    """A feature needs an optional dependency that is not installed. The message names the
    distributions and the ``pip install 'llmaestro[extra]'`` command that installs them:
    ``count_tokens() needs tiktoken: pip install 'llmaestro[tokens]'``."""

    def __init__(
        self, feature: str, distributions: Sequence[str], extras: Sequence[str], module: str
    ) -> None:
        self.feature = feature
        self.distributions = tuple(distributions)
        self.extras = tuple(extras)
        needs = ", ".join(self.distributions)
        command = f"pip install 'llmaestro[{','.join(self.extras)}]'"
        super().__init__(f"{feature} needs {needs}: {command}", name=module)


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


class DriftError(LLMaestroError):
    """Drift cannot be computed or applied (an invalid catalog, an unknown provider, a file
    changed on disk meanwhile)."""


class PullRequestError(LLMaestroError):
    """GitHub refused or failed a request; the message says which and why (never the
    token)."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class GitHubAPIError(PullRequestError):
    """A GitHub call failed: ``status`` (None when no answer came), GitHub's ``message``,
    its ``errors`` entries (as text) and ``documentation_url``; ``str()`` is the whole
    redacted line."""

    def __init__(
        self,
        text: str,
        *,
        status: int | None = None,
        github_message: str = "",
        errors: tuple[str, ...] = (),
        documentation_url: str | None = None,
        rate_limited: bool = False,
    ) -> None:
        super().__init__(text, status=status)
        self.github_message = github_message
        self.errors = errors
        self.documentation_url = documentation_url
        self.rate_limited = rate_limited


class SiteError(LLMaestroError):
    """The site cannot be built where asked."""


class TokenizerDataError(LLMaestroError):
    """A shipped tokenizer rank file is missing, corrupted or unparsable."""


class ModelNotListedError(DetectorError, LookupError):
    """The provider's live listing does not have the model."""


class UnknownModelWarning(UserWarning):
    """A client called a model the catalog has no offering of at that provider (another
    provider's offering with the same id is never used instead): the call is not checked
    against the catalog and ``reply.cost`` is incomplete unless the model the response
    names is known. Warned once per client and model id."""


class AmbiguousModelWarning(UnknownModelWarning):
    """A client's model id is not one offering of its provider but names several (here or
    at other providers): none of them is used."""


# OSError subclasses: failures of the file system and of standard output, told apart


class NotRegularFileError(OSError):
    """The path names a folder, FIFO, device or socket: an atomic write never replaces one."""

    def __str__(self) -> str:  # `PATH: why`, not `[Errno 17] why: 'PATH'`
        return f"{self.filename}: {self.strerror}" if self.filename else str(self.strerror)


class StandardOutputError(OSError):
    """Writing standard output failed (a full disk behind ``>``, a closed pipe): told apart
    from a failed write of a file, whose ``OSError`` often names no file either."""
