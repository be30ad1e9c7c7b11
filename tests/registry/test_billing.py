"""Billing kinds on the query side: the `billing=` filter, price sorts ranking `per_token`
offers first, price bounds and `cheapest()` (and `cheapest_model_for`) considering them only
unless told."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import llmaestro
from llmaestro.registry import QueryFilters
from llmaestro.registry.ranking import BILLING_KINDS, BILLING_LABELS, billing_label
from llmaestro.tokens.fitting import cheapest_model_for

TODAY = dt.date(2026, 6, 1)

#: (id, billing kind, input price, output price): a subscription plan at $0, a free tier at
#: $0, a local runtime at $0 and metered offers, one of them free and one unpriced.
ROWS: list[tuple[str, str | None, str | None, str | None]] = [
    ("plan/coder", "subscription", "0", "0"),
    ("free/small", "free_tier", "0", "0"),
    ("local/llama", "self_hosted", "0", "0"),
    ("meter/cheap", "per_token", "0.10", "0.40"),
    ("meter/dear", "per_token", "3", "15"),
    ("meter/gratis", "per_token", "0", "0"),
    ("meter/unpriced", "per_token", None, None),
    ("meter/inherits", None, "1", "2"),  # no billing written: per_token
]


def _doc(rows: list[tuple[str, str | None, str | None, str | None]]) -> dict[str, Any]:
    offerings = []
    for oid, kind, inp, out in rows:
        provider, model = oid.split("/", 1)
        o: dict[str, Any] = {"provider": provider, "model": model, "kind": "chat"}
        if inp is not None and out is not None:
            o["pricing"] = {"input": inp, "output": out}
        if kind is not None:
            o["billing"] = {"kind": kind}
        offerings.append(o)
    providers = {
        o["provider"]: {"provider": o["provider"], "name": o["provider"].title()} for o in offerings
    }
    return {"providers": providers, "canonical": {}, "offerings": offerings}


@pytest.fixture(scope="module")
def registry() -> llmaestro.Registry:
    return llmaestro.Registry.from_document(_doc(ROWS), today=TODAY)


def _ids(found: list[llmaestro.Offering]) -> list[str]:
    return [f"{o.provider}/{o.model}" for o in found]


def test_the_filter_names_kinds_and_any_is_every_kind() -> None:
    assert QueryFilters().billing is None
    assert QueryFilters(billing="free_tier").billing == frozenset({"free_tier"})
    assert QueryFilters(billing="any") == QueryFilters(billing=BILLING_KINDS)
    assert QueryFilters(billing=["per_token"]).keywords() == {"billing": frozenset({"per_token"})}
    with pytest.raises(ValueError, match=r"unknown billing kind `monthly`.*per_token"):
        QueryFilters(billing=["per_token", "monthly"])


def test_records_say_how_they_are_billed(registry: llmaestro.Registry) -> None:
    kinds = {oid: registry.get(oid).billing for oid in registry.ids}
    assert kinds["plan/coder"] is not None and kinds["plan/coder"].kind == "subscription"
    assert {b.kind if b else None for b in kinds.values()} == {*BILLING_KINDS, None}
    assert _ids(registry.query(billing="subscription")) == ["plan/coder"]
    assert _ids(registry.query(billing=["free_tier", "self_hosted"])) == [
        "free/small",
        "local/llama",
    ]
    assert registry.count() == registry.count(billing="any") == len(ROWS)


def test_a_price_sort_ranks_per_token_offers_first(registry: llmaestro.Registry) -> None:
    ranked = _ids(registry.query(sort="input_price"))
    assert ranked == [
        "meter/gratis",  # 0 per token on a per_token offer still means free
        "meter/cheap",
        "meter/inherits",
        "meter/dear",
        "free/small",  # the other kinds after every metered price, by their figure, then id
        "local/llama",
        "plan/coder",
        "meter/unpriced",  # unknown last
    ]
    descending = _ids(registry.query(sort="blended_price", descending=True))
    assert descending[:4] == ["meter/dear", "meter/inherits", "meter/cheap", "meter/gratis"]
    assert descending[-1] == "meter/unpriced"
    # naming the kinds does not make a plan's $0 beat a metered price
    assert _ids(registry.query(billing="any", sort="input_price"))[:2] == [
        "meter/gratis",
        "meter/cheap",
    ]


def test_price_bounds_pass_per_token_offers_unless_kinds_are_named(
    registry: llmaestro.Registry,
) -> None:
    assert _ids(registry.query(max_input_price="0.5")) == ["meter/cheap", "meter/gratis"]
    assert registry.count(max_blended_price=0) == 1
    assert _ids(registry.query(max_input_price=0, billing="free_tier")) == ["free/small"]
    assert registry.count(max_input_price=0, billing="any") == 4


def test_cheapest_is_per_token_unless_told(registry: llmaestro.Registry) -> None:
    found = registry.cheapest()
    assert found is not None and found.id == "meter/gratis"
    assert registry.cheapest(provider=["plan", "free", "local"]) is None
    only_free = registry.cheapest(billing="free_tier")
    assert only_free is not None and only_free.id == "free/small"
    anything = registry.cheapest(QueryFilters(billing="any", provider=["plan", "meter"]))
    assert anything is not None and anything.id == "meter/gratis"
    fallback = registry.cheapest(billing="any", provider=["plan", "local"])
    assert fallback is not None and fallback.id == "local/llama"  # no metered offer left
    with pytest.raises(TypeError, match="not both"):
        registry.cheapest(QueryFilters(), billing="any")


def test_cheapest_model_for_considers_per_token_offers_unless_told(
    registry: llmaestro.Registry,
) -> None:
    messages = [{"role": "user", "content": "hello"}]
    choice = cheapest_model_for(messages, registry=registry)
    assert choice.offering.id == "meter/gratis"
    assert all(not name.startswith(("plan/", "free/", "local/")) for name, _ in choice.ranking)
    assert any("1 free_tier, 1 self_hosted, 1 subscription" in s for s in choice.skipped)
    wider = cheapest_model_for(messages, registry=registry, billing="any")
    names = [name for name, _ in wider.ranking]
    assert names[0] == "meter/gratis"
    assert set(names[-3:]) == {"plan/coder", "free/small", "local/llama"}
    free = cheapest_model_for(messages, registry=registry, billing="free_tier")
    assert free.offering.id == "free/small"


def test_labels_name_every_kind_but_per_token() -> None:
    assert billing_label("per_token") is None and billing_label(None) is None
    assert set(BILLING_LABELS) == set(BILLING_KINDS) - {"per_token"}
    assert [billing_label(k) for k in BILLING_KINDS[1:]] == [
        "subscription",
        "free tier",
        "self-hosted",
    ]


_price = st.one_of(st.none(), st.decimals(0, 50, places=2).map(str))
_row = st.tuples(st.sampled_from((None, *BILLING_KINDS)), _price, _price)


@given(st.lists(_row, min_size=1, max_size=25), st.booleans())
def test_sorted_prices_never_rank_another_kind_above_a_metered_price(
    rows: list[tuple[str | None, str | None, str | None]], descending: bool
) -> None:
    doc = _doc([(f"p{i}/m{i}", k, a, b) for i, (k, a, b) in enumerate(rows)])
    registry = llmaestro.Registry.from_document(doc, today=TODAY)
    ranked = registry.query(sort="input_price", descending=descending)
    assert len(ranked) == len(rows)

    def group(o: llmaestro.Offering) -> int:
        if o.pricing is None or o.pricing.input is None:
            return 2
        return 0 if o.billing is None or o.billing.kind == "per_token" else 1

    groups = [group(o) for o in ranked]
    assert groups == sorted(groups)
    for g in (0, 1):
        prices = [
            o.pricing.input
            for o in ranked
            if group(o) == g and o.pricing and o.pricing.input is not None
        ]
        assert prices == sorted(prices, reverse=descending)
    metered = [o for o in ranked if group(o) == 0]
    best = registry.cheapest(by="input")
    if metered:
        assert best is not None and best.pricing is not None
        assert best.pricing.input == min(
            Decimal(str(o.pricing.input)) for o in metered if o.pricing
        )
    else:
        assert best is None


def test_the_registry_knows_the_data_models_billing_kinds() -> None:
    # the runtime cannot import the pydantic model: its copy must stay the same list
    from llmaestro.catalog.model import BILLING_KINDS as MODEL_KINDS

    assert BILLING_KINDS == MODEL_KINDS
    assert set(BILLING_LABELS) == set(BILLING_KINDS) - {"per_token"}
