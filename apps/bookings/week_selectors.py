"""The Schedule page's read: one week of truck allocations (moves and trips), per truck and day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q

from apps.bookings.models import TruckAllocation
from apps.bookings.models.allocations import Purpose
from apps.bookings.schedule_selectors import company_zone, period_of
from apps.companies.models import Company, Truck

DAYS_IN_WEEK = 7


@dataclass(frozen=True)
class Slot:
    """One allocation as a cell shows it: a move (with its booking) or a trip."""

    allocation: TruckAllocation
    start: datetime
    end: datetime

    @property
    def is_trip(self) -> bool:
        return self.allocation.purpose == Purpose.TRIP

    @property
    def booking_id(self) -> int | None:
        return self.allocation.booking_id


@dataclass
class TruckWeek:
    truck: Truck
    days: list[list[Slot]] = field(default_factory=list)


@dataclass(frozen=True)
class Week:
    monday: date
    days: list[date]
    rows: list[TruckWeek]

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=DAYS_IN_WEEK)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=DAYS_IN_WEEK)


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_grid(*, company: Company, day: date) -> Week:
    """The week (Monday to Sunday, the company's local days) holding `day`: a row per truck
    (every truck not retired, and a retired one that still holds an allocation that week, by
    plate), a cell per day listing the live allocations overlapping that local day in start
    order. An allocation over midnight appears on each day it touches.
    """
    zone = company_zone(company)
    monday = week_monday(day)
    days = [monday + timedelta(days=offset) for offset in range(DAYS_IN_WEEK)]
    # Each local midnight on its own: a week with a DST change is 167 or 169 hours long.
    bounds = [datetime.combine(d, time.min, tzinfo=zone) for d in [*days, days[-1] + timedelta(1)]]
    allocations = list(
        TruckAllocation.objects.filter(
            company=company,
            released_at__isnull=True,
            period__overlap=period_of(bounds[0], bounds[-1]),
        )
        .select_related("booking__move_request", "trip")  # a trip's id (reverse one-to-one)
        .order_by("period", "id")
    )
    busy_truck_ids = {allocation.truck_id for allocation in allocations}
    trucks = Truck.objects.filter(company=company).filter(
        ~Q(status=Truck.Status.RETIRED) | Q(pk__in=busy_truck_ids)
    )
    rows = {
        truck.pk: TruckWeek(truck=truck, days=[[] for _ in days])
        for truck in trucks.order_by("plate", "id")
    }
    for allocation in allocations:
        start, end = allocation.period.lower, allocation.period.upper
        slot = Slot(allocation=allocation, start=start.astimezone(zone), end=end.astimezone(zone))
        for index in range(DAYS_IN_WEEK):
            if start < bounds[index + 1] and end > bounds[index]:
                rows[allocation.truck_id].days[index].append(slot)
    return Week(monday=monday, days=days, rows=list(rows.values()))
