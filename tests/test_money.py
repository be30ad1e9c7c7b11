"""The one USD formatting (:func:`llmaestro._money.usd`): prices exact with at least two
decimals, amounts rounded with thousands separators, unknown never 0."""

from __future__ import annotations

from decimal import Decimal

import pytest

from llmaestro._money import usd


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("2.5", "$2.50"),
        ("2.500", "$2.50"),
        ("0.075", "$0.075"),
        ("0.0750", "$0.075"),
        ("100", "$100.00"),
        ("1E+3", "$1000.00"),
        ("0", "$0.00"),
        ("1.5E-7", "$0.00000015"),
    ],
)
def test_a_price_is_exact_with_at_least_two_decimals(value: str, text: str) -> None:
    assert usd(Decimal(value)) == text


def test_an_amount_is_rounded_with_separators() -> None:
    assert usd(Decimal("1234.5"), places=6) == "$1,234.500000"
    assert usd(Decimal("0.00045"), places=6) == "$0.000450"
    assert usd(Decimal("0.0000004"), places=6) == "$0.000000"


def test_unknown_is_never_zero() -> None:
    assert usd(None) == "—"
    assert usd(None, places=6, unknown="unknown") == "unknown"
