"""Billing kinds at import time: how each provider (and each offering that differs) is billed."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from llmaestro.catalog.importers.builder import Builder
    from llmaestro.catalog.importers.common import Facts


def assign_billing(builder: Builder, provider_facts: dict[str, Facts]) -> None:
    """Say how each provider and offering is billed (per_token, subscription, free_tier,
    self_hosted)."""
