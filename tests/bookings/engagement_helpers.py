"""Helpers of the reminders/notifications/messages tests: bookings with a window or a schedule."""

from __future__ import annotations

from datetime import datetime

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from apps.bookings.models import Booking, DriverAllocation, TruckAllocation
from apps.companies.models import Driver
from tests.accounts.factories import UserFactory
from tests.bookings.factories import BookingFactory


def customer_with_email_and_phone(**fields):
    """A customer reachable both ways (the factory's customers have a phone only)."""
    return UserFactory(phone=fields.pop("phone", "+33611112222"), **fields)


def booking_with_window(company, *, start: datetime, end: datetime, **fields) -> Booking:
    """A confirmed booking whose move request asks for the window [start, end)."""
    return BookingFactory(
        company=company,
        move_request__move_date=start.date(),
        move_request__window_start=start,
        move_request__window_end=end,
        **fields,
    )


def schedule(booking: Booking, *, start: datetime, end: datetime, drivers: list[Driver]) -> None:
    """Put the booking in `scheduled` with live allocations (the rows the schedule writes)."""
    period = DateTimeTZRange(start, end, "[)")
    Booking.objects.filter(pk=booking.pk).update(
        status=Booking.Status.SCHEDULED, scheduled_start=start, scheduled_end=end
    )
    TruckAllocation.objects.filter(booking=booking, released_at__isnull=True).update(
        released_at=timezone.now()
    )
    DriverAllocation.objects.filter(booking=booking, released_at__isnull=True).update(
        released_at=timezone.now()
    )
    truck = booking.company.trucks.first()
    TruckAllocation.objects.create(
        company=booking.company, booking=booking, truck=truck, period=period
    )
    for driver in drivers:
        DriverAllocation.objects.create(
            company=booking.company, booking=booking, driver=driver, period=period
        )
    booking.refresh_from_db()
