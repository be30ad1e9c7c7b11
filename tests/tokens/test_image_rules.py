"""The providers' published image and text rules per model generation (:mod:`.rules`):
each rule on the providers' own examples, and each estimate's stated expected error
holding on them."""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import llmaestro
from llmaestro.tokens import count_message_tokens, count_tokens
from llmaestro.tokens.images import image_tokens, image_tokens_unknown_size
from llmaestro.tokens.resolve import calibration_for
from llmaestro.tokens.rules import (
    ANTHROPIC_IMAGE_RULES,
    GEMINI_IMAGE_RULES,
    OPENAI_PATCH_RULES,
    OPENAI_TILE_RULES,
    TEXT_GENERATIONS,
    first_match,
)
from llmaestro.tokens.types import TokenCount

#: (provider, model, width, height, detail, the count the provider publishes for it).
PUBLISHED: list[tuple[str, str, int, int, str, int]] = [
    # Anthropic "Images and vision": ⌈w/28⌉ × ⌈h/28⌉; Opus 4.7 up to 2576 px / 4,784 tokens
    ("anthropic", "claude-opus-4-7", 2576, 1449, "auto", 4784),
    ("anthropic", "claude-sonnet-4-5", 1000, 1000, "auto", 1296),
    # the older guide's largest sizes that are not resized (about 1,600 tokens)
    ("anthropic", "claude-sonnet-4-5", 1092, 1092, "auto", 1521),
    ("anthropic", "claude-sonnet-4-5", 951, 1268, "auto", 1564),
    ("anthropic", "claude-sonnet-4-5", 896, 1344, "auto", 1536),
    ("anthropic", "claude-sonnet-4-5", 819, 1456, "auto", 1560),
    ("anthropic", "claude-sonnet-4-5", 784, 1568, "auto", 1568),
    # OpenAI "Images and vision", calculating costs
    ("openai", "gpt-4o", 1024, 1024, "high", 765),
    ("openai", "gpt-4o", 2048, 4096, "high", 1105),
    ("openai", "gpt-4o", 4096, 8192, "low", 85),
    ("openai", "gpt-4.1-mini", 1024, 1024, "high", math.ceil(1024 * 1.62)),
    ("openai", "gpt-4.1-mini", 1800, 2400, "high", math.ceil(1452 * 1.62)),
    ("openai", "gpt-4.1-nano", 1800, 2400, "high", math.ceil(1452 * 2.46)),
    ("openai", "o4-mini", 1024, 1024, "high", math.ceil(1024 * 1.72)),
    # Google "Media resolution": Gemini 3 fixed budgets per level
    ("gemini", "gemini-3-pro-preview", 1000, 1000, "low", 280),
    ("gemini", "gemini-3-pro-preview", 1000, 1000, "medium", 560),
    ("gemini", "gemini-3-pro-preview", 1000, 1000, "high", 1120),
    ("gemini", "gemini-3-pro-preview", 1000, 1000, "ultra_high", 2240),
    ("gemini", "gemini-3-flash-preview", 4000, 3000, "auto", 1120),
    # Google "Token counting": Gemini 2.x, both sides ≤ 384 px
    ("gemini", "gemini-2.5-flash", 384, 384, "auto", 258),
    ("gemini", "gemini-2.0-flash", 100, 50, "auto", 258),
]


@pytest.mark.parametrize(("provider", "model", "width", "height", "detail", "published"), PUBLISHED)
def test_published_examples_within_stated_error(
    provider: str, model: str, width: int, height: int, detail: str, published: int
) -> None:
    count = image_tokens(width, height, provider=provider, detail=detail, model=model)
    if count.exact:
        assert count.value == published
        assert count.expected_error is None
    else:
        assert count.expected_error is not None
        assert abs(count.value - published) <= count.expected_error * published
    assert count.method  # every result says its method


# --------------------------------------------------------------------------- Anthropic


def test_opus_47_takes_2576_px() -> None:
    count = image_tokens(2576, 1449, provider="anthropic", model="claude-opus-4-7")
    assert count == TokenCount(4784, False, "anthropic:image:patches28(claude-opus-4.7+)", 0.01)
    # the same image on an earlier model is resized into 1,568 px and ~1,600 tokens
    older = image_tokens(2576, 1449, provider="anthropic", model="claude-sonnet-4-5")
    assert older.method == "anthropic:image:patches28(claude-3..4.6,resized)"
    assert 1500 <= older.value <= 1568


def test_sonnet_45_1000_square() -> None:
    count = image_tokens(1000, 1000, provider="anthropic", model="claude-sonnet-4-5")
    assert count.value == 36 * 36 == 1296
    assert not count.exact
    assert count.method == "anthropic:image:patches28(claude-3..4.6)"


@pytest.mark.parametrize("model", ["claude-sonnet-4-5", "claude-opus-4-6", "claude-3-5-haiku"])
def test_long_edge_over_1568_is_resized_on_older_models(model: str) -> None:
    count = image_tokens(2000, 1000, provider="anthropic", model=model)
    assert "resized" in count.method
    assert count.expected_error == 0.03
    # resized to 1568x784 (aspect ratio kept): 56 x 28 patches
    assert count.value == 56 * 28
    # a 1568 px long edge alone is not resized
    assert "resized" not in image_tokens(1568, 700, provider="anthropic", model=model).method
    # Opus 4.7 takes the 2000 px image as it is: 72 x 36 patches
    opus = image_tokens(2000, 1000, provider="anthropic", model="claude-opus-4-7")
    assert opus.value == 72 * 36
    assert "resized" not in opus.method


@given(
    width=st.integers(min_value=1, max_value=8000),
    height=st.integers(min_value=1, max_value=8000),
    model=st.sampled_from(["claude-sonnet-4-5", "claude-opus-4-7"]),
)
def test_anthropic_within_limits(width: int, height: int, model: str) -> None:
    rule = first_match(ANTHROPIC_IMAGE_RULES, model, search=True)
    assert rule is not None
    count = image_tokens(width, height, provider="anthropic", model=model)
    full = math.ceil(width / 28) * math.ceil(height / 28)
    assert 1 <= count.value <= rule.max_tokens
    if max(width, height) <= rule.max_edge and full <= rule.max_tokens:
        assert count.value == full
        assert "resized" not in count.method
    else:
        assert count.value <= full
        assert "resized" in count.method


def _claude_is_47_or_later(model_id: str) -> bool:
    """Independent reading of a Claude id: version ≥ 5, or Opus ≥ 4.7."""
    tail = model_id.lower()[model_id.lower().index("claude") :]
    found = re.search(r"(?<![\d])(\d{1,2})(?:[-.](\d{1,2}))?(?![\d])", tail)
    if found is None:
        return False
    major, minor = int(found[1]), int(found[2] or 0)
    return major >= 5 or (major == 4 and minor >= 7 and "opus" in tail)


def _catalog_ids(marker: str) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", llmaestro.DeprecatedModelWarning)
        registry = llmaestro.load(today=dt.date(2025, 6, 1))
    return sorted({i.rsplit("/", 1)[-1] for i in registry.ids if marker in i.lower()})


def test_every_catalog_claude_id_lands_in_its_generation() -> None:
    ids = _catalog_ids("claude")
    assert len(ids) > 50
    wrong = []
    for model_id in ids:
        rule = first_match(ANTHROPIC_IMAGE_RULES, model_id.lower(), search=True)
        assert rule is not None
        if (rule is ANTHROPIC_IMAGE_RULES[0]) != _claude_is_47_or_later(model_id):
            wrong.append((model_id, rule.name))
    assert wrong == []
    assert any(_claude_is_47_or_later(i) for i in ids)  # the catalog has such models


def test_every_catalog_gemini_id_lands_in_its_generation() -> None:
    wrong = []
    for model_id in _catalog_ids("gemini"):
        rule = first_match(GEMINI_IMAGE_RULES, model_id.lower(), search=True)
        assert rule is not None
        found = re.search(r"gemini-(\d+)(?![\d])", model_id.lower())
        three = found is not None and 3 <= int(found[1]) < 100
        if bool(rule.levels) != three:
            wrong.append((model_id, rule.name))
    assert wrong == []


# ------------------------------------------------------------------------------ Gemini


@pytest.mark.parametrize(
    ("detail", "expected"),
    [
        ("low", 280),
        ("medium", 560),
        ("high", 1120),
        ("ultra_high", 2240),
        ("MEDIA_RESOLUTION_ULTRA_HIGH", 2240),
        ("media_resolution_low", 280),
        ("MEDIA_RESOLUTION_UNSPECIFIED", 1120),
        ("auto", 1120),
    ],
)
def test_gemini_3_levels(detail: str, expected: int) -> None:
    for model in ("gemini-3-pro-preview", "gemini-3.1-flash-lite", "google/gemini-3-flash"):
        count = image_tokens(640, 480, provider="gemini", detail=detail, model=model)
        assert count.value == expected
        assert not count.exact
        assert count.method.startswith("gemini:image:media_resolution(")
        assert "(gemini-3+)" in count.method
        unknown = image_tokens_unknown_size(provider="gemini", detail=detail, model=model)
        assert unknown.value == expected


def test_gemini_3_ultra_high_in_a_chat_part() -> None:
    part = {
        "type": "image_url",
        "image_url": {"url": "https://example.com/x.png"},
        "media_resolution": {"level": "MEDIA_RESOLUTION_ULTRA_HIGH"},
        "width": 800,
        "height": 600,
    }
    messages = [{"role": "user", "content": [part]}]
    count = count_message_tokens(messages, "gemini-3-pro-preview")
    text = count_message_tokens([{"role": "user", "content": []}], "gemini-3-pro-preview")
    assert count.value - text.value == 2240


def test_gemini_2_tiles() -> None:
    small = image_tokens(384, 384, provider="gemini", model="gemini-2.5-flash")
    assert small == TokenCount(258, True, "gemini:image:258")
    big = image_tokens(1000, 1000, provider="gemini", model="gemini-2.5-flash")
    assert big.value == 4 * 258  # 2 x 2 tiles of 768 px
    assert not big.exact
    assert big.expected_error == 0.3
    wide = image_tokens(2000, 385, provider="gemini", model="gemini-2.0-flash")
    assert wide.value == 3 * 258
    # the level does not change a Gemini 2.x count
    assert image_tokens(1000, 1000, provider="gemini", model="gemini-2.5-pro", detail="low") == big


@pytest.mark.parametrize("detail", ["ultra_high", "original"])
def test_gemini_2_refuses_gemini_3_levels(detail: str) -> None:
    with pytest.raises(ValueError, match=r"not a level of Gemini gemini-1\.x/2\.x"):
        image_tokens(1000, 1000, provider="gemini", model="gemini-2.5-flash", detail=detail)
    with pytest.raises(ValueError, match="not a level"):
        image_tokens_unknown_size(provider="gemini", model="gemini-2.5-flash", detail=detail)


def test_unknown_detail_is_refused() -> None:
    with pytest.raises(ValueError, match="detail must be one of"):
        image_tokens(10, 10, provider="gemini", model="gemini-3-pro", detail="extreme")


# ------------------------------------------------------------------------------ OpenAI


def test_openai_tiles_on_the_guide() -> None:
    assert image_tokens(1024, 1024, provider="openai", detail="high", model="gpt-4o") == TokenCount(
        765, True, "openai:image:tiles(85+170n)"
    )
    assert image_tokens(2048, 4096, provider="openai", detail="high", model="gpt-4o").value == 1105
    low = image_tokens(4096, 8192, provider="openai", detail="low", model="gpt-4o")
    assert low == TokenCount(85, True, "openai:image:low(85)")


def test_openai_patches_on_the_guide() -> None:
    square = image_tokens(1024, 1024, provider="openai", model="gpt-4.1-mini")
    assert square == TokenCount(1659, True, "openai:image:patches32×1.62(gpt-4.1-mini)")
    # 1800x2400: 57 x 75 = 4275 patches > 1536, shrunk to 33 x 44 = 1452 patches
    assert image_tokens(1800, 2400, provider="openai", model="gpt-4.1-mini").value == 2353


def test_openai_54_patches_are_labelled_estimates() -> None:
    high = image_tokens(4000, 4000, provider="openai", model="gpt-5.4", detail="high")
    assert not high.exact
    assert high.expected_error == 0.25
    assert "multiplier unpublished" in high.method
    assert high.value <= math.ceil(2500 * 1.2)
    original = image_tokens(4000, 4000, provider="openai", model="gpt-5.4", detail="original")
    assert original.value > high.value
    assert original.value <= math.ceil(10_000 * 1.2)
    with pytest.raises(ValueError, match="not a level of OpenAI"):
        image_tokens(10, 10, provider="openai", model="gpt-4o", detail="original")


def test_rules_name_their_sources_and_dates() -> None:
    rows: list[Any] = [
        *OPENAI_TILE_RULES,
        *OPENAI_PATCH_RULES,
        *ANTHROPIC_IMAGE_RULES,
        *GEMINI_IMAGE_RULES,
        *TEXT_GENERATIONS,
    ]
    for row in rows:
        assert row.source.startswith("https://")
        assert dt.date.fromisoformat(row.read) <= dt.date(2026, 12, 3)


# -------------------------------------------------------------------------------- text


def test_gpt_35_turbo_0301_framing() -> None:
    from tests.tokens.test_chat import COOKBOOK_MESSAGES

    # the cookbook's example, prompt_tokens reported by the API
    old = count_message_tokens(COOKBOOK_MESSAGES, "gpt-3.5-turbo-0301")
    assert old == TokenCount(127, True, "tiktoken:cl100k_base+chat")
    for model in ("gpt-3.5-turbo-0613", "gpt-3.5-turbo", "gpt-4-0613"):
        assert count_message_tokens(COOKBOOK_MESSAGES, model).value == 129
    # 4 per message, -1 per name (6 messages, 4 names): 129 + 6 - 8
    assert count_message_tokens(COOKBOOK_MESSAGES, "openai/gpt-3.5-turbo-0301").value == 127
    named = [{"role": "user", "name": "bob", "content": "hello"}]
    later = count_message_tokens(named, "gpt-3.5-turbo-0613").value
    assert count_message_tokens(named, "gpt-3.5-turbo-0301").value == later + 1 - 2


@pytest.mark.parametrize(
    ("model", "label", "factor"),
    [
        ("claude-opus-4-7", "claude-opus-4.7+", 1.45),
        ("claude-opus-4.7", "claude-opus-4.7+", 1.45),
        ("anthropic/claude-4.7-opus", "claude-opus-4.7+", 1.45),
        ("us.anthropic.claude-opus-4-8", "claude-opus-4.7+", 1.45),
        ("claude-sonnet-5", "claude-opus-4.7+", 1.45),
        ("claude-opus-4-6", "claude-3..4.6", 1.25),
        ("claude-sonnet-4-5", "claude-3..4.6", 1.25),
        ("claude-3-5-sonnet-20241022", "claude-3..4.6", 1.25),
    ],
)
def test_claude_text_estimates_name_their_generation(model: str, label: str, factor: float) -> None:
    text = "Tokenizers differ between model generations; so do their estimates. " * 10
    count = count_tokens(text, model)
    assert not count.exact
    assert count.method.endswith(f"×{factor:.2f}(anthropic:{label})")
    messages = count_message_tokens([{"role": "user", "content": text}], model)
    assert f"(anthropic:{label})" in messages.method


def test_opus_47_factor_covers_the_published_range() -> None:
    """Anthropic: Opus 4.7's tokenizer makes 1.0-1.35× the tokens of earlier models; the
    4.7 estimate's stated error covers that range on the earlier factor."""
    new = calibration_for("anthropic", "claude-opus-4-7")
    old = calibration_for("anthropic", "claude-opus-4-6")
    assert new.factor > old.factor
    for ratio in (1.0, 1.35):
        assert abs(old.factor * ratio - new.factor) <= new.expected_error * new.factor
    # a family without a known model id keeps its unlabelled family calibration
    assert calibration_for("anthropic", "x").label is None
    assert calibration_for("anthropic").label is None
