"""Helpers of the tracking REST tests: stored positions and last positions, written directly."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from apps.bookings.models import Booking
from apps.core.geo import point_from_lat_lng
from apps.tracking.models import Position, TruckLastPosition


def position_at(
    company: Any, at: datetime, *, lat: float, lng: float, booking: Booking | None = None
) -> Position:
    """A stored position of `company`'s (an alice/bob namespace) truck and driver."""
    return Position.objects.create(
        company=company.company,
        truck=company.truck,
        driver=company.driver,
        booking=booking,
        point=point_from_lat_lng(lat, lng),
        recorded_at=at,
        received_at=at,
    )


def last_position_of(
    company: Any, truck: Any, at: datetime, *, lat: float, lng: float, **fields: Any
) -> TruckLastPosition:
    """The fleet view's row of `truck`."""
    return TruckLastPosition.objects.create(
        truck=truck,
        company=company.company,
        driver=company.driver,
        point=point_from_lat_lng(lat, lng),
        recorded_at=at,
        last_seen_at=at,
        **fields,
    )


def iso(at: datetime) -> str:
    """A UTC time as the API writes it (`Z` for UTC)."""
    return at.isoformat().replace("+00:00", "Z")
