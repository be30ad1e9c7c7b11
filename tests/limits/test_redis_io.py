"""The Redis backend's own round trip: one held connection, replies read off its socket.

A :class:`Link` is tested against the other end of a socket pair (a stand-in Redis that
answers as told), the backend against the real redis-server of the session.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis
import redis.exceptions

from llmaestro.limits import RateLimiter, RateLimits, RedisBackend
from llmaestro.limits._lua import SCRIPT_SHA
from llmaestro.limits._redis_io import Link
from llmaestro.limits._redis_wire import acquire_tail, pack_command

COMMAND = b"*1\r\n$4\r\nPING\r\n"


class FakeConn:
    """What a Link uses of a redis-py connection: its socket, disconnect and parser."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock: socket.socket | None = sock
        self._parser = redis.connection.Connection()._parser  # type: ignore[no-untyped-call]
        self.disconnects = 0

    def disconnect(self) -> None:
        self.disconnects += 1
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def connect(self) -> None:
        raise AssertionError("not expected to reconnect")


@pytest.fixture
def pair() -> Iterator[tuple[Link, FakeConn, socket.socket]]:
    ours, theirs = socket.socketpair()
    conn = FakeConn(ours)
    yield Link(conn), conn, theirs
    theirs.close()
    if conn._sock is not None:
        conn._sock.close()


def answer_later(sock: socket.socket, *chunks: bytes, gap: float = 0.05) -> threading.Thread:
    """The stand-in Redis: read the command, then send ``chunks`` ``gap`` seconds apart."""

    def run() -> None:
        assert sock.recv(1024) == COMMAND
        for chunk in chunks:
            time.sleep(gap)
            sock.sendall(chunk)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_a_reply_in_pieces_is_read_whole(pair: tuple[Link, FakeConn, socket.socket]) -> None:
    link, conn, theirs = pair
    reply = b"*4\r\n:0\r\n$8\r\n1234.567\r\n$3\r\ntpm\r\n:1\r\n"
    thread = answer_later(theirs, reply[:3], reply[3:17], reply[17:])
    deadline = time.monotonic() + 2
    assert link.roundtrip(COMMAND, 1.0, deadline) == [0, b"1234.567", b"tpm", 1]
    thread.join()
    assert conn.disconnects == 0
    answer_later(theirs, b":1\r\n").join(0)  # and the connection serves the next call
    assert link.roundtrip(COMMAND, 1.0, time.monotonic() + 2) == 1


def test_a_reply_that_never_completes_times_out_and_disconnects(
    pair: tuple[Link, FakeConn, socket.socket],
) -> None:
    link, conn, theirs = pair
    answer_later(theirs, b"*2\r\n:1\r\n")
    start = time.monotonic()
    with pytest.raises(redis.exceptions.TimeoutError, match="Timeout reading"):
        link.roundtrip(COMMAND, 0.3, start + 0.3)
    assert time.monotonic() - start < 0.3 + 0.7
    assert conn.disconnects == 1
    assert link.sock is None


def test_silence_times_out_within_the_wait(pair: tuple[Link, FakeConn, socket.socket]) -> None:
    link, conn, _ = pair
    start = time.monotonic()
    with pytest.raises(redis.exceptions.TimeoutError):
        link.roundtrip(COMMAND, 0.2, start + 0.2)
    elapsed = time.monotonic() - start
    assert 0.15 < elapsed < 0.2 + 0.7
    assert conn.disconnects == 1


def test_a_closed_connection_is_a_connection_error(
    pair: tuple[Link, FakeConn, socket.socket],
) -> None:
    link, conn, theirs = pair
    theirs.shutdown(socket.SHUT_WR)
    with pytest.raises(redis.exceptions.ConnectionError, match="closed by server"):
        link.roundtrip(COMMAND, 1.0, time.monotonic() + 1)
    assert conn.disconnects == 1


def test_error_replies_raise_redis_py_errors_and_keep_the_connection(
    pair: tuple[Link, FakeConn, socket.socket],
) -> None:
    link, conn, theirs = pair
    answer_later(theirs, b"-NOSCRIPT No matching script.\r\n", gap=0)
    with pytest.raises(redis.exceptions.NoScriptError):
        link.roundtrip(COMMAND, 1.0, None)
    answer_later(theirs, b"-ERR user_script:1: boom\r\n", gap=0)
    with pytest.raises(redis.exceptions.ResponseError, match="boom"):
        link.roundtrip(COMMAND, 1.0, None)
    assert conn.disconnects == 0
    answer_later(theirs, b"$-1\r\n", gap=0)
    assert link.roundtrip(COMMAND, None, None) is None


def test_more_than_one_reply_is_a_protocol_error(
    pair: tuple[Link, FakeConn, socket.socket],
) -> None:
    link, conn, theirs = pair
    answer_later(theirs, b":1\r\n:2\r\n", gap=0)
    with pytest.raises(redis.exceptions.ConnectionError, match="Protocol error"):
        link.roundtrip(COMMAND, 1.0, None)
    assert conn.disconnects == 1


@pytest.mark.skipif(sys.platform != "linux", reason="kernel socket timeouts are used on Linux")
def test_on_linux_the_socket_blocks_and_the_kernel_bounds_it(
    pair: tuple[Link, FakeConn, socket.socket],
) -> None:
    link, _, theirs = pair
    assert link.kernel
    assert link.sock.gettimeout() is None  # no poll() before each send and recv
    answer_later(theirs, b":1\r\n", gap=0)
    assert link.roundtrip(COMMAND, 0.25, None) == 1
    raw = link.sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, 16)
    assert raw[:8] == (0).to_bytes(8, sys.byteorder)
    assert 250_000 <= int.from_bytes(raw[8:16], sys.byteorder) < 260_000  # (kernel ticks)


# --- against the real redis-server ----------------------------------------------------------


def our_connections(client: Any, name: str) -> int:
    return sum(1 for c in client.client_list() if c.get("name") == name)


def test_one_thread_holds_one_connection_for_every_call(
    redis_url: str, backends: list[RedisBackend], key: str, redis_client: Any
) -> None:
    backend = RedisBackend(redis_url, client_name="llmaestro-held")
    backends.append(backend)
    limiter = RateLimiter(RateLimits(requests_per_minute=6_000, tokens_per_minute=10**6),
                          key=key, backend=backend)  # fmt: skip
    for _ in range(200):
        assert limiter.try_acquire(tokens=7) is not None
    assert our_connections(redis_client, "llmaestro-held") == 1
    state = redis_client.hgetall(backend.keys_for(key)[0])
    assert set(state) == {b"rpm", b"tpm"}


def test_the_acquire_command_is_what_redis_py_would_send(
    redis_url: str, backends: list[RedisBackend], key: str
) -> None:
    backend = RedisBackend(redis_url, time_offset=1.5)
    backends.append(backend)
    limits = RateLimits(requests_per_minute=60, tokens_per_day=10**6, concurrent_requests=3)
    plan = RateLimiter(limits, key=key, backend=backend).plan
    static = backend._acquire_static(key, plan)
    for costs, lease in (((1, 5000, 5000, 0), "lease:1"), ((1, 0, 0, 0), None)):
        args = static.args + acquire_tail(plan, backend._off(), costs, lease)
        expected = pack_command("EVALSHA", SCRIPT_SHA, 2, *backend.keys_for(key), *args)
        assert backend._acquire_command(static, costs, lease) == expected
    backend.time_offset = -2.0  # a changed offset is encoded afresh
    args = static.args + acquire_tail(plan, backend._off(), (1, 3, 3, 0), None)
    expected = pack_command("EVALSHA", SCRIPT_SHA, 2, *backend.keys_for(key), *args)
    assert backend._acquire_command(static, (1, 3, 3, 0), None) == expected


def test_a_callers_client_still_works(redis_url: str, key: str) -> None:
    client = redis.Redis.from_url(redis_url)
    try:
        limiter = RateLimiter(RateLimits(requests_per_minute=2, burst_seconds=60.0), key=key,
                              backend=RedisBackend(client=client))  # fmt: skip
        assert [limiter.try_acquire() is not None for _ in range(3)] == [True, True, False]
    finally:
        client.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_connects_afresh(
    redis_url: str, backends: list[RedisBackend], key: str, redis_client: Any
) -> None:
    backend = RedisBackend(redis_url)
    backends.append(backend)
    limiter = RateLimiter(RateLimits(requests_per_minute=100, burst_seconds=60.0), key=key,
                          backend=backend)  # fmt: skip
    assert limiter.try_acquire() is not None  # the parent holds a connection from here on
    pid = os.fork()
    if pid == 0:  # the child: its answers must be its own, on a connection of its own
        ok = all(limiter.try_acquire() is not None for _ in range(20))
        os._exit(0 if ok and backend.server_time() > 0 else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    granted = sum(limiter.try_acquire() is not None for _ in range(100))
    assert granted == 100 - 1 - 20  # the parent's connection still answers in order


def test_threads_share_the_budget_each_on_its_own_connection(
    redis_url: str, backends: list[RedisBackend], key: str, redis_client: Any
) -> None:
    backend = RedisBackend(redis_url, client_name="llmaestro-threads")
    backends.append(backend)
    limiter = RateLimiter(RateLimits(requests_per_minute=150, burst_seconds=60.0), key=key,
                          backend=backend)  # fmt: skip
    granted: list[int] = []
    start = threading.Barrier(4)

    def work() -> None:
        start.wait()
        granted.append(sum(limiter.try_acquire() is not None for _ in range(60)))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(granted) == 150  # 240 tries, exactly the burst admitted
    assert 1 <= our_connections(redis_client, "llmaestro-threads") <= 4
