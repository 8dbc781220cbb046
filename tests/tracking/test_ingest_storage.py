"""Where positions land: the in-progress booking or none, the truck's last position, the
booking and fleet groups after each flush, and the flush by size and on disconnect."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.utils import timezone

from apps.bookings.realtime import booking_group_name, company_fleet_group_name
from apps.tracking.models import TruckLastPosition
from tests.bookings.lifecycle_support import booking_in
from tests.tracking.ingest_support import (
    connected_driver,
    item,
    position,
    receive,
    stored,
    wait_for_rows,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture(autouse=True)
def fast_flush(settings):
    settings.TRACKING_FLUSH_SECONDS = 0.05


async def listening(group: str) -> str:
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(group, channel)
    return channel


async def next_event(channel: str) -> dict:
    return await asyncio.wait_for(get_channel_layer().receive(channel), timeout=5)


async def test_positions_during_the_job_attach_to_the_in_progress_booking_and_its_truck(alice):
    booking = await sync_to_async(booking_in)(
        "in_progress", company=alice, start=timezone.now() - timedelta(minutes=30)
    )
    driver = await connected_driver(alice.driver_user)
    now = timezone.now()

    await driver.send_json_to(position(now, lat=48.9, lng=2.4, heading=90, speed=12.5))

    assert await receive(driver) == {"type": "ack", "last": now.isoformat()}
    assert await stored() == [
        {
            "driver": alice.driver.pk,
            "truck": alice.truck.pk,
            "booking": booking.pk,
            "lat": 48.9,
            "lng": 2.4,
            "recorded_at": now,
        }
    ]
    await driver.disconnect()


async def test_positions_before_the_start_or_outside_any_job_have_the_truck_but_no_booking(
    alice,
):
    booking = await sync_to_async(booking_in)(
        "in_progress", company=alice, start=timezone.now() - timedelta(minutes=30)
    )
    driver = await connected_driver(alice.driver_user)
    before_start = booking.started_at - timedelta(minutes=5)

    await driver.send_json_to({"type": "positions", "items": [item(before_start)]})

    assert await receive(driver) == {"type": "ack", "last": before_start.isoformat()}
    rows = await stored()
    assert [(row["truck"], row["booking"]) for row in rows] == [(alice.truck.pk, None)]
    await driver.disconnect()


async def test_a_scheduled_booking_gives_the_truck_but_never_the_booking(alice):
    await sync_to_async(booking_in)(
        "scheduled", company=alice, start=timezone.now() - timedelta(minutes=30)
    )
    driver = await connected_driver(alice.driver_user)
    now = timezone.now()

    await driver.send_json_to(position(now))

    assert await receive(driver) == {"type": "ack", "last": now.isoformat()}
    assert [(row["truck"], row["booking"]) for row in await stored()] == [(alice.truck.pk, None)]
    await driver.disconnect()


async def test_the_trucks_last_position_moves_once_per_flush_and_only_forward(alice):
    await sync_to_async(booking_in)(
        "in_progress", company=alice, start=timezone.now() - timedelta(hours=1)
    )
    driver = await connected_driver(alice.driver_user)
    now = timezone.now()
    await driver.send_json_to(
        {"type": "positions", "items": [item(now, lat=1.0), item(now - timedelta(seconds=9))]}
    )
    assert await receive(driver) == {"type": "ack", "last": now.isoformat()}

    # An older backlog arrives later: stored, but the last position stays the newest.
    older = now - timedelta(minutes=5)
    await driver.send_json_to(position(older, lat=2.0))
    assert await receive(driver) == {"type": "ack", "last": older.isoformat()}

    last = await sync_to_async(TruckLastPosition.objects.get)(truck=alice.truck)
    assert (last.recorded_at, last.point.y, last.driver_id) == (now, 1.0, alice.driver.pk)
    assert len(await stored()) == 3
    await driver.disconnect()


async def test_the_booking_and_fleet_groups_receive_the_position_after_the_flush(alice, settings):
    settings.PRICING_ROUTE_PROVIDER, settings.PRICING_ROAD_FACTOR = "geodesic", "1.3"
    booking = await sync_to_async(booking_in)(
        "in_progress", company=alice, start=timezone.now() - timedelta(hours=1)
    )
    booking_channel = await listening(booking_group_name(booking.pk))
    fleet_channel = await listening(company_fleet_group_name(alice.company.pk))
    driver = await connected_driver(alice.driver_user)
    now = timezone.now()

    await driver.send_json_to(position(now, lat=48.9, lng=2.4, heading=45.0, speed=3.0))
    assert await receive(driver) == {"type": "ack", "last": now.isoformat()}

    assert await next_event(booking_channel) == {
        "type": "booking.event",
        "event": {
            "type": "position",
            "lat": 48.9,
            "lng": 2.4,
            "recorded_at": now.isoformat(),
            # to the factories' origin in Lyon: 394 km x 1.3 by road, at 3 m/s (10.8 km/h)
            "eta_minutes": 2846,
            "distance_remaining_km": 512.2,
        },
    }
    assert await next_event(fleet_channel) == {
        "type": "fleet.position",
        "position": {
            "truck": alice.truck.pk,
            "lat": 48.9,
            "lng": 2.4,
            "recorded_at": now.isoformat(),
            "heading": 45.0,
            "speed": 3.0,
            "booking": booking.pk,
        },
    }
    await driver.disconnect()


async def test_a_position_outside_a_job_reaches_the_fleet_but_not_the_booking(alice):
    booking = await sync_to_async(booking_in)(
        "scheduled", company=alice, start=timezone.now() - timedelta(hours=1)
    )
    booking_channel = await listening(booking_group_name(booking.pk))
    fleet_channel = await listening(company_fleet_group_name(alice.company.pk))
    driver = await connected_driver(alice.driver_user)
    now = timezone.now()

    await driver.send_json_to(position(now))
    assert await receive(driver) == {"type": "ack", "last": now.isoformat()}

    assert (await next_event(fleet_channel))["position"]["booking"] is None
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(get_channel_layer().receive(booking_channel), timeout=0.5)
    await driver.disconnect()


async def test_a_full_batch_flushes_at_once_without_waiting_for_the_timer(alice, settings):
    settings.TRACKING_FLUSH_SECONDS = 3600
    settings.TRACKING_FLUSH_MAX_ROWS = 3
    await sync_to_async(booking_in)(
        "scheduled", company=alice, start=timezone.now() - timedelta(hours=1)
    )
    driver = await connected_driver(alice.driver_user)
    now = timezone.now()

    await driver.send_json_to(position(now - timedelta(seconds=2)))
    await driver.send_json_to(position(now - timedelta(seconds=1)))
    assert await driver.receive_nothing(timeout=0.3)  # queued: not stored, so not acked
    assert await stored() == []
    await driver.send_json_to(position(now))

    acks = [await receive(driver) for _ in range(3)]
    assert [ack["last"] for ack in acks] == [
        (now - timedelta(seconds=2)).isoformat(),
        (now - timedelta(seconds=1)).isoformat(),
        now.isoformat(),
    ]
    assert len(await stored()) == 3
    await driver.disconnect()


async def test_queued_positions_are_stored_when_the_driver_disconnects(alice, settings):
    settings.TRACKING_FLUSH_SECONDS = 3600  # only the disconnect can flush
    await sync_to_async(booking_in)(
        "scheduled", company=alice, start=timezone.now() - timedelta(hours=1)
    )
    driver = await connected_driver(alice.driver_user)
    now = timezone.now()
    await driver.send_json_to(
        {"type": "positions", "items": [item(now), item(now - timedelta(seconds=1))]}
    )
    assert await driver.receive_nothing(timeout=0.3)

    await driver.disconnect()

    rows = await wait_for_rows(2)
    assert [row["recorded_at"] for row in rows] == [now - timedelta(seconds=1), now]
