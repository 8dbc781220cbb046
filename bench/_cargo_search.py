"""Benchmark (b) of the cargo issue: route search over 5,000 trips and 40 hubs, cold and warm.

Run from the repo root: .venv/bin/python bench/_cargo_search.py [--requests N] [--seed S]
(bench/cargo.py runs it through `run_search_bench`, in a process of its own.)

Uses its own database `movehub_bench_cargo` on the local PostgreSQL (created, PostGIS on and
migrated on first run; dev data untouched). Hubs (40, in 13 time zones) and companies (20
verified with 5 trucks each, 2 pending) are seeded once; every run replaces the trips with
5,000 fresh ones leaving over the next 11 days (a trip without its truck allocation: search
does not read it), 2-14 h long, partly sold, 10 % in CHF, 9 % of a pending company.

Then, for N distinct searches (origin, destination, local date, volume, weight):
- cold: the real server (uvicorn movehub.asgi:application, test settings: DEBUG off) with the
  route cache off (CARGO_ROUTE_CACHE_SECONDS=0), sequential requests;
- warm: a second server with the cache on; one pass fills the cache (the misses), the measured
  pass repeats the same searches (all hits);
- floor: the bare one-stop SQL (apps.cargo.search.ROUTES_SQL, the statement the view runs, with
  the same parameters) on a plain psycopg connection;
- the invalidation's own query (routes_invalidate_scopes), in-process.
Prints a table and the ratios, the EXPLAIN (ANALYZE) of one search, and writes
var/bench/cargo_search.json. Targets: warm p95 < 20 ms, cold p95 < 150 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import _benchdb as benchdb  # noqa: E402 (bench/ is on sys.path when a bench runs)
from _benchdb import libpq_url  # noqa: E402
from company_search import free_port, percentile, server_wait  # noqa: E402

NAME = "cargo_search"

BENCH_DB = "movehub_bench_cargo"
SETTINGS = "movehub.settings.test"  # DEBUG off
TRIPS = 5_000
DAYS = 11
COMPANIES, PENDING_COMPANIES, TRUCKS_PER_COMPANY = 20, 2, 5
SLUG = "bench-cargo-"
TARGET_WARM_P95_MS = 20.0
TARGET_COLD_P95_MS = 150.0
# (code, name, lat, lng, time zone): 40 hubs.
HUBS = [
    ("BER", "Berlin", 52.52, 13.40, "Europe/Berlin"),
    ("HAM", "Hamburg", 53.55, 9.99, "Europe/Berlin"),
    ("MUC", "Munich", 48.14, 11.58, "Europe/Berlin"),
    ("CGN", "Cologne", 50.94, 6.96, "Europe/Berlin"),
    ("FRA", "Frankfurt", 50.11, 8.68, "Europe/Berlin"),
    ("STR", "Stuttgart", 48.78, 9.18, "Europe/Berlin"),
    ("LEJ", "Leipzig", 51.34, 12.37, "Europe/Berlin"),
    ("PAR", "Paris", 48.86, 2.35, "Europe/Paris"),
    ("LYS", "Lyon", 45.76, 4.84, "Europe/Paris"),
    ("MRS", "Marseille", 43.30, 5.37, "Europe/Paris"),
    ("TLS", "Toulouse", 43.60, 1.44, "Europe/Paris"),
    ("BOD", "Bordeaux", 44.84, -0.58, "Europe/Paris"),
    ("LIL", "Lille", 50.63, 3.06, "Europe/Paris"),
    ("NTE", "Nantes", 47.22, -1.55, "Europe/Paris"),
    ("AMS", "Amsterdam", 52.37, 4.90, "Europe/Amsterdam"),
    ("RTM", "Rotterdam", 51.92, 4.48, "Europe/Amsterdam"),
    ("BRU", "Brussels", 50.85, 4.35, "Europe/Brussels"),
    ("ANR", "Antwerp", 51.22, 4.40, "Europe/Brussels"),
    ("LUX", "Luxembourg", 49.61, 6.13, "Europe/Luxembourg"),
    ("ZRH", "Zurich", 47.38, 8.54, "Europe/Zurich"),
    ("GVA", "Geneva", 46.20, 6.14, "Europe/Zurich"),
    ("VIE", "Vienna", 48.21, 16.37, "Europe/Vienna"),
    ("SZG", "Salzburg", 47.81, 13.06, "Europe/Vienna"),
    ("PRG", "Prague", 50.08, 14.44, "Europe/Prague"),
    ("BRQ", "Brno", 49.20, 16.61, "Europe/Prague"),
    ("WAW", "Warsaw", 52.23, 21.01, "Europe/Warsaw"),
    ("KRK", "Krakow", 50.06, 19.94, "Europe/Warsaw"),
    ("WRO", "Wroclaw", 51.11, 17.03, "Europe/Warsaw"),
    ("CPH", "Copenhagen", 55.68, 12.57, "Europe/Copenhagen"),
    ("AAR", "Aarhus", 56.16, 10.20, "Europe/Copenhagen"),
    ("MIL", "Milan", 45.46, 9.19, "Europe/Rome"),
    ("TRN", "Turin", 45.07, 7.69, "Europe/Rome"),
    ("VCE", "Venice", 45.44, 12.32, "Europe/Rome"),
    ("BCN", "Barcelona", 41.39, 2.17, "Europe/Madrid"),
    ("MAD", "Madrid", 40.42, -3.70, "Europe/Madrid"),
    ("LIS", "Lisbon", 38.72, -9.14, "Europe/Lisbon"),
    ("OPO", "Porto", 41.15, -8.61, "Europe/Lisbon"),
    ("LON", "London", 51.51, -0.13, "Europe/London"),
    ("BUD", "Budapest", 47.50, 19.04, "Europe/Budapest"),
    ("LJU", "Ljubljana", 46.06, 14.51, "Europe/Ljubljana"),
]


def bench_database_url() -> str:
    return benchdb.bench_database_url(BENCH_DB)


def database_prepare(url: str) -> None:
    """Create the bench database (PostGIS on) if missing, point Django at it, migrate."""
    benchdb.database_create_if_missing(url)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    benchdb.django_start(url, settings=SETTINGS)


# --- seeding -------------------------------------------------------------------------------------


def seed_fixed() -> tuple[list, list]:
    """Hubs and companies with trucks, created once: (hubs, [(truck, is_verified)])."""
    from apps.cargo.models import Hub
    from apps.companies.models import Company, Truck
    from apps.core.geo import point_from_lat_lng

    for code, name, lat, lng, zone in HUBS:
        Hub.objects.get_or_create(
            code=code,
            defaults={"name": name, "location": point_from_lat_lng(lat, lng), "timezone": zone},
        )
    for index in range(COMPANIES + PENDING_COMPANIES):
        verified = index < COMPANIES
        company, _ = Company.objects.get_or_create(
            slug=f"{SLUG}{index:02d}",
            defaults={
                "name": f"Bench Cargo {index:02d}",
                "legal_name": f"Bench Cargo {index:02d} GmbH",
                "registration_number": f"BENCH-CARGO-{index:03d}",
                "email": f"contact@{SLUG}{index:02d}.example",
                "phone": "+4930000000",
                "base_location": point_from_lat_lng(52.52, 13.40),
                "currency": "EUR",
                "timezone": "Europe/Berlin",
                "verification_status": (
                    Company.VerificationStatus.VERIFIED
                    if verified
                    else Company.VerificationStatus.PENDING
                ),
            },
        )
        for number in range(TRUCKS_PER_COMPANY - company.trucks.count()):
            Truck.objects.create(
                company=company,
                plate=f"BC-{index:02d}-{number:02d}",
                label="Bench truck",
                capacity_m3=Decimal("40"),
                payload_kg=8000,
            )
    hubs = list(Hub.objects.filter(code__in=[hub[0] for hub in HUBS]).order_by("code"))
    trucks = [
        (truck, truck.company.is_verified)
        for truck in Truck.objects.filter(company__slug__startswith=SLUG)
        .select_related("company")
        .order_by("id")
    ]
    return hubs, trucks


def seed_trips(rng: random.Random, hubs: list, trucks: list, start: datetime) -> float:
    """Replace every trip by TRIPS fresh ones leaving within DAYS days of `start`; seconds."""
    from django.db import connection

    from apps.cargo.models import Trip

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Trip._meta.db_table} RESTART IDENTITY CASCADE")
    trips = []
    for _ in range(TRIPS):
        origin, destination = rng.sample(hubs, 2)
        truck, _verified = rng.choice(trucks)
        departs_at = start + timedelta(minutes=15 * rng.randrange(DAYS * 24 * 4))
        capacity = Decimal(rng.choice([20, 30, 40]))
        sold = Decimal(rng.choice([0, 0, 0, 5, 10, 15, int(capacity)]))
        trips.append(
            Trip(
                company_id=truck.company_id,
                truck=truck,
                origin_hub=origin,
                destination_hub=destination,
                departs_at=departs_at,
                arrives_at=departs_at + timedelta(minutes=15 * rng.randrange(8, 57)),
                departs_on_local=departs_at.astimezone(ZoneInfo(origin.timezone)).date(),
                capacity_m3=capacity,
                capacity_kg=capacity * 200,
                sold_m3=sold,
                sold_kg=sold * 150,
                price_per_m3=Decimal(rng.randrange(2000, 6000)) / 100,
                min_charge=Decimal(rng.choice([0, 25, 50])),
                currency="CHF" if rng.random() < 0.1 else "EUR",
            )
        )
    Trip.objects.bulk_create(trips, batch_size=1_000)
    with connection.cursor() as cursor:
        for table in (Trip._meta.db_table, "cargo_hub", "companies_company"):
            cursor.execute(f"ANALYZE {table}")
    return time.perf_counter() - started


def random_searches(rng: random.Random, hubs: list, start: datetime, count: int) -> list[dict]:
    """Distinct searches: two hubs, a local date within the seeded days, a volume, a weight."""
    first_day = start.date() + timedelta(days=1)
    searches: dict[tuple, dict] = {}
    while len(searches) < count:
        origin, destination = rng.sample(hubs, 2)
        day = first_day + timedelta(days=rng.randrange(DAYS - 2))
        volume, weight = rng.choice(["1", "2", "3.5", "5"]), rng.choice(["100", "300", "800"])
        key = (origin.code, destination.code, day, volume, weight)
        searches[key] = {
            "origin": origin,
            "destination": destination,
            "date": day,
            "volume_m3": Decimal(volume),
            "weight_kg": Decimal(weight),
        }
    return list(searches.values())


def query_string(search: dict) -> dict[str, str]:
    return {
        "origin": search["origin"].code,
        "destination": search["destination"].code,
        "date": search["date"].isoformat(),
        "volume_m3": str(search["volume_m3"]),
        "weight_kg": str(search["weight_kg"]),
    }


# --- measuring -----------------------------------------------------------------------------------


def server_start(url: str, port: int, *, cache_seconds: int, run_id: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": url,
        "THROTTLE_ANON": "100000000/min",
        "THROTTLE_USER": "100000000/min",
        "CARGO_ROUTE_CACHE_SECONDS": str(cache_seconds),
        "MOVEHUB_TEST_RUN_ID": run_id,  # the cache key prefix under test settings
        "LOG_LEVEL": "WARNING",
    }
    options = f"--host 127.0.0.1 --port {port} --workers 1 --lifespan off"
    options += " --no-access-log --log-level warning"
    command = [sys.executable, "-m", "uvicorn", "movehub.asgi:application", *options.split()]
    return subprocess.Popen(command, cwd=ROOT, env=env)


async def requests_pass(port: int, searches: list[dict]) -> dict[str, Any]:
    """The searches one after another; latencies and what they found."""
    import httpx

    latencies: list[float] = []
    found: list[int] = []
    errors: dict[int, int] = {}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        for search in searches:
            started = time.perf_counter()
            response = await client.get("/api/v1/cargo/routes/", params=query_string(search))
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code == 200:
                found.append(response.json()["count"])
            else:
                errors[response.status_code] = errors.get(response.status_code, 0) + 1
    return {
        "p50_ms": statistics.median(latencies),
        "p95_ms": percentile(latencies, 0.95),
        "found": found,
        "errors": errors,
    }


def server_passes(url: str, searches: list[dict], *, cache_seconds: int, fill: bool) -> list:
    """Start a server, warm it up, run the searches (twice when `fill`: fill, then hits)."""
    port = free_port()
    run_id = f"bench-cargo-{os.getpid()}-{time.time_ns()}"
    server = server_start(url, port, cache_seconds=cache_seconds, run_id=run_id)
    try:
        server_wait(port, server)
        warm_up = [dict(search, volume_m3=Decimal("0.5")) for search in searches[:30]]
        asyncio.run(requests_pass(port, warm_up))
        passes = [asyncio.run(requests_pass(port, searches))]
        if fill:
            passes.append(asyncio.run(requests_pass(port, searches)))
    finally:
        server.terminate()
        server.wait(timeout=15)
    return passes


def sql_pass(url: str, searches: list[dict]) -> tuple[dict[str, float], list[int]]:
    """ROUTES_SQL alone, the view's parameters, on a plain psycopg connection."""
    import psycopg

    from apps.cargo.search import ROUTES_SQL, routes_search_params

    timings, found = [], []
    params = [routes_search_params(**search) for search in searches]
    with psycopg.connect(libpq_url(url), autocommit=True) as conn, conn.cursor() as cursor:
        for values in params[:30]:  # warm-up
            cursor.execute(ROUTES_SQL, values)
            cursor.fetchall()
        for values in params:
            started = time.perf_counter()
            cursor.execute(ROUTES_SQL, values)
            rows = cursor.fetchall()
            timings.append((time.perf_counter() - started) * 1000)
            found.append(len(rows))
    return {"p50_ms": statistics.median(timings), "p95_ms": percentile(timings, 0.95)}, found


def invalidate_pass(count: int) -> dict[str, float]:
    """routes_invalidate_scopes (its one query) for `count` trips, in-process."""
    from django.db import connection

    from apps.cargo.models import Trip
    from apps.cargo.route_cache import routes_invalidate_scopes

    trips = list(Trip.objects.order_by("?")[:count])
    connection.ensure_connection()
    timings, scopes = [], []
    for trip in trips:
        started = time.perf_counter()
        scopes.append(len(routes_invalidate_scopes(trip=trip)))
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 0.95),
        "mean_scopes": statistics.fmean(scopes),
    }


def explain(url: str, search: dict) -> tuple[str, list[str]]:
    """EXPLAIN (ANALYZE, BUFFERS) of one search; and the Trip indexes its plan uses."""
    import psycopg

    from apps.cargo.search import ROUTES_SQL, routes_search_params

    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        values = routes_search_params(**search)
        conn.execute(ROUTES_SQL, values).fetchall()
        rows = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS) {ROUTES_SQL}", values).fetchall()
    plan = "\n".join(row[0] for row in rows)
    indexes = sorted(
        {name for name in ("cargo_trip_origin_date", "cargo_trip_origin_departs") if name in plan}
    )
    return plan, indexes


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="distinct searches per pass")
    parser.add_argument("--seed", type=int, default=20_261_130)
    parser.add_argument("--quiet", action="store_true", help="no EXPLAIN in the output")
    args = parser.parse_args(argv)

    url = bench_database_url()
    database_prepare(url)
    rng = random.Random(args.seed)
    hubs, trucks = seed_fixed()
    start = datetime.now(ZoneInfo("UTC")).replace(minute=0, second=0, microsecond=0)
    start += timedelta(hours=1)
    seed_seconds = seed_trips(rng, hubs, trucks, start)
    searches = random_searches(rng, hubs, start, args.requests)
    print(f"seed: {len(hubs)} hubs, {len(trucks)} trucks, {TRIPS:,} trips ({seed_seconds:.1f} s)")

    [cold] = server_passes(url, searches, cache_seconds=0, fill=False)
    fill, warm = server_passes(url, searches, cache_seconds=300, fill=True)
    sql, sql_found = sql_pass(url, searches)
    invalidation = invalidate_pass(200)
    busiest = max(range(len(searches)), key=lambda i: sql_found[i])
    plan, indexes = explain(url, searches[busiest])

    errors = sum(sum(p["errors"].values()) for p in (cold, fill, warm))
    consistent = cold["found"] == warm["found"] == fill["found"]
    figures = {
        "cold_p50_ms": cold["p50_ms"],
        "cold_p95_ms": cold["p95_ms"],
        "fill_p50_ms": fill["p50_ms"],
        "fill_p95_ms": fill["p95_ms"],
        "warm_p50_ms": warm["p50_ms"],
        "warm_p95_ms": warm["p95_ms"],
        "sql_p50_ms": sql["p50_ms"],
        "sql_p95_ms": sql["p95_ms"],
        "ratio_cold_p50_to_sql_p50": cold["p50_ms"] / sql["p50_ms"],
        "ratio_cold_p95_to_sql_p95": cold["p95_ms"] / sql["p95_ms"],
        "ratio_warm_p50_to_sql_p50": warm["p50_ms"] / sql["p50_ms"],
        "invalidate_scopes_p50_ms": invalidation["p50_ms"],
        "invalidate_scopes_p95_ms": invalidation["p95_ms"],
        "invalidate_mean_scopes": invalidation["mean_scopes"],
        "mean_itineraries": statistics.fmean(cold["found"]) if cold["found"] else 0.0,
        "max_itineraries": max(sql_found),
        "searches_with_results": sum(1 for n in sql_found if n) / len(sql_found),
        "api_errors": errors,
        "cold_warm_results_equal": int(consistent),
        "indexes_used": len(indexes),
        "seed_seconds": seed_seconds,
    }
    figures = {key: round(float(value), 3) for key, value in figures.items()}

    print(f"{'measure':<34}{'p50 ms':>9}{'p95 ms':>9}{'target':>12}")
    rows = [
        ("API cold (cache off)", cold, f"p95 < {TARGET_COLD_P95_MS:g}"),
        ("API cache fill (misses)", fill, ""),
        ("API warm (cache hits)", warm, f"p95 < {TARGET_WARM_P95_MS:g}"),
        ("bare one-stop SQL (psycopg)", sql, "floor"),
        ("invalidation query (in-process)", invalidation, ""),
    ]
    for label, figure, target in rows:
        print(f"{label:<34}{figure['p50_ms']:>9.2f}{figure['p95_ms']:>9.2f}{target:>12}")
    for key in [key for key in figures if key.startswith("ratio_")]:
        print(f"{key}: {figures[key]:.2f}")
    print(
        f"{len(searches)} searches per pass; itineraries per search: mean "
        f"{figures['mean_itineraries']:.1f}, max {max(sql_found)}; with results: "
        f"{figures['searches_with_results']:.0%}; errors: {errors}; cold == warm results: "
        f"{'yes' if consistent else 'NO'}; trip indexes in the plan: {', '.join(indexes)}"
    )
    cold_ok = cold["p95_ms"] < TARGET_COLD_P95_MS
    warm_ok = warm["p95_ms"] < TARGET_WARM_P95_MS
    print(
        f"{'meets' if cold_ok else 'MISSES'} cold p95 < {TARGET_COLD_P95_MS:g} ms; "
        f"{'meets' if warm_ok else 'MISSES'} warm p95 < {TARGET_WARM_P95_MS:g} ms"
    )
    if not args.quiet:
        print("EXPLAIN (ANALYZE, BUFFERS) of the search with the most itineraries:")
        print(plan)

    params = {
        "trips": TRIPS,
        "hubs": len(hubs),
        "days": DAYS,
        "companies": COMPANIES + PENDING_COMPANIES,
        "searches_per_pass": len(searches),
        "server": f"uvicorn movehub.asgi:application, {SETTINGS}, 1 worker, sequential",
        "database": BENCH_DB,
        "seed": args.seed,
        "cpus": os.cpu_count(),
    }
    report = {"name": NAME, "params": params, "figures": figures}
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{NAME}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {out / f'{NAME}.json'}")
    return report


def run_search_bench(*, requests: int = 400, seed: int = 20_261_130) -> dict[str, Any]:
    """Run this benchmark in a process of its own (it sets Django up on its own database) and
    return its report ({"name", "params", "figures"}, also in var/bench/cargo_search.json)."""
    command = [sys.executable, __file__, "--requests", str(requests), "--seed", str(seed)]
    subprocess.run([*command, "--quiet"], cwd=ROOT, check=True)
    return json.loads((ROOT / "var" / "bench" / f"{NAME}.json").read_text())


if __name__ == "__main__":
    main()
