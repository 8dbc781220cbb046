"""Input at the edges the outside probe found (dates at the end of the calendar, an inventory
adding up past a move's volume): a clear 400 in the envelope, nothing stored, never a 500."""

from __future__ import annotations

import pytest

from tests.bookings.quoting import URL, body, bookings_rows

pytestmark = pytest.mark.django_db

DATE_RANGE = "Must be between 1900-01-01 and 2999-12-31."
TOO_MUCH = (
    "The inventory adds up to 99500.000 m³; a move holds at most 200 m³ "
    "(give fewer items, or your own volume_m3)."
)


@pytest.mark.parametrize(
    ("changes", "details"),
    [
        (
            {"move_date": "9999-12-31", "window_start": None, "window_end": None},
            {"move_date": [DATE_RANGE]},
        ),
        (
            {"move_date": "0001-01-01", "window_start": None, "window_end": None},
            {"move_date": [DATE_RANGE]},
        ),
        (
            {
                "move_date": "9999-12-31",
                "window_start": "9999-12-31T09:00:00+00:00",
                "window_end": "9999-12-31T11:00:00+00:00",
            },
            {"move_date": [DATE_RANGE], "window_start": [DATE_RANGE], "window_end": [DATE_RANGE]},
        ),
    ],
    ids=["move date 9999-12-31", "move date 0001-01-01", "window on 9999-12-31"],
)
def test_dates_at_the_ends_of_the_calendar_are_refused_and_nothing_stored(
    priced, customer_client, changes, details
):
    before = bookings_rows()

    response = customer_client.post(URL, body(**changes), format="json")

    assert response.status_code == 400, response.content
    assert response.json()["error"] == {
        "code": "invalid",
        "message": "The request is invalid.",
        "details": details,
    }
    assert bookings_rows() == before


def test_an_inventory_adding_up_past_200_m3_is_refused_and_nothing_stored(priced, customer_client):
    before = bookings_rows()
    # 500 x 199 m3 = 99,500 m3: every line within its limits, the sum far past a move's.
    inventory = [{"item": "shipping container", "quantity": 500, "volume_m3": "199"}]

    response = customer_client.post(URL, body(inventory=inventory), format="json")

    assert response.status_code == 400, response.content
    assert response.json()["error"]["details"] == {"inventory": {"non_field_errors": [TOO_MUCH]}}
    assert bookings_rows() == before


def test_an_inventory_of_exactly_200_m3_is_quoted(priced, customer_client):
    inventory = [{"item": "crate", "quantity": 400, "volume_m3": "0.5"}]

    response = customer_client.post(URL, body(inventory=inventory), format="json")

    assert response.status_code == 201, response.content
    assert [quote["volume_m3"] for quote in response.json()["quotes"]] == ["200.000", "200.000"]


def test_an_inventory_past_200_m3_with_its_own_volume_m3_is_quoted(priced, customer_client):
    # volume_m3 replaces the inventory's sum (the contract): the sum is not held to the limit.
    inventory = [{"item": "crate", "quantity": 500, "volume_m3": "1"}]

    response = customer_client.post(URL, body(inventory=inventory, volume_m3="150"), format="json")

    assert response.status_code == 201, response.content
    assert [quote["volume_m3"] for quote in response.json()["quotes"]] == ["150.000", "150.000"]
