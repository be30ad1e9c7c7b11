"""``BaseClient``: the base of every provider client, the sync and the async twin in one.

::

    ClientCore            (core.py: configuration, requests, responses, errors; no I/O)
     ├── SyncClient       (sync_client.py: httpx.Client, retries, chat, stream, ...)
     └── AsyncClient      (async_client.py: httpx.AsyncClient, achat, astream, ...)
          BaseClient      (both; the adapters subclass it)
"""

from __future__ import annotations

from llmaestro.clients.async_client import AsyncClient
from llmaestro.clients.sync_client import SyncClient

__all__ = ["BaseClient"]


class BaseClient(SyncClient, AsyncClient):
    """A provider client: sync and async chat, streaming, model listing, token counting.

    Subclasses implement the wire format (``_chat_request``, ``_parse_chat``,
    ``_stream_state``, ``_error_info``, ``_models_request``, ``_parse_models`` and, where the
    provider has the endpoint, ``_count_request`` / ``_parse_count``).

    Args:
        provider: provider id (as in the catalog), used for catalog lookups and messages.
        base_url: API base URL (e.g. ``https://api.openai.com/v1``).
        api_key: the credential (a str or a :class:`Secret`); None for keyless servers.
        auth_header / auth_scheme / auth_query_param: where the key goes
            (``Authorization`` + ``Bearer``, ``x-api-key``, or a query parameter).
        default_model: model used when a call passes none.
        registry: the catalog :class:`~llmaestro.Registry` for checks and cost (default:
            ``llmaestro.load()`` on first need); ``False`` disables catalog lookups.
        rate_limiter: a :class:`~llmaestro.limits.RateLimiter`: each attempt
            reserves (estimated prompt tokens + max output) before sending and reconciles
            with the real usage; 429s and rate-limit headers push it back.
        rate_limit_timeout: most seconds to wait for the rate limiter (None: no limit).
        retry: the :class:`~llmaestro._http.retry.RetryPolicy`.
        timeout: default HTTP timeout (seconds or an ``httpx.Timeout``).
        headers: extra headers sent with every request.
        check: run the catalog checks before sending (per call: ``check=``).
        transport / async_transport: ``httpx`` transports (e.g. ``httpx.MockTransport``;
            one that implements both is used for both).
        http_client / async_http_client: ready ``httpx`` clients to use (not closed by
            this client).
        sleep / asleep: how to wait between retries (tests inject fakes).
        clock: Unix time source (for ``Retry-After`` HTTP dates).
        random: ``[0, 1)`` source for the backoff jitter.
    """

    async def aclose(self) -> None:
        """Close the async and the sync HTTP clients (those this client created)."""
        await super().aclose()
        self.close()
