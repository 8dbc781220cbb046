"""Retention: positions past 30 days thinned to one a minute per driver; expired ones deleted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.gis.geos import Point
from django.utils import timezone

from apps.tracking.models import Position
from apps.tracking.tasks import tracking_positions_retention_task

pytestmark = pytest.mark.django_db


def stored_at(company, at):
    Position.objects.create(
        company=company.company,
        truck=company.truck,
        driver=company.driver,
        point=Point(2.35, 48.85, srid=4326),
        recorded_at=at,
        received_at=at,
    )


def test_old_positions_are_thinned_per_driver_and_minute_and_expired_ones_deleted(
    alice, bob, settings
):
    # Given positions of two drivers at chosen ages, and a batch size that forces several batches
    settings.TRACKING_RETENTION_BATCH = 1
    minute = (timezone.now() - timedelta(days=40)).replace(second=0, microsecond=0)
    recent = (timezone.now() - timedelta(days=10)).replace(second=0, microsecond=0)
    expired = timezone.now() - timedelta(days=366)
    for seconds in (5, 20, 50, 70):
        stored_at(alice, minute + timedelta(seconds=seconds))
    stored_at(bob, minute + timedelta(seconds=30))
    for seconds in (1, 2, 3):
        stored_at(alice, recent + timedelta(seconds=seconds))
    stored_at(alice, expired)
    stored_at(bob, expired - timedelta(days=1))

    # When the nightly job runs
    result = tracking_positions_retention_task()

    # Then each driver keeps the first fix of each old minute, recent ones stay, expired go
    assert result == {"expired": 2, "thinned": 2}
    assert list(Position.objects.order_by("recorded_at").values_list("driver", "recorded_at")) == [
        (alice.driver.pk, minute + timedelta(seconds=5)),
        (bob.driver.pk, minute + timedelta(seconds=30)),
        (alice.driver.pk, minute + timedelta(seconds=70)),
        (alice.driver.pk, recent + timedelta(seconds=1)),
        (alice.driver.pk, recent + timedelta(seconds=2)),
        (alice.driver.pk, recent + timedelta(seconds=3)),
    ]
    # and a rerun has nothing left to do
    assert tracking_positions_retention_task() == {"expired": 0, "thinned": 0}
    assert Position.objects.count() == 6


def test_the_retention_horizon_is_a_setting(alice, settings):
    settings.TRACKING_RETENTION_DAYS = 90
    stored_at(alice, timezone.now() - timedelta(days=91))
    stored_at(alice, timezone.now() - timedelta(days=89))

    assert tracking_positions_retention_task() == {"expired": 1, "thinned": 0}
    assert Position.objects.count() == 1


def test_the_retention_job_is_on_the_beat_schedule():
    entry = django_settings.CELERY_BEAT_SCHEDULE["tracking-positions-retention"]
    assert entry["task"] == "apps.tracking.tasks.tracking_positions_retention_task"
