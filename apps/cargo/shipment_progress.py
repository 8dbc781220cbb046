"""Shipments follow their trips: a departure or an arrival moves them and records an event.

A shipment is DEPARTED when any of its legs leaves while it is BOOKED (normally the first),
ARRIVED when its LAST leg arrives. In between (a two-leg shipment changing truck at the hub)
the first leg's arrival and the second leg's departure are history events without a status
change. Called by the trip services inside their transaction, with the trip row locked; the
shipments are locked in id order (the lock order of apps/cargo/trip_services.py).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max

from apps.accounts.models import User
from apps.cargo.events import shipment_event_append, shipment_notify
from apps.cargo.models import SHIPMENT_LIFECYCLE, Shipment, ShipmentLeg, ShipmentStatus, Trip


def _carried(trip: Trip) -> list[tuple[Shipment, int, int]]:
    """(shipment locked, this trip's leg order, the shipment's leg count) for every shipment
    on the trip that is not cancelled, by shipment id."""
    orders = dict(ShipmentLeg.objects.filter(trip=trip).values_list("shipment_id", "order"))
    counts = dict(
        ShipmentLeg.objects.filter(shipment_id__in=orders)
        .values("shipment_id")
        .annotate(last=Max("order"))
        .values_list("shipment_id", "last")
    )
    shipments = (
        Shipment.objects.select_for_update()
        .select_related("customer")
        .filter(pk__in=orders)
        .exclude(status=ShipmentStatus.CANCELLED)
        .order_by("pk")
    )
    return [(shipment, orders[shipment.pk], counts[shipment.pk]) for shipment in shipments]


def shipments_follow_departure(*, trip: Trip, actor: User, at: datetime) -> None:
    hub = trip.origin_hub
    for shipment, order, _ in _carried(trip):
        if shipment.status == ShipmentStatus.BOOKED:
            SHIPMENT_LIFECYCLE.apply(shipment, to=ShipmentStatus.DEPARTED)
            shipment.save(update_fields=["status", "updated_at"])
            note = f"Left {hub.code} on trip {trip.pk} (leg {order})."
            shipment_event_append(shipment=shipment, actor=actor, hub=hub, note=note, at=at)
            shipment_notify(shipment=shipment, hub=hub)
        elif shipment.status == ShipmentStatus.DEPARTED:
            note = f"Changed truck at {hub.code}: left on trip {trip.pk} (leg {order})."
            shipment_event_append(shipment=shipment, actor=actor, hub=hub, note=note, at=at)


def shipments_follow_arrival(*, trip: Trip, actor: User, at: datetime) -> None:
    hub = trip.destination_hub
    for shipment, order, last in _carried(trip):
        if shipment.status != ShipmentStatus.DEPARTED:
            continue  # already further on: nothing to follow
        if order == last:
            SHIPMENT_LIFECYCLE.apply(shipment, to=ShipmentStatus.ARRIVED)
            shipment.save(update_fields=["status", "updated_at"])
            note = f"Arrived at {hub.code} on trip {trip.pk} (leg {order})."
            shipment_event_append(shipment=shipment, actor=actor, hub=hub, note=note, at=at)
            shipment_notify(shipment=shipment, hub=hub)
        else:
            note = f"Arrived at {hub.code} on trip {trip.pk} (leg {order}) to change truck."
            shipment_event_append(shipment=shipment, actor=actor, hub=hub, note=note, at=at)
