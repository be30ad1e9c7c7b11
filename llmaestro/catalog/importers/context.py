"""Context variants at import time: the default window, the extended one and its option."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from llmaestro.catalog.importers.builder import Builder


def extend_context(builder: Builder) -> None:
    """Split each offering's window into ``limits.context`` (what a request gets by default)
    and ``limits.extended_context`` (behind an option), keeping the tiers between them."""
