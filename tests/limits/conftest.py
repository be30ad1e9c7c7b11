"""Fixtures of the rate limiter tests: a real redis-server on a free loopback port."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """A redis-server process owned by the test session; can be stopped and restarted."""

    def __init__(self, executable: str, directory: Path) -> None:
        self.executable = executable
        self.directory = directory
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = directory / "redis.log"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> None:
        assert not self.running
        self.proc = subprocess.Popen(
            [
                self.executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
                "--logfile",
                str(self.log),
                "--daemonize",
                "no",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not _ping(self.port):
            if self.proc.poll() is not None:
                log = self.log.read_text() if self.log.exists() else ""
                pytest.fail(f"redis-server exited with {self.proc.returncode}:\n{log}")
            if time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"redis-server did not answer PING on port {self.port} in 10 s")
            time.sleep(0.02)

    def stop(self) -> None:
        """SIGKILL the server (nothing is persisted: it comes back empty)."""
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            self.proc = None

    def restart(self) -> None:
        """Kill and start again on the same port."""
        self.stop()
        self.start()

    def pause(self) -> None:
        """SIGSTOP the server: it hangs (the kernel still accepts connections and takes
        bytes, nothing answers), unlike a stopped server, which refuses at once."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        """SIGCONT a paused server."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)

    def client(self) -> Any:
        import redis

        return redis.Redis.from_url(self.url)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A redis-server for the whole session (fails, never skips, when not installed)."""
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.fail(
            "redis-server is not installed; the rate limiter tests need a real Redis "
            "(Debian/Ubuntu: apt-get install redis-server)"
        )
    with tempfile.TemporaryDirectory(prefix="llmaestro-redis-") as tmp:
        server = RedisServer(executable, Path(tmp))
        server.start()
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """URL of a running, empty Redis (restarted if an earlier test left it down)."""
    if not redis_server.running:
        redis_server.start()
    client = redis_server.client()
    try:
        client.flushall()
    finally:
        client.close()
    return redis_server.url


@pytest.fixture
def hung_redis(redis_url: str, redis_server: RedisServer) -> Iterator[RedisServer]:
    """The running, empty Redis, to be paused by the test; resumed afterwards whatever
    happens (the next tests need it)."""
    try:
        yield redis_server
    finally:
        redis_server.resume()


@pytest.fixture
def redis_client(redis_url: str, redis_server: RedisServer) -> Iterator[Any]:
    """A plain redis-py client to inspect keys."""
    client = redis_server.client()
    yield client
    client.close()


@pytest.fixture
def key() -> str:
    """A budget key unique to the test."""
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def backends(redis_url: str) -> Iterator[list[Any]]:
    """Redis backends a test makes (append them): closed afterwards."""
    made: list[Any] = []
    yield made
    for backend in made:
        backend.close()
