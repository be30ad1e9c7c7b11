"""Applying a drift plan: validation on a staging copy of the catalog, then one transaction
that writes every file or none.

:func:`validate_plan` checks the edited files, and what references them, on a staging copy
of the part of the catalog that reads (:mod:`llmaestro.refresh.stage`; a file with errors is
held back: its edit dropped and reported); :func:`apply_plan` writes what passed as one transaction
(:mod:`llmaestro.refresh.transaction`: all files or none, also under ``SIGTERM``/``SIGINT``);
:meth:`AppliedEdits.rollback` undoes a completed write.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from llmaestro.catalog.validate import validate_paths
from llmaestro.refresh.drift import DriftError, DriftPlan, Guard, HeldBack
from llmaestro.refresh.stage import staged
from llmaestro.refresh.transaction import commit, journal_path

__all__ = ["AppliedEdits", "apply_plan", "validate_plan"]


def validate_plan(plan: DriftPlan) -> DriftPlan:
    """Check the edited files and what references them on a staging copy of what that
    validation reads (:func:`~llmaestro.refresh.stage.staged`). A file with errors is held
    back (its edit dropped and reported); errors no file of the plan explains drop every
    edit (``plan.refused``). The real catalog is not touched."""
    if not plan.edits or plan.refused:
        plan.validated = True
        return plan
    pending = dict(plan.edits)
    with staged(plan.root, {rel: edit.after for rel, edit in pending.items()}) as stage:
        for _ in range(len(pending) + 1):
            if not pending:
                break
            result = validate_paths([stage.root / rel for rel in pending], today=plan.today)
            if not result.errors:
                break
            prefix = str(stage.root).rstrip("/") + "/"
            failing: dict[str, list[str]] = {}
            stray: list[str] = []
            for diag in result.errors:
                rel = diag.path[len(prefix) :] if diag.path.startswith(prefix) else diag.path
                if rel in pending:
                    failing.setdefault(rel, []).append(diag.format().replace(prefix, ""))
                else:
                    stray.append(diag.format().replace(prefix, ""))
            if not failing:
                plan.refused = "refused: the edits break validation elsewhere: " + "; ".join(
                    stray[:3]
                )
                plan.guards.append(Guard("validation", False, plan.refused))
                plan.edits = {}
                plan.validated = True
                return plan
            for rel, messages in failing.items():
                edit = pending.pop(rel)
                plan.held_back.append(HeldBack(edit.offering, rel, "; ".join(messages[:3])))
                stage.put(rel, edit.before)
        plan.edits = pending
    count = len(plan.edits)
    detail = f"{count} changed file(s) pass validation on a staging copy of the catalog"
    if plan.held_back:
        detail += f"; {len(plan.held_back)} held back (see below)"
    plan.guards.append(Guard("validation", True, detail))
    plan.validated = True
    return plan


@dataclass
class AppliedEdits:
    """Files written by :func:`apply_plan`; :meth:`rollback` restores them."""

    root: Path
    originals: dict[Path, str | None] = field(default_factory=dict)
    created_dirs: list[Path] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        return list(self.originals)

    def rollback(self) -> None:
        """Restore every file as it was before :func:`apply_plan` (one transaction too)."""
        changes: dict[Path, tuple[bytes | None, bytes]] = {}
        for path, text in self.originals.items():
            if text is not None:
                changes[path] = (path.read_bytes() if path.exists() else None, text.encode())
        if changes:
            commit(self.root, changes)
        for path, text in self.originals.items():
            if text is None:
                path.unlink(missing_ok=True)
        for folder in reversed(self.created_dirs):
            with contextlib.suppress(OSError):
                folder.rmdir()
        self.originals.clear()
        self.created_dirs.clear()


def apply_plan(plan: DriftPlan) -> AppliedEdits:
    """Write the validated edits to the catalog as one transaction
    (:func:`llmaestro.refresh.transaction.commit`): on an error, ``SIGTERM`` or ``SIGINT``
    every file is restored before the error (or :class:`~.transaction.Interrupted`)
    propagates. Refuses a plan that was not validated, and a file whose text changed on disk
    since the plan was made (nothing written)."""
    if not plan.validated:
        raise DriftError("validate_plan() must run before apply_plan()")
    applied = AppliedEdits(plan.root)
    changes: dict[Path, tuple[bytes | None, bytes]] = {}
    for edit in plan.edits.values():
        path = plan.root / edit.file
        current = path.read_text("utf-8") if path.exists() else None
        if current != edit.before:
            raise DriftError(f"{edit.file} changed on disk since the comparison; run again")
        folder = path.parent
        missing = []
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        applied.created_dirs.extend(d for d in reversed(missing) if d not in applied.created_dirs)
        applied.originals[path] = current
        changes[path] = (None if current is None else current.encode(), edit.after.encode())
    if not changes:
        return applied
    try:
        commit(plan.root, changes)
    except FileExistsError as exc:
        if Path(exc.filename or "") == journal_path(plan.root):
            raise DriftError(
                f"another run is writing this catalog ({exc.filename} exists); "
                "run again when it has finished"
            ) from None
        raise
    return applied
