"""Helpers of the scheduling tests: assignable resources, times, the rows a refusal keeps."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.bookings.models import Booking, BookingEvent, DriverAllocation, TruckAllocation
from apps.verification.models import Document
from tests.companies.factories import DriverFactory, TruckFactory
from tests.verification.factories import DocumentFactory, approved_set

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def ready(tenant):
    """The alice/bob namespace with its truck and driver assignable (approved documents)."""
    approved_set(tenant.company, truck=tenant.truck, driver=tenant.driver)
    return tenant


def assignable_truck(company, **fields):
    truck = TruckFactory(company=company, **fields)
    DocumentFactory(
        company=company, kind=Document.Kind.TRUCK_REGISTRATION, truck=truck, approved=True
    )
    return truck


def assignable_driver(company, **fields):
    driver = DriverFactory(company=company, **fields)
    DocumentFactory(
        company=company, kind=Document.Kind.DRIVER_LICENCE, driver=driver, approved=True
    )
    return driver


def at(hour: int, minute: int = 0, *, days: int = 7) -> datetime:
    """`hour:minute` Paris time, `days` from today (in the future by default)."""
    day = timezone.now().astimezone(PARIS).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def utc_iso(moment: datetime) -> str:
    """How times are kept in event data: ISO-8601 in UTC."""
    return moment.astimezone(UTC).isoformat()


def body(truck, drivers, start: datetime, end: datetime) -> dict[str, Any]:
    return {
        "truck": truck.id,
        "drivers": [driver.id for driver in drivers],
        "start": start.isoformat(),
        "end": end.isoformat(),
    }


def url(booking) -> str:
    return f"/api/v1/bookings/{booking.id}/schedule/"


def schedule_rows() -> dict[str, list[dict]]:
    """Every row scheduling touches: a refusal must change none of them."""
    return {
        "bookings": list(Booking.objects.order_by("id").values()),
        "truck_allocations": list(TruckAllocation.objects.order_by("id").values()),
        "driver_allocations": list(DriverAllocation.objects.order_by("id").values()),
        "events": list(BookingEvent.objects.order_by("id").values()),
    }


def live_periods(model, **filters) -> list[tuple[int, datetime, datetime]]:
    """(resource id, start, end) of the live allocations matching `filters`."""
    resource = "truck_id" if model is TruckAllocation else "driver_id"
    return [
        (getattr(row, resource), row.period.lower, row.period.upper)
        for row in model.objects.filter(released_at__isnull=True, **filters).order_by("id")
    ]


VOLUME = Decimal("12.000")  # BookingFactory's quote volume
