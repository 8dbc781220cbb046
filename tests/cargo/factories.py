"""factory_boy factories of cargo: hubs and trips (a trip holds its truck like the service does)."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.gis.geos import Point
from django.utils import timezone

from apps.bookings.models import TruckAllocation
from apps.bookings.models.allocations import Purpose
from apps.bookings.schedule_selectors import period_of
from apps.cargo.models import Hub, Trip
from tests.companies.factories import CompanyFactory, TruckFactory


class HubFactory(factory.django.DjangoModelFactory):
    """A hub with a code like H001 in Europe/Berlin (pass code= and timezone= for real ones)."""

    class Meta:
        model = Hub
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"H{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Hub {o.code}")
    location = factory.LazyFunction(lambda: Point(13.4, 52.5, srid=4326))
    timezone = "Europe/Berlin"


def _allocation(trip) -> TruckAllocation:
    return TruckAllocation.objects.create(
        company=trip.company,
        purpose=Purpose.TRIP,
        truck=trip.truck,
        period=period_of(trip.departs_at, trip.arrives_at),
    )


class TripFactory(factory.django.DjangoModelFactory):
    """A scheduled trip of a (verified) company, 10 m3 / 1,000 kg at 40.00 EUR per m3, leaving
    in 3 days for 6 hours, holding its own new truck through a trip allocation (as
    trip_publish does). Pass company=, truck=, origin_hub=, departs_at= ... to pin them."""

    class Meta:
        model = Trip

    company = factory.SubFactory(CompanyFactory)
    truck = factory.LazyAttribute(lambda o: TruckFactory(company=o.company))
    origin_hub = factory.SubFactory(HubFactory)
    destination_hub = factory.SubFactory(HubFactory)
    departs_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    )
    arrives_at = factory.LazyAttribute(lambda o: o.departs_at + timedelta(hours=6))
    departs_on_local = factory.LazyAttribute(
        lambda o: o.departs_at.astimezone(zoneinfo.ZoneInfo(o.origin_hub.timezone)).date()
    )
    capacity_m3 = Decimal("10.000")
    capacity_kg = Decimal("1000.000")
    price_per_m3 = Decimal("40.00")
    min_charge = Decimal("0.00")
    currency = factory.LazyAttribute(lambda o: o.company.currency)
    allocation = factory.LazyAttribute(_allocation)
