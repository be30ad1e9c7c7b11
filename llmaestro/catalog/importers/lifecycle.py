"""Lifecycle at import time: each offering's status as its dates imply on the import's day."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from llmaestro.catalog.importers.builder import Builder


def settle_status(builder: Builder) -> None:
    """Set the status each offering's dates imply as of ``builder.today``."""
