"""Validation speed: llmaestro's full validation against the simple baseline, in one run.

Baseline: parse every TOML file of the pinned models.dev snapshot with tomllib and validate it
with a pydantic model of its schema (what models.dev's own check does, minus the semantic
rules). Ours: the whole catalog with every semantic rule. When the catalog has fewer than
5,000 offerings, a synthetic catalog of 5,000 offerings (in a temporary folder) is used.

Run: python benchmarks/validate.py   (or `make bench`)
"""

from __future__ import annotations

import gc
import shutil
import sys
import tarfile
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from llmaestro.catalog.validate import (  # noqa: E402
    default_jobs,
    validate_catalog,
    validate_paths,
)

#: issue 18's goals: ours over the baseline at equal size, in one process and with the default
#: worker count, and one changed file (and what references it) in seconds
#: Turns of the equal-size comparison: the fastest of each is the least disturbed by the rest of
#: a shared machine (two workers need both CPUs free at once, so they suffer most)
EQUAL_SIZE_RUNS = 9
GOAL_ONE = 0.8
GOAL_DEFAULT = 0.5
GOAL_ONE_FILE = 0.05
SNAPSHOT_NAMES = ("models.dev-f3fc69229967.tar.gz",)
SNAPSHOT_DIRS = (ROOT / "data" / "sources", ROOT.parent / "shared" / "data" / "sources")


class _Cost(BaseModel):
    model_config = ConfigDict(extra="allow")
    input: float | None = None
    output: float | None = None
    cache_read: float | None = None
    cache_write: float | None = None


class _Limit(BaseModel):
    context: int | None = None
    output: int | None = None
    input: int | None = None


class _Modalities(BaseModel):
    input: list[str] | None = None
    output: list[str] | None = None


class _MDModel(BaseModel):
    """A pydantic rendition of models.dev's model schema (extra keys allowed, as theirs)."""

    model_config = ConfigDict(extra="allow")
    name: str | None = None
    family: str | None = None
    release_date: str | None = None
    last_updated: str | None = None
    attachment: bool | None = None
    reasoning: bool | None = None
    temperature: bool | None = None
    tool_call: bool | None = None
    knowledge: str | None = None
    open_weights: bool | None = None
    cost: _Cost | None = None
    limit: _Limit | None = None
    modalities: _Modalities | None = None


class _MDProvider(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str
    env: list[str]
    npm: str | None = None
    doc: str | None = None


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def find_snapshot() -> Path | None:
    for folder in SNAPSHOT_DIRS:
        for name in SNAPSHOT_NAMES:
            if (folder / name).is_file():
                return folder / name
    return None


def baseline(tree: Path) -> tuple[float, int]:
    files = [p for p in tree.rglob("*.toml") if p.is_file()]
    gc.collect()
    start = time.perf_counter()
    for path in files:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
        try:
            if path.name == "provider.toml":
                _MDProvider.model_validate(data)
            else:
                _MDModel.model_validate(data)
        except ValidationError:
            pass
    return time.perf_counter() - start, len(files)


def synthetic_catalog(folder: Path, offerings: int) -> Path:
    """Copy the real catalog and add `offerings` generated offering files across 20 providers."""
    root = folder / "catalog"
    shutil.copytree(ROOT / "catalog", root)
    prov_template = (ROOT / "catalog/providers/openai/provider.yaml").read_text()
    head = prov_template.split("rate_limits:")[0]
    offering = (ROOT / "catalog/providers/openai/models/gpt-4o-mini.yaml").read_text()
    based = (
        (ROOT / "catalog/providers/openai/models/gpt-4o.yaml")
        .read_text()
        .replace("aliases: [gpt-4o-2024-08-06]\n", "")
    )
    per = offerings // 20
    for p in range(20):
        pdir = root / "providers" / f"synthetic-{p}"
        (pdir / "models").mkdir(parents=True)
        (pdir / "provider.yaml").write_text(head.replace("name: OpenAI", f"name: Synthetic {p}"))
        for m in range(per):
            text = (
                based if m % 3 == 0 else offering.replace("gpt-4o-mini-2024-07-18", f"m{m}-alias")
            )
            (pdir / "models" / f"model-{m}.yaml").write_text(text)
    return root


def best(fn: Any, runs: int = 5) -> float:
    """The fastest of ``runs`` timings (the least disturbed by the rest of the machine)."""
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def best_each(fns: list[Any], runs: int = 5) -> list[float]:
    """The fastest of ``runs`` timings of each function, the functions taking turns."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for i, fn in enumerate(fns):
            gc.collect()
            start = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - start)
    return [min(t) for t in times]


def size_matched(folder: Path, source: Path, files: int) -> Path:
    """A copy of the catalog cut to about ``files`` files: every canonical model, then whole
    providers in order until the count is reached."""
    root = folder / "sized"
    shutil.copytree(source / "models", root / "models")
    count = sum(1 for _ in (root / "models").rglob("*.yaml"))
    for provider in sorted((source / "providers").iterdir()):
        if count >= files:
            break
        shutil.copytree(provider, root / "providers" / provider.name)
        count += sum(1 for _ in provider.rglob("*.yaml"))
    return root


def main() -> int:
    snapshot = find_snapshot()
    jobs = default_jobs()
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        catalog = ROOT / "catalog"
        label = "real catalog"
        if len(validate_catalog(catalog).offerings) < 5000:
            catalog = synthetic_catalog(tmpdir, 5000)
            label = "synthetic catalog (real catalog < 5,000 offerings)"
        result = validate_catalog(catalog)
        assert result.ok, result.errors[:5]
        s = result.summary()
        ours = best(lambda: validate_catalog(catalog))
        ours_parallel = best(lambda: validate_catalog(catalog, jobs=jobs))
        print(
            f"ours: full validation of the {label} ({s['files']} files, {s['offerings']} "
            f"offerings), every semantic rule, best of 5: one process {ours:.3f} s, "
            f"{jobs} processes (`llmaestro validate`'s default) {ours_parallel:.3f} s"
        )
        one = next(iter(sorted((catalog / "providers" / "openai" / "models").glob("*.yaml"))))
        single_time = best(lambda: validate_paths([one]))
        if snapshot is None:
            print("models.dev snapshot not found (data/sources): baseline skipped")
        else:
            with tarfile.open(snapshot) as tar:
                tar.extractall(tmpdir / "md", filter="data")
            base_files = sum(1 for p in (tmpdir / "md").rglob("*.toml") if p.is_file())
            sized = size_matched(tmpdir, catalog, base_files)
            sized_result = validate_catalog(sized)
            assert sized_result.ok, sized_result.errors[:5]
            n = sized_result.summary()["files"]
            # interleaved, so that a busy moment of the machine falls on all three alike
            base_time, sized_one, sized_par = best_each(
                runs=EQUAL_SIZE_RUNS,
                fns=[
                    lambda: baseline(tmpdir / "md"),
                    lambda: validate_catalog(sized),
                    lambda: validate_catalog(sized, jobs=jobs),
                ],
            )
            print(
                f"baseline: tomllib + pydantic over the models.dev snapshot ({base_files} "
                f"files), best of {EQUAL_SIZE_RUNS}: {base_time:.3f} s"
            )
            print(
                f"ours on a catalog of that size (the first providers of ours, {n} files): "
                f"one process {sized_one:.3f} s, {jobs} processes {sized_par:.3f} s"
            )
            one_ratio, par_ratio = sized_one / base_time, sized_par / base_time
            print(
                f"ratio ours/baseline at equal size, one process: {one_ratio:.2f}x  goal <= "
                f"{GOAL_ONE:.2f}x: {verdict(one_ratio <= GOAL_ONE)}"
            )
            print(
                f"ratio ours/baseline at equal size, {jobs} processes (the default): "
                f"{par_ratio:.2f}x  goal <= {GOAL_DEFAULT:.2f}x: "
                f"{verdict(par_ratio <= GOAL_DEFAULT)}"
            )
            print(
                f"ratio ours/baseline, whole catalog ({s['files']} vs {base_files} files): "
                f"one process {ours / base_time:.2f}x, {jobs} processes "
                f"{ours_parallel / base_time:.2f}x"
            )
    print(
        f"one changed file (and what references it): {single_time:.3f} s  goal <= "
        f"{GOAL_ONE_FILE} s: {verdict(single_time <= GOAL_ONE_FILE)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
