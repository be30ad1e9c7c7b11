"""From a model name or catalog entry to a tokenizer (an encoding or a family).

Two vocabularies, the same as the catalog's ``offering.tokenizer`` field:

* an encoding shipped with llmaestro (``"o200k_base"``, ``"cl100k_base"``): exact counts;
* a family name (``"anthropic"``, ``"gemini"``, ``"llama"``, ``"mistral"``, or any other
  string, ``"unknown"`` when nothing is known): estimates from the o200k count times a
  per-family calibration factor, always labelled ``exact=False``.
"""

from __future__ import annotations

import functools
import re
import warnings
from dataclasses import dataclass
from typing import Any

import llmaestro  # for llmaestro.load, looked up when called (it may be replaced)
from llmaestro.tokens.encodings import is_encoding_name
from llmaestro.tokens.rules import TEXT_GENERATIONS

__all__ = [
    "FAMILY_CALIBRATION",
    "UNKNOWN",
    "Calibration",
    "Resolved",
    "calibration_for",
    "resolve",
    "tokenizer_for",
]

UNKNOWN = "unknown"

# Encodings whose *ordinary* text tokenization equals a shipped one (only special tokens
# differ, and special-token strings are always counted as plain text here).
_ENCODING_ALIASES = {"o200k_harmony": "o200k_base"}

# OpenAI model ids, optionally fine-tuned ("ft:") and followed by a version/date suffix.
_O200K_MODELS = re.compile(
    r"^(?:ft:)?(?:gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5(?:\.\d+)?|o1|o3|o4|gpt-oss"
    r"|codex-mini|computer-use-preview)(?:$|[-:@_])"
)
_CL100K_MODELS = re.compile(
    r"^(?:ft:)?(?:gpt-4|gpt-3\.5|gpt-35|text-embedding-3|text-embedding-ada-002"
    r"|davinci-002|babbage-002)(?:$|[-:@_])"
)

# Substrings of a model id that identify a non-OpenAI tokenizer family.
_FAMILY_MARKERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("anthropic", ("claude", "anthropic")),
    ("gemini", ("gemini", "gemma")),
    ("llama", ("llama",)),
    (
        "mistral",
        ("mistral", "mixtral", "codestral", "ministral", "pixtral", "magistral", "devstral"),
    ),
)

# Provider ids whose models share one tokenizer family (used when the id says nothing).
_PROVIDER_FAMILIES = {
    "anthropic": "anthropic",
    "google": "gemini",
    "gemini": "gemini",
    "google-vertex": "gemini",
    "vertex": "gemini",
    "vertex_ai": "gemini",
    "meta": "llama",
    "meta-llama": "llama",
    "mistral": "mistral",
    "mistralai": "mistral",
}


@dataclass(frozen=True, slots=True)
class Calibration:
    """How a family's token counts compare with o200k_base on the same text; ``label``
    names the tokenizer generation when the model picked one (see :mod:`.rules`)."""

    factor: float
    expected_error: float
    label: str | None = None

    def method(self, family: str, encoding: str = "o200k_base") -> str:
        """``"estimate:o200k_base×1.45(anthropic:claude-opus-4.7+)"``: the estimate's label."""
        name = f"{family}:{self.label}" if self.label else family
        return f"estimate:{encoding}×{self.factor:.2f}({name})"


#: Per-family ratio (family tokens / o200k_base tokens) on mixed English prose and code,
#: with its typical relative error, used when no model generation is known (the
#: per-generation factors are ``rules.TEXT_GENERATIONS``). Rough public observations, not
#: measurements made here:
#: Claude's tokenizer yields ~15-35% more tokens than o200k (more on code); Gemini's
#: SentencePiece vocabulary ~5-15% more; Llama 3 (cl100k + 28k tokens) ~0-10% more;
#: Mistral (Tekken or the older 32k SentencePiece vocabularies) ~0-30% more. Non-English
#: text can be much further off, hence the wide errors.
FAMILY_CALIBRATION: dict[str, Calibration] = {
    "anthropic": Calibration(factor=1.25, expected_error=0.15),
    "gemini": Calibration(factor=1.10, expected_error=0.15),
    "llama": Calibration(factor=1.05, expected_error=0.10),
    "mistral": Calibration(factor=1.15, expected_error=0.20),
}
_DEFAULT_CALIBRATION = Calibration(factor=1.0, expected_error=0.30)


def calibration_for(family: str, model: str | None = None) -> Calibration:
    """The calibration of ``family`` (a neutral one with a wide error when unknown), that
    of ``model``'s tokenizer generation when ``model`` is given and the family has
    generations (Claude before and from Opus 4.7, Gemini 2.x and 3)."""
    if model:
        bare = _bare_model(model)
        for generation in TEXT_GENERATIONS:
            if generation.family == family and generation.pattern.search(bare):
                return Calibration(generation.factor, generation.expected_error, generation.label)
    return FAMILY_CALIBRATION.get(family, _DEFAULT_CALIBRATION)


@dataclass(frozen=True, slots=True)
class Resolved:
    """What :func:`resolve` found: a tokenizer, plus the model and provider ids if known."""

    tokenizer: str
    model: str | None = None
    provider: str | None = None

    @property
    def exact(self) -> bool:
        """True when the tokenizer is an encoding shipped with llmaestro."""
        return is_encoding_name(self.tokenizer)


def _bare_model(name: str) -> str:
    """``"openai/gpt-4o"`` -> ``"gpt-4o"``; lower-cased, without routing prefixes."""
    return name.strip().lower().rsplit("/", 1)[-1]


def _from_name(name: str) -> str | None:
    """The tokenizer a model (or encoding) name implies, ``None`` when it implies none."""
    lowered = name.strip().lower()
    if is_encoding_name(lowered):
        return lowered
    if lowered in _ENCODING_ALIASES:
        return _ENCODING_ALIASES[lowered]
    if lowered in FAMILY_CALIBRATION:
        return lowered
    bare = _bare_model(lowered)
    if _O200K_MODELS.match(bare):
        return "o200k_base"
    if _CL100K_MODELS.match(bare):
        return "cl100k_base"
    for family, markers in _FAMILY_MARKERS:
        if any(marker in lowered for marker in markers):
            return family
    return None


def _provider_id(obj: Any) -> str | None:
    provider = getattr(obj, "provider", None)
    if provider is None:
        provider = getattr(obj, "provider_id", None)
    if provider is not None and not isinstance(provider, str):
        provider = getattr(provider, "id", None)
    return provider if isinstance(provider, str) else None


def _model_id(obj: Any) -> str | None:
    for attr in ("id", "model_id", "model", "name"):
        value = getattr(obj, attr, None)
        if isinstance(value, str) and value:
            return value
    return None


@functools.lru_cache(maxsize=4096)
def _catalog_offering(name: str) -> Any:
    """The catalog's offering for a model id (its declared tokenizer wins over the name
    table), or None when the id is not in the catalog or names several offerings."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", llmaestro.DeprecatedModelWarning)
            return llmaestro.load().get(name)
    except LookupError:
        return None


def _resolve_name(name: str) -> Resolved:
    lowered = name.strip().lower()
    if lowered in _ENCODING_ALIASES or is_encoding_name(lowered):
        return Resolved(tokenizer=_ENCODING_ALIASES.get(lowered, lowered), model=name)
    offering = _catalog_offering(name)
    if offering is not None and offering.tokenizer:
        return resolve(offering)
    return Resolved(tokenizer=_from_name(name) or UNKNOWN, model=name)


def resolve(model: Any) -> Resolved:
    """Resolve a model name, an encoding name or a :class:`TokenizerSpec`-like object."""
    if isinstance(model, str):
        return _resolve_name(model)
    if not hasattr(model, "tokenizer"):
        raise TypeError(
            "model must be a model/encoding name or an object with a `tokenizer` attribute, "
            f"got {type(model).__name__}"
        )
    model_id = _model_id(model)
    provider = _provider_id(model)
    declared = model.tokenizer
    if declared is not None and not isinstance(declared, str):
        raise TypeError(f"`tokenizer` must be a string or None, got {type(declared).__name__}")
    if declared:
        lowered = declared.strip().lower()
        return Resolved(
            tokenizer=_ENCODING_ALIASES.get(lowered, lowered), model=model_id, provider=provider
        )
    found = _from_name(model_id) if model_id else None
    if found is None and provider is not None:
        found = _PROVIDER_FAMILIES.get(provider.lower())
    return Resolved(tokenizer=found or UNKNOWN, model=model_id, provider=provider)


def tokenizer_for(model_or_encoding: Any) -> str:
    """The tokenizer of a model: an encoding name (exact) or a family name (estimate).

    Accepts an encoding name (``"o200k_base"``, ``"cl100k_base"``), an OpenAI model id
    (``gpt-4o*``, ``gpt-4.1*``, ``gpt-5*``, ``o1*``, ``o3*``, ``o4*``, ``chatgpt-4o*`` ->
    ``"o200k_base"``; ``gpt-4*``, ``gpt-3.5*``, ``text-embedding-3*``,
    ``text-embedding-ada-002`` -> ``"cl100k_base"``), optionally prefixed by a route such
    as ``"openai/"`` or ``"ft:"``, another vendor's model id (``claude*`` -> ``"anthropic"``,
    ``gemini*``/``gemma*`` -> ``"gemini"``, ``*llama*`` -> ``"llama"``, ``mistral*``... ->
    ``"mistral"``), or an object with a ``tokenizer`` attribute (a catalog offering), whose
    declared tokenizer wins over the name table. Returns ``"unknown"`` when nothing matches.
    """
    return resolve(model_or_encoding).tokenizer
