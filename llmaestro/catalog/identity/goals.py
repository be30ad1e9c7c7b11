"""The identity goal on the well-known models, measured on a loaded catalog (issue 15).

* :func:`well_known_report` — for each well-known model (:data:`WELL_KNOWN`: each Claude,
  GPT, o-series, Gemini, Llama, DeepSeek, Qwen, gpt-oss, GLM and Kimi generation sold by
  several providers) the offerings whose id names it (by the rule table's match key) and how
  many of them are linked to it, or to one of its dated snapshots (goal: ≥ 95 %), or to
  another model (goal: none).

It returns a plain frozen dataclass; ``llmaestro stats`` prints it beside the measures of
:mod:`llmaestro.registry.stats` (the linked share and the unknown-context shares).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from llmaestro.catalog.identity.normalise import normalise

TYPE_CHECKING = False
if TYPE_CHECKING:
    from llmaestro.registry import Registry

#: The well-known models, by the id their lab gives them (compared by match key, so
#: `llama-3.1-8b` covers `meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo`).
WELL_KNOWN: tuple[str, ...] = (
    *("claude-3-5-haiku", "claude-3-7-sonnet", "claude-sonnet-4", "claude-opus-4"),
    *("claude-opus-4-1", "claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-5"),
    *("claude-opus-4-6", "claude-sonnet-4-6"),
    *("gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4-turbo"),
    *("gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-5.1", "gpt-5.2", "gpt-3.5-turbo"),
    *("o1", "o3", "o3-mini", "o4-mini", "o3-pro"),
    *("gemini-2.0-flash", "gemini-2.0-flash-lite", "gemini-2.5-pro", "gemini-2.5-flash"),
    *("gemini-2.5-flash-lite", "gemini-3-pro-preview", "gemini-3-flash-preview"),
    *("llama-3-8b", "llama-3-70b", "llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b"),
    *("llama-3.2-1b", "llama-3.2-3b", "llama-3.3-70b", "llama-4-scout-17b"),
    "llama-4-maverick-17b",
    *("deepseek-v3", "deepseek-r1", "deepseek-v3.1", "deepseek-v3.2", "deepseek-chat"),
    *("qwen3-32b", "qwen3-235b-a22b", "qwen3-30b-a3b", "qwen3-8b", "qwen2.5-72b"),
    *("qwen3-coder-480b-a35b", "qwen2.5-coder-32b"),
    *("gpt-oss-20b", "gpt-oss-120b"),
    *("glm-4.5", "glm-4.5-air", "glm-4.6", "glm-4.7", "glm-5"),
    *("kimi-k2", "kimi-k2.5", "kimi-k2-thinking"),
)


@dataclass(frozen=True)
class WellKnownModel:
    """One well-known model and the offerings whose id names it."""

    name: str
    """The model as :data:`WELL_KNOWN` names it."""
    ref: str | None
    """Its canonical model (`lab/model`), None when the catalog has none."""
    offerings: int
    """Offerings whose id names it."""
    linked: int
    """Of those, linked to ``ref`` or to a dated snapshot of it."""
    wrong: tuple[str, ...]
    """Of those, the ones (`provider/model`) linked to another model."""
    providers: int
    """Providers selling it."""

    @property
    def unlinked(self) -> int:
        """Offerings naming it with no canonical model."""
        return self.offerings - self.linked - len(self.wrong)


@dataclass(frozen=True)
class WellKnownReport:
    """The well-known models sold by two or more providers."""

    models: tuple[WellKnownModel, ...]
    """One entry per model, in :data:`WELL_KNOWN` order."""

    @property
    def offerings(self) -> int:
        """Offerings naming a well-known model."""
        return sum(m.offerings for m in self.models)

    @property
    def linked(self) -> int:
        """Of those, linked to the model they name."""
        return sum(m.linked for m in self.models)

    @property
    def wrong(self) -> int:
        """Of those, linked to another model (goal: 0)."""
        return sum(len(m.wrong) for m in self.models)

    @property
    def share(self) -> float:
        """``linked / offerings`` (goal: ≥ 0.95)."""
        return self.linked / self.offerings if self.offerings else 0.0


@dataclass(frozen=True)
class Row:
    """What the measures read of one offering."""

    id: str
    """`provider/model`."""
    kind: str | None
    base: str | None
    context: int | None
    max_input: int | None = None


def rows_of(registry: Registry) -> list[Row]:
    """Every offering of ``registry`` as a :class:`Row`."""
    out = []
    for o in registry:
        limits = o.limits
        context = limits.context if limits is not None else None
        max_input = limits.max_input if limits is not None else None
        out.append(Row(f"{o.provider}/{o.model}", o.kind, o.base, context, max_input))
    return out


def snapshots_of(registry: Registry) -> dict[str, str]:
    """canonical ref -> the model it is a snapshot of (only those with `snapshot_of`)."""
    out = {}
    for ref in registry.canonical_ids:
        of = registry.canonical_model(ref).snapshot_of
        if of is not None:
            out[ref] = of
    return out


def well_known_report(registry: Registry) -> WellKnownReport:
    """The well-known models sold by two or more providers, and how their offerings link."""
    return well_known_of(rows_of(registry), registry.canonical_ids, snapshots_of(registry))


def well_known_of(
    rows: Iterable[Row], canonical: Iterable[str], snapshot_of: Mapping[str, str]
) -> WellKnownReport:
    """:func:`well_known_report` on plain rows and canonical refs."""
    wanted = {normalise(name)[0].key: name for name in WELL_KNOWN}
    refs: dict[str, list[str]] = {}
    for ref in sorted(canonical):
        cand = normalise(ref.split("/", 1)[1])[0]
        if cand.key in wanted and ref not in snapshot_of:
            refs.setdefault(cand.key, []).append(ref)
    naming: dict[str, list[Row]] = {k: [] for k in wanted}
    for row in rows:
        for cand in normalise(row.id.split("/", 1)[1]):
            if cand.key in wanted:
                naming[cand.key].append(row)
                break
    models = []
    for key, name in wanted.items():
        found = naming[key]
        providers = {r.id.split("/", 1)[0] for r in found}
        if len(providers) < 2:
            continue
        model: str | None = refs[key][0] if len(refs.get(key, [])) == 1 else None
        linked, wrong = 0, []
        for row in found:
            if row.base is None:
                continue
            if model is not None and snapshot_of.get(row.base, row.base) == model:
                linked += 1
            else:
                wrong.append(row.id)
        models.append(WellKnownModel(name, model, len(found), linked, tuple(wrong), len(providers)))
    return WellKnownReport(tuple(models))
