"""bench/gps_ingest.py's database: its own PostGIS database, N drivers each on an in-progress job.

Not a benchmark itself. The database `movehub_bench_gps` is created and migrated on first use;
one company ("bench-gps") gets N drivers, N trucks and N in-progress bookings (each with live
allocations of its truck and driver; the tests' factories build valid rows). A later run with
the same N reuses them (their periods and start moved to now); another N recreates the database.
Every run starts from empty position tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import _benchdb as benchdb  # bench/ is on sys.path when a bench runs

BENCH_DB = "movehub_bench_gps"
SLUG = "bench-gps"
SETTINGS = "movehub.settings.test"  # DEBUG off; not dev (DEBUG on)
SERVER_ENV = {
    "MOVEHUB_TEST_RUN_ID": "bench-gps",  # the cache and channel-layer prefix of this benchmark
    "CELERY_TASK_DEFAULT_QUEUE": "movehub-bench-gps",  # nobody consumes it
    "LOG_LEVEL": "WARNING",
    "PRICING_ROUTE_PROVIDER": "geodesic",  # ETA without a network call
}


@dataclass(frozen=True)
class Job:
    """One simulated driver: its JWT, its booking, and the JWTs of the booking's two watchers."""

    driver_token: str
    booking_id: int
    watcher_tokens: tuple[str, str]  # the booking's customer, the company's owner


def bench_database_url() -> str:
    return benchdb.bench_database_url(BENCH_DB)


def _seeded_drivers(url: str) -> int:
    """Drivers of the bench company in the existing database (-1: not migrated yet)."""
    import psycopg

    with psycopg.connect(benchdb.libpq_url(url), autocommit=True) as conn:
        try:
            row = conn.execute(
                "SELECT count(*) FROM companies_driver d JOIN companies_company c"
                " ON c.id = d.company_id WHERE c.slug = %s",
                [SLUG],
            ).fetchone()
        except psycopg.Error:
            return -1
    return row[0] if row else 0


def database_prepare(url: str, *, drivers: int) -> None:
    """Create (or, for another N, recreate) the bench database, point Django at it, migrate."""
    if benchdb.database_exists(url) and _seeded_drivers(url) not in (0, drivers):
        benchdb.database_drop(url)
    benchdb.database_create_if_missing(url)
    benchdb.django_start(url, settings=SETTINGS, env=SERVER_ENV)


def seed(*, drivers: int) -> tuple[list[Job], bool]:
    """N jobs (seeded now unless already there), positions emptied, periods moved to now."""
    from django.db import transaction
    from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
    from django.utils import timezone
    from rest_framework_simplejwt.tokens import AccessToken

    from apps.accounts.models import User
    from apps.bookings.models import Booking, DriverAllocation, TruckAllocation
    from apps.companies.models import Company, Driver, Membership
    from apps.tracking.models import Position, TruckLastPosition

    reused = Company.objects.filter(slug=SLUG).exists()
    if not reused:
        with transaction.atomic():
            _seed_jobs(drivers)
    company = Company.objects.get(slug=SLUG)
    now = timezone.now()
    period = DateTimeTZRange(now - timedelta(hours=1), now + timedelta(hours=6))
    with transaction.atomic():
        Position.objects.all().delete()
        TruckLastPosition.objects.all().delete()
        TruckAllocation.objects.filter(company=company).update(period=period)
        DriverAllocation.objects.filter(company=company).update(period=period)
        Booking.objects.filter(company=company).update(
            scheduled_start=period.lower,
            scheduled_end=period.upper,
            started_at=now - timedelta(seconds=5),
            status=Booking.Status.IN_PROGRESS,
        )
    owner = Membership.objects.get(company=company, role=Membership.Role.OWNER).user
    owner_token = str(AccessToken.for_user(owner))
    users = User.objects.in_bulk(
        list(Booking.objects.filter(company=company).values_list("customer_id", flat=True))
    )
    jobs = []
    for allocation in DriverAllocation.objects.filter(company=company).order_by("pk"):
        booking = Booking.objects.only("customer_id").get(pk=allocation.booking_id)
        driver = Driver.objects.select_related("membership__user").get(pk=allocation.driver_id)
        jobs.append(
            Job(
                driver_token=str(AccessToken.for_user(driver.membership.user)),
                booking_id=booking.pk,
                watcher_tokens=(str(AccessToken.for_user(users[booking.customer_id])), owner_token),
            )
        )
    return jobs, reused


def _seed_jobs(count: int) -> None:
    from django.utils import timezone

    from apps.bookings.models import Booking
    from apps.companies.models import Membership
    from tests.bookings.lifecycle_support import booking_in
    from tests.companies.factories import (
        CompanyFactory,
        DriverFactory,
        MembershipFactory,
        TruckFactory,
    )

    company = CompanyFactory(name="Bench GPS", slug=SLUG)
    MembershipFactory(company=company, role=Membership.Role.OWNER)
    namespace = type("Namespace", (), {"company": company})
    start = timezone.now() - timedelta(hours=1)
    for index in range(count):
        crew = (
            TruckFactory(company=company, plate=f"GPS-{index:05d}"),
            DriverFactory(company=company, licence_number=f"GPS-{index:05d}"),
        )
        booking_in(Booking.Status.IN_PROGRESS, company=namespace, start=start, crew=crew)
