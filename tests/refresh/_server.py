"""Fixtures of the detector tests: fake credentials, recorded payloads, a route table, and
the shared 127.0.0.1 server (:mod:`tests._localserver`, which handles every method GitHub's
REST API uses)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests._localserver import LocalServer, Recorded, Reply

__all__ = ["FAKE_KEY", "FAKE_TOKEN", "LocalServer", "Recorded", "Reply", "Routes", "payload"]

#: A distinctive fake key: tests assert it never shows up in any output.
FAKE_KEY = "sk-detector-CANARY-4d1e9b7a2c"
FAKE_TOKEN = "ghp_FAKEtokenCANARY0123456789abcdef"
PAYLOADS = Path(__file__).resolve().parent.parent / "fixtures" / "detectors" / "payloads"


def payload(name: str) -> Any:
    """A recorded provider payload from ``tests/fixtures/detectors/payloads``."""
    return json.loads((PAYLOADS / name).read_text("utf-8"))


class Routes:
    """Replies by ``(method, path)``; a value is a :class:`Reply`, a JSON payload, or a
    callable of the request. Unknown routes answer 404."""

    def __init__(self, table: Mapping[tuple[str, str], Any] | None = None) -> None:
        self.table: dict[tuple[str, str], Any] = dict(table or {})

    def __call__(self, request: Recorded) -> Reply:
        found = self.table.get((request.method, request.path))
        if found is None:
            return Reply(404, json={"error": {"message": f"no route {request.path}"}})
        if callable(found):
            found = found(request)
        return found if isinstance(found, Reply) else Reply(json=found)
