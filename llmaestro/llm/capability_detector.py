"""The seed's capability detection: ``ModelCapabilityDetectorFactory`` and the detector registry
(see :mod:`llmaestro.refresh.seed` and :mod:`llmaestro.refresh.registry`).

A facade: it re-exports, and holds no logic of its own.
"""

from llmaestro.refresh.seed import (
    DETECTORS,
    ENTRY_POINT_GROUP,
    DetectorRegistry,
    ModelCapabilityDetectorFactory,
    ModelNotListedError,
    load_provider_record,
    mangle,
    updated_record,
)

__all__ = [
    "DETECTORS",
    "ENTRY_POINT_GROUP",
    "DetectorRegistry",
    "ModelCapabilityDetectorFactory",
    "ModelNotListedError",
    "load_provider_record",
    "mangle",
    "updated_record",
]
