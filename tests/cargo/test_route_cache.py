"""Route-search cache: hits until a trip changes, invalidation by version keys, Redis down."""

from __future__ import annotations

import copy
import socket
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from apps.cargo.models import Trip, TripStatus
from apps.cargo.route_cache import routes_invalidate, routes_invalidate_scopes
from tests.cargo.search_support import carrier_truck, german_hubs, trip_create

URL = "/api/v1/cargo/routes/"
DAY = date(2030, 6, 10)
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def hubs(db):
    return german_hubs()


@pytest.fixture
def truck(db):
    return carrier_truck()


def berlin(hour: int, *, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN)


def search(client, **params):
    query = {
        "origin": "BER",
        "destination": "MUC",
        "date": DAY.isoformat(),
        "volume_m3": "2",
        "weight_kg": "100",
    }
    response = client.get(URL, query | params)
    assert response.status_code == 200, response.content
    return response.json()


def remaining(body) -> list[list[str]]:
    return [[leg["remaining_m3"] for leg in result["legs"]] for result in body["results"]]


def reserve(trip: Trip, volume_m3: str) -> bool:
    """What a reservation does to a leg: a conditional UPDATE, then invalidation on commit."""
    volume = Decimal(volume_m3)
    with transaction.atomic():
        updated = Trip.objects.filter(
            pk=trip.pk, sold_m3__lte=F("capacity_m3") - volume, status=TripStatus.SCHEDULED
        ).update(sold_m3=F("sold_m3") + volume)
        transaction.on_commit(lambda: routes_invalidate(trip=trip))
    return updated == 1


def test_a_repeated_search_is_served_from_the_cache(api_client, hubs, truck):
    trip = trip_create(truck=truck, origin=hubs.BER, destination=hubs.MUC, departs_at=berlin(9))
    first = search(api_client)
    # A change nobody announced (no routes_invalidate): the cached answer is still served.
    Trip.objects.filter(pk=trip.pk).update(sold_m3=Decimal("5"))

    second = search(api_client)

    assert remaining(first) == remaining(second) == [["20.000"]]


def test_a_reservation_invalidates_the_searches_of_its_date(
    api_client, hubs, truck, django_capture_on_commit_callbacks
):
    trip = trip_create(truck=truck, origin=hubs.BER, destination=hubs.MUC, departs_at=berlin(9))
    before = search(api_client)

    with django_capture_on_commit_callbacks(execute=True):
        assert reserve(trip, "18")
    after = search(api_client)
    with django_capture_on_commit_callbacks(execute=True):
        assert reserve(trip, "0.5")
    too_full = search(api_client)

    assert remaining(before) == [["20.000"]]
    assert remaining(after) == [["2.000"]]
    assert too_full["count"] == 0
    assert remaining(search(api_client, volume_m3="1.5")) == [["1.500"]]


def test_a_cancellation_invalidates_too(
    api_client, hubs, truck, django_capture_on_commit_callbacks
):
    trip = trip_create(
        truck=truck, origin=hubs.BER, destination=hubs.MUC, departs_at=berlin(9), sold_m3="20"
    )
    assert search(api_client)["count"] == 0

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Trip.objects.filter(pk=trip.pk).update(sold_m3=F("sold_m3") - Decimal("4"))
        transaction.on_commit(lambda: routes_invalidate(trip=trip))

    assert remaining(search(api_client)) == [["4.000"]]


def test_a_change_of_the_second_leg_invalidates_searches_from_the_first_legs_origin(
    api_client, hubs, truck, django_capture_on_commit_callbacks
):
    first = trip_create(truck=truck, origin=hubs.BER, destination=hubs.FRA, departs_at=berlin(6))
    # Leaves FRA two days later, on another local date than the search's.
    second = trip_create(
        truck=truck,
        origin=hubs.FRA,
        destination=hubs.MUC,
        departs_at=first.arrives_at + timedelta(hours=47),
    )
    assert remaining(search(api_client)) == [["20.000", "20.000"]]

    with django_capture_on_commit_callbacks(execute=True):
        assert reserve(second, "19")

    assert search(api_client)["count"] == 0
    assert routes_invalidate_scopes(trip=second) == {
        (hubs.FRA.pk, date(2030, 6, 12)),
        (hubs.BER.pk, DAY),
    }


def test_a_status_change_invalidates(api_client, hubs, truck, django_capture_on_commit_callbacks):
    trip = trip_create(truck=truck, origin=hubs.BER, destination=hubs.MUC, departs_at=berlin(9))
    assert search(api_client)["count"] == 1

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Trip.objects.filter(pk=trip.pk).update(status=TripStatus.CANCELLED)
        transaction.on_commit(lambda: routes_invalidate(trip=trip))

    assert search(api_client)["count"] == 0


def test_an_evicted_version_key_comes_back_as_a_new_version(api_client, hubs, truck):
    trip = trip_create(truck=truck, origin=hubs.BER, destination=hubs.MUC, departs_at=berlin(9))
    search(api_client)
    version_key = f"cargo:routes:version:{hubs.BER.pk}:{DAY.isoformat()}"
    old_version = cache.get(version_key)
    cache.delete(version_key)  # as if Redis had evicted it
    Trip.objects.filter(pk=trip.pk).update(sold_m3=Decimal("5"))

    body = search(api_client)

    assert remaining(body) == [["15.000"]]
    assert cache.get(version_key) > old_version


def test_an_invalidation_of_a_missing_version_creates_one(hubs, truck):
    trip = trip_create(truck=truck, origin=hubs.BER, destination=hubs.MUC, departs_at=berlin(9))
    version_key = f"cargo:routes:version:{hubs.BER.pk}:{DAY.isoformat()}"

    routes_invalidate(trip=trip)
    created = cache.get(version_key)
    routes_invalidate(trip=trip)

    assert created > 10**18  # nanoseconds, never a small number an old entry could carry
    assert cache.get(version_key) == created + 1


def test_volumes_written_differently_share_an_entry(api_client, hubs, truck):
    trip = trip_create(truck=truck, origin=hubs.BER, destination=hubs.MUC, departs_at=berlin(9))
    search(api_client, volume_m3="2.5")
    Trip.objects.filter(pk=trip.pk).update(sold_m3=Decimal("5"))

    assert remaining(search(api_client, volume_m3="2.500")) == [["20.000"]]


def test_with_the_cache_off_every_search_reads_the_database(settings, api_client, hubs, truck):
    settings.CARGO_ROUTE_CACHE_SECONDS = 0
    trip = trip_create(truck=truck, origin=hubs.BER, destination=hubs.MUC, departs_at=berlin(9))
    first = search(api_client)
    Trip.objects.filter(pk=trip.pk).update(sold_m3=Decimal("5"))

    assert remaining(first) == [["20.000"]]
    assert remaining(search(api_client)) == [["15.000"]]


def _closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    """The cache (Redis) on a closed port: every cache call raises a connection error."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["LOCATION"] = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CACHES = caches


def test_with_redis_down_search_answers_the_same_from_the_database(
    api_client, hubs, truck, settings
):
    first = trip_create(truck=truck, origin=hubs.BER, destination=hubs.FRA, departs_at=berlin(6))
    second = trip_create(truck=truck, origin=hubs.FRA, destination=hubs.MUC, departs_at=berlin(14))
    direct = trip_create(truck=truck, origin=hubs.BER, destination=hubs.MUC, departs_at=berlin(9))
    with_redis = search(api_client)
    redis_location = settings.CACHES["default"]["LOCATION"]

    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["LOCATION"] = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CACHES = caches
    without_redis = search(api_client)
    Trip.objects.filter(pk=direct.pk).update(sold_m3=Decimal("19"))
    routes_invalidate(trip=direct)  # logged and dropped, no error
    fresh_without_redis = search(api_client)

    assert redis_location != settings.CACHES["default"]["LOCATION"]
    assert without_redis == with_redis
    assert [[leg["id"] for leg in r["legs"]] for r in with_redis["results"]] == [
        [direct.id],
        [first.id, second.id],
    ]
    assert [[leg["id"] for leg in r["legs"]] for r in fresh_without_redis["results"]] == [
        [first.id, second.id]
    ]


def test_with_redis_down_a_cache_miss_path_still_validates_input(api_client, hubs, redis_down):
    response = api_client.get(URL, {"origin": "BER", "destination": "MUC"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
