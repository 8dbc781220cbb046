"""The booking history: one append-only BookingEvent per step (a trigger refuses changes)."""

from __future__ import annotations

from typing import Any

from apps.accounts.models import User
from apps.bookings.models import Booking, BookingEvent


def booking_event_append(
    *, booking: Booking, kind: str, actor: User | None, data: dict[str, Any] | None = None
) -> BookingEvent:
    """Record one step of `booking`'s history; call it inside the step's transaction.

    `data` is JSON: ids, ISO times and decimal strings, never model objects.
    """
    return BookingEvent.objects.create(booking=booking, kind=kind, actor=actor, data=data or {})
