"""Demo hubs and shared-load trips for seed_demo: Lyon, Paris, Dijon and Marseille, with trips
of tomorrow and the day after that route search finds directly and with one change of truck.

Trips are published through `trip_publish`, as the owners of two verified demo companies
(Saône Transport and Presqu'île Movers), on their trucks: never on Rhône Removals' (the demo
jobs' and, usually, docs/booking-walk.sh's) nor on Gerland Logistics' box truck, which
docs/cargo-walk.sh keeps for its own trip. They leave from 05:00 local time tomorrow onwards,
so they never meet today's jobs or the booking walk's move (within five hours of now).

Each search of a demo day (`date` = that day) finds:
  LYS -> PAR   direct (Saône Transport's long hauler) and via DIJ (Saône, then Presqu'île)
  MRS -> PAR   via LYS (Presqu'île, then the long hauler), connection exactly two hours

Idempotent per day: a trip is found by its truck, hubs and departure; a missing one is published.
Re-running the seed on a later day adds that day's trips, so some always lie in the future.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import structlog
from django.contrib.gis.geos import Point
from django.utils import timezone

from apps.accounts.models import User
from apps.cargo.models import Hub, Trip, TripStatus
from apps.cargo.trip_services import trip_publish
from apps.companies.demo import owner_email
from apps.companies.models import Truck
from apps.core.errors import ApplicationError

logger = structlog.get_logger(__name__)

ZONE = "Europe/Paris"
# code, name, (lat, lng)
HUBS = [
    ("DIJ", "Dijon", (47.3220, 5.0415)),
    ("LYS", "Lyon", (45.7640, 4.8357)),
    ("MRS", "Marseille", (43.2965, 5.3698)),
    ("PAR", "Paris", (48.8566, 2.3522)),
]
DAY_OFFSETS = (1, 2)  # tomorrow and the day after, in the hubs' time zone
# Gerland Logistics' box truck: docs/cargo-walk.sh publishes its own trips on it, no demo trip does.
WALK_TRUCK_PLATE = "LY-401-GL"


@dataclass(frozen=True)
class DemoTrip:
    company_slug: str
    truck_plate: str
    origin: str
    destination: str
    departs: time  # local time at the hubs (all in ZONE)
    hours: Decimal
    capacity_m3: Decimal
    capacity_kg: Decimal
    price_per_m3: Decimal
    min_charge: Decimal


TRIPS = [
    DemoTrip(
        "presquile-movers", "LY-201-PM", "MRS", "LYS", time(5, 0), Decimal("3.5"),
        Decimal("15"), Decimal("1500"), Decimal("20.00"), Decimal("25.00"),
    ),
    DemoTrip(
        "saone-transport", "LY-302-ST", "LYS", "DIJ", time(8, 0), Decimal("2.5"),
        Decimal("12"), Decimal("1200"), Decimal("18.00"), Decimal("25.00"),
    ),
    DemoTrip(
        "saone-transport", "LY-301-ST", "LYS", "PAR", time(10, 30), Decimal("5"),
        Decimal("20"), Decimal("2000"), Decimal("30.00"), Decimal("40.00"),
    ),
    DemoTrip(
        "presquile-movers", "LY-201-PM", "DIJ", "PAR", time(13, 0), Decimal("3.5"),
        Decimal("15"), Decimal("1500"), Decimal("22.00"), Decimal("25.00"),
    ),
]  # fmt: skip


def demo_hubs_ensure() -> list[Hub]:
    """The demo hubs (created once; an existing hub is left as it is)."""
    hubs = []
    for code, name, (lat, lng) in HUBS:
        hub, _ = Hub.objects.get_or_create(
            code=code,
            defaults={"name": name, "location": Point(lng, lat, srid=4326), "timezone": ZONE},
        )
        hubs.append(hub)
    return hubs


def demo_trip_days(*, now: datetime) -> list[date]:
    """The local dates the demo trips are kept for."""
    today = now.astimezone(zoneinfo.ZoneInfo(ZONE)).date()
    return [today + timedelta(days=offset) for offset in DAY_OFFSETS]


def demo_trips_ensure(*, now: datetime | None = None) -> list[Trip]:
    """The demo trips (see TRIPS) of tomorrow and the day after; returns them."""
    now = now or timezone.now()
    demo_hubs_ensure()
    trips = []
    for day in demo_trip_days(now=now):
        for spec in TRIPS:
            trip = _trip_ensure(spec, day=day)
            if trip is not None:
                trips.append(trip)
    return trips


def _trip_ensure(spec: DemoTrip, *, day: date) -> Trip | None:
    departs_at = datetime.combine(day, spec.departs, tzinfo=zoneinfo.ZoneInfo(ZONE))
    truck = Truck.objects.filter(company__slug=spec.company_slug, plate=spec.truck_plate).first()
    owner = User.objects.filter(email=owner_email(spec.company_slug)).first()
    if truck is None or owner is None:
        return None
    existing = Trip.objects.filter(
        truck=truck,
        origin_hub__code=spec.origin,
        destination_hub__code=spec.destination,
        departs_at=departs_at,
    ).exclude(status=TripStatus.CANCELLED)
    found = existing.first()
    if found is not None:
        return found
    try:
        return trip_publish(
            actor=owner,
            truck_id=truck.pk,
            origin_code=spec.origin,
            destination_code=spec.destination,
            departs_at=departs_at,
            arrives_at=departs_at + timedelta(hours=float(spec.hours)),
            capacity_m3=spec.capacity_m3,
            capacity_kg=spec.capacity_kg,
            price_per_m3=spec.price_per_m3,
            min_charge=spec.min_charge,
        )
    except ApplicationError as error:  # e.g. the truck was booked for that time meanwhile
        logger.warning(
            "demo_trip_skipped",
            trip=f"{spec.origin}->{spec.destination} {departs_at.isoformat()}",
            reason=error.message,
            details=error.details,
        )
        return None
