"""The rule table of identity resolution, as data.

Each :class:`Rule` rewrites an offering id (lowercased) towards the id of the model it is: it
removes a provider's prefix or suffix, restores a lab's word order, or takes off a variant tag
(and records the variant). Rules run in table order, each once, after the id is lowercased;
the one whose name an offering's ``linked_by: rule:<name>`` carries is the first rule that
changed its id (``case`` or ``separators`` when nothing else did).

A rule with ``fallback=True`` is only tried when the id without it names no canonical model:
``-thinking`` is a variant of Claude Sonnet 4.5 (``claude-sonnet-4-5-20250929-thinking``) but
``qwen3-next-80b-a3b-thinking`` and ``kimi-k2-thinking`` are models of their own, and a
fallback never turns one model's id into another's that exists.

After the rules, ids are compared by their *match key* (:func:`~.normalise.match_key`): the
letter and digit runs joined by ``-``, so dots, dashes, underscores and ``3.1``/``3-1``/``3p1``
compare equal (``claude-4.5-sonnet`` = ``claude-sonnet-4-5``, ``llama3.1`` = ``llama-3.1``).

:data:`FAMILY_LABS` names the lab of a model family (by the start of its id), used to create
canonical models the sources lack; :data:`LAB_PROVIDERS` names the providers that are a lab's
own API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One rewrite of an offering id."""

    name: str
    """Its name, as in ``linked_by: rule:<name>``."""
    pattern: re.Pattern[str]
    """What it matches in the lowercased id."""
    replace: str
    """The replacement (``re.sub`` syntax)."""
    doc: str
    """What it undoes, with a real example."""
    variant: str | None = None
    """The variant an id this rule matched is (``thinking``, ``free``, ``fp8``...);
    ``"\\1"`` takes it from the first group."""
    fallback: bool = False
    """Tried only when the id without it names no canonical model."""


def _r(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


#: Region prefixes of cross-region inference profiles (Bedrock, Vertex).
REGIONS = r"(?:us|eu|apac|au|jp|ca|uk|us-gov|global)"
#: Vendor prefixes of cloud model ids (`anthropic.claude-...`, `meta.llama3-...`, `cohere.`).
VENDORS = (
    r"(?:anthropic|meta|mistral|cohere|amazon|ai21|qwen|deepseek|openai|google|moonshot|"
    r"moonshotai|minimax|writer|zai|nvidia|xai|twelvelabs|stability)"
)
#: Quantisation tags (a variant: same model, other weights' precision).
QUANT = r"(fp8|fp4|nvfp4|mxfp4|int8|int4|w8a8|w4a16|bf16|fp16|awq|gptq|gguf|mlx|[0-9]bit)"
#: Families whose Together/Fireworks ids add `-turbo`/`-lite` for a provider's own serving.
TURBO_FAMILIES = r"(?:llama|qwen[0-9]|deepseek|mixtral|mistral-[0-9]|gemma)"

RULES: tuple[Rule, ...] = (
    # -- where the id lives at the provider ------------------------------------------------
    Rule(
        "path-prefix",
        _r(r"^(?:accounts/[^/]+/(?:models|routers)/|@cf/[^/]+/|@hf/[^/]+/|~)"),
        "",
        "Fireworks `accounts/fireworks/models/`, Cloudflare `@cf/meta/`, `@hf/thebloke/`, "
        "Kilo's `~google/...`",
    ),
    Rule(
        "point-p",
        _r(r"([0-9])p([0-9])"),
        r"\1.\2",
        "Fireworks' `p` for a point: `qwen2p5-72b-instruct`, `llama-v3p1-8b-instruct`",
    ),
    Rule(
        "hub-org",
        _r(r"^(?:[^/]+/)+"),
        "",
        "a hub or gateway's `org/` prefix: `meta-llama/Meta-Llama-3.1-8B-Instruct`, "
        "`anthropic/claude-4.5-sonnet`, `TEE/glm-4.7-flash`",
    ),
    Rule(
        "region",
        _r(rf"^{REGIONS}\."),
        "",
        "a cross-region profile: `us.`/`eu.`/`apac.`/`global.anthropic.claude-...`",
    ),
    Rule(
        "vendor-prefix",
        _r(rf"^{VENDORS}\."),
        "",
        "a cloud's vendor prefix: `anthropic.claude-...`, `meta.llama3-1-8b-instruct-v1:0`",
    ),
    Rule(
        "vendor-dashes",
        _r(
            r"^(?:anthropic|openai|google|meta|mistral|xai|zai|cohere|nvidia)--?"
            r"(?=claude|gpt|o[0-9]|gemini|llama|glm|command|nemotron)"
        ),
        "",
        "SAP AI Core's `anthropic--claude-4.5-sonnet`, DigitalOcean's `anthropic-claude-...`, "
        "`nvidia-nemotron-...`",
    ),
    Rule(
        "provider-prefix",
        _r(r"^(?:databricks|snowflake|fw|azure|oci|vertex|bedrock)-"),
        "",
        "a provider's own prefix: `databricks-claude-sonnet-4`",
    ),
    Rule(
        "cloud-version",
        _r(r"-v?[0-9]+:[0-9]+$|@(?:00[0-9]|latest|default)$"),
        "",
        "a cloud's model version: Bedrock `-v1:0`, `-v2:0`, `-1:0`, Vertex `@001`",
    ),
    # -- variants ----------------------------------------------------------------------------
    Rule(
        "ollama-tag",
        _r(r":([0-9.]+[bm])(-[a-z0-9.-]+)?$"),
        r"~\1\2",
        "Ollama's size tag: `gpt-oss:20b` (`~` marks it for the `ollama-size` fallback)",
    ),
    Rule(
        "cloud-tag",
        _r(r"[-:]cloud$"),
        "",
        "Ollama Cloud's `-cloud`: `gpt-oss:120b-cloud`",
    ),
    Rule(
        "free-tag",
        _r(r"(?::|-)free$"),
        "",
        "a free route: OpenRouter `:free`, OpenCode `-free`",
        variant="free",
    ),
    Rule(
        "effort-tag",
        _r(r":(minimal|low|medium|high|xhigh)$"),
        "",
        "a reasoning-effort route: `claude-opus-4.6:thinking:medium`",
        variant=r"effort-\1",
    ),
    Rule(
        "thinking-tag",
        _r(r":thinking$"),
        "",
        "a thinking route: `claude-3.7-sonnet:thinking`, `glm-5.1:thinking`",
        variant="thinking",
    ),
    Rule(
        "route-tag",
        _r(r":(?:beta|extended|nitro|floor|online|exacto|latest|[a-z]*[0-9]+)$"),
        "",
        "a gateway route tag: `:beta`, `:extended`, `:nitro`, `:variant1`, `:32768`",
    ),
    Rule(
        "quantisation",
        _r(rf"[-_.]{QUANT}(?=$|-)"),
        "",
        "a quantisation: `Llama-4-Maverick-17B-128E-Instruct-FP8`, `DeepSeek-V3.2-NVFP4`",
        variant=r"\1",
    ),
    Rule(
        "claude-v2",
        _r(r"^claude-3[.-]5-sonnet-v2$"),
        "claude-3-5-sonnet-20241022",
        "Claude 3.5 Sonnet v2 is the 2024-10-22 snapshot: `claude-3.5-sonnet-v2`",
    ),
    # -- snapshot dates ---------------------------------------------------------------------
    Rule(
        "dated-snapshot",
        _r(r"(?:-|@)(20[0-9]{2})-?([01][0-9])-?([0-3][0-9])$"),
        "",
        "a dated snapshot of the model: `-20250929`, `@20250929`, `-2024-08-06`",
    ),
    # -- provider-specific serving names -------------------------------------------------------
    Rule(
        "hf-suffix",
        _r(r"-hf$"),
        "",
        "Hugging Face's converted weights: `CodeLlama-34b-Instruct-hf`, `llama-2-7b-chat-hf`",
    ),
    Rule(
        "groq-names",
        _r(r"^(llama-?3[.-]1-8b)-instant$|^(llama-?3[.-]3-70b)-(?:versatile|specdec)$"),
        r"\1\2",
        "Groq's `llama-3.1-8b-instant`, `llama-3.3-70b-versatile`",
    ),
    Rule(
        "vertex-maas",
        _r(r"-maas$"),
        "",
        "Vertex AI's model-as-a-service ids: `llama-3.3-70b-instruct-maas`",
    ),
    Rule(
        "instruct-turbo",
        _r(r"-instruct-turbo$"),
        "",
        "Together's `Meta-Llama-3.1-8B-Instruct-Turbo`",
        variant="turbo",
    ),
    Rule(
        "llama-experts",
        _r(r"^(llama-?4-(?:scout|maverick)-17b)-(?:16|128)e"),
        r"\1",
        "Llama 4's expert count: `llama-4-scout-17b-16e-instruct`",
    ),
    Rule(
        "llama4-size",
        _r(r"^(llama-?4-(?:scout|maverick))(?!-17b)"),
        r"\1-17b",
        "Llama 4 named without its size: `meta-llama/llama-4-maverick` is the 17B model",
    ),
    Rule(
        "llama32-vision",
        _r(r"^llama-?3[.-]2-(11|90)b(?!-vision)"),
        r"llama-3.2-\1b-vision",
        "Llama 3.2 11B and 90B are the vision models: `meta.llama3-2-11b-instruct-v1:0`",
    ),
    Rule(
        "deepseek-chat-v",
        _r(r"^deepseek-chat-v([0-9])"),
        r"deepseek-v\1",
        "OpenRouter's `deepseek/deepseek-chat-v3-0324` is DeepSeek V3 0324",
    ),
    Rule(
        "llama-v",
        _r(r"^llama-?v([0-9])"),
        r"llama-\1",
        "Fireworks' `llama-v3p1-8b-instruct`",
    ),
    Rule(
        "azure-gpt35",
        _r(r"^gpt-35-"),
        "gpt-3.5-",
        "Azure's `gpt-35-turbo`",
    ),
    Rule(
        "instruct",
        _r(r"(?<!gpt-3\.5-turbo)-(?:instruct|it)(?=$|-[0-9]{4}$|-v[0-9.]+$)"),
        "",
        "the instruction-tuned release named as the model: `Llama-3.1-8B-Instruct`, "
        "`gemma-3-27b-it` (not `gpt-3.5-turbo-instruct`, a model of its own)",
    ),
    # -- a lab's word order ------------------------------------------------------------------
    Rule(
        "claude-order",
        _r(r"^claude-([4-9])[.-]([0-9])-(sonnet|opus|haiku)"),
        r"claude-\3-\1-\2",
        "Claude 4 and later named tier first: `claude-4.5-sonnet` = `claude-sonnet-4-5`",
    ),
    Rule(
        "claude-order",
        _r(r"^claude-([4-9])-(sonnet|opus|haiku)"),
        r"claude-\2-\1",
        "Claude 4 and later named tier first: `claude-4-sonnet` = `claude-sonnet-4`",
    ),
    Rule(
        "claude-order",
        _r(r"^claude-(sonnet|opus|haiku)-3[.-]([0-9])"),
        r"claude-3-\2-\1",
        "Claude 3.x named version first: `claude-sonnet-3.7` = `claude-3-7-sonnet`",
    ),
    Rule(
        "claude-point-zero",
        _r(r"^(claude-(?:sonnet|opus|haiku)-[4-9])[.-]0(?=$|-[^0-9])"),
        r"\1",
        "Claude's `.0`: `claude-opus-4-0` = `claude-opus-4`",
    ),
    # -- last resorts: tried only when the id without them names no canonical model ---------
    Rule(
        "thinking-suffix",
        _r(r"^((?:claude|gpt-5|gemini|glm|deepseek-v3)(?:[-.].*)?)-thinking$"),
        r"\1",
        "thinking switched on, for models where it is a mode: "
        "`claude-sonnet-4-5-20250929-thinking`, `gpt-5-thinking` (not Kimi's or Qwen's "
        "`-thinking` models)",
        variant="thinking",
        fallback=True,
    ),
    Rule(
        "turbo-suffix",
        _r(rf"^({TURBO_FAMILIES}.*)-(turbo|lite|fast)$"),
        r"\1",
        "a seller's `-Turbo`/`-Lite`/`-fast` serving of an open-weight model: "
        "`Meta-Llama-3-8B-Instruct-Lite`, `deepseek-v4-pro-fast`",
        variant=r"\2",
        fallback=True,
    ),
    Rule(
        "effort-suffix",
        _r(
            r"^((?:o[1-9]|gpt-5|gpt-oss|grok|gemini|claude|deepseek).*)-(minimal|low|medium|high|xhigh)$"
        ),
        r"\1",
        "a reasoning-effort setting sold as a model: `o3-mini-low`, `gemini-3.1-pro-preview-high`",
        variant=r"effort-\2",
        fallback=True,
    ),
    Rule(
        "point-zero",
        _r(r"(?<=[a-z]-)([0-9]+)\.0(?=-|$)|(?<=[a-z]-[0-9])-0$"),
        r"\1",
        "a `.0` version: `gemini-3.0-pro-preview` = `gemini-3-pro-preview`, "
        "`mistral-large-4-0` = `mistral-large-4`",
        fallback=True,
    ),
    Rule(
        "latest-alias",
        _r(r"-latest$"),
        "",
        "a moving alias of a model with one snapshot: `claude-3-7-sonnet-latest`",
        fallback=True,
    ),
    Rule(
        "ollama-size",
        _r(r"~[0-9.]+[bm]$"),
        "",
        "Ollama's size tag of a model with one size: `deepseek-v3.1:671b-cloud` is DeepSeek V3.1",
        fallback=True,
    ),
)

#: (pattern on the rewritten id, lab): the lab of a model family, first match wins. Used only
#: to create canonical models the sources lack (:mod:`~.families`).
FAMILY_LABS: tuple[tuple[re.Pattern[str], str], ...] = (
    (_r(r"nemotron"), "nvidia"),
    (_r(r"^deepseek"), "deepseek"),
    (_r(r"^(?:meta-)?llama"), "meta"),
    (_r(r"^(?:qwen|qwq|qvq)"), "alibaba"),
    (_r(r"^(?:mistral|mixtral|codestral|ministral|pixtral|devstral|magistral|voxtral)"), "mistral"),
    (_r(r"^(?:gemma|gemini|codegemma|paligemma)"), "google"),
    (_r(r"^(?:gpt|o[1-9](?:$|-)|chatgpt|codex)"), "openai"),
    (_r(r"^claude"), "anthropic"),
    (_r(r"^glm"), "zhipuai"),
    (_r(r"^kimi"), "moonshotai"),
    (_r(r"^minimax"), "minimax"),
    (_r(r"^grok"), "xai"),
    (_r(r"^phi-?[0-9]"), "microsoft"),
    (_r(r"^(?:command|c4ai|aya)"), "cohere"),
    (_r(r"^jamba"), "ai21"),
    (_r(r"^(?:mimo)"), "xiaomi"),
    (_r(r"^(?:step-)"), "stepfun"),
    (_r(r"^(?:ernie)"), "baidu"),
    (_r(r"^(?:hunyuan|hy[0-9])"), "tencent"),
    (_r(r"^(?:doubao|seed-)"), "bytedance"),
    # Deepgram's speech models (`nova-3`, `nova-2-phonecall`, `aura-2-en`), not Amazon's Nova
    # (`nova-pro`, `nova-2-lite`, `nova-2-multimodal-embeddings`)
    (
        _r(
            r"^(?:nova-[0-9]+(?:$|-(?:general|medical|multilingual|phonecall|finance|"
            r"conversationalai|voicemail|video|automotive|drivethru|meeting|atc)$)|aura-)"
        ),
        "deepgram",
    ),
    (_r(r"^(?:nova-)"), "amazon"),
    (_r(r"^(?:sonar|r1-1776)"), "perplexity"),
    (_r(r"^(?:muse-|codellama)"), "meta"),
    (_r(r"^(?:nano-banana|learnlm|deep-research-pro|veo-|imagen-)"), "google"),
    (_r(r"^(?:computer-use-preview|whisper|dall-e|text-embedding-|tts-1)"), "openai"),
    (_r(r"^(?:embed-(?:v|english|multilingual)|rerank-)"), "cohere"),
    (_r(r"^(?:mai-|wizardlm)"), "microsoft"),
    (_r(r"^granite"), "ibm"),
    (_r(r"^voyage-"), "voyageai"),
    (_r(r"^lfm-"), "liquid"),
    (_r(r"^(?:ling|ring)-"), "inclusionai"),
    (_r(r"^sarvam"), "sarvam"),
    (_r(r"^yi-"), "01-ai"),
    (_r(r"^longcat"), "meituan"),
    (_r(r"^intellect-"), "primeintellect"),
    (_r(r"^(?:arcee-|trinity-)"), "arcee-ai"),
    (_r(r"^cogito"), "deepcogito"),
    (_r(r"^hermes-"), "nousresearch"),
    (_r(r"^mythomax"), "gryphe"),
    (_r(r"^olmo"), "allenai"),
    (_r(r"^zephyr-"), "huggingfaceh4"),
    (_r(r"^moonshot-v1"), "moonshotai"),
    (_r(r"^mercury"), "inception"),
    (_r(r"^reka-"), "reka"),
    (_r(r"^solar-"), "upstage"),
    (_r(r"^v0-"), "vercel"),
)

#: lab -> the providers that are its own API (an offering there says what the lab's model is).
LAB_PROVIDERS: dict[str, frozenset[str]] = {
    "anthropic": frozenset({"anthropic"}),
    "openai": frozenset({"openai"}),
    "google": frozenset({"google"}),
    "meta": frozenset({"meta", "llama"}),
    "alibaba": frozenset({"alibaba", "alibaba-cn", "qwen-ai-platform", "qwencloud"}),
    "deepseek": frozenset({"deepseek"}),
    "mistral": frozenset({"mistral"}),
    "zhipuai": frozenset({"zhipuai", "zai", "zhipuai-coding-plan", "zai-coding-plan"}),
    "moonshotai": frozenset({"moonshotai", "moonshotai-cn"}),
    "minimax": frozenset({"minimax", "minimax-cn"}),
    "xai": frozenset({"xai"}),
    "cohere": frozenset({"cohere"}),
    "ai21": frozenset({"ai21"}),
    "xiaomi": frozenset({"xiaomi"}),
    "stepfun": frozenset({"stepfun"}),
    "tencent": frozenset({"tencent", "tencent-tokenhub"}),
    "amazon": frozenset({"amazon-bedrock", "nova"}),
    "deepgram": frozenset({"deepgram"}),
    "perplexity": frozenset({"perplexity"}),
    "nvidia": frozenset({"nvidia"}),
    "microsoft": frozenset(),
    "baidu": frozenset(),
    "bytedance": frozenset(),
    "vercel": frozenset({"vercel", "v0"}),
    "inception": frozenset({"inception"}),
    "sarvam": frozenset({"sarvam"}),
}


#: hub organisation -> lab id, where they differ (any other organisation is its own lab).
ORG_LABS: dict[str, str] = {
    "meta-llama": "meta",
    "qwen": "alibaba",
    "deepseek-ai": "deepseek",
    "mistralai": "mistral",
    "zai-org": "zhipuai",
    "z-ai": "zhipuai",
    "thudm": "zhipuai",
    "minimaxai": "minimax",
    "x-ai": "xai",
    "ai21labs": "ai21",
    "ibm-granite": "ibm",
    "nousresearch": "nousresearch",
    "microsoft": "microsoft",
}


def lab_of(model: str) -> str | None:
    """The lab of a rewritten model id by its family (:data:`FAMILY_LABS`), or None."""
    for pattern, lab in FAMILY_LABS:
        if pattern.search(model):
            return lab
    return None
