"""Live events of a booking for its socket: the group's name and a broadcast after the commit.

Bookings own the status and message events; tracking (above us) adds positions to the same
group and serves the sockets (`/ws/bookings/{id}/`, share links). One group per booking,
named here so both sides agree without tracking's code being imported below it.
"""

from __future__ import annotations

from typing import Any

import structlog
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = structlog.get_logger(__name__)

BOOKING_EVENT = "booking.event"  # the channel-layer message type of a booking group's events


def booking_group_name(booking_id: int) -> str:
    """The channel-layer group every watcher of booking `booking_id` joins."""
    return f"booking.{booking_id}"


def company_fleet_group_name(company_id: int) -> str:
    """The channel-layer group of a company's fleet map (its staff)."""
    return f"fleet.{company_id}"


def booking_broadcast(*, booking_id: int, event: dict[str, Any]) -> None:
    """Send `event` (a JSON-able dict with a "type": "status" | "message" | ...) to the booking's
    watchers once the current transaction commits; nothing when it rolls back.

    Consumers receive it as {"type": "booking.event", "event": event}. A channel layer outage is
    logged, never raised: the write has committed and the client can re-read over REST.
    """

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(
                booking_group_name(booking_id), {"type": BOOKING_EVENT, "event": event}
            )
        except Exception as exc:  # the layer is best effort; REST stays the source of truth
            logger.warning("booking.broadcast_failed", booking_id=booking_id, error=repr(exc))

    transaction.on_commit(send)
