"""Reads behind the staff Bookings pages: the filtered list and what a booking's page shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from apps.bookings.engagement_selectors import booking_messages
from apps.bookings.models import BOOKING_LIFECYCLE, Booking, BookingEvent, TruckAllocation
from apps.bookings.schedule_selectors import (
    Suggestions,
    booking_suggestions,
    booking_window,
    drivers_free,
    trucks_free,
)
from apps.companies.models import Company, Driver, Truck

MAX_REFERENCE = 2**63 - 1
Status = Booking.Status


@dataclass(frozen=True)
class BookingFilters:
    """What the list is narrowed to; empty values do not narrow."""

    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    truck_id: int | None = None
    query: str = ""


def _live_truck(field: str) -> Subquery:
    return Subquery(
        TruckAllocation.objects.filter(booking=OuterRef("pk"), released_at__isnull=True)
        .order_by("id")
        .values(field)[:1]
    )


def bookings_for_company(*, company: Company, filters: BookingFilters) -> QuerySet[Booking]:
    """The company's bookings matching `filters`, latest move date first, each with the plate
    of the truck it holds (`truck_plate`, None when unscheduled).

    `query` matches the customer (name, e-mail, phone), either address, or the reference (the
    booking's id); `#<id>` matches the reference only. Dates are the move date (inclusive); the
    truck is the truck of a live allocation.
    """
    bookings = Booking.objects.filter(company=company)
    if filters.status:
        bookings = bookings.filter(status=filters.status)
    if filters.date_from:
        bookings = bookings.filter(move_request__move_date__gte=filters.date_from)
    if filters.date_to:
        bookings = bookings.filter(move_request__move_date__lte=filters.date_to)
    if filters.truck_id is not None:
        holds_truck = TruckAllocation.objects.filter(
            booking=OuterRef("pk"), truck_id=filters.truck_id, released_at__isnull=True
        )
        bookings = bookings.filter(Exists(holds_truck))
    text = filters.query.strip()
    reference = text.removeprefix("#")
    is_reference = reference.isdigit() and 0 < int(reference) <= MAX_REFERENCE
    if text.startswith("#"):  # "#123" is a reference and nothing else
        bookings = bookings.filter(pk=int(reference)) if is_reference else bookings.none()
    elif text:
        matches = (
            Q(customer__name__icontains=text)
            | Q(customer__email__icontains=text)
            | Q(customer__phone__icontains=text)
            | Q(move_request__origin_address__icontains=text)
            | Q(move_request__destination_address__icontains=text)
        )
        if is_reference:
            matches |= Q(pk=int(reference))
        bookings = bookings.filter(matches)
    return (
        bookings.select_related("customer", "move_request")
        .annotate(truck_plate=_live_truck("truck__plate"))
        .order_by("-move_request__move_date", "-id")
    )


def company_trucks(*, company: Company) -> QuerySet[Truck]:
    """The company's trucks that are not retired, by plate (the pickers and filters)."""
    return Truck.objects.filter(company=company).exclude(status=Truck.Status.RETIRED)


def company_drivers(*, company: Company) -> QuerySet[Driver]:
    """The company's drivers whose membership is active."""
    return (
        Driver.objects.filter(company=company, membership__is_active=True)
        .select_related("membership__user")
        .order_by("id")
    )


@dataclass(frozen=True)
class Picker:
    """The scheduling picker of a booking: the window, and who is free in it."""

    start: datetime
    end: datetime
    trucks: list[Truck]
    drivers: list[Driver]
    free_truck_ids: frozenset[int]
    free_driver_ids: frozenset[int]
    suggestions: Suggestions | None


def booking_picker(
    *, booking: Booking, start: datetime | None = None, end: datetime | None = None
) -> Picker:
    """Trucks and drivers, which of them are free in the window (the booking's own allocations
    do not count: a reschedule may keep them), and the ranked proposals (booking_suggestions,
    for the booking's own window; None when its state cannot be scheduled).

    The window is `start`-`end` when given (a form the dispatcher filled), else the booking's
    (schedule_selectors.booking_window).
    """
    if start is None or end is None or end <= start:
        start, end = booking_window(booking=booking)
    company = booking.company
    free_trucks = trucks_free(company=company, start=start, end=end, exclude_booking_id=booking.pk)
    free_drivers = drivers_free(
        company=company, start=start, end=end, exclude_booking_id=booking.pk
    )
    return Picker(
        start=start,
        end=end,
        trucks=list(company_trucks(company=company)),
        drivers=list(company_drivers(company=company)),
        free_truck_ids=frozenset(free_trucks.values_list("pk", flat=True)),
        free_driver_ids=frozenset(free_drivers.values_list("pk", flat=True)),
        suggestions=(
            booking_suggestions(booking=booking)
            if BOOKING_LIFECYCLE.allows(booking.status, Status.SCHEDULED)
            else None
        ),
    )


@dataclass(frozen=True)
class BookingPage:
    """What a booking's page shows besides its forms."""

    booking: Booking
    lines: list[dict[str, Any]]
    events: list[BookingEvent]
    messages: list[Any]
    truck: Truck | None
    drivers: list[Driver]
    can_schedule: bool
    can_start: bool
    can_complete: bool
    can_cancel: bool


def booking_page(*, booking: Booking) -> BookingPage:
    """The quote's lines, the event timeline (oldest first), the message thread, the crew
    it holds, and which lifecycle steps its state allows."""
    allocation = (
        TruckAllocation.objects.filter(booking=booking, released_at__isnull=True)
        .select_related("truck")
        .first()
    )
    drivers = list(
        Driver.objects.filter(allocations__booking=booking, allocations__released_at__isnull=True)
        .select_related("membership__user")
        .order_by("id")
    )
    targets = BOOKING_LIFECYCLE.targets(booking.status)
    return BookingPage(
        booking=booking,
        lines=list(booking.quote.lines),
        events=list(booking.events.select_related("actor").order_by("at", "id")),
        messages=list(booking_messages(booking=booking).select_related("author")),
        truck=allocation.truck if allocation else None,
        drivers=drivers,
        can_schedule=Status.SCHEDULED in targets,
        can_start=Status.IN_PROGRESS in targets,
        can_complete=Status.COMPLETED in targets,
        can_cancel=Status.CANCELLED in targets,
    )
