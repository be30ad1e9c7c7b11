"""Content parts of a message: text, images (URL or inline base64) and reasoning.

:func:`coerce_parts` reads message content given as a string, a part, or an iterable of
parts, strings and OpenAI / Anthropic style part dicts.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeAlias

__all__ = ["ImagePart", "Part", "TextPart", "ThinkingPart", "coerce_parts"]


@dataclass(frozen=True, slots=True)
class TextPart:
    """Plain text."""

    text: str
    type: ClassVar[str] = "text"


@dataclass(frozen=True, slots=True)
class ImagePart:
    """An image: a URL (``https://``, ``gs://``, a provider file URI or a ``data:`` URL) or
    inline base64 ``data`` with its ``media_type``. ``detail`` is OpenAI's ``low`` /
    ``high`` / ``auto`` hint (ignored by the other APIs).

    Build one with :meth:`from_url`, :meth:`from_bytes`, :meth:`from_base64` or
    :meth:`from_path`.
    """

    url: str | None = None
    data: str | None = field(default=None, repr=False)
    media_type: str | None = None
    detail: str | None = None
    type: ClassVar[str] = "image"

    def __post_init__(self) -> None:
        if (self.url is None) == (self.data is None):
            raise ValueError("ImagePart needs exactly one of url= or data=")
        if self.data is not None and not self.media_type:
            raise ValueError("ImagePart(data=...) needs media_type=, e.g. 'image/png'")

    @classmethod
    def from_url(cls, url: str, *, detail: str | None = None) -> ImagePart:
        """An image by URL (``data:`` URLs are kept as they are)."""
        return cls(url=url, detail=detail)

    @classmethod
    def from_base64(cls, data: str, media_type: str, *, detail: str | None = None) -> ImagePart:
        """An image from base64 text."""
        return cls(data=data, media_type=media_type, detail=detail)

    @classmethod
    def from_bytes(cls, raw: bytes, media_type: str, *, detail: str | None = None) -> ImagePart:
        """An image from its bytes."""
        return cls(data=base64.b64encode(raw).decode("ascii"), media_type=media_type, detail=detail)

    @classmethod
    def from_path(
        cls, path: str | Path, media_type: str | None = None, *, detail: str | None = None
    ) -> ImagePart:
        """An image read from a file (media type guessed from the suffix unless given)."""
        path = Path(path)
        kind = media_type or mimetypes.guess_type(path.name)[0]
        if not kind:
            raise ValueError(f"cannot guess the media type of {path.name}; pass media_type=")
        return cls.from_bytes(path.read_bytes(), kind, detail=detail)

    def inline(self) -> tuple[str, str] | None:
        """``(media_type, base64)`` for inline images and ``data:`` URLs, else None."""
        if self.data is not None:
            return (self.media_type or "application/octet-stream", self.data)
        url = self.url or ""
        if url.startswith("data:"):
            head, sep, payload = url[5:].partition(",")
            if sep and head.endswith(";base64"):
                return (head[: -len(";base64")] or "application/octet-stream", payload)
            if sep:  # percent-encoded or plain text data URL: re-encode
                raw = payload.encode("utf-8")
                return (head.split(";")[0] or "text/plain", base64.b64encode(raw).decode("ascii"))
        return None

    @property
    def data_url(self) -> str:
        """A URL for the image: ``url`` as given, or a ``data:`` URL for inline data."""
        if self.url is not None:
            return self.url
        return f"data:{self.media_type};base64,{self.data}"

    def raw_bytes(self) -> bytes | None:
        """The decoded bytes of an inline image (None for remote URLs)."""
        found = self.inline()
        if found is None:
            return None
        try:
            return base64.b64decode(found[1], validate=False)
        except (binascii.Error, ValueError):
            return None


@dataclass(frozen=True, slots=True)
class ThinkingPart:
    """Reasoning ("thinking") an assistant produced.

    ``signature`` (Anthropic, Gemini) must be sent back unchanged with the assistant turn in
    multi-turn tool use; ``redacted`` holds Anthropic's encrypted ``redacted_thinking``.
    APIs that do not take reasoning back (OpenAI chat completions) drop these parts.
    """

    text: str
    signature: str | None = field(default=None, repr=False)
    redacted: str | None = field(default=None, repr=False)
    type: ClassVar[str] = "thinking"


Part: TypeAlias = TextPart | ImagePart | ThinkingPart


def coerce_parts(
    content: str | Part | Iterable[Part | str | Mapping[str, Any]] | None,
) -> tuple[Part, ...]:
    """Message content as a tuple of parts (strings become :class:`TextPart`)."""
    if content is None:
        return ()
    if isinstance(content, str):
        return (TextPart(content),) if content else ()
    if isinstance(content, TextPart | ImagePart | ThinkingPart):
        return (content,)
    out: list[Part] = []
    for item in content:
        if isinstance(item, TextPart | ImagePart | ThinkingPart):
            out.append(item)
        elif isinstance(item, str):
            out.append(TextPart(item))
        elif isinstance(item, Mapping):
            out.append(_part_from_dict(item))
        else:
            raise TypeError(f"unsupported message content part: {type(item).__name__}")
    return tuple(out)


def _part_from_dict(item: Mapping[str, Any]) -> Part:
    kind = item.get("type")
    if kind in ("text", "input_text"):
        return TextPart(str(item.get("text", "")))
    if kind == "image_url":
        image = item.get("image_url")
        if isinstance(image, str):
            return ImagePart(url=image)
        if isinstance(image, Mapping) and isinstance(image.get("url"), str):
            return ImagePart(url=image["url"], detail=image.get("detail"))
        raise ValueError("an image_url part needs image_url.url")
    if kind == "image":  # Anthropic style
        source = item.get("source")
        if isinstance(source, Mapping):
            if source.get("type") == "base64":
                return ImagePart(data=source.get("data"), media_type=source.get("media_type"))
            if source.get("type") == "url":
                return ImagePart(url=source.get("url"))
        raise ValueError("an image part needs a base64 or url source")
    if kind == "thinking":
        return ThinkingPart(str(item.get("thinking", "")), signature=item.get("signature"))
    raise ValueError(f"unsupported message content part type {kind!r}")
