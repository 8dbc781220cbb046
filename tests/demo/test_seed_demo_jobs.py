"""seed_demo's jobs and map: the staffed company has work today (one job on the road) and
tomorrow, one to schedule; every truck is on the map; a rerun adds nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.bookings.demo import ON_THE_ROAD_FROM, demo_jobs_ensure
from apps.bookings.demo_history import HISTORY_NOTE
from apps.bookings.models import Booking, BookingEvent, Invoice
from apps.companies.demo import DISPATCHER_EMAIL, STAFFED_COMPANY_SLUG
from apps.companies.models import Company, Truck
from apps.tracking.models import TruckLastPosition
from tests.bookings.quoting import catalogue

__all__ = ["catalogue"]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]


def jobs() -> list[tuple[str, str]]:
    return sorted(
        Booking.objects.filter(company__slug=STAFFED_COMPANY_SLUG)
        .exclude(move_request__notes__startswith=HISTORY_NOTE)
        .values_list("move_request__notes", "status")
    )


def test_the_staffed_company_gets_todays_and_tomorrows_jobs_once():
    call_command("seed_demo")
    first = jobs()
    call_command("seed_demo")

    assert jobs() == first
    statuses = sorted(status for _, status in first)
    assert statuses == ["confirmed", "in_progress", "scheduled", "scheduled"]
    on_the_road = Booking.objects.get(status=Booking.Status.IN_PROGRESS)
    assert on_the_road.move_request.origin.y == pytest.approx(ON_THE_ROAD_FROM[0])
    assert list(
        BookingEvent.objects.filter(booking=on_the_road).values_list("kind", flat=True)
    ) == ["confirmed", "scheduled", "started"]


def test_every_truck_is_on_the_map():
    call_command("seed_demo")

    assert TruckLastPosition.objects.count() == Truck.objects.count() == 6


def test_a_job_left_in_progress_by_an_earlier_day_is_completed_with_the_code():
    # Given yesterday's seed (its on-the-road job still in progress)
    call_command("seed_demo")
    company = Company.objects.get(slug=STAFFED_COMPANY_SLUG)
    stale = Booking.objects.get(status=Booking.Status.IN_PROGRESS)
    customer, dispatcher = stale.customer, company.memberships.get(user__email=DISPATCHER_EMAIL)

    # When the demo jobs are made again a day later
    demo_jobs_ensure(
        company=company,
        customer=customer,
        dispatcher=dispatcher.user,
        now=timezone.now() + timedelta(days=1),
    )

    # Then that job is completed with the customer's code and invoiced
    stale.refresh_from_db()
    assert (stale.status, stale.handover_verified) == (Booking.Status.COMPLETED, True)
    assert Invoice.objects.filter(booking=stale).count() == 1
