"""Reminder planning: 24 h and 2 h before the start for the customer, the evening before for the
crew; re-planned on reschedule, cancelled on cancellation, never in the past, DST-safe."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from apps.bookings.models import Booking, Reminder
from apps.bookings.reminder_services import reminders_cancel, reminders_plan
from tests.bookings.engagement_helpers import booking_with_window, schedule
from tests.bookings.factories import BookingFactory
from tests.companies.factories import DriverFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _plan(booking: Booking) -> list[tuple[str, int, datetime, str]]:
    return [
        (r.kind, r.recipient_id, r.due_at, r.status)
        for r in Reminder.objects.filter(booking=booking).order_by("due_at", "kind", "id")
    ]


def test_a_confirmed_booking_reminds_the_customer_24_and_2_hours_before_the_window(alice):
    start = datetime(2026, 12, 10, 9, 0, tzinfo=PARIS)  # 08:00 UTC
    booking = booking_with_window(alice.company, start=start, end=start + timedelta(hours=4))

    reminders_plan(booking=booking, now=NOW)

    customer = booking.customer_id
    assert _plan(booking) == [
        ("customer_24h", customer, datetime(2026, 12, 9, 8, 0, tzinfo=UTC), "planned"),
        ("customer_2h", customer, datetime(2026, 12, 10, 6, 0, tzinfo=UTC), "planned"),
    ]
    assert Reminder.objects.filter(company=alice.company).count() == 2


def test_a_scheduled_booking_counts_from_the_scheduled_start_and_tells_the_crew_the_evening_before(
    alice,
):
    second = DriverFactory(company=alice.company)
    window = datetime(2026, 12, 10, 9, 0, tzinfo=PARIS)
    booking = booking_with_window(alice.company, start=window, end=window + timedelta(hours=4))
    start = datetime(2026, 12, 10, 13, 30, tzinfo=PARIS)  # 12:30 UTC
    schedule(booking, start=start, end=start + timedelta(hours=3), drivers=[alice.driver, second])

    reminders_plan(booking=booking, now=NOW)

    crew_due = datetime(2026, 12, 9, 17, 0, tzinfo=UTC)  # 18:00 in Paris
    customer = booking.customer_id
    drivers = sorted([alice.driver_user.pk, second.membership.user_id])
    assert _plan(booking) == [
        ("customer_24h", customer, datetime(2026, 12, 9, 12, 30, tzinfo=UTC), "planned"),
        ("crew_evening", drivers[0], crew_due, "planned"),
        ("crew_evening", drivers[1], crew_due, "planned"),
        ("customer_2h", customer, datetime(2026, 12, 10, 10, 30, tzinfo=UTC), "planned"),
    ]


def test_without_a_window_the_workday_start_on_the_move_date_in_company_time_is_used(
    alice, settings
):
    settings.BOOKING_WORKDAY_START_HOUR = 8
    booking = BookingFactory(company=alice.company, move_request__move_date=date(2026, 12, 10))

    reminders_plan(booking=booking, now=NOW)

    assert [due for _, _, due, _ in _plan(booking)] == [
        datetime(2026, 12, 9, 7, 0, tzinfo=UTC),  # 08:00 Paris the day before
        datetime(2026, 12, 10, 5, 0, tzinfo=UTC),
    ]


def test_across_a_dst_switch_24_hours_are_real_hours_and_the_crew_evening_is_local_18h(alice):
    # Paris springs forward on Sunday 28 March 2027 at 02:00 (UTC+1 -> UTC+2).
    start = datetime(2027, 3, 28, 9, 0, tzinfo=PARIS)
    assert start.astimezone(UTC) == datetime(2027, 3, 28, 7, 0, tzinfo=UTC)
    booking = booking_with_window(alice.company, start=start, end=start + timedelta(hours=3))
    schedule(booking, start=start, end=start + timedelta(hours=3), drivers=[alice.driver])

    reminders_plan(booking=booking, now=NOW)

    due = {kind: due_at for kind, _, due_at, _ in _plan(booking)}
    # 24 real hours before: 07:00 UTC on the 27th, which is 08:00 on Paris clocks (not 09:00).
    assert due["customer_24h"] == datetime(2027, 3, 27, 7, 0, tzinfo=UTC)
    assert due["customer_24h"].astimezone(PARIS).hour == 8
    assert due["customer_2h"] == datetime(2027, 3, 28, 5, 0, tzinfo=UTC)
    # The crew's evening is 18:00 on Paris clocks the day before, still winter time: 17:00 UTC.
    assert due["crew_evening"] == datetime(2027, 3, 27, 17, 0, tzinfo=UTC)


def test_reminders_that_would_be_due_in_the_past_are_not_planned(alice):
    start = NOW + timedelta(hours=5)  # the 24 h reminder is already past, the 2 h one is not
    booking = booking_with_window(alice.company, start=start, end=start + timedelta(hours=2))
    schedule(booking, start=start, end=start + timedelta(hours=2), drivers=[alice.driver])

    reminders_plan(booking=booking, now=NOW)

    assert _plan(booking) == [
        ("customer_2h", booking.customer_id, NOW + timedelta(hours=3), "planned"),
    ]


def test_a_reschedule_replans_the_planned_reminders_and_keeps_the_sent_ones_sent(alice):
    start = datetime(2026, 12, 10, 9, 0, tzinfo=PARIS)
    booking = booking_with_window(alice.company, start=start, end=start + timedelta(hours=4))
    schedule(booking, start=start, end=start + timedelta(hours=4), drivers=[alice.driver])
    reminders_plan(booking=booking, now=NOW)
    sent_at = datetime(2026, 12, 9, 17, 0, tzinfo=UTC)
    Reminder.objects.filter(booking=booking, kind="crew_evening").update(
        status="sent", sent_at=sent_at, attempts=1
    )

    # Moved to the next day, 10:00 Paris (09:00 UTC), 17:30 UTC the day before.
    later = datetime(2026, 12, 11, 10, 0, tzinfo=PARIS)
    schedule(booking, start=later, end=later + timedelta(hours=4), drivers=[alice.driver])
    reminders_plan(booking=booking, now=datetime(2026, 12, 9, 17, 30, tzinfo=UTC))

    customer, driver = booking.customer_id, alice.driver_user.pk
    assert _plan(booking) == [
        ("customer_24h", customer, datetime(2026, 12, 9, 8, 0, tzinfo=UTC), "cancelled"),
        ("crew_evening", driver, datetime(2026, 12, 9, 17, 0, tzinfo=UTC), "sent"),
        ("customer_2h", customer, datetime(2026, 12, 10, 6, 0, tzinfo=UTC), "cancelled"),
        ("customer_24h", customer, datetime(2026, 12, 10, 9, 0, tzinfo=UTC), "planned"),
        ("crew_evening", driver, datetime(2026, 12, 10, 17, 0, tzinfo=UTC), "planned"),
        ("customer_2h", customer, datetime(2026, 12, 11, 7, 0, tzinfo=UTC), "planned"),
    ]
    assert Reminder.objects.get(booking=booking, status="sent").sent_at == sent_at


def test_planning_twice_keeps_one_planned_reminder_per_kind_and_person(alice):
    start = datetime(2026, 12, 10, 9, 0, tzinfo=PARIS)
    booking = booking_with_window(alice.company, start=start, end=start + timedelta(hours=4))

    reminders_plan(booking=booking, now=NOW)
    reminders_plan(booking=booking, now=NOW)

    assert Reminder.objects.filter(booking=booking, status="planned").count() == 2
    assert Reminder.objects.filter(booking=booking, status="cancelled").count() == 2


def test_a_cancellation_cancels_every_planned_reminder_and_plans_none(alice):
    start = datetime(2026, 12, 10, 9, 0, tzinfo=PARIS)
    booking = booking_with_window(alice.company, start=start, end=start + timedelta(hours=4))
    schedule(booking, start=start, end=start + timedelta(hours=4), drivers=[alice.driver])
    reminders_plan(booking=booking, now=NOW)
    Reminder.objects.filter(booking=booking, kind="customer_24h").update(status="sent", sent_at=NOW)

    Booking.objects.filter(pk=booking.pk).update(status="cancelled", cancelled_at=NOW)
    booking.refresh_from_db()
    cancelled = reminders_cancel(booking=booking)
    replanned = reminders_plan(booking=booking, now=NOW)

    assert (cancelled, replanned) == (2, [])
    assert sorted(Reminder.objects.filter(booking=booking).values_list("kind", "status")) == [
        ("crew_evening", "cancelled"),
        ("customer_24h", "sent"),
        ("customer_2h", "cancelled"),
    ]


def test_other_bookings_reminders_are_left_alone(alice, bob):
    start = datetime(2026, 12, 10, 9, 0, tzinfo=PARIS)
    mine = booking_with_window(alice.company, start=start, end=start + timedelta(hours=4))
    other = booking_with_window(bob.company, start=start, end=start + timedelta(hours=4))
    reminders_plan(booking=mine, now=NOW)
    reminders_plan(booking=other, now=NOW)

    reminders_cancel(booking=mine)

    assert set(Reminder.objects.filter(booking=other).values_list("status", flat=True)) == {
        "planned"
    }
