"""A real HTTP server on 127.0.0.1 for the detector tests (stdlib, a thread per request).

A test gives a ``route(request) -> Reply``; the server records every request. Replies are
JSON, raw bytes (malformed bodies) or delayed (timeouts). Every method GitHub's REST API
uses is handled.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

#: A distinctive fake key: tests assert it never shows up in any output.
FAKE_KEY = "sk-detector-CANARY-4d1e9b7a2c"
FAKE_TOKEN = "ghp_FAKEtokenCANARY0123456789abcdef"
PAYLOADS = Path(__file__).resolve().parent.parent / "fixtures" / "detectors" / "payloads"


def payload(name: str) -> Any:
    """A recorded provider payload from ``tests/fixtures/detectors/payloads``."""
    return json.loads((PAYLOADS / name).read_text("utf-8"))


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class Reply:
    status: int = 200
    json: Any = None
    body: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up (timeouts) are part of the tests."""


class LocalServer:
    """``url`` is ``http://127.0.0.1:PORT``; ``requests`` what it received."""

    def __init__(self, route: Callable[[Recorded], Reply] | None = None) -> None:
        self.route: Callable[[Recorded], Reply] = route or (lambda r: Reply(404, json={}))
        self.requests: list[Recorded] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = 5.0

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                url = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(url.query).items()}
                rec = Recorded(
                    self.command,
                    url.path,
                    query,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                with server._lock:
                    server.requests.append(rec)
                try:
                    reply = server.route(rec)
                except Exception as exc:  # a bug in a test route: answer 599 and say why
                    reply = Reply(599, json={"message": f"route error: {exc!r}"})
                if reply.delay and server._stop.wait(reply.delay):
                    self.close_connection = True
                    return
                try:
                    payload = (
                        reply.body if reply.body is not None else json.dumps(reply.json).encode()
                    )
                    self.send_response(reply.status)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    self.close_connection = True

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]


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
