"""A booking's progress from a new position: ETA, distance remaining, arrival noticed once.

Called by the ingest's flush (synchronous, inside no transaction) for each stored position of a
booking: the flush loads the bookings, their arrivals and their cached ETAs once
(`progress_context_load`: 2 queries and one cache read), then `progress_of_position` runs per
position, and `progress_context_save` writes the ETAs it recomputed (one cache write). The next
stop is the move's origin until an ArrivalNotice for the origin exists (that is how we know the
pickup happened), then the destination; after the destination, nothing is left (ETA 0).

- Arrival: within TRACKING_ARRIVAL_RADIUS_M (great circle) of the next stop, an ArrivalNotice is
  inserted with ON CONFLICT DO NOTHING. Only the process whose INSERT returned a row appends the
  `arriving` BookingEvent and broadcasts the `status` event, so two servers seeing the truck
  arrive at the same moment emit it once (the unique index makes the loser wait, then skip).
- ETA: remaining road distance from the route provider (apps.pricing.routes) over the smoothed
  speed: an EWMA of the job's recent positions' speeds, never below a floor. The result is kept
  in the cache with the position time it was computed for, and reused until
  TRACKING_ETA_MIN_INTERVAL_SECONDS of position time have passed (or the next stop changed).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

import structlog
from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.db import connection, transaction

from apps.bookings.events import booking_event_append
from apps.bookings.models import Booking
from apps.bookings.realtime import booking_broadcast
from apps.core.geo import point_from_lat_lng
from apps.pricing.routes import haversine_km, route_distance_km
from apps.tracking.models import ArrivalNotice, Position

logger = structlog.get_logger(__name__)

Stop = ArrivalNotice.Stop
STOPS_IN_ORDER = (Stop.ORIGIN, Stop.DESTINATION)
METRES_PER_SECOND_IN_KMH = 3.6


def eta_cache_key(booking_id: int) -> str:
    """Where the booking's last ETA lives (shared by every process through the cache)."""
    return f"tracking:eta:{booking_id}"


@dataclass
class ProgressContext:
    """What a flush's progress needs, loaded once: the in-progress bookings (with their move
    request) and the stops each booking has arrived at."""

    bookings: dict[int, Booking]
    arrived: dict[int, set[str]]
    etas: dict[int, dict[str, Any]] = field(default_factory=dict)  # the cache's, by booking
    etas_changed: set[int] = field(default_factory=set)
    # Prefetched (progress_speeds_prefetch): a booking's newest speeds (newest first) up to a
    # time, and how many were asked for.
    speeds: dict[int, tuple[datetime, int, list[tuple[datetime, float]]]] = field(
        default_factory=dict
    )


def progress_context_load(*, booking_ids: Iterable[int]) -> ProgressContext:
    """The ProgressContext of `booking_ids` in 2 queries and one cache read (bookings not in
    progress are left out)."""
    ids = set(booking_ids)
    bookings = {
        booking.pk: booking
        for booking in Booking.objects.select_related("move_request")
        .only("status", "company", "move_request__origin", "move_request__destination")
        .filter(pk__in=ids, status=Booking.Status.IN_PROGRESS)
    }
    arrived: dict[int, set[str]] = {booking_id: set() for booking_id in bookings}
    for booking_id, stop in ArrivalNotice.objects.filter(booking_id__in=bookings).values_list(
        "booking_id", "stop"
    ):
        arrived[booking_id].add(stop)
    keys = {eta_cache_key(booking_id): booking_id for booking_id in bookings}
    etas = {keys[key]: value for key, value in _cache_get_many(list(keys)).items()}
    return ProgressContext(bookings=bookings, arrived=arrived, etas=etas)


def progress_context_save(context: ProgressContext) -> None:
    """Write the ETAs recomputed with `context` to the cache (one write; best effort)."""
    if context.etas_changed:
        _cache_set_many(
            {
                eta_cache_key(booking_id): context.etas[booking_id]
                for booking_id in context.etas_changed
            }
        )
        context.etas_changed.clear()


def position_progress(
    *, booking_id: int, lat: float, lng: float, recorded_at: datetime
) -> dict[str, Any]:
    """`progress_of_position` for one position, its context loaded (and saved) for it alone."""
    context = progress_context_load(booking_ids=[booking_id])
    extra = progress_of_position(
        context=context, booking_id=booking_id, lat=lat, lng=lng, recorded_at=recorded_at
    )
    progress_context_save(context)
    return extra


def progress_of_position(
    *, context: ProgressContext, booking_id: int, lat: float, lng: float, recorded_at: datetime
) -> dict[str, Any]:
    """Extra fields for the booking's `position` event: {"eta_minutes", "distance_remaining_km"}
    when known (recomputed at most every 30 s per booking), else {}. May record an arrival
    (ArrivalNotice + `arriving` BookingEvent + a `status` event) exactly once per stop; the
    context's arrival set of the booking is updated, so later positions of the flush see it."""
    booking = context.bookings.get(booking_id)
    if booking is None:
        return {}
    stops: dict[str, Point] = {
        Stop.ORIGIN: booking.move_request.origin,
        Stop.DESTINATION: booking.move_request.destination,
    }
    arrived = context.arrived[booking_id]
    stop = _next_stop(arrived)
    if stop is not None and _metres_between(lat, lng, stops[stop]) <= _arrival_radius_m():
        arrival_record(booking=booking, stop=stop, at=recorded_at)
        arrived.add(stop)
        stop = _next_stop(arrived)
    if stop is None:
        return {"eta_minutes": 0, "distance_remaining_km": 0.0}
    return _eta(
        context=context,
        booking_id=booking_id,
        stop=stop,
        here=(lat, lng),
        target=stops[stop],
        at=recorded_at,
    )


@transaction.atomic
def arrival_record(*, booking: Booking, stop: str, at: datetime) -> bool:
    """Notice the truck's arrival at `stop` once: True for the one caller that inserted it.

    The winner appends the `arriving` event and broadcasts the `status` event after the commit;
    a concurrent caller blocks on the unique index until then and inserts nothing.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ArrivalNotice._meta.db_table} (booking_id, stop, at) "  # noqa: S608 (table name from model meta, not input)
            "VALUES (%s, %s, %s) ON CONFLICT (booking_id, stop) DO NOTHING RETURNING id",
            [booking.pk, stop, at],
        )
        inserted = cursor.fetchone() is not None
    if not inserted:
        return False
    booking_event_append(booking=booking, kind="arriving", actor=None, data={"stop": stop})
    booking_broadcast(
        booking_id=booking.pk,
        event={"type": "status", "status": booking.status, "kind": "arriving", "stop": stop},
    )
    return True


_RECENT_SPEEDS_SQL = """
SELECT wanted.booking_id, recent.recorded_at, recent.speed
FROM unnest(%s::bigint[], %s::timestamptz[], %s::int[]) AS wanted (booking_id, until, n)
CROSS JOIN LATERAL (
    SELECT recorded_at, speed FROM tracking_position
    WHERE booking_id = wanted.booking_id AND recorded_at <= wanted.until AND speed IS NOT NULL
    ORDER BY recorded_at DESC LIMIT wanted.n
) recent
ORDER BY wanted.booking_id, recent.recorded_at DESC
"""


def progress_speeds_prefetch(
    context: ProgressContext, *, positions: list[tuple[int, float, float, datetime]]
) -> None:
    """One query for the recent speeds of every booking whose ETA the flush's `positions`
    ((booking_id, lat, lng, recorded_at), time order) may recompute, instead of one per ETA.

    A booking may recompute when it has no cached ETA, its newest position is at least the
    interval past the cached one, its next stop changed, or a position is near a stop. Fetched:
    the samples before its newest position plus as many as it has positions in the flush, so
    an ETA at an earlier position of the flush still finds its samples (else it queries)."""
    newest: dict[int, datetime] = {}
    count: dict[int, int] = {}
    near: set[int] = set()
    for booking_id, lat, lng, at in positions:
        booking = context.bookings.get(booking_id)
        if booking is None:
            continue
        newest[booking_id] = max(at, newest.get(booking_id, at))
        count[booking_id] = count.get(booking_id, 0) + 1
        request = booking.move_request
        if (
            min(
                _metres_between(lat, lng, request.origin),
                _metres_between(lat, lng, request.destination),
            )
            <= _arrival_radius_m()
        ):
            near.add(booking_id)
    interval = settings.TRACKING_ETA_MIN_INTERVAL_SECONDS
    wanted = []
    for booking_id, until in newest.items():
        cached = context.etas.get(booking_id)
        if (
            cached is None
            or booking_id in near
            or cached["stop"] != _next_stop(context.arrived[booking_id])
            or until.timestamp() - cached["at"] >= interval
        ):
            wanted.append(
                (booking_id, until, settings.TRACKING_ETA_SPEED_SAMPLES + count[booking_id])
            )
    if not wanted:
        return
    fetched: dict[int, list[tuple[datetime, float]]] = {
        booking_id: [] for booking_id, _, _ in wanted
    }
    with connection.cursor() as cursor:
        cursor.execute(
            _RECENT_SPEEDS_SQL,
            [[w[0] for w in wanted], [w[1] for w in wanted], [w[2] for w in wanted]],
        )
        for booking_id, recorded_at, speed in cursor:
            fetched[booking_id].append((recorded_at, speed))
    for booking_id, until, limit in wanted:
        context.speeds[booking_id] = (until, limit, fetched[booking_id])


def _smoothed_speed_of(context: ProgressContext, *, booking_id: int, until: datetime) -> float:
    """`smoothed_speed_kmh` from the prefetched speeds when they cover `until`, else queried."""
    prefetched = context.speeds.get(booking_id)
    if prefetched is not None:
        fetched_until, limit, rows = prefetched
        samples = settings.TRACKING_ETA_SPEED_SAMPLES
        speeds = [speed for recorded_at, speed in rows if recorded_at <= until][:samples]
        if until <= fetched_until and (len(speeds) == samples or len(rows) < limit):
            return _ewma_kmh(speeds)
    return smoothed_speed_kmh(booking_id=booking_id, until=until)


def smoothed_speed_kmh(*, booking_id: int, until: datetime) -> float:
    """EWMA of the job's recent positions' speeds (oldest first), floored; km/h."""
    recent = (
        Position.objects.filter(booking_id=booking_id, recorded_at__lte=until, speed__isnull=False)
        .order_by("-recorded_at")
        .values_list("speed", flat=True)[: settings.TRACKING_ETA_SPEED_SAMPLES]
    )
    return _ewma_kmh(cast(list[float], list(recent)))  # speed__isnull=False above


def _ewma_kmh(speeds: list[float]) -> float:
    """The EWMA of `speeds` (m/s, newest first) in km/h, floored; the default without any."""
    if not speeds:
        return max(settings.TRACKING_ETA_DEFAULT_SPEED_KMH, settings.TRACKING_ETA_FLOOR_SPEED_KMH)
    weight = settings.TRACKING_ETA_SPEED_SMOOTHING
    smoothed = speeds[-1]
    for speed in reversed(speeds[:-1]):
        smoothed = weight * speed + (1 - weight) * smoothed
    return max(smoothed * METRES_PER_SECOND_IN_KMH, settings.TRACKING_ETA_FLOOR_SPEED_KMH)


def _eta(
    *,
    context: ProgressContext,
    booking_id: int,
    stop: str,
    here: tuple[float, float],
    target: Point,
    at: datetime,
) -> dict[str, Any]:
    cached = context.etas.get(booking_id)
    if (
        cached is not None
        and cached["stop"] == stop
        and at.timestamp() - cached["at"] < settings.TRACKING_ETA_MIN_INTERVAL_SECONDS
    ):
        return {name: cached[name] for name in ("eta_minutes", "distance_remaining_km")}
    lat, lng = here
    distance_km = float(route_distance_km(origin=point_from_lat_lng(lat, lng), destination=target))
    speed_kmh = _smoothed_speed_of(context, booking_id=booking_id, until=at)
    result = {
        "eta_minutes": math.ceil(distance_km / speed_kmh * 60),
        "distance_remaining_km": distance_km,
    }
    context.etas[booking_id] = {"at": at.timestamp(), "stop": stop, **result}
    context.etas_changed.add(booking_id)
    return result


def _next_stop(arrived: set[str]) -> str | None:
    return next((stop for stop in STOPS_IN_ORDER if stop not in arrived), None)


def _metres_between(lat: float, lng: float, point: Point) -> float:
    return haversine_km(origin=(lat, lng), destination=(point.y, point.x)) * 1000


def _arrival_radius_m() -> float:
    return float(settings.TRACKING_ARRIVAL_RADIUS_M)


def _cache_get_many(keys: list[str]) -> dict[str, Any]:
    if not keys:
        return {}
    try:
        return cache.get_many(keys)
    except Exception as exc:  # Redis down: compute afresh rather than fail the flush
        logger.warning("tracking.eta_cache_unavailable", error=repr(exc))
        return {}


def _cache_set_many(values: dict[str, Any]) -> None:
    try:
        cache.set_many(values, timeout=3600)
    except Exception as exc:
        logger.warning("tracking.eta_cache_unavailable", error=repr(exc))
