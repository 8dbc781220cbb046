"""Benchmark: bookings — the slot race, schedules/s against their SQL floor, the exclusion
constraint's INSERT cost, and POST /move-requests/ quoting with 50 companies.

Run from the repo root: .venv/bin/python bench/booking.py [--rounds R] [--seconds S]
    [--requests N] [--concurrency C] [--move-requests M] [--workers W]

Uses its own database `movehub_bench_booking` on the local PostgreSQL (created, PostGIS on and
migrated on first run; dev data untouched), seeded once with 50 verified companies around Lyon
(each: a dispatcher, a 30 m3 truck, two drivers, approved documents, a service area covering
both ends of the test move, its own pricing). Every run empties the booking tables first and
creates the bookings it schedules. The real server (uvicorn movehub.asgi:application, test
settings: DEBUG off; 127.0.0.1 on a free port) serves the HTTP passes; the client is httpx.

(a) Per round, 50 clients POST /bookings/{id}/schedule/ at once, 50 confirmed bookings of one
    company onto the same truck, drivers and slot: expect 1 x 200, 49 x 409 slot_taken, no 5xx.
(b) Schedules of different bookings onto free slots (booking i: company i mod 50, its truck and
    drivers, the next free 2 h) at concurrency C for at most N or S s; then the floor: one
    schedule request's SQL (captured in-process, the view's access checks included) replayed
    on plain psycopg connections for other bookings and slots, one transaction each, at the
    same concurrency. Target: API >= 30 % of the floor.
(c) Single-row INSERTs (autocommit) into bookings_truckallocation and into a twin without the
    exclusion constraint, the same rows, concurrency C, taking turns in rounds. Target >= 0.85.
(d) POST /move-requests/ sequentially (50 quotes each): p50/p95, target p95 < 150 ms; beside
    it the engine alone (quote_compute, rules parsed beforehand) pricing the same 50 quotes.
Writes var/bench/booking.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import _booking_seed as seeding  # noqa: E402
from _booking_report import RACERS, report  # noqa: E402
from _booking_sql import (  # noqa: E402
    Replayer,
    capture,
    insert_rates,
    plain_table_create,
    replay,
    schedule_body,
)
from company_search import free_port, percentile, server_start, server_wait  # noqa: E402

SLOT_HOURS = 2


def day_start(days: int) -> datetime:
    """Midnight UTC `days` from now: every period below is in the future, documents valid."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today + timedelta(days=days)


def statuses(responses) -> dict[str, int]:
    counts: dict[str, int] = {}
    for response in responses:
        key = str(response.status_code)
        if response.status_code == 409:
            key += " " + response.json()["error"]["code"]
        counts[key] = counts.get(key, 0) + 1
    return counts


# --- (a) the race -------------------------------------------------------------------------------


async def race_round(port: int, fleet, booking_ids: list[int], start: datetime) -> dict:
    import httpx

    body = schedule_body(fleet, start, start + timedelta(hours=SLOT_HOURS))
    limits = httpx.Limits(max_connections=len(booking_ids), max_keepalive_connections=RACERS)
    headers = {"Authorization": f"Bearer {fleet.token}"}
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=60, headers=headers
    ) as client:
        # Open every connection first, so that the 50 POSTs leave together.
        await asyncio.gather(*(client.get("/health/") for _ in booking_ids))
        started = time.perf_counter()
        responses = await asyncio.gather(
            *(client.post(f"/api/v1/bookings/{pk}/schedule/", json=body) for pk in booking_ids)
        )
        elapsed = time.perf_counter() - started
    return {"statuses": statuses(responses), "ms": elapsed * 1000}


def live_truck_allocations(truck_id: int, start: datetime) -> int:
    from apps.bookings.models import TruckAllocation

    return TruckAllocation.objects.filter(
        truck_id=truck_id, released_at__isnull=True, period__contains=start
    ).count()


# --- (b) schedules per second -------------------------------------------------------------------


def schedule_operations(fleets, booking_ids: list[int], base: datetime) -> list[tuple]:
    """(fleet, booking id, start) for booking i: fleet i mod 50, slot i div 50 from `base`."""
    return [
        (
            fleets[index % len(fleets)],
            booking_id,
            base + timedelta(hours=SLOT_HOURS * (index // len(fleets))),
        )
        for index, booking_id in enumerate(booking_ids)
    ]


async def schedule_load(port: int, operations: list[tuple], concurrency: int, seconds: float):
    import httpx

    latencies: list[float] = []
    responses = []
    cursor = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=60
    ) as client:

        async def worker() -> None:
            nonlocal cursor
            while cursor < len(operations) and time.perf_counter() < deadline:
                fleet, booking_id, start = operations[cursor]
                cursor += 1
                body = schedule_body(fleet, start, start + timedelta(hours=SLOT_HOURS))
                began = time.perf_counter()
                response = await client.post(
                    f"/api/v1/bookings/{booking_id}/schedule/",
                    json=body,
                    headers={"Authorization": f"Bearer {fleet.token}"},
                )
                latencies.append((time.perf_counter() - began) * 1000)
                responses.append(response)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {
        "requests": len(responses),
        "ops_per_s": len(responses) / elapsed if responses else 0.0,
        "p50_ms": statistics.median(latencies) if latencies else 0.0,
        "p95_ms": percentile(latencies, 0.95) if latencies else 0.0,
        "statuses": statuses(responses),
    }


# --- (d) move requests --------------------------------------------------------------------------


def move_request_body(index: int) -> dict:
    day = (datetime.now(UTC) + timedelta(days=2)).date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return {
        "origin": {"lat": seeding.LYON[0], "lng": seeding.LYON[1]},
        "destination": {"lat": seeding.LYON_EAST[0], "lng": seeding.LYON_EAST[1]},
        "origin_address": "1 Place Bellecour, 69002 Lyon",
        "destination_address": "10 Cours Gambetta, 69003 Lyon",
        "move_date": day.isoformat(),
        "window_start": f"{day.isoformat()}T09:00:00+01:00",
        "window_end": f"{day.isoformat()}T11:00:00+01:00",
        "inventory": [
            {"item": "box_medium", "quantity": 20 + index % 5},
            {"item": "sofa_2seat", "quantity": 1},
        ],
        "stairs_origin": 2,
        "notes": f"Bench request {index}.",
    }


async def move_requests_sequential(port: int, token: str, count: int) -> dict:
    import httpx

    latencies: list[float] = []
    quote_counts: list[int] = []
    failures: dict[int, int] = {}
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}",
        timeout=60,
        headers={"Authorization": f"Bearer {token}"},
    ) as client:
        for index in range(-5, count):  # five warm-up requests
            began = time.perf_counter()
            response = await client.post("/api/v1/move-requests/", json=move_request_body(index))
            if index < 0:
                continue
            latencies.append((time.perf_counter() - began) * 1000)
            if response.status_code == 201:
                quote_counts.append(len(response.json()["quotes"]))
            else:
                failures[response.status_code] = failures.get(response.status_code, 0) + 1
    return {
        "requests": len(latencies),
        "p50_ms": statistics.median(latencies),
        "p95_ms": percentile(latencies, 0.95),
        "min_quotes": min(quote_counts, default=0),
        "failures": failures,
    }


def engine_alone(fleets, count: int) -> dict:
    """The same 50 quotes priced in-process by quote_compute, rules parsed beforehand (and,
    apart, what parsing the 50 stored rule documents per request costs, as the service does)."""
    import dataclasses
    import zoneinfo
    from decimal import Decimal

    from django.utils import timezone

    from apps.bookings.api.views_requests import MoveRequestCreateInput
    from apps.core.serializers import parse
    from apps.pricing.api.serializers import move_spec_from
    from apps.pricing.engine import quote_compute
    from apps.pricing.engine.rules import rules_parse
    from apps.pricing.engine.values import QuoteContext
    from apps.pricing.models import PricingConfig
    from apps.pricing.routes import route_distance_km
    from apps.pricing.selectors import inventory_catalogue

    documents = [
        config.rules
        for config in PricingConfig.objects.filter(
            company_id__in=[fleet.company_id for fleet in fleets]
        ).order_by("company_id")
    ]
    rules = [rules_parse(document) for document in documents]
    catalogue = inventory_catalogue()
    data = parse(MoveRequestCreateInput, move_request_body(0))
    zone = zoneinfo.ZoneInfo("Europe/Paris")
    move = dataclasses.replace(
        move_spec_from(dict(data)), start_time=data["window_start"].astimezone(zone).time()
    )
    distance = route_distance_km(origin=data["origin"], destination=data["destination"])
    context = QuoteContext(booked_on=timezone.localdate(), utilisation=Decimal("0"))
    timings, parse_timings = [], []
    for index in range(count + 5):
        began = time.perf_counter()
        results = [
            quote_compute(
                rules=company_rules,
                move=move,
                distance_km=distance,
                context=context,
                catalogue=catalogue,
            )
            for company_rules in rules
        ]
        middle = time.perf_counter()
        for document in documents:
            rules_parse(document)
        if index >= 5:
            timings.append((middle - began) * 1000)
            parse_timings.append((time.perf_counter() - middle) * 1000)
    assert len(results) == len(fleets)
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 0.95),
        "parse_p50_ms": statistics.median(parse_timings),
    }


# --- the run ------------------------------------------------------------------------------------


def queue_delete() -> None:
    """Drop the tasks the run queued on its own Celery queue (nobody consumes them)."""
    import redis
    from django.conf import settings

    queue = seeding.SERVER_ENV["CELERY_TASK_DEFAULT_QUEUE"]
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete(queue, f"_kombu.binding.{queue}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="(a) race rounds")
    parser.add_argument("--seconds", type=float, default=15.0, help="(b), (c): at most this long")
    parser.add_argument("--requests", type=int, default=1_500, help="(b) at most this many")
    parser.add_argument("--concurrency", type=int, default=8, help="(b) and (c)")
    parser.add_argument("--move-requests", type=int, default=100, help="(d) sequential")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args()

    url = seeding.bench_database_url()
    seeding.database_prepare(url)
    fleets, customer_id, reused = seeding.seed()
    print(f"seed: {len(fleets)} companies ({'reused' if reused else 'created'})")
    seeding.booking_tables_reset()
    racers = seeding.bookings_create(
        fleets=fleets[:1], customer_id=customer_id, count=RACERS * args.rounds
    )
    api_bookings = seeding.bookings_create(
        fleets=fleets, customer_id=customer_id, count=args.requests
    )
    floor_bookings = seeding.bookings_create(
        fleets=fleets, customer_id=customer_id, count=args.requests
    )
    capture_fleet = fleets[10]
    capture_bookings = seeding.bookings_create(
        fleets=[capture_fleet], customer_id=customer_id, count=2
    )
    # Disjoint periods: API schedules from day 3, the floor's from day 10, races from day 20.
    api_operations = schedule_operations(fleets, api_bookings, day_start(3))
    floor_operations = schedule_operations(fleets, floor_bookings, day_start(10))
    captured = capture(
        fleet=capture_fleet,
        booking_ids=capture_bookings,
        starts=[day_start(30), day_start(31)],
        hours=SLOT_HOURS,
    )
    replayer = Replayer(captured, fleets)
    floor_statements = [
        replayer.statements_for(booking_id=booking_id, fleet=fleet, start=start)
        for fleet, booking_id, start in floor_operations
    ]

    port = free_port()
    server = server_start(url, port, seeding.SETTINGS, args.workers)
    try:
        server_wait(port, server)
        rounds = []
        for number in range(args.rounds):
            start = day_start(20 + number)
            ids = racers[number * RACERS : (number + 1) * RACERS]
            outcome = asyncio.run(race_round(port, fleets[0], ids, start))
            outcome["live_allocations"] = live_truck_allocations(fleets[0].truck_id, start)
            rounds.append(outcome)
        loaded = asyncio.run(schedule_load(port, api_operations, args.concurrency, args.seconds))
        customer_token = seeding.customer_token(customer_id)
        requests = asyncio.run(move_requests_sequential(port, customer_token, args.move_requests))
    finally:
        server.terminate()
        server.wait(timeout=15)
    floor = replay(
        url=url,
        operations=floor_statements[: loaded["requests"]],
        concurrency=args.concurrency,
        seconds=args.seconds,
    )
    plain_table_create(url)
    insert_rows = [
        [
            (fleet.company_id, begin, begin + timedelta(hours=1), fleet.truck_id)
            for index in range(20_000)
            for fleet in [fleets[index % len(fleets)]]
            for begin in [day_start(400) + timedelta(hours=number * 100_000 + index // 50)]
        ]
        for number in range(5)
    ]
    inserts = insert_rates(
        url=url, rows=insert_rows, concurrency=args.concurrency, seconds=args.seconds
    )
    engine = engine_alone(fleets, args.move_requests)
    queue_delete()
    figures = report(
        args, rounds, loaded, floor, len(captured.statements), inserts, requests, engine
    )
    params = {
        "rounds": args.rounds,
        "racers": RACERS,
        "seconds": args.seconds,
        "max_requests": args.requests,
        "concurrency": args.concurrency,
        "move_requests": args.move_requests,
        "companies": len(fleets),
        "server": f"uvicorn movehub.asgi:application, {seeding.SETTINGS}",
        "workers": args.workers,
        "database": seeding.BENCH_DB,
        "seed_reused": reused,
        "cpus": os.cpu_count(),
    }
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"name": "booking", "params": params, "figures": figures}, indent=2)
    (out / "booking.json").write_text(text + "\n")
    print(f"wrote {out / 'booking.json'}")


if __name__ == "__main__":
    main()
