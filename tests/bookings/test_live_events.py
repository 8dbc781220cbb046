"""Status changes and messages reach the booking's channel-layer group after the commit only."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from apps.bookings.models import Booking
from apps.bookings.realtime import booking_broadcast, booking_group_name
from tests.bookings.lifecycle_support import booking_in, url
from tests.conftest import auth_client_for


async def _next(layer, channel: str, timeout: float = 5.0) -> dict:
    return await asyncio.wait_for(layer.receive(channel), timeout)


def _watch(booking_id: int) -> tuple[object, str]:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(booking_group_name(booking_id), channel)
    return layer, channel


@pytest.mark.django_db(transaction=True)
def test_a_cancellation_is_sent_to_the_booking_group_as_a_status_event(alice):
    booking = booking_in(Booking.Status.CONFIRMED, company=alice)
    layer, channel = _watch(booking.pk)

    response = auth_client_for(booking.customer).post(url(booking, "cancel"), {}, format="json")

    assert response.status_code == 200
    received = async_to_sync(_next)(layer, channel)
    assert received == {
        "type": "booking.event",
        "event": {"type": "status", "status": "cancelled", "kind": "cancelled"},
    }


@pytest.mark.django_db(transaction=True)
def test_a_message_is_sent_to_the_booking_group(alice):
    booking = booking_in(Booking.Status.SCHEDULED, company=alice)
    layer, channel = _watch(booking.pk)

    response = alice.owner_client.post(
        f"/api/v1/bookings/{booking.pk}/messages/", {"body": "We arrive at nine."}, format="json"
    )

    assert response.status_code == 201
    event = async_to_sync(_next)(layer, channel)["event"]
    assert (event["type"], event["body"], event["author_role"]) == (
        "message",
        "We arrive at nine.",
        "staff",
    )
    assert event["id"] == response.json()["id"]


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_transaction_rolls_back(alice):
    booking = booking_in(Booking.Status.CONFIRMED, company=alice)
    layer, channel = _watch(booking.pk)

    with pytest.raises(RuntimeError), transaction.atomic():
        booking_broadcast(booking_id=booking.pk, event={"type": "status", "status": "x"})
        raise RuntimeError("rolled back")
    booking_broadcast(booking_id=booking.pk, event={"type": "status", "status": "after"})

    assert async_to_sync(_next)(layer, channel)["event"]["status"] == "after"
