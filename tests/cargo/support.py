"""Helpers of the cargo tests: hubs, a ready carrier, connecting trips, the rows a refusal keeps."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from apps.bookings.models import Notification, TruckAllocation
from apps.cargo.models import Shipment, ShipmentEvent, ShipmentLeg, Trip
from tests.bookings.scheduling import ready
from tests.cargo.factories import HubFactory, TripFactory

TRIPS_URL = "/api/v1/cargo/trips/"
SHIPMENTS_URL = "/api/v1/cargo/shipments/"


@pytest.fixture
def hubs(db) -> SimpleNamespace:
    """Berlin, Leipzig and Munich (Europe/Berlin) and Los Angeles."""
    return SimpleNamespace(
        ber=HubFactory(code="BER", name="Berlin", location=Point(13.40, 52.52, srid=4326)),
        lej=HubFactory(code="LEJ", name="Leipzig", location=Point(12.37, 51.34, srid=4326)),
        muc=HubFactory(code="MUC", name="Munich", location=Point(11.58, 48.14, srid=4326)),
        lax=HubFactory(
            code="LAX",
            name="Los Angeles",
            location=Point(-118.24, 34.05, srid=4326),
            timezone="America/Los_Angeles",
        ),
    )


@pytest.fixture
def carrier(alice):
    """alice with her truck and driver assignable (approved documents)."""
    return ready(alice)


def in_days(days: float, hour: int = 8) -> datetime:
    """`hour`:00 UTC, `days` from today."""
    day = timezone.now() + timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def publish_body(vehicle, origin="BER", destination="LEJ", **overrides: Any) -> dict[str, Any]:
    body = {
        "truck": vehicle.id,
        "origin_hub": origin,
        "destination_hub": destination,
        "departs_at": in_days(3, 8).isoformat(),
        "arrives_at": in_days(3, 14).isoformat(),
        "capacity_m3": "10.000",
        "capacity_kg": "1000.000",
        "price_per_m3": "40.00",
        "min_charge": "25.00",
    }
    body.update(overrides)
    return body


def connecting(first: Trip, *, gap: timedelta = timedelta(hours=3), **fields: Any) -> Trip:
    """A trip leaving `first`'s destination `gap` after it arrives (another truck, same
    company unless given)."""
    fields.setdefault("company", first.company)
    fields.setdefault("destination_hub", HubFactory())
    departs_at = first.arrives_at + gap
    return TripFactory(
        origin_hub=first.destination_hub,
        departs_at=departs_at,
        arrives_at=departs_at + timedelta(hours=5),
        **fields,
    )


def reserve_body(legs: list[Trip], volume: str = "1.000", weight: str = "10.000") -> dict:
    return {"legs": [trip.id for trip in legs], "volume_m3": volume, "weight_kg": weight}


def sold(trip: Trip) -> tuple[Decimal, Decimal]:
    trip.refresh_from_db()
    return trip.sold_m3, trip.sold_kg


def cargo_rows() -> dict[str, list[dict]]:
    """Every row a cargo write touches: a refusal must change none of them."""
    return {
        "trips": list(Trip.objects.order_by("id").values()),
        "shipments": list(Shipment.objects.order_by("id").values()),
        "legs": list(ShipmentLeg.objects.order_by("id").values()),
        "events": list(ShipmentEvent.objects.order_by("id").values()),
        "allocations": list(TruckAllocation.objects.order_by("id").values()),
        "notifications": list(Notification.objects.order_by("id").values()),
    }
