"""Reads of scheduling: free trucks and drivers, ranked proposals, clashes, daily utilisation.

"Free" means assignable (verification: active, with an approved document valid through the
period's last local day) and without a live allocation overlapping the half-open period
`[start, end)`, so a job that ends at 12:00 leaves the resource free from 12:00.
"""

from __future__ import annotations

import math
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.db.models.functions import Coalesce

from apps.bookings.models import BOOKING_LIFECYCLE, Booking, DriverAllocation, TruckAllocation
from apps.bookings.selectors import booking_expected_start
from apps.companies.models import Company, Driver, Truck
from apps.companies.selectors import SphereDistance
from apps.verification.selectors import drivers_assignable, trucks_assignable

_UTILISATION_QUANTUM = Decimal("0.0001")


def period_of(start: datetime, end: datetime) -> DateTimeTZRange:
    """The half-open range `[start, end)` the allocation tables store."""
    return DateTimeTZRange(start, end, "[)")


def company_zone(company: Company) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(company.timezone)


def documents_day(*, company: Company, end: datetime) -> date:
    """The day documents must still be valid on: the period's last local day (an end at
    midnight belongs to the day before)."""
    return (end - timedelta(microseconds=1)).astimezone(company_zone(company)).date()


def _busy(model, *, resource: str, start: datetime, end: datetime, exclude_booking_id=None):
    live = model.objects.filter(
        **{resource: OuterRef("pk")},
        released_at__isnull=True,
        period__overlap=period_of(start, end),
    )
    if exclude_booking_id is not None:
        live = live.exclude(booking_id=exclude_booking_id)
    return Exists(live)


def trucks_free(
    *, company: Company, start: datetime, end: datetime, exclude_booking_id: int | None = None
) -> QuerySet[Truck]:
    """The company's assignable trucks without a live allocation overlapping `[start, end)`.

    `exclude_booking_id`: that booking's own allocations do not count (it is being moved).
    """
    busy = _busy(
        TruckAllocation,
        resource="truck",
        start=start,
        end=end,
        exclude_booking_id=exclude_booking_id,
    )
    today = documents_day(company=company, end=end)
    return trucks_assignable(company=company, today=today).filter(~busy).order_by("plate", "id")


def drivers_free(
    *, company: Company, start: datetime, end: datetime, exclude_booking_id: int | None = None
) -> QuerySet[Driver]:
    """The company's assignable drivers without a live allocation overlapping `[start, end)`."""
    busy = _busy(
        DriverAllocation,
        resource="driver",
        start=start,
        end=end,
        exclude_booking_id=exclude_booking_id,
    )
    today = documents_day(company=company, end=end)
    return (
        drivers_assignable(company=company, today=today)
        .filter(~busy)
        .select_related("membership__user")
        .order_by("id")
    )


@dataclass(frozen=True)
class Availability:
    start: datetime
    end: datetime
    trucks: list[Truck]
    drivers: list[Driver]


def company_availability(*, company: Company, start: datetime, end: datetime) -> Availability:
    """Free trucks and free drivers of the company for `[start, end)`."""
    return Availability(
        start=start,
        end=end,
        trucks=list(trucks_free(company=company, start=start, end=end)),
        drivers=list(drivers_free(company=company, start=start, end=end)),
    )


# --- suggestions -----------------------------------------------------------------------------


def booking_window(*, booking: Booking) -> tuple[datetime, datetime]:
    """The period a suggestion is for.

    Scheduled: its scheduled period. Otherwise from the booking's expected start
    (selectors.booking_expected_start: the arrival window's start, else
    BOOKING_WORKDAY_START_HOUR on the move date, company time) for the quote's estimated hours,
    and at least to the end of the arrival window.
    """
    start = booking_expected_start(booking=booking)
    if booking.scheduled_end is not None:
        return start, booking.scheduled_end
    request = booking.move_request
    minutes = max(60, math.ceil(booking.quote.estimated_hours * 60))
    end = start + timedelta(minutes=minutes)
    if request.window_end is not None and request.window_end > end:
        end = request.window_end
    return start, end


@dataclass(frozen=True)
class Proposal:
    truck: Truck
    distance_km: Decimal
    drivers: list[Driver]
    missing_drivers: int


@dataclass(frozen=True)
class Suggestions:
    start: datetime
    end: datetime
    crew_size: int
    volume_m3: Decimal
    proposals: list[Proposal] = field(default_factory=list)


def booking_suggestions(*, booking: Booking) -> Suggestions:
    """Ranked truck + crew proposals for the booking's window (booking_window).

    Trucks: free in the window (the booking's own allocations aside), assignable, with
    capacity_m3 >= the quoted volume; nearest to the origin first (the truck's home location,
    else the company's base), then the smallest that fits, then plate. Crew: the first
    `crew_size` free assignable drivers (by id); when fewer are free, each proposal lists
    those there are and says how many are missing. Every proposal can be sent as is to
    POST /bookings/{id}/schedule/ with the returned start and end.
    """
    BOOKING_LIFECYCLE.require(
        booking.status,
        to=Booking.Status.SCHEDULED,
        message=f"A {booking.status} booking cannot be scheduled.",
    )
    start, end = booking_window(booking=booking)
    volume = booking.quote.volume_m3
    crew_size = booking.quote.crew_size
    trucks = (
        trucks_free(company=booking.company, start=start, end=end, exclude_booking_id=booking.pk)
        .filter(capacity_m3__gte=volume)
        .annotate(
            distance_m=SphereDistance(
                Coalesce("home_location", F("company__base_location")),  # type: ignore[arg-type]  # an expression is fine for Func
                booking.move_request.origin,
            )
        )
        .order_by("distance_m", "capacity_m3", "plate", "id")
    )
    crew = list(
        drivers_free(company=booking.company, start=start, end=end, exclude_booking_id=booking.pk)[
            :crew_size
        ]
    )
    proposals = [
        Proposal(
            truck=truck,
            distance_km=Decimal(truck.distance_m / 1000).quantize(Decimal("0.1")),
            drivers=crew,
            missing_drivers=crew_size - len(crew),
        )
        for truck in trucks
    ]
    return Suggestions(
        start=start, end=end, crew_size=crew_size, volume_m3=volume, proposals=proposals
    )


# --- clashes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clash:
    message: str
    details: dict[str, object]


def clash_describe(
    *, company: Company, truck: Truck, drivers: list[Driver], start: datetime, end: datetime
) -> Clash:
    """The live allocation that overlaps `[start, end)`: which of our resources and WHEN (in
    the company's time zone), never whose booking or customer it is."""
    period = period_of(start, end)
    zone = company_zone(company)
    truck_clash = (
        TruckAllocation.objects.filter(
            truck=truck, released_at__isnull=True, period__overlap=period
        )
        .order_by("period")
        .first()
    )
    if truck_clash is not None:
        return Clash(
            f"Truck {truck.plate} is already booked {_when(truck_clash.period, zone)}.",
            _busy_details("truck", truck.pk, truck_clash.period),
        )
    by_id = {driver.pk: driver for driver in drivers}
    driver_clash = (
        DriverAllocation.objects.filter(
            driver_id__in=by_id, released_at__isnull=True, period__overlap=period
        )
        .order_by("period", "driver_id")
        .first()
    )
    if driver_clash is not None:
        driver = by_id[driver_clash.driver_id]
        return Clash(
            f"Driver {driver_label(driver)} is already booked {_when(driver_clash.period, zone)}.",
            _busy_details("driver", driver.pk, driver_clash.period),
        )
    # The clashing allocation was released again between the refusal and this look-up.
    return Clash("The truck or a driver was booked at that time a moment ago.", {})


def _busy_details(resource: str, resource_id: int, period: DateTimeTZRange) -> dict[str, object]:
    return {
        "resource": resource,
        "id": resource_id,
        "busy_from": period.lower.isoformat(),
        "busy_until": period.upper.isoformat(),
    }


def _when(period: DateTimeTZRange, zone: zoneinfo.ZoneInfo) -> str:
    lower, upper = period.lower.astimezone(zone), period.upper.astimezone(zone)
    if lower.date() == upper.date():
        return f"{lower:%Y-%m-%d %H:%M}-{upper:%H:%M} ({zone.key})"
    return f"{lower:%Y-%m-%d %H:%M} to {upper:%Y-%m-%d %H:%M} ({zone.key})"


def driver_label(driver: Driver) -> str:
    user = driver.membership.user
    return user.name or user.email or driver.licence_number


# --- utilisation -----------------------------------------------------------------------------

_BOOKED_SECONDS_SQL = """
WITH days (company_id, day) AS (
    SELECT id, tstzrange(lower_bound, upper_bound, '[)')
    FROM unnest(%(ids)s::bigint[], %(lowers)s::timestamptz[], %(uppers)s::timestamptz[])
        AS d (id, lower_bound, upper_bound)
)
SELECT days.company_id,
       COALESCE(SUM(EXTRACT(EPOCH FROM upper(a.period * days.day) - lower(a.period * days.day))), 0)
FROM days
LEFT JOIN bookings_truckallocation a
       ON a.company_id = days.company_id AND a.released_at IS NULL AND a.period && days.day
GROUP BY days.company_id
"""


def companies_utilisation_on(*, companies: Sequence[Company], day: date) -> dict[int, Decimal]:
    """Booked truck-hours / available truck-hours on `day` (0..1, 4 decimals) per company, in
    two queries; pricing reads it through apps.pricing.selectors.company_utilisation_on.

    The day is each company's local calendar day. Available: active trucks x
    BOOKING_WORKDAY_HOURS. Booked: the part of every live truck allocation of the company
    (moves and trips) that falls on that day. Capped at 1 (a night job can book more than a
    working day); 0 for a company without active trucks.
    """
    trucks = dict(
        Truck.objects.filter(company__in=companies, status=Truck.Status.ACTIVE)
        .values("company_id")
        .annotate(count=Count("id"))
        .values_list("company_id", "count")
    )
    shares = {company.pk: Decimal(0) for company in companies}
    busy = [company for company in companies if trucks.get(company.pk)]
    if not busy:
        return shares
    lowers, uppers = [], []
    for company in busy:
        zone = company_zone(company)
        lowers.append(datetime.combine(day, time(0), tzinfo=zone))
        uppers.append(datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone))
    with connection.cursor() as cursor:
        cursor.execute(
            _BOOKED_SECONDS_SQL,
            {"ids": [company.pk for company in busy], "lowers": lowers, "uppers": uppers},
        )
        booked = dict(cursor.fetchall())
    for company in busy:
        available_seconds = trucks[company.pk] * settings.BOOKING_WORKDAY_HOURS * 3600
        share = min(Decimal(1), Decimal(booked[company.pk]) / Decimal(available_seconds))
        shares[company.pk] = share.quantize(_UTILISATION_QUANTUM, rounding=ROUND_HALF_UP)
    return shares
