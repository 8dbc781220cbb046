"""Shipments: reserve space on one or two trips without overbooking, cancel, deliver.

Reservation (invariant 2): every leg is taken with one conditional UPDATE,
    UPDATE trip SET sold_m3 = sold_m3 + v, sold_kg = sold_kg + w
    WHERE id = t AND status = 'scheduled' AND departs_at > now
      AND sold_m3 + v <= capacity_m3 AND sold_kg + w <= capacity_kg
in ONE transaction. PostgreSQL re-evaluates the WHERE on the latest row version after waiting
for a concurrent writer's lock, so of 40 clients racing for a 10 m3 trip exactly 10 match; the
CHECK constraints (sold <= capacity) back it up. A leg whose UPDATE matches no row raises
CapacityExhausted and the transaction rolls back the legs already taken: all or nothing.
Legs are updated in trip-id order, whatever the itinerary's order, and a cancellation locks its
trips in the same order, so two transactions never wait on each other's trips (no deadlock).
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts.models import User
from apps.cargo.events import shipment_event_append, shipment_notify
from apps.cargo.models import (
    SHIPMENT_LIFECYCLE,
    Shipment,
    ShipmentLeg,
    ShipmentStatus,
    Trip,
    TripStatus,
)
from apps.cargo.pricing import leg_price
from apps.cargo.references import reference_new
from apps.cargo.selectors import shipment_get_for_user, shipment_legs, staff_company_ids
from apps.cargo.trip_services import routes_invalidate_on_commit
from apps.companies.models import Company
from apps.core.errors import CapacityExhausted, Invalid, InvalidTransition, PermissionDenied
from apps.core.integrity import constraint_name

REFERENCE_CONSTRAINT = "cargo_shipment_reference_key"
REFERENCE_ATTEMPTS = 8


@transaction.atomic
def shipment_reserve(
    *, customer: User, trip_ids: list[int], volume_m3: Decimal, weight_kg: Decimal
) -> Shipment:
    """Book `volume_m3` and `weight_kg` on the trips `trip_ids` (the itinerary, in order).

    Raises Invalid (400, on `legs`) for a trip that does not exist, is not a verified company's,
    is not scheduled or has left, legs that do not connect (the next leaves from the hub where
    the previous arrives, CARGO_MIN_CONNECTION to CARGO_MAX_CONNECTION after it) or differ in
    currency; CapacityExhausted (409, `details`: {"trip", "leg"}) when a leg lacks the space,
    in which case nothing is reserved.
    """
    trips = _itinerary_get(trip_ids)
    now = timezone.now()
    for order, trip in sorted(enumerate(trips, start=1), key=lambda item: item[1].pk):
        taken = Trip.objects.filter(
            pk=trip.pk,
            status=TripStatus.SCHEDULED,
            departs_at__gt=now,
            sold_m3__lte=F("capacity_m3") - volume_m3,
            sold_kg__lte=F("capacity_kg") - weight_kg,
        ).update(sold_m3=F("sold_m3") + volume_m3, sold_kg=F("sold_kg") + weight_kg, updated_at=now)
        if not taken:
            raise _exhausted(trip=trip, order=order, volume_m3=volume_m3, weight_kg=weight_kg)
    shipment = _shipment_create(
        customer=customer,
        volume_m3=volume_m3,
        weight_kg=weight_kg,
        price=sum((leg_price(trip, volume_m3) for trip in trips), Decimal("0")),
        currency=trips[0].currency,
    )
    ShipmentLeg.objects.bulk_create(
        ShipmentLeg(shipment=shipment, trip=trip, company_id=trip.company_id, order=order)
        for order, trip in enumerate(trips, start=1)
    )
    hub = trips[0].origin_hub
    shipment_event_append(shipment=shipment, actor=customer, hub=hub, at=now)
    shipment_notify(shipment=shipment, hub=hub)
    for trip in trips:
        routes_invalidate_on_commit(trip)
    return shipment


def _itinerary_get(trip_ids: list[int]) -> list[Trip]:
    found = {
        trip.pk: trip
        for trip in Trip.objects.select_related("origin_hub", "destination_hub").filter(
            pk__in=trip_ids, company__verification_status=Company.VerificationStatus.VERIFIED
        )
    }
    now = timezone.now()
    problems = []
    for trip_id in trip_ids:
        trip = found.get(trip_id)
        if trip is None:
            problems.append(f"No trip {trip_id} open for booking.")
        elif trip.status != TripStatus.SCHEDULED or trip.departs_at <= now:
            problems.append(f"Trip {trip_id} is no longer open for booking.")
    if problems:
        raise Invalid(details={"legs": problems})
    trips = [found[trip_id] for trip_id in trip_ids]
    for previous, following in itertools.pairwise(trips):
        problems += _connection_problems(previous, following)
    if len({trip.currency for trip in trips}) > 1:
        problems.append("The legs are sold in different currencies.")
    if problems:
        raise Invalid(details={"legs": problems})
    return trips


def _connection_problems(previous: Trip, following: Trip) -> list[str]:
    if previous.destination_hub_id != following.origin_hub_id:
        return [
            f"Trip {following.pk} leaves from {following.origin_hub.code}, not from "
            f"{previous.destination_hub.code} where trip {previous.pk} arrives."
        ]
    gap = following.departs_at - previous.arrives_at
    shortest, longest = settings.CARGO_MIN_CONNECTION, settings.CARGO_MAX_CONNECTION
    if not shortest <= gap <= longest:
        return [
            f"Trip {following.pk} must leave {_hours(shortest)} to {_hours(longest)} after "
            f"trip {previous.pk} arrives."
        ]
    return []


def _hours(span) -> str:
    return f"{span.total_seconds() / 3600:g} h"


def _exhausted(
    *, trip: Trip, order: int, volume_m3: Decimal, weight_kg: Decimal
) -> CapacityExhausted:
    """The refusal naming the leg, with what is left now (read after the refusal)."""
    current = Trip.objects.filter(pk=trip.pk).values(
        "status", "capacity_m3", "sold_m3", "capacity_kg", "sold_kg"
    )[0]
    if current["status"] != TripStatus.SCHEDULED:
        message = f"Leg {order} (trip {trip.pk}) is no longer open for booking."
    else:
        left_m3 = current["capacity_m3"] - current["sold_m3"]
        left_kg = current["capacity_kg"] - current["sold_kg"]
        message = (
            f"Leg {order} (trip {trip.pk}) has {left_m3} m3 and {left_kg} kg left; "
            f"this shipment needs {volume_m3} m3 and {weight_kg} kg."
        )
    return CapacityExhausted(message, details={"trip": trip.pk, "leg": order})


def _shipment_create(**fields) -> Shipment:
    """Insert the shipment under a fresh reference, drawing again on the rare collision."""
    for _ in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():  # a savepoint: a collision keeps the reservation
                return Shipment.objects.create(reference=reference_new(), **fields)
        except IntegrityError as exc:
            if constraint_name(exc) != REFERENCE_CONSTRAINT:
                raise
    raise RuntimeError("No free shipment reference after several draws.")


@transaction.atomic
def shipment_cancel(*, actor: User, reference: str) -> Shipment:
    """The customer cancels a BOOKED shipment before its first leg leaves; exactly the volume
    and weight it reserved go back to each leg. InvalidTransition (409) otherwise (a second
    cancellation too, leaving no event); PermissionDenied (403) for carrier staff."""
    shipment = shipment_get_for_user(user=actor, reference=reference)
    if shipment.customer_id != actor.pk:
        raise PermissionDenied("Only the customer may cancel a shipment.")
    legs = shipment_legs(shipment=shipment)
    # Lock order: the trips (by id), then the shipment; see apps/cargo/trip_services.py.
    list(
        Trip.objects.select_for_update().filter(pk__in=[leg.trip_id for leg in legs]).order_by("pk")
    )
    shipment = Shipment.objects.select_for_update().select_related("customer").get(pk=shipment.pk)
    SHIPMENT_LIFECYCLE.require(shipment.status, to=ShipmentStatus.CANCELLED)
    now = timezone.now()
    first = legs[0].trip
    if first.departs_at <= now:
        raise InvalidTransition(
            f"Shipment {shipment.reference} can no longer be cancelled: trip {first.pk} "
            "was due to leave.",
            details={"from": shipment.status, "to": ShipmentStatus.CANCELLED},
        )
    for leg in sorted(legs, key=lambda leg: leg.trip_id):
        Trip.objects.filter(pk=leg.trip_id).update(
            sold_m3=F("sold_m3") - shipment.volume_m3,
            sold_kg=F("sold_kg") - shipment.weight_kg,
            updated_at=now,
        )
    shipment.status = ShipmentStatus.CANCELLED
    shipment.save(update_fields=["status", "updated_at"])
    shipment_event_append(shipment=shipment, actor=actor, hub=first.origin_hub, at=now)
    shipment_notify(shipment=shipment, hub=None)
    for leg in legs:
        routes_invalidate_on_commit(leg.trip)
    return shipment


@transaction.atomic
def shipment_deliver(*, actor: User, reference: str) -> Shipment:
    """Staff of the company carrying the last leg hand an ARRIVED shipment over (DELIVERED).
    PermissionDenied (403) for anyone else who sees it; InvalidTransition (409) from any other
    status."""
    shipment = shipment_get_for_user(user=actor, reference=reference, for_update=True)
    last = shipment_legs(shipment=shipment)[-1]
    if last.company_id not in staff_company_ids(user=actor):
        raise PermissionDenied("Only the company carrying the last leg may deliver.")
    SHIPMENT_LIFECYCLE.apply(shipment, to=ShipmentStatus.DELIVERED)
    shipment.save(update_fields=["status", "updated_at"])
    hub = last.trip.destination_hub
    shipment_event_append(shipment=shipment, actor=actor, hub=hub)
    shipment_notify(shipment=shipment, hub=hub)
    return shipment
