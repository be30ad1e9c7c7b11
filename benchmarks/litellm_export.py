"""Check that LiteLLM (the `bench` extra) accepts llmaestro's LiteLLM export.

Runs `litellm.register_model()` on `llmaestro export --format litellm` of the repository
catalog, offline, and compares what `litellm.get_model_info` then reports with the registry,
and that LiteLLM's own bare `gpt-4o` still resolves to OpenAI.
Run: python benchmarks/litellm_export.py   (or `make bench`)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"  # no network at import
os.environ["LITELLM_OFFLINE_MODE"] = "true"  # nor later


def main() -> int:
    try:
        import litellm
    except ImportError:
        print("litellm not installed (pip install -e '.[bench]'): check skipped")
        return 0
    import logging

    import llmaestro
    from llmaestro.exports import export_litellm

    logging.getLogger("LiteLLM").setLevel(logging.ERROR)  # one warning per new key otherwise
    registry = llmaestro.load()
    cost_map = export_litellm(registry)
    litellm.register_model(cost_map)
    wanted = registry.get("google/gemini-2.5-pro")
    info = litellm.get_model_info("gemini/gemini-2.5-pro")
    assert wanted.pricing is not None and wanted.pricing.input is not None
    ok = abs(info["input_cost_per_token"] - float(wanted.pricing.input) / 1e6) < 1e-15
    ok = ok and info["max_input_tokens"] == (wanted.limits.context if wanted.limits else None)
    ok = ok and litellm.get_model_info("gpt-4o")["litellm_provider"] == "openai"
    print(
        f"litellm.register_model accepted {len(cost_map)} entries; "
        f"gemini/gemini-2.5-pro and gpt-4o read back {'correctly: PASS' if ok else 'WRONG: FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
