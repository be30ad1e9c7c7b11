"""Normalized usage: :class:`Usage`, one meaning for every provider's usage report.

The one convention
------------------
Every provider reports usage its own way; :class:`Usage` has exactly one meaning:

* ``input_tokens`` is **every** prompt token of the request: uncached ones, those read from
  the cache, those written to the cache (5-minute and 1-hour), audio and image prompt
  tokens. It is what context windows and context-tier thresholds are compared with.
* ``cache_read_tokens``, ``cache_write_tokens`` (5-minute), ``cache_write_1h_tokens``,
  ``input_audio_tokens`` and ``input_image_tokens`` are disjoint parts **of**
  ``input_tokens``; what is left is plain text prompt tokens. Audio or image tokens read from
  the cache count as ``cache_read_tokens``; ``cache_read_audio_tokens`` is the audio part
  **of** ``cache_read_tokens`` (priced at ``cache_read_audio``, the rest at ``cache_read``).
* ``output_tokens`` is **every** generated token: visible text, reasoning ("thinking"),
  audio and image tokens. ``reasoning_tokens``, ``output_audio_tokens`` and
  ``output_image_tokens`` are disjoint parts **of** ``output_tokens``.
* ``images`` counts the images in the prompt (for per-image prices; their tokens, if any,
  are in ``input_tokens``), ``generated_images`` the images generated, ``requests`` the API
  requests (default 1), ``web_searches`` the web-search tool calls billed.

:func:`~llmaestro.cost.extract_usage` (:mod:`llmaestro.cost.extract`) converts each API's
usage onto this convention.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Final

from llmaestro.errors import CostError

__all__ = ["Usage"]


@dataclass(frozen=True, slots=True)
class Usage:
    """What one request (or a sum of requests) used, in llmaestro's normalized convention.

    See the module documentation: ``input_tokens`` counts *all* prompt tokens (cached and
    cache-written ones included) and ``output_tokens`` *all* generated tokens (reasoning and
    audio included); the other token fields are parts of those two. Every field is an
    ``int >= 0``; inconsistent parts (e.g. more cached tokens than input tokens) raise
    :class:`~llmaestro.errors.CostError`.
    """

    input_tokens: int = 0
    """All prompt tokens, including cached, cache-written, audio and image prompt tokens."""
    output_tokens: int = 0
    """All generated tokens, including reasoning, audio and image output tokens."""
    cache_read_tokens: int = 0
    """Prompt tokens read from the cache (part of ``input_tokens``)."""
    cache_write_tokens: int = 0
    """Prompt tokens written to the 5-minute cache (part of ``input_tokens``)."""
    cache_write_1h_tokens: int = 0
    """Prompt tokens written to the 1-hour cache (part of ``input_tokens``)."""
    reasoning_tokens: int = 0
    """Reasoning / thinking tokens (part of ``output_tokens``)."""
    input_audio_tokens: int = 0
    """Audio prompt tokens not read from the cache (part of ``input_tokens``)."""
    output_audio_tokens: int = 0
    """Audio output tokens (part of ``output_tokens``)."""
    input_image_tokens: int = 0
    """Image prompt tokens not read from the cache (part of ``input_tokens``)."""
    output_image_tokens: int = 0
    """Image output tokens (part of ``output_tokens``)."""
    images: int = 0
    """Images in the prompt (for per-image prices)."""
    generated_images: int = 0
    """Images generated (for per-image prices)."""
    requests: int = 1
    """API requests (for per-request prices)."""
    web_searches: int = 0
    """Web-search tool calls billed."""
    cache_read_audio_tokens: int = 0
    """Audio prompt tokens read from the cache (part of ``cache_read_tokens``)."""

    def __post_init__(self) -> None:
        for name in _FIELDS:
            value = getattr(self, name)
            if type(value) is not int:
                if isinstance(value, bool) or not isinstance(value, int):
                    raise TypeError(f"Usage.{name} must be an int, got {type(value).__name__}")
                object.__setattr__(self, name, int(value))  # an int subclass: plain int
            if value < 0:
                raise CostError(f"Usage.{name} must be >= 0, got {value}")
        inside = (
            self.cache_read_tokens
            + self.cache_write_tokens
            + self.cache_write_1h_tokens
            + self.input_audio_tokens
            + self.input_image_tokens
        )
        if inside > self.input_tokens:
            raise CostError(
                f"Usage.input_tokens ({self.input_tokens}) must include the cache read, cache "
                f"write, audio and image prompt tokens ({inside}): input_tokens counts every "
                "prompt token (for Anthropic-style usage add the cache tokens to input_tokens)"
            )
        if self.cache_read_audio_tokens > self.cache_read_tokens:
            raise CostError(
                f"Usage.cache_read_tokens ({self.cache_read_tokens}) must include the audio "
                f"tokens read from the cache ({self.cache_read_audio_tokens})"
            )
        generated = self.reasoning_tokens + self.output_audio_tokens + self.output_image_tokens
        if generated > self.output_tokens:
            raise CostError(
                f"Usage.output_tokens ({self.output_tokens}) must include the reasoning, audio "
                f"and image output tokens ({generated}): output_tokens counts every generated "
                "token (for xAI-style usage add reasoning_tokens to output_tokens)"
            )

    # --- derived views ---------------------------------------------------------------------

    @property
    def prompt_tokens(self) -> int:
        """All prompt tokens (same as ``input_tokens``): what context tiers are compared with."""
        return self.input_tokens

    @property
    def completion_tokens(self) -> int:
        """All generated tokens (same as ``output_tokens``)."""
        return self.output_tokens

    @property
    def uncached_input_tokens(self) -> int:
        """Prompt tokens neither read from nor written to the cache."""
        return (
            self.input_tokens
            - self.cache_read_tokens
            - self.cache_write_tokens
            - self.cache_write_1h_tokens
        )

    @property
    def total_tokens(self) -> int:
        """``input_tokens + output_tokens``."""
        return self.input_tokens + self.output_tokens

    # --- arithmetic ------------------------------------------------------------------------

    def __add__(self, other: Usage) -> Usage:
        """Field-wise sum: the usage of two separate requests (``requests`` adds up too).

        Not for stream events, which are cumulative: see :func:`extract_stream_usage`.
        """
        if not isinstance(other, Usage):
            return NotImplemented
        return Usage(*(getattr(self, n) + getattr(other, n) for n in _FIELDS))

    def __radd__(self, other: object) -> Usage:
        """Lets ``sum(usages)`` start from ``0``."""
        if other == 0 and not isinstance(other, bool):
            return self
        return NotImplemented

    def to_dict(self) -> dict[str, int]:
        """The fields as a plain dict."""
        return {n: getattr(self, n) for n in _FIELDS}


_FIELDS: Final[tuple[str, ...]] = tuple(f.name for f in fields(Usage))
