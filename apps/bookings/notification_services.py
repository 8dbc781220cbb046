"""Notifications about a booking: in-app rows plus e-mail/SMS, queued after the commit.

Interface used by the lifecycle services (inside their transaction). Implementation pending
(the notifications work); until then this does nothing.
"""

from __future__ import annotations

from apps.accounts.models import User
from apps.bookings.models import Booking


def booking_notify(*, booking: Booking, kind: str, actor: User | None) -> None:
    """Tell the booking's customer and its company's staff (not the actor) that `kind` happened.

    `kind` is the BookingEvent kind (confirmed, scheduled, rescheduled, started, completed,
    cancelled, message). Rows are written in the caller's transaction; e-mail/SMS are queued
    on commit.
    """
