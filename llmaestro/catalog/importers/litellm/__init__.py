"""Read LiteLLM's model map (`model_prices_and_context_window.json`) and merge it into a build.

One JSON object per key. The key names the model as LiteLLM routes it (`gpt-4o`,
`bedrock/anthropic.claude-…`, `vertex_ai/gemini-…`); `litellm_provider` names the provider,
mapped to ours through the one table in :mod:`provider_map`. Not every key is a model:

* `sample_spec` documents the format, `fallback_generalizations` holds routing rules;
* `alias_of` stubs name another key: they become aliases of that offering;
* size and quality buckets (`256-x-256/dall-e-2`, `hd/1024-x-1792/dall-e-3`), provisioned
  throughput commitments and model-size price classes (`fireworks-ai-up-to-4b`) are prices,
  not models;
* regional price variants (`bedrock/us-east-1/…`, `azure/eu/…`) are the same model in a
  region: the catalog does not model regional prices;
* modes the catalog does not model (realtime, image edit, OCR, search …) are reported.

Per-token prices become USD per 1M tokens, exactly (the JSON is parsed with Decimal).

Layout: :mod:`.keys` (which keys are models: :func:`classify`), :mod:`.facts` (one entry's
catalog facts: :func:`map_entry`), :mod:`.read` (the file as a :class:`Snapshot`:
:func:`load`), :mod:`.merge` (the snapshot into a build: :func:`merge_into`).
"""

from llmaestro.catalog.importers.litellm.facts import map_entry, modalities_from_flags
from llmaestro.catalog.importers.litellm.keys import Entry, classify, split_key
from llmaestro.catalog.importers.litellm.merge import merge_into
from llmaestro.catalog.importers.litellm.read import Snapshot, load, read_json

__all__ = [
    "Entry",
    "Snapshot",
    "classify",
    "load",
    "map_entry",
    "merge_into",
    "modalities_from_flags",
    "read_json",
    "split_key",
]
