"""Validate a catalog: every file, every cross-file reference, every rule; collect everything.

``validate_catalog(root)`` checks a whole catalog. ``validate_paths(paths)`` checks the given
files and whatever references them (what pre-commit passes), reading as little as it can.
Both return a :class:`ValidationResult` that also holds the resolved objects, so compiling
the bundle reuses the work.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from llmaestro.catalog import rules
from llmaestro.catalog.diagnostics import Diagnostic, sorted_capped
from llmaestro.catalog.model import CanonicalModel, Offering, Provider
from llmaestro.catalog.paths import decode_id, decode_segment, encode_segment
from llmaestro.catalog.resolve import (
    CrossFacts,
    close_match,
    deep_merge,
    file_reporter,
    omit_path,
    provider_problems,
    report_problem,
)
from llmaestro.catalog.schema_errors import pydantic_diagnostics
from llmaestro.catalog.tree import CatalogFile, CatalogTree, find_root, read_regular
from llmaestro.catalog.validate_parallel import Part, balanced, run_shares, share_weight
from llmaestro.catalog.validate_parallel import default_jobs as default_jobs
from llmaestro.registry.lifecycle import default_today


@dataclass
class ValidationResult:
    """Everything one validation run found and resolved."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    providers: dict[str, Provider] = field(default_factory=dict)
    offerings: dict[tuple[str, str], Offering] = field(default_factory=dict)
    canonical: dict[str, CanonicalModel] = field(default_factory=dict)
    files_checked: int = 0
    #: counts when the resolved objects were not kept (parallel validation)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, int]:
        return {
            "files": self.files_checked,
            "providers": self.counts.get("providers", len(self.providers)),
            "canonical_models": self.counts.get("canonical", len(self.canonical)),
            "offerings": self.counts.get("offerings", len(self.offerings)),
            "errors": len(self.errors),
            "warnings": len(self.diagnostics) - len(self.errors),
        }


_NOT_INHERITED = ("id",)


class _Validator:
    def __init__(self, tree: CatalogTree, today: dt.date) -> None:
        self.tree = tree
        self.today = today
        self.result = ValidationResult()
        #: a base model's keys an offering inherits, by `lab/model` (shared, never changed)
        self._inherited: dict[str, dict[str, Any]] = {}

    def reporter(self, file: CatalogFile, base: CatalogFile | None = None) -> rules.Report:
        return file_reporter(file, base.display if base is not None else None)

    # -- files -------------------------------------------------------------------------------

    def provider(self, pid: str) -> tuple[CatalogFile | None, Provider | None]:
        path = self.tree.provider_file(pid)
        if path is None:
            return None, None
        file = self.tree.read(path, "provider", pid, "")
        if file.model is None:
            return file, None
        if pid not in self.result.providers:
            rules.check_provider(file.model, self.reporter(file))
            self.result.providers[pid] = file.model
        return file, self.result.providers[pid]

    def canonical(self, ref: str) -> CatalogFile | None:
        path = canonical_file(self.tree, ref)
        if path is None:
            return None
        lab, model = ref.split("/", 1)
        file = self.tree.read(path, "canonical", lab, model)
        if file.model is not None and ref not in self.result.canonical:
            rules.check_canonical(file.model, self.reporter(file), self.today)
            self.result.canonical[ref] = file.model
        return file

    def offering(self, pid: str, mid: str, path: Path) -> CatalogFile:
        file = self.tree.read(path, "offering", pid, mid)
        key = (pid, mid)
        if key in self.result.offerings or (file.deferred and self._merged_first(file, pid, mid)):
            return file
        if file.deferred:
            self.tree.validate_alone(file)
        if file.model is None:
            return file
        base_file: CatalogFile | None = None
        report = self.reporter(file)
        if isinstance(file.model, Offering):  # nothing inherited: validated once, as resolved
            rules.check_offering(file.model, report, self.today)
            self.result.offerings[key] = file.model
            return file
        data: dict[str, Any] = dict(file.data)
        if file.model.base is not None:
            base_file = self.canonical(file.model.base)
            if base_file is None:
                close = close_match(file.model.base, self.tree.canonical())
                report(
                    "LM030",
                    "/base",
                    f"base model `{file.model.base}` does not exist",
                    expected="`<lab>/<model>` of a file in models/",
                    hint=f"did you mean `{close}`?" if close else None,
                )
                return file
            if base_file.model is None:
                return file  # its own errors are reported on its own file
            inherited = {k: v for k, v in base_file.data.items() if k not in _NOT_INHERITED}
            _report_absent(report, _omit(inherited, file.model.base_omit or ()))
            data = deep_merge(inherited, data)
        data["provider"] = pid
        data["model"] = mid
        try:
            resolved = Offering.model_validate(data)
        except ValidationError as exc:  # pragma: no cover - parts were validated alone
            assert file.doc is not None
            file.diagnostics.extend(pydantic_diagnostics(exc, Offering, file.doc, file.display))
            return file
        rules.check_offering(resolved, self.reporter(file, base_file), self.today)
        self.result.offerings[key] = resolved
        return file

    def _merged_first(self, file: CatalogFile, pid: str, mid: str) -> bool:
        """A deferred based offering validated merged over its base first (see
        :mod:`~llmaestro.catalog.merge_decides`): True when valid, and then checked."""
        ref, omit = file.data.get("base"), file.data.get("base_omit", ())
        if not (isinstance(ref, str) and ref in self.tree.canonical() and isinstance(omit, tuple)):
            return False
        base_file = self.canonical(ref)
        if (
            base_file is None
            or base_file.model is None
            or not all(isinstance(o, str) for o in omit)
        ):
            return False
        inherited = self._inherited.get(ref)
        if inherited is None:  # once a base (neither the merge nor _omit changes it)
            inherited = {k: v for k, v in base_file.data.items() if k not in _NOT_INHERITED}
            self._inherited[ref] = inherited
        absent: list[tuple[int, str]] = []
        if omit:
            inherited = dict(inherited)
            absent = _omit(inherited, omit)
        data = {**deep_merge(inherited, file.data), "provider": pid, "model": mid}
        try:
            resolved = Offering.model_validate(data)
        except ValidationError:
            return False  # the file alone says where (or the merge, as before)
        file.deferred, file.model = False, resolved
        _report_absent(self.reporter(file), absent)
        rules.check_offering(resolved, self.reporter(file, base_file), self.today)
        self.result.offerings[(pid, mid)] = resolved
        return True

    # -- cross-file --------------------------------------------------------------------------

    def provider_rules(self, pid: str, check_all: bool) -> None:
        """Aliases, replacements and rate-limit patterns within one provider."""
        files = self.tree.offerings(pid)
        facts: dict[str, CrossFacts | None] = {}
        for mid, path in files.items():
            if not check_all and (pid, mid) not in self.result.offerings:
                # aliases of files not under check still count for collisions
                self.offering(pid, mid, path)
            offering = self.result.offerings.get((pid, mid))
            facts[mid] = CrossFacts.of_model(offering) if offering is not None else None
        pfile, provider = self.provider(pid)
        patterns = None
        if pfile is not None and provider is not None:
            patterns = [tuple(tier.models or ()) for tier in provider.rate_limits or ()]

        def listed(other: str) -> list[str] | None:
            return list(self.tree.offerings(other)) if other in self.tree.providers() else None

        for problem in provider_problems(pid, facts, patterns, listed):
            if problem.owner:
                file = self.tree.files[files[problem.owner]]
            else:
                assert pfile is not None
                file = pfile
            report_problem(self.reporter(file), problem)

    def check_provider_tree(self, pid: str) -> None:
        pfile, _ = self.provider(pid)
        if pfile is None:
            for path in self.tree.offerings(pid).values():
                self.tree.layout_diagnostics.append(
                    Diagnostic(
                        self.tree.display(path),
                        1,
                        1,
                        "LM014",
                        "",
                        f"provider `{pid}` has no provider.yaml",
                        expected=f"providers/{pid}/provider.yaml",
                    )
                )
                break
        for mid, path in self.tree.offerings(pid).items():
            self.offering(pid, mid, path)

    def finish(self) -> ValidationResult:
        diags = list(self.tree.layout_diagnostics)
        for file in self.tree.files.values():
            diags.extend(file.diagnostics)
        self.result.files_checked = len(self.tree.files)
        self.result.diagnostics = sorted_capped(diags)
        return self.result


def _omit(inherited: dict[str, Any], omit: Sequence[str]) -> list[tuple[int, str]]:
    """Drop each dotted path from ``inherited``; those it does not hold, with their index."""
    return [(i, dotted) for i, dotted in enumerate(omit) if not omit_path(inherited, dotted)]


def _report_absent(report: rules.Report, absent: list[tuple[int, str]]) -> None:
    for i, dotted in absent:
        report(
            "LM034",
            f"/base_omit/{i}",
            f"`{dotted}` is not set in the base model",
            hint="remove it from base_omit",
        )


@contextlib.contextmanager
def _batch_allocation() -> Iterator[None]:
    """Pause the cyclic garbage collector: validation allocates a few hundred thousand
    acyclic objects, and repeated generation scans of them cost about a quarter of the run.
    What the run kept then joins the oldest generation unscanned (unless the process froze
    objects of its own): re-enabled, the collector would scan all of it at the next allocation
    as young objects (~80 ms after a whole catalog)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def validate_catalog(
    root: Path | str,
    *,
    display_root: str | None = None,
    today: dt.date | None = None,
    jobs: int = 1,
) -> ValidationResult:
    """Validate every file of the catalog at ``root``.

    ``jobs > 1`` checks providers in that many forked worker processes and returns the
    diagnostics and counts only (no resolved objects): what `llmaestro validate` needs.
    """
    with _batch_allocation():
        return _validate_catalog(root, display_root=display_root, today=today, jobs=jobs)


def _validate_catalog(
    root: Path | str, *, display_root: str | None, today: dt.date | None, jobs: int
) -> ValidationResult:
    root = Path(root)
    today = today or default_today()
    tree = CatalogTree(root, display_root)
    tree.defer_based = True  # every canonical model is read here anyway
    v = _Validator(tree, today)
    if not root.is_dir():
        v.result.diagnostics.append(
            Diagnostic(str(root), 1, 1, "LM009", "", "the catalog folder does not exist")
        )
        return v.result
    tree.scan_root()
    providers = list(tree.providers())
    if not any(tree.offerings(pid) for pid in providers):
        # compiles to a bundle that load() cannot use: refused here, for validate and load()
        tree.layout_diagnostics.append(
            Diagnostic(
                tree.display_root or str(root),
                1,
                1,
                "LM042",
                "",
                "the catalog holds no offering",
                expected="at least one providers/<provider>/models/<model>.yaml",
            )
        )
    if jobs > 1 and len(providers) > 1 and hasattr(os, "fork"):
        # forked before models/ is listed: each process lists it (in parallel, not first)
        return _validate_parallel(v, providers, jobs)
    for ref in tree.canonical():
        v.canonical(ref)
    for pid in providers:
        v.check_provider_tree(pid)
        v.provider_rules(pid, check_all=True)
    return v.finish()


def _validate_parallel(v: _Validator, providers: list[str], jobs: int) -> ValidationResult:
    """Forked children check shares of the providers, the first also every canonical model
    (which each share reads what it needs of); this process adds their parts up."""
    tree = v.tree
    weights = {pid: share_weight(tree.providers()[pid]) for pid in providers}
    parts = run_shares(v, balanced(weights, jobs), _first_share)
    result = ValidationResult()
    diags: list[Diagnostic] = []
    counts = dict.fromkeys(("providers", "offerings", "canonical"), 0)
    for part_diags, files, n_providers, n_offerings, n_canonical in parts:
        diags.extend(part_diags)
        result.files_checked += files
        counts["providers"] += n_providers
        counts["offerings"] += n_offerings
        counts["canonical"] += n_canonical
    result.diagnostics = sorted_capped(diags)
    result.counts = counts
    return result


def _first_share(v: _Validator, pids: list[str]) -> Part:
    """The first share's part: every canonical model, the layout and these providers."""
    for ref in v.tree.canonical():
        v.canonical(ref)
    for pid in pids:
        v.check_provider_tree(pid)
        v.provider_rules(pid, check_all=True)
    done = v.finish()
    return (
        done.diagnostics,
        done.files_checked,
        len(done.providers),
        len(done.offerings),
        len(done.canonical),
    )


_BASE_LINE = re.compile(rb"^base:\s*['\"]?([^\s'\"#]+)", re.MULTILINE)


def validate_paths(
    paths: Sequence[Path | str], *, today: dt.date | None = None, jobs: int = 1
) -> ValidationResult:
    """Validate the given files (or folders) and whatever references them.

    Folders are whole catalogs, checked with ``jobs`` worker processes."""
    today = today or default_today()
    combined = ValidationResult()
    by_root: dict[Path, list[Path]] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir() and not path.is_symlink():
            part = validate_catalog(path, display_root=str(raw), today=today, jobs=jobs)
            absorb(combined, part)
            continue
        root = find_root(path)
        if root is None:
            combined.diagnostics.append(
                Diagnostic(
                    str(path),
                    1,
                    1,
                    "LM009",
                    "",
                    "this file is not inside a catalog",
                    expected="<catalog>/providers/<id>/provider.yaml, "
                    "<catalog>/providers/<id>/models/<model>.yaml or "
                    "<catalog>/models/<lab>/<model>.yaml",
                )
            )
            continue
        by_root.setdefault(root, []).append(path)
    for root, files in by_root.items():
        with _batch_allocation():
            absorb(combined, _validate_files(root, files, today))
    combined.diagnostics = sorted_capped(combined.diagnostics)
    return combined


def absorb(into: ValidationResult, part: ValidationResult) -> None:
    """Add what ``part`` found to ``into``."""
    into.diagnostics.extend(part.diagnostics)
    into.providers.update(part.providers)
    into.offerings.update(part.offerings)
    into.canonical.update(part.canonical)
    into.files_checked += part.files_checked
    for key, value in part.counts.items():
        into.counts[key] = into.counts.get(key, len(getattr(into, key))) + value


def _validate_files(root: Path, files: list[Path], today: dt.date) -> ValidationResult:
    tree = CatalogTree(root, str(root) if str(root) != "." else "")
    v = _Validator(tree, today)
    touched_providers: set[str] = set()
    touched_canonical: set[str] = set()
    for path in files:
        rel = path.relative_to(root).parts
        if path.is_symlink():
            tree.layout_diagnostics.append(
                Diagnostic(tree.display(path), 1, 1, "LM010", "", "symbolic links are not allowed")
            )
            continue
        if not path.name.endswith(".yaml"):
            tree._not_yaml(path)
            continue
        if rel[0] == "providers":
            touched_providers.add(_decode_or_raw(rel[1]))
        else:
            lab = _decode_or_raw(rel[1])
            model_rel = "/".join(rel[2:])[: -len(".yaml")]
            try:
                touched_canonical.add(f"{lab}/{decode_id(model_rel)}")
            except ValueError:
                tree._decode(path, model_rel)
    for ref in touched_canonical:
        v.canonical(ref)
    if touched_canonical:
        # offerings that inherit from them, found by one text scan (no YAML parsing)
        needles = {ref.encode() for ref in touched_canonical}
        for pid in tree.providers():
            for mid, path in tree.offerings(pid).items():
                read = None
                with contextlib.suppress(OSError):  # reported when the file itself is read
                    read = read_regular(path)
                raw = read[0] if read is not None else b""
                if b"base:" in raw and any(m.group(1) in needles for m in _BASE_LINE.finditer(raw)):
                    touched_providers.add(pid)
                    v.offering(pid, mid, path)
    for pid in sorted(touched_providers):
        wanted = {p for p in files if p.is_relative_to(root / "providers" / _encode(pid))}
        v.provider(pid)
        offerings = tree.offerings(pid)
        for mid, path in offerings.items():
            if path in wanted:
                v.offering(pid, mid, path)
        if tree.provider_file(pid) is None:
            v.check_provider_tree(pid)
        v.provider_rules(pid, check_all=False)
    return v.finish()


def canonical_file(tree: CatalogTree, ref: str) -> Path | None:
    """The file of canonical model ``ref`` (``lab/model``), as ``tree.canonical()`` maps it:
    until the whole listing is read, only the lab's own folder is (once a run)."""
    if tree._canonical is not None:
        return tree._canonical.get(ref)
    lab, _, model = ref.partition("/")
    models = tree.root / "models"
    if not lab or not models.is_dir():
        return None
    name = encode_segment(lab)
    path = models / name
    if path.is_symlink() or not path.is_dir():
        return None  # the whole listing says why
    return tree.lab_listing(path, name)[1].get(model)


def _encode(segment: str) -> str:
    return encode_segment(segment)


def _decode_or_raw(segment: str) -> str:
    try:
        return decode_segment(segment)
    except ValueError:
        return segment
