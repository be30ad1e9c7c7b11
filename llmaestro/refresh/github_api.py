"""The GitHub REST client of the refresh bot: JSON in, JSON out, typed one-line errors.

Why its own client (httpx, not the provider clients): the bot needs what GitHub puts
beside the status, and a retry rule that knows GitHub's rate limits.

* Rate limits are waited out within a budget: a ``403`` or ``429`` with ``retry-after``,
  with ``x-ratelimit-remaining: 0`` and ``x-ratelimit-reset`` (a Unix time), or a
  "secondary rate limit" message (GitHub asks for at least a minute) is retried after that
  wait while the waits of this client add up to no more than ``rate_limit_budget`` seconds;
  a longer wait fails at once, saying when the limit resets. A ``403`` that is not a rate
  limit (a missing permission) is never retried. ``clock`` and ``sleep`` are injectable.
* ``5xx``, ``408``, timeouts and dropped connections are retried per the
  :class:`~llmaestro._http.retry.RetryPolicy` (backoff, attempts). A retried write may
  have taken effect the first time: the caller (:mod:`llmaestro.refresh.github`) re-checks
  every write step after an error instead of trusting the status.
* An error shows GitHub's ``message``, each ``errors[]`` entry and the
  ``documentation_url`` on one line, redacted (the token, every key shape, the process's
  key variables) before it is cut, with control characters escaped.

The token comes from ``GITHUB_TOKEN`` (or the ``token`` argument) and is kept in a
:class:`~llmaestro._http.secrets.Secret`: it is sent in the ``Authorization`` header only.
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from llmaestro._http.redact import redact, safe_text
from llmaestro._http.retry import RetryPolicy, parse_retry_after
from llmaestro._http.secrets import Secret
from llmaestro._optional import import_module
from llmaestro.errors import GitHubAPIError, ProviderConfigError, PullRequestError

if TYPE_CHECKING:  # pragma: no cover
    import httpx

__all__ = ["DEFAULT_API_URL", "GitHub", "GitHubAPIError"]

logger = logging.getLogger("llmaestro.pull_requests")

DEFAULT_API_URL = "https://api.github.com"
#: the longest error line (after redaction)
MAX_ERROR = 600
#: GitHub's advice for a secondary rate limit without a ``retry-after``: wait a minute
SECONDARY_WAIT = 60.0
#: rate-limit retries of one call at most (the budget in seconds bounds them too)
MAX_RATE_RETRIES = 5


def _error_entry(entry: Any) -> str:
    """One ``errors[]`` entry: its message, else ``Resource.field code``."""
    if isinstance(entry, Mapping):
        message = entry.get("message")
        if isinstance(message, str) and message:
            return message
        where = ".".join(str(entry[k]) for k in ("resource", "field") if entry.get(k))
        code = str(entry.get("code") or "")
        return " ".join(x for x in (where, code) if x) or "unspecified"
    return str(entry)


class GitHub:
    """A small GitHub REST client (see the module documentation).

    ``token`` defaults to ``GITHUB_TOKEN``, ``api_url`` to ``GITHUB_API_URL``;
    ``clock`` is the Unix time (for ``x-ratelimit-reset``); ``calls`` lists every request
    sent (``"METHOD /path"``), retries included.
    """

    def __init__(
        self,
        token: str | Secret | None = None,
        *,
        api_url: str | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
        rate_limit_budget: float = 300.0,
    ) -> None:
        try:
            if token is None:
                token = Secret.from_env(["GITHUB_TOKEN"])
                if token is None:
                    raise PullRequestError("GITHUB_TOKEN is not set; a pull request needs a token")
            self._token = token if isinstance(token, Secret) else Secret(token, source="the token")
        except ProviderConfigError as exc:  # too short to be a token (the value is not shown)
            raise PullRequestError(str(exc)) from None
        self.api_url = (api_url or os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/")
        self.retry = retry if retry is not None else RetryPolicy()
        self.timeout = timeout
        self._sleep = sleep or time.sleep
        self._clock = clock or time.time
        self.rate_limit_budget = rate_limit_budget
        self.waited = 0.0
        self.calls: list[str] = []
        httpx_module = import_module("httpx", "pull requests (llmaestro detect --open-pr)")
        self._http: httpx.Client = httpx_module.Client(
            base_url=self.api_url,
            headers={
                "authorization": f"Bearer {self._token.get_secret_value()}",
                "accept": "application/vnd.github+json",
                "x-github-api-version": "2022-11-28",
                "user-agent": "llmaestro-refresh",
            },
            timeout=timeout,
            transport=transport,
        )
        self._httpx = httpx_module

    def __repr__(self) -> str:
        return f"GitHub(api_url={self.api_url!r}, token={self._token!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> GitHub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def redact(self, text: str) -> str:
        """``text`` with the token, every key shape and the key variables masked."""
        return redact(text, (self._token,))

    def line(self, text: str) -> str:
        """``text`` redacted, then made one terminal-safe line, then cut."""
        return safe_text(text, (self._token,), limit=MAX_ERROR - 1)

    # -- calls ------------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
    ) -> Any:
        """One API call (retried as the module documentation says): the decoded JSON body,
        None for an empty one; raises :class:`GitHubAPIError` on failure."""
        response = self._send(method, path, params, json)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise GitHubAPIError(
                self.line(
                    f"GitHub {method} {path} answered HTTP {response.status_code} "
                    "with a body that is not JSON"
                ),
                status=response.status_code,
            ) from None

    def get_optional(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        """A GET that answers None for 404."""
        try:
            return self.request("GET", path, params=params)
        except GitHubAPIError as exc:
            if exc.status == 404:
                return None
            raise

    def _send(
        self, method: str, path: str, params: Mapping[str, str] | None, json: Any
    ) -> httpx.Response:
        policy = self.retry
        attempt = 1
        rate_retries = 0
        while True:
            self.calls.append(f"{method} {path}")
            error: GitHubAPIError
            try:
                response = self._http.request(method, path, params=params, json=json)
            except self._httpx.TimeoutException:
                error = GitHubAPIError(
                    self.line(f"GitHub {method} {path} failed: no answer within {self.timeout:g}s")
                )
                retryable = policy.retry_timeouts
            except self._httpx.TransportError as exc:
                error = GitHubAPIError(
                    self.line(f"GitHub {method} {path} failed: connection error: {exc}")
                )
                retryable = policy.retry_connection_errors
            else:
                if response.status_code < 400:
                    return response
                error = self._error(method, path, response)
                wait = self._rate_limit_wait(response, error)
                if wait is not None:
                    if (
                        rate_retries < MAX_RATE_RETRIES
                        and self.waited + wait <= self.rate_limit_budget
                    ):
                        rate_retries += 1
                        self.waited += wait
                        logger.warning(
                            "GitHub %s %s: rate limited (HTTP %s); waiting %.0fs",
                            method,
                            path,
                            response.status_code,
                            wait,
                        )
                        self._sleep(wait)
                        continue
                    left = max(self.rate_limit_budget - self.waited, 0.0)
                    raise GitHubAPIError(
                        f"{error} — the rate limit lifts in {wait:.0f}s, beyond the "
                        f"{left:.0f}s left of the {self.rate_limit_budget:.0f}s wait budget",
                        status=error.status,
                        github_message=error.github_message,
                        errors=error.errors,
                        documentation_url=error.documentation_url,
                        rate_limited=True,
                    )
                status = response.status_code
                retryable = (status >= 500 and policy.retry_server_errors) or status == 408
            if not retryable or attempt >= policy.max_attempts:
                raise error
            delay = policy.backoff(attempt, random.random)
            logger.warning(
                "%s; retry %d of %d in %.1fs", error, attempt, policy.max_attempts - 1, delay
            )
            attempt += 1
            self._sleep(delay)

    def _error(self, method: str, path: str, response: httpx.Response) -> GitHubAPIError:
        status = response.status_code
        text = response.text
        try:
            data = response.json() if text else None
        except ValueError:
            data = None
        message, entries, doc = "", [], None
        if isinstance(data, Mapping):
            message = str(data.get("message") or "")
            raw = data.get("errors")
            if isinstance(raw, list):
                entries = [_error_entry(e) for e in raw]
            elif isinstance(raw, str) and raw:
                entries = [raw]
            url = data.get("documentation_url")
            doc = url if isinstance(url, str) and url else None
        elif text:
            message = " ".join(text.split())  # redacted whole below, before any cut
        parts = [f"GitHub {method} {path} failed (HTTP {status})"]
        detail = ": ".join(x for x in (message, "; ".join(entries)) if x)
        head = parts[0] + (f": {detail}" if detail else "")
        if doc:
            head += f" (see {doc})"
        return GitHubAPIError(
            self.line(head),
            status=status,
            github_message=self.line(message),
            errors=tuple(self.line(e) for e in entries),
            documentation_url=doc,
        )

    def _rate_limit_wait(self, response: httpx.Response, error: GitHubAPIError) -> float | None:
        """Seconds to wait when ``response`` is a rate limit, else None."""
        status = response.status_code
        if status not in (403, 429):
            return None
        headers = response.headers
        now = self._clock()
        after = parse_retry_after(headers, now)
        if after is not None:
            return after
        reset = headers.get("x-ratelimit-reset")
        exhausted = headers.get("x-ratelimit-remaining") == "0"
        if reset and (exhausted or status == 429):
            try:
                return max(float(reset) - now, 0.0) + 1.0  # a second for clock skew
            except ValueError:
                pass
        if status == 429 or exhausted or "rate limit" in error.github_message.lower():
            return SECONDARY_WAIT
        return None
