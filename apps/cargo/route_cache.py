"""Route-search cache (Redis, the default Django cache) and its invalidation by version keys.

Rendered search results are cached per (origin, destination, date, volume, weight) under the
current VERSION of (origin hub, local date). `routes_invalidate(trip=...)` is called after
commit whenever a trip's remaining capacity or status changes (publish, reserve, cancel,
depart, arrive); it bumps the version of every (origin hub, local date) whose searches the
trip can appear in, so later searches miss and recompute. Old entries are never read again
and expire after CARGO_ROUTE_CACHE_SECONDS.

- The trip as a direct trip or first leg: (its origin hub, its departs_on_local).
- The trip as a second leg: (origin hub, departs_on_local) of every trip that arrives at its
  origin hub within the connection window before it leaves (one indexed query). That is exact
  whatever the first leg's duration or the hubs' time zones, where a fixed "up to N days
  before" rule would miss long first legs.

Races: a search reads the version BEFORE it queries, and stores its result under that version.
A reservation that commits while the search runs bumps the version after its commit, so a
result that may predate the commit is stored under a version nobody reads any more.
A version key that is missing (never set, expired, evicted) is created with the current time in
nanoseconds, never a small number, so a recreated version cannot meet an old entry.

The cache only speeds up reads: the reservation re-checks capacity with a conditional UPDATE,
so a stale entry can show space that is gone but never oversell. Redis down: searches answer
from the database (logged); an invalidation that cannot reach Redis is logged and dropped
(entries then live at most CARGO_ROUTE_CACHE_SECONDS). CARGO_ROUTE_CACHE_SECONDS = 0 turns the
cache off.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import structlog
from django.conf import settings
from django.core.cache import cache

from apps.cargo.models import Hub, Trip
from apps.cargo.search import max_connection, min_connection
from apps.core.outage import REDIS_DOWN_ERRORS

logger = structlog.get_logger(__name__)

# Version keys outlive the entries they version by far; one that expires is recreated fresh.
VERSION_TIMEOUT_SECONDS = 8 * 24 * 3600


def _version_key(hub_id: int, day: date) -> str:
    return f"cargo:routes:version:{hub_id}:{day.isoformat()}"


def _number(value: Decimal) -> str:
    """A Decimal as plain text without trailing zeros: 1.50 and 1.5 share an entry."""
    return format(Decimal(value).normalize(), "f")


def _entry_key(
    *, origin: Hub, destination: Hub, day: date, volume_m3: Decimal, weight_kg: Decimal, version
) -> str:
    return (
        f"cargo:routes:{origin.pk}:{destination.pk}:{day.isoformat()}:"
        f"{_number(volume_m3)}:{_number(weight_kg)}:v{version}"
    )


def _version_get(hub_id: int, day: date) -> int:
    key = _version_key(hub_id, day)
    version = cache.get(key)
    if version is None:
        fresh = time.time_ns()
        version = fresh if cache.add(key, fresh, VERSION_TIMEOUT_SECONDS) else cache.get(key, fresh)
    return version


def _version_bump(hub_id: int, day: date) -> None:
    key = _version_key(hub_id, day)
    for _attempt in range(3):
        try:
            if cache.incr(key) == 1:
                # The key expired between Django's EXISTS and INCRBY, which then started at 1:
                # replace that small number by a fresh one.
                cache.set(key, time.time_ns(), VERSION_TIMEOUT_SECONDS)
            return
        except ValueError:  # no version yet: any fresh value is a new version
            if cache.add(key, time.time_ns(), VERSION_TIMEOUT_SECONDS):
                return
            # A search created it meanwhile, maybe before our commit: bump that one.


def routes_cached(
    *,
    origin: Hub,
    destination: Hub,
    date: date,
    volume_m3: Decimal,
    weight_kg: Decimal,
    compute: Callable[[], list[dict[str, Any]]],
) -> list[dict[str, Any]]:
    """The rendered results of a search: from the cache, else `compute()` (then cached)."""
    timeout = settings.CARGO_ROUTE_CACHE_SECONDS
    if timeout <= 0:
        return compute()
    try:
        key = _entry_key(
            origin=origin,
            destination=destination,
            day=date,
            volume_m3=volume_m3,
            weight_kg=weight_kg,
            version=_version_get(origin.pk, date),
        )
        cached = cache.get(key)
    except REDIS_DOWN_ERRORS as exc:
        logger.warning("cargo.route_cache.down", action="read", error=type(exc).__name__)
        return compute()
    if cached is not None:
        return cached
    results = compute()
    try:
        cache.set(key, results, timeout)
    except REDIS_DOWN_ERRORS as exc:
        logger.warning("cargo.route_cache.down", action="write", error=type(exc).__name__)
    return results


def routes_invalidate_scopes(*, trip: Trip) -> set[tuple[int, date]]:
    """(origin hub id, local date) of every search `trip` can appear in (module docstring)."""
    scopes = {(trip.origin_hub_id, trip.departs_on_local)}
    first_legs = Trip.objects.filter(
        destination_hub_id=trip.origin_hub_id,
        arrives_at__gte=trip.departs_at - max_connection(),
        arrives_at__lte=trip.departs_at - min_connection(),
    ).values_list("origin_hub_id", "departs_on_local")
    scopes.update(first_legs.distinct())
    return scopes


def routes_invalidate(*, trip: Trip) -> None:
    """Bump the cache versions of every search the trip can appear in (call after commit)."""
    if settings.CARGO_ROUTE_CACHE_SECONDS <= 0:
        return
    scopes = routes_invalidate_scopes(trip=trip)
    try:
        for hub_id, day in sorted(scopes):
            _version_bump(hub_id, day)
    except REDIS_DOWN_ERRORS as exc:
        logger.warning(
            "cargo.route_cache.down", action="invalidate", trip=trip.pk, error=type(exc).__name__
        )
