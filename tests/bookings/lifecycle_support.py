"""Helpers of the lifecycle, invoice and photo tests: bookings in a state, and a DB snapshot."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from apps.bookings.models import (
    Booking,
    BookingEvent,
    BookingPhoto,
    DriverAllocation,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    TruckAllocation,
)
from tests.bookings.factories import BookingFactory

Status = Booking.Status


def booking_in(
    status: str, *, company: Any, start: datetime | None = None, crew: Any = None, **fields: Any
) -> Booking:
    """A booking of `company` (an alice/bob namespace) in `status`.

    From scheduled on it holds live allocations of the company's truck and driver (or `crew`,
    a (truck, driver) pair) starting at `start` (default: in an hour, for four hours); a
    cancelled booking's allocations are released.
    """
    booking = BookingFactory(company=company.company, **fields)
    if status == Status.CONFIRMED:
        return booking
    start = start or timezone.now() + timedelta(hours=1)
    end = start + timedelta(hours=4)
    truck, driver = crew or (company.truck, company.driver)
    released = timezone.now() if status == Status.CANCELLED else None
    period = DateTimeTZRange(start, end)
    common = {"company": company.company, "booking": booking, "period": period}
    TruckAllocation.objects.create(truck=truck, released_at=released, **common)
    DriverAllocation.objects.create(driver=driver, released_at=released, **common)
    booking.status = status
    booking.scheduled_start, booking.scheduled_end = start, end
    if status in (Status.IN_PROGRESS, Status.COMPLETED):
        booking.started_at = timezone.now()
    if status == Status.COMPLETED:
        booking.completed_at = timezone.now()
    if status == Status.CANCELLED:
        booking.cancelled_at = timezone.now()
    booking.save()
    return booking


def db_state() -> dict[str, Any]:
    """Every row a lifecycle step, a completion or an upload may write."""
    return {
        "bookings": list(Booking.objects.order_by("id").values()),
        "events": list(BookingEvent.objects.order_by("id").values()),
        "truck_allocations": list(TruckAllocation.objects.order_by("id").values()),
        "driver_allocations": list(DriverAllocation.objects.order_by("id").values()),
        "invoices": list(Invoice.objects.order_by("id").values()),
        "invoice_lines": list(InvoiceLine.objects.order_by("id").values()),
        "invoice_counters": list(InvoiceCounter.objects.order_by("pk").values()),
        "photos": list(BookingPhoto.objects.order_by("id").values()),
    }


def url(booking: Booking, action: str) -> str:
    return f"/api/v1/bookings/{booking.pk}/{action}/"
