"""The providers' published token rules, per model generation, as data (with sources).

Each table row names the model ids it covers (a regular expression on the bare,
lower-cased id, first match wins), the constants, the page that publishes them and the
date that page was read. :mod:`.images` and :mod:`.resolve` apply them; nothing here
computes. Model *ids* come from the catalog (``llmaestro.load()``); only the per-generation
rules, which the catalog has no field for, live here. ``tests/tokens/test_image_rules.py``
checks that every Claude and Gemini id of the catalog lands in its generation's row.

Sources (read on the date given in each row):

* OpenAI, "Images and vision", *Calculating costs* and *Model sizing behavior*:
  https://platform.openai.com/docs/guides/images-vision (snapshot of 2026-01-16 kept in
  tchr-dev/IOPaint-mod docs/architecture/images-vision.md; the sizing table of the
  gpt-5.4+ models as quoted in simonw/llm#1418, 2026-04-24, and Prism-Shadow/agenthub#194,
  2026-09-02).
* Anthropic, "Images and vision": https://platform.claude.com/docs/en/build-with-claude/vision
  (read 2026-12-02: ⌈w/28⌉×⌈h/28⌉ visual tokens, images resized to the model's maximal
  native resolution, then padded to a multiple of 28 px; Opus 4.7 and later up to 2,576 px
  and about 4,784 tokens, earlier models 1,568 px and about 1,600 tokens).
* Anthropic, "What's new in Claude Opus 4.7":
  https://platform.claude.com/docs/en/about-claude/models/whats-new-claude-4-7 (Opus 4.7
  uses a new tokenizer: about 1.0-1.35× the tokens of earlier models on the same text).
* Google, "Media resolution": https://ai.google.dev/gemini-api/docs/media-resolution and
  "Token counting": https://ai.google.dev/gemini-api/docs/tokens (read 2026-12-02: Gemini
  3 images low 280, medium 560, high 1120, ultra_high 2240 tokens, default high; Gemini
  2.x: an image with both sides ≤ 384 px is 258 tokens, larger ones are cropped and scaled
  into 768×768 tiles of 258 tokens each).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, TypeVar

__all__ = [
    "ANTHROPIC_IMAGE_RULES",
    "GEMINI_IMAGE_RULES",
    "OPENAI_PATCH_RULES",
    "OPENAI_TILE_RULES",
    "TEXT_GENERATIONS",
    "AnthropicImageRule",
    "GeminiImageRule",
    "OpenAIPatchRule",
    "OpenAITileRule",
    "TextGeneration",
    "first_match",
]

_OPENAI_VISION: Final = "https://platform.openai.com/docs/guides/images-vision"
_OPENAI_READ: Final = "2026-01-16"
_OPENAI_SIZING_READ: Final = "2026-09-02"
_ANTHROPIC_VISION: Final = "https://platform.claude.com/docs/en/build-with-claude/vision"
_ANTHROPIC_47: Final = (
    "https://platform.claude.com/docs/en/about-claude/models/whats-new-claude-4-7"
)
_GEMINI_MEDIA: Final = "https://ai.google.dev/gemini-api/docs/media-resolution"
_GEMINI_TOKENS: Final = "https://ai.google.dev/gemini-api/docs/tokens"
_READ: Final = "2026-12-02"

# An optional fine-tune prefix, and an optional date/version suffix after the id.
_FT: Final = r"^(?:ft:)?"
_END: Final = r"(?:$|[-:@_])"


@dataclass(frozen=True, slots=True)
class OpenAITileRule:
    """``detail="low"``: ``base``; ``"high"``: ``base + tile × (512 px tiles)`` after the
    image is fitted in ``fit``×``fit`` and its short side brought down to ``short`` px."""

    name: str
    pattern: re.Pattern[str]
    base: int
    tile: int
    source: str
    read: str
    fit: int = 2048
    short: int = 768


@dataclass(frozen=True, slots=True)
class OpenAIPatchRule:
    """32-px patches covering the image, shrunk to at most ``budget`` patches, times
    ``multiplier``; ``multiplier`` is ``None`` where OpenAI publishes none (then the
    count is an estimate at ``estimate_multiplier`` with ``expected_error``). ``budgets``
    gives other budgets per ``detail`` value (the gpt-5.4+ ``"original"`` level); ``fit``,
    when set, first fits the image in ``fit``×``fit`` px (every level but ``original``)."""

    name: str
    pattern: re.Pattern[str]
    multiplier: float | None
    source: str
    read: str
    budget: int = 1536
    budgets: tuple[tuple[str, int], ...] = ()
    fit: int | None = None
    estimate_multiplier: float | None = None
    expected_error: float | None = None

    def budget_for(self, detail: str) -> int:
        return dict(self.budgets).get(detail, self.budget)


@dataclass(frozen=True, slots=True)
class AnthropicImageRule:
    """⌈w/28⌉ × ⌈h/28⌉ visual tokens after fitting the long edge in ``max_edge`` px and the
    count in ``max_tokens``."""

    name: str
    pattern: re.Pattern[str]
    max_edge: int
    max_tokens: int
    source: str
    read: str
    patch: int = 28


@dataclass(frozen=True, slots=True)
class GeminiImageRule:
    """Fixed budgets per ``media_resolution`` level (Gemini 3), or 258-token 768-px tiles
    (``levels`` empty: Gemini 2.x, whose count does not depend on the level)."""

    name: str
    pattern: re.Pattern[str]
    levels: tuple[tuple[str, int], ...]
    default: str
    source: str
    read: str


@dataclass(frozen=True, slots=True)
class TextGeneration:
    """A tokenizer generation of a family: the estimate's factor over o200k_base and its
    typical relative error, and the label the estimate's ``method`` carries."""

    family: str
    label: str
    pattern: re.Pattern[str]
    factor: float
    expected_error: float
    source: str
    read: str


def _re(body: str) -> re.Pattern[str]:
    return re.compile(_FT + body + _END)


# ------------------------------------------------------------------------------ OpenAI

#: Tile models (OpenAI "Images and vision", model token chart). 1024×1024 high on gpt-4o:
#: 765; 2048×4096 high: 1105; any size low: 85.
OPENAI_TILE_RULES: Final = (
    OpenAITileRule("gpt-4o-mini", _re(r"gpt-4o-mini"), 2833, 5667, _OPENAI_VISION, _OPENAI_READ),
    OpenAITileRule(
        "gpt-4o/4.1/4.5",
        _re(r"(?:gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5(?:-preview)?|gpt-4-turbo|gpt-4-vision)"),
        85,
        170,
        _OPENAI_VISION,
        _OPENAI_READ,
    ),
    OpenAITileRule(
        "gpt-5",
        _re(r"gpt-5(?:-chat-latest|-chat)?(?=$|-\d{4})"),
        70,
        140,
        _OPENAI_VISION,
        _OPENAI_READ,
    ),
    OpenAITileRule(
        "o1/o1-pro/o3", _re(r"(?:o1|o1-pro|o3)(?=$|-\d{4})"), 75, 150, _OPENAI_VISION, _OPENAI_READ
    ),
    OpenAITileRule(
        "computer-use-preview", _re(r"computer-use-preview"), 65, 129, _OPENAI_VISION, _OPENAI_READ
    ),
    OpenAITileRule(
        "gpt-image-1", _re(r"gpt-image-1"), 65, 129, _OPENAI_VISION, _OPENAI_READ, short=512
    ),
)

#: Patch models. 1024×1024: 1024 patches; 1800×2400: 1452 patches (shrunk to the budget).
#: gpt-5.4 and later: ``high`` (and ``auto``) fit 2,500 patches, ``original`` 10,000; the
#: guide gives no multiplier for them (measured 1.2 by users): estimated at 1.2 ± 25%.
OPENAI_PATCH_RULES: Final = (
    OpenAIPatchRule("gpt-4.1-mini", _re(r"gpt-4\.1-mini"), 1.62, _OPENAI_VISION, _OPENAI_READ),
    OpenAIPatchRule("gpt-4.1-nano", _re(r"gpt-4\.1-nano"), 2.46, _OPENAI_VISION, _OPENAI_READ),
    OpenAIPatchRule("o4-mini", _re(r"(?:o4-mini|codex-mini)"), 1.72, _OPENAI_VISION, _OPENAI_READ),
    OpenAIPatchRule("gpt-5-mini", _re(r"gpt-5-mini"), 1.62, _OPENAI_VISION, _OPENAI_READ),
    OpenAIPatchRule("gpt-5-nano", _re(r"gpt-5-nano"), 2.46, _OPENAI_VISION, _OPENAI_READ),
    OpenAIPatchRule(
        "gpt-5.4+",
        _re(r"gpt-5\.(?:[4-9]|\d\d)"),
        None,
        _OPENAI_VISION,
        _OPENAI_SIZING_READ,
        budget=2500,
        budgets=(("original", 10_000),),
        fit=2048,
        estimate_multiplier=1.2,
        expected_error=0.25,
    ),
)

# --------------------------------------------------------------------------- Anthropic

_V47: Final = r"4[-.](?:[7-9]|[1-9]\d)"  # 4.7, 4-8, 4.10 ...
_V5: Final = r"(?:[5-9]|[1-9]\d)"  # 5, 6, ... 10
#: Opus 4.7 and later, and every 5.x and later model, in both spellings of the catalog
#: (``claude-opus-4-7``, ``claude-opus4-7``, ``claude-4.7-opus``, ``claude-sonnet-5-5``,
#: ``claude-5-sonnet``).
_CLAUDE_47: Final = re.compile(
    rf"claude-(?:opus-?{_V47}|{_V47}-opus|[a-z]+-{_V5}|{_V5}(?:[-.]\d+)?-[a-z]+)(?=$|[-.@:_])"
)

#: Claude generations. Opus 4.7 and later (and the 5.x models): 2,576 px, 4,784 tokens
#: (2576×1449 → 92×52 = 4,784); earlier models: 1,568 px, about 1,600 tokens (the
#: largest 28-px grids the guide lists fit 1,568: 784×1568 → 28×56).
ANTHROPIC_IMAGE_RULES: Final = (
    AnthropicImageRule(
        "claude-opus-4.7+",
        _CLAUDE_47,
        2576,
        4784,
        _ANTHROPIC_VISION,
        _READ,
    ),
    AnthropicImageRule(
        "claude-3..4.6", re.compile(r"claude"), 1568, 1568, _ANTHROPIC_VISION, _READ
    ),
)

# ------------------------------------------------------------------------------ Gemini

_GEMINI3_LEVELS: Final = (("low", 280), ("medium", 560), ("high", 1120), ("ultra_high", 2240))

GEMINI_IMAGE_RULES: Final = (
    GeminiImageRule(
        "gemini-3+",
        re.compile(r"gemini-(?:[3-9]|[1-9]\d)(?=$|[-.])"),
        _GEMINI3_LEVELS,
        "high",
        _GEMINI_MEDIA,
        _READ,
    ),
    GeminiImageRule("gemini-1.x/2.x", re.compile(r"gemini|gemma"), (), "", _GEMINI_TOKENS, _READ),
)

# -------------------------------------------------------------------------------- text

#: Per-generation calibration of the non-public tokenizers (family tokens / o200k_base
#: tokens on mixed English prose and code). Rough public observations, not measurements
#: made here: Claude 3-4.6 ~15-35% more than o200k (more on code); Opus 4.7's new tokenizer
#: a further 1.0-1.35× (Anthropic); Gemini's SentencePiece vocabulary ~5-15% more.
TEXT_GENERATIONS: Final = (
    TextGeneration(
        "anthropic",
        "claude-opus-4.7+",
        ANTHROPIC_IMAGE_RULES[0].pattern,
        1.45,
        0.2,
        _ANTHROPIC_47,
        _READ,
    ),
    TextGeneration(
        "anthropic", "claude-3..4.6", re.compile(r"claude"), 1.25, 0.15, _ANTHROPIC_VISION, _READ
    ),
    TextGeneration(
        "gemini", "gemini-3+", GEMINI_IMAGE_RULES[0].pattern, 1.10, 0.15, _GEMINI_TOKENS, _READ
    ),
    TextGeneration(
        "gemini", "gemini-1.x/2.x", re.compile(r"gemini|gemma"), 1.10, 0.15, _GEMINI_TOKENS, _READ
    ),
)


_R = TypeVar("_R", OpenAITileRule, OpenAIPatchRule, AnthropicImageRule, GeminiImageRule)


def first_match(rules: tuple[_R, ...], bare: str, *, search: bool = False) -> _R | None:
    """The first row of ``rules`` whose pattern matches ``bare`` (``search``: anywhere)."""
    for rule in rules:
        if (rule.pattern.search(bare) if search else rule.pattern.match(bare)) is not None:
            return rule
    return None
