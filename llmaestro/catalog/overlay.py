"""Overlays: folders of provider/model YAML merged on top of a base catalog.

An overlay folder (a private catalog) has the catalog's layout (``providers/<p>/provider.yaml``,
``providers/<p>/models/<m>.yaml``, ``models/<lab>/<m>.yaml``). Its files are read and checked
by the same reader, schema and rules as the catalog's:

- A file for a provider, canonical model or offering the base already has is a *patch*,
  merged over it (mappings key by key, anything else replaced): an overlay can say only
  ``pricing: {input: 1.10}``, or a ``provider.yaml`` with only ``api: {base_url: ...}``. The
  merged result is what the schema and the rules check.
- A new offering is complete by itself, or inherits with ``base:`` from a canonical model of
  the base catalog or of an overlay (``base_omit`` as in the catalog).
- A changed canonical model reaches the offerings that inherit from it: a fact they inherited
  unchanged takes the new value, a fact they set themselves stays (an offering that repeats
  its canonical model's value is taken to inherit it).
- Every cross-file rule of the catalog (aliases, replacements, rate-limit patterns) is checked
  on the merged result of every provider an overlay touches.
- Two overlays that change the same offering conflict (LM041).

:func:`merge_overlays` is the one code path: ``llmaestro.load(overlays=...)`` raises on its
errors (:func:`apply_overlays`) and ``llmaestro validate`` prints its diagnostics, so what
validates is what loads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from llmaestro.catalog import rules
from llmaestro.catalog.diagnostics import Diagnostic
from llmaestro.catalog.model import CanonicalModel, Offering, Provider
from llmaestro.catalog.resolve import (
    CrossFacts,
    CrossProblem,
    close_match,
    deep_merge,
    file_reporter,
    omit_path,
    provider_problems,
    report_problem,
)
from llmaestro.catalog.schema_errors import pydantic_diagnostics
from llmaestro.catalog.tree import CatalogFile, CatalogTree
from llmaestro.errors import CatalogValidationError
from llmaestro.registry.core import Registry
from llmaestro.registry.lifecycle import default_today

#: YAML problems after which a file's data is not merged (as in the catalog reader)
_FATAL = frozenset({"LM001", "LM002", "LM003", "LM007", "LM008"})
_IDS = frozenset({"id", "lab", "model", "provider"})


@dataclass
class OverlayResult:
    """Everything merging overlays found; ``document`` is the merged registry document."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    document: dict[str, Any] | None = None
    files_checked: int = 0
    #: what the overlays hold (files and folders), for the summary
    providers: set[str] = field(default_factory=set)
    canonical: set[str] = field(default_factory=set)
    offerings: set[str] = field(default_factory=set)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def rebase(offering: dict[str, Any], old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """``offering`` (resolved over the canonical model ``old``) resolved over ``new``: every
    value it holds as ``old`` had it (inherited) takes ``new``'s; its own values stay."""
    out = dict(offering)
    for key in old.keys() | new.keys():
        if key in _IDS:
            continue
        was, now = old.get(key), new.get(key)
        if was == now:
            continue
        current = offering.get(key)
        if isinstance(current, dict) and all(v is None or isinstance(v, dict) for v in (was, now)):
            merged = rebase(current, was or {}, now or {})
            if merged:
                out[key] = merged
            else:
                out.pop(key)
        elif current == was:
            if now is None:
                out.pop(key, None)
            else:
                out[key] = now
    return out


def _json(model: Any) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(mode="json", exclude_none=True)
    return data


def _has_errors(file: CatalogFile) -> bool:
    return any(d.severity == "error" for d in file.diagnostics)


def _mapping(file: CatalogFile) -> dict[str, Any] | None:
    """The file's data when it can be merged: read, one mapping, no fatal YAML problem."""
    doc = file.doc
    if doc is None or not doc.decoded or not isinstance(doc.data, dict):
        return None
    if any(d.code in _FATAL for d in doc.diagnostics):
        return None
    return doc.data


class _Merge:
    def __init__(self, doc: dict[str, Any], today: dt.date) -> None:
        self.today = today
        self.doc = doc

        def plain(data: dict[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in data.items() if k != "id"}

        self.providers = {pid: plain(p) for pid, p in doc["providers"].items()}
        self.canonical = {ref: plain(c) for ref, c in doc["canonical"].items()}
        self.offerings = {f"{o['provider']}/{o['model']}": plain(o) for o in doc["offerings"]}
        self.result = OverlayResult()
        self.extra: list[Diagnostic] = []
        self.trees: list[CatalogTree] = []
        self.changed_by: dict[str, str] = {}  # offering id -> the overlay folder changing it
        self.offering_files: dict[str, CatalogFile] = {}
        self.provider_files: dict[str, CatalogFile] = {}
        self.rebased_by: dict[str, CatalogFile] = {}  # offering id -> canonical file
        self.canonical_from: dict[str, str] = {}  # canonical ref -> its overlay file
        self.touched: set[str] = set()  # providers whose cross-file rules run

    # -- reading and validating --------------------------------------------------------------

    def _validated(
        self, cls: type[Any], data: dict[str, Any], file: CatalogFile, *, strict: bool = True
    ) -> Any:
        try:
            return cls.model_validate(data, strict=strict)
        except ValidationError as exc:
            assert file.doc is not None
            reported = [d.pointer for d in file.doc.diagnostics]
            file.diagnostics.extend(
                d
                for d in pydantic_diagnostics(exc, cls, file.doc, file.display)
                if not any(d.pointer == p or d.pointer.startswith(p + "/") for p in reported)
            )
            return None

    def _model(
        self,
        file: CatalogFile,
        cls: type[Any],
        below: dict[str, Any] | None,
        ids: dict[str, str],
        omit: bool = False,
    ) -> Any:
        """The validated object of a file: the file alone when new, else merged over
        ``below`` (a patch need not be complete, so the merged result is what is checked)."""
        if below is None:
            return None if _has_errors(file) else file.model
        data = _mapping(file)
        if data is None:
            return None
        assert file.doc is not None
        reader = file.doc.diagnostics
        file.diagnostics[:] = [d for d in file.diagnostics if d.code != "LM012" or d in reader]
        start = self._validated(cls, below, file, strict=False)
        if start is None:  # an offering rebased over a changed canonical model
            return None
        native: dict[str, Any] = start.model_dump(exclude_none=True)
        base_ref = data.get("base")
        if cls is Offering and base_ref is not None and base_ref != below.get("base"):
            inherited = self._inherited(base_ref, data, file)
            if inherited is None:
                return None
            native = deep_merge(native, inherited)
        elif omit:
            self._omit(native, data, file)
        model = self._validated(cls, deep_merge(native, {**data, **ids}), file)
        return None if _has_errors(file) else model

    def _omit(self, data: dict[str, Any], top: dict[str, Any], file: CatalogFile) -> None:
        report = file_reporter(file)
        for i, dotted in enumerate(top.get("base_omit") or ()):
            if not omit_path(data, dotted):
                report(
                    "LM034",
                    f"/base_omit/{i}",
                    f"`{dotted}` is not set in the base model",
                    hint="remove it from base_omit",
                )

    def _inherited(
        self, base_ref: str, top: dict[str, Any], file: CatalogFile
    ) -> dict[str, Any] | None:
        canonical = self.canonical.get(base_ref)
        if canonical is None:
            close = close_match(base_ref, self.canonical)
            file_reporter(file)(
                "LM030",
                "/base",
                f"base model `{base_ref}` does not exist",
                expected="`<lab>/<model>` of a canonical model of the base catalog or an overlay",
                hint=f"did you mean `{close}`?" if close else None,
            )
            return None
        model = CanonicalModel.model_validate(canonical, strict=False)
        inherited = {k: v for k, v in model.model_dump(exclude_none=True).items() if k not in _IDS}
        self._omit(inherited, top, file)
        return inherited

    # -- files -------------------------------------------------------------------------------

    def canonical_file(self, tree: CatalogTree, ref: str, path: Path, pending: set[str]) -> None:
        lab, mid = ref.split("/", 1)
        file = tree.read(path, "canonical", lab, mid)
        self.result.canonical.add(ref)
        old = self.canonical.get(ref)
        model = self._model(file, CanonicalModel, old, {"lab": lab, "model": mid})
        if model is None:
            return
        rules.check_canonical(model, file_reporter(file), self.today)
        new = _json(model)
        self.canonical[ref] = new
        self.canonical_from[ref] = file.display
        if old is not None and new != old:
            self._rebase_inheritors(ref, old, new, file, pending)

    def _rebase_inheritors(
        self,
        ref: str,
        old: dict[str, Any],
        new: dict[str, Any],
        file: CatalogFile,
        pending: set[str],
    ) -> None:
        assert file.doc is not None
        for oid, offering in list(self.offerings.items()):
            if offering.get("base") != ref:
                continue
            rebased = rebase(offering, old, new)
            if rebased == offering:
                continue
            self.touched.add(offering["provider"])
            self.rebased_by[oid] = file
            self.offerings[oid] = rebased
            if oid in pending:  # its own overlay file follows, and is checked then
                continue
            suffix = f" (in `{oid}`, which inherits it)"
            try:
                model = Offering.model_validate(rebased, strict=False)
            except ValidationError as exc:
                found = pydantic_diagnostics(exc, Offering, file.doc, file.display)
                file.diagnostics.extend(replace(d, message=d.message + suffix) for d in found)
                continue
            rules.check_offering(model, file_reporter(file, suffix=suffix), self.today)
            self.offerings[oid] = _json(model)

    def provider_file(self, tree: CatalogTree, pid: str, path: Path) -> None:
        file = tree.read(path, "provider", pid, "")
        self.provider_files[pid] = file
        self.touched.add(pid)
        model = self._model(file, Provider, self.providers.get(pid), {"provider": pid})
        if model is None:
            return
        rules.check_provider(model, file_reporter(file))
        self.providers[pid] = _json(model)

    def offering_file(self, tree: CatalogTree, folder: str, pid: str, mid: str, path: Path) -> None:
        oid = f"{pid}/{mid}"
        file = tree.read(path, "offering", pid, mid)
        self.result.offerings.add(oid)
        self.touched.add(pid)
        if oid in self.changed_by:
            file.diagnostics.append(
                Diagnostic(
                    file.display,
                    1,
                    1,
                    "LM041",
                    "",
                    f"`{oid}` is also changed by the overlay {self.changed_by[oid]}",
                    hint="keep one overlay per offering, or merge the two files",
                )
            )
            return
        self.changed_by[oid] = folder
        self.offering_files[oid] = file
        below = self.offerings.get(oid)
        inherited_from = None
        ids = {"provider": pid, "model": mid}
        if below is not None:
            model = self._model(file, Offering, below, ids, omit=True)
        elif _has_errors(file) or file.model is None:
            return
        elif isinstance(file.model, Offering):
            model = file.model
        else:
            data = _mapping(file)
            assert data is not None and file.model.base is not None
            inherited = self._inherited(file.model.base, data, file)
            if inherited is None:
                return
            model = self._validated(Offering, deep_merge(inherited, {**data, **ids}), file)
            inherited_from = self.canonical_from.get(file.model.base, f"`{file.model.base}`")
        if model is None or _has_errors(file):
            return
        rules.check_offering(model, file_reporter(file, inherited_from), self.today)
        self.offerings[oid] = _json(model)

    def folder(self, folder: Path, display: str) -> None:
        if not folder.is_dir():
            what = "is not a folder" if folder.exists() else "does not exist"
            self.extra.append(
                Diagnostic(
                    display,
                    1,
                    1,
                    "LM009",
                    "",
                    f"the overlay folder {what}",
                    expected="a folder laid out like the catalog (providers/, models/)",
                )
            )
            return
        tree = CatalogTree(folder, display)
        self.trees.append(tree)
        tree.scan_root()
        providers = tree.providers()
        pending = {f"{pid}/{mid}" for pid in providers for mid in tree.offerings(pid)}
        for ref, path in tree.canonical().items():
            self.canonical_file(tree, ref, path, pending)
        for pid, pfolder in providers.items():
            self.result.providers.add(pid)
            ppath = tree.provider_file(pid)
            if ppath is not None:
                self.provider_file(tree, pid, ppath)
            elif pid not in self.providers:
                self.extra.append(
                    Diagnostic(
                        tree.display(pfolder),
                        1,
                        1,
                        "LM014",
                        "",
                        f"provider `{pid}` is neither in the base catalog nor in this overlay",
                        expected=f"providers/{pid}/provider.yaml",
                    )
                )
                continue
            for mid, path in tree.offerings(pid).items():
                self.offering_file(tree, str(folder), pid, mid, path)

    # -- cross-file rules --------------------------------------------------------------------

    def cross_rules(self) -> None:
        index: dict[str, dict[str, dict[str, Any]]] = {}
        for oid, offering in self.offerings.items():
            pid, mid = oid.split("/", 1)
            index.setdefault(pid, {})[mid] = offering

        def listed(other: str) -> list[str] | None:
            return list(index[other]) if other in index or other in self.providers else None

        for pid in sorted(self.touched):
            offerings = dict(sorted(index.get(pid, {}).items()))
            facts: dict[str, CrossFacts | None] = {
                mid: CrossFacts.of_json(o) for mid, o in offerings.items()
            }
            provider = self.providers.get(pid)
            patterns = None
            if provider is not None:
                patterns = [tuple(t.get("models") or ()) for t in provider.get("rate_limits") or ()]
            for problem in provider_problems(pid, facts, patterns, listed):
                self._attribute(pid, problem)

    def _attribute(self, pid: str, problem: CrossProblem) -> None:
        oid = f"{pid}/{problem.owner}"
        own = self.offering_files.get(oid) if problem.owner else self.provider_files.get(pid)
        if own is not None and own.doc is not None:
            report_problem(file_reporter(own), problem)
            return
        # the problem sits on something of the base catalog, caused by an overlay: it is shown
        # on the overlay file involved
        other = self.offering_files.get(f"{pid}/{problem.other}") if problem.other else None
        if other is not None and other.doc is not None and problem.value is not None:
            # an overlay offering's id or alias that a base offering already has as an alias
            aliases = list((_mapping(other) or {}).get("aliases") or ())
            ptr = f"/aliases/{aliases.index(problem.value)}" if problem.value in aliases else ""
            file_reporter(other)(
                problem.code,
                ptr,
                f"`{problem.value}` is already an alias of `{oid}` in the base catalog",
                hint=f"choose another id or alias, or patch `{oid}`",
            )
            return
        candidates = [
            self.offering_files.get(f"{pid}/{problem.other}") if problem.other else None,
            self.rebased_by.get(oid) if problem.owner else None,
            *(f for o, f in sorted(self.offering_files.items()) if o.startswith(pid + "/")),
            self.provider_files.get(pid),
        ]
        file = next((f for f in candidates if f is not None and f.doc is not None), None)
        if file is None:  # pragma: no cover - a touched provider has an overlay file
            return
        what = f"`{oid}`" if problem.owner else f"provider `{pid}`"
        file.diagnostics.append(
            Diagnostic(
                file.display,
                1,
                1,
                problem.code,
                "",
                f"{what} of the base catalog, {problem.pointer}: {problem.message}",
                expected=problem.expected,
            )
        )

    def finish(self) -> OverlayResult:
        diags = list(self.extra)
        for tree in self.trees:
            diags.extend(tree.layout_diagnostics)
            for file in tree.files.values():
                diags.extend(file.diagnostics)
            self.result.files_checked += len(tree.files)
        self.result.diagnostics = sorted(set(diags), key=Diagnostic.sort_key)
        if self.result.ok:
            doc = dict(self.doc)
            doc["providers"] = self.providers
            doc["canonical"] = self.canonical
            doc["offerings"] = [self.offerings[k] for k in sorted(self.offerings)]
            doc["fingerprint"] = None
            self.result.document = doc
        return self.result


def merge_overlays(
    registry: Registry,
    folders: Sequence[tuple[Path, str]],
    *,
    today: dt.date | None = None,
) -> OverlayResult:
    """Merge each overlay folder, in order, over ``registry``; ``folders`` are (path, how
    diagnostics name it) pairs."""
    merge = _Merge(registry.to_document(), today or default_today())
    for folder, display in folders:
        merge.folder(folder, display)
    merge.cross_rules()
    return merge.finish()


def apply_overlays(
    registry: Registry,
    dirs: Sequence[Path],
    *,
    include_retired: bool = False,
    today: dt.date | None = None,
) -> Registry:
    """A new registry: ``registry`` with every overlay folder merged on top, in order.

    Raises :class:`~llmaestro.errors.CatalogValidationError` with every error found."""
    result = merge_overlays(registry, [(Path(d), str(d)) for d in dirs], today=today)
    if result.document is None:
        raise CatalogValidationError(result.errors)
    return Registry.from_document(
        result.document,
        source=f"{registry.info.source} + overlays",
        include_retired=include_retired,
        today=today if today is not None else registry.today,
    )
