"""Overlays: folders of provider/model YAML merged on top of a registry.

An overlay folder has the catalog's layout (``providers/<p>/provider.yaml``,
``providers/<p>/models/<m>.yaml``, ``models/<lab>/<m>.yaml``). Its files are read and checked
by exactly the same reader, schema and rules as the catalog's. A file for an offering or
provider the registry already has is merged over it (so an overlay can say only
``pricing: {input: 1.10}``); a new offering may inherit with ``base:`` from a canonical model
of the registry or of the overlay. Two overlays that change the same offering conflict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from llmaestro.catalog import rules
from llmaestro.catalog.diagnostics import Diagnostic
from llmaestro.catalog.model import CanonicalModel, Offering, Provider
from llmaestro.catalog.schema_errors import pydantic_diagnostics
from llmaestro.catalog.tree import CatalogFile, CatalogTree
from llmaestro.catalog.validate import deep_merge, omit_path
from llmaestro.errors import CatalogValidationError
from llmaestro.registry.core import Registry


def _plain(value: Any) -> Any:
    """YAML-read values to the registry document's JSON form."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, bool | int | str) or value is None:
        return value
    return str(value)  # Decimal, date


def apply_overlays(
    registry: Registry,
    dirs: Sequence[Path],
    *,
    include_retired: bool = False,
    today: dt.date | None = None,
) -> Registry:
    """A new registry: ``registry`` with every overlay folder merged on top, in order."""
    today = today or dt.datetime.now(dt.UTC).date()
    doc = registry.to_document()
    providers: dict[str, Any] = doc["providers"]
    canonical: dict[str, Any] = doc["canonical"]
    offerings = {f"{o['provider']}/{o['model']}": o for o in doc["offerings"]}
    touched: dict[str, str] = {}
    problems: list[Diagnostic] = []

    def schema_checked(file: CatalogFile) -> bool:
        problems.extend(d for d in file.diagnostics if d.severity == "error")
        return file.model is not None and not file.diagnostics

    def report_for(file: CatalogFile) -> rules.Report:
        def report(code: str, ptr: str, message: str, **kw: Any) -> None:
            if kw.pop("severity", "error") != "error":
                return
            assert file.doc is not None
            line, column = file.doc.position(ptr)
            problems.append(Diagnostic(file.display, line, column, code, ptr, message, **kw))

        return report

    for folder in dirs:
        if not folder.is_dir():
            problems.append(
                Diagnostic(str(folder), 1, 1, "LM009", "", "the overlay folder does not exist")
            )
            continue
        tree = CatalogTree(folder, str(folder))
        tree.scan_root()
        for ref, path in tree.canonical().items():
            lab, mid = ref.split("/", 1)
            file = tree.read(path, "canonical", lab, mid)
            if schema_checked(file):
                data = _plain({**file.data, "lab": lab, "model": mid})
                merged = deep_merge(canonical.get(ref, {}), data)
                model = _validated(CanonicalModel, merged, file, problems)
                if model is not None:
                    rules.check_canonical(model, report_for(file), today)
                    canonical[ref] = merged
        for pid in tree.providers():
            ppath = tree.provider_file(pid)
            if ppath is not None:
                file = tree.read(ppath, "provider", pid, "")
                if schema_checked(file):
                    merged = deep_merge(providers.get(pid, {}), _plain(file.data))
                    merged["provider"] = pid
                    model = _validated(Provider, merged, file, problems)
                    if model is not None:
                        rules.check_provider(model, report_for(file))
                        providers[pid] = merged
            elif pid not in providers:
                problems.append(
                    Diagnostic(
                        tree.display(tree.providers()[pid]),
                        1,
                        1,
                        "LM014",
                        "",
                        f"provider `{pid}` is neither in the catalog nor in this overlay",
                        expected=f"providers/{pid}/provider.yaml",
                    )
                )
                continue
            for mid, path in tree.offerings(pid).items():
                oid = f"{pid}/{mid}"
                file = tree.read(path, "offering", pid, mid)
                if not schema_checked(file):
                    continue
                if oid in touched:
                    problems.append(
                        Diagnostic(
                            file.display,
                            1,
                            1,
                            "LM041",
                            "",
                            f"`{oid}` is also changed by the overlay {touched[oid]}",
                            hint="keep one overlay per offering, or merge the two files",
                        )
                    )
                    continue
                touched[oid] = str(folder)
                top = _plain(file.data)
                below: dict[str, Any] = offerings.get(oid, {})
                base_ref = top.get("base")
                if base_ref is not None and base_ref != below.get("base"):
                    if base_ref not in canonical:
                        report_for(file)(
                            "LM030", "/base", f"base model `{base_ref}` does not exist"
                        )
                        continue
                    inherited = {
                        k: v
                        for k, v in canonical[base_ref].items()
                        if k not in ("id", "lab", "model")
                    }
                    for dotted in top.get("base_omit") or ():
                        omit_path(inherited, dotted)
                    below = deep_merge(below, inherited)
                merged = deep_merge(below, top)
                merged["provider"], merged["model"] = pid, mid
                model = _validated(Offering, merged, file, problems)
                if model is not None:
                    rules.check_offering(model, report_for(file), today)
                    offerings[oid] = merged
    if layout := [d for d in _layout(dirs) if d.severity == "error"]:
        problems.extend(layout)
    if problems:
        raise CatalogValidationError(sorted(set(problems), key=Diagnostic.sort_key))
    doc["offerings"] = [offerings[k] for k in sorted(offerings)]
    doc["fingerprint"] = None
    return Registry.from_document(
        doc, source=f"{registry.info.source} + overlays", include_retired=include_retired
    )


def _layout(dirs: Sequence[Path]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for folder in dirs:
        if folder.is_dir():
            tree = CatalogTree(folder, str(folder))
            tree.scan_root()
            for pid in tree.providers():
                tree.offerings(pid)
            tree.canonical()
            out.extend(tree.layout_diagnostics)
    return out


def _validated(
    cls: type[Any], data: dict[str, Any], file: CatalogFile, problems: list[Diagnostic]
) -> Any:
    try:
        return cls.model_validate(data, strict=False)
    except ValidationError as exc:
        assert file.doc is not None
        problems.extend(pydantic_diagnostics(exc, cls, file.doc, file.display))
        return None
