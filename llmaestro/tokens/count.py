"""Offline token counting: exact for OpenAI models, labelled estimates for the others.

* :func:`count_tokens` counts a text, :func:`count_message_tokens` a chat request
  (messages, tool definitions, reply priming), :func:`image_tokens` one image,
  :func:`fit_text` truncates a text to a token budget on token boundaries.
* ``model`` is a model id (``"gpt-4o-mini"``, ``"openai/gpt-4.1"``, ``"claude-sonnet-4"``),
  an encoding name (``"o200k_base"``, ``"cl100k_base"``) or any object with a ``tokenizer``
  attribute such as a catalog offering (its ``id``/``provider`` attributes are used when
  ``tokenizer`` is ``None``); see :func:`tokenizer_for`.
* OpenAI encodings (o200k_base, cl100k_base) ship inside the package, are verified against
  their sha256 and loaded once, lazily and thread-safely; counts equal tiktoken's exactly
  (special-token strings such as ``"<|endoftext|>"`` are counted as plain text). Nothing
  is ever downloaded: no network at import or count time, and ``tiktoken`` itself is only
  imported on the first count.
* Other tokenizers (Anthropic, Gemini, Llama, Mistral, unknown) are not public or not
  shipped: their counts are the o200k_base count times a per-family calibration factor,
  returned with ``exact=False`` and the typical relative error in ``expected_error``.
  Pass ``client=`` (an object with ``count_tokens(messages, model) -> int``, e.g. a
  provider client calling its count-tokens endpoint) for an exact count.

Every function returns a :class:`TokenCount` (``value``, ``exact``, ``method``,
``expected_error``) so that estimates are never mistaken for exact counts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

from llmaestro.tokens.chat import count_messages
from llmaestro.tokens.encodings import ENCODINGS, TokenizerDataError, get_encoding
from llmaestro.tokens.images import image_tokens
from llmaestro.tokens.resolve import (
    FAMILY_CALIBRATION,
    Calibration,
    calibration_for,
    resolve,
    tokenizer_for,
)
from llmaestro.tokens.types import CountTokensClient, TokenCount, TokenizerSpec

if TYPE_CHECKING:  # pragma: no cover
    import tiktoken

__all__ = [
    "FAMILY_CALIBRATION",
    "SHIPPED_ENCODINGS",
    "Calibration",
    "CountTokensClient",
    "Message",
    "ModelRef",
    "TokenCount",
    "TokenizerDataError",
    "TokenizerSpec",
    "count_message_tokens",
    "count_tokens",
    "fit_text",
    "get_encoding",
    "image_tokens",
    "tokenizer_for",
]

#: A model id, an encoding name, or an object with a ``tokenizer`` attribute.
ModelRef: TypeAlias = str | TokenizerSpec
#: A chat message: an OpenAI-format dict (``role``, ``content``, ``name``, ``tool_calls``...).
Message: TypeAlias = Mapping[str, Any]

#: Encodings shipped with llmaestro (exact counts).
SHIPPED_ENCODINGS: tuple[str, ...] = tuple(ENCODINGS)

_ESTIMATE_ENCODING = "o200k_base"


def _endpoint_model(model: ModelRef) -> tuple[str, str]:
    resolved = resolve(model)
    return resolved.model or resolved.tokenizer, resolved.provider or "client"


def count_tokens(
    text: str, model: ModelRef, *, client: CountTokensClient | None = None
) -> TokenCount:
    """Number of tokens of ``text`` for ``model``.

    Exact (``method="tiktoken:<encoding>"``) for models using a shipped encoding; otherwise
    ``ceil(o200k_base count × factor)`` with ``exact=False`` and
    ``method="estimate:o200k_base×<factor>(<family>[:<generation>])"``, the factor that of
    the model's tokenizer generation (e.g. ``anthropic:claude-opus-4.7+``, whose new
    tokenizer makes more tokens than ``anthropic:claude-3..4.6``). With ``client``, the provider's
    endpoint counts ``text`` sent as one user message (chat framing included) and the
    result is exact (``method="endpoint:<provider>"``).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if client is not None:
        model_id, provider = _endpoint_model(model)
        value = client.count_tokens([{"role": "user", "content": text}], model_id)
        return TokenCount(int(value), True, f"endpoint:{provider}")
    resolved = resolve(model)
    if resolved.exact:
        encoding = get_encoding(resolved.tokenizer)
        return TokenCount(len(encoding.encode_ordinary(text)), True, f"tiktoken:{encoding.name}")
    calibration = calibration_for(resolved.tokenizer, resolved.model)
    base = len(get_encoding(_ESTIMATE_ENCODING).encode_ordinary(text))
    return TokenCount(
        value=math.ceil(base * calibration.factor),
        exact=False,
        method=calibration.method(resolved.tokenizer, _ESTIMATE_ENCODING),
        expected_error=calibration.expected_error,
    )


def count_message_tokens(
    messages: Iterable[Message],
    model: ModelRef,
    tools: Iterable[Mapping[str, Any]] | None = None,
    *,
    client: CountTokensClient | None = None,
) -> TokenCount:
    """Prompt tokens of a chat request: ``messages`` (+ ``tools``) and the reply priming.

    Messages are OpenAI chat dicts: ``role``, ``content`` (a string or a list of parts:
    ``{"type": "text", "text": ...}``, ``{"type": "image_url", "image_url": {"url": ...,
    "detail": ...}}`` with optional ``width``/``height`` keys, on the part or in
    ``image_url``; ``data:`` URLs of PNG/JPEG/GIF/WebP images are sized from their header),
    ``name``, ``tool_calls``. Anthropic content blocks (``text``, ``image`` with a base64
    ``source``, ``tool_use``, ``tool_result``) are accepted too. ``tools`` are OpenAI tool
    dicts (``{"type": "function", "function": {...}}``), legacy functions or Anthropic tools
    (``input_schema``).

    For OpenAI models this applies the OpenAI cookbook's rules (3 tokens per message, 1 per
    name, 3 for reply priming; func_init/prop_init/prop_key/enum_init/enum_item/func_end for
    tools) and the providers' image formulas; the result is ``exact`` only when every part
    is covered by those published rules (``method`` lists what is approximated otherwise).
    For other models the text part is an estimate (see :func:`count_tokens`).

    With ``client``, the provider's endpoint counts the messages (exact); ``tools`` are then
    added from the local rules, which makes the result exact only for OpenAI models.
    """
    messages = list(messages)
    if client is None:
        return count_messages(messages, resolve(model), tools)
    model_id, provider = _endpoint_model(model)
    counted = TokenCount(int(client.count_tokens(messages, model_id)), True, f"endpoint:{provider}")
    tools = list(tools) if tools is not None else None
    if not tools:
        return counted
    with_tools = count_messages([], resolve(model), tools)
    without_tools = count_messages([], resolve(model), None)
    tools_only = TokenCount(
        with_tools.value - without_tools.value,
        with_tools.exact,
        "tools",
        with_tools.expected_error,
    )
    return counted + tools_only


def _fit(encoding: tiktoken.Encoding, text: str, budget: int) -> str:
    """Longest prefix of ``text`` ending on a token boundary with ≤ ``budget`` tokens."""
    if budget <= 0:
        return ""
    tokens = encoding.encode_ordinary(text)
    if len(tokens) <= budget:
        return text
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: tokenized as U+FFFD, as tiktoken does
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        raw = text.encode("utf-8")
    keep = budget
    while keep > 0:
        cut = len(encoding.decode_bytes(tokens[:keep]))
        while cut > 0 and raw[cut] & 0xC0 == 0x80:  # back to a character boundary
            cut -= 1
        candidate = raw[:cut].decode("utf-8")
        # re-tokenizing a prefix can (rarely) merge differently: verify
        excess = len(encoding.encode_ordinary(candidate)) - budget
        if excess <= 0:
            return candidate
        keep -= excess
    return ""


def fit_text(text: str, model: ModelRef, max_tokens: int) -> str:
    """``text`` cut on a token boundary so that it counts at most ``max_tokens`` tokens.

    Returns ``text`` unchanged when it already fits, otherwise its longest prefix ending
    on a token boundary whose count (as :func:`count_tokens` computes it for ``model``,
    exact or estimated) is ≤ ``max_tokens``. Never splits a character. Lone surrogates,
    which tiktoken tokenizes as U+FFFD, come back as U+FFFD when the text is cut.
    """
    if isinstance(max_tokens, bool) or not isinstance(max_tokens, int):
        raise TypeError(f"max_tokens must be an int, got {type(max_tokens).__name__}")
    if max_tokens < 0:
        raise ValueError(f"max_tokens must be >= 0, got {max_tokens}")
    resolved = resolve(model)
    if resolved.exact:
        return _fit(get_encoding(resolved.tokenizer), text, max_tokens)
    factor = calibration_for(resolved.tokenizer, resolved.model).factor
    budget = math.floor(max_tokens / factor)
    while budget > 0 and math.ceil(budget * factor) > max_tokens:
        budget -= 1
    return _fit(get_encoding(_ESTIMATE_ENCODING), text, budget)
