"""The fleet socket: a company's staff only; every truck's latest position, then live ones."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from channels.layers import get_channel_layer
from django.contrib.gis.geos import Point

from apps.tracking.groups import FLEET_POSITION, company_fleet_group_name
from apps.tracking.models import TruckLastPosition
from tests.bookings.lifecycle_support import booking_in
from tests.companies.factories import TruckFactory
from tests.tracking.watch_support import frames, refused, socket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

SEEN = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def fleet_path(company) -> str:
    return f"/ws/companies/{company.pk}/fleet/"


def last_position(truck, lat: float, lng: float, **fields) -> TruckLastPosition:
    return TruckLastPosition.objects.create(
        truck=truck,
        company=truck.company,
        point=Point(lng, lat, srid=4326),
        recorded_at=SEEN,
        last_seen_at=SEEN,
        **fields,
    )


@pytest.fixture
def fleet(alice, bob):
    """Alice's two trucks and bob's one, each with a last position."""
    second = TruckFactory(company=alice.company)
    last_position(alice.truck, 45.76, 4.83, heading=90.0, speed=12.5, driver=alice.driver)
    last_position(second, 45.70, 4.80)
    last_position(bob.truck, 48.85, 2.35)
    return second


async def test_anonymous_is_refused(alice):
    assert await refused(socket(fleet_path(alice.company)))


async def test_other_companys_staff_are_refused(alice, bob):
    assert await refused(socket(fleet_path(alice.company), bob.owner))


@pytest.fixture
def customer(alice):
    return booking_in("in_progress", company=alice).customer


async def test_a_customer_is_refused(alice, customer):
    assert await refused(socket(fleet_path(alice.company), customer))


async def test_snapshot_of_every_truck_on_connect_then_live_positions(alice, fleet):
    # given alice's dispatcher on the fleet socket
    communicator = socket(fleet_path(alice.company), alice.dispatcher)
    assert (await communicator.connect(timeout=5))[0]
    # then the latest position of each of alice's trucks (bob's never)
    snapshot = await frames(communicator, 2)
    assert snapshot == [
        {
            "type": "position",
            "truck": alice.truck.pk,
            "lat": 45.76,
            "lng": 4.83,
            "recorded_at": SEEN.isoformat(),
            "heading": 90.0,
            "speed": 12.5,
            "booking": None,
        },
        {
            "type": "position",
            "truck": fleet.pk,
            "lat": 45.70,
            "lng": 4.80,
            "recorded_at": SEEN.isoformat(),
            "heading": None,
            "speed": None,
            "booking": None,
        },
    ]
    # when the ingest broadcasts a new position of alice's truck
    live = {
        "truck": alice.truck.pk,
        "lat": 45.77,
        "lng": 4.84,
        "recorded_at": "2026-05-04T10:00:05+00:00",
        "heading": 91.0,
        "speed": 13.0,
        "booking": 12,
    }
    await get_channel_layer().group_send(
        company_fleet_group_name(alice.company.pk), {"type": FLEET_POSITION, "position": live}
    )
    # then it arrives as a position frame
    assert await frames(communicator, 1) == [{"type": "position", **live}]
    assert await communicator.receive_nothing()
    await communicator.disconnect()
