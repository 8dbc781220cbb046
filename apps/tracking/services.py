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

from apps.bookings.models import Booking, DriverAllocation, TruckAllocation
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


def _slots_of(driver_id: int, *, latest: datetime) -> list[_Slot]:
    """The driver's live allocations (newest start first) with their booking's job window."""
    allocations = list(
        DriverAllocation.objects.filter(
            driver_id=driver_id, released_at__isnull=True, booking__isnull=False
        )
        .filter(period__startswith__lte=latest + timedelta(days=2))
        .select_related("booking")
        .order_by("-period__startswith")[:ALLOCATIONS_PER_DRIVER]
    )
    trucks = dict(
        TruckAllocation.objects.filter(
            booking_id__in=[allocation.booking_id for allocation in allocations],
            released_at__isnull=True,
        ).values_list("booking_id", "truck_id")
    )
    slots = []
    for allocation in allocations:
        booking = allocation.booking
        assert booking is not None  # filtered on booking__isnull=False above
        slots.append(
            _Slot(
                start=allocation.period.lower,
                booking_id=booking.pk,
                truck_id=trucks.get(booking.pk),
                job_start=booking.started_at,
                job_end=booking.completed_at,
                is_job=booking.status in JOB_STATUSES,
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

_LAST_POSITION_SQL = """
INSERT INTO tracking_trucklastposition AS last
    (truck_id, company_id, driver_id, booking_id, point, recorded_at, heading, speed,
     last_seen_at)
VALUES (%s, %s, %s, %s, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s, %s, %s, %s)
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
    for driver_id, driver_fixes in by_driver.items():
        if driver_id not in companies:
            no_truck.update((driver_id, fix.recorded_at) for fix in driver_fixes)
            continue
        slots = _slots_of(driver_id, latest=max(fix.recorded_at for fix in driver_fixes))
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
        moved: list[StoredPosition] = []
        for truck_id in sorted(newest):  # a fixed order: two flushes never deadlock
            row = newest[truck_id]
            cursor.execute(
                _LAST_POSITION_SQL,
                [
                    row.truck_id,
                    row.company_id,
                    row.driver_id,
                    row.booking_id,
                    row.lng,
                    row.lat,
                    row.recorded_at,
                    row.heading,
                    row.speed,
                    now,
                ],
            )
            if cursor.fetchone() is not None:
                moved.append(row)
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
