"""POST /api/v1/quotes/estimate/ refusals: every malformed or out-of-range field, nested."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from apps.core.throttling import ClientRateThrottle
from tests.pricing.conftest import STUDIO_INVENTORY, estimate, paris_today, refused, studio

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]


def test_a_move_date_in_the_past_is_refused(priced_alice):
    yesterday = paris_today() - timedelta(days=1)

    error = refused(
        studio(priced_alice.company, move_date=yesterday.isoformat()), status=400, code="invalid"
    )

    assert error["details"] == {
        "move_date": [f"Must not be in the past (today is {paris_today()} for this company)."]
    }


def test_a_move_today_is_quoted(priced_alice):
    response = estimate(studio(priced_alice.company, move_date=paris_today().isoformat()))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "move_date", ["2030-03-10T09:00:00", "2030-03-10T09:00:00+01:00", "2030-02-30", "10/03/2030"]
)
def test_a_move_date_that_is_not_a_plain_date_is_refused(priced_alice, move_date):
    error = refused(studio(priced_alice.company, move_date=move_date), status=400, code="invalid")

    assert error["details"] == {
        "move_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]
    }


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (0, "Ensure this value is greater than or equal to 1."),
        (501, "Ensure this value is less than or equal to 500."),
    ],
)
def test_a_quantity_outside_1_to_500_is_refused_with_its_path(priced_alice, quantity, message):
    inventory = copy.deepcopy(STUDIO_INVENTORY)
    inventory[1]["quantity"] = quantity

    error = refused(studio(priced_alice.company, inventory=inventory), status=400, code="invalid")

    assert error["details"] == {"inventory": [{}, {"quantity": [message]}]}


def test_an_unknown_item_without_volume_is_refused_with_its_path(priced_alice):
    inventory = [*STUDIO_INVENTORY, {"item": "garden_shed", "quantity": 1}]

    error = refused(studio(priced_alice.company, inventory=inventory), status=400, code="invalid")

    assert error["details"] == {
        "inventory": [{}] * 9 + [{"item": ["Unknown item 'garden_shed': give its volume_m3."]}]
    }


@pytest.mark.parametrize(
    ("point", "details"),
    [
        ({"lat": 91, "lng": 4.8}, {"origin": {"lat": ["Latitude must be between -90 and 90."]}}),
        (
            {"lat": 45.7, "lng": -181},
            {"origin": {"lng": ["Longitude must be between -180 and 180."]}},
        ),
        (
            {"lat": "north", "lng": 4.8},
            {"origin": ['Expected {"lat": <number>, "lng": <number>}.']},
        ),
    ],
)
def test_an_origin_out_of_range_is_refused(priced_alice, point, details):
    error = refused(studio(priced_alice.company, origin=point), status=400, code="invalid")

    assert error["details"] == details


@pytest.mark.parametrize(
    ("changes", "details"),
    [
        (
            {"inventory": []},
            {"inventory": {"non_field_errors": ["Ensure this field has at least 1 elements."]}},
        ),
        (
            {"inventory": [{"item": "box_small", "quantity": 1}] * 201},
            {
                "inventory": {
                    "non_field_errors": ["Ensure this field has no more than 200 elements."]
                }
            },
        ),
        (
            {"stairs_origin": 31},
            {"stairs_origin": ["Ensure this value is less than or equal to 30."]},
        ),
        (
            {"carry_destination_m": 501},
            {"carry_destination_m": ["Ensure this value is less than or equal to 500."]},
        ),
        (
            {"volume_m3": "0"},
            {"volume_m3": ["Ensure this value is greater than or equal to 0.001."]},
        ),
        (
            {"volume_m3": "200.5"},
            {"volume_m3": ["Ensure this value is less than or equal to 200."]},
        ),
        (
            {"window_start": "9am"},
            {
                "window_start": [
                    "Datetime has wrong format. Use one of these formats instead: "
                    "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
                ]
            },
        ),
        ({"elevator": True}, {"elevator": ["Unknown field."]}),
        (
            {"inventory": [{"item": "sofa_2seat", "quantity": 1, "colour": "red"}]},
            {"inventory": [{"colour": ["Unknown field."]}]},
        ),
        ({"company": None}, {"company": ["This field may not be null."]}),
    ],
)
def test_out_of_range_or_unknown_fields_are_refused_by_path(priced_alice, changes, details):
    error = refused(studio(priced_alice.company, **changes), status=400, code="invalid")

    assert error["details"] == details


def test_estimates_are_throttled_like_every_anonymous_call(priced_alice, monkeypatch):
    monkeypatch.setattr(
        ClientRateThrottle,
        "THROTTLE_RATES",
        {**ClientRateThrottle.THROTTLE_RATES, "anon": "2/min"},
    )
    assert estimate(studio(priced_alice.company)).status_code == 200
    assert estimate(studio(priced_alice.company)).status_code == 200

    error = refused(studio(priced_alice.company), status=429, code="throttled")

    assert 1 <= error["details"]["retry_after"] <= 60


def test_an_inventory_adding_up_past_200_m3_is_refused(priced_alice):
    inventory = [{"item": "crate", "quantity": 500, "volume_m3": "199"}]  # 99,500 m3 in all

    error = refused(studio(priced_alice.company, inventory=inventory), status=400, code="invalid")

    assert error["details"] == {
        "inventory": {
            "non_field_errors": [
                "The inventory adds up to 99500.000 m³; a move holds at most 200 m³ "
                "(give fewer items, or your own volume_m3)."
            ]
        }
    }


@pytest.mark.parametrize("move_date", ["9999-12-31", "0001-01-01", "3000-01-01", "1899-12-31"])
def test_a_move_date_outside_the_apis_calendar_is_refused(priced_alice, move_date):
    body = studio(priced_alice.company, move_date=move_date, window_start=None, window_end=None)

    error = refused(body, status=400, code="invalid")

    assert error["details"] == {"move_date": ["Must be between 1900-01-01 and 2999-12-31."]}
