"""`manage.py seed_demo`: idempotent demo data around Lyon, and the dev credentials to use it."""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts.models import User
from apps.companies.models import Company, Driver, Membership, ServiceArea, Truck
from apps.core.geo import circle_polygon, point_from_lat_lng
from apps.pricing import examples as pricing_examples
from apps.pricing.models import PricingConfig
from apps.pricing.services import pricing_config_save
from apps.verification.demo import demo_documents_ensure
from apps.verification.services import company_verification_recompute

# Demo accounts only ever exist in a local dev database; the password can be overridden.
DEMO_PASSWORD_ENV = "MOVEHUB_DEMO_PASSWORD"
DEMO_PASSWORD_DEFAULT = "movehub-demo"

COMPANIES: list[dict[str, Any]] = [
    {
        "slug": "rhone-removals",
        "pricing": pricing_examples.SMALL_LOCAL_MOVER,
        "name": "Rhône Removals",
        "registration_number": "FR-DEMO-0001",
        "base": (45.7640, 4.8357),  # Lyon centre
        "areas": [("Lyon metropolitan area", (45.7640, 4.8357), 30)],
        "trucks": [("LY-101-RR", "Big blue", "35.00", 3500), ("LY-102-RR", "Van", "12.00", 1200)],
        "drivers": [("driver1@rhone-removals.demo", "+33600000101", "DL-RR-0001")],
    },
    {
        "slug": "presquile-movers",
        "pricing": pricing_examples.CITY_PREMIUM_MOVER,
        "name": "Presqu'île Movers",
        "registration_number": "FR-DEMO-0002",
        "base": (45.7578, 4.8320),
        "areas": [("Lyon centre", (45.7578, 4.8320), 12), ("Villeurbanne", (45.7719, 4.8902), 6)],
        "trucks": [("LY-201-PM", "City truck", "20.00", 2000)],
        "drivers": [("driver1@presquile-movers.demo", "+33600000201", "DL-PM-0001")],
    },
    {
        "slug": "saone-transport",
        "pricing": pricing_examples.LONG_DISTANCE_SPECIALIST,
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
        "pricing": pricing_examples.SMALL_LOCAL_MOVER,
        "name": "Gerland Logistics",
        "registration_number": "FR-DEMO-0004",
        "base": (45.7260, 4.8320),
        "areas": [("South Lyon", (45.70, 4.85), 20)],
        "trucks": [("LY-401-GL", "Box truck", "30.00", 3000)],
        "drivers": [("driver1@gerland-logistics.demo", "+33600000401", "DL-GL-0001")],
    },
]

ADMIN_EMAIL = "admin@movehub.demo"
OWNER_EMAIL = "owner@rhone-removals.demo"
DISPATCHER_EMAIL = "dispatcher@rhone-removals.demo"
CUSTOMER_PHONE = "+33612345678"
CUSTOMER_EMAIL = "customer@movehub.demo"


def _user(*, email: str, password: str, phone: str | None = None, **extra: Any) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"phone": phone, "name": extra.pop("name", ""), **extra}
    )
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


class Command(BaseCommand):
    help = (
        "Load demo data (idempotent): companies around Lyon with approved documents (hence "
        "verified), staff, a customer."
    )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get(DEMO_PASSWORD_ENV, DEMO_PASSWORD_DEFAULT)
        admin = _user(
            email=ADMIN_EMAIL, password=password, name="Ada Admin", is_staff=True, is_superuser=True
        )
        owner = _user(email=OWNER_EMAIL, password=password, name="Olivia Owner")
        dispatcher = _user(email=DISPATCHER_EMAIL, password=password, name="Dan Dispatcher")
        User.objects.get_or_create(
            phone=CUSTOMER_PHONE, defaults={"email": CUSTOMER_EMAIL, "name": "Chloé Customer"}
        )

        for spec in COMPANIES:
            company = self._company(spec)
            if spec["slug"] == "rhone-removals":
                self._member(company, owner, Membership.Role.OWNER)
                self._member(company, dispatcher, Membership.Role.DISPATCHER)
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
                user = _user(email=email, password=password, phone=phone, name=f"Driver {licence}")
                membership = self._member(company, user, Membership.Role.DRIVER)
                Driver.objects.update_or_create(
                    membership=membership,
                    defaults={"company": company, "licence_number": licence, "phone": phone},
                )
            for name, (lat, lng), radius_km in spec["areas"]:
                ServiceArea.objects.update_or_create(
                    company=company,
                    name=name,
                    defaults={
                        "area": circle_polygon(
                            center=point_from_lat_lng(lat, lng), radius_km=radius_km
                        )
                    },
                )
            # Approved, unexpired documents; the status comes from the verification service.
            demo_documents_ensure(company=company, reviewer=admin)
            company_verification_recompute(company=company, reason="Demo data (seed_demo).")
            # Pricing rules: version 1 from apps/pricing/examples.py, never re-saved (a second
            # run would otherwise add a version every time).
            if not PricingConfig.objects.filter(company=company).exists():
                rules = {key: value for key, value in spec["pricing"].items() if key != "currency"}
                pricing_config_save(company=company, document=rules, actor=owner)

        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
        self.stdout.write(
            "Dev credentials (local demo only):\n"
            f"  admin       {ADMIN_EMAIL} / {password}   -> /admin/\n"
            f"  owner       {OWNER_EMAIL} / {password}   (Rhône Removals)\n"
            f"  dispatcher  {DISPATCHER_EMAIL} / {password}\n"
            f"  driver      driver1@rhone-removals.demo / {password}\n"
            f"  customer    {CUSTOMER_PHONE} or {CUSTOMER_EMAIL}: one-time code, then\n"
            f"              python manage.py outbox --to {CUSTOMER_PHONE} --last"
        )

    def _company(self, spec: dict[str, Any]) -> Company:
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

    def _member(self, company: Company, user: User, role: str) -> Membership:
        membership, _ = Membership.objects.update_or_create(
            company=company, user=user, defaults={"role": role, "is_active": True}
        )
        return membership
