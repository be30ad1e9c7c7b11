"""Helpers of the detectors' translations: listing values into the catalog's units.

Prices become exact :class:`~decimal.Decimal` USD per 1M tokens (:func:`per_million`),
timestamps days (:func:`epoch_or_date`), modality names the catalog's, in canonical order
(:func:`modalities`), and a model id a best guess of the offering's ``kind``
(:func:`guess_kind`, informative only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from llmaestro.refresh.observation import MODALITY_ORDER

__all__ = ["epoch_or_date", "guess_kind", "modalities", "per_million"]


def per_million(value: Any, scale: Decimal | int = 1) -> Decimal | None:
    """A price in USD per 1M tokens from ``value`` × ``scale`` (``scale=1_000_000`` for a
    per-token price), exact, with at least one decimal place (``3.0``, ``0.15``); None for
    missing, negative or unparsable values (OpenRouter's ``-1`` means "varies")."""
    if value is None or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value)) * Decimal(scale)
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount < 0:
        return None
    amount = amount.normalize()
    if amount == amount.to_integral_value():
        return amount.quantize(Decimal("0.0"))
    return amount


def modalities(
    values: Iterable[str] | None, *, aliases: Mapping[str, str] | None = None
) -> tuple[str, ...] | None:
    """The catalog modalities among ``values`` (mapped through ``aliases``), in canonical
    order; None when ``values`` is None."""
    if values is None:
        return None
    names = {(aliases or {}).get(v.lower(), v.lower()) for v in values if isinstance(v, str)}
    return tuple(m for m in MODALITY_ORDER if m in names)


def epoch_or_date(value: Any) -> dt.date | None:
    """A date from Unix seconds or an ISO 8601 text; None for missing values and for the
    epoch placeholder some APIs send when they do not know."""
    if value is None or isinstance(value, bool):
        return None
    when: dt.datetime | None = None
    if isinstance(value, int | float):
        if value <= 86_400:
            return None
        try:
            when = dt.datetime.fromtimestamp(value, tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    elif isinstance(value, dt.datetime):
        when = value
    elif isinstance(value, dt.date):
        return value
    elif isinstance(value, str) and value:
        text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
        try:
            when = dt.datetime.fromisoformat(text)
        except ValueError:
            try:
                return dt.date.fromisoformat(value[:10])
            except ValueError:
                return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    day = when.astimezone(dt.UTC).date()
    return None if day.year <= 1970 else day


_KIND_MARKERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("embedding", ("embed",)),
    ("rerank", ("rerank",)),
    ("moderation", ("moderation", "guard")),
    ("transcription", ("whisper", "transcribe", "stt")),
    ("speech", ("tts",)),
    (
        "image_generation",
        ("dall-e", "gpt-image", "chatgpt-image", "imagen", "flux", "stable-diffusion"),
    ),
    ("video", ("sora", "veo")),
    ("completion", ("babbage", "davinci")),
)


def guess_kind(model_id: str) -> str:
    """A best guess of an offering's ``kind`` from its id (informative only): chat unless the
    id names an embedding, rerank, moderation, audio, image or video model."""
    lowered = model_id.lower()
    for kind, markers in _KIND_MARKERS:
        if any(marker in lowered for marker in markers):
            return kind
    return "chat"
