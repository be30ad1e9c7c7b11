"""Image token formulas on hand-computed cases, and image header sniffing."""

from __future__ import annotations

import base64
import struct

import pytest

from llmaestro.tokens.count import TokenCount, image_tokens
from llmaestro.tokens.images import (
    image_size_from_bytes,
    image_size_from_data_url,
)

# ----------------------------------------------------------------------------- OpenAI


@pytest.mark.parametrize(
    ("width", "height", "detail", "expected"),
    [
        # the worked examples of OpenAI's vision guide
        (1024, 1024, "high", 765),  # -> 768x768: 4 tiles: 85 + 4*170
        (2048, 4096, "high", 1105),  # -> 1024x2048 -> 768x1536: 6 tiles
        (4096, 8192, "low", 85),
        # small images are not upscaled: 1 tile
        (512, 512, "high", 255),
        (513, 500, "high", 425),  # 2 tiles
        # rounding of the scaled size (as billed): 2049x513 -> 2048x513 -> 4x2 tiles,
        # 2050x513 -> 2048x512 -> 4x1 tiles
        (2049, 513, "high", 85 + 8 * 170),
        (2050, 513, "high", 85 + 4 * 170),
    ],
)
def test_openai_tiles(width: int, height: int, detail: str, expected: int) -> None:
    count = image_tokens(width, height, provider="openai", detail=detail)
    assert count.value == expected
    assert count.exact


def test_openai_auto_is_high_but_not_exact() -> None:
    count = image_tokens(1024, 1024, provider="openai")
    assert count.value == 765
    assert not count.exact
    assert count.expected_error is not None


@pytest.mark.parametrize(
    ("model", "detail", "expected"),
    [
        ("gpt-4o-mini", "high", 2833 + 4 * 5667),
        ("gpt-4o-mini-2024-07-18", "low", 2833),
        ("gpt-4.1", "high", 765),
        ("openai/gpt-4o", "high", 765),
        ("gpt-5", "high", 70 + 4 * 140),
        ("o3", "low", 75),
        ("o1-2024-12-17", "high", 75 + 4 * 150),
    ],
)
def test_openai_model_constants(model: str, detail: str, expected: int) -> None:
    assert image_tokens(1024, 1024, provider="openai", detail=detail, model=model).value == expected


@pytest.mark.parametrize(
    ("model", "width", "height", "expected"),
    [
        ("gpt-4.1-mini", 1024, 1024, 1659),  # 32*32 = 1024 patches * 1.62 = 1658.88
        ("gpt-4.1-mini", 1800, 2400, 2353),  # shrunk to 1056x1408: 33*44 = 1452 patches * 1.62
        ("gpt-4.1-nano", 1800, 2400, 3572),  # 1452 * 2.46 = 3571.92
        ("o4-mini", 128, 64, 14),  # 4*2 = 8 patches * 1.72 = 13.76
        ("gpt-5-mini", 100, 100, 26),  # 4*4 = 16 patches * 1.62 = 25.92
    ],
)
def test_openai_patches(model: str, width: int, height: int, expected: int) -> None:
    count = image_tokens(width, height, provider="openai", detail="low", model=model)
    assert count.value == expected
    assert count.exact


# -------------------------------------------------------------------- Anthropic, Gemini


def test_anthropic() -> None:
    # 28-px patches: 1000x1000 -> 36 x 36 visual tokens (claude-3..4.6 by default)
    count = image_tokens(1000, 1000, provider="anthropic")
    assert count == TokenCount(1296, False, "anthropic:image:patches28(claude-3..4.6)", 0.01)
    assert image_tokens(200, 200, provider="anthropic").value == 64  # 8 x 8
    # long edge > 1568 px: resized into 1568 px / 1568 tokens (2000x1000 -> 56 x 28)
    resized = image_tokens(2000, 1000, provider="anthropic")
    assert resized.value <= 1568
    assert "resized" in resized.method
    # never more than the model's limit
    assert image_tokens(8000, 8000, provider="anthropic").value <= 1568
    assert image_tokens(8000, 8000, provider="anthropic", model="claude-opus-4-7").value <= 4784


def test_gemini() -> None:
    small = image_tokens(384, 384, provider="gemini")
    assert small == TokenCount(258, True, "gemini:image:258")
    assert image_tokens(100, 50, provider="google").value == 258
    big = image_tokens(1000, 1000, provider="vertex_ai")
    assert big.value == 4 * 258  # 2x2 tiles of 768 px
    assert not big.exact
    g3 = image_tokens(1000, 1000, provider="gemini", model="gemini-3-pro-preview")
    assert g3.value == 1120
    assert not g3.exact


def test_other_providers_estimate() -> None:
    count = image_tokens(750, 100, provider="mistral")
    assert count.value == 100
    assert not count.exact
    assert count.method.startswith("estimate:")


@pytest.mark.parametrize(
    ("width", "height", "detail"),
    [(0, 10, "high"), (10, -1, "high"), (10, 10, "ultra"), (1.5, 10, "high")],
)
def test_invalid_arguments(width: int, height: int, detail: str) -> None:
    with pytest.raises(ValueError, match="must be"):
        image_tokens(width, height, provider="openai", detail=detail)


# ------------------------------------------------------------------------------ sniffing


def png(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + b"\0" * 8


def gif(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\0" * 8


def jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    exif = b"\xff\xe1" + struct.pack(">H", 6002) + b"\0" * 6000  # a large segment first
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + exif + sof0 + b"\xff\xd9"


def webp_vp8x(width: int, height: int) -> bytes:
    payload = b"\0\0\0\0" + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", 30) + b"WEBP" + b"VP8X" + struct.pack("<I", 10) + payload


def webp_vp8l(width: int, height: int) -> bytes:
    bits = (width - 1) | (height - 1) << 14
    payload = b"\x2f" + bits.to_bytes(4, "little")
    return b"RIFF" + struct.pack("<I", 30) + b"WEBP" + b"VP8L" + struct.pack("<I", 5) + payload


def webp_vp8(width: int, height: int) -> bytes:
    frame = b"\x00\x00\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", width, height)
    return b"RIFF" + struct.pack("<I", 30) + b"WEBP" + b"VP8 " + struct.pack("<I", 10) + frame


@pytest.mark.parametrize("make", [png, gif, jpeg, webp_vp8x, webp_vp8l, webp_vp8])
def test_image_size_from_bytes(make: object) -> None:
    assert callable(make)
    data = make(1234, 567)
    assert image_size_from_bytes(data) == (1234, 567)
    url = "data:image/x;base64," + base64.b64encode(data).decode()
    assert image_size_from_data_url(url) == (1234, 567)


def test_unrecognised_images() -> None:
    assert image_size_from_bytes(b"not an image at all") is None
    assert image_size_from_data_url("https://example.com/a.png") is None
    assert image_size_from_data_url("data:image/png;base64,!!!!") is None
