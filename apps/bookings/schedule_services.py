"""Scheduling a booking: put a truck and its drivers on it for a period, never double-booked.

PostgreSQL makes double-booking impossible: the allocation tables' exclusion constraints refuse
a second live allocation of one truck (or driver) over an overlapping period, whichever
transaction commits first. This service turns that refusal into 409 `slot_taken`; it does not
check for a free slot itself first (a check-then-insert would be a race; the constraint is the
check). A reschedule releases the booking's live allocations and inserts the new ones in the
same transaction, so the booking never holds two slots nor none, and it may move onto (or
overlap) its own old slot.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.bookings.events import booking_event_append
from apps.bookings.models import BOOKING_LIFECYCLE, Booking, DriverAllocation, TruckAllocation
from apps.bookings.notification_services import booking_notify
from apps.bookings.reminder_services import reminders_plan
from apps.bookings.schedule_selectors import clash_describe, documents_day, period_of
from apps.bookings.selectors import booking_driver_user_ids, booking_get_for_manager
from apps.companies.locking import company_lock
from apps.companies.models import Company, Driver, Truck
from apps.core.errors import Invalid, ResourceNotAssignable, SlotTaken
from apps.core.integrity import constraint_errors
from apps.verification.selectors import drivers_assignable, trucks_assignable

TRUCK_CONSTRAINT = "bookings_truck_allocation_no_overlap"
DRIVER_CONSTRAINT = "bookings_driver_allocation_no_overlap"


@transaction.atomic
def booking_schedule(
    *,
    booking: Booking,
    actor: User,
    truck_id: int,
    driver_ids: list[int],
    start: datetime,
    end: datetime,
) -> Booking:
    """Schedule a confirmed booking (or reschedule a scheduled one) on `truck_id` and
    `driver_ids` for `[start, end)`, by the company's owner or a dispatcher (PermissionDenied,
    403, for anyone else who sees the booking; NotFound, 404, for everyone else).

    Raises InvalidTransition (409) from any other state, Invalid (400) for a truck or driver
    id that is not the booking's company's, ResourceNotAssignable (409) for a resource that is
    not active with valid documents through the period or a truck too small for the quoted
    volume, and SlotTaken (409) when the truck or a driver is already booked at that time.
    """
    # Lock order: the company row, then the booking (apps/companies/locking.py); the actor's
    # capacity is read again under the lock, as every lifecycle step does.
    company = company_lock(company_id=booking.company_id)
    booking = booking_get_for_manager(user=actor, booking_id=booking.pk, for_update=True).booking
    previous_status = BOOKING_LIFECYCLE.apply(booking, to=Booking.Status.SCHEDULED)
    truck, drivers = _resources_get(company=company, truck_id=truck_id, driver_ids=driver_ids)
    _resources_require_assignable(booking=booking, truck=truck, drivers=drivers, end=end)

    now = timezone.now()
    is_reschedule = previous_status == Booking.Status.SCHEDULED
    previous = _live_summary(booking=booking) if is_reschedule else None
    # Read before the release: the drivers this reschedule takes off the job are told too.
    previous_driver_user_ids = booking_driver_user_ids(booking=booking) if is_reschedule else set()
    allocations_release(booking=booking, at=now)
    _allocations_create(booking=booking, truck=truck, drivers=drivers, start=start, end=end)

    booking.scheduled_start, booking.scheduled_end = start, end
    booking.save(update_fields=["status", "scheduled_start", "scheduled_end", "updated_at"])
    data: dict[str, Any] = {
        "from": previous_status,
        "truck": truck.pk,
        "drivers": [driver.pk for driver in drivers],
        "start": _iso(start),
        "end": _iso(end),
    }
    kind = "rescheduled" if is_reschedule else "scheduled"
    if is_reschedule:
        data["previous"] = previous
    booking_event_append(booking=booking, kind=kind, actor=actor, data=data)
    driver_user_ids = booking_driver_user_ids(booking=booking)  # the new crew, read once
    reminders_plan(booking=booking, driver_user_ids=driver_user_ids)
    booking_notify(
        booking=booking,
        kind=kind,
        actor=actor,
        unassigned_user_ids=previous_driver_user_ids,
        driver_user_ids=driver_user_ids,
    )
    return booking


def allocations_release(*, booking: Booking, at: datetime) -> int:
    """Release the booking's live truck and driver allocations (a cancellation, a reschedule):
    they stop blocking from now on; the rows stay as history. Call it inside the caller's
    transaction, under the booking's row lock. Returns how many were released."""
    released = TruckAllocation.objects.filter(booking=booking, released_at__isnull=True).update(
        released_at=at
    )
    released += DriverAllocation.objects.filter(booking=booking, released_at__isnull=True).update(
        released_at=at
    )
    return released


def _resources_get(
    *, company: Company, truck_id: int, driver_ids: list[int]
) -> tuple[Truck, list[Driver]]:
    """The truck and drivers by id, in the company; another company's id reads as unknown (400
    naming the field, the same answer as an id never used: nothing leaks about other tenants)."""
    truck = Truck.objects.filter(company=company, pk=truck_id).first()
    found = {
        driver.pk: driver
        for driver in Driver.objects.filter(company=company, pk__in=driver_ids).select_related(
            "membership__user"
        )
    }
    errors: dict[str, list[str]] = {}
    if truck is None:
        errors["truck"] = [f"No truck {truck_id} in this company."]
    unknown = [driver_id for driver_id in driver_ids if driver_id not in found]
    if unknown:
        errors["drivers"] = [f"No driver {driver_id} in this company." for driver_id in unknown]
    if errors:
        raise Invalid(details=errors)
    assert truck is not None
    return truck, [found[driver_id] for driver_id in driver_ids]


def _resources_require_assignable(
    *, booking: Booking, truck: Truck, drivers: list[Driver], end: datetime
) -> None:
    company = booking.company
    today = documents_day(company=company, end=end)
    if not trucks_assignable(company=company, today=today).filter(pk=truck.pk).exists():
        raise ResourceNotAssignable(
            f"Truck {truck.plate} cannot be assigned: it must be active with an approved "
            f"registration valid through {today}.",
            details={"truck": truck.pk},
        )
    assignable = set(
        drivers_assignable(company=company, today=today)
        .filter(pk__in=[driver.pk for driver in drivers])
        .values_list("pk", flat=True)
    )
    refused = [driver for driver in drivers if driver.pk not in assignable]
    if refused:
        raise ResourceNotAssignable(
            f"Driver {refused[0].licence_number} cannot be assigned: drivers must be active "
            f"members with an approved driving licence valid through {today}.",
            details={"drivers": [driver.pk for driver in refused]},
        )
    volume = booking.quote.volume_m3
    if truck.capacity_m3 < volume:
        raise ResourceNotAssignable(
            f"Truck {truck.plate} holds {truck.capacity_m3} m3; this move needs {volume} m3.",
            details={"truck": truck.pk, "capacity_m3": str(truck.capacity_m3)},
        )


def _live_summary(*, booking: Booking) -> dict[str, Any]:
    """What the booking holds now (before a reschedule moves it), for the event's data."""
    truck_allocation = TruckAllocation.objects.filter(
        booking=booking, released_at__isnull=True
    ).first()
    drivers = DriverAllocation.objects.filter(booking=booking, released_at__isnull=True)
    return {
        "truck": truck_allocation.truck_id if truck_allocation else None,
        "drivers": sorted(drivers.values_list("driver_id", flat=True)),
        "start": _iso(booking.scheduled_start) if booking.scheduled_start else None,
        "end": _iso(booking.scheduled_end) if booking.scheduled_end else None,
    }


def _iso(moment: datetime) -> str:
    """Times in event data: ISO-8601 in UTC, whatever offset the caller gave."""
    return moment.astimezone(UTC).isoformat()


def _allocations_create(
    *, booking: Booking, truck: Truck, drivers: list[Driver], start: datetime, end: datetime
) -> None:
    """Insert the live allocations; a clash with another live allocation (maybe committed a
    moment ago by a concurrent scheduler: the constraint waits for it) is SlotTaken, with a
    message looked up after the refusal, in a fresh savepoint."""
    period = period_of(start, end)
    try:
        conflicts = {TRUCK_CONSTRAINT: SlotTaken(), DRIVER_CONSTRAINT: SlotTaken()}
        with constraint_errors(conflicts):
            TruckAllocation.objects.create(
                company=booking.company, booking=booking, truck=truck, period=period
            )
            DriverAllocation.objects.bulk_create(
                DriverAllocation(
                    company=booking.company, booking=booking, driver=driver, period=period
                )
                for driver in drivers
            )
    except SlotTaken as exc:
        with transaction.atomic():
            clash = clash_describe(
                company=booking.company, truck=truck, drivers=drivers, start=start, end=end
            )
        raise SlotTaken(clash.message, details=clash.details) from exc
