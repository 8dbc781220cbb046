"""GET /api/v1/bookings/{id}/track/ and GET /api/v1/companies/{id}/fleet/positions/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.bookings.models import Booking
from tests.bookings.lifecycle_support import booking_in
from tests.companies.factories import TruckFactory
from tests.conftest import auth_client_for
from tests.tracking.rest_support import iso, last_position_of, position_at

pytestmark = pytest.mark.django_db

Status = Booking.Status


def track_url(booking: Booking) -> str:
    return f"/api/v1/bookings/{booking.pk}/track/"


def job_with_track(alice):
    """A completed job: positions before it (the approach), during it, and after it."""
    booking = booking_in(Status.COMPLETED, company=alice)
    started = timezone.now() - timedelta(hours=2)
    booking.started_at, booking.completed_at = started, started + timedelta(hours=1)
    booking.save(update_fields=["started_at", "completed_at"])
    position_at(alice, started - timedelta(minutes=5), lat=45.0, lng=4.0)  # approach, no booking
    position_at(alice, started - timedelta(minutes=1), lat=45.01, lng=4.01, booking=booking)
    inside = [
        position_at(
            alice, started + timedelta(minutes=m), lat=45.1 + m / 100, lng=4.1, booking=booking
        )
        for m in (30, 0, 10)  # stored out of order: the track is in time order
    ]
    position_at(alice, started + timedelta(hours=1, minutes=1), lat=46.0, lng=5.0, booking=booking)
    return booking, sorted(inside, key=lambda p: p.recorded_at)


def test_customer_sees_only_the_jobs_part_in_time_order_as_a_linestring(alice):
    # Given a completed job with positions before, during and after it
    booking, inside = job_with_track(alice)

    # When its customer reads the track
    response = auth_client_for(booking.customer).get(track_url(booking))

    # Then the job's three positions come back, oldest first, as [lng, lat]
    assert response.status_code == 200
    assert response.json() == {
        "type": "Feature",
        "geometry": {
            "type": "LineString",
            "coordinates": [[4.1, 45.1], [4.1, 45.2], [4.1, 45.4]],
        },
        "properties": {
            "booking": booking.pk,
            "timestamps": [iso(p.recorded_at) for p in inside],
        },
    }


@pytest.mark.parametrize("who", ["owner_client", "dispatcher_client", "driver_client"])
def test_staff_see_the_same_job_track_as_the_customer(alice, who):
    # Given a completed job with positions before, during and after it
    booking, inside = job_with_track(alice)

    # When the company's staff read the track
    staff = auth_client_for(booking.customer).get(track_url(booking)).json()
    response = getattr(alice, who).get(track_url(booking))

    # Then they see the job's part, exactly what the customer sees
    assert response.status_code == 200
    assert response.json() == staff
    assert response.json()["properties"]["timestamps"] == [iso(p.recorded_at) for p in inside]


def test_in_progress_track_runs_up_to_the_latest_position(alice):
    # Given a job in progress with two positions since its start
    booking = booking_in(Status.IN_PROGRESS, company=alice)
    started = booking.started_at
    first = position_at(alice, started + timedelta(seconds=5), lat=45.5, lng=4.5, booking=booking)
    last = position_at(alice, started + timedelta(seconds=10), lat=45.6, lng=4.6, booking=booking)

    # When the customer reads the track
    response = auth_client_for(booking.customer).get(track_url(booking))

    # Then both are there
    assert response.status_code == 200
    assert response.json()["geometry"] == {
        "type": "LineString",
        "coordinates": [[4.5, 45.5], [4.6, 45.6]],
    }
    assert response.json()["properties"]["timestamps"] == [
        iso(first.recorded_at),
        iso(last.recorded_at),
    ]


def test_a_single_position_is_a_point(alice):
    # Given a job in progress with one position
    booking = booking_in(Status.IN_PROGRESS, company=alice)
    only = position_at(alice, booking.started_at, lat=45.5, lng=4.5, booking=booking)

    # When the customer reads the track
    response = auth_client_for(booking.customer).get(track_url(booking))

    # Then the geometry is that Point (a LineString needs two positions)
    assert response.status_code == 200
    assert response.json() == {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [4.5, 45.5]},
        "properties": {"booking": booking.pk, "timestamps": [iso(only.recorded_at)]},
    }


@pytest.mark.parametrize("status", [Status.CONFIRMED, Status.SCHEDULED, Status.IN_PROGRESS])
def test_no_position_yet_is_a_null_geometry(alice, status):
    # Given a job with no position of its own (the truck's approach has no booking)
    booking = booking_in(status, company=alice)
    position_at(alice, timezone.now() - timedelta(minutes=1), lat=45.0, lng=4.0)

    # When the customer reads the track
    response = auth_client_for(booking.customer).get(track_url(booking))

    # Then the Feature has a null geometry and no timestamps
    assert response.status_code == 200
    assert response.json() == {
        "type": "Feature",
        "geometry": None,
        "properties": {"booking": booking.pk, "timestamps": []},
    }


def test_a_long_track_keeps_the_newest_points(alice, settings):
    # Given a cap of 3 points and a job with 5
    settings.TRACKING_TRACK_MAX_POINTS = 3
    booking = booking_in(Status.IN_PROGRESS, company=alice)
    positions = [
        position_at(
            alice,
            booking.started_at + timedelta(seconds=s),
            lat=45 + s / 10,
            lng=4.0,
            booking=booking,
        )
        for s in range(5)
    ]

    # When the customer reads the track
    response = auth_client_for(booking.customer).get(track_url(booking))

    # Then the newest three, oldest first
    assert response.status_code == 200
    assert response.json()["geometry"]["coordinates"] == [[4.0, 45.2], [4.0, 45.3], [4.0, 45.4]]
    assert response.json()["properties"]["timestamps"] == [
        iso(p.recorded_at) for p in positions[2:]
    ]


def test_fleet_positions_list_each_trucks_latest_position_by_plate(alice):
    # Given two trucks of alice with a last position and one without
    at = timezone.now() - timedelta(seconds=30)
    booking = booking_in(Status.IN_PROGRESS, company=alice)
    alice.truck.plate = "ZZ-999-ZZ"
    alice.truck.save(update_fields=["plate"])
    other = TruckFactory(company=alice.company, plate="AA-111-AA")
    TruckFactory(company=alice.company, plate="MM-555-MM")
    last_position_of(
        alice, alice.truck, at, lat=45.5, lng=4.5, heading=90.0, speed=12.5, booking=booking
    )
    last_position_of(alice, other, at, lat=45.25, lng=4.75)

    # When the dispatcher reads the fleet
    response = alice.dispatcher_client.get(f"/api/v1/companies/{alice.company.pk}/fleet/positions/")

    # Then one row per truck that has a position, by plate
    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {
                "truck": other.pk,
                "plate": "AA-111-AA",
                "lat": 45.25,
                "lng": 4.75,
                "recorded_at": iso(at),
                "heading": None,
                "speed": None,
                "booking": None,
            },
            {
                "truck": alice.truck.pk,
                "plate": "ZZ-999-ZZ",
                "lat": 45.5,
                "lng": 4.5,
                "recorded_at": iso(at),
                "heading": 90.0,
                "speed": 12.5,
                "booking": booking.pk,
            },
        ],
    }
