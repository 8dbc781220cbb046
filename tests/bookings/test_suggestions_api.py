"""GET /bookings/{id}/suggestions/: ranked truck + crew proposals for the booking's window."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from apps.bookings.schedule_services import booking_schedule
from apps.core.geo import point_from_lat_lng
from tests.accounts.factories import CustomerFactory
from tests.bookings.factories import BookingFactory, MoveRequestFactory
from tests.bookings.scheduling import (
    PARIS,
    assignable_driver,
    assignable_truck,
    at,
    ready,
    utc_iso,
)
from tests.companies.factories import TruckFactory
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db

# MoveRequestFactory's origin is Place Bellecour, Lyon (45.7640, 4.8357).
NEAR_ORIGIN = (45.7700, 4.8400)  # 0.7 km
LYON_NORTH = (45.8883, 4.8357)  # 13.8 km
PARIS_BASE = (48.8566, 2.3522)  # 391.5 km


def _url(booking) -> str:
    return f"/api/v1/bookings/{booking.id}/suggestions/"


def _z(moment: datetime) -> str:
    return utc_iso(moment).replace("+00:00", "Z")


@pytest.fixture
def team(alice):
    ready(alice)
    alice.company.base_location = point_from_lat_lng(*PARIS_BASE)
    alice.company.save(update_fields=["base_location"])
    return alice


def test_trucks_that_fit_and_are_free_nearest_first_each_with_a_crew(team):
    near = assignable_truck(
        team.company, plate="NEAR", home_location=point_from_lat_lng(*NEAR_ORIGIN)
    )
    north = assignable_truck(
        team.company, plate="NORTH", home_location=point_from_lat_lng(*LYON_NORTH)
    )
    assignable_truck(
        team.company, plate="SMALL", capacity_m3="11.00", home_location=near.home_location
    )
    TruckFactory(company=team.company, plate="NODOCS", home_location=near.home_location)
    second_driver = assignable_driver(team.company)
    booking = BookingFactory(company=team.company)  # 12 m3, crew of 2, 3 h

    response = team.dispatcher_client.get(_url(booking))

    assert response.status_code == 200, response.json()
    answer = response.json()
    day = booking.move_request.move_date
    start = datetime.combine(day, time(8), tzinfo=PARIS)
    assert {key: answer[key] for key in ("booking", "start", "end", "crew_size", "volume_m3")} == {
        "booking": booking.id,
        "start": _z(start),
        "end": _z(start.replace(hour=11)),
        "crew_size": 2,
        "volume_m3": "12.000",
    }
    ranked = [
        (p["truck"]["plate"], p["distance_km"], p["missing_drivers"]) for p in answer["proposals"]
    ]
    assert ranked == [
        ("NEAR", "0.7", 0),
        ("NORTH", "13.8", 0),
        (team.truck.plate, "391.5", 0),  # no home location: the company's base
    ]
    assert [d["id"] for d in answer["proposals"][0]["drivers"]] == [
        team.driver.id,
        second_driver.id,
    ]
    assert answer["proposals"][1]["truck"] == {
        "id": north.id,
        "plate": "NORTH",
        "label": "Box truck",
        "capacity_m3": "30.00",
    }


def test_busy_trucks_and_drivers_are_left_out_and_a_short_crew_says_how_many_are_missing(team):
    near = assignable_truck(team.company, home_location=point_from_lat_lng(*NEAR_ORIGIN))
    busy_driver = assignable_driver(team.company)
    booking = BookingFactory(company=team.company)
    other = BookingFactory(company=team.company)
    day = booking.move_request.move_date
    booking_schedule(
        booking=other,
        actor=team.owner,
        truck_id=near.id,
        driver_ids=[busy_driver.id],
        start=datetime.combine(day, time(10), tzinfo=PARIS),
        end=datetime.combine(day, time(12), tzinfo=PARIS),
    )

    answer = team.owner_client.get(_url(booking)).json()

    assert [(p["truck"]["id"], p["missing_drivers"]) for p in answer["proposals"]] == [
        (team.truck.id, 1)
    ]
    assert [d["id"] for d in answer["proposals"][0]["drivers"]] == [team.driver.id]


def test_the_arrival_window_sets_the_period_for_at_least_the_estimated_hours(team):
    day = at(0).date()
    request = MoveRequestFactory(
        move_date=day,
        window_start=datetime.combine(day, time(9), tzinfo=PARIS),
        window_end=datetime.combine(day, time(13), tzinfo=PARIS),
    )
    booking = BookingFactory(company=team.company, move_request=request)  # 3 h estimated

    answer = team.owner_client.get(_url(booking)).json()

    assert (answer["start"], answer["end"]) == (
        _z(datetime.combine(day, time(9), tzinfo=PARIS)),
        _z(datetime.combine(day, time(13), tzinfo=PARIS)),
    )


def test_a_scheduled_booking_gets_proposals_for_its_period_its_own_truck_included(team):
    booking = BookingFactory(company=team.company)
    booking_schedule(
        booking=booking,
        actor=team.owner,
        truck_id=team.truck.id,
        driver_ids=[team.driver.id],
        start=at(14),
        end=at(18),
    )

    answer = team.owner_client.get(_url(booking)).json()

    assert (answer["start"], answer["end"]) == (_z(at(14)), _z(at(18)))
    assert [p["truck"]["id"] for p in answer["proposals"]] == [team.truck.id]
    assert [d["id"] for d in answer["proposals"][0]["drivers"]] == [team.driver.id]


@pytest.mark.parametrize("status", ["in_progress", "completed", "cancelled"])
def test_a_booking_past_scheduling_gets_409(team, status):
    booking = BookingFactory(company=team.company, status=status)

    response = team.owner_client.get(_url(booking))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


@pytest.mark.parametrize("who", ["customer", "driver"])
def test_the_customer_and_drivers_get_403(team, who):
    booking = BookingFactory(company=team.company)
    client = auth_client_for(booking.customer) if who == "customer" else team.driver_client

    response = client.get(_url(booking))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize("who", ["owner_client", "dispatcher_client", "driver_client", "customer"])
def test_outsiders_get_404(team, bob, who):
    booking = BookingFactory(company=team.company)
    client = auth_client_for(CustomerFactory()) if who == "customer" else getattr(bob, who)

    response = client.get(_url(booking))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
