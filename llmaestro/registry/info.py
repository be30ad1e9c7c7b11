"""Where a registry's data came from: :class:`CatalogInfo`."""

from __future__ import annotations


class CatalogInfo:
    """Where a registry's data came from."""

    __slots__ = ("canonical_models", "fingerprint", "offerings", "providers", "source")

    def __init__(
        self,
        source: str,
        fingerprint: str | None,
        providers: int,
        canonical_models: int,
        offerings: int,
    ) -> None:
        self.source = source
        self.fingerprint = fingerprint
        self.providers = providers
        self.canonical_models = canonical_models
        self.offerings = offerings

    def __repr__(self) -> str:
        return (
            f"CatalogInfo(source={self.source!r}, providers={self.providers}, "
            f"canonical_models={self.canonical_models}, offerings={self.offerings})"
        )
