"""The price of one leg: the minimum charge, else volume x price per m3 rounded half up."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from apps.cargo.pricing import leg_price


@pytest.mark.parametrize(
    ("volume", "price_per_m3", "min_charge", "expected"),
    [
        ("1.5", "10.00", "0.00", "15.00"),
        ("1.5", "10.00", "20.00", "20.00"),  # the minimum charge wins
        ("2", "10.00", "20.00", "20.00"),  # equal: either
        ("1.5", "12.35", "0.00", "18.53"),  # 18.525: half up, not to even
        ("0.001", "0.01", "0.00", "0.00"),  # 0.00001 rounds to nothing
        ("0.5", "0.01", "0.00", "0.01"),  # 0.005: half up
        ("200", "99999999.99", "0.00", "19999999998.00"),
    ],
)
def test_leg_price(volume, price_per_m3, min_charge, expected):
    trip = SimpleNamespace(price_per_m3=Decimal(price_per_m3), min_charge=Decimal(min_charge))

    price = leg_price(trip, Decimal(volume))

    assert price == Decimal(expected)
    assert str(price) == expected  # always two decimals
