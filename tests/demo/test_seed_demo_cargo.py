"""seed_demo's cargo: hubs and trips of tomorrow and the day after, found by route search directly
and with one change of truck, clear of the demo jobs and the walk's truck; a rerun adds nothing."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.bookings.demo_history import HISTORY_NOTE
from apps.bookings.models import Booking, TruckAllocation
from apps.cargo.demo import WALK_TRUCK_PLATE, demo_trip_days, demo_trips_ensure
from apps.cargo.models import Hub, Trip, TripStatus
from apps.companies.demo import STAFFED_COMPANY_SLUG
from tests.bookings.quoting import catalogue

__all__ = ["catalogue"]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]

PARIS = ZoneInfo("Europe/Paris")


def seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def trip_rows() -> list[tuple]:
    return sorted(
        Trip.objects.values_list(
            "pk", "truck__plate", "origin_hub__code", "destination_hub__code", "departs_at"
        )
    )


def routes(api_client, origin: str, destination: str, day) -> list[list[str]]:
    """The itineraries found, each as its legs 'LYS-PAR 2030-06-10' (local departure date)."""
    response = api_client.get(
        "/api/v1/cargo/routes/",
        {
            "origin": origin,
            "destination": destination,
            "date": day.isoformat(),
            "volume_m3": "1.5",
            "weight_kg": "80",
        },
    )
    assert response.status_code == 200, response.content
    return [
        [
            f"{leg['origin_hub']}-{leg['destination_hub']} "
            f"{datetime.fromisoformat(leg['departs_at']).astimezone(PARIS).date()}"
            for leg in result["legs"]
        ]
        for result in response.json()["results"]
    ]


def test_seed_demo_makes_the_hubs_and_trips_once():
    # Given a first seed
    seed()
    first = trip_rows()

    # When it runs again
    seed()

    # Then nothing was added, every trip is scheduled in the future, and the demo jobs are whole
    assert trip_rows() == first
    assert list(Hub.objects.values_list("code", "timezone")) == [
        ("DIJ", "Europe/Paris"),
        ("LYS", "Europe/Paris"),
        ("MRS", "Europe/Paris"),
        ("PAR", "Europe/Paris"),
    ]
    assert len(first) == 8
    trips = Trip.objects.all()
    assert {trip.status for trip in trips} == {TripStatus.SCHEDULED}
    assert all(trip.departs_at > timezone.now() for trip in trips)
    assert {trip.departs_on_local for trip in trips} == set(demo_trip_days(now=timezone.now()))
    assert all(trip.company.is_verified for trip in trips)
    todays_jobs = Booking.objects.filter(company__slug=STAFFED_COMPANY_SLUG).exclude(
        move_request__notes__startswith=HISTORY_NOTE
    )
    assert todays_jobs.count() == 4


def test_demo_trips_stay_off_the_demo_jobs_trucks_and_the_walks_truck():
    seed()

    plates = set(Trip.objects.values_list("truck__plate", flat=True))
    assert plates == {"LY-201-PM", "LY-301-ST", "LY-302-ST"}
    assert WALK_TRUCK_PLATE not in plates
    assert not Trip.objects.filter(company__slug=STAFFED_COMPANY_SLUG).exists()
    # and each trip holds its truck through a live allocation
    assert TruckAllocation.objects.filter(purpose="trip", released_at__isnull=True).count() == 8


def test_route_search_finds_the_demo_trips_directly_and_with_a_change(api_client):
    seed()
    tomorrow, after = demo_trip_days(now=timezone.now())

    # Direct, and with a change of truck in Dijon (the same day, or the next day's second leg
    # within the 48 h connection limit); from Marseille with a change in Lyon
    assert routes(api_client, "LYS", "PAR", tomorrow) == [
        [f"LYS-PAR {tomorrow}"],
        [f"LYS-DIJ {tomorrow}", f"DIJ-PAR {tomorrow}"],
        [f"LYS-DIJ {tomorrow}", f"DIJ-PAR {after}"],
    ]
    assert routes(api_client, "MRS", "PAR", tomorrow) == [
        [f"MRS-LYS {tomorrow}", f"LYS-PAR {tomorrow}"],
        [f"MRS-LYS {tomorrow}", f"LYS-PAR {after}"],
    ]
    assert routes(api_client, "LYS", "PAR", after) == [
        [f"LYS-PAR {after}"],
        [f"LYS-DIJ {after}", f"DIJ-PAR {after}"],
    ]


def test_a_seed_on_a_later_day_adds_that_days_trips_only():
    # Given today's seed
    seed()
    before = trip_rows()

    # When the trips are made again a day later
    later = timezone.now() + timedelta(days=1)
    demo_trips_ensure(now=later)

    # Then the trips of the new day after tomorrow were added, the others kept as they were
    rows = trip_rows()
    assert rows[: len(before)] == before
    added = Trip.objects.exclude(pk__in=[row[0] for row in before])
    last_day = demo_trip_days(now=later)[-1]
    assert added.count() == 4
    assert {trip.departs_on_local for trip in added} == {last_day}
    assert {trip.departs_at.astimezone(PARIS).hour for trip in added} == {5, 8, 10, 13}
