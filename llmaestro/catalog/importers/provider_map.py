"""Explicit tables the importers use to name providers and guess how to call them.

Nothing here is inferred at run time: a reviewer reads these tables to know how a source's
provider names become ours.
"""

from __future__ import annotations

from typing import NamedTuple

# --- models.dev: the npm package of a provider -> our API style ------------------------------

#: The AI SDK package a models.dev provider names (`npm`) -> the wire format of its API.
NPM_STYLES: dict[str, str] = {
    "@ai-sdk/openai-compatible": "openai-chat",
    "@ai-sdk/openai": "openai-chat",
    "@ai-sdk/azure": "openai-chat",
    "@ai-sdk/anthropic": "anthropic-messages",
    "@ai-sdk/google-vertex/anthropic": "anthropic-messages",
    "@ai-sdk/google": "gemini",
    "@ai-sdk/google-vertex": "vertex",
    "@ai-sdk/amazon-bedrock": "bedrock-converse",
    "@ai-sdk/cohere": "cohere",
    "@ai-sdk/mistral": "openai-chat",
    "@ai-sdk/xai": "openai-chat",
    "@ai-sdk/groq": "openai-chat",
    "@ai-sdk/cerebras": "openai-chat",
    "@ai-sdk/deepinfra": "openai-chat",
    "@ai-sdk/togetherai": "openai-chat",
    "@ai-sdk/perplexity": "openai-chat",
    "@ai-sdk/vercel": "openai-chat",
    "@ai-sdk/gateway": "openai-chat",
    "@openrouter/ai-sdk-provider": "openai-chat",
    "@aihubmix/ai-sdk-provider": "openai-chat",
    "venice-ai-sdk-provider": "openai-chat",
}
"""Packages not listed (gateways with their own SDK) get the style `other`."""

#: Base URLs of providers whose models.dev entry has no `api` because their AI SDK package
#: knows it: the package's documented default endpoint.
SDK_DEFAULT_BASE_URLS: dict[str, str] = {
    "xai": "https://api.x.ai/v1",
    "mistral": "https://api.mistral.ai/v1",
    "groq": "https://api.groq.com/openai/v1",
    "cerebras": "https://api.cerebras.ai/v1",
    "togetherai": "https://api.together.xyz/v1",
    "deepinfra": "https://api.deepinfra.com/v1/openai",
    "perplexity": "https://api.perplexity.ai",
    "cohere": "https://api.cohere.com/v2",
    "v0": "https://api.v0.dev/v1",
    "venice": "https://api.venice.ai/api/v1",
    "aihubmix": "https://aihubmix.com/v1",
}

#: How each API style carries the key: (header, scheme).
AUTH_BY_STYLE: dict[str, tuple[str, str | None]] = {
    "openai-chat": ("Authorization", "Bearer"),
    "openai-responses": ("Authorization", "Bearer"),
    "openai-completions": ("Authorization", "Bearer"),
    "anthropic-messages": ("x-api-key", None),
    "gemini": ("x-goog-api-key", None),
    "cohere": ("Authorization", "Bearer"),
}


# --- LiteLLM: `litellm_provider` -> our provider --------------------------------------------


class LiteLLMProvider(NamedTuple):
    """Where one LiteLLM provider's entries go."""

    provider: str
    """Our provider id."""
    prefixes: tuple[str, ...]
    """Key prefixes (before the first `/`) stripped to get the model id."""


def _p(provider: str, *prefixes: str) -> LiteLLMProvider:
    return LiteLLMProvider(provider, prefixes)


#: The one table from LiteLLM's provider names to ours. Providers models.dev also lists map to
#: its id; the others keep LiteLLM's name with `_` written `-`.
LITELLM_PROVIDERS: dict[str, LiteLLMProvider] = {
    # the labs' own APIs
    "openai": _p("openai", "openai"),
    "text-completion-openai": _p("openai", "openai", "text-completion-openai"),
    "anthropic": _p("anthropic", "anthropic"),
    "gemini": _p("google", "gemini"),
    "xai": _p("xai", "xai"),
    "mistral": _p("mistral", "mistral"),
    "codestral": _p("mistral", "codestral"),
    "text-completion-codestral": _p("mistral", "text-completion-codestral"),
    "deepseek": _p("deepseek", "deepseek"),
    "cohere": _p("cohere", "cohere"),
    "cohere_chat": _p("cohere", "cohere_chat", "cohere"),
    "dashscope": _p("alibaba", "dashscope"),
    "moonshot": _p("moonshotai", "moonshot"),
    "zai": _p("zai", "zai"),
    "bigmodel": _p("zhipuai", "bigmodel"),
    "minimax": _p("minimax", "minimax"),
    "perplexity": _p("perplexity", "perplexity"),
    "xiaomi_mimo": _p("xiaomi", "xiaomi_mimo"),
    "sarvam": _p("sarvam", "sarvam"),
    "meta_llama": _p("llama", "meta_llama"),
    "inception": _p("inception", "inception"),
    "text-completion-inception": _p("inception", "text-completion-inception"),
    "v0": _p("v0", "v0"),
    "morph": _p("morph", "morph"),
    # clouds
    "bedrock": _p("amazon-bedrock", "bedrock"),
    "bedrock_converse": _p("amazon-bedrock", "bedrock_converse", "bedrock"),
    "bedrock_mantle": _p("amazon-bedrock", "bedrock_mantle"),
    "azure": _p("azure", "azure"),
    "azure_text": _p("azure", "azure", "azure_text"),
    "azure_ai": _p("azure-cognitive-services", "azure_ai"),
    "vertex_ai": _p("google-vertex", "vertex_ai"),
    "vertex_ai-language-models": _p("google-vertex", "vertex_ai"),
    "vertex_ai-embedding-models": _p("google-vertex", "vertex_ai"),
    "vertex_ai-text-models": _p("google-vertex", "vertex_ai"),
    "vertex_ai-video-models": _p("google-vertex", "vertex_ai"),
    "vertex_ai-anthropic_models": _p("google-vertex-anthropic", "vertex_ai"),
    "vertex_ai-mistral_models": _p("google-vertex", "vertex_ai"),
    "vertex_ai-llama_models": _p("google-vertex", "vertex_ai"),
    "vertex_ai-ai21_models": _p("google-vertex", "vertex_ai"),
    "vertex_ai-deepseek_models": _p("google-vertex", "vertex_ai"),
    "vertex_ai-qwen_models": _p("google-vertex", "vertex_ai"),
    "vertex_ai-zai_models": _p("google-vertex", "vertex_ai"),
    "vertex_ai-openai_models": _p("google-vertex", "vertex_ai"),
    "vertex_ai-minimax_models": _p("google-vertex", "vertex_ai"),
    "vertex_ai-moonshot_models": _p("google-vertex", "vertex_ai"),
    "databricks": _p("databricks", "databricks"),
    "snowflake": _p("snowflake-cortex", "snowflake"),
    "cloudflare": _p("cloudflare-workers-ai", "cloudflare"),
    "github_copilot": _p("github-copilot", "github_copilot"),
    "gradient_ai": _p("digitalocean", "gradient_ai"),
    "oci": _p("oci", "oci"),
    "watsonx": _p("watsonx", "watsonx"),
    "sagemaker": _p("sagemaker", "sagemaker"),
    "amazon_nova": _p("amazon-nova", "amazon-nova", "amazon_nova"),
    "aws_polly": _p("aws-polly", "aws_polly"),
    # inference hosts and gateways models.dev also lists
    "fireworks_ai": _p("fireworks-ai", "fireworks_ai"),
    "fireworks_ai-embedding-models": _p("fireworks-ai", "fireworks_ai"),
    "deepinfra": _p("deepinfra", "deepinfra"),
    "together_ai": _p("togetherai", "together_ai"),
    "novita": _p("novita-ai", "novita"),
    "nebius": _p("nebius", "nebius"),
    "groq": _p("groq", "groq"),
    "cerebras": _p("cerebras", "cerebras"),
    "baseten": _p("baseten", "baseten"),
    "wandb": _p("wandb", "wandb"),
    "ovhcloud": _p("ovhcloud", "ovhcloud"),
    "scaleway": _p("scaleway", "scaleway"),
    "vercel_ai_gateway": _p("vercel", "vercel_ai_gateway"),
    "opencode_go": _p("opencode-go", "opencode_go"),
    "aihubmix": _p("aihubmix", "aihubmix"),
    "friendliai": _p("friendli", "friendliai"),
    "gmi": _p("gmicloud", "gmi"),
    "nvidia_nim": _p("nvidia", "nvidia_nim"),
    "abliteration": _p("abliteration-ai", "abliteration"),
    # providers only LiteLLM lists
    "chatgpt": _p("chatgpt", "chatgpt"),
    "fal_ai": _p("fal-ai", "fal_ai"),
    "replicate": _p("replicate", "replicate"),
    "empiriolabs": _p("empiriolabs", "empiriolabs"),
    "kyma": _p("kyma", "kyma"),
    "qwen_ai_platform": _p("qwen-ai-platform", "qwen_ai_platform"),
    "qwencloud": _p("qwencloud", "qwencloud"),
    "deepgram": _p("deepgram", "deepgram"),
    "inferenceapis": _p("inferenceapis", "inferenceapis"),
    "voyage": _p("voyage", "voyage"),
    "ollama": _p("ollama", "ollama"),
    "streamlake": _p("streamlake", "streamlake"),
    "stability": _p("stability", "stability"),
    "volcengine": _p("volcengine", "volcengine"),
    "lambda_ai": _p("lambda-ai", "lambda_ai"),
    "tencent": _p("tencent", "tencent"),
    "hyperbolic": _p("hyperbolic", "hyperbolic"),
    "nscale": _p("nscale", "nscale"),
    "llamagate": _p("llamagate", "llamagate"),
    "aiand": _p("aiand", "aiand"),
    "runwayml": _p("runwayml", "runwayml"),
    "aiml": _p("aiml", "aiml"),
    "zerogpu": _p("zerogpu", "zerogpu"),
    "anyscale": _p("anyscale", "anyscale"),
    "sail": _p("sail", "sail"),
    "elevenlabs": _p("elevenlabs", "elevenlabs"),
    "ai21": _p("ai21", "ai21"),
    "libertai": _p("libertai", "libertai"),
    "tensormesh": _p("tensormesh", "tensormesh"),
    "clf_ai_gateway": _p("clf-ai-gateway", "clf_ai_gateway"),
    "wally": _p("wally", "wally"),
    "meta": _p("meta", "meta"),
    "publicai": _p("publicai", "publicai"),
    "black_forest_labs": _p("black-forest-labs", "black_forest_labs"),
    "sambanova": _p("sambanova", "sambanova"),
    "soniox": _p("soniox", "soniox"),
    "gigachat": _p("gigachat", "gigachat"),
    "crusoe": _p("crusoe", "crusoe"),
    "coralbricks": _p("coralbricks", "coralbricks"),
    "pinstripes": _p("pinstripes", "pinstripes"),
    "lemonade": _p("lemonade", "lemonade"),
    "scx-ai": _p("scx-ai", "scx-ai"),
    "scaledown": _p("scaledown", "scaledown"),
    "refuseless": _p("refuseless", "refuseless"),
    "heroku": _p("heroku", "heroku"),
    "hostinger_router": _p("hostinger-router", "hostinger_router"),
    "jina_ai": _p("jina-ai", "jina_ai"),
    "cognition": _p("cognition", "cognition"),
    "openinfer": _p("openinfer", "openinfer"),
    "assemblyai": _p("assemblyai", "assemblyai"),
    "nlp_cloud": _p("nlp-cloud", "nlp_cloud"),
    "featherless_ai": _p("featherless-ai", "featherless_ai"),
    "recraft": _p("recraft", "recraft"),
    "darkbloom": _p("darkbloom", "darkbloom"),
    "prism": _p("prism", "prism"),
    "transcribe": _p("aws-transcribe", "transcribe"),
    "microsoft_365_copilot": _p("microsoft-365-copilot", "microsoft_365_copilot"),
    # providers whose entries are all of kinds the catalog does not model (search, OCR,
    # evaluation …); listed so that every LiteLLM provider name has exactly one line here
    "parallel_ai": _p("parallel-ai", "parallel_ai"),
    "reducto": _p("reducto", "reducto"),
    "linkup": _p("linkup", "linkup"),
    "tavily": _p("tavily", "tavily"),
    "apiserpent": _p("apiserpent", "apiserpent"),
    "nace": _p("nace", "nace"),
    "typesafe": _p("typesafe", "typesafe"),
    "bespoke": _p("bespoke", "bespoke"),
    "laya": _p("laya", "laya"),
    "eu_jev": _p("eu-jev", "eu_jev"),
    "strands_decider": _p("strands-decider", "strands_decider"),
    "dataforseo": _p("dataforseo", "dataforseo"),
    "exa_ai": _p("exa-ai", "exa_ai"),
    "firecrawl": _p("firecrawl", "firecrawl"),
    "searxng": _p("searxng", "searxng"),
    "serper": _p("serper", "serper"),
    "agentcore": _p("agentcore", "agentcore"),
    "bing_grounding": _p("bing-grounding", "bing_grounding"),
    "tinyfish": _p("tinyfish", "tinyfish"),
    "nimble": _p("nimble", "nimble"),
    "google_pse": _p("google-pse", "google_pse"),
    "you_com": _p("you-com", "you_com"),
    "duckduckgo": _p("duckduckgo", "duckduckgo"),
    # providers LiteLLM routes (`litellm.provider_list`) whose models its price file lists none
    # of (1.110.2): the importer never meets them; the LiteLLM export names them
    "openrouter": _p("openrouter", "openrouter"),
    "nano-gpt": _p("nano-gpt", "nano-gpt"),
    "poe": _p("poe", "poe"),
    "helicone": _p("helicone", "helicone"),
    "cortecs": _p("cortecs", "cortecs"),
    "chutes": _p("chutes", "chutes"),
    "clarifai": _p("clarifai", "clarifai"),
    "synthetic": _p("synthetic", "synthetic"),
    "modelscope": _p("modelscope", "modelscope"),
    "huggingface": _p("huggingface", "huggingface"),
}

#: Display names of providers only LiteLLM knows (the rest take models.dev's `name`).
LITELLM_PROVIDER_NAMES: dict[str, str] = {
    "ai21": "AI21 Labs",
    "aiml": "AI/ML API",
    "amazon-nova": "Amazon Nova",
    "assemblyai": "AssemblyAI",
    "aws-polly": "Amazon Polly",
    "aws-transcribe": "Amazon Transcribe",
    "black-forest-labs": "Black Forest Labs",
    "chatgpt": "ChatGPT (subscription)",
    "clf-ai-gateway": "CLF AI Gateway",
    "deepgram": "Deepgram",
    "elevenlabs": "ElevenLabs",
    "fal-ai": "fal.ai",
    "gigachat": "GigaChat",
    "hostinger-router": "Hostinger Router",
    "jina-ai": "Jina AI",
    "lambda-ai": "Lambda",
    "microsoft-365-copilot": "Microsoft 365 Copilot",
    "nlp-cloud": "NLP Cloud",
    "oci": "Oracle Cloud Infrastructure Generative AI",
    "ollama": "Ollama",
    "qwen-ai-platform": "Qwen AI Platform",
    "qwencloud": "Qwen Cloud",
    "runwayml": "Runway",
    "sagemaker": "Amazon SageMaker",
    "sambanova": "SambaNova",
    "stability": "Stability AI",
    "voyage": "Voyage AI",
    "watsonx": "IBM watsonx.ai",
}


def display_name(provider: str) -> str:
    """A provider's display name when no source gives one."""
    if provider in LITELLM_PROVIDER_NAMES:
        return LITELLM_PROVIDER_NAMES[provider]
    return " ".join(part.capitalize() for part in provider.split("-"))
