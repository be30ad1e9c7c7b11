"""Rate limiter benchmark: llmaestro.limits vs `limits` and `pyrate-limiter`.

Run with ``python benchmarks/ratelimit.py`` (needs ``redis-server`` on PATH; starts its own
on a free loopback port). Peers come from the ``bench`` extra; a missing peer is reported
and skipped, ours is measured anyway. Prints, side by side:

* accuracy: 4 processes hammer one Redis key limited to 100/s (and a token-weighted variant,
  1,000 tokens/s, 1-20 tokens per request) for a few seconds; reported are the most
  admissions in any 1-second sliding window in steady state and in the first window
  (goals for ours: steady <= limit + 1 %, first <= limit + burst, burst = 1 s of budget);
* throughput of an RPM+TPM acquire in process vs `limits` moving window in memory (two hits,
  the TPM one with cost = tokens) (goal >= 2x), and on Redis from one process vs a bare
  EVALSHA round trip of a trivial script, pre-encoded, on a connection of redis-py's pool
  (``get_connection``, ``send_packed_command``, ``read_response``, ``release``: the
  cheapest way through redis-py's connection handling, which ours also connects with),
  measured in the same run (goal >= 0.9x); all measured in alternating batches, so load on
  the machine hits every side alike. Shown too, not goals: the same pre-encoded EVALSHA on
  a connection held out of the pool (no checkout), and the Redis server's own time per
  call of each script (INFO commandstats), which bounds any client's ratio;
* Redis memory per key (MEMORY USAGE) after 500,000 tokens admitted (goal: constant, < 1 KB).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from llmaestro.limits import RateLimiter, RateLimits, RedisBackend  # noqa: E402

RATE = 100  # admissions per second in the accuracy runs
TOKEN_RATE = 1000  # tokens per second in the weighted accuracy runs
PROCESSES = 4


# --- peers ---------------------------------------------------------------------------------


def _have(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


HAVE_LIMITS = _have("limits")
HAVE_PYRATE = _have("pyrate_limiter")


# --- redis-server --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisProcess:
    """A throw-away redis-server."""

    def __init__(self) -> None:
        exe = shutil.which("redis-server")
        if exe is None:
            sys.exit("redis-server is not installed (apt-get install redis-server)")
        self.tmp = tempfile.TemporaryDirectory(prefix="ratelimit-bench-")
        self.port = _free_port()
        self.proc = subprocess.Popen(
            [exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.tmp.name, "--logfile", ""],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not _ping(self.port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                sys.exit("redis-server did not start")
            time.sleep(0.02)
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.tmp.cleanup()


# --- accuracy ------------------------------------------------------------------------------


def _make_acquire(kind: str, url: str, key: str, weighted: bool) -> Callable[[int], bool]:
    """A non-blocking ``acquire(cost) -> bool`` for one contender (built in the child)."""
    if kind == "llmaestro GCRA":
        limits = (
            RateLimits(tokens_per_minute=TOKEN_RATE * 60, burst_seconds=1.0)
            if weighted
            else RateLimits(requests_per_minute=RATE * 60, burst_seconds=1.0)
        )
        limiter = RateLimiter(limits, key=key, backend=RedisBackend(url))
        return lambda cost: limiter.try_acquire(tokens=cost) is not None
    if kind.startswith("limits"):
        from limits import RateLimitItemPerSecond, storage, strategies

        item = RateLimitItemPerSecond(TOKEN_RATE if weighted else RATE)
        store = storage.RedisStorage(url)
        strategy: Any = (
            strategies.FixedWindowRateLimiter(store)
            if "fixed" in kind
            else strategies.MovingWindowRateLimiter(store)
        )
        return lambda cost: bool(strategy.hit(item, key, cost=cost))
    if kind == "pyrate-limiter":
        import redis
        from pyrate_limiter import Duration, Limiter, Rate, RedisBucket

        client = redis.Redis.from_url(url)
        rate = Rate(TOKEN_RATE if weighted else RATE, Duration.SECOND)
        pyrate = Limiter(RedisBucket.init([rate], client, key))
        return lambda cost: bool(pyrate.try_acquire(key, weight=cost, blocking=False))
    raise ValueError(kind)


def _hammer(kind: str, url: str, key: str, weighted: bool, seed: int, conn: Any) -> None:
    try:
        acquire = _make_acquire(kind, url, key, weighted)
        acquire(0) if kind == "llmaestro GCRA" else None  # warm the connection
    except Exception as exc:  # a peer that cannot run is reported, not fatal
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    start, duration = conn.recv()
    rng = random.Random(seed)
    stamps: list[tuple[float, int]] = []
    while time.time() < start:
        time.sleep(0.0005)
    end = start + duration
    while True:
        before = time.time()
        if before >= end:
            break
        cost = rng.randint(1, 20) if weighted else 1
        try:
            ok = acquire(cost)
        except Exception as exc:
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
            return
        if ok:
            stamps.append(((before + time.time()) / 2, cost))
    conn.send(("done", stamps))


def _windows(stamps: list[tuple[float, int]], start: float, end: float) -> tuple[int, int, int]:
    """(first window, max 1 s sliding window after the first second, total)."""
    stamps.sort()
    first = sum(c for t, c in stamps if start <= t < start + 1)
    best = 0
    j = 0
    acc = 0
    times = [t for t, _ in stamps]
    costs = [c for _, c in stamps]
    for i, t in enumerate(times):
        while j < len(times) and times[j] < t + 1:
            acc += costs[j]
            j += 1
        if start + 1 <= t <= end - 1:
            best = max(best, acc)
        acc -= costs[i]
    return first, best, sum(costs)


def accuracy_run(kind: str, url: str, weighted: bool, duration: float) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    key = f"bench-{uuid.uuid4().hex[:8]}"
    pipes = []
    procs = []
    for i in range(PROCESSES):
        parent, child = ctx.Pipe()
        p = ctx.Process(target=_hammer, args=(kind, url, key, weighted, 1000 + i, child))
        p.start()
        pipes.append(parent)
        procs.append(p)
    errors = []
    for conn in pipes:
        status, detail = conn.recv()
        if status == "error":
            errors.append(detail)
    start = time.time() + 0.3
    if not errors:
        for conn in pipes:
            conn.send((start, duration))
    stamps: list[tuple[float, int]] = []
    for conn in pipes:
        if errors:
            break
        status, detail = conn.recv()
        if status == "error":
            errors.append(detail)
        else:
            stamps += detail
    for p in procs:
        p.join(timeout=10)
        if p.is_alive():
            p.kill()
            p.join()
    if errors:
        return {"error": errors[0]}
    first, steady, total = _windows(stamps, start, start + duration)
    return {"first": first, "steady": steady, "rate": total / duration}


# --- throughput ----------------------------------------------------------------------------


def interleaved(fns: dict[str, Callable[[], object]], seconds: float) -> dict[str, float]:
    """Ops/s of each function, measured in alternating batches so that load changes on the
    machine hit every contender alike."""
    for fn in fns.values():
        for _ in range(200):
            fn()
    spent = dict.fromkeys(fns, 0.0)
    done = dict.fromkeys(fns, 0)
    deadline = time.perf_counter() + seconds * len(fns)
    while time.perf_counter() < deadline:
        for name, fn in fns.items():
            t0 = time.perf_counter()
            for _ in range(50):
                fn()
            spent[name] += time.perf_counter() - t0
            done[name] += 50
    return {name: done[name] / spent[name] for name in fns}


def throughput_in_process(seconds: float) -> dict[str, float]:
    big = RateLimits(requests_per_minute=10**9, tokens_per_minute=10**12)
    limiter = RateLimiter(big)
    fns: dict[str, Callable[[], object]] = {"ours": lambda: limiter.try_acquire(tokens=10)}
    if HAVE_LIMITS:
        from limits import RateLimitItemPerMinute, storage, strategies

        rpm = RateLimitItemPerMinute(10**9)
        tpm = RateLimitItemPerMinute(10**12)
        moving = strategies.MovingWindowRateLimiter(storage.MemoryStorage())
        fns["limits"] = lambda: moving.hit(rpm, "rpm") and moving.hit(tpm, "tpm", cost=10)
    return interleaved(fns, seconds)


def throughput_redis(url: str, seconds: float) -> dict[str, float]:
    import redis

    client = redis.Redis.from_url(url)
    sha = client.script_load("return 1")
    pool = client.connection_pool
    packed = b"*3\r\n$7\r\nEVALSHA\r\n$40\r\n%b\r\n$1\r\n0\r\n" % sha.encode()

    def raw() -> object:
        conn = pool.get_connection()
        try:
            conn.send_packed_command([packed])
            return conn.read_response()
        finally:
            pool.release(conn)

    held = pool.get_connection()

    def raw_held() -> object:
        held.send_packed_command([packed])
        return held.read_response()

    big = RateLimits(requests_per_minute=10**9, tokens_per_minute=10**12)
    backend = RedisBackend(url)
    limiter = RateLimiter(big, key="bench-throughput", backend=backend)
    result = interleaved(
        {
            "ours": lambda: limiter.try_acquire(tokens=10),
            "bare": lambda: client.evalsha(sha, 0),
            "raw": raw,
            "held": raw_held,
        },
        seconds,
    )
    pool.release(held)
    client.config_resetstat()
    for _ in range(2000):
        limiter.try_acquire(tokens=10)
    result["server ours"] = _server_usec(client)
    client.config_resetstat()
    for _ in range(2000):
        raw()
    result["server bare"] = _server_usec(client)
    backend.close()
    client.close()
    return result


def _server_usec(client: Any) -> float:
    """The Redis server's own microseconds per EVALSHA since the last CONFIG RESETSTAT."""
    stats = client.info("commandstats").get("cmdstat_evalsha", {})
    return float(stats.get("usec_per_call", float("nan")))


def memory_per_key(url: str) -> tuple[int, int, int | None]:
    import redis

    client = redis.Redis.from_url(url)
    limits = RateLimits(
        requests_per_minute=10**9, tokens_per_minute=10**12, requests_per_day=10**9,
        tokens_per_day=10**12, concurrent_requests=10,
    )  # fmt: skip
    backend = RedisBackend(url)
    limiter = RateLimiter(limits, key="bench-memory", backend=backend)
    state_key = backend.keys_for("bench-memory")[0]
    r = limiter.try_acquire(tokens=500)
    assert r is not None
    r.release()
    early = int(client.memory_usage(state_key) or 0)
    for _ in range(999):  # 1,000 x 500 = 500,000 tokens
        r = limiter.try_acquire(tokens=500)
        assert r is not None
        r.release()
    late = int(client.memory_usage(state_key) or 0)
    peer: int | None = None
    if HAVE_LIMITS:
        from limits import RateLimitItemPerMinute, storage, strategies

        item = RateLimitItemPerMinute(10**7)
        moving = strategies.MovingWindowRateLimiter(storage.RedisStorage(url))
        for _ in range(1000):
            moving.hit(item, "bench-memory", cost=500)
        keys = client.keys("*bench-memory*")
        peer = sum(int(client.memory_usage(k) or 0) for k in keys if k != state_key.encode())
    backend.close()
    client.close()
    return early, late, peer


# --- report --------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=2.5, help="seconds per accuracy run")
    parser.add_argument("--seconds", type=float, default=1.0, help="seconds per throughput run")
    args = parser.parse_args()
    args.duration = max(args.duration, 2.0)  # steady-state windows start after the first second
    began = time.monotonic()
    if not HAVE_LIMITS:
        print("note: `limits` is not installed (pip install 'llmaestro[bench]'); skipping it")
    if not HAVE_PYRATE:
        print("note: `pyrate-limiter` is not installed (pip install 'llmaestro[bench]'); skipping")

    server = RedisProcess()
    results: list[str] = []
    try:
        kinds = ["llmaestro GCRA"]
        if HAVE_LIMITS:
            kinds += ["limits fixed window", "limits moving window"]
        if HAVE_PYRATE:
            kinds.append("pyrate-limiter")

        for weighted, unit, limit in ((False, "requests", RATE), (True, "tokens", TOKEN_RATE)):
            burst = limit  # ours: burst_seconds=1 -> one second of budget
            print(
                f"\nAccuracy: {PROCESSES} processes, one Redis key, {limit} {unit}/s, "
                f"{args.duration:g} s ({'1-20 tokens per request' if weighted else 'cost 1'})"
            )
            print(f"  {'contender':24} {'first 1 s':>10} {'max 1 s steady':>15} {'mean/s':>9}")
            for kind in kinds:
                res = accuracy_run(kind, server.url, weighted, args.duration)
                if "error" in res:
                    print(f"  {kind:24} not feasible: {res['error']}")
                    continue
                print(f"  {kind:24} {res['first']:>10} {res['steady']:>15} {res['rate']:>9.1f}")
                if kind == "llmaestro GCRA":
                    steady_ok = res["steady"] <= limit * 1.01
                    first_ok = res["first"] <= limit + burst
                    results.append(
                        f"accuracy ({unit}) steady {res['steady']} <= {limit * 1.01:g}: "
                        f"{verdict(steady_ok)}"
                    )
                    results.append(
                        f"accuracy ({unit}) first window {res['first']} <= {limit + burst}: "
                        f"{verdict(first_ok)}"
                    )

        print("\nThroughput, in process (RPM+TPM acquire, 10 tokens, always admitted)")
        tp = throughput_in_process(args.seconds)
        print(f"  {'llmaestro MemoryBackend':40} {tp['ours']:>12,.0f} ops/s")
        if "limits" not in tp:
            print("  limits moving window (memory)            not installed")
        else:
            print(f"  {'limits moving window (memory), 2 hits':40} {tp['limits']:>12,.0f} ops/s")
            ratio = tp["ours"] / tp["limits"]
            print(f"  ratio {ratio:.1f}x")
            results.append(f"in-process throughput {ratio:.1f}x >= 2x: {verdict(ratio >= 2)}")

        print("\nThroughput, Redis, one process (RPM+TPM acquire vs bare EVALSHA 'return 1')")
        tr = throughput_redis(server.url, args.seconds)
        ratio_r = tr["ours"] / tr["raw"]
        print(f"  {'llmaestro RedisBackend':44} {tr['ours']:>10,.0f} ops/s")
        print(f"  {'bare EVALSHA, redis-py evalsha()':44} {tr['bare']:>10,.0f} ops/s")
        print(f"  {'bare EVALSHA, pre-encoded, pooled connection':44} {tr['raw']:>10,.0f} ops/s")
        print(f"  {'bare EVALSHA, pre-encoded, held connection':44} {tr['held']:>10,.0f} ops/s")
        print(
            f"  ratio {ratio_r:.2f}x vs pre-encoded pooled (vs evalsha(): "
            f"{tr['ours'] / tr['bare']:.2f}x; vs held connection: {tr['ours'] / tr['held']:.2f}x)"
        )
        print(
            f"  Redis server time per call: acquire script {tr['server ours']:.1f} us, "
            f"'return 1' {tr['server bare']:.1f} us"
        )
        results.append(
            f"Redis throughput {ratio_r:.2f}x a pre-encoded bare EVALSHA (pooled redis-py "
            f"connection) >= 0.9x: {verdict(ratio_r >= 0.9)}"
        )

        print("\nRedis memory per key (RPM+TPM+RPD+TPD state hash)")
        early, late, peer_mem = memory_per_key(server.url)
        print(f"  after 500 tokens:     {early} bytes")
        print(f"  after 500,000 tokens: {late} bytes")
        if peer_mem is not None:
            print(f"  limits moving window after 500,000 tokens: {peer_mem:,} bytes")
        results.append(
            f"memory per key constant ({early} -> {late}) and < 1 KB: "
            f"{verdict(late == early and late < 1024)}"
        )
    finally:
        server.stop()

    print("\nGoals")
    for line in results:
        print(f"  {line}")
    print(f"\n(total {time.monotonic() - began:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
