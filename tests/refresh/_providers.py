"""Routes replaying each provider's recorded listing (pagination included)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.refresh._server import FAKE_KEY, LocalServer, Recorded, Reply, Routes, payload


def _auth_ok(r: Recorded, header: str, value: str) -> bool:
    return r.headers.get(header) == value


def _paged(
    first: str, second: str, cursor_param: str, cursor_value: str
) -> Callable[[Recorded], Reply]:
    def reply(r: Recorded) -> Reply:
        if r.query.get(cursor_param) == cursor_value:
            return Reply(json=payload(second))
        if cursor_param in r.query:
            return Reply(400, json={"error": {"message": "bad cursor"}})
        return Reply(json=payload(first))

    return reply


def _ollama_show(r: Recorded) -> Reply:
    shows = payload("ollama_show.json")
    name = (r.json or {}).get("model")
    if name not in shows:
        return Reply(404, json={"error": f"model '{name}' not found"})
    return Reply(json=shows[name])


#: provider -> (base URL suffix, routes, auth header, auth value)
SPECS: dict[str, tuple[str, dict[tuple[str, str], Any], str | None, str | None]] = {
    "openai": (
        "/v1",
        {("GET", "/v1/models"): "openai.json"},
        "authorization",
        f"Bearer {FAKE_KEY}",
    ),
    "anthropic": (
        "/v1",
        {
            ("GET", "/v1/models"): _paged(
                "anthropic_page1.json",
                "anthropic_page2.json",
                "after_id",
                "claude-3-5-sonnet-20241022",
            )
        },
        "x-api-key",
        FAKE_KEY,
    ),
    "google": (
        "/v1beta",
        {
            ("GET", "/v1beta/models"): _paged(
                "gemini_page1.json", "gemini_page2.json", "pageToken", "Cg5nZW1pbmktMi4wLWZsYXNo"
            )
        },
        "x-goog-api-key",
        FAKE_KEY,
    ),
    "mistral": (
        "/v1",
        {("GET", "/v1/models"): "mistral.json"},
        "authorization",
        f"Bearer {FAKE_KEY}",
    ),
    "openrouter": ("/api/v1", {("GET", "/api/v1/models"): "openrouter.json"}, None, None),
    "ollama": (
        "",
        {("GET", "/api/tags"): "ollama_tags.json", ("POST", "/api/show"): _ollama_show},
        None,
        None,
    ),
    "groq": (
        "/openai/v1",
        {("GET", "/openai/v1/models"): "groq.json"},
        "authorization",
        f"Bearer {FAKE_KEY}",
    ),
    "togetherai": (
        "/v1",
        {("GET", "/v1/models"): "together.json"},
        "authorization",
        f"Bearer {FAKE_KEY}",
    ),
    "xai": (
        "/v1",
        {("GET", "/v1/language-models"): "xai.json"},
        "authorization",
        f"Bearer {FAKE_KEY}",
    ),
    "deepseek": ("", {("GET", "/models"): "deepseek.json"}, "authorization", f"Bearer {FAKE_KEY}"),
    "fireworks-ai": (
        "/inference/v1",
        {("GET", "/inference/v1/models"): "fireworks.json"},
        "authorization",
        f"Bearer {FAKE_KEY}",
    ),
    "cohere": (
        "/v2",
        {
            ("GET", "/v1/models"): _paged(
                "cohere_page1.json", "cohere_page2.json", "page_token", "ZW1iZWQtZW5nbGlzaC12My4w"
            )
        },
        "authorization",
        f"Bearer {FAKE_KEY}",
    ),
}


def serve(server: LocalServer, provider: str) -> str:
    """Point ``server`` at ``provider``'s recorded listing; the base URL to give the detector.

    Requests without the right key answer 401 like the real APIs."""
    suffix, table, header, value = SPECS[provider]
    routes = Routes({key: (payload(v) if isinstance(v, str) else v) for key, v in table.items()})

    def route(r: Recorded) -> Reply:
        if header is not None and not _auth_ok(r, header, value or ""):
            return Reply(
                401,
                json={"error": {"message": "invalid x-api-key", "type": "authentication_error"}},
            )
        return routes(r)

    server.route = route
    return server.url + suffix
