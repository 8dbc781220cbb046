"""Demo companies for seed_demo: four moving companies around Lyon with staff, trucks, drivers and
service areas. Idempotent: rows are found by their natural keys and updated, never duplicated.

Every company has an owner, `owner@<slug>.demo`, so whichever company quotes cheapest can be
booked end to end (docs/booking-walk.sh); Rhône Removals also has a dispatcher."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.accounts.demo import demo_user_ensure
from apps.accounts.models import User
from apps.companies.models import Company, Driver, Membership, ServiceArea, Truck
from apps.core.geo import circle_polygon, point_from_lat_lng

OWNER_EMAIL = "owner@rhone-removals.demo"
DISPATCHER_EMAIL = "dispatcher@rhone-removals.demo"
STAFFED_COMPANY_SLUG = "rhone-removals"  # the company whose owner and dispatcher you sign in as


def owner_email(slug: str) -> str:
    """The demo owner of the company with this slug (OWNER_EMAIL for Rhône Removals)."""
    return f"owner@{slug}.demo"


COMPANIES: list[dict[str, Any]] = [
    {
        "slug": "rhone-removals",
        "name": "Rhône Removals",
        "registration_number": "FR-DEMO-0001",
        "base": (45.7640, 4.8357),  # Lyon centre
        "areas": [("Lyon metropolitan area", (45.7640, 4.8357), 30)],
        "trucks": [("LY-101-RR", "Big blue", "35.00", 3500), ("LY-102-RR", "Van", "12.00", 1200)],
        "drivers": [("driver1@rhone-removals.demo", "+33600000101", "DL-RR-0001")],
    },
    {
        "slug": "presquile-movers",
        "name": "Presqu'île Movers",
        "registration_number": "FR-DEMO-0002",
        "base": (45.7578, 4.8320),
        "areas": [("Lyon centre", (45.7578, 4.8320), 12), ("Villeurbanne", (45.7719, 4.8902), 6)],
        "trucks": [("LY-201-PM", "City truck", "20.00", 2000)],
        "drivers": [("driver1@presquile-movers.demo", "+33600000201", "DL-PM-0001")],
    },
    {
        "slug": "saone-transport",
        "name": "Saône Transport",
        "registration_number": "FR-DEMO-0003",
        "base": (45.8336, 4.8263),  # Caluire
        "areas": [("North Lyon and Saône valley", (45.90, 4.80), 35)],
        "trucks": [
            ("LY-301-ST", "Long hauler", "45.00", 7000),
            ("LY-302-ST", "Medium", "25.00", 2500),
        ],
        "drivers": [
            ("driver1@saone-transport.demo", "+33600000301", "DL-ST-0001"),
            ("driver2@saone-transport.demo", "+33600000302", "DL-ST-0002"),
        ],
    },
    {
        "slug": "gerland-logistics",
        "name": "Gerland Logistics",
        "registration_number": "FR-DEMO-0004",
        "base": (45.7260, 4.8320),
        "areas": [("South Lyon", (45.70, 4.85), 20)],
        "trucks": [("LY-401-GL", "Box truck", "30.00", 3000)],
        "drivers": [("driver1@gerland-logistics.demo", "+33600000401", "DL-GL-0001")],
    },
]


@dataclass(frozen=True)
class DemoCompanies:
    companies: list[Company]
    owner: User
    dispatcher: User


def demo_companies_ensure(*, password: str) -> DemoCompanies:
    """The demo companies (status left to verification), their staff, trucks and areas."""
    owner = demo_user_ensure(email=OWNER_EMAIL, password=password, name="Olivia Owner")
    dispatcher = demo_user_ensure(email=DISPATCHER_EMAIL, password=password, name="Dan Dispatcher")
    companies = []
    for spec in COMPANIES:
        company = _company(spec)
        if spec["slug"] == STAFFED_COMPANY_SLUG:
            _member(company, owner, Membership.Role.OWNER)
            _member(company, dispatcher, Membership.Role.DISPATCHER)
        else:
            other_owner = demo_user_ensure(
                email=owner_email(spec["slug"]),
                password=password,
                name=f"Owner of {spec['name']}",
            )
            _member(company, other_owner, Membership.Role.OWNER)
        for plate, label, capacity, payload in spec["trucks"]:
            Truck.objects.update_or_create(
                company=company,
                plate=plate,
                defaults={
                    "label": label,
                    "capacity_m3": Decimal(capacity),
                    "payload_kg": payload,
                    "home_location": point_from_lat_lng(*spec["base"]),
                },
            )
        for email, phone, licence in spec["drivers"]:
            user = demo_user_ensure(
                email=email, password=password, phone=phone, name=f"Driver {licence}"
            )
            membership = _member(company, user, Membership.Role.DRIVER)
            Driver.objects.update_or_create(
                membership=membership,
                defaults={"company": company, "licence_number": licence, "phone": phone},
            )
        for name, (lat, lng), radius_km in spec["areas"]:
            ServiceArea.objects.update_or_create(
                company=company,
                name=name,
                defaults={
                    "area": circle_polygon(center=point_from_lat_lng(lat, lng), radius_km=radius_km)
                },
            )
        companies.append(company)
    return DemoCompanies(companies=companies, owner=owner, dispatcher=dispatcher)


def _company(spec: dict[str, Any]) -> Company:
    company, _ = Company.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            "name": spec["name"],
            "legal_name": f"{spec['name']} SAS",
            "registration_number": spec["registration_number"],
            "email": f"contact@{spec['slug']}.demo",
            "phone": "+33400000000",
            "base_location": point_from_lat_lng(*spec["base"]),
            "currency": "EUR",
            "timezone": "Europe/Paris",
        },
    )
    return company


def _member(company: Company, user: User, role: str) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        company=company, user=user, defaults={"role": role, "is_active": True}
    )
    return membership
