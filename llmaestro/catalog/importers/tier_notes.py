"""Hand-checked notes on price tiers above the window a provider sells (LM022).

A source may give an offering a long-context tier its provider cannot bill: LiteLLM copies
OpenAI's >272K tier onto Bedrock's GPT-5.4, whose window is 272K; models.dev keeps Opus 4.6's
>200K surcharge on Azure after Anthropic ended it. The sanitizer drops such a tier (LM022);
``data/manual/context_tiers.yaml`` says why, per provider, model and threshold, with the page
that states it and the day it was checked, and where the provider's window or the day its
current prices started is known to differ from the sources', states that too.

* :func:`load_tier_notes` reads the file (an absent file: no notes);
* :func:`note_for` finds the note of one tier (the import report then gives the note's reason
  instead of the generic LM022 text);
* :func:`apply_tier_notes` writes each note's ``context`` (``limits.context``) and
  ``effective`` (``pricing.effective``) onto the offerings it names, logged; a note with
  ``history_from`` keeps the tier it ended as history: one ``pricing.history`` entry from that
  day (``release``: the offering's release day) to the day before ``effective``, with the
  current base prices (which the tier's end left as they were) and the tier. The tier is then
  "moved" in the report, not dropped.

A tier a provider sells behind a request option is not dropped: that window is
``limits.extended_context`` (:mod:`~llmaestro.catalog.importers.context`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llmaestro.catalog.importers.manual_table import ManualError, read_table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from llmaestro.catalog.importers.builder import Builder
    from llmaestro.catalog.importers.common import Facts
    from llmaestro.catalog.importers.draft import Draft

__all__ = ["TIERS_FILE", "TierNote", "apply_tier_notes", "explainer", "load_tier_notes", "note_for"]

#: The hand-checked notes, in the overlay folder.
TIERS_FILE = "context_tiers.yaml"

_KEYS = frozenset(
    {
        "provider",
        "models",
        "above_tokens",
        "reason",
        "url",
        "checked",
        "context",
        "effective",
        "history_from",
    }
)
#: ``history_from: release``: from the offering's own release day
RELEASE = "release"
_DAY = dt.timedelta(days=1)
#: what a history entry does not copy from the current prices
_NOT_FLAT = frozenset({"tiers", "service_tiers", "effective", "history", "provenance"})


@dataclass(frozen=True)
class TierNote:
    """Tiers above ``above_tokens`` of these offerings are dropped, for ``reason``."""

    provider: str
    models: frozenset[str]
    above_tokens: int
    reason: str
    url: str
    checked: dt.date
    context: int | None = None
    """The window the provider sells by default, where the sources state another."""
    effective: dt.date | None = None
    """The first day of the current prices (the tier's end), where known."""
    history_from: dt.date | str | None = None
    """The first day the tier applied (:data:`RELEASE`: the offering's release day): the tier
    is kept in ``pricing.history`` until the day before :attr:`effective`."""

    def names(self, provider: str, model: str) -> bool:
        return provider == self.provider and model in self.models

    @property
    def origin(self) -> str:
        return f"data/manual/{TIERS_FILE} ({self.url}, checked {self.checked})"


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def load_tier_notes(manual_dir: Path | None) -> tuple[TierNote, ...]:
    """The notes of ``manual_dir / context_tiers.yaml`` (none when the file is absent)."""
    out: list[TierNote] = []
    for where, entry in read_table(manual_dir, TIERS_FILE, "tiers", _KEYS):
        provider, models = entry.get("provider"), entry.get("models")
        above, reason = _int(entry.get("above_tokens")), entry.get("reason")
        url, checked = entry.get("url"), entry.get("checked")
        if not isinstance(provider, str) or not isinstance(models, list | tuple) or not models:
            raise ManualError(f"{where}: needs `provider` and a list of `models`")
        if above is None or not isinstance(reason, str) or not reason.strip():
            raise ManualError(f"{where}: needs `above_tokens` (a token count) and a `reason`")
        if not isinstance(url, str) or not isinstance(checked, dt.date):
            raise ManualError(f"{where}: needs the `url` that states it and `checked`")
        context, effective = entry.get("context"), entry.get("effective")
        if context is not None and _int(context) is None:
            raise ManualError(f"{where}.context: a token count")
        if effective is not None and not isinstance(effective, dt.date):
            raise ManualError(f"{where}.effective: a date")
        history_from = entry.get("history_from")
        if history_from is not None:
            if history_from != RELEASE and not isinstance(history_from, dt.date):
                raise ManualError(f"{where}.history_from: a date, or `{RELEASE}`")
            if effective is None:
                raise ManualError(f"{where}.history_from: needs `effective` (the tier's end)")
            if isinstance(history_from, dt.date) and history_from >= effective:
                raise ManualError(f"{where}.history_from: must be before `effective`")
        out.append(
            TierNote(
                provider,
                frozenset(str(m) for m in models),
                above,
                " ".join(reason.split()),
                url,
                checked,
                context,
                effective,
                history_from,
            )
        )
    return tuple(out)


def note_for(
    notes: tuple[TierNote, ...], provider: str, model: str, above_tokens: Any
) -> TierNote | None:
    """The note of the tier above ``above_tokens`` of ``provider/model``, if any."""
    return next(
        (n for n in notes if n.names(provider, model) and n.above_tokens == above_tokens), None
    )


def explainer(
    notes: tuple[TierNote, ...],
    provider: str | None,
    model: str | None,
    retired: dict[tuple[str, str, int], Any] | None = None,
) -> Callable[[str, Any], tuple[str, str] | None] | None:
    """For the sanitizer: ``(why, removed value) -> (the tier's own reason, action)`` for an
    LM022 drop a note names (None: keep the generic text). A tier the note keeps as history
    is put in ``retired`` (for :func:`apply_tier_notes`) and reported as moved."""
    if not notes or provider is None or model is None:
        return None
    mine = tuple(n for n in notes if n.names(provider, model))
    if not mine:
        return None

    def explain(why: str, value: Any) -> tuple[str, str] | None:
        if not why.startswith("LM022") or not isinstance(value, dict):
            return None
        note = note_for(mine, provider, model, value.get("above_tokens"))
        if note is None:
            return None
        reason = f"LM022 {note.reason} ({note.url}, checked {note.checked})"
        if note.history_from is None or retired is None or note.effective is None:
            return reason, "dropped"
        retired[(provider, model, note.above_tokens)] = value
        return f"{reason}: kept in pricing.history until {note.effective - _DAY}", "moved"

    return explain


def apply_tier_notes(builder: Builder) -> None:
    """Write each note's window and price start day onto the offerings it names."""
    log = builder.log
    for note in builder.manual.tier_notes:
        for model in sorted(note.models):
            draft = builder.find(note.provider, model)
            if draft is None:
                log.change(
                    f"{note.provider}/{model}",
                    "pricing.tiers",
                    note.above_tokens,
                    note.origin,
                    "a hand-checked tier note names no offering of the import",
                    action="ignored",
                )
                continue
            if note.context is not None:
                limits = draft.facts.setdefault("limits", {})
                old = limits.get("context")
                if old != note.context:
                    log.change(
                        draft.target,
                        "limits.context",
                        old,
                        note.origin,
                        f"the provider's window is {note.context}",
                        action="corrected",
                    )
                limits["context"] = note.context
                draft.field_origin[("limits", "context")] = note.origin
            pricing = draft.facts.get("pricing")
            if note.effective is not None and isinstance(pricing, dict):
                if pricing.get("effective") != note.effective:
                    log.change(
                        draft.target,
                        "pricing.effective",
                        note.effective,
                        note.origin,
                        "the first day of the current prices (the tier's end)",
                        action="added",
                    )
                pricing["effective"] = note.effective
                provenance = pricing.setdefault("provenance", [])
                source = {"source": "manual", "url": note.url, "checked": note.checked}
                if source not in provenance:
                    provenance.append(source)
                draft.field_origin[("pricing", "effective")] = note.origin
                if note.history_from is not None:
                    _keep_as_history(builder, draft, note, pricing)


def _keep_as_history(builder: Builder, draft: Draft, note: TierNote, pricing: Facts) -> None:
    """The tier ``note`` ended, with the current base prices, as the one history entry."""
    assert note.effective is not None  # load_tier_notes: history_from needs it
    tier = builder.retired_tiers.get((note.provider, draft.model, note.above_tokens))
    start = note.history_from
    if start == RELEASE:
        life = draft.facts.get("lifecycle")
        start = life.get("release_date") if isinstance(life, dict) else None
    if tier is None:
        why = "no source gave the tier this note ends"
    elif not isinstance(start, dt.date):
        why = "the offering's release day is unknown"
    elif start >= note.effective:
        why = f"the tier's first day ({start}) is not before its end"
    elif pricing.get("history"):
        why = "the offering's prices already have a history"
    else:
        _add_history(builder, draft, note, pricing, start, tier)
        return
    builder.log.change(
        draft.target, "pricing.history", start, note.origin, f"not kept: {why}", "ignored"
    )


def _add_history(
    builder: Builder, draft: Draft, note: TierNote, pricing: Facts, start: dt.date, tier: Any
) -> None:
    """One history entry: the current base prices and ``tier``, ``start`` to the tier's end."""
    assert note.effective is not None
    flat = {k: v for k, v in pricing.items() if k not in _NOT_FLAT}
    entry = {"effective": start, "until": note.effective - _DAY, **flat, "tiers": [dict(tier)]}
    pricing["history"] = [entry]
    draft.field_origin[("pricing", "history")] = note.origin
    builder.log.change(
        draft.target,
        "pricing.history",
        f"{start}..{note.effective - _DAY}",
        note.origin,
        f"the tier above {note.above_tokens} tokens, over the current base prices, until "
        "the day it ended",
        action="added",
    )
