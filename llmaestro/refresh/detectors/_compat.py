"""Detectors of OpenAI-compatible listings (``GET {base}/models``, ``{"data": [...]}`` or a
bare array), read through the interface layer's :class:`OpenAICompatClient`."""

from __future__ import annotations

from llmaestro.clients.openai_compat import OpenAICompatClient
from llmaestro.refresh.detectors.base import Detector

__all__ = ["OpenAICompatDetector"]


class OpenAICompatDetector(Detector):
    """A detector whose listing the OpenAI-compatible client reads (every page)."""

    probe_style = "openai-chat"

    def make_client(self) -> OpenAICompatClient:
        return OpenAICompatClient(**self.client_options())
