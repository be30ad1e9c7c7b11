"""A real HTTP server on 127.0.0.1 for tests (stdlib, one thread per request).

A test gives a ``route(request) -> Reply`` function; the server records every request and
answers with the reply: JSON, raw bytes, or server-sent events written as HTTP/1.1 chunks,
optionally after a delay (for timeouts) or cut off mid-stream (a dropped connection).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    """A request the server received."""

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
    """What to answer.

    ``sse``: event blocks (``"data: {...}"`` or ``"event: x\\ndata: {...}"``), each sent
    as one chunk followed by a blank line; ``drop_after``: close the connection after that
    many events without finishing the chunked body (0: right after the headers).
    """

    status: int = 200
    json: Any = None
    body: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    sse: Sequence[str] | None = None
    drop_after: int | None = None
    delay: float = 0.0


def sse_data(*payloads: Any, done: bool = False) -> list[str]:
    """``data:`` events of JSON payloads (plus ``data: [DONE]``)."""
    events = [f"data: {json.dumps(p)}" for p in payloads]
    if done:
        events.append("data: [DONE]")
    return events


def sse_named(*events: tuple[str, Any]) -> list[str]:
    """Named events: ``event: <name>`` + ``data: <json>`` (Anthropic style)."""
    return [f"event: {name}\ndata: {json.dumps(payload)}" for name, payload in events]


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up (timeouts, dropped streams) are part of the tests: stay quiet."""


class LocalServer:
    """The server: ``url`` is its base (``http://127.0.0.1:PORT``); ``requests`` lists what
    it received; ``route`` decides the replies (replace it in a test)."""

    def __init__(self, route: Callable[[Recorded], Reply] | None = None) -> None:
        self.route: Callable[[Recorded], Reply] = route or (lambda r: Reply(404, json={}))
        self.requests: list[Recorded] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            # answer at once: without it every reply waits ~40 ms for the client's delayed ACK
            disable_nagle_algorithm = True
            protocol_version = "HTTP/1.1"
            timeout = 5.0  # idle keep-alive connections end on their own

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
                    self._write(reply)
                except OSError:  # the client gave up (timeout) or closed early
                    self.close_connection = True

            def _write(self, reply: Reply) -> None:
                self.send_response(reply.status)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                if reply.sse is not None:
                    self.send_header("Content-Type", "text/event-stream")
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for i, event in enumerate(reply.sse):
                        if reply.drop_after is not None and i >= reply.drop_after:
                            break
                        data = (event + "\n\n").encode()
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                        self.wfile.flush()
                    if reply.drop_after is not None:
                        self.wfile.flush()
                        self.close_connection = True  # no terminating chunk: a dropped stream
                        return
                    self.wfile.write(b"0\r\n\r\n")
                    return
                if reply.body is not None:
                    payload = reply.body
                    kind = "application/json"
                else:
                    payload = json.dumps(reply.json).encode()
                    kind = "application/json"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self.port: int = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        """Stop serving, wake delayed handlers and wait for every handler thread."""
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]


class Sequenced:
    """A route answering successive requests with successive replies (the last repeats)."""

    def __init__(self, *replies: Reply | Callable[[Recorded], Reply]) -> None:
        self._replies = list(replies)
        self._i = 0
        self._lock = threading.Lock()

    def __call__(self, request: Recorded) -> Reply:
        with self._lock:
            reply = self._replies[min(self._i, len(self._replies) - 1)]
            self._i += 1
        return reply(request) if callable(reply) else reply
