"""Benchmark: cargo — (a) 100 clients racing for 50 m3 through the real server, several runs.

Run from the repo root: .venv/bin/python bench/cargo.py [--runs R] [--clients N] [--capacity C]
    [--workers W]

Uses its own database `movehub_bench_cargo_reserve` on the local PostgreSQL (created, PostGIS on
and migrated on first run; dev data untouched), seeded once with a verified company, its truck, two
hubs and N customers. Every run publishes a fresh trip of C m3 (its own day, so the truck's
allocations never overlap), then N clients, each with its own token and Idempotency-Key, POST
/api/v1/cargo/shipments/ for 1 m3 at once through the real server (uvicorn
movehub.asgi:application, test settings: DEBUG off; 127.0.0.1 on a free port; httpx clients).

(a) Expect, in EVERY run: exactly C x 201, N - C x 409 capacity_exhausted, no other answer, and
    the trip's sold_m3 == C in the database (zero overbooking). Reported: reservation requests
    answered per second (all N, from the first request to the last answer) and won per second.
(b) Then, unless --skip-search, the route-search benchmark (bench/_cargo_search.py, its own
    process and database): 5,000 trips over 40 hubs, p50/p95 through the real server with the
    cache off (cold) and on (warm), beside the bare SQL of the same query in the same run
    (targets: warm p95 < 20 ms, cold p95 < 150 ms). Its figures join cargo.json as `search_*`.
Writes var/bench/cargo.json (and the search bench's own var/bench/cargo_search.json).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import _benchdb as benchdb  # noqa: E402 (bench/ is on sys.path when a bench runs)
from company_search import free_port, server_start, server_wait  # noqa: E402

BENCH_DB = "movehub_bench_cargo_reserve"  # its own: the search bench seeds another
SETTINGS = "movehub.settings.test"  # DEBUG off; not dev (DEBUG on)
SLUG = "bench-cargo"
HUBS = (("BER", "Berlin", 13.40, 52.52), ("LEJ", "Leipzig", 12.37, 51.34))
# Throttles still run with rates a benchmark does not hit; tasks queued on commit go to a queue
# of their own (nobody consumes it; deleted at the end) so no worker of the dev database runs them.
SERVER_ENV = {
    "THROTTLE_ANON": "100000000/min",
    "THROTTLE_USER": "100000000/min",
    "MOVEHUB_TEST_RUN_ID": "bench-cargo",
    "CELERY_TASK_DEFAULT_QUEUE": "movehub-bench-cargo",
    "LOG_LEVEL": "WARNING",
}


def database_url() -> str:
    return benchdb.bench_database_url(BENCH_DB)


def database_prepare(url: str) -> None:
    """Create the bench database (PostGIS on) if missing, point Django at it, migrate."""
    benchdb.database_create_if_missing(url)
    benchdb.django_start(url, settings=SETTINGS, env=SERVER_ENV)


def seed(customers: int):
    """The company's owner and truck (verified company, an assignable 60 m3 truck), hubs BER
    and LEJ, and `customers` customers (phone only: a booking sends them no e-mail or SMS task).
    Reused when present."""
    from django.contrib.gis.geos import Point
    from django.db import transaction

    from apps.accounts.models import User
    from apps.cargo.models import Hub
    from apps.companies.models import Company, Membership, Truck
    from apps.verification.models import Document
    from tests.companies.factories import CompanyFactory, MembershipFactory, TruckFactory
    from tests.verification.factories import DocumentFactory

    with transaction.atomic():
        company = Company.objects.filter(slug=SLUG).first()
        if company is None:
            company = CompanyFactory(name="Bench Cargo", slug=SLUG, currency="EUR")
            MembershipFactory(company=company, role=Membership.Role.OWNER)
            truck = TruckFactory(company=company, capacity_m3=Decimal("60"), payload_kg=20_000)
            DocumentFactory(
                company=company,
                kind=Document.Kind.TRUCK_REGISTRATION,
                truck=truck,
                approved=True,
                expires_on=datetime.now(UTC).date() + timedelta(days=3650),
            )
        truck = Truck.objects.get(company=company)
        owner = Membership.objects.get(company=company, role=Membership.Role.OWNER).user
        for code, name, lng, lat in (
            ("BER", "Berlin", 13.40, 52.52),
            ("LEJ", "Leipzig", 12.37, 51.34),
        ):
            Hub.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "location": Point(lng, lat, srid=4326),
                    "timezone": "Europe/Berlin",
                },
            )
        have = User.objects.filter(phone__startswith="+4915900").count()
        User.objects.bulk_create(
            User(phone=f"+4915900{index:05d}", name=f"Bench customer {index}")
            for index in range(have, customers)
        )
    users = list(User.objects.filter(phone__startswith="+4915900").order_by("phone")[:customers])
    return owner, truck, users


def trip_publish(owner, truck, day: int, capacity: Decimal):
    """A fresh trip `day` days from now, published by the service (the truck is held through
    its allocation; free_day picks a day the truck is free)."""
    from apps.cargo.trip_services import trip_publish as publish

    departs = datetime.now(UTC).replace(hour=6, minute=0, second=0, microsecond=0)
    departs += timedelta(days=day)
    return publish(
        actor=owner,
        truck_id=truck.pk,
        origin_code="BER",
        destination_code="LEJ",
        departs_at=departs,
        arrives_at=departs + timedelta(hours=4),
        capacity_m3=capacity,
        capacity_kg=Decimal("10000"),
        price_per_m3=Decimal("35.00"),
    )


def free_day(truck) -> int:
    """The first day from tomorrow on which the truck holds no live allocation."""
    from apps.bookings.models import TruckAllocation

    latest = (
        TruckAllocation.objects.filter(truck=truck, released_at__isnull=True)
        .order_by("-period")
        .first()
    )
    if latest is None:
        return 1
    return max(1, (latest.period.upper - datetime.now(UTC)).days + 2)


def tokens_for(users) -> list[str]:
    from rest_framework_simplejwt.tokens import RefreshToken

    return [str(RefreshToken.for_user(user).access_token) for user in users]


async def race(port: int, tokens: list[str], trip_id: int) -> dict:
    import httpx

    body = {"legs": [trip_id], "volume_m3": "1.000", "weight_kg": "10.000"}
    limits = httpx.Limits(max_connections=len(tokens), max_keepalive_connections=len(tokens))
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=120
    ) as client:
        # Open every connection first, so that the POSTs leave together.
        await asyncio.gather(*(client.get("/health/") for _ in tokens))
        started = time.perf_counter()
        responses = await asyncio.gather(
            *(
                client.post(
                    "/api/v1/cargo/shipments/",
                    json=body,
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Idempotency-Key": uuid.uuid4().hex,
                    },
                )
                for token in tokens
            )
        )
        elapsed = time.perf_counter() - started
    counts: dict[str, int] = {}
    for response in responses:
        key = str(response.status_code)
        if response.status_code == 409:
            key += " " + response.json()["error"]["code"]
        counts[key] = counts.get(key, 0) + 1
    return {"statuses": counts, "seconds": elapsed}


def queue_delete() -> None:
    import redis
    from django.conf import settings

    queue = SERVER_ENV["CELERY_TASK_DEFAULT_QUEUE"]
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete(queue, f"_kombu.binding.{queue}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--capacity", type=int, default=50, help="m3 on each run's trip")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--skip-search", action="store_true", help="part (a) only")
    args = parser.parse_args()

    url = database_url()
    database_prepare(url)
    owner, truck, users = seed(args.clients)
    tokens = tokens_for(users)
    capacity = Decimal(args.capacity)
    from apps.cargo.models import Trip

    port = free_port()
    server = server_start(url, port, SETTINGS, args.workers)
    runs = []
    try:
        server_wait(port, server)
        day = free_day(truck)
        for number in range(args.runs):
            trip = trip_publish(owner, truck, day + number, capacity)
            outcome = asyncio.run(race(port, tokens, trip.pk))
            outcome["sold_m3"] = float(Trip.objects.get(pk=trip.pk).sold_m3)
            runs.append(outcome)
    finally:
        server.terminate()
        server.wait(timeout=15)
    queue_delete()

    expected = {"201": args.capacity, "409 capacity_exhausted": args.clients - args.capacity}
    print(f"(a) {args.clients} clients x 1 m3 on a {args.capacity} m3 trip, {args.runs} runs")
    print(f"{'run':>4} {'201':>5} {'409':>5} {'other':>6} {'sold_m3':>8} {'req/s':>8} {'won/s':>8}")
    exact = 0
    for number, run in enumerate(runs, start=1):
        statuses = run["statuses"]
        other = sum(n for key, n in statuses.items() if key not in expected)
        ok = statuses == expected and run["sold_m3"] == args.capacity
        exact += ok
        print(
            f"{number:>4} {statuses.get('201', 0):>5} "
            f"{statuses.get('409 capacity_exhausted', 0):>5} {other:>6} {run['sold_m3']:>8.1f} "
            f"{args.clients / run['seconds']:>8.1f} {args.capacity / run['seconds']:>8.1f}"
            f"{'' if ok else '  <- NOT EXACT'}"
        )
    figures = {
        "runs_exact": exact,
        "runs": len(runs),
        "overbooked_runs": sum(run["sold_m3"] > args.capacity for run in runs),
        "max_sold_m3": max(run["sold_m3"] for run in runs),
        "requests_per_s_median": statistics.median(args.clients / r["seconds"] for r in runs),
        "reservations_per_s_median": statistics.median(args.capacity / r["seconds"] for r in runs),
        "race_ms_median": statistics.median(r["seconds"] * 1000 for r in runs),
    }
    print(
        f"exact runs: {exact}/{len(runs)} (target {len(runs)}/{len(runs)}); "
        f"reservations/s (median): {figures['reservations_per_s_median']:.1f}"
    )
    params = {
        "runs": args.runs,
        "clients": args.clients,
        "capacity_m3": args.capacity,
        "volume_per_client_m3": 1,
        "server": f"uvicorn movehub.asgi:application, {SETTINGS}",
        "workers": args.workers,
        "database": BENCH_DB,
        "cpus": os.cpu_count(),
    }
    if not args.skip_search:
        import _cargo_search  # bench/ is on sys.path when this file runs as a script

        print("(b) route search over 5,000 trips and 40 hubs")
        search = _cargo_search.run_search_bench()
        figures.update({f"search_{name}": value for name, value in search["figures"].items()})
        params["search"] = search["params"]
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"name": "cargo", "params": params, "figures": figures}, indent=2)
    (out / "cargo.json").write_text(text + "\n")
    print(f"wrote {out / 'cargo.json'}")
    if exact != len(runs):
        sys.exit(1)


if __name__ == "__main__":
    main()
