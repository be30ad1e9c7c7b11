"""Active probes (``llmaestro detect --probe``, off by default): one minimal chat request per
feature and model, through the interface layer's chat clients, showing whether the model
accepts tools, a JSON-schema response format, an image and streaming.

Each answer is an observed fact like the listing's: success means supported, a request the
provider rejects as invalid (HTTP 400/422, :class:`~llmaestro.errors.InvalidRequestError`)
means not supported, and anything else (auth, rate limit, server error, timeout) proves
nothing and is left out. Probes cost tokens: each sends a few tokens and asks for at most
``max_tokens`` back.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from llmaestro.clients.anthropic import AnthropicClient
from llmaestro.clients.gemini import GeminiClient
from llmaestro.clients.openai_compat import OpenAICompatClient
from llmaestro.clients.types import ImagePart, Message, ResponseFormat, Tool
from llmaestro.errors import InvalidRequestError, ProviderError
from llmaestro.refresh.observation import Observation, ObservedOffering

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro.clients import BaseClient
    from llmaestro.refresh.detectors.base import Detector

__all__ = ["PROBES", "Probe", "probe_observation"]

logger = logging.getLogger("llmaestro.detectors.probe")

#: A 1×1 PNG.
_PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
_SCHEMA = {
    "type": "object",
    "properties": {"ok": {"type": "boolean"}},
    "required": ["ok"],
    "additionalProperties": False,
}


@dataclass(frozen=True, slots=True)
class Probe:
    """One probe: the fact it establishes and the request that tests it."""

    path: str
    run: Callable[[BaseClient, str, int], None]


def _tools(client: BaseClient, model: str, max_tokens: int) -> None:
    tool = Tool("ping", "Answers pong.", {"type": "object", "properties": {}})
    client.chat([Message.user("Call the ping tool.")], model, tools=[tool], max_tokens=max_tokens)


def _schema(client: BaseClient, model: str, max_tokens: int) -> None:
    client.chat(
        [Message.user('Reply {"ok": true}.')],
        model,
        response_format=ResponseFormat.json_schema(_SCHEMA, name="probe"),
        max_tokens=max_tokens,
    )


def _image(client: BaseClient, model: str, max_tokens: int) -> None:
    image = ImagePart.from_bytes(_PIXEL, "image/png")
    client.chat([Message.user("One word: what is this?", image)], model, max_tokens=max_tokens)


def _stream(client: BaseClient, model: str, max_tokens: int) -> None:
    with client.stream([Message.user("Say ok.")], model, max_tokens=max_tokens) as events:
        events.final_response()


PROBES: tuple[Probe, ...] = (
    Probe("capabilities.tool_calling", _tools),
    Probe("capabilities.structured_output", _schema),
    Probe("modalities.input[image]", _image),
    Probe("capabilities.streaming", _stream),
)


def _chat_client(detector: Detector) -> BaseClient:
    options = detector.client_options()
    options.pop("models_endpoint", None)
    style = detector.probe_style
    if style == "anthropic-messages":
        return AnthropicClient(**options)
    if style == "gemini":
        return GeminiClient(**options)
    if detector.provider == "ollama":
        options["base_url"] = detector.base_url + "/v1"
    return OpenAICompatClient(**options)


def probe_observation(
    detector: Detector,
    observation: Observation,
    *,
    models: Sequence[str] | None = None,
    limit: int = 20,
    max_tokens: int = 16,
    probes: Sequence[Probe] = PROBES,
    progress: Callable[[str], None] | None = None,
) -> Observation:
    """``observation`` with the probes' answers added to the chat models' facts (at most
    ``limit`` models; ``models`` picks them). Raises ``ValueError`` for a detector whose API
    has no chat client."""
    if detector.probe_style is None:
        raise ValueError(f"{detector.provider}: no chat client to probe with")
    wanted = set(models) if models is not None else None
    out: list[ObservedOffering] = []
    done = 0
    with _chat_client(detector) as client:
        for offering in observation.offerings:
            chat = offering.facts.get("kind", "chat") == "chat"
            chosen = offering.model_id in wanted if wanted is not None else chat
            if not chosen or done >= limit:
                out.append(offering)
                continue
            done += 1
            if progress is not None:
                progress(offering.model_id)
            found = _probe_one(client, offering.model_id, probes, max_tokens)
            out.append(_with_facts(offering, found))
    return replace(observation, offerings=tuple(out), probed=True)


def _probe_one(
    client: BaseClient, model: str, probes: Sequence[Probe], max_tokens: int
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for probe in probes:
        try:
            probe.run(client, model, max_tokens)
        except InvalidRequestError:
            found[probe.path] = False
        except ProviderError as exc:
            logger.info("%s: probe %s proved nothing: %s", model, probe.path, exc)
        else:
            found[probe.path] = True
    return found


def _with_facts(offering: ObservedOffering, found: dict[str, Any]) -> ObservedOffering:
    facts = dict(offering.facts)
    facts.update(found)
    return replace(
        offering,
        facts=facts,
        authoritative=offering.authoritative | frozenset(found),
        fill_only=offering.fill_only - frozenset(found),
    )
