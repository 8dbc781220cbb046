"""The booking history: one append-only BookingEvent per step (a trigger refuses changes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from apps.accounts.models import User
from apps.bookings.models import Booking, BookingEvent


def booking_event_append(
    *,
    booking: Booking,
    kind: str,
    actor: User | None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> BookingEvent:
    """Record one step of `booking`'s history; call it inside the step's transaction.

    `data` is JSON: ids, ISO times and decimal strings, never model objects. `at` is now unless
    given (only the demo history, apps/bookings/demo_history.py, records steps of the past).
    """
    event = BookingEvent(booking=booking, kind=kind, actor=actor, data=data or {})
    if at is not None:
        event.at = at
    event.save()
    return event
