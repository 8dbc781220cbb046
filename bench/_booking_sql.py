"""bench/booking.py's raw-SQL measures: the schedule floor (captured SQL replayed) and the
INSERT cost of the exclusion constraint. Not a benchmark itself (see _booking_seed.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from _benchdb import libpq_url
from _booking_seed import ID_RANGE, Fleet


@dataclass
class Captured:
    """One schedule request's statements as Django sent them, and what each RETURNING gave."""

    statements: list[tuple[str, Any, bool, list[tuple] | None]]
    booking_id: int
    fleet: Fleet
    start: datetime
    end: datetime


def schedule_body(fleet: Fleet, start: datetime, end: datetime) -> dict[str, Any]:
    return {
        "truck": fleet.truck_id,
        "drivers": list(fleet.driver_ids),
        "start": start.isoformat(),
        "end": end.isoformat(),
    }


def capture(
    *, fleet: Fleet, booking_ids: list[int], starts: list[datetime], hours: int
) -> Captured:
    """Schedule booking_ids[1] through Django's test client in this process (booking_ids[0]
    first, to warm the connection and caches) and record every statement the request sends,
    the view's access checks included, with its parameters and its RETURNING rows."""
    import json

    from django.db import connection
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {fleet.token}")
    statements: list[tuple[str, Any, bool, list[tuple] | None]] = []

    def record(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        rows = None
        if " RETURNING " in sql:  # read the ids, then rewind for the ORM (client-side cursor)
            cursor = context["cursor"]
            rows = cursor.fetchall()
            cursor.cursor.scroll(0, mode="absolute")
        statements.append((sql, params, many, rows))
        return result

    for index, (booking_id, start) in enumerate(zip(booking_ids, starts, strict=True)):
        end = start + timedelta(hours=hours)
        body = json.dumps(schedule_body(fleet, start, end))
        if index:
            statements.clear()
            with connection.execute_wrapper(record):
                response = client.post(
                    f"/api/v1/bookings/{booking_id}/schedule/", body, "application/json"
                )
        else:
            response = client.post(
                f"/api/v1/bookings/{booking_id}/schedule/", body, "application/json"
            )
        assert response.status_code == 200, response.content
    connection.close()
    return Captured(statements, booking_ids[-1], fleet, starts[-1], end)


class Replayer:
    """The captured statements rewritten for another booking, fleet and period.

    Values are mapped by identity: the captured booking, company, truck, drivers and staff
    user ids to the target's (a number with two meanings must map alike: checked); datetimes
    after the capture (the period, reminder times) and dates shifted by the period's offset;
    ids a RETURNING gave (bookings tables' ids live in ranges of their own, so they cannot be
    mistaken for a truck id) to the ids the replay's own RETURNING gives. What stays as
    captured: `now` timestamps and texts."""

    def __init__(self, captured: Captured, fleets: list[Fleet]):
        self.captured = captured
        self.fleets = {fleet.company_id: fleet for fleet in fleets}
        self.cutoff = captured.start - timedelta(days=2)

    @staticmethod
    def _ids(fleet: Fleet) -> list[int]:
        return [
            fleet.company_id,
            fleet.truck_id,
            *fleet.driver_ids,
            fleet.dispatcher_id,
            *_staff_user_ids(fleet),
        ]

    def statements_for(
        self, *, booking_id: int, fleet: Fleet, start: datetime
    ) -> list[tuple[str, Any, bool, list[tuple] | None]]:
        from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

        captured = self.captured
        ids: dict[int, int] = {}
        for old, new in zip(self._ids(captured.fleet), self._ids(fleet), strict=True):
            if ids.setdefault(old, new) != new:  # one number, two meanings: cannot map it
                raise ValueError(f"id {old} of the captured fleet maps to {ids[old]} and {new}")
        ids[captured.booking_id] = booking_id
        shift = start - captured.start
        iso = {
            _utc_iso(captured.start): _utc_iso(start),
            _utc_iso(captured.end): _utc_iso(captured.end + shift),
        }

        def value(item: Any) -> Any:
            if isinstance(item, bool) or item is None:
                return item
            if isinstance(item, int) and type(item) is int:
                return ids.get(item, item)
            if isinstance(item, datetime):
                return item + shift if item > self.cutoff else item
            if isinstance(item, date):
                return item + timedelta(days=shift.days) if item > self.cutoff.date() else item
            if isinstance(item, str) and type(item) is str:
                return iso.get(item, item)
            if isinstance(item, DateTimeTZRange):
                return DateTimeTZRange(value(item.lower), value(item.upper), item.bounds)
            if isinstance(item, list | tuple):
                return type(item)(value(element) for element in item)
            if isinstance(item, dict):
                return {key: value(element) for key, element in item.items()}
            if type(item).__name__ == "Jsonb":
                return type(item)(value(item.obj))
            return item

        return [(sql, value(params), many, rows) for sql, params, many, rows in captured.statements]


def _staff_user_ids(fleet: Fleet) -> list[int]:
    """The owner's and the drivers' user ids (they appear as notification/reminder recipients)."""
    from apps.companies.models import Membership

    rows = Membership.objects.filter(company_id=fleet.company_id).exclude(
        user_id=fleet.dispatcher_id
    )
    return sorted(rows.values_list("user_id", flat=True))


def _utc_iso(moment: datetime) -> str:
    from datetime import UTC

    return moment.astimezone(UTC).isoformat()


def _returned_map(item: Any, returned: dict[int, int]) -> Any:
    if isinstance(item, int) and type(item) is int and item >= ID_RANGE:
        return returned.get(item, item)
    if isinstance(item, list | tuple):
        return type(item)(_returned_map(element, returned) for element in item)
    return item


def threaded(connections: list, task: Callable[[Any], int]) -> tuple[int, float]:
    """Run task(connection) in one thread per (already open) connection, all released at
    once; (sum of what the tasks return, seconds from the release to the last one's end)."""
    barrier = threading.Barrier(len(connections) + 1)
    counts: list[int] = []

    def run(connection: Any) -> None:
        barrier.wait()
        counts.append(task(connection))

    threads = [threading.Thread(target=run, args=(conn,)) for conn in connections]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return sum(counts), time.perf_counter() - started


def connections_open(url: str, count: int, **options: Any) -> list:
    import psycopg

    return [psycopg.connect(libpq_url(url), **options) for _ in range(count)]


def replay(
    *, url: str, operations: list[list[tuple]], concurrency: int, seconds: float
) -> dict[str, float]:
    """Each operation's statements on a plain psycopg connection, one transaction each, by
    `concurrency` threads (one connection each), for at most `seconds`. Operations per second."""
    import psycopg

    queue = iter(operations)
    lock = threading.Lock()
    failures: list[str] = []
    deadline = time.perf_counter() + seconds + 60  # reset below, once everyone is connected

    def task(conn: Any) -> int:
        done = 0
        while time.perf_counter() < deadline:
            with lock:
                operation = next(queue, None)
            if operation is None:
                break
            returned: dict[int, int] = {}
            try:
                with conn.transaction(), conn.cursor() as cursor:
                    for sql, params, many, rows in operation:
                        params = _returned_map(params, returned) if returned else params
                        if many:
                            cursor.executemany(sql, params)
                        else:
                            cursor.execute(sql, params)
                        if rows is not None:
                            fresh = cursor.fetchall()
                            returned.update(
                                (old[0], new[0]) for old, new in zip(rows, fresh, strict=True)
                            )
            except psycopg.Error as exc:
                failures.append(f"{type(exc).__name__}: {exc}")
                continue
            done += 1
        return done

    connections = connections_open(url, concurrency, cursor_factory=psycopg.ClientCursor)
    try:
        for conn in connections:
            conn.execute("SET TIME ZONE 'UTC'")  # as Django's connections
            conn.commit()
        deadline = time.perf_counter() + seconds
        count, elapsed = threaded(connections, task)
    finally:
        for conn in connections:
            conn.close()
    if failures:
        raise RuntimeError(f"{len(failures)} replays failed, first: {failures[0]}")
    return {"operations": count, "ops_per_s": count / elapsed, "seconds": elapsed}


# --- (c) the cost of the exclusion constraint --------------------------------------------------

PLAIN_TABLE = "bench_truckallocation_plain"
ALLOCATION_TABLE = "bookings_truckallocation"


def plain_table_create(url: str) -> None:
    """bookings_truckallocation's twin without the exclusion constraint: the same columns,
    defaults, checks, indexes and foreign keys (LIKE ... INCLUDING ALL copies all but the
    foreign keys, which are added from the catalogue; then the exclusion constraint goes)."""
    import psycopg

    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {PLAIN_TABLE}")
        conn.execute(f"CREATE TABLE {PLAIN_TABLE} (LIKE {ALLOCATION_TABLE} INCLUDING ALL)")
        excluded = conn.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'x'",
            [PLAIN_TABLE],
        ).fetchall()
        for (name,) in excluded:
            conn.execute(f'ALTER TABLE {PLAIN_TABLE} DROP CONSTRAINT "{name}"')
        foreign = conn.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [ALLOCATION_TABLE],
        ).fetchall()
        for (definition,) in foreign:
            conn.execute(f"ALTER TABLE {PLAIN_TABLE} ADD {definition}")


INSERT = (
    "INSERT INTO {} (company_id, purpose, booking_id, period, created_at, released_at, "
    "truck_id) VALUES (%s, 'trip', NULL, tstzrange(%s, %s, '[)'), now(), NULL, %s)"
)


def insert_rates(
    *, url: str, rows: list[list[tuple]], concurrency: int, seconds: float
) -> dict[str, float]:
    """INSERT rows (autocommit: one row, one transaction) into the real table and into its
    twin, the two taking turns on each round's fresh rows (a neighbour's load hits both
    alike). Rows per second of each over all rounds."""
    totals = {ALLOCATION_TABLE: [0, 0.0], PLAIN_TABLE: [0, 0.0]}
    slot = seconds / len(rows) / 2
    connections = connections_open(url, concurrency, autocommit=True)
    try:
        for batch in rows:
            for table in (ALLOCATION_TABLE, PLAIN_TABLE):
                count, elapsed = _insert_round(connections, INSERT.format(table), batch, slot)
                totals[table][0] += count
                totals[table][1] += elapsed
    finally:
        for conn in connections:
            conn.close()
    return {table: count / elapsed for table, (count, elapsed) in totals.items()}


def _insert_round(
    connections: list, statement: str, batch: list[tuple], seconds: float
) -> tuple[int, float]:
    queue = iter(batch)
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds + 60

    def task(conn: Any) -> int:
        done = 0
        while time.perf_counter() < deadline:
            with lock:
                row = next(queue, None)
            if row is None:
                break
            conn.execute(statement, row)
            done += 1
        return done

    deadline = time.perf_counter() + seconds
    return threaded(connections, task)
