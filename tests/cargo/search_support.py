"""Helpers of the route-search tests: hubs and trips as publishing leaves them (no allocation)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from apps.cargo.models import Hub, Trip, TripStatus
from apps.companies.models import Company, Truck
from apps.core.geo import point_from_lat_lng
from tests.companies.factories import CompanyFactory, TruckFactory

HUB_PLACES = {
    "BER": ("Berlin", 52.52, 13.405, "Europe/Berlin"),
    "MUC": ("Munich", 48.137, 11.575, "Europe/Berlin"),
    "FRA": ("Frankfurt", 50.11, 8.682, "Europe/Berlin"),
    "HAM": ("Hamburg", 53.551, 9.993, "Europe/Berlin"),
    "LAX": ("Los Angeles", 34.052, -118.244, "America/Los_Angeles"),
    "SFO": ("San Francisco", 37.775, -122.419, "America/Los_Angeles"),
}


def hub_create(code: str, **fields) -> Hub:
    name, lat, lng, zone = HUB_PLACES[code]
    values = {"name": name, "location": point_from_lat_lng(lat, lng), "timezone": zone}
    return Hub.objects.create(code=code, **(values | fields))


def local_departure_date(trip: Trip) -> date:
    """The origin hub's local date of the departure: what publishing stores in departs_on_local."""
    return trip.departs_at.astimezone(ZoneInfo(trip.origin_hub.timezone)).date()


def carrier(**fields) -> tuple[Company, Truck]:
    """A company (verified unless told otherwise) and one of its trucks."""
    company = CompanyFactory(**fields)
    return company, TruckFactory(company=company)


def trip_create(
    *,
    truck: Truck,
    origin: Hub,
    destination: Hub,
    departs_at: datetime,
    hours: float = 5,
    capacity_m3: str = "20",
    capacity_kg: str = "2000",
    sold_m3: str = "0",
    sold_kg: str = "0",
    price_per_m3: str = "10.00",
    min_charge: str = "0",
    currency: str = "EUR",
    status: str = TripStatus.SCHEDULED,
) -> Trip:
    trip = Trip(
        company=truck.company,
        truck=truck,
        origin_hub=origin,
        destination_hub=destination,
        departs_at=departs_at,
        arrives_at=departs_at + timedelta(hours=hours),
        capacity_m3=Decimal(capacity_m3),
        capacity_kg=Decimal(capacity_kg),
        sold_m3=Decimal(sold_m3),
        sold_kg=Decimal(sold_kg),
        price_per_m3=Decimal(price_per_m3),
        min_charge=Decimal(min_charge),
        currency=currency,
        status=status,
    )
    trip.departs_on_local = local_departure_date(trip)
    trip.save()
    return trip


def german_hubs() -> SimpleNamespace:
    """Four hubs in Europe/Berlin: BER, FRA, MUC, HAM."""
    return SimpleNamespace(**{code: hub_create(code) for code in ("BER", "FRA", "MUC", "HAM")})


def carrier_truck() -> Truck:
    """A truck of a verified company named Carrier (EUR)."""
    return carrier(name="Carrier", slug="carrier")[1]
