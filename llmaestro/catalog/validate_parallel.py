"""Validation shares in forked processes: each child checks its providers and sends what it
found back, pickled through a pipe; the first also checks every canonical model. The parent
only forks, waits and adds the parts up. The children are forked before anything but the
listings of the catalog's top folders is read: each lists its own providers' files and reads
the canonical models its offerings inherit from (their problems are the first share's to
report)."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from llmaestro.catalog.diagnostics import Diagnostic

#: what a share gives back: the problems found, files read for them, providers, offerings and
#: canonical models checked (the first share's; the others report none of theirs)
Part = tuple[list[Diagnostic], int, int, int, int]


#: the first share starts this much of the whole weight ahead (see :func:`balanced`)
FIRST_SHARE_HEAD_START = 0.04
#: worker processes past this gain little: the first share (canonical models) is serial
MAX_DEFAULT_JOBS = 4


def default_jobs() -> int:
    """Worker processes for a whole catalog: the CPUs this process may run on, at most
    :data:`MAX_DEFAULT_JOBS`."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on every platform
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_DEFAULT_JOBS))


def share_weight(folder: Path) -> int:
    """A provider's work, for balancing: the entries below its models/ folder, subfolders'
    (ids with ``/``) too, and its provider.yaml (names counted, nothing decoded or read; a
    folder it cannot list counts for nothing). Names only: an entry not named ``*.yaml`` is
    listed as a folder (a file so named fails to list and counts once)."""
    count, stack = 1, [os.path.join(folder, "models")]
    while stack:
        current = stack.pop()
        try:
            names = os.listdir(current)
        except OSError:
            continue
        count += len(names)
        stack.extend(os.path.join(current, n) for n in names if not n.endswith(".yaml"))
    return count


def balanced(weights: dict[str, int], jobs: int) -> list[list[str]]:
    """The providers in at most ``jobs`` non-empty shares of about equal weight, the heaviest
    first onto the lightest share (the first share is never empty). The first share starts
    :data:`FIRST_SHARE_HEAD_START` of the whole weight ahead: it checks every canonical model, where
    another share reads only those its offerings inherit from (measured on the real catalog
    cut to 5,657 files when the parent checked the first share itself: 0.337 s against 0.314 s
    with equal weights, 0.318 against 0.328 six hundredths ahead; not measured again since
    every share is forked)."""
    shares: list[list[str]] = [[] for _ in range(jobs)]
    loads = [0] * jobs
    loads[0] = int(sum(weights.values()) * FIRST_SHARE_HEAD_START)
    for pid in sorted(weights, key=weights.__getitem__, reverse=True):
        k = loads.index(min(loads))
        shares[k].append(pid)
        loads[k] += weights[pid]
    if not shares[0]:  # the head start left the first share nothing: it takes the lightest
        k = min((i for i in range(1, jobs) if shares[i]), key=loads.__getitem__)
        shares[0], shares[k] = shares[k], []
    return [shares[0], *(share for share in shares[1:] if share)]


def provider_share(v: Any, pids: list[str]) -> Part:
    """Check these providers with ``v`` (a forked copy): the problems found (beyond the
    canonical models'), files read for them, providers and offerings."""
    for pid in pids:
        v.check_provider_tree(pid)
        v.provider_rules(pid, check_all=True)
    canonical_files = {f.path for f in v.tree.files.values() if f.kind == "canonical"}
    diags = list(v.tree.layout_diagnostics)
    for path, file in v.tree.files.items():
        if path not in canonical_files:
            diags.extend(file.diagnostics)
    files = len(v.tree.files) - len(canonical_files)
    return diags, files, len(v.result.providers), len(v.result.offerings), 0


def _fork_share(
    v: Any, pids: list[str], check: Callable[[Any, list[str]], Part]
) -> tuple[int, int]:
    """A forked child that gives ``check(v, pids)``, pickled, through a pipe: (child pid, the
    pipe's reading end). Forking shares what the parent has read (the top folders' listings)."""
    read_end, write_end = os.pipe()
    try:
        child = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        raise
    if child:
        os.close(write_end)
        return child, read_end
    code = 1  # pragma: no cover - the child (coverage does not follow os._exit)
    try:  # pragma: no cover
        os.close(read_end)
        try:
            payload = pickle.dumps(check(v, pids), pickle.HIGHEST_PROTOCOL)
            code = 0
        except BaseException as exc:  # reported by the parent
            payload = pickle.dumps(RuntimeError(f"a validation worker failed: {exc!r}"))
        with os.fdopen(write_end, "wb") as out:
            out.write(payload)
    finally:  # pragma: no cover - never back into the caller's code in the child
        # the child's heap is left to the kernel: freeing it object by object is the
        # parent's ~15 ms after a share that it no longer pays
        os._exit(code)


def run_shares(
    v: Any, shares: list[list[str]], first: Callable[[Any, list[str]], Part]
) -> list[Part]:
    """Each share of providers checked with the validator ``v`` in a forked child, the first
    with ``first`` (which checks the canonical models too), the others with
    :func:`provider_share`: their parts, in share order. This process only waits: the objects
    a share builds die with its child, unfreed (a share checked here would cost its freeing,
    ~15 ms for half of a 5,600-file catalog)."""
    children: list[tuple[int, int]] = []
    failure: BaseException | None = None
    parts: list[Part] = []
    try:
        for k, share in enumerate(shares):
            children.append(_fork_share(v, share, first if k == 0 else provider_share))
    finally:  # every child is read and waited for, whatever happened here
        for _child, read_end in children:
            with os.fdopen(read_end, "rb") as pipe:
                payload = pipe.read()
            try:
                part = pickle.loads(payload) if payload else None
            except Exception:  # a torn payload: the child died writing it
                part = None
            if part is None:
                part = RuntimeError("a validation worker died")
            if isinstance(part, BaseException):
                failure = failure or part
            else:
                parts.append(part)
        for child, _read_end in children:  # after the reads: the children exit meanwhile
            os.waitpid(child, 0)
    if failure is not None:
        raise failure
    return parts
