"""The seed's import paths (`llmaestro.llm.*`) are thin facades: they re-export, hold no logic of
their own, and export exactly their documented names (like httpx's test_exported_members)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

LLM = Path(__file__).resolve().parents[2] / "llmaestro" / "llm"

#: facade -> (the module its names come from, the documented names)
FACADES: dict[str, tuple[str, set[str]]] = {
    "llm_registry": ("llmaestro.seed.registry", {"CAPABILITIES", "LLMRegistry"}),
    "provider_registry": ("llmaestro.seed.providers", {"Provider", "ProviderRegistry"}),
    "capability_detector": (
        "llmaestro.refresh.seed",
        {
            "DETECTORS",
            "ENTRY_POINT_GROUP",
            "DetectorRegistry",
            "ModelCapabilityDetectorFactory",
            "ModelNotListedError",
            "load_provider_record",
            "mangle",
            "updated_record",
        },
    ),
    "token_utils": (
        "llmaestro.tokens",
        {
            "FAMILY_CALIBRATION",
            "SHIPPED_ENCODINGS",
            "Calibration",
            "CountTokensClient",
            "FitResult",
            "Message",
            "ModelChoice",
            "ModelRef",
            "TokenCount",
            "TokenizerDataError",
            "TokenizerSpec",
            "cheapest_model_for",
            "count_message_tokens",
            "count_tokens",
            "fit_messages",
            "fit_text",
            "get_encoding",
            "image_tokens",
            "tokenizer_for",
        },
    ),
    "rate_limiter": (
        "llmaestro.limits",
        {
            "DEFAULT_LEASE_TTL",
            "LIMIT_NAMES",
            "Backend",
            "Clock",
            "Decision",
            "ManualClock",
            "MemoryBackend",
            "OnUnavailable",
            "RateLimitError",
            "RateLimitTimeout",
            "RateLimiter",
            "RateLimiterUnavailable",
            "RateLimiterWarning",
            "RateLimits",
            "RedisBackend",
            "Reservation",
            "SystemClock",
            "delay_from_headers",
            "parse_duration",
            "parse_retry_after",
            "parse_rfc3339",
        },
    ),
    "interfaces": (
        "llmaestro.clients",
        {
            "AnthropicClient",
            "AsyncChatStream",
            "AsyncChatStreamLike",
            "AuthenticationError",
            "BaseClient",
            "CapabilityError",
            "ChatClient",
            "ChatOptions",
            "ChatResponse",
            "ChatStream",
            "ChatStreamLike",
            "ContextLengthExceededError",
            "GeminiClient",
            "ImagePart",
            "InvalidRequestError",
            "InvalidResponseError",
            "Message",
            "ModelInfo",
            "NotFoundError",
            "OpenAICompatClient",
            "OpenAICompatProfile",
            "PermissionDeniedError",
            "ProviderAPIError",
            "ProviderConfigError",
            "ProviderConnectionError",
            "ProviderError",
            "ProviderTimeoutError",
            "RateLimitedError",
            "Reasoning",
            "ReasoningDelta",
            "ResponseCompleted",
            "ResponseFormat",
            "RetryPolicy",
            "Secret",
            "ServerError",
            "StreamEvent",
            "TextDelta",
            "TextPart",
            "ThinkingPart",
            "Tool",
            "ToolCall",
            "ToolCallDelta",
            "client_for",
        },
    ),
    "models": (
        "llmaestro.catalog.model",
        {
            "KINDS",
            "MODALITIES",
            "STATUSES",
            "Api",
            "ApiStyle",
            "Auth",
            "BudgetRange",
            "CanonicalModel",
            "CanonicalModelFile",
            "Capabilities",
            "ContextTier",
            "Date",
            "EnvVarName",
            "HistoricPrice",
            "Kind",
            "LLMCapabilities",
            "LLMProfile",
            "Lifecycle",
            "Limits",
            "MediaType",
            "Modalities",
            "Modality",
            "ModelFacts",
            "ModelFamily",
            "ModelRef",
            "MonthOrDate",
            "NonNegativeInt",
            "Offering",
            "OfferingFile",
            "Price",
            "PriceSet",
            "Pricing",
            "Provider",
            "ProviderFeatures",
            "ProviderFile",
            "RateLimitTier",
            "Reasoning",
            "ReasoningEffort",
            "ServiceTierPrices",
            "ServiceTiers",
            "Slug",
            "Source",
            "Status",
            "TokenCount",
            "Url",
        },
    ),
}


def test_every_module_of_the_seed_package_is_a_listed_facade() -> None:
    modules = {p.stem for p in LLM.glob("*.py")} - {"__init__"}
    assert modules == set(FACADES)
    assert not [p for p in LLM.iterdir() if p.is_dir() and p.name != "__pycache__"]


@pytest.mark.parametrize("name", sorted(FACADES))
def test_facade_exports_exactly_its_documented_names(name: str) -> None:
    source, documented = FACADES[name]
    facade = importlib.import_module(f"llmaestro.llm.{name}")
    assert set(facade.__all__) == documented
    assert len(facade.__all__) == len(documented)
    origin = importlib.import_module(source)
    for member in documented:
        assert getattr(facade, member) is getattr(origin, member), member


def _is_logic(node: ast.stmt) -> bool:
    """Anything but a docstring, an import, `__all__`, a TYPE_CHECKING block of imports, and the
    lazy re-export hook `__getattr__` (which only imports and returns)."""
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return False
    if isinstance(node, ast.Import | ast.ImportFrom):
        return False
    if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [
        "__all__"
    ]:
        return False
    if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
        return any(not isinstance(n, ast.Import | ast.ImportFrom) for n in node.body)
    if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
        calls = [n for n in ast.walk(node) if isinstance(n, ast.Call)]
        return any(getattr(c.func, "id", None) not in {"getattr", "AttributeError"} for c in calls)
    return True


@pytest.mark.parametrize("name", sorted(FACADES))
def test_facade_holds_no_logic(name: str) -> None:
    tree = ast.parse((LLM / f"{name}.py").read_text())
    logic = [ast.dump(n)[:80] for n in tree.body if _is_logic(n)]
    assert logic == []
