"""From the driver's socket to the watchers': ETA on positions, arrival once, privacy kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from apps.bookings.models import Booking, BookingEvent
from tests.bookings.lifecycle_support import booking_in
from tests.tracking.ingest_support import connected_driver, receive
from tests.tracking.ingest_support import position as driver_position
from tests.tracking.watch_support import frames, socket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

NEAR_ORIGIN = {"lat": 45.7649, "lng": 4.8357}  # 100 m north of the factories' origin


@pytest.fixture
def job(alice, settings) -> Booking:
    settings.PRICING_ROUTE_PROVIDER, settings.PRICING_ROAD_FACTOR = "geodesic", "1.3"
    return booking_in(
        Booking.Status.IN_PROGRESS, company=alice, start=timezone.now() - timedelta(hours=1)
    )


async def test_the_customer_sees_the_drivers_arrival_once_then_positions_with_eta(job, alice):
    # given the customer watching the job and the driver connected
    customer = socket(f"/ws/bookings/{job.pk}/", job.customer)
    assert (await customer.connect(timeout=5))[0]
    driver = await connected_driver(alice.driver_user)
    first = timezone.now()  # positions count for the job from its start (now, in `job`)
    second = first + timedelta(seconds=35)
    # when the driver sends two positions 100 m from the pickup address, 10 m/s
    for at in (first, second):
        await driver.send_json_to(driver_position(at, speed=10.0, **NEAR_ORIGIN))
        assert await receive(driver) == {"type": "ack", "last": at.isoformat()}
    # then the customer gets one arrival, then both positions with the ETA to the destination
    # (2.6 road km at 36 km/h: 4.3 min, rounded up)
    assert await frames(customer, 3) == [
        {"type": "status", "status": "in_progress", "kind": "arriving", "stop": "origin"},
        {
            "type": "position",
            **NEAR_ORIGIN,
            "recorded_at": first.isoformat(),
            "eta_minutes": 5,
            "distance_remaining_km": 2.6,
        },
        {
            "type": "position",
            **NEAR_ORIGIN,
            "recorded_at": second.isoformat(),
            "eta_minutes": 5,
            "distance_remaining_km": 2.6,
        },
    ]
    arrivals = await sync_to_async(BookingEvent.objects.filter(kind="arriving").count)()
    assert arrivals == 1
    await driver.disconnect()
    await customer.disconnect()
