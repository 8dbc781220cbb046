"""One notion of when a job starts: reminders, suggestions and the cancellation notice agree."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apps.bookings.models import Booking, Reminder
from apps.bookings.reminder_services import reminders_plan
from apps.bookings.schedule_selectors import booking_window
from apps.bookings.selectors import booking_expected_start
from tests.bookings.engagement_helpers import booking_with_window, schedule
from tests.bookings.factories import BookingFactory
from tests.bookings.lifecycle_support import url
from tests.bookings.test_lifecycle_steps import rules_with
from tests.conftest import auth_client_for
from tests.pricing.factories import PricingConfigFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_a_scheduled_booking_is_expected_at_its_scheduled_start(alice):
    window = datetime(2026, 12, 10, 9, 0, tzinfo=PARIS)
    booking = booking_with_window(alice.company, start=window, end=window + timedelta(hours=3))
    scheduled = datetime(2026, 12, 10, 13, 30, tzinfo=PARIS)
    schedule(booking, start=scheduled, end=scheduled + timedelta(hours=2), drivers=[alice.driver])

    assert booking_expected_start(booking=booking) == scheduled


def test_an_unscheduled_booking_is_expected_at_the_start_of_its_arrival_window(alice):
    window = datetime(2026, 12, 10, 9, 30, tzinfo=PARIS)
    booking = booking_with_window(alice.company, start=window, end=window + timedelta(hours=3))

    assert booking_expected_start(booking=booking) == window


def test_without_a_window_the_workday_start_hour_on_the_move_date_in_company_time(alice, settings):
    settings.BOOKING_WORKDAY_START_HOUR = 7
    booking = BookingFactory(company=alice.company, move_request__move_date=date(2026, 12, 10))

    start = booking_expected_start(booking=booking)

    assert start == datetime(2026, 12, 10, 7, 0, tzinfo=PARIS)
    assert start.astimezone(UTC) == datetime(2026, 12, 10, 6, 0, tzinfo=UTC)


def test_reminders_and_suggestions_count_from_the_same_start_without_a_window(alice, settings):
    settings.BOOKING_WORKDAY_START_HOUR = 8
    booking = BookingFactory(company=alice.company, move_request__move_date=date(2026, 12, 10))
    expected = datetime(2026, 12, 10, 8, 0, tzinfo=PARIS)

    reminders_plan(booking=booking, now=NOW)
    window_start, window_end = booking_window(booking=booking)

    due = dict(Reminder.objects.filter(booking=booking).values_list("kind", "due_at"))
    assert due == {
        Reminder.Kind.CUSTOMER_DAY_BEFORE: expected - timedelta(hours=24),
        Reminder.Kind.CUSTOMER_SOON: expected - timedelta(hours=2),
    }
    assert (window_start, window_end) == (expected, expected + timedelta(hours=3))


def test_the_cancellation_notice_counts_from_the_workday_start_not_midnight(alice):
    # Given a move without a schedule or a window two local days ahead, and a notice period
    # longer than the time left to the move date's midnight but shorter than to its 08:00.
    move_date = timezone.now().astimezone(PARIS).date() + timedelta(days=2)
    midnight = datetime.combine(move_date, datetime.min.time(), tzinfo=PARIS)
    hours_to_midnight = (midnight - timezone.now()).total_seconds() / 3600
    notice_hours = math.ceil(hours_to_midnight) + 1  # past midnight, well before 08:00
    PricingConfigFactory(
        company=alice.company,
        rules=rules_with({"notice_hours": notice_hours, "fee_percent": "20"}),
    )
    booking = BookingFactory(company=alice.company, move_request__move_date=move_date)

    # When the customer cancels
    response = auth_client_for(booking.customer).post(url(booking, "cancel"), {}, format="json")

    # Then the notice counts from 08:00: cancelling is still free (from midnight it was not).
    assert response.status_code == 200
    assert response.json()["cancellation_fee"] is None
    booking.refresh_from_db()
    assert (booking.status, booking.cancellation_fee) == (Booking.Status.CANCELLED, None)


def test_the_cancellation_notice_counts_from_the_window_start_when_there_is_one(alice):
    start = timezone.now() + timedelta(hours=30)
    PricingConfigFactory(
        company=alice.company, rules=rules_with({"notice_hours": 31, "fee_percent": "10"})
    )
    booking = booking_with_window(alice.company, start=start, end=start + timedelta(hours=3))

    response = auth_client_for(booking.customer).post(url(booking, "cancel"), {}, format="json")

    assert response.json()["cancellation_fee"] == "28.80"  # 10 % of 288.00
