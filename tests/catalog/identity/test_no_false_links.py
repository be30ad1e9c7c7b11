"""Normalisation never links the ids of two different known models: whatever prefixes,
suffixes, case and separators a provider puts on a canonical model's id, the id resolves to
that model and to no other (claude-sonnet-4 is not claude-sonnet-4-5, llama-3.1-8b is not
llama-3.1-70b, gpt-4o is not gpt-4o-mini, qwen3-32b is not qwen3-30b-a3b)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from llmaestro.catalog.identity.normalise import normalise
from llmaestro.catalog.identity.rules import VENDORS, lab_of
from tests.catalog.identity.test_rules import CANONICAL, INDEX

#: The models (not their dated snapshots) of the rule table's canonical refs.
MODELS = tuple(r for r in CANONICAL if normalise(r.split("/", 1)[1])[0].snapshot is None)
HUB_ORG = {
    "meta": "meta-llama",
    "alibaba": "Qwen",
    "deepseek": "deepseek-ai",
    "mistral": "mistralai",
    "zhipuai": "zai-org",
    "minimax": "MiniMaxAI",
}
PAIRS = (
    ("anthropic/claude-sonnet-4-0", "anthropic/claude-sonnet-4-5"),
    ("meta/llama-3.1-8b", "meta/llama-3.1-70b"),
    ("openai/gpt-4o", "openai/gpt-4o-mini"),
    ("alibaba/qwen3-32b", "alibaba/qwen3-30b-a3b"),
    ("moonshotai/kimi-k2", "moonshotai/kimi-k2-thinking"),
    ("alibaba/qwen3-next-80b-a3b-instruct", "alibaba/qwen3-next-80b-a3b-thinking"),
)


@st.composite
def decorated(draw: st.DrawFn, ref: str) -> str:
    """``ref``'s model id as some provider might write it."""
    lab, model = ref.split("/", 1)
    model = draw(st.sampled_from([model, model.replace(".", "-"), model.replace(".", "p")]))
    model = draw(st.sampled_from([model, model.lower(), model.upper(), model.title()]))
    vendor = [f"{lab}."] if lab in VENDORS else []
    org = HUB_ORG.get(lab, lab)
    prefix = draw(
        st.sampled_from(
            [
                "",
                f"{org}/",
                f"accounts/fireworks/models/{''}",
                f"@cf/{org.lower()}/",
                "databricks-",
                f"~{org}/",
                *vendor,
                *(f"{region}.{v}" for region in ("us", "eu", "apac", "global") for v in vendor),
            ]
        )
    )
    suffix = draw(st.sampled_from(["", ":free", ":thinking", ":beta", "-fp8", "-FP8", "-20990101"]))
    version = "-v1:0" if vendor and prefix.endswith(f"{lab}.") and draw(st.booleans()) else ""
    return f"{prefix}{model}{suffix}{version}"


def _resolve(model: str) -> str | None:
    cands = normalise(model)
    found = INDEX.resolve(cands, lab_of(cands[-1].model))
    return found.ref if found else None


@given(st.data())
def test_a_decorated_id_resolves_to_its_model_and_no_other(data: st.DataObject) -> None:
    ref = data.draw(st.sampled_from(MODELS))
    model = data.draw(decorated(ref))
    assert _resolve(model) == ref, model


@given(st.data())
def test_ids_of_two_different_models_never_resolve_alike(data: st.DataObject) -> None:
    a, b = data.draw(st.sampled_from(PAIRS))
    one, two = data.draw(decorated(a)), data.draw(decorated(b))
    assert _resolve(one) != _resolve(two), (one, two)
    assert normalise(one)[0].key != normalise(two)[0].key
