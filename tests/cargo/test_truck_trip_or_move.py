"""A truck is on a trip or on a move, never both at once (409 slot_taken both ways, via the API)."""

from __future__ import annotations

import pytest

from apps.bookings.models import Booking, TruckAllocation
from apps.cargo.models import Trip
from tests.bookings.factories import BookingFactory
from tests.cargo.support import TRIPS_URL, cargo_rows, in_days, publish_body

pytestmark = pytest.mark.django_db


def _schedule(team, booking, start, end):
    return team.owner_client.post(
        f"/api/v1/bookings/{booking.id}/schedule/",
        {
            "truck": team.truck.id,
            "drivers": [team.driver.id],
            "start": start.isoformat(),
            "end": end.isoformat(),
        },
        format="json",
    )


def test_a_truck_on_a_trip_cannot_be_scheduled_for_a_move_then(carrier, hubs):
    published = carrier.owner_client.post(TRIPS_URL, publish_body(carrier.truck), format="json")
    assert published.status_code == 201
    booking = BookingFactory(company=carrier.company)

    response = _schedule(carrier, booking, in_days(3, 12), in_days(3, 16))

    assert response.status_code == 409, response.json()
    error = response.json()["error"]
    assert (error["code"], error["details"]["resource"], error["details"]["id"]) == (
        "slot_taken",
        "truck",
        carrier.truck.id,
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert TruckAllocation.objects.filter(booking=booking).count() == 0


def test_a_truck_scheduled_for_a_move_cannot_leave_on_a_trip_then(carrier, hubs):
    booking = BookingFactory(company=carrier.company)
    scheduled = _schedule(carrier, booking, in_days(3, 6), in_days(3, 9))
    assert scheduled.status_code == 200, scheduled.json()
    before = cargo_rows()

    response = carrier.owner_client.post(TRIPS_URL, publish_body(carrier.truck), format="json")

    assert response.status_code == 409
    error = response.json()["error"]
    assert (error["code"], error["details"]["resource"]) == ("slot_taken", "truck")
    assert cargo_rows() == before
    assert Trip.objects.count() == 0


def test_a_cancelled_trip_frees_the_truck_for_a_move(carrier, hubs):
    published = carrier.owner_client.post(TRIPS_URL, publish_body(carrier.truck), format="json")
    cancelled = carrier.owner_client.post(f"{TRIPS_URL}{published.json()['id']}/cancel/")
    booking = BookingFactory(company=carrier.company)

    response = _schedule(carrier, booking, in_days(3, 12), in_days(3, 16))

    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert response.status_code == 200, response.json()
    trip_allocation = TruckAllocation.objects.get(purpose="trip")
    assert trip_allocation.released_at is not None
