"""Load time in a source checkout against the installed path, in one run.

Whole process, ``import llmaestro; load(); one query``, from the source checkout (the
repository's ``catalog/``: fingerprint, cached bundle) and from a compiled bundle named by
``LLMAESTRO_BUNDLE`` (what an installed wheel reads): the median of fresh interpreters, run
in turn so both meet the same machine load. Goal: the checkout within 1.5x of the bundle.
Also the fingerprint in process: the full walk against the kept listing (the fast path of
:mod:`llmaestro.catalog.fingerprint`).

Run: python benchmarks/checkout.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RUNS = 15
GOAL = 1.5
SNIPPET = "import llmaestro; r = llmaestro.load(); r.get('openai/gpt-4o')"


def _once(env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", SNIPPET], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def _llmaestro() -> list[str]:
    script = Path(sys.executable).parent / "llmaestro"
    return [str(script)] if script.exists() else [sys.executable, "-m", "llmaestro"]


def _in_process(repeat: int = 9) -> tuple[float, float]:
    """(median ms of the full walk, median ms of the fingerprint with its listing kept)."""
    from llmaestro.catalog import fingerprint as fp

    top = str(ROOT / "catalog")
    fp.fingerprint(top, "bench")  # keeps the listing (the checkout's folders are old)
    walk, fast = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        fp._walk(top, "bench")
        walk.append(time.perf_counter() - t)
        t = time.perf_counter()
        fp.fingerprint(top, "bench")
        fast.append(time.perf_counter() - t)
    return statistics.median(walk) * 1e3, statistics.median(fast) * 1e3


def main() -> int:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("LLMAESTRO_BUNDLE", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed wheel has bytecode; so must this
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "llmaestro")], check=True, env=env
    )
    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "catalog.json"
        subprocess.run(
            [*_llmaestro(), "compile", "--out", str(bundle)], check=True, env=env, cwd=ROOT
        )
        installed = {**env, "LLMAESTRO_BUNDLE": str(bundle)}
        for _ in range(2):  # the checkout's bundle compiled and cached, its listing kept
            _once(env)
            _once(installed)
        source, packaged = [], []
        for _ in range(RUNS):
            source.append(_once(env))
            packaged.append(_once(installed))
    walk_ms, fast_ms = _in_process()
    s, b = statistics.median(source) * 1e3, statistics.median(packaged) * 1e3
    ratio = s / b
    print(f"whole process ({SNIPPET!r}), median of {RUNS} fresh interpreters each:")
    print(f"  source checkout  {s:7.1f} ms")
    print(f"  compiled bundle  {b:7.1f} ms  (LLMAESTRO_BUNDLE)")
    print(
        f"  ratio checkout/bundle: {ratio:.2f}x  goal <= {GOAL:.2f}x: "
        f"{'PASS' if ratio <= GOAL else 'FAIL'}"
    )
    print(f"fingerprint in process: full walk {walk_ms:.1f} ms, kept listing {fast_ms:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
