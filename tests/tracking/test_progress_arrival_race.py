"""Arrival is emitted once even when two processes see the truck arrive at the same moment."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from apps.bookings.models import Booking, BookingEvent
from apps.tracking.groups import booking_group_name
from apps.tracking.models import ArrivalNotice
from apps.tracking.progress import arrival_record, position_progress
from tests.bookings.lifecycle_support import booking_in
from tests.race import race_same

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

AT = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
NEAR_ORIGIN = (45.7649, 4.8357)  # 100 m north of the factories' origin
SENTINEL = {"type": "booking.event", "event": {"type": "sentinel"}}


@pytest.fixture
def job(alice) -> Booking:
    return booking_in(Booking.Status.IN_PROGRESS, company=alice)


def arrive_together(booking_id: int) -> list[dict]:
    lat, lng = NEAR_ORIGIN
    return race_same(
        2,
        lambda: position_progress(booking_id=booking_id, lat=lat, lng=lng, recorded_at=AT),
    )


async def broadcasts(layer, listener: str, booking_id: int) -> list[dict]:
    """The booking group's events the listener got, up to a sentinel sent now."""
    await layer.group_send(booking_group_name(booking_id), SENTINEL)
    received = []
    while True:
        message = await asyncio.wait_for(layer.receive(listener), timeout=5)
        if message == SENTINEL:
            return received
        received.append(message["event"])


async def listening(booking_id: int):
    layer = get_channel_layer()
    listener = await layer.new_channel()
    await layer.group_add(booking_group_name(booking_id), listener)
    return layer, listener


async def test_two_recorders_of_the_same_arrival_insert_and_emit_once(job):
    layer, listener = await listening(job.pk)
    # when two threads record the same arrival at once
    results = await sync_to_async(
        lambda: race_same(2, lambda: arrival_record(booking=job, stop="origin", at=AT)),
        thread_sensitive=False,
    )()
    # then exactly one of them inserted it, and one event was emitted
    assert sorted(results) == [False, True]
    assert await sync_to_async(lambda: list(ArrivalNotice.objects.values_list("stop", "at")))() == [
        ("origin", AT)
    ]
    count = await sync_to_async(BookingEvent.objects.filter(kind="arriving").count)()
    assert count == 1
    assert await broadcasts(layer, listener, job.pk) == [
        {"type": "status", "status": "in_progress", "kind": "arriving", "stop": "origin"}
    ]


async def test_two_processes_at_the_same_arrival_emit_one_event(job):
    # given a listener on the booking's group
    layer, listener = await listening(job.pk)
    # when two threads handle the arriving position at the same time
    results = await sync_to_async(arrive_together, thread_sensitive=False)(job.pk)
    # then both get the ETA to the destination
    assert results[0] == results[1]
    assert results[0]["distance_remaining_km"] == 2.6
    # and one arrival, one `arriving` event, one status broadcast
    assert await sync_to_async(lambda: list(ArrivalNotice.objects.values_list("stop", "at")))() == [
        ("origin", AT)
    ]
    events = await sync_to_async(
        lambda: list(BookingEvent.objects.filter(booking=job, kind="arriving").values("data"))
    )()
    assert events == [{"data": {"stop": "origin"}}]
    assert await broadcasts(layer, listener, job.pk) == [
        {"type": "status", "status": "in_progress", "kind": "arriving", "stop": "origin"}
    ]
    await layer.group_discard(booking_group_name(job.pk), listener)
