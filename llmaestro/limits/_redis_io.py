"""One pre-encoded command's round trip on a redis-py connection's socket.

redis-py connects and handshakes (AUTH, SELECT, TLS, unix sockets and its other options);
from then on the backend holds the connection out of the pool (:class:`Link`) and talks on
its socket itself: one ``sendall`` and, for a reply that fits one segment (every reply of
the rate-limit script does), one ``recv``, parsed by :func:`~llmaestro.limits._redis_wire.
parse_reply`. On Linux a plain TCP or unix socket is kept in blocking mode and bounded by
the kernel (``SO_RCVTIMEO``/``SO_SNDTIMEO``, set only when the wait changes), so a round
trip costs those two system calls and no ``poll``; elsewhere (and for TLS) the socket's own
timeout bounds it. Any failure disconnects the connection (a late reply is never read as
the next call's answer); the next use reconnects it.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import sys
import threading
import time
from typing import Any

from llmaestro._optional import import_module
from llmaestro.limits._redis_wire import Incomplete, ReplyError, parse_reply

__all__ = ["Link", "deadline_class", "left", "past", "until"]

_FEATURE = "RedisBackend (the distributed rate limiter)"
_KERNEL_TIMEOUTS = sys.platform == "linux" and hasattr(socket, "SO_RCVTIMEO")
_TIMEVAL = struct.Struct("@ll")
_UNARMED = -1.0  # no wait is ever negative: the first round trip arms the socket
_GRANTED = b":1\r\n"  # the commonest answer: an acquire granted with no daily rule


def _timeval(seconds: float | None) -> bytes:
    """``struct timeval`` for SO_RCVTIMEO/SO_SNDTIMEO (zero waits forever, so at least 1 µs)."""
    if seconds is None:
        return _TIMEVAL.pack(0, 0)
    micros = max(int(seconds * 1e6), 1)
    return _TIMEVAL.pack(micros // 1_000_000, micros % 1_000_000)


_local = threading.local()  # .deadline: time.monotonic() by which this thread's call ends


def left(deadline: float | None) -> float | None:
    """Seconds left before ``deadline`` (None: no deadline; never 0, which would make a
    socket non-blocking rather than time out)."""
    return None if deadline is None else max(deadline - time.monotonic(), 1e-3)


def past(deadline: float | None) -> bool:
    """Whether ``deadline`` (``time.monotonic()``) has passed."""
    return deadline is not None and time.monotonic() >= deadline


def until(deadline: float | None) -> None:
    """Make this thread's connects (and their handshakes) end by ``deadline`` (None: as
    configured); see :func:`deadline_class`."""
    _local.deadline = deadline


def _lower(configured: float | None, remaining: float) -> float:
    return remaining if configured is None else min(configured, remaining)


_DEADLINE_CLASSES: dict[type, type] = {}


def deadline_class(base: type) -> type:
    """``base`` (a redis-py connection class) whose connect and handshake wait only the
    time left before this thread's deadline (:func:`until`): a pool connects inside
    ``get_connection``, with timeouts of its own that would otherwise add to the call's."""
    made = _DEADLINE_CLASSES.get(base)
    if made is not None:
        return made

    def connect(self: Any) -> None:
        remaining = left(getattr(_local, "deadline", None))
        if remaining is None or getattr(self, "_sock", None) is not None:
            base.connect(self)  # type: ignore[attr-defined]
            return
        saved = (self.socket_timeout, self.socket_connect_timeout)
        self.socket_timeout = _lower(saved[0], remaining)
        self.socket_connect_timeout = _lower(saved[1], remaining)
        try:
            base.connect(self)  # type: ignore[attr-defined]
        finally:
            self.socket_timeout, self.socket_connect_timeout = saved

    made = _DEADLINE_CLASSES[base] = type(f"Deadline{base.__name__}", (base,), {"connect": connect})
    return made


def _errors() -> Any:
    return import_module("redis.exceptions", _FEATURE)


class Link:
    """A redis-py connection the backend holds, and the wait its socket is armed with.

    Not shared: a thread takes a link from the backend's idle list for one call."""

    __slots__ = ("armed", "conn", "kernel", "sock")

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.sock: Any = None
        self.armed = _UNARMED
        self.kernel = False
        self.bind()

    def bind(self) -> None:
        """Adopt the connection's (new) socket, if connected."""
        sock: Any = getattr(self.conn, "_sock", None)
        self.sock = sock
        self.armed = _UNARMED
        self.kernel = _KERNEL_TIMEOUTS and type(sock) is socket.socket
        if self.kernel:
            sock.settimeout(None)  # blocking: the kernel bounds each call instead

    def connect(self) -> None:
        """(Re)connect through redis-py (its handshake, its connect timeouts)."""
        self.conn.connect()
        self.bind()

    def drop(self) -> None:
        """Disconnect (after any failure: a reply may still be on its way)."""
        self.sock = None
        with contextlib.suppress(Exception):  # already broken; the next use reconnects
            self.conn.disconnect()

    def arm(self, wait: float | None) -> None:
        """Make each send and receive wait at most ``wait`` seconds (None: forever)."""
        sock = self.sock
        if self.kernel:
            tv = _timeval(wait)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, tv)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, tv)
        else:
            sock.settimeout(wait)
        self.armed = -2.0 if wait is None else wait

    def roundtrip(self, command: bytes, wait: float | None, deadline: float | None) -> Any:
        """Send ``command`` and return its reply (ints, bytes, lists, None, as redis-py
        does), each socket call waiting at most ``wait`` and all of them ending by
        ``deadline`` (``time.monotonic()``). Raises redis-py's ``TimeoutError`` or
        ``ConnectionError`` (after disconnecting) or the reply's error (``NoScriptError``,
        ``ResponseError``; the connection stays usable)."""
        if self.armed != (-2.0 if wait is None else wait):
            self.arm(wait)
        sock = self.sock
        try:
            sock.sendall(command)
        except OSError as exc:
            raise self._failed(exc, "writing to") from exc
        try:
            data = sock.recv(65536)
        except OSError as exc:
            raise self._failed(exc, "reading from") from exc
        if data == _GRANTED:
            return 1
        return self._finish(data, deadline)

    def _finish(self, data: bytes, deadline: float | None) -> Any:
        """Parse a reply, reading on while it is incomplete (within ``deadline``)."""
        while True:
            if not data:
                self.drop()
                raise _errors().ConnectionError("Connection closed by server.")
            try:
                value, end = parse_reply(data, 0)
            except Incomplete:
                pass
            except (ValueError, IndexError) as exc:
                self.drop()
                raise _errors().ConnectionError(f"Protocol error: {exc}") from exc
            else:
                if end != len(data):
                    self.drop()
                    raise _errors().ConnectionError("Protocol error: more than one reply")
                if isinstance(value, ReplyError):
                    raise self._reply_error(str(value))
                return value
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    self.drop()
                    raise _errors().TimeoutError("Timeout reading from socket")
                self.arm(left)
            try:
                more = self.sock.recv(65536)
            except OSError as exc:
                raise self._failed(exc, "reading from") from exc
            if not more:
                data = b""
                continue
            data += more

    def _failed(self, exc: OSError, doing: str) -> Exception:
        """redis-py's error for a failed socket call (the socket is disconnected)."""
        self.drop()
        errors = _errors()
        if isinstance(exc, BlockingIOError | TimeoutError):  # kernel or socket timeout
            return errors.TimeoutError(f"Timeout {doing} socket")  # type: ignore[no-any-return]
        detail = exc.strerror or str(exc) or type(exc).__name__
        return errors.ConnectionError(f"Error {doing} socket: {detail}")  # type: ignore[no-any-return]

    def _reply_error(self, message: str) -> Exception:
        parser = getattr(self.conn, "_parser", None)
        parse = getattr(parser, "parse_error", None)
        if parse is not None:
            made = parse(message)
            if isinstance(made, Exception):
                return made
        return _errors().ResponseError(message)  # type: ignore[no-any-return]
