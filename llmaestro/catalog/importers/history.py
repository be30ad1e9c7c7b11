"""Price history at import time: dated prices from the sources and hand-checked announcements."""

from __future__ import annotations

from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from llmaestro.catalog.importers.builder import Builder


def merge_history(builder: Builder, genai_prices: Path | None) -> None:
    """Add ``pricing.history`` and ``pricing.effective`` from every source that dates prices."""
