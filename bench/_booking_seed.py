"""bench/booking.py's database: its own PostgreSQL database, 50 ready companies, fresh bookings.

Not a benchmark itself (the Makefile's `bench` target runs bench/[!_]*.py). The database
`movehub_bench_booking` is created, given PostGIS and migrated on first use; the companies are
seeded once (with the tests' factories, which know what a valid document or pricing version is)
and reused while their documents stay valid. Every run then starts from empty booking tables
(TRUNCATE, which the append-only triggers do not cover) and creates the bookings it schedules.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import _benchdb as benchdb  # bench/ is on sys.path when a bench runs

BENCH_DB = "movehub_bench_booking"
COMPANIES = 50
SLUG = "bench-booking-"
LYON = (45.7640, 4.8357)
LYON_EAST = (45.7500, 4.8500)  # 2.5 km by road from LYON; both inside every company's area
SETTINGS = "movehub.settings.test"  # DEBUG off, the dev outbox; not dev (DEBUG on)
# The server and the in-process passes: throttles still run (Redis round trips) with rates
# that a benchmark does not hit; tasks queued on commit go to a queue of their own (nobody
# consumes it; the script deletes it) so that no worker of the dev database picks them up.
SERVER_ENV = {
    "THROTTLE_ANON": "100000000/min",
    "THROTTLE_USER": "100000000/min",
    "MOVEHUB_TEST_RUN_ID": "bench-booking",
    "CELERY_TASK_DEFAULT_QUEUE": "movehub-bench-booking",
    "LOG_LEVEL": "WARNING",
}
# After the TRUNCATE each bookings table's ids start in a range of their own, so that an id in
# a captured statement says which table it belongs to (the floor replay maps them; see
# booking.py). Company, truck, driver and user ids stay far below the first range.
ID_RANGE = 10_000_000


@dataclass(frozen=True)
class Fleet:
    """One seeded company: its dispatcher, one truck (30 m3) and two drivers, all assignable."""

    company_id: int
    dispatcher_id: int
    token: str
    truck_id: int
    driver_ids: tuple[int, int]


def bench_database_url() -> str:
    return benchdb.bench_database_url(BENCH_DB)


def database_prepare(url: str) -> None:
    """Create the bench database (PostGIS on) if missing, point Django at it, migrate."""
    benchdb.database_create_if_missing(url)
    benchdb.django_start(url, settings=SETTINGS, env=SERVER_ENV)


def _token(user) -> str:
    from rest_framework_simplejwt.tokens import RefreshToken

    return str(RefreshToken.for_user(user).access_token)


def seed() -> tuple[list[Fleet], int, bool]:
    """The 50 companies (seeded now unless reusable), and the customer's id; (.., reused)."""
    from django.db import transaction
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.companies.models import Company, Driver, Membership, Truck
    from apps.verification.models import Document

    reusable = (
        Company.objects.filter(slug__startswith=SLUG).count() == COMPANIES
        and not Document.objects.filter(
            company__slug__startswith=SLUG,
            expires_on__lt=timezone.localdate() + timedelta(days=120),
        ).exists()
        and User.objects.filter(email="bench-booking-customer@example.com").exists()
    )
    if not reusable:
        with transaction.atomic():
            _seed_companies()
    fleets = []
    for company in Company.objects.filter(slug__startswith=SLUG).order_by("slug"):
        dispatcher = Membership.objects.get(company=company, role=Membership.Role.DISPATCHER).user
        drivers = Driver.objects.filter(company=company).order_by("pk").values_list("pk", flat=True)
        fleets.append(
            Fleet(
                company_id=company.pk,
                dispatcher_id=dispatcher.pk,
                token=_token(dispatcher),
                truck_id=Truck.objects.get(company=company).pk,
                driver_ids=(drivers[0], drivers[1]),
            )
        )
    customer = User.objects.get(email="bench-booking-customer@example.com")
    return fleets, customer.pk, reusable


def _seed_companies() -> None:
    from apps.accounts.models import User
    from apps.companies.models import Company, Membership
    from apps.core.geo import circle_polygon, point_from_lat_lng
    from apps.verification.models import Document
    from tests.accounts.factories import CustomerFactory
    from tests.bookings.quoting import rules_with_rate
    from tests.companies.factories import (
        CompanyFactory,
        DriverFactory,
        MembershipFactory,
        ServiceAreaFactory,
        TruckFactory,
    )
    from tests.pricing.factories import PricingConfigFactory, stored_rules
    from tests.verification.factories import DocumentFactory

    old = Company.objects.filter(slug__startswith=SLUG)
    if old.exists():
        raise SystemExit(
            f"The seed in {BENCH_DB} is stale (documents expiring or companies missing): "
            f'drop the database (DROP DATABASE "{BENCH_DB}") and run again.'
        )
    User.objects.filter(email="bench-booking-customer@example.com").delete()
    CustomerFactory(email="bench-booking-customer@example.com")
    rng = random.Random(20_261_201)
    for index in range(COMPANIES):
        company = CompanyFactory(
            name=f"Bench Booking {index:02d}",
            slug=f"{SLUG}{index:02d}",
            base_location=point_from_lat_lng(LYON[0] + rng.uniform(-0.1, 0.1), LYON[1]),
        )
        MembershipFactory(company=company, role=Membership.Role.OWNER)
        MembershipFactory(company=company, role=Membership.Role.DISPATCHER)
        truck = TruckFactory(company=company, capacity_m3=Decimal("30.00"))
        drivers = [DriverFactory(company=company) for _ in range(2)]
        ServiceAreaFactory(
            company=company,
            area=circle_polygon(center=point_from_lat_lng(*LYON), radius_km=rng.uniform(20, 40)),
        )
        rate = 70 + index  # 50 different prices
        PricingConfigFactory(
            company=company, version=1, rules=stored_rules(rules_with_rate(str(rate)))
        )
        DocumentFactory(company=company, approved=True)
        DocumentFactory(company=company, kind=Document.Kind.OPERATING_LICENCE, approved=True)
        DocumentFactory(
            company=company, kind=Document.Kind.TRUCK_REGISTRATION, truck=truck, approved=True
        )
        for driver in drivers:
            DocumentFactory(
                company=company, kind=Document.Kind.DRIVER_LICENCE, driver=driver, approved=True
            )


def booking_tables_reset() -> None:
    """Empty every bookings table (and idempotency records), ids restarting in own ranges."""
    from django.apps import apps
    from django.db import connection

    from apps.core.models import IdempotencyRecord

    models = [*apps.get_app_config("bookings").get_models(), IdempotencyRecord]
    tables = sorted(model._meta.db_table for model in models)
    columns = {  # the auto-increment id column, if any (not InvoiceCounter's company key)
        model._meta.db_table: model._meta.pk.column
        if model._meta.pk.get_internal_type() in {"AutoField", "BigAutoField"}
        else None
        for model in models
    }
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        for number, table in enumerate(tables, start=1):
            column = columns[table]
            if column is not None:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s, false)",
                    [table, column, number * ID_RANGE],
                )


def bookings_create(*, fleets: list[Fleet], customer_id: int, count: int) -> list[int]:
    """`count` confirmed bookings, the i-th of fleets[i % len(fleets)]'s company (bulk rows:
    request, accepted quote, booking). Their ids, in that order."""
    from django.db import transaction
    from django.utils import timezone

    from apps.bookings.models import Booking, MoveRequest, Quote
    from apps.core.geo import point_from_lat_lng
    from apps.pricing.models import PricingConfig

    configs = {
        config.company_id: config
        for config in PricingConfig.objects.filter(company_id__in=[f.company_id for f in fleets])
    }
    day = timezone.localdate() + timedelta(days=3)
    with transaction.atomic():
        requests = MoveRequest.objects.bulk_create(
            MoveRequest(
                customer_id=customer_id,
                origin=point_from_lat_lng(*LYON),
                destination=point_from_lat_lng(*LYON_EAST),
                origin_address="1 Place Bellecour, 69002 Lyon",
                destination_address="10 Cours Gambetta, 69003 Lyon",
                move_date=day,
                inventory=[{"item": "box_medium", "quantity": 20}],
            )
            for _ in range(count)
        )
        quotes = Quote.objects.bulk_create(
            Quote(
                move_request=request,
                company_id=fleets[index % len(fleets)].company_id,
                pricing_config=configs[fleets[index % len(fleets)].company_id],
                status=Quote.Status.ACCEPTED,
                lines=[
                    {
                        "code": "labour",
                        "label": "Crew of 2, 3.00 h",
                        "quantity": "3.00",
                        "unit_price": "80.00",
                        "amount": "240.00",
                    }
                ],
                subtotal=Decimal("240.00"),
                tax=Decimal("48.00"),
                total=Decimal("288.00"),
                tax_rate_percent=Decimal("20.000"),
                currency="EUR",
                estimated_hours=Decimal("3.00"),
                crew_size=2,
                volume_m3=Decimal("12.000"),
                distance_km=Decimal("2.50"),
                expires_at=timezone.now() + timedelta(hours=48),
            )
            for index, request in enumerate(requests)
        )
        bookings = Booking.objects.bulk_create(
            Booking(
                company_id=quote.company_id,
                customer_id=customer_id,
                move_request=quote.move_request,
                quote=quote,
                currency="EUR",
                total=quote.total,
                handover_code=f"{index % 10**6:06d}",
            )
            for index, quote in enumerate(quotes)
        )
    return [booking.pk for booking in bookings]


def customer_token(customer_id: int) -> str:
    from apps.accounts.models import User

    return _token(User.objects.get(pk=customer_id))
