"""factory_boy factories for companies: Company, Membership, Truck, Driver, ServiceArea."""

from __future__ import annotations

from decimal import Decimal

import factory

from apps.companies.models import Company, Driver, Membership, ServiceArea, Truck
from apps.core.geo import circle_polygon, point_from_lat_lng
from tests.accounts.factories import UserFactory

LYON = (45.7640, 4.8357)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Movers {n}")
    slug = factory.Sequence(lambda n: f"movers-{n}")
    legal_name = factory.LazyAttribute(lambda o: f"{o.name} SAS")
    registration_number = factory.Sequence(lambda n: f"REG-{n:06d}")
    email = factory.LazyAttribute(lambda o: f"contact@{o.slug}.example")
    phone = "+33400000000"
    base_location = factory.LazyFunction(lambda: point_from_lat_lng(*LYON))
    currency = "EUR"
    timezone = "Europe/Paris"
    verification_status = Company.VerificationStatus.VERIFIED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    company = factory.SubFactory(CompanyFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.OWNER


class TruckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Truck

    company = factory.SubFactory(CompanyFactory)
    plate = factory.Sequence(lambda n: f"AB-{n:03d}-CD")
    label = "Box truck"
    capacity_m3 = Decimal("30.00")
    payload_kg = 3000


class DriverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Driver

    company = factory.SubFactory(CompanyFactory)
    membership = factory.SubFactory(
        MembershipFactory, company=factory.SelfAttribute("..company"), role=Membership.Role.DRIVER
    )
    licence_number = factory.Sequence(lambda n: f"DL-{n:06d}")
    phone = factory.Sequence(lambda n: f"+3367{n:07d}")


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea

    company = factory.SubFactory(CompanyFactory)
    name = "Metro area"
    area = factory.LazyFunction(
        lambda: circle_polygon(center=point_from_lat_lng(*LYON), radius_km=25)
    )


def geojson_square(*, lat: float, lng: float, half_side_deg: float = 0.1) -> dict:
    """A GeoJSON Polygon: a square around (lat, lng), counter-clockwise, closed."""
    south, north = lat - half_side_deg, lat + half_side_deg
    west, east = lng - half_side_deg, lng + half_side_deg
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


def square_area(*, lat: float, lng: float, half_side_deg: float = 0.1):
    """The same square as a stored MultiPolygon (for ServiceAreaFactory(area=...))."""
    from django.contrib.gis.geos import MultiPolygon, Polygon

    ring = geojson_square(lat=lat, lng=lng, half_side_deg=half_side_deg)["coordinates"][0]
    return MultiPolygon(Polygon(ring), srid=4326)
