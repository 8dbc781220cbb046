"""Storage of drivers' positions: attribution from the allocations, bulk insert, last positions.

A position is tied to a truck and a booking by the server, from the driver's LIVE allocations
(released_at IS NULL), never from ids the client claims:
- booking: the allocated booking whose job window contains `recorded_at`, the window being
  [started_at, completed_at) of a booking that is `in_progress` or `completed` (so a backlog sent
  after completion still lands on the job, and nothing before the start or after the end does);
  truck: that booking's live truck allocation.
- outside any job (booking NULL: the fleet view only, never shown to customers): the truck of
  the driver's live allocation that started last at or before `recorded_at` (the current or the
  previous job), else of the next upcoming one. A driver with no live allocation at all has no
  truck: such positions are not stored (`no_truck`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from apps.bookings.models import Booking
from apps.companies.models import Driver

JOB_STATUSES = (Booking.Status.IN_PROGRESS, Booking.Status.COMPLETED)
# Allocations looked at per driver and flush: the positions of one flush span at most 24 h (the
# validation's window), so the latest ones starting before them are enough.
ALLOCATIONS_PER_DRIVER = 50


@dataclass(frozen=True)
class Fix:
    """One validated position of one driver, as the ingest hands it to storage."""

    driver_id: int
    lat: float
    lng: float
    recorded_at: datetime
    heading: float | None = None
    speed: float | None = None
    accuracy: float | None = None


@dataclass(frozen=True)
class StoredPosition:
    """A position this flush inserted (duplicates are not in the list)."""

    company_id: int
    truck_id: int
    driver_id: int
    booking_id: int | None
    lat: float
    lng: float
    recorded_at: datetime
    heading: float | None
    speed: float | None
    accuracy: float | None


@dataclass
class StoreResult:
    """What a flush did: rows inserted, trucks whose last position moved, fixes without a truck."""

    inserted: list[StoredPosition]
    last_positions: list[StoredPosition]
    no_truck: set[tuple[int, datetime]]


@dataclass(frozen=True)
class _Slot:
    start: datetime
    booking_id: int
    truck_id: int | None
    job_start: datetime | None
    job_end: datetime | None
    is_job: bool


_SLOTS_SQL = """
SELECT wanted.driver_id, lower(allocation.period), booking.id, (
           SELECT truck.truck_id FROM bookings_truckallocation truck
           WHERE truck.booking_id = booking.id AND truck.released_at IS NULL
           ORDER BY truck.period DESC, truck.id DESC LIMIT 1
       ), booking.started_at, booking.completed_at, booking.status = ANY(%s::text[])
FROM unnest(%s::bigint[], %s::timestamptz[]) AS wanted (driver_id, latest)
CROSS JOIN LATERAL (
    SELECT period, booking_id FROM bookings_driverallocation
    WHERE driver_id = wanted.driver_id AND released_at IS NULL AND booking_id IS NOT NULL
      AND lower(period) <= wanted.latest + interval '2 days'
    ORDER BY lower(period) DESC LIMIT %s
) allocation
JOIN bookings_booking booking ON booking.id = allocation.booking_id
ORDER BY wanted.driver_id, lower(allocation.period) DESC
"""


def _slots_by_driver(latest: dict[int, datetime]) -> dict[int, list[_Slot]]:
    """Each driver's live allocations (newest start first) with their booking's job window, for
    every driver of a flush in one query (`latest`: the driver's newest fix of the flush)."""
    slots: dict[int, list[_Slot]] = {driver_id: [] for driver_id in latest}
    drivers = list(latest)
    with connection.cursor() as cursor:
        cursor.execute(
            _SLOTS_SQL,
            [
                [str(status) for status in JOB_STATUSES],
                drivers,
                [latest[driver_id] for driver_id in drivers],
                ALLOCATIONS_PER_DRIVER,
            ],
        )
        for driver_id, start, booking_id, truck_id, job_start, job_end, is_job in cursor:
            slots[driver_id].append(
                _Slot(
                    start=start,
                    booking_id=booking_id,
                    truck_id=truck_id,
                    job_start=job_start,
                    job_end=job_end,
                    is_job=is_job,
                )
            )
    return slots


def _attribute(fix: Fix, slots: list[_Slot]) -> tuple[int | None, int | None]:
    """(truck_id, booking_id) of one fix; (None, None) when no truck can be told."""
    for slot in slots:
        if (
            slot.is_job
            and slot.truck_id is not None
            and slot.job_start is not None
            and slot.job_start <= fix.recorded_at
            and (slot.job_end is None or fix.recorded_at < slot.job_end)
        ):
            return slot.truck_id, slot.booking_id
    with_truck = [slot for slot in slots if slot.truck_id is not None]
    before = [slot for slot in with_truck if slot.start <= fix.recorded_at]
    if before:
        return before[0].truck_id, None
    if with_truck:
        return with_truck[-1].truck_id, None  # the next upcoming allocation
    return None, None


_INSERT_SQL = """
INSERT INTO tracking_position
    (company_id, truck_id, driver_id, booking_id, point, recorded_at, received_at,
     heading, speed, accuracy)
SELECT c, t, d, b, ST_SetSRID(ST_MakePoint(lng, lat), 4326)::geography, r, %s, h, s, a
FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::float8[],
            %s::float8[], %s::timestamptz[], %s::float8[], %s::float8[], %s::float8[])
     WITH ORDINALITY AS rows (c, t, d, b, lat, lng, r, h, s, a, n)
ORDER BY n
ON CONFLICT (driver_id, recorded_at) DO NOTHING
RETURNING driver_id, recorded_at
"""

# One statement for every truck of a flush, in truck order (two flushes never deadlock).
_LAST_POSITIONS_SQL = """
INSERT INTO tracking_trucklastposition AS last
    (truck_id, company_id, driver_id, booking_id, point, recorded_at, heading, speed,
     last_seen_at)
SELECT t, c, d, b, ST_SetSRID(ST_MakePoint(lng, lat), 4326)::geography, r, h, s, %s
FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::float8[],
            %s::float8[], %s::timestamptz[], %s::float8[], %s::float8[])
     AS rows (t, c, d, b, lat, lng, r, h, s)
ORDER BY t
ON CONFLICT (truck_id) DO UPDATE SET
    company_id = EXCLUDED.company_id, driver_id = EXCLUDED.driver_id,
    booking_id = EXCLUDED.booking_id, point = EXCLUDED.point,
    recorded_at = EXCLUDED.recorded_at, heading = EXCLUDED.heading, speed = EXCLUDED.speed,
    last_seen_at = EXCLUDED.last_seen_at
WHERE last.recorded_at < EXCLUDED.recorded_at
RETURNING truck_id
"""


@transaction.atomic
def positions_store(*, fixes: list[Fix]) -> StoreResult:
    """Insert `fixes` in time order (duplicates by (driver, recorded_at) ignored) and move each
    truck's last position to its newest fix when newer; one transaction.

    Fixes whose driver has no truck (see the module docstring) are not stored and are listed in
    `no_truck`.
    """
    now = timezone.now()
    by_driver: dict[int, list[Fix]] = defaultdict(list)
    for fix in fixes:
        by_driver[fix.driver_id].append(fix)
    companies = dict(Driver.objects.filter(pk__in=list(by_driver)).values_list("pk", "company_id"))
    rows: list[StoredPosition] = []
    no_truck: set[tuple[int, datetime]] = set()
    slots_of = _slots_by_driver(
        {
            driver_id: max(fix.recorded_at for fix in driver_fixes)
            for driver_id, driver_fixes in by_driver.items()
            if driver_id in companies
        }
    )
    for driver_id, driver_fixes in by_driver.items():
        if driver_id not in companies:
            no_truck.update((driver_id, fix.recorded_at) for fix in driver_fixes)
            continue
        slots = slots_of[driver_id]
        for fix in driver_fixes:
            truck_id, booking_id = _attribute(fix, slots)
            if truck_id is None:
                no_truck.add((driver_id, fix.recorded_at))
                continue
            rows.append(
                StoredPosition(
                    company_id=companies[driver_id],
                    truck_id=truck_id,
                    driver_id=driver_id,
                    booking_id=booking_id,
                    lat=fix.lat,
                    lng=fix.lng,
                    recorded_at=fix.recorded_at,
                    heading=fix.heading,
                    speed=fix.speed,
                    accuracy=fix.accuracy,
                )
            )
    rows.sort(key=lambda row: (row.recorded_at, row.driver_id))
    if not rows:
        return StoreResult(inserted=[], last_positions=[], no_truck=no_truck)
    columns: list[list[Any]] = [
        [row.company_id for row in rows],
        [row.truck_id for row in rows],
        [row.driver_id for row in rows],
        [row.booking_id for row in rows],
        [row.lat for row in rows],
        [row.lng for row in rows],
        [row.recorded_at for row in rows],
        [row.heading for row in rows],
        [row.speed for row in rows],
        [row.accuracy for row in rows],
    ]
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_SQL, [now, *columns])
        inserted_keys = {(driver_id, recorded_at) for driver_id, recorded_at in cursor.fetchall()}
        inserted = [row for row in rows if (row.driver_id, row.recorded_at) in inserted_keys]
        newest: dict[int, StoredPosition] = {}
        for row in inserted:  # time order: the last one per truck wins
            newest[row.truck_id] = row
        trucks = sorted(newest)
        latest = [newest[truck_id] for truck_id in trucks]
        cursor.execute(
            _LAST_POSITIONS_SQL,
            [
                now,
                trucks,
                [row.company_id for row in latest],
                [row.driver_id for row in latest],
                [row.booking_id for row in latest],
                [row.lat for row in latest],
                [row.lng for row in latest],
                [row.recorded_at for row in latest],
                [row.heading for row in latest],
                [row.speed for row in latest],
            ],
        )
        moved_trucks = {truck_id for (truck_id,) in cursor.fetchall()}
        moved = [row for row in latest if row.truck_id in moved_trucks]
    return StoreResult(inserted=inserted, last_positions=moved, no_truck=no_truck)


def _delete_in_batches(sql: str, params: dict[str, Any], *, batch: int) -> int:
    deleted = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, {**params, "batch": batch})
            count = cursor.rowcount
        deleted += count
        if count < batch:
            return deleted


_THIN_SQL = """
DELETE FROM tracking_position WHERE id IN (
    SELECT id FROM (
        SELECT id, row_number() OVER (
            PARTITION BY driver_id, date_trunc('minute', recorded_at)
            ORDER BY recorded_at, id
        ) AS nth
        FROM tracking_position
        WHERE recorded_at < %(thin_before)s AND recorded_at >= %(delete_before)s
    ) ranked
    WHERE nth > 1
    LIMIT %(batch)s
)
"""

_EXPIRE_SQL = """
DELETE FROM tracking_position WHERE id IN (
    SELECT id FROM tracking_position WHERE recorded_at < %(delete_before)s LIMIT %(batch)s
)
"""


def positions_retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Delete positions older than TRACKING_RETENTION_DAYS, and thin those older than
    TRACKING_THIN_AFTER_DAYS to the first fix of each minute per driver; batched deletes, each
    batch its own short transaction (idempotent: a rerun finds nothing more to do)."""
    now = now or timezone.now()
    params = {
        "thin_before": now - timedelta(days=settings.TRACKING_THIN_AFTER_DAYS),
        "delete_before": now - timedelta(days=settings.TRACKING_RETENTION_DAYS),
    }
    batch = settings.TRACKING_RETENTION_BATCH
    expired = _delete_in_batches(_EXPIRE_SQL, params, batch=batch)
    thinned = _delete_in_batches(_THIN_SQL, params, batch=batch)
    return {"expired": expired, "thinned": thinned}
