"""Trips: publish (holding the truck), depart, arrive, cancel; shipments follow the trip.

A published trip holds its truck for `[departs_at, arrives_at)` through a bookings
TruckAllocation (purpose "trip"): the allocation table's exclusion constraint refuses a move and
a trip (or two trips) overlapping on one truck, whichever transaction commits second, and this
service turns that refusal into 409 `slot_taken` (the constraint is the check; no look-ahead).

Lock order of every cargo write: trip rows (by id), then shipment rows (by id). Depart/arrive
lock their trip, then the shipments on it; a reservation updates its trips in id order and only
inserts shipments; a shipment cancellation locks its trips, then the shipment.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.bookings.models import TruckAllocation
from apps.bookings.models.allocations import Purpose
from apps.bookings.schedule_selectors import clash_describe, documents_day, period_of
from apps.bookings.schedule_services import TRUCK_CONSTRAINT
from apps.cargo.models import TRIP_LIFECYCLE, Hub, ShipmentLeg, ShipmentStatus, Trip, TripStatus
from apps.cargo.route_cache import routes_invalidate
from apps.cargo.selectors import staff_company_ids, trip_get_for_staff
from apps.cargo.shipment_progress import shipments_follow_arrival, shipments_follow_departure
from apps.companies.locking import company_lock
from apps.companies.models import Truck
from apps.companies.selectors import MANAGER_ROLES
from apps.core.errors import (
    CompanyNotVerified,
    Invalid,
    InvalidTransition,
    PermissionDenied,
    ResourceNotAssignable,
    SlotTaken,
)
from apps.core.integrity import constraint_errors
from apps.verification.selectors import trucks_assignable


def routes_invalidate_on_commit(trip: Trip) -> None:
    """After the commit, drop the cached route searches the trip appears in."""
    transaction.on_commit(lambda: routes_invalidate(trip=trip))


@transaction.atomic
def trip_publish(
    *,
    actor: User,
    truck_id: int,
    origin_code: str,
    destination_code: str,
    departs_at: datetime,
    arrives_at: datetime,
    capacity_m3: Decimal,
    capacity_kg: Decimal,
    price_per_m3: Decimal,
    min_charge: Decimal = Decimal("0"),
) -> Trip:
    """Publish a trip of the truck's company (its owner or a dispatcher) and hold the truck.

    Raises PermissionDenied (403) for a user who manages no company; Invalid (400) for a truck
    of no company the actor manages, an unknown or inactive hub, a departure not in the future,
    a period longer than CARGO_TRIP_MAX_HOURS or a capacity above the truck's (m3, kg);
    CompanyNotVerified (409) while the company is not verified; ResourceNotAssignable (409) for
    a truck that is not active with a registration valid through the arrival day; SlotTaken
    (409) when the truck is on a move or another trip during the period.
    """
    managed = staff_company_ids(user=actor, roles=MANAGER_ROLES)
    if not managed:
        raise PermissionDenied("Only a company's owner or a dispatcher may publish trips.")
    truck = Truck.objects.filter(pk=truck_id, company_id__in=managed).first()
    if truck is None:
        raise Invalid(details={"truck": [f"No truck {truck_id} in your company."]})
    # The company row first (apps/companies/locking.py): its verification cannot change under us.
    company = company_lock(company_id=truck.company_id)
    origin, destination = _hubs_get(origin_code=origin_code, destination_code=destination_code)
    _period_require_valid(departs_at=departs_at, arrives_at=arrives_at)
    _capacity_require_within(truck=truck, capacity_m3=capacity_m3, capacity_kg=capacity_kg)
    if not company.is_verified:
        raise CompanyNotVerified("Only a verified company may publish trips.")
    today = documents_day(company=company, end=arrives_at)
    if not trucks_assignable(company=company, today=today).filter(pk=truck.pk).exists():
        raise ResourceNotAssignable(
            f"Truck {truck.plate} cannot be assigned: it must be active with an approved "
            f"registration valid through {today}.",
            details={"truck": truck.pk},
        )
    allocation = _allocation_create(truck=truck, departs_at=departs_at, arrives_at=arrives_at)
    trip = Trip.objects.create(
        company=company,
        truck=truck,
        allocation=allocation,
        origin_hub=origin,
        destination_hub=destination,
        departs_at=departs_at,
        arrives_at=arrives_at,
        departs_on_local=departs_at.astimezone(zoneinfo.ZoneInfo(origin.timezone)).date(),
        capacity_m3=capacity_m3,
        capacity_kg=capacity_kg,
        price_per_m3=price_per_m3,
        min_charge=min_charge,
        currency=company.currency,
    )
    routes_invalidate_on_commit(trip)
    return trip


def _hubs_get(*, origin_code: str, destination_code: str) -> tuple[Hub, Hub]:
    hubs = {hub.code: hub for hub in Hub.objects.filter(code__in=[origin_code, destination_code])}
    errors: dict[str, list[str]] = {}
    for field, code in (("origin_hub", origin_code), ("destination_hub", destination_code)):
        hub = hubs.get(code)
        if hub is None or not hub.is_active:
            errors[field] = [f"No active hub {code}."]
    if not errors and origin_code == destination_code:
        errors["destination_hub"] = ["Must differ from origin_hub."]
    if errors:
        raise Invalid(details=errors)
    return hubs[origin_code], hubs[destination_code]


def _capacity_require_within(*, truck: Truck, capacity_m3: Decimal, capacity_kg: Decimal) -> None:
    errors = {}
    if capacity_m3 > truck.capacity_m3:
        errors["capacity_m3"] = [f"Truck {truck.plate} holds {truck.capacity_m3} m3."]
    if capacity_kg > truck.payload_kg:
        errors["capacity_kg"] = [f"Truck {truck.plate} carries {truck.payload_kg} kg."]
    if errors:
        raise Invalid(details=errors)


def _period_require_valid(*, departs_at: datetime, arrives_at: datetime) -> None:
    if departs_at <= timezone.now():
        raise Invalid(details={"departs_at": ["Must be in the future."]})
    if arrives_at <= departs_at:
        raise Invalid(details={"arrives_at": ["Must be after departs_at."]})
    longest = timedelta(hours=settings.CARGO_TRIP_MAX_HOURS)
    if arrives_at - departs_at > longest:
        hours = settings.CARGO_TRIP_MAX_HOURS
        raise Invalid(details={"arrives_at": [f"Must be at most {hours} h after departs_at."]})


def _allocation_create(*, truck: Truck, departs_at: datetime, arrives_at: datetime):
    """The trip's hold on the truck; an overlap with a move or a trip is SlotTaken, described
    after the refusal (in a fresh savepoint) as scheduling describes it."""
    try:
        with constraint_errors({TRUCK_CONSTRAINT: SlotTaken()}):
            return TruckAllocation.objects.create(
                company_id=truck.company_id,
                purpose=Purpose.TRIP,
                truck=truck,
                period=period_of(departs_at, arrives_at),
            )
    except SlotTaken as exc:
        with transaction.atomic():
            clash = clash_describe(
                company=truck.company, truck=truck, drivers=[], start=departs_at, end=arrives_at
            )
        raise SlotTaken(clash.message, details=clash.details) from exc


@transaction.atomic
def trip_depart(*, actor: User, trip_id: int) -> Trip:
    """Mark a scheduled trip departed (owner, dispatcher); its shipments follow (BOOKED ->
    DEPARTED on their first leg to leave; an event for each). InvalidTransition otherwise."""
    trip = trip_get_for_staff(user=actor, trip_id=trip_id, for_update=True)
    TRIP_LIFECYCLE.apply(trip, to=TripStatus.DEPARTED)
    trip.departed_at = timezone.now()
    trip.save(update_fields=["status", "departed_at", "updated_at"])
    shipments_follow_departure(trip=trip, actor=actor, at=trip.departed_at)
    routes_invalidate_on_commit(trip)
    return trip


@transaction.atomic
def trip_arrive(*, actor: User, trip_id: int) -> Trip:
    """Mark a departed trip arrived (owner, dispatcher); shipments whose last leg it is become
    ARRIVED, the others get a change-of-truck event. InvalidTransition otherwise."""
    trip = trip_get_for_staff(user=actor, trip_id=trip_id, for_update=True)
    TRIP_LIFECYCLE.apply(trip, to=TripStatus.ARRIVED)
    trip.arrived_at = timezone.now()
    trip.save(update_fields=["status", "arrived_at", "updated_at"])
    shipments_follow_arrival(trip=trip, actor=actor, at=trip.arrived_at)
    routes_invalidate_on_commit(trip)
    return trip


@transaction.atomic
def trip_cancel(*, actor: User, trip_id: int) -> Trip:
    """Cancel a scheduled trip (owner, dispatcher) and release its truck.

    A trip still carrying shipments (any not cancelled) is refused with InvalidTransition (409,
    `details.shipments` = how many): customers have paid for that space, so the company settles
    with them first (customers cancel BOOKED shipments themselves). Reservations racing the
    cancellation wait for the trip row lock and then find it cancelled (capacity_exhausted).
    """
    trip = trip_get_for_staff(user=actor, trip_id=trip_id, for_update=True)
    TRIP_LIFECYCLE.require(trip.status, to=TripStatus.CANCELLED)
    carried = (
        ShipmentLeg.objects.filter(trip=trip)
        .exclude(shipment__status=ShipmentStatus.CANCELLED)
        .count()
    )
    if carried:
        raise InvalidTransition(
            f"Trip {trip.pk} carries {carried} shipment(s); they must be cancelled first.",
            details={"from": trip.status, "to": TripStatus.CANCELLED, "shipments": carried},
        )
    trip.status = TripStatus.CANCELLED
    trip.save(update_fields=["status", "updated_at"])
    if trip.allocation_id is not None:
        TruckAllocation.objects.filter(pk=trip.allocation_id, released_at__isnull=True).update(
            released_at=timezone.now()
        )
    routes_invalidate_on_commit(trip)
    return trip
