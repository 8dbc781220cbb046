"""Reminders of a booking: planned on confirm/schedule, re-planned on reschedule, cancelled.

Interface used by the lifecycle services (inside their transaction). Implementation pending
(the reminders work); until then these do nothing.
"""

from __future__ import annotations

from apps.bookings.models import Booking


def reminders_plan(*, booking: Booking) -> None:
    """(Re)plan the booking's reminders from its current window/schedule; cancel stale ones."""


def reminders_cancel(*, booking: Booking) -> None:
    """Cancel every planned reminder of the booking (it was cancelled)."""
