"""Reads behind the drivers' dashboard page: a driver's own jobs (their live allocations)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.accounts.models import User
from apps.bookings.models import Booking, DriverAllocation
from apps.bookings.models.allocations import Purpose
from apps.bookings.schedule_selectors import company_zone
from apps.companies.models import Company


@dataclass(frozen=True)
class DriverDay:
    """One local day of the driver's jobs, in start order."""

    day: date
    allocations: list[DriverAllocation]


def _own_allocations(*, user: User, company: Company) -> QuerySet[DriverAllocation]:
    """The user's live job allocations in `company` (a driver only ever sees their own)."""
    return DriverAllocation.objects.filter(
        company=company,
        driver__membership__user=user,
        driver__membership__is_active=True,
        purpose=Purpose.BOOKING,
        released_at__isnull=True,
    )


def driver_jobs(*, user: User, company: Company, now: datetime | None = None) -> list[DriverDay]:
    """The user's own jobs for the company's local today and tomorrow.

    A job counts on every day its allocation overlaps; a job still in progress is listed today
    even when its planned end is already past.
    """
    now = now or timezone.now()
    zone = company_zone(company)
    today = now.astimezone(zone).date()
    days = []
    for offset, day in enumerate((today, today + timedelta(days=1))):
        start = datetime.combine(day, time.min, tzinfo=zone)
        end = start + timedelta(days=1)
        window = Q(period__overlap=(start, end))
        if offset == 0:
            window |= Q(booking__status=Booking.Status.IN_PROGRESS)
        allocations = (
            _own_allocations(user=user, company=company)
            .filter(window)
            .select_related("booking", "booking__move_request", "booking__customer")
            .order_by("period", "id")
        )
        days.append(DriverDay(day=day, allocations=list(allocations)))
    return days


def driver_job_get(*, user: User, company: Company, booking_id: int) -> Booking:
    """A booking the user drives (a live allocation in `company`); Http404 for any other."""
    allocation = (
        _own_allocations(user=user, company=company)
        .filter(booking_id=booking_id)
        .select_related("booking")
        .first()
    )
    if allocation is None or allocation.booking is None:
        raise Http404("Not found.")
    return allocation.booking
