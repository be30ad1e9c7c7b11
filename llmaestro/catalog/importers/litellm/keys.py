"""Which keys of LiteLLM's model map are models, and of which provider and kind.

The key names the model as LiteLLM routes it (`gpt-4o`, `bedrock/anthropic.claude-…`,
`vertex_ai/gemini-…`); `litellm_provider` names the provider, mapped to ours through the one
table in :mod:`~llmaestro.catalog.importers.provider_map`. Not every key is a model:

* size and quality buckets (`256-x-256/dall-e-2`, `hd/1024-x-1792/dall-e-3`), provisioned
  throughput commitments and model-size price classes (`fireworks-ai-up-to-4b`) are prices,
  not models;
* regional price variants (`bedrock/us-east-1/…`, `azure/eu/…`) are the same model in a
  region: the catalog does not model regional prices;
* modes the catalog does not model (realtime, image edit, OCR, search …) are reported.

(`sample_spec`, `fallback_generalizations` and `alias_of` stubs are sorted out while reading:
:mod:`~llmaestro.catalog.importers.litellm.read`.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from llmaestro.catalog.importers.common import LITELLM, Facts, ImportLog
from llmaestro.catalog.importers.provider_map import LITELLM_PROVIDERS

#: LiteLLM `mode` -> our kind.
MODES: dict[str, str] = {
    "chat": "chat",
    "responses": "chat",
    "completion": "completion",
    "embedding": "embedding",
    "rerank": "rerank",
    "moderation": "moderation",
    "image_generation": "image_generation",
    "audio_speech": "speech",
    "audio_transcription": "transcription",
    "video_generation": "video",
}

_SIZE = re.compile(r"^([0-9]+|max)-x-([0-9]+|max)$|^([0-9]+|max)-steps$")
_COMMITMENT = re.compile(r"^[0-9]+-months?-commitment$")
_REGION = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-[0-9]$")
_SCOPES = frozenset({"us", "eu", "global", "global-standard", "apac", "us-gov", "jp", "au"})
_SIZE_CLASS = re.compile(r"^(fireworks-ai|together-ai)-")


@dataclass
class Entry:
    """One LiteLLM key that is a model of a kind the catalog has."""

    key: str
    litellm_provider: str
    provider: str
    model: str
    kind: str
    facts: Facts
    flags: dict[str, dict[str, bool]] = field(default_factory=dict)
    prefixed: bool = False
    rpm: int | None = None
    tpm: int | None = None
    successor: str | None = None


def split_key(key: str, prefixes: tuple[str, ...]) -> tuple[str, bool]:
    """(model id, whether a provider prefix was stripped)."""
    head, sep, rest = key.partition("/")
    if sep and head in prefixes and rest:
        return rest, True
    return key, False


def classify(key: str, raw: dict[str, Any], log: ImportLog) -> Entry | None:
    """The entry of a key, or None (and a report line) when it is not a catalog model."""
    lp = raw.get("litellm_provider")
    where = str(lp) if lp else "-"
    if key == "sample_spec":
        log.skip(LITELLM, "-", key, "format documentation, not a model")
        return None
    if not isinstance(lp, str):
        log.skip(LITELLM, where, key, "no `litellm_provider`: not a model entry")
        return None
    mapping = LITELLM_PROVIDERS.get(lp)
    if mapping is None:
        log.skip(LITELLM, lp, key, f"LiteLLM provider `{lp}` is not in the provider table")
        return None
    model, prefixed = split_key(key, mapping.prefixes)
    segments = model.split("/")
    if _SIZE_CLASS.match(key) and "/" not in key:
        log.skip(LITELLM, mapping.provider, key, "pricing bucket: a price class by model size")
        return None
    if any(_SIZE.match(s) or _COMMITMENT.match(s) for s in segments):
        rest = segments
        while rest and (
            _SIZE.match(rest[0])
            or _COMMITMENT.match(rest[0])
            or _REGION.match(rest[0])
            or rest[0] in _SCOPES
            or rest[0] in ("*", "low", "medium", "high", "hd", "standard", "xhigh", "auto")
            or rest[0] in mapping.prefixes
        ):
            rest = rest[1:]
        what = (
            "provisioned-throughput commitment"
            if any(_COMMITMENT.match(s) for s in segments)
            else "size or quality"
        )
        log.skip(
            LITELLM,
            mapping.provider,
            key,
            f"pricing bucket ({what}) of `{'/'.join(rest)}`, not a model",
        )
        return None
    if len(segments) > 1 and (_REGION.match(segments[0]) or segments[0] in _SCOPES):
        log.skip(
            LITELLM,
            mapping.provider,
            key,
            f"regional price variant of `{'/'.join(segments[1:])}` ({segments[0]}): "
            "regional prices are not modelled",
        )
        return None
    if len(segments) > 1 and segments[0] == "invoke":
        log.skip(
            LITELLM,
            mapping.provider,
            key,
            f"route variant of `{'/'.join(segments[1:])}` (InvokeModel API), same model",
        )
        return None
    mode = raw.get("mode")
    kind = MODES.get(str(mode)) if mode is not None else None
    if kind is None:
        reason = f"unsupported kind `{mode}`" if mode is not None else "no `mode`: kind unknown"
        log.skip(LITELLM, mapping.provider, key, reason)
        return None
    return Entry(key, lp, mapping.provider, model, kind, {}, prefixed=prefixed)
