"""Benchmark: `GET /api/v1/companies/?serves=lat,lng` through the real server vs the bare SQL.

Run from the repo root: .venv/bin/python bench/company_search.py [--requests N] [--seconds S]
    [--concurrency C] [--workers W] [--settings MODULE] [--profile]

Uses its own database `movehub_bench` on the local PostgreSQL (created, PostGIS enabled and
migrated on first run; dev data is untouched) and seeds it once with 10,000 verified companies
and 30,000 service areas (geodesic circles and irregular polygons of 5-60 km radius) across a
France-sized box (lat 43-50, lng -1.5-7.5); later runs reuse the seed. Then it starts the real
server (uvicorn movehub.asgi:application, 1 worker by default, dev settings, 127.0.0.1 on a free
port) and times the search at concurrency 4 (httpx) for at most N requests or S seconds, then a
short sequential pass. In the same run it times the bare SQL Django generates for the same
points (one statement per request: the page query, counted with COUNT(*) OVER ()), executed on
a plain psycopg connection, and the same requests through Django's test client in-process (no
HTTP/ASGI, one persistent connection) to show where the time goes. It also counts new database
sessions per request and prints the EXPLAIN of the search. Writes var/bench/company_search.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import _benchdb as benchdb  # bench/ is on sys.path when a bench runs
from _benchdb import libpq_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


BENCH_DB = "movehub_bench"
COMPANIES = 10_000
AREAS_PER_COMPANY = 3
BOX = {"lat": (43.0, 50.0), "lng": (-1.5, 7.5)}
RADIUS_KM = (5.0, 60.0)
SEED = 20_261_124
PAGE_SIZE = 20
# The anonymous rate limits (anon 120/min, and user 600/min which DRF also applies to anonymous
# clients by address) would turn the run into 429s. The throttles still run (Redis round trips
# per request); only their rates are raised, under a key prefix of their own.
THROTTLE_ENV = {
    "THROTTLE_ANON": "100000000/min",
    "THROTTLE_USER": "100000000/min",
    "CACHE_KEY_PREFIX": "movehub-bench",
}
TARGET_P95_MS = 50.0
TARGET_RATIO = 3.0
EARTH_RADIUS_KM = 6371.0088


def bench_database_url() -> str:
    return benchdb.bench_database_url(BENCH_DB)


def database_create_if_missing(url: str) -> None:
    benchdb.database_create_if_missing(url)


def django_setup(url: str) -> None:
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    benchdb.django_start(url, settings="movehub.settings.dev", env=THROTTLE_ENV)


# --- seeding -----------------------------------------------------------------------------------


def destination(lat: float, lng: float, bearing: float, km: float) -> tuple[float, float]:
    """(lng, lat) reached from (lat, lng) going `km` along `bearing` (radians) on the sphere."""
    lat1, lng1, angular = math.radians(lat), math.radians(lng), km / EARTH_RADIUS_KM
    lat2 = math.asin(
        math.sin(lat1) * math.cos(angular) + math.cos(lat1) * math.sin(angular) * math.cos(bearing)
    )
    lng2 = lng1 + math.atan2(
        math.sin(bearing) * math.sin(angular) * math.cos(lat1),
        math.cos(angular) - math.sin(lat1) * math.sin(lat2),
    )
    return math.degrees(lng2), math.degrees(lat2)


def random_area(rng: random.Random, lat: float, lng: float):
    """A circle (64 segments) two times in three, else a star-shaped 12-gon; radius 5-60 km."""
    from django.contrib.gis.geos import MultiPolygon, Polygon

    from apps.core.geo import circle_polygon, point_from_lat_lng

    radius = rng.uniform(*RADIUS_KM)
    if rng.random() < 2 / 3:
        return circle_polygon(center=point_from_lat_lng(lat, lng), radius_km=radius)
    bearings = sorted(rng.uniform(0, 2 * math.pi) for _ in range(12))
    ring = [destination(lat, lng, b, radius * rng.uniform(0.6, 1.0)) for b in bearings]
    ring.append(ring[0])
    return MultiPolygon(Polygon(ring), srid=4326)


def seed(rng: random.Random) -> tuple[bool, float]:
    """Seed once; (reused, seconds)."""
    from django.db import connection, transaction

    from apps.companies.models import Company, ServiceArea
    from apps.core.geo import point_from_lat_lng

    bench_companies = Company.objects.filter(slug__startswith="bench-")
    if (
        bench_companies.count() == COMPANIES
        and ServiceArea.objects.filter(company__slug__startswith="bench-").count()
        == COMPANIES * AREAS_PER_COMPANY
    ):
        return True, 0.0
    started = time.perf_counter()
    with transaction.atomic():
        ServiceArea.objects.filter(company__slug__startswith="bench-").delete()
        bench_companies.delete()
        companies = []
        for index in range(COMPANIES):
            lat, lng = rng.uniform(*BOX["lat"]), rng.uniform(*BOX["lng"])
            companies.append(
                Company(
                    name=f"Bench Movers {index:05d}",
                    slug=f"bench-{index:05d}",
                    legal_name=f"Bench Movers {index:05d} SAS",
                    registration_number=f"BENCH-{index:06d}",
                    email=f"contact@bench-{index:05d}.example",
                    phone="+33400000000",
                    base_location=point_from_lat_lng(lat, lng),
                    currency="EUR",
                    timezone="Europe/Paris",
                    verification_status=Company.VerificationStatus.VERIFIED,
                )
            )
        Company.objects.bulk_create(companies, batch_size=2_000)
        areas = []
        for company in companies:
            base = company.base_location
            for number in range(AREAS_PER_COMPANY):
                # Area centres within ~30 km of the base location.
                lng, lat = destination(
                    base.y, base.x, rng.uniform(0, 2 * math.pi), rng.uniform(0, 30)
                )
                areas.append(
                    ServiceArea(
                        company=company, name=f"Area {number}", area=random_area(rng, lat, lng)
                    )
                )
        ServiceArea.objects.bulk_create(areas, batch_size=2_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE companies_company")
        cursor.execute("ANALYZE companies_servicearea")
    return False, time.perf_counter() - started


# --- measuring ---------------------------------------------------------------------------------


def random_points(rng: random.Random, count: int) -> list[tuple[float, float]]:
    return [
        (round(rng.uniform(*BOX["lat"]), 5), round(rng.uniform(*BOX["lng"]), 5))
        for _ in range(count)
    ]


def percentile(values: list[float], fraction: float) -> float:
    """The `fraction` percentile (nearest rank) of `values`; NaN when there are none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_start(url: str, port: int, settings_module: str, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": url,
        **THROTTLE_ENV,
        "LOG_LEVEL": "WARNING",
    }
    options = f"--host 127.0.0.1 --port {port} --workers {workers} --lifespan off"
    options += " --no-access-log --log-level warning"
    command = [sys.executable, "-m", "uvicorn", "movehub.asgi:application", *options.split()]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def server_wait(port: int, process: subprocess.Popen, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health/", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("uvicorn did not answer /health/ in time")


async def load(
    port: int, points: list[tuple[float, float]], concurrency: int, seconds: float
) -> dict:
    import httpx

    latencies: list[float] = []
    counts: list[int] = []
    errors = 0
    statuses: dict[int, int] = {}
    cursor = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=30
    ) as client:

        async def worker() -> None:
            nonlocal cursor, errors
            while cursor < len(points) and time.perf_counter() < deadline:
                lat, lng = points[cursor]
                cursor += 1
                started = time.perf_counter()
                response = await client.get("/api/v1/companies/", params={"serves": f"{lat},{lng}"})
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code == 200:
                    counts.append(response.json()["count"])
                else:
                    errors += 1
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": statistics.median(latencies),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "requests_per_s": len(latencies) / elapsed,
        "mean_count": statistics.fmean(counts) if counts else 0.0,
        "error_statuses": statuses,
    }


def search_sql(lat: float, lng: float) -> list[str]:
    """The final SQL texts Django sends for one search page (client-side bound, as sent).

    Built by the same selector and paginator the view uses, so it is the API's own query: one
    statement (the total comes from COUNT(*) OVER () in the page query).
    """
    from django.db import connection

    from apps.companies.selectors import company_search
    from apps.core.geo import point_from_lat_lng
    from apps.core.pagination import WindowCountPaginator

    queryset = company_search(serves=point_from_lat_lng(lat, lng))
    captured: list[str] = []

    def capture(execute, sql, params, many, context):
        if "companies_company" in sql:  # not the one-off spatial_ref_sys lookups
            captured.append(connection.ops.compose_sql(sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        WindowCountPaginator(queryset, PAGE_SIZE).page(1)
    return captured


def sql_timings(url: str, statements: list[list[str]]) -> dict:
    """Run each request's statements on a plain psycopg connection; ms per request's SQL."""
    import psycopg

    timings = []
    with psycopg.connect(libpq_url(url), autocommit=True) as conn, conn.cursor() as cursor:
        for request in statements[:50]:  # warm-up
            for sql in request:
                cursor.execute(sql)
                cursor.fetchall()
        for request in statements:
            started = time.perf_counter()
            for sql in request:
                cursor.execute(sql)
                cursor.fetchall()
            timings.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": statistics.median(timings), "p95_ms": percentile(timings, 0.95)}


def inprocess(points: list[tuple[float, float]], profile: bool) -> dict:
    """The same requests through Django's test client in this process: no HTTP, no ASGI, one
    persistent DB connection. The gap to the sequential server pass is the serving layer."""
    import cProfile
    import pstats

    from django.test import Client

    client = Client()
    for lat, lng in points[:20]:  # warm-up (connection, caches)
        client.get("/api/v1/companies/", {"serves": f"{lat},{lng}"})
    profiler = cProfile.Profile() if profile else None
    latencies = []
    for lat, lng in points:
        if profiler:
            profiler.enable()
        started = time.perf_counter()
        response = client.get("/api/v1/companies/", {"serves": f"{lat},{lng}"})
        latencies.append((time.perf_counter() - started) * 1000)
        if profiler:
            profiler.disable()
        assert response.status_code == 200, response.content
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    return {"p50_ms": statistics.median(latencies), "p95_ms": percentile(latencies, 0.95)}


def db_sessions(url: str) -> int:
    """Sessions ever opened on the bench database (pg_stat_database.sessions)."""
    import psycopg

    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
    return int(row[0])


def explain(url: str, page_sql: str) -> tuple[str, bool]:
    """EXPLAIN ANALYZE of one search on a warm connection; and whether the areas' GiST is used."""
    import psycopg

    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute(page_sql).fetchall()  # a fresh backend pays PostGIS' first-use cost once
        rows = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS) {page_sql}").fetchall()
    plan = "\n".join(row[0] for row in rows)
    return plan, "companies_servicearea_area" in plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2_000, help="at most this many requests")
    parser.add_argument("--seconds", type=float, default=30.0, help="at most this long (load)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument(
        "--settings",
        default="movehub.settings.dev",
        help="settings module of the server (e.g. to compare a pooled-connection variant)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the in-process pass and print it"
    )
    args = parser.parse_args()

    url = bench_database_url()
    database_create_if_missing(url)
    django_setup(url)
    rng = random.Random(SEED)
    reused, seed_seconds = seed(rng)
    print(
        f"seed: {COMPANIES:,} companies, {COMPANIES * AREAS_PER_COMPANY:,} areas "
        + ("(reused)" if reused else f"(created in {seed_seconds:.1f} s)")
    )

    points = random_points(random.Random(SEED + 1), args.requests)
    sequential_points = random_points(random.Random(SEED + 2), min(500, args.requests))
    statements = [search_sql(lat, lng) for lat, lng in points]
    statements_per_request = statistics.fmean(len(request) for request in statements)
    plan, uses_index = explain(url, statements[0][-1])

    port = free_port()
    server = server_start(url, port, args.settings, args.workers)
    try:
        server_wait(port, server)
        asyncio.run(load(port, random_points(random.Random(SEED + 3), 100), 2, 10))  # warm-up
        loaded = asyncio.run(load(port, points, args.concurrency, args.seconds))
        sessions_before = db_sessions(url)
        sequential = asyncio.run(load(port, sequential_points, 1, min(10.0, args.seconds)))
        sessions_per_request = (db_sessions(url) - sessions_before) / sequential["requests"]
    finally:
        server.terminate()
        server.wait(timeout=15)
    sql = sql_timings(url, statements[: loaded["requests"]])
    local = inprocess(sequential_points[:200], args.profile)

    figures = {
        **{f"api_{key}": value for key, value in loaded.items() if key != "error_statuses"},
        **{f"api_sequential_{key}": sequential[key] for key in ("p50_ms", "p95_ms")},
        **{f"inprocess_{key}": value for key, value in local.items()},
        **{f"sql_{key}": value for key, value in sql.items()},
        "api_errors": loaded["errors"] + sequential["errors"],
        "sql_statements_per_request": statements_per_request,
        "db_sessions_per_request": sessions_per_request,
        "ratio_api_p50_to_sql_p50": loaded["p50_ms"] / sql["p50_ms"],
        "ratio_api_sequential_p50_to_sql_p50": sequential["p50_ms"] / sql["p50_ms"],
        "ratio_inprocess_p50_to_sql_p50": local["p50_ms"] / sql["p50_ms"],
        "gist_index_used": int(uses_index),
        "seed_seconds": seed_seconds,
    }
    figures = {key: round(value, 3) for key, value in figures.items()}
    rows = [
        (f"API, concurrency {args.concurrency}", loaded, loaded["requests"]),
        ("API, sequential", sequential, sequential["requests"]),
        ("in-process (test client)", local, 200),
        ("bare SQL (psycopg)", sql, loaded["requests"]),
    ]
    print(f"{'measure':<26}{'p50 ms':>9}{'p95 ms':>9}{'n':>7}")
    for name, figure, count in rows:
        print(f"{name:<26}{figure['p50_ms']:>9.2f}{figure['p95_ms']:>9.2f}{count:>7}")
    print(
        f"API requests/s at concurrency {args.concurrency}: {loaded['requests_per_s']:.1f}; "
        f"SQL statements per request: {statements_per_request:.2f}; mean companies serving a "
        f"point: {loaded['mean_count']:.1f}; errors: {figures['api_errors']:g} "
        f"{loaded['error_statuses'] | sequential['error_statuses']}"
    )
    for key in [key for key in figures if key.startswith("ratio_")] + ["db_sessions_per_request"]:
        print(f"{key}: {figures[key]:.2f}")
    p95_ok, ratio_ok = loaded["p95_ms"] < TARGET_P95_MS, figures["ratio_api_p50_to_sql_p50"]
    print(
        f"{'meets' if p95_ok else 'MISSES'} the API p95 < {TARGET_P95_MS:g} ms target; "
        f"{'meets' if ratio_ok <= TARGET_RATIO else 'MISSES'} the API p50 <= "
        f"{TARGET_RATIO:g}x bare SQL p50 target (concurrency {args.concurrency})"
    )
    print(f"GiST index on service areas used: {'yes' if uses_index else 'NO'}")
    print("EXPLAIN (ANALYZE, BUFFERS) of one search page (warm connection):")
    print(plan)

    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    params = {
        "companies": COMPANIES,
        "service_areas": COMPANIES * AREAS_PER_COMPANY,
        "box": BOX,
        "radius_km": RADIUS_KM,
        "max_requests": args.requests,
        "max_seconds": args.seconds,
        "concurrency": args.concurrency,
        "server": f"uvicorn movehub.asgi:application, {args.settings}",
        "workers": args.workers,
        "database": BENCH_DB,
        "seed_reused": reused,
        "cpus": os.cpu_count(),
    }
    report = {"name": "company_search", "params": params, "figures": figures}
    (out / "company_search.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {out / 'company_search.json'}")


if __name__ == "__main__":
    main()
