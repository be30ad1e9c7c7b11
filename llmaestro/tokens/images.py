"""Image input token formulas, as the providers publish them.

OpenAI ("Images and vision" guide, *Calculating costs*):

* tile models: ``detail="low"`` costs the base; ``"high"`` scales the image to fit in
  2048×2048, then (only down) so its shortest side is 768 px, and costs
  ``base + tile × (number of 512 px tiles)``. Base/tile: 85/170 for gpt-4o, gpt-4.1,
  gpt-4.5, gpt-4-turbo (1024×1024 → 765, 2048×4096 → 1105, low → 85); 2833/5667 for
  gpt-4o-mini; 70/140 for gpt-5; 75/150 for o1/o3; 65/129 for computer-use-preview.
  Scaled sizes are rounded to the nearest pixel (this matches measured billing:
  2049×513 → 8 tiles, 2050×513 → 4 tiles). ``"auto"`` lets the model choose; it is
  counted as ``"high"`` (an upper bound) and reported non-exact.
* patch models (gpt-4.1-mini, gpt-4.1-nano, o4-mini, gpt-5-mini, gpt-5-nano): the number
  of 32×32 patches covering the image, the image first shrunk to fit 1536 patches,
  capped at 1536, times a per-model multiplier (1.62, 2.46, 1.72, 1.62, 2.46); ``detail``
  has no effect.

Anthropic ("Vision" guide): an image whose long edge exceeds 1568 px or whose area exceeds
~1.15 megapixels (about 1,600 tokens) is first scaled down, keeping its aspect ratio; it then
costs about ``width × height / 750`` tokens (1000×1000 → 1334). Anthropic calls this an
approximation, so it is reported non-exact.

Gemini ("Token counting" / "Image understanding"): Gemini 2.x counts an image whose both
dimensions are ≤ 384 px as 258 tokens; larger images are cropped and scaled into 768×768
tiles of 258 tokens each (the exact cropping is not published: non-exact). Gemini 3
uses ``media_resolution`` budgets (low 280, medium 560, high 1120; default high).
"""

from __future__ import annotations

import binascii
import math
import re
from typing import Final

from llmaestro.tokens.types import TokenCount

__all__ = [
    "image_size_from_bytes",
    "image_size_from_data_url",
    "image_tokens",
    "image_tokens_unknown_size",
    "normalize_image_provider",
]

_DETAILS: Final = frozenset({"auto", "low", "high"})

_OPENAI_PROVIDERS: Final = frozenset({"openai", "azure", "azure_openai", "azure-openai"})
_ANTHROPIC_PROVIDERS: Final = frozenset({"anthropic", "claude"})
_GEMINI_PROVIDERS: Final = frozenset(
    {"gemini", "google", "google-vertex", "vertex", "vertex_ai", "vertexai"}
)

# (pattern on the bare model id, multiplier) -- first match wins.
_PATCH_MODELS: Final = (
    (re.compile(r"^(?:ft:)?gpt-4\.1-mini"), 1.62),
    (re.compile(r"^(?:ft:)?gpt-4\.1-nano"), 2.46),
    (re.compile(r"^(?:ft:)?o4-mini"), 1.72),
    (re.compile(r"^(?:ft:)?gpt-5(?:\.\d+)?-mini"), 1.62),
    (re.compile(r"^(?:ft:)?gpt-5(?:\.\d+)?-nano"), 2.46),
)
# (pattern on the bare model id, base tokens, tokens per 512 px tile) -- first match wins.
_TILE_MODELS: Final = (
    (re.compile(r"^(?:ft:)?gpt-4o-mini"), 2833, 5667),
    (re.compile(r"^(?:ft:)?gpt-5"), 70, 140),
    (re.compile(r"^(?:ft:)?(?:o1|o3)(?:$|-)"), 75, 150),
    (re.compile(r"^computer-use-preview"), 65, 129),
)
_DEFAULT_TILE: Final = (85, 170)
_PATCH: Final = 32
_MAX_PATCHES: Final = 1536

_ANTHROPIC_MAX_EDGE: Final = 1568
_ANTHROPIC_MAX_PIXELS: Final = 1_205_862  # 1.15 × 2**20: the ~1,600-token ceiling
_ANTHROPIC_PIXELS_PER_TOKEN: Final = 750
_ANTHROPIC_ERROR: Final = 0.05

_GEMINI_SMALL: Final = 384
_GEMINI_TILE: Final = 768
_GEMINI_TOKENS: Final = 258
_GEMINI3_BUDGETS: Final = {"low": 280, "medium": 560, "high": 1120, "auto": 1120}

_GENERIC_ERROR: Final = 0.5


def normalize_image_provider(provider: str) -> str:
    """``"openai"``, ``"anthropic"``, ``"gemini"`` or ``"generic"`` for a provider id."""
    p = provider.strip().lower()
    if p in _OPENAI_PROVIDERS or is_openai_encoding(p):
        return "openai"
    if p in _ANTHROPIC_PROVIDERS:
        return "anthropic"
    if p in _GEMINI_PROVIDERS:
        return "gemini"
    return "generic"


def is_openai_encoding(name: str) -> bool:
    return name in {"o200k_base", "cl100k_base"}


def _bare(model: str | None, default: str) -> str:
    return (model or default).strip().lower().rsplit("/", 1)[-1]


def _scaled(size: int, target: int, reference: int) -> int:
    """``size × target / reference`` rounded half up (integer arithmetic), at least 1."""
    return max(1, (2 * size * target + reference) // (2 * reference))


def _check(width: int, height: int, detail: str) -> None:
    for label, value in (("width", width), ("height", height)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"image {label} must be a positive int, got {value!r}")
    if detail not in _DETAILS and detail != "medium":
        raise ValueError(f"detail must be 'auto', 'low' or 'high', got {detail!r}")


def _openai_tiles(width: int, height: int) -> int:
    w, h = width, height
    if max(w, h) > 2048:
        longest = max(w, h)
        w, h = _scaled(w, 2048, longest), _scaled(h, 2048, longest)
    if min(w, h) > 768:
        shortest = min(w, h)
        w, h = _scaled(w, 768, shortest), _scaled(h, 768, shortest)
    return math.ceil(w / 512) * math.ceil(h / 512)


def _openai_patches(width: int, height: int) -> int:
    patches = math.ceil(width / _PATCH) * math.ceil(height / _PATCH)
    if patches > _MAX_PATCHES:
        shrink = math.sqrt(_PATCH * _PATCH * _MAX_PATCHES / (width * height))
        w_patches = width * shrink / _PATCH
        h_patches = height * shrink / _PATCH
        shrink *= min(math.floor(w_patches) / w_patches, math.floor(h_patches) / h_patches)
        # tolerate float noise: 44.0000000001 patches is 44 patches
        w_cover = math.ceil(width * shrink / _PATCH - 1e-9)
        h_cover = math.ceil(height * shrink / _PATCH - 1e-9)
        patches = w_cover * h_cover
    return min(patches, _MAX_PATCHES)


def _patch_multiplier(bare: str) -> float | None:
    for pattern, multiplier in _PATCH_MODELS:
        if pattern.match(bare):
            return multiplier
    return None


def _tile_constants(bare: str) -> tuple[int, int]:
    for pattern, base, tile in _TILE_MODELS:
        if pattern.match(bare):
            return base, tile
    return _DEFAULT_TILE


def _openai(width: int, height: int, detail: str, model: str | None) -> TokenCount:
    bare = _bare(model, "gpt-4o")
    multiplier = _patch_multiplier(bare)
    if multiplier is not None:
        value = math.ceil(_openai_patches(width, height) * multiplier)
        return TokenCount(value, True, f"openai:image:patches32×{multiplier}")
    base, tile = _tile_constants(bare)
    if detail == "low":
        return TokenCount(base, True, f"openai:image:low({base})")
    value = base + tile * _openai_tiles(width, height)
    if detail == "high":
        return TokenCount(value, True, f"openai:image:tiles({base}+{tile}n)")
    return TokenCount(value, False, f"openai:image:tiles({base}+{tile}n),auto=high", 0.5)


def _anthropic(width: int, height: int) -> TokenCount:
    scale = min(
        1.0,
        _ANTHROPIC_MAX_EDGE / max(width, height),
        math.sqrt(_ANTHROPIC_MAX_PIXELS / (width * height)),
    )
    w, h = width, height
    if scale < 1.0:
        w, h = max(1, math.floor(width * scale)), max(1, math.floor(height * scale))
    value = math.ceil(w * h / _ANTHROPIC_PIXELS_PER_TOKEN)
    return TokenCount(value, False, "anthropic:image:w*h/750", _ANTHROPIC_ERROR)


def _gemini(width: int, height: int, detail: str, model: str | None) -> TokenCount:
    bare = _bare(model, "gemini-2.5-flash")
    if bare.startswith("gemini-3"):
        value = _GEMINI3_BUDGETS.get(detail, _GEMINI3_BUDGETS["auto"])
        return TokenCount(value, False, f"gemini:image:media_resolution({detail})", 0.1)
    if width <= _GEMINI_SMALL and height <= _GEMINI_SMALL:
        return TokenCount(_GEMINI_TOKENS, True, "gemini:image:258")
    tiles = math.ceil(width / _GEMINI_TILE) * math.ceil(height / _GEMINI_TILE)
    return TokenCount(_GEMINI_TOKENS * tiles, False, "gemini:image:tiles768(258n)", 0.3)


def image_tokens(
    width: int,
    height: int,
    *,
    provider: str,
    detail: str = "auto",
    model: str | None = None,
) -> TokenCount:
    """Input tokens of one ``width``×``height`` image, by the provider's published formula.

    ``provider``: ``"openai"`` (or ``"azure"``), ``"anthropic"``, ``"gemini"`` (or
    ``"google"``/``"vertex"``); any other provider gets a labelled estimate
    (``width × height / 750``, non-exact). ``detail`` is OpenAI's ``"low"``/``"high"``/
    ``"auto"`` (and Gemini 3's media resolution). ``model`` picks per-model constants
    (default gpt-4o for OpenAI). See the module docstring for the formulas and sources.
    """
    _check(width, height, detail)
    kind = normalize_image_provider(provider)
    if kind == "openai":
        return _openai(width, height, detail, model)
    if kind == "anthropic":
        return _anthropic(width, height)
    if kind == "gemini":
        return _gemini(width, height, detail, model)
    value = math.ceil(width * height / _ANTHROPIC_PIXELS_PER_TOKEN)
    return TokenCount(value, False, "estimate:image:w*h/750", _GENERIC_ERROR)


def image_tokens_unknown_size(
    *, provider: str, detail: str = "auto", model: str | None = None
) -> TokenCount:
    """Tokens of an image whose size is unknown: exact when size does not matter (OpenAI
    ``detail="low"`` on tile models), otherwise the formula's ceiling, labelled non-exact."""
    _check(1, 1, detail)
    kind = normalize_image_provider(provider)
    if kind == "openai":
        bare = _bare(model, "gpt-4o")
        multiplier = _patch_multiplier(bare)
        if multiplier is not None:
            value = math.ceil(_MAX_PATCHES * multiplier)
            return TokenCount(value, False, "openai:image:patches32,unknown-size(max)", 1.0)
        base, tile = _tile_constants(bare)
        if detail == "low":
            return TokenCount(base, True, f"openai:image:low({base})")
        # the largest high-detail image after scaling is 768×2048: 2×4 tiles
        value = base + tile * 8
        return TokenCount(value, False, "openai:image:tiles,unknown-size(max)", 1.0)
    if kind == "anthropic":
        value = math.ceil(_ANTHROPIC_MAX_PIXELS / _ANTHROPIC_PIXELS_PER_TOKEN)
        return TokenCount(value, False, "anthropic:image:unknown-size(max)", 1.0)
    if kind == "gemini":
        if _bare(model, "gemini-2.5-flash").startswith("gemini-3"):
            return _gemini(1, 1, detail, model)
        return TokenCount(_GEMINI_TOKENS * 4, False, "gemini:image:unknown-size(4 tiles)", 1.0)
    value = math.ceil(_ANTHROPIC_MAX_PIXELS / _ANTHROPIC_PIXELS_PER_TOKEN)
    return TokenCount(value, False, "estimate:image:unknown-size", 1.0)


# --------------------------------------------------------------------------- sniffing

_DATA_URL = re.compile(r"^data:[^,;]*(?:;[^,;]*)*;base64,", re.IGNORECASE)


def _be16(data: bytes, i: int) -> int:
    return int.from_bytes(data[i : i + 2], "big")


def _le16(data: bytes, i: int) -> int:
    return int.from_bytes(data[i : i + 2], "little")


def _le24(data: bytes, i: int) -> int:
    return int.from_bytes(data[i : i + 3], "little")


_JPEG_SOF: Final = frozenset(
    {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
)


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    n = len(data)
    while i + 4 <= n:
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0x01, *range(0xD0, 0xDA)):  # standalone markers
            i += 2
            continue
        if marker in _JPEG_SOF:
            if i + 9 > n:
                return None
            height, width = _be16(data, i + 5), _be16(data, i + 7)
            return (width, height) if width and height else None
        i += 2 + _be16(data, i + 2)
    return None


def image_size_from_bytes(data: bytes) -> tuple[int, int] | None:
    """``(width, height)`` read from a PNG, GIF, JPEG or WebP header; ``None`` otherwise."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        return (width, height) if width and height else None
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = _le16(data, 6), _le16(data, 8)
        return (width, height) if width and height else None
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        chunk = data[12:16]
        if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a" and len(data) >= 30:
            return _le16(data, 26) & 0x3FFF, _le16(data, 28) & 0x3FFF
        if chunk == b"VP8L" and data[20:21] == b"\x2f" and len(data) >= 25:
            b = data[21:25]
            width = 1 + (b[0] | (b[1] & 0x3F) << 8)
            height = 1 + (b[1] >> 6 | b[2] << 2 | (b[3] & 0x0F) << 10)
            return width, height
        if chunk == b"VP8X" and len(data) >= 30:
            return 1 + _le24(data, 24), 1 + _le24(data, 27)
        return None
    if data[:2] == b"\xff\xd8":
        return _jpeg_size(data)
    return None


def image_size_from_base64(payload: str) -> tuple[int, int] | None:
    """Image size from base64 data, decoding only a prefix when the header is there."""
    try:
        head = binascii.a2b_base64(_aligned(payload[:4096]))
        size = image_size_from_bytes(head)
        if size is None and head[:2] == b"\xff\xd8" and len(payload) > 4096:
            # JPEG: the frame header may follow large EXIF/ICC segments
            size = image_size_from_bytes(binascii.a2b_base64(_aligned(payload)))
    except (binascii.Error, ValueError):
        return None
    return size


def _aligned(chunk: str) -> bytes:
    """Base64 characters of ``chunk`` without whitespace, cut to a multiple of 4."""
    compact = "".join(chunk.split()).encode("ascii", "ignore")
    return compact[: len(compact) // 4 * 4]


def image_size_from_data_url(url: str) -> tuple[int, int] | None:
    """Image size of a ``data:image/...;base64,...`` URL; ``None`` for any other URL."""
    match = _DATA_URL.match(url)
    if match is None:
        return None
    return image_size_from_base64(url[match.end() :])
