"""Image input tokens by the providers' published rules, per model generation.

The rules and their sources live in :mod:`.rules` (one table row per generation, each with
the page and the date it was read); this module applies them. Every result says its
method, and, when it is not exact, its typical relative error, which holds on the
providers' published examples (``tests/tokens/test_image_rules.py``):

* OpenAI tile models (gpt-4o, gpt-4.1, gpt-4.5, gpt-5, o1/o3, computer-use-preview,
  gpt-4o-mini with its own constants): ``detail="low"`` costs the base; ``"high"`` fits the
  image in 2048×2048, brings its short side down to 768 px (512 for gpt-image-1) and costs
  ``base + tile × 512-px tiles``; exact. Scaled sizes are rounded to the nearest pixel (as
  billed: 2049×513 → 8 tiles, 2050×513 → 4). ``"auto"`` is counted as ``"high"``, an upper
  bound, non-exact.
* OpenAI patch models (gpt-4.1-mini/nano, o4-mini, gpt-5-mini/nano): 32-px patches covering
  the image shrunk to ≤ 1536 patches, times the model's multiplier; exact (``detail`` has no
  effect). gpt-5.4 and later: 2,500 patches after fitting 2048×2048 (``"original"``: 10,000,
  no fitting); no published multiplier, so an estimate (±25%).
* Other OpenAI models: the gpt-4o tile constants, labelled ``unpublished``, non-exact.
* Anthropic: ⌈w/28⌉ × ⌈h/28⌉ visual tokens, the image first resized (aspect ratio kept) to
  the largest size within the model's long-edge and token limits: 1,568 px / 1,568 tokens
  before Opus 4.7, 2,576 px / 4,784 tokens for Opus 4.7 and later. Non-exact: ±1% (the
  few tokens the API adds around an image are not published), ±3% when resized (the
  resize's rounding is Anthropic's).
* Gemini 3: the ``media_resolution`` level's budget (low 280, medium 560, high 1120,
  ultra_high 2240; ``detail`` takes the level, default high), ±10%. Gemini 2.x: 258 tokens
  for an image with both sides ≤ 384 px (exact), else 258 per 768-px tile (±30%: the
  cropping is not published); ``ultra_high`` is a Gemini 3 level and is refused.
* Any other provider: ``width × height / 750`` (±50%).
"""

from __future__ import annotations

import math
from typing import Final

from llmaestro.tokens.image_size import (
    image_size_from_base64,
    image_size_from_bytes,
    image_size_from_data_url,
)
from llmaestro.tokens.rules import (
    ANTHROPIC_IMAGE_RULES,
    GEMINI_IMAGE_RULES,
    OPENAI_PATCH_RULES,
    OPENAI_TILE_RULES,
    AnthropicImageRule,
    GeminiImageRule,
    OpenAIPatchRule,
    OpenAITileRule,
    first_match,
)
from llmaestro.tokens.types import TokenCount

__all__ = [
    "DETAILS",
    "image_size_from_base64",
    "image_size_from_bytes",
    "image_size_from_data_url",
    "image_tokens",
    "image_tokens_unknown_size",
    "normalize_detail",
    "normalize_image_provider",
]

#: Every ``detail`` value some provider takes (OpenAI's, Gemini's media resolutions).
DETAILS: Final = ("auto", "low", "medium", "high", "ultra_high", "original")

_OPENAI_PROVIDERS: Final = frozenset({"openai", "azure", "azure_openai", "azure-openai"})
_ANTHROPIC_PROVIDERS: Final = frozenset({"anthropic", "claude"})
_GEMINI_PROVIDERS: Final = frozenset(
    {"gemini", "google", "google-vertex", "vertex", "vertex_ai", "vertexai"}
)
_OPENAI_DETAILS: Final = frozenset({"auto", "low", "high"})

_PATCH: Final = 32
_DEFAULT_TILE: Final = OPENAI_TILE_RULES[1]  # gpt-4o's 85 + 170n, for unpublished models
_UNPUBLISHED_ERROR: Final = 0.5
_AUTO_ERROR: Final = 0.5

_ANTHROPIC_ERROR: Final = 0.01
_ANTHROPIC_RESIZED_ERROR: Final = 0.03
_ANTHROPIC_DEFAULT: Final = ANTHROPIC_IMAGE_RULES[-1]

_GEMINI_SMALL: Final = 384
_GEMINI_TILE: Final = 768
_GEMINI_TOKENS: Final = 258
_GEMINI_LEVEL_ERROR: Final = 0.1
_GEMINI_TILE_ERROR: Final = 0.3

_GENERIC_PIXELS_PER_TOKEN: Final = 750
_GENERIC_ERROR: Final = 0.5
_UNKNOWN_SIZE_ERROR: Final = 1.0


def normalize_image_provider(provider: str) -> str:
    """``"openai"``, ``"anthropic"``, ``"gemini"`` or ``"generic"`` for a provider id."""
    p = provider.strip().lower()
    if p in _OPENAI_PROVIDERS or p in {"o200k_base", "cl100k_base"}:
        return "openai"
    if p in _ANTHROPIC_PROVIDERS:
        return "anthropic"
    if p in _GEMINI_PROVIDERS:
        return "gemini"
    return "generic"


def normalize_detail(detail: str) -> str:
    """``detail`` lower-cased, Gemini's ``MEDIA_RESOLUTION_HIGH`` spelled ``"high"``;
    ``ValueError`` for a value no provider takes."""
    if not isinstance(detail, str):
        raise ValueError(f"detail must be one of {', '.join(DETAILS)}, got {detail!r}")
    value = detail.strip().lower().removeprefix("media_resolution_")
    if value == "unspecified":
        value = "auto"
    if value not in DETAILS:
        raise ValueError(f"detail must be one of {', '.join(DETAILS)}, got {detail!r}")
    return value


def _bare(model: str | None, default: str) -> str:
    return (model or default).strip().lower().rsplit("/", 1)[-1]


def _scaled(size: int, target: int, reference: int) -> int:
    """``size × target / reference`` rounded half up (integer arithmetic), at least 1."""
    return max(1, (2 * size * target + reference) // (2 * reference))


def _fit(width: int, height: int, box: int) -> tuple[int, int]:
    longest = max(width, height)
    if longest <= box:
        return width, height
    return _scaled(width, box, longest), _scaled(height, box, longest)


def _check_size(width: int, height: int) -> None:
    for label, value in (("width", width), ("height", height)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"image {label} must be a positive int, got {value!r}")


def _refuse(detail: str, provider: str, allowed: str) -> ValueError:
    return ValueError(f"detail {detail!r} is not a level of {provider}: it must be {allowed}")


# ------------------------------------------------------------------------------ OpenAI


def _openai_tiles(width: int, height: int, rule: OpenAITileRule) -> int:
    w, h = _fit(width, height, rule.fit)
    if min(w, h) > rule.short:
        shortest = min(w, h)
        w, h = _scaled(w, rule.short, shortest), _scaled(h, rule.short, shortest)
    return math.ceil(w / 512) * math.ceil(h / 512)


def _patches(width: int, height: int, budget: int) -> int:
    """32-px patches covering the image shrunk (as OpenAI publishes) to ≤ ``budget``."""
    patches = math.ceil(width / _PATCH) * math.ceil(height / _PATCH)
    if patches > budget:
        shrink = math.sqrt(_PATCH * _PATCH * budget / (width * height))
        w_patches = width * shrink / _PATCH
        h_patches = height * shrink / _PATCH
        shrink *= min(math.floor(w_patches) / w_patches, math.floor(h_patches) / h_patches)
        # tolerate float noise: 44.0000000001 patches is 44 patches
        w_cover = math.ceil(width * shrink / _PATCH - 1e-9)
        h_cover = math.ceil(height * shrink / _PATCH - 1e-9)
        patches = w_cover * h_cover
    return min(patches, budget)


def _openai_patch(width: int, height: int, detail: str, rule: OpenAIPatchRule) -> TokenCount:
    budgets = dict(rule.budgets)
    if detail not in _OPENAI_DETAILS and detail not in budgets:
        allowed = ", ".join(sorted(_OPENAI_DETAILS | budgets.keys()))
        raise _refuse(detail, f"OpenAI {rule.name}", allowed)
    budget = rule.budget_for(detail)
    if rule.fit is not None and detail not in budgets:
        width, height = _fit(width, height, rule.fit)
    patches = _patches(width, height, budget)
    if rule.multiplier is not None:
        value = math.ceil(patches * rule.multiplier)
        return TokenCount(value, True, f"openai:image:patches32×{rule.multiplier}({rule.name})")
    multiplier = rule.estimate_multiplier or 1.0
    return TokenCount(
        math.ceil(patches * multiplier),
        False,
        f"openai:image:patches32(≤{budget})×{multiplier}?({rule.name}, multiplier unpublished)",
        rule.expected_error,
    )


def _openai(width: int, height: int, detail: str, model: str | None) -> TokenCount:
    bare = _bare(model, "gpt-4o")
    patch_rule = first_match(OPENAI_PATCH_RULES, bare)
    if patch_rule is not None:
        return _openai_patch(width, height, detail, patch_rule)
    if detail not in _OPENAI_DETAILS:
        raise _refuse(detail, f"OpenAI {bare}", "auto, high or low")
    rule = first_match(OPENAI_TILE_RULES, bare)
    published = rule is not None
    rule = rule or _DEFAULT_TILE
    shape = (
        f"({rule.base}+{rule.tile}n)" if published else f"({rule.base}+{rule.tile}n,unpublished)"
    )
    if detail == "low":
        value = rule.base
        method = f"openai:image:low({rule.base})" if published else f"openai:image:low{shape}"
    else:
        value = rule.base + rule.tile * _openai_tiles(width, height, rule)
        method = f"openai:image:tiles{shape}" + (",auto=high" if detail == "auto" else "")
    if not published:
        return TokenCount(value, False, method, _UNPUBLISHED_ERROR)
    if detail == "auto":
        return TokenCount(value, False, method, _AUTO_ERROR)
    return TokenCount(value, True, method)


# --------------------------------------------------------------------------- Anthropic


def _anthropic_rule(model: str | None) -> AnthropicImageRule:
    if model is None:
        return _ANTHROPIC_DEFAULT
    return first_match(ANTHROPIC_IMAGE_RULES, _bare(model, ""), search=True) or _ANTHROPIC_DEFAULT


def _visual_tokens(width: int, height: int, patch: int) -> int:
    return math.ceil(width / patch) * math.ceil(height / patch)


def _anthropic_fit(width: int, height: int, rule: AnthropicImageRule) -> tuple[int, int]:
    """The largest size (aspect ratio kept) within the rule's long edge and token limit."""
    longest = max(width, height)

    def at(edge: int) -> tuple[int, int]:
        return _scaled(width, edge, longest), _scaled(height, edge, longest)

    low, high = 1, min(longest, rule.max_edge)
    if _visual_tokens(*at(high), rule.patch) <= rule.max_tokens:
        return at(high)
    while low < high:  # the largest long edge whose patch count fits
        mid = (low + high + 1) // 2
        if _visual_tokens(*at(mid), rule.patch) <= rule.max_tokens:
            low = mid
        else:
            high = mid - 1
    return at(low)


def _anthropic(width: int, height: int, model: str | None) -> TokenCount:
    rule = _anthropic_rule(model)
    value = _visual_tokens(width, height, rule.patch)
    if max(width, height) <= rule.max_edge and value <= rule.max_tokens:
        return TokenCount(value, False, f"anthropic:image:patches28({rule.name})", _ANTHROPIC_ERROR)
    value = _visual_tokens(*_anthropic_fit(width, height, rule), rule.patch)
    method = f"anthropic:image:patches28({rule.name},resized)"
    return TokenCount(value, False, method, _ANTHROPIC_RESIZED_ERROR)


# ------------------------------------------------------------------------------ Gemini


def _gemini_rule(model: str | None) -> GeminiImageRule:
    bare = _bare(model, "gemini-2.5-flash")
    return first_match(GEMINI_IMAGE_RULES, bare, search=True) or GEMINI_IMAGE_RULES[-1]


def _gemini_level(detail: str, rule: GeminiImageRule) -> TokenCount:
    levels = dict(rule.levels)
    level = rule.default if detail == "auto" else detail
    if level not in levels:
        raise _refuse(detail, f"Gemini {rule.name}", "auto, " + ", ".join(levels))
    method = f"gemini:image:media_resolution({level})({rule.name})"
    return TokenCount(levels[level], False, method, _GEMINI_LEVEL_ERROR)


def _gemini(width: int, height: int, detail: str, model: str | None) -> TokenCount:
    rule = _gemini_rule(model)
    if rule.levels:
        return _gemini_level(detail, rule)
    if detail in ("ultra_high", "original"):
        raise _refuse(detail, f"Gemini {rule.name}", "auto, low, medium or high")
    if width <= _GEMINI_SMALL and height <= _GEMINI_SMALL:
        return TokenCount(_GEMINI_TOKENS, True, "gemini:image:258")
    tiles = math.ceil(width / _GEMINI_TILE) * math.ceil(height / _GEMINI_TILE)
    return TokenCount(
        _GEMINI_TOKENS * tiles, False, "gemini:image:tiles768(258n)", _GEMINI_TILE_ERROR
    )


# -------------------------------------------------------------------------------- API


def image_tokens(
    width: int,
    height: int,
    *,
    provider: str,
    detail: str = "auto",
    model: str | None = None,
) -> TokenCount:
    """Input tokens of one ``width``×``height`` image, by the provider's published rule.

    ``provider``: ``"openai"`` (or ``"azure"``), ``"anthropic"``, ``"gemini"`` (or
    ``"google"``/``"vertex"``); any other provider gets a labelled estimate
    (``width × height / 750``, non-exact). ``detail`` is OpenAI's ``"low"``/``"high"``/
    ``"auto"`` (``"original"`` on gpt-5.4 and later) or Gemini's media resolution
    (``"low"``/``"medium"``/``"high"``/``"ultra_high"``, ``MEDIA_RESOLUTION_*`` accepted).
    ``model`` picks the model generation's rule (default gpt-4o for OpenAI, the pre-4.7
    Claude rule, gemini-2.5-flash). A detail value the model does not take is a
    ``ValueError``. See the module docstring for the rules and :mod:`.rules` for sources.
    """
    _check_size(width, height)
    detail = normalize_detail(detail)
    kind = normalize_image_provider(provider)
    if kind == "openai":
        return _openai(width, height, detail, model)
    if kind == "anthropic":
        return _anthropic(width, height, model)
    if kind == "gemini":
        return _gemini(width, height, detail, model)
    value = math.ceil(width * height / _GENERIC_PIXELS_PER_TOKEN)
    return TokenCount(value, False, "estimate:image:w*h/750", _GENERIC_ERROR)


def image_tokens_unknown_size(
    *, provider: str, detail: str = "auto", model: str | None = None
) -> TokenCount:
    """Tokens of an image whose size is unknown: exact when size does not matter (OpenAI
    ``detail="low"`` on tile models), the level's budget on Gemini 3, otherwise the rule's
    ceiling, labelled non-exact."""
    detail = normalize_detail(detail)
    kind = normalize_image_provider(provider)
    if kind == "openai":
        bare = _bare(model, "gpt-4o")
        patch_rule = first_match(OPENAI_PATCH_RULES, bare)
        if patch_rule is not None:
            _openai_patch(1, 1, detail, patch_rule)  # refuses the levels it does not take
            multiplier = patch_rule.multiplier or patch_rule.estimate_multiplier or 1.0
            value = math.ceil(patch_rule.budget_for(detail) * multiplier)
            method = f"openai:image:patches32,unknown-size(max,{patch_rule.name})"
            return TokenCount(value, False, method, _UNKNOWN_SIZE_ERROR)
        if detail == "low":
            return _openai(1, 1, detail, model)
        # the largest high-detail image after scaling is 768×2048: 2×4 tiles
        tiles = _openai(768, 2048, "high" if detail == "auto" else detail, model)
        return TokenCount(
            tiles.value, False, "openai:image:tiles,unknown-size(max)", _UNKNOWN_SIZE_ERROR
        )
    if kind == "anthropic":
        claude = _anthropic_rule(model)
        method = f"anthropic:image:unknown-size(max,{claude.name})"
        return TokenCount(claude.max_tokens, False, method, _UNKNOWN_SIZE_ERROR)
    if kind == "gemini":
        rule = _gemini_rule(model)
        if rule.levels:
            return _gemini_level(detail, rule)
        _gemini(1, 1, detail, model)  # refuses the levels Gemini 2.x does not take
        return TokenCount(
            _GEMINI_TOKENS * 4, False, "gemini:image:unknown-size(4 tiles)", _UNKNOWN_SIZE_ERROR
        )
    return TokenCount(
        _ANTHROPIC_DEFAULT.max_tokens, False, "estimate:image:unknown-size", _UNKNOWN_SIZE_ERROR
    )
