"""`manage.py seed_demo`: idempotent demo data around Lyon, and the dev credentials to use it.

Each app contributes its own demo data (`apps/<app>/demo.py`); this command only calls them,
lowest layer first: accounts, companies, verification, pricing, bookings (the staffed company's
past seven weeks, then its jobs of today and tomorrow), tracking (trucks that never reported,
parked at their base), cargo (hubs and shared-load trips of tomorrow and the day after).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts.demo import (
    ADMIN_EMAIL,
    CUSTOMER_EMAIL,
    CUSTOMER_PHONE,
    demo_accounts_ensure,
    demo_password,
)
from apps.bookings.demo import demo_jobs_ensure
from apps.bookings.demo_history import demo_history_ensure
from apps.cargo.demo import demo_trips_ensure
from apps.companies.demo import (
    DISPATCHER_EMAIL,
    OWNER_EMAIL,
    STAFFED_COMPANY_SLUG,
    demo_companies_ensure,
)
from apps.pricing.demo import demo_pricing_ensure
from apps.tracking.demo import demo_fleet_positions_ensure
from apps.verification.demo import demo_verification_ensure


class Command(BaseCommand):
    help = (
        "Load demo data (idempotent): companies around Lyon with approved documents (hence "
        "verified), staff, a customer, seven weeks of past jobs, today's and tomorrow's jobs, "
        "trucks on the map, cargo hubs and trips."
    )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        password = demo_password()
        accounts = demo_accounts_ensure(password=password)
        staffed = demo_companies_ensure(password=password)
        for company in staffed.companies:
            demo_verification_ensure(company=company, reviewer=accounts.admin)
            demo_pricing_ensure(company=company, actor=staffed.owner)
        for company in staffed.companies:
            if company.slug == STAFFED_COMPANY_SLUG:
                past = demo_history_ensure(
                    company=company, customer=accounts.customer, dispatcher=staffed.dispatcher
                )
                self.stdout.write(f"Demo history of {company.name}: {past} past jobs added.")
                jobs = demo_jobs_ensure(
                    company=company, customer=accounts.customer, dispatcher=staffed.dispatcher
                )
                self.stdout.write(f"Demo jobs of {company.name}: {len(jobs)}.")
            demo_fleet_positions_ensure(company=company)
        trips = demo_trips_ensure()
        self.stdout.write(f"Demo cargo trips (tomorrow and the day after): {len(trips)}.")

        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
        self.stdout.write(
            "Dev credentials (local demo only):\n"
            f"  admin       {ADMIN_EMAIL} / {password}   -> /admin/\n"
            f"  owner       {OWNER_EMAIL} / {password}   (Rhône Removals)\n"
            f"              owner@<slug>.demo / {password} for each other demo company\n"
            f"  dispatcher  {DISPATCHER_EMAIL} / {password}\n"
            f"  driver      driver1@rhone-removals.demo / {password}\n"
            f"  customer    {CUSTOMER_PHONE} or {CUSTOMER_EMAIL}: one-time code, then\n"
            f"              .venv/bin/python manage.py outbox --to {CUSTOMER_PHONE} --last"
        )
