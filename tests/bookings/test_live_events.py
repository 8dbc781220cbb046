"""Status changes and messages reach the booking's channel-layer group after the commit only."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction

from apps.bookings.models import Booking
from apps.bookings.realtime import booking_broadcast, booking_group_name
from tests.bookings.lifecycle_support import booking_in, url
from tests.conftest import auth_client_for


def _watch_while(booking_id: int, action: Callable[[], Any]) -> tuple[Any, dict]:
    """Join the booking's group, run `action` (sync, in a thread), return its result and the
    first event the group received. One event loop throughout: the Pub/Sub layer keeps its
    channels per loop."""

    async def run() -> tuple[Any, dict]:
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(booking_group_name(booking_id), channel)
        result = await sync_to_async(action, thread_sensitive=False)()
        received = await asyncio.wait_for(layer.receive(channel), 5.0)
        await layer.group_discard(booking_group_name(booking_id), channel)
        return result, received

    return async_to_sync(run)()


@pytest.mark.django_db(transaction=True)
def test_a_cancellation_is_sent_to_the_booking_group_as_a_status_event(alice):
    booking = booking_in(Booking.Status.CONFIRMED, company=alice)
    client = auth_client_for(booking.customer)

    response, received = _watch_while(
        booking.pk, lambda: client.post(url(booking, "cancel"), {}, format="json")
    )

    assert response.status_code == 200
    assert received == {
        "type": "booking.event",
        "event": {"type": "status", "status": "cancelled", "kind": "cancelled"},
    }


@pytest.mark.django_db(transaction=True)
def test_a_message_is_sent_to_the_booking_group(alice):
    booking = booking_in(Booking.Status.SCHEDULED, company=alice)
    path = f"/api/v1/bookings/{booking.pk}/messages/"

    response, received = _watch_while(
        booking.pk,
        lambda: alice.owner_client.post(path, {"body": "We arrive at nine."}, format="json"),
    )

    assert response.status_code == 201
    event = received["event"]
    assert (event["type"], event["body"], event["author_role"]) == (
        "message",
        "We arrive at nine.",
        "staff",
    )
    assert event["id"] == response.json()["id"]


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_transaction_rolls_back(alice):
    booking = booking_in(Booking.Status.CONFIRMED, company=alice)

    def roll_back_then_send() -> None:
        with pytest.raises(RuntimeError), transaction.atomic():
            booking_broadcast(booking_id=booking.pk, event={"type": "status", "status": "x"})
            raise RuntimeError("rolled back")
        booking_broadcast(booking_id=booking.pk, event={"type": "status", "status": "after"})

    _, received = _watch_while(booking.pk, roll_back_then_send)

    assert received["event"]["status"] == "after"
