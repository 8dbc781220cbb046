"""ETA and distance remaining of a job from a position (geodesic provider, known geometry)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from apps.bookings.models import Booking, BookingEvent, DriverAllocation, TruckAllocation
from apps.tracking.models import ArrivalNotice, Position
from apps.tracking.progress import (
    position_progress,
    progress_context_load,
    progress_of_position,
    progress_speeds_prefetch,
    smoothed_speed_kmh,
)
from tests.bookings.lifecycle_support import booking_in

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
# The factories' move: origin (45.7640, 4.8357), destination (45.7500, 4.8500).
EAST_OF_DESTINATION = (45.7500, 4.9000)  # 3.88 km due east: 5.0 road km at a factor of 1.3


@pytest.fixture(autouse=True)
def _geodesic(settings):
    settings.PRICING_ROUTE_PROVIDER = "geodesic"
    settings.PRICING_ROAD_FACTOR = "1.3"
    settings.TRACKING_ETA_MIN_INTERVAL_SECONDS = 30
    settings.TRACKING_ETA_SPEED_SMOOTHING = 0.3
    settings.TRACKING_ETA_FLOOR_SPEED_KMH = 10.0
    settings.TRACKING_ETA_DEFAULT_SPEED_KMH = 40.0
    settings.TRACKING_ARRIVAL_RADIUS_M = 200.0


@pytest.fixture
def job(alice) -> Booking:
    return booking_in(Booking.Status.IN_PROGRESS, company=alice)


def picked_up(job: Booking) -> None:
    ArrivalNotice.objects.create(booking=job, stop="origin", at=T0 - timedelta(minutes=30))


def fix(job: Booking, *, at: datetime, speed: float | None, lat=45.75, lng=4.90) -> Position:
    return Position.objects.create(
        company=job.company,
        truck=TruckAllocation.objects.get(booking=job).truck,
        driver=DriverAllocation.objects.get(booking=job).driver,
        booking=job,
        point=Point(lng, lat, srid=4326),
        recorded_at=at,
        received_at=timezone.now(),
        speed=speed,
    )


def progress(job: Booking, point: tuple[float, float], at: datetime) -> dict:
    lat, lng = point
    return position_progress(booking_id=job.pk, lat=lat, lng=lng, recorded_at=at)


def test_eta_to_the_destination_after_pickup_is_distance_over_smoothed_speed(job):
    # given the pickup done and the truck going 10 m/s (36 km/h)
    picked_up(job)
    for seconds in (0, 5, 10):
        fix(job, at=T0 + timedelta(seconds=seconds), speed=10.0)
    # when a position 5.0 road km from the destination comes in
    result = progress(job, EAST_OF_DESTINATION, T0 + timedelta(seconds=10))
    # then 5.0 km at 36 km/h = 8.3 min, rounded up
    assert result == {"eta_minutes": 9, "distance_remaining_km": 5.0}


def test_before_pickup_the_next_stop_is_the_origin(job):
    # (45.7640, 4.9000) is 4.99 km due east of the origin (45.7640, 4.8357): 6.5 road km
    fix(job, at=T0, speed=10.0)
    result = progress(job, (45.7640, 4.9000), T0)
    # 6.5 km at 36 km/h = 10.8 min, rounded up
    assert result == {"eta_minutes": 11, "distance_remaining_km": 6.5}


def test_without_any_speed_the_default_speed_is_used(job):
    picked_up(job)
    result = progress(job, EAST_OF_DESTINATION, T0)
    # 5.0 km at 40 km/h = 7.5 min
    assert result == {"eta_minutes": 8, "distance_remaining_km": 5.0}


def test_speed_is_an_ewma_of_recent_speeds_oldest_first(job):
    fix(job, at=T0, speed=10.0)
    fix(job, at=T0 + timedelta(seconds=5), speed=20.0)
    fix(job, at=T0 + timedelta(seconds=60), speed=99.0)  # after the position in question
    # 0.3 x 20 + 0.7 x 10 = 13 m/s = 46.8 km/h
    assert smoothed_speed_kmh(booking_id=job.pk, until=T0 + timedelta(seconds=5)) == pytest.approx(
        46.8
    )


def test_a_standing_truck_counts_at_the_floor_speed(job):
    picked_up(job)
    fix(job, at=T0, speed=0.0)
    assert smoothed_speed_kmh(booking_id=job.pk, until=T0) == 10.0
    # 5.0 km at 10 km/h = 30 min
    assert progress(job, EAST_OF_DESTINATION, T0) == {
        "eta_minutes": 30,
        "distance_remaining_km": 5.0,
    }


def test_eta_is_recomputed_at_most_every_30_seconds_of_position_time(job):
    picked_up(job)
    fix(job, at=T0, speed=10.0)
    first = progress(job, EAST_OF_DESTINATION, T0)
    # when the truck has moved halfway 29 s later: the cached ETA is reused
    halfway = (45.7500, 4.8750)
    assert progress(job, halfway, T0 + timedelta(seconds=29)) == first
    # and 30 s after the computation it is recomputed from the new position (2.5 km)
    assert progress(job, halfway, T0 + timedelta(seconds=30)) == {
        "eta_minutes": 5,
        "distance_remaining_km": 2.5,
    }


def test_a_booking_not_in_progress_gets_no_progress(alice):
    planned = booking_in(Booking.Status.SCHEDULED, company=alice)
    assert progress(planned, EAST_OF_DESTINATION, T0) == {}
    assert ArrivalNotice.objects.count() == 0


def test_arrival_at_the_origin_is_recorded_once_and_eta_turns_to_the_destination(job):
    # given the truck 100 m from the origin (45.7640, 4.8357)
    near_origin = (45.7649, 4.8357)
    # when two positions there come in
    first = progress(job, near_origin, T0)
    second = progress(job, near_origin, T0 + timedelta(seconds=40))
    # then one arrival and one `arriving` event
    assert list(ArrivalNotice.objects.values_list("booking_id", "stop", "at")) == [
        (job.pk, "origin", T0)
    ]
    events = BookingEvent.objects.filter(booking=job, kind="arriving")
    assert [(event.data, event.actor_id) for event in events] == [({"stop": "origin"}, None)]
    # and the ETA now counts to the destination (2.6 road km away)
    assert first["distance_remaining_km"] == 2.6
    assert second["distance_remaining_km"] == 2.6


def test_after_the_destination_nothing_remains(job):
    picked_up(job)
    result = progress(job, (45.7505, 4.8500), T0)
    assert result == {"eta_minutes": 0, "distance_remaining_km": 0.0}
    assert list(ArrivalNotice.objects.order_by("stop").values_list("stop", flat=True)) == [
        "destination",
        "origin",
    ]
    assert BookingEvent.objects.filter(booking=job, kind="arriving").get().data == {
        "stop": "destination"
    }


def test_a_flush_prefetches_the_speeds_in_one_query_and_each_eta_sees_its_own_samples(
    job, django_assert_num_queries
):
    # given the pickup done and speeds of 10 and 20 m/s stored, then 99 m/s a minute later
    picked_up(job)
    fix(job, at=T0, speed=10.0)
    fix(job, at=T0 + timedelta(seconds=5), speed=20.0)
    fix(job, at=T0 + timedelta(seconds=60), speed=99.0)
    first_at, second_at = T0 + timedelta(seconds=5), T0 + timedelta(seconds=60)
    context = progress_context_load(booking_ids=[job.pk])
    # when a flush holding positions at +5 s and +60 s prefetches (one query) and computes both
    with django_assert_num_queries(1):
        progress_speeds_prefetch(
            context,
            positions=[
                (job.pk, *EAST_OF_DESTINATION, first_at),
                (job.pk, *EAST_OF_DESTINATION, second_at),
            ],
        )
    with django_assert_num_queries(0):
        first = progress_of_position(
            context=context, booking_id=job.pk, lat=45.75, lng=4.90, recorded_at=first_at
        )
        second = progress_of_position(
            context=context, booking_id=job.pk, lat=45.75, lng=4.90, recorded_at=second_at
        )
    # then the first ETA uses the speeds up to +5 s: 0.3 x 20 + 0.7 x 10 = 13 m/s (46.8 km/h),
    # 5.0 km in 6.4 min; the second (55 s later: recomputed) adds 99 m/s: 38.8 m/s, 2.1 min
    assert first == {"eta_minutes": 7, "distance_remaining_km": 5.0}
    assert second == {"eta_minutes": 3, "distance_remaining_km": 5.0}
