"""Validation of the move, its context and its distance: refusals name the exact field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from apps.pricing.engine import quote_compute
from apps.pricing.engine.catalogue import DEFAULT_CATALOGUE
from apps.pricing.engine.rules import rules_parse
from apps.pricing.engine.values import InventoryLine, MoveSpec, QuoteContext
from apps.pricing.errors import MoveInvalid
from apps.pricing.examples import SMALL_LOCAL_MOVER

D = Decimal


def quote_small_local(move: MoveSpec, km: str = "5", booked_on: date = date(2026, 1, 1)):
    return quote_compute(
        rules=rules_parse(SMALL_LOCAL_MOVER),
        move=move,
        distance_km=D(km),
        context=QuoteContext(booked_on=booked_on),
    )


def test_more_than_thirty_flights_of_stairs_are_refused():
    with pytest.raises(MoveInvalid) as caught:
        MoveSpec(move_date=date(2026, 3, 10), volume_m3=D("10"), stairs_origin=31)

    assert caught.value.errors == {("stairs_origin",): ["Must be a whole number from 0 to 30."]}


def test_inventory_problems_name_the_line():
    with pytest.raises(MoveInvalid) as caught:
        MoveSpec(
            move_date=date(2026, 3, 10),
            inventory=[InventoryLine("sofa_2seat"), InventoryLine("chair", 0, D("0.0001"))],
        )

    assert caught.value.errors == {
        ("inventory", 1, "quantity"): ["Must be a whole number from 1 to 500."],
        ("inventory", 1, "volume_m3"): ["At most 3 decimal places."],
    }


def test_a_float_volume_is_refused():
    with pytest.raises(MoveInvalid) as caught:
        MoveSpec(move_date=date(2026, 3, 10), volume_m3=12.5)

    assert caught.value.errors == {
        ("volume_m3",): ["Must be a Decimal greater than 0 and at most 200."]
    }


def test_a_move_needs_a_volume_or_an_inventory():
    with pytest.raises(MoveInvalid) as caught:
        MoveSpec(move_date=date(2026, 3, 10))

    assert caught.value.errors == {("volume_m3",): ["Give volume_m3 or a non-empty inventory."]}


def test_an_unknown_item_without_its_own_volume_cannot_be_quoted():
    move = MoveSpec(
        move_date=date(2026, 3, 10),
        inventory=(InventoryLine("sofa_2seat"), InventoryLine("hot_tub", 1)),
    )

    with pytest.raises(MoveInvalid) as caught:
        quote_small_local(move)

    assert caught.value.errors == {
        ("inventory", 1, "item"): ["Unknown item 'hot_tub': give its volume_m3."]
    }


def test_utilisation_outside_zero_to_one_is_refused():
    with pytest.raises(MoveInvalid) as caught:
        QuoteContext(booked_on=date(2026, 1, 1), utilisation=D("1.5"))

    assert caught.value.errors == {("utilisation",): ["Must be a Decimal between 0 and 1."]}


@pytest.mark.parametrize("km", ["-1", "NaN", "40001"])
def test_a_distance_outside_the_planet_is_refused(km):
    move = MoveSpec(move_date=date(2026, 3, 10), volume_m3=D("10"))

    with pytest.raises(MoveInvalid) as caught:
        quote_small_local(move, km=km)

    assert caught.value.errors == {("distance_km",): ["Must be a Decimal from 0 to 40000."]}


def test_a_move_before_its_booking_date_is_refused():
    move = MoveSpec(move_date=date(2026, 3, 10), volume_m3=D("10"))

    with pytest.raises(MoveInvalid) as caught:
        quote_small_local(move, booked_on=date(2026, 3, 11))

    assert caught.value.errors == {("move_date",): ["Must not be before the booking date."]}


def test_catalogue_volumes_are_what_a_customer_could_type():
    for code, (label, volume_m3) in DEFAULT_CATALOGUE.items():
        assert label and code.islower()
        assert D(0) < volume_m3 <= D(200)
        assert volume_m3.as_tuple().exponent >= -3


def test_the_engine_and_the_api_share_one_carry_limit():
    from apps.core import limits
    from apps.pricing.api.serializers import MoveRequestInput

    with pytest.raises(MoveInvalid) as caught:
        MoveSpec(move_date=date(2026, 5, 13), volume_m3=D("10"), carry_origin_m=501)

    assert caught.value.errors == {("carry_origin_m",): ["Must be a whole number from 0 to 500."]}
    assert MoveRequestInput().fields["carry_origin_m"].max_value == limits.MAX_CARRY_M == 500
