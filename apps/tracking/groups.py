"""Channel-layer groups and event shapes of tracking (one place, so producers and sockets agree).

- booking group (`apps.bookings.realtime.booking_group_name`): {"type": "booking.event",
  "event": {...}} where event is a `status`, `message` (from bookings) or `position`
  {"type": "position", "lat", "lng", "recorded_at", "eta_minutes"?, "distance_remaining_km"?}.
  Consumers filter positions for customers (only while the booking is in progress).
- fleet group (`apps.bookings.realtime.company_fleet_group_name`): {"type": "fleet.position",
  "position": {"truck", "lat", "lng", "recorded_at", "heading", "speed", "booking"}}.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from apps.bookings.realtime import BOOKING_EVENT, booking_group_name, company_fleet_group_name

FLEET_POSITION = "fleet.position"

__all__ = [
    "BOOKING_EVENT",
    "FLEET_POSITION",
    "booking_group_name",
    "company_fleet_group_name",
    "fleet_position",
]


def fleet_position(
    *,
    truck_id: int,
    lat: float,
    lng: float,
    recorded_at: datetime,
    heading: float | None,
    speed: float | None,
    booking_id: int | None,
) -> dict[str, Any]:
    """The `position` of a fleet event (and of a fleet socket's snapshot frame)."""
    return {
        "truck": truck_id,
        "lat": lat,
        "lng": lng,
        "recorded_at": recorded_at.isoformat(),
        "heading": heading,
        "speed": speed,
        "booking": booking_id,
    }
