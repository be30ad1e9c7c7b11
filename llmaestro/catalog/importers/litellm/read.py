"""Read LiteLLM's model map into a :class:`Snapshot`: every key classified and mapped.

`sample_spec` documents the format and `fallback_generalizations` holds routing rules (both
reported); `alias_of` stubs name another key and become aliases of that offering when merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llmaestro.catalog.importers.common import LITELLM, ImportLog
from llmaestro.catalog.importers.litellm.facts import map_entry
from llmaestro.catalog.importers.litellm.keys import Entry, classify
from llmaestro.catalog.importers.source_file import SourceError, read_json_object


@dataclass
class Snapshot:
    entries: list[Entry] = field(default_factory=list)
    aliases: list[tuple[str, str]] = field(default_factory=list)
    by_key: dict[str, Entry] = field(default_factory=dict)


def read_json(path: Path) -> dict[str, Any]:
    """LiteLLM's map (gzipped or not); unreadable is a one-line ``SourceError``."""
    return read_json_object(path, "LiteLLM's model map")


def load(path: Path, log: ImportLog) -> Snapshot:
    data = read_json(path)
    snap = Snapshot()
    log.counts[(LITELLM, "keys")] = len(data)
    for key in sorted(data):
        raw = data[key]
        if not isinstance(raw, dict):
            log.skip(LITELLM, "-", key, "not an object")
            continue
        if "alias_of" in raw:
            snap.aliases.append((key, str(raw["alias_of"])))
            continue
        if key == "fallback_generalizations":
            log.skip(LITELLM, "-", key, "routing rules for unmapped ids, not a model")
            continue
        entry = classify(key, raw, log)
        if entry is None:
            continue
        entry.facts = map_entry(entry, raw, log)
        snap.entries.append(entry)
        snap.by_key[key] = entry
    if not snap.entries:
        # an empty map would retire every offering the catalog has from LiteLLM
        raise SourceError(f"{path}: holds no model entries; not LiteLLM's model map")
    log.counts[(LITELLM, "model entries of a modelled kind")] = len(snap.entries)
    log.counts[(LITELLM, "alias stubs")] = len(snap.aliases)
    return snap
