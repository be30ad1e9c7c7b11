"""What an import builds: one :class:`Draft` per offering, and the :class:`Built` catalog."""

from __future__ import annotations

from dataclasses import dataclass, field

from llmaestro.catalog.importers.common import Facts, ImportLog, SourceInfo

Key = tuple[str, str]


@dataclass
class Draft:
    """One offering while the import builds it: resolved facts (nothing inherited left out)."""

    provider: str
    model: str
    facts: Facts
    origin: str
    """Where the facts come from by default (a models.dev path or a LiteLLM key)."""
    base: str | None = None
    sources: list[str] = field(default_factory=list)
    base_declared: bool = False
    """The source names the base (models.dev `base_model`); else it was found from the id."""
    field_origin: dict[tuple[str, ...], str] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    litellm_keys: list[str] = field(default_factory=list)

    @property
    def target(self) -> str:
        return f"{self.provider}/{self.model}"

    def origin_of(self, path: tuple[str | int, ...]) -> str:
        parts = tuple(str(p) for p in path)
        for n in range(len(parts), 0, -1):
            found = self.field_origin.get(parts[:n])
            if found is not None:
                return found
        return self.origin


@dataclass
class Built:
    """The merged catalog, ready to write."""

    sources: list[SourceInfo]
    log: ImportLog
    providers: dict[str, Facts] = field(default_factory=dict)
    canonical: dict[str, Facts] = field(default_factory=dict)
    offerings: dict[Key, Draft] = field(default_factory=dict)
    #: file data (what is written) of each offering, after compaction
    offering_files: dict[Key, Facts] = field(default_factory=dict)
    #: chat offerings identity resolution left without a canonical model -> why
    unlinked: dict[Key, str] = field(default_factory=dict)
    #: canonical models identity resolution made from the offerings that sell them
    made_canonical: list[str] = field(default_factory=list)


def same_model(provider: str, model: str, canonical: set[str] | dict[str, Facts]) -> str | None:
    """The canonical model an offering is, when its id says so: the lab's own API serving the
    model under its id (`openai` + `gpt-4o`), or a gateway naming it `<lab>/<model>`."""
    if f"{provider}/{model}" in canonical:
        return f"{provider}/{model}"
    if model in canonical:
        return model
    return None
