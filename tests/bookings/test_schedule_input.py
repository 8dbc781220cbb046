"""POST /bookings/{id}/schedule/ bad input: 400 `invalid` naming the field, nothing stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.bookings.factories import BookingFactory
from tests.bookings.scheduling import at, body, ready, schedule_rows, url

pytestmark = pytest.mark.django_db

NAIVE = "Give the time with its UTC offset, e.g. 2030-03-10T09:00:00+01:00."


def _cases(team):
    good = body(team.truck, [team.driver], at(9), at(13))
    past = timezone.now() - timedelta(minutes=1)
    return {
        "naive start": (
            {**good, "start": at(9).replace(tzinfo=None).isoformat()},
            {"start": [NAIVE]},
        ),
        "naive end": ({**good, "end": at(13).replace(tzinfo=None).isoformat()}, {"end": [NAIVE]}),
        "end before start": (
            {**good, "start": at(13).isoformat(), "end": at(9).isoformat()},
            {"end": ["Must be after start."]},
        ),
        "end equals start": ({**good, "end": at(9).isoformat()}, {"end": ["Must be after start."]}),
        "longer than 24 h": (
            {**good, "end": (at(9) + timedelta(hours=24, minutes=1)).isoformat()},
            {"end": ["Must be at most 24 h after start."]},
        ),
        "start in the past": (
            {**good, "start": past.isoformat(), "end": (past + timedelta(hours=2)).isoformat()},
            {"start": ["Must not be in the past."]},
        ),
        "no drivers": ({**good, "drivers": []}, {"drivers": ["This list may not be empty."]}),
        "a driver twice": (
            {**good, "drivers": [team.driver.id, team.driver.id]},
            {"drivers": ["Name each driver once."]},
        ),
        "eleven drivers": (
            {**good, "drivers": list(range(1, 12))},
            {"drivers": ["Ensure this field has no more than 10 elements."]},
        ),
        "truck as a string": (
            {**good, "truck": str(team.truck.id)},
            {"truck": ["Expected a number."]},
        ),
        "truck id beyond bigint": (
            {**good, "truck": 2**63},
            {"truck": ["Ensure this value is less than or equal to 9223372036854775807."]},
        ),
        "driver id zero": (
            {**good, "drivers": [0]},
            {"drivers": [["Ensure this value is greater than or equal to 1."]]},
        ),
        "start not a time": ({**good, "start": "tomorrow"}, "start"),
        "unknown field": ({**good, "crew": 3}, {"crew": ["Unknown field."]}),
        "missing end": (
            {key: value for key, value in good.items() if key != "end"},
            {"end": ["This field is required."]},
        ),
    }


CASES = [
    "naive start",
    "naive end",
    "end before start",
    "end equals start",
    "longer than 24 h",
    "start in the past",
    "no drivers",
    "a driver twice",
    "eleven drivers",
    "truck as a string",
    "truck id beyond bigint",
    "driver id zero",
    "start not a time",
    "unknown field",
    "missing end",
]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_400_naming_the_field_and_nothing_is_stored(alice, case):
    team = ready(alice)
    booking = BookingFactory(company=team.company)
    payload, expected = _cases(team)[case]
    before = schedule_rows()

    response = team.owner_client.post(url(booking), payload, format="json")

    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == "invalid"
    if isinstance(expected, str):
        assert list(error["details"]) == [expected]
    else:
        assert error["details"] == expected
    assert schedule_rows() == before


def test_exactly_24_hours_is_accepted(alice):
    team = ready(alice)
    booking = BookingFactory(company=team.company)

    response = team.owner_client.post(
        url(booking),
        body(team.truck, [team.driver], at(9), at(9) + timedelta(hours=24)),
        format="json",
    )

    assert response.status_code == 200, response.json()


def test_the_maximum_duration_is_a_setting(alice, settings):
    settings.BOOKING_SCHEDULE_MAX_HOURS = 4
    team = ready(alice)
    booking = BookingFactory(company=team.company)

    response = team.owner_client.post(
        url(booking), body(team.truck, [team.driver], at(9), at(14)), format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"end": ["Must be at most 4 h after start."]}
