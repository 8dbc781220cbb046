"""Reads behind the dashboard's Today page: the next two days' jobs per truck and the alerts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from apps.bookings.models import Booking, Notification, TruckAllocation
from apps.bookings.models.allocations import Purpose
from apps.bookings.schedule_selectors import company_zone
from apps.companies.models import Company
from apps.verification.models import Document
from apps.verification.selectors import Missing, company_verification_missing

EXPIRY_WARNING_DAYS = 30


@dataclass
class TruckDay:
    """One truck's jobs on one day, in start order."""

    truck: Any
    allocations: list[TruckAllocation] = field(default_factory=list)


@dataclass
class Today:
    days: list[tuple[date, list[TruckDay]]]
    on_the_road: list[Booking]
    missing: list[Missing]
    expiring: list[Document]
    unscheduled: int
    unread_messages: int

    @property
    def alert_count(self) -> int:
        return (
            len(self.missing)
            + len(self.expiring)
            + (1 if self.unscheduled else 0)
            + (1 if self.unread_messages else 0)
        )


def _day_bounds(day: date, zone: Any) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, start + timedelta(days=1)


def jobs_by_truck(*, company: Company, day: date) -> list[TruckDay]:
    """Live move allocations overlapping the company's local `day`, grouped per truck."""
    zone = company_zone(company)
    start, end = _day_bounds(day, zone)
    allocations: QuerySet[TruckAllocation] = (
        TruckAllocation.objects.filter(
            company=company,
            purpose=Purpose.BOOKING,
            released_at__isnull=True,
            period__overlap=(start, end),
        )
        .select_related("truck", "booking", "booking__move_request", "booking__customer")
        .order_by("truck__plate", "period")
    )
    per_truck: dict[int, TruckDay] = defaultdict(lambda: TruckDay(truck=None))
    for allocation in allocations:
        row = per_truck[allocation.truck_id]
        row.truck = allocation.truck
        row.allocations.append(allocation)
    return list(per_truck.values())


def today_overview(*, company: Company, user: Any, now: datetime | None = None) -> Today:
    """Everything the Today page shows, for the company's local today and tomorrow."""
    now = now or timezone.now()
    zone = company_zone(company)
    today = now.astimezone(zone).date()
    days = [
        (day, jobs_by_truck(company=company, day=day)) for day in (today, today + timedelta(days=1))
    ]
    expiring = list(
        Document.objects.filter(
            company=company,
            status=Document.Status.APPROVED,
            expires_on__gte=today,
            expires_on__lte=today + timedelta(days=EXPIRY_WARNING_DAYS),
        )
        .select_related("truck", "driver")
        .order_by("expires_on", "id")
    )
    return Today(
        days=days,
        on_the_road=list(
            Booking.objects.filter(company=company, status=Booking.Status.IN_PROGRESS)
            .select_related("move_request")
            .order_by("id")
        ),
        missing=[] if company.is_verified else company_verification_missing(company=company),
        expiring=expiring,
        unscheduled=Booking.objects.filter(
            company=company, status=Booking.Status.CONFIRMED
        ).count(),
        unread_messages=Notification.objects.filter(
            user=user, booking__company=company, kind="message", read_at__isnull=True
        ).count(),
    )
