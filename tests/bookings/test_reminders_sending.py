"""The reminder sweep: each due reminder goes out exactly once (two sweeps, a killed worker),
by the right channel, with an in-app notification; failures retry, late ones are dropped."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from smtplib import SMTPException
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connections

from apps.bookings.models import Booking, Notification, Reminder
from apps.bookings.reminder_services import reminders_plan, reminders_send_due
from apps.bookings.tasks import bookings_reminders_send_due_task
from apps.core.models import OutboxMessage
from tests.bookings.engagement_helpers import (
    booking_with_window,
    customer_with_email_and_phone,
    schedule,
)
from tests.race import race_same

PARIS = ZoneInfo("Europe/Paris")
PLANNED_AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
START = datetime(2026, 12, 10, 9, 0, tzinfo=PARIS)  # 08:00 UTC
DAY_BEFORE = datetime(2026, 12, 9, 8, 0, tzinfo=UTC)  # the customer's 24 h reminder is due


class FailingEmailBackend(BaseEmailBackend):
    """The SMTP server refuses every message."""

    def send_messages(self, email_messages):
        raise SMTPException("451 try again later")


class DyingSmsBackend:
    """A worker killed in the middle of sending: it has claimed the row, then the process dies
    (SystemExit is not an Exception: nothing catches it, the transaction rolls back)."""

    claimed = threading.Event()
    die = threading.Event()

    def send(self, *, to: str, body: str) -> None:
        DyingSmsBackend.claimed.set()
        assert DyingSmsBackend.die.wait(timeout=30)
        raise SystemExit("worker killed")


def _booking(company, *, customer=None, **fields) -> Booking:
    extra = {"move_request__customer": customer} if customer is not None else {}
    booking = booking_with_window(
        company, start=START, end=START + timedelta(hours=4), **extra, **fields
    )
    reminders_plan(booking=booking, now=PLANNED_AT)
    return booking


@pytest.mark.django_db
def test_a_due_customer_reminder_is_e_mailed_once_with_an_in_app_notification(alice, settings):
    settings.EMAIL_BACKEND = "apps.core.messaging.OutboxEmailBackend"
    customer = customer_with_email_and_phone(name="Ada", email="ada@example.com")
    booking = _booking(alice.company, customer=customer)

    first = reminders_send_due(now=DAY_BEFORE)
    second = reminders_send_due(now=DAY_BEFORE + timedelta(minutes=1))

    assert (first["sent"], second["sent"]) == (1, 0)
    reminder = Reminder.objects.get(booking=booking, kind="customer_24h")
    assert (reminder.status, reminder.attempts, reminder.sent_at is not None) == ("sent", 1, True)
    assert Reminder.objects.get(booking=booking, kind="customer_2h").status == "planned"
    [mail] = OutboxMessage.objects.filter(to="ada@example.com")
    assert mail.subject == "[MoveHub] Reminder: your move with Alice, Thu 10 Dec 09:00"
    assert "Reminder: your move with Alice starts tomorrow." in mail.body
    assert "When: Thursday 10 December 2026, 09:00-13:00 (Europe/Paris)" in mail.body
    assert f"Contact Alice: +33400000000, contact@alice.example (quote booking #{booking.pk})" in (
        mail.body
    )
    assert OutboxMessage.objects.filter(to=customer.phone).count() == 0
    [notice] = Notification.objects.filter(user=customer)
    assert (notice.kind, notice.title, notice.data) == (
        "reminder",
        "Your move starts tomorrow",
        {"booking": booking.pk, "reminder": "customer_24h"},
    )


@pytest.mark.django_db
def test_the_2_hour_reminder_goes_by_sms_and_the_crew_gets_the_addresses_by_sms(alice):
    customer = customer_with_email_and_phone(email="ada@example.com", phone="+33655550000")
    booking = booking_with_window(
        alice.company,
        start=START,
        end=START + timedelta(hours=4),
        move_request__customer=customer,
    )
    schedule(booking, start=START, end=START + timedelta(hours=4), drivers=[alice.driver])
    reminders_plan(booking=booking, now=PLANNED_AT)

    evening = reminders_send_due(now=datetime(2026, 12, 9, 17, 0, tzinfo=UTC))
    morning = reminders_send_due(now=datetime(2026, 12, 10, 6, 0, tzinfo=UTC))

    # The crew's at 18:00 Paris the evening before (the customer's 24 h one, 9 h late by then,
    # is dropped: the sweep was not running), the customer's 2 h one in the morning.
    assert (evening["sent"], evening["missed"], morning["sent"]) == (1, 1, 1)
    [sms] = OutboxMessage.objects.filter(to="+33655550000")
    assert sms.channel == "sms"
    assert sms.body == (
        f"MoveHub: your move with Alice starts in 2 hours (Thu 10 Dec 09:00). "
        f"Booking #{booking.pk}. Alice: +33400000000"
    )
    [crew_sms] = OutboxMessage.objects.filter(to=alice.driver.phone)
    assert crew_sms.body == (
        f"MoveHub: tomorrow Thu 10 Dec 09:00, booking #{booking.pk}. "
        "From: 1 Place Bellecour, Lyon To: 10 Cours Gambetta, Lyon"
    )
    assert Notification.objects.filter(user=alice.driver_user, kind="reminder").count() == 1
    missed = Reminder.objects.get(booking=booking, kind="customer_24h")
    assert (missed.status, missed.last_error) == ("failed", "Not sent in time.")


@pytest.mark.django_db
def test_a_failed_send_is_retried_with_backoff_then_given_up_at_the_cap(alice, settings):
    customer = customer_with_email_and_phone(email="ada@example.com")
    booking = _booking(alice.company, customer=customer)
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"

    attempts = []
    for minutes in [0, 0, 1, 2, 3, 6, 7, 14, 15]:
        result = reminders_send_due(now=DAY_BEFORE + timedelta(minutes=minutes))
        attempts.append(Reminder.objects.get(booking=booking, kind="customer_24h").attempts)
    given_up = reminders_send_due(now=DAY_BEFORE + timedelta(minutes=16))

    # Tries at due, +1, +3, +7, +15 minutes: 5 attempts, then the sweep gives up.
    assert attempts == [1, 1, 2, 2, 3, 3, 4, 4, 5]
    assert result["sent"] == 0
    assert given_up["missed"] == 1
    reminder = Reminder.objects.get(booking=booking, kind="customer_24h")
    assert (reminder.status, reminder.last_error) == (
        "failed",
        "SMTPException: 451 try again later",
    )
    assert Notification.objects.filter(user=customer).count() == 0  # rolled back with each try
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_a_failed_send_goes_out_on_the_next_try_once_the_server_is_back(alice, settings):
    customer = customer_with_email_and_phone(email="ada@example.com")
    booking = _booking(alice.company, customer=customer)
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
    reminders_send_due(now=DAY_BEFORE)

    settings.EMAIL_BACKEND = "apps.core.messaging.OutboxEmailBackend"
    result = reminders_send_due(now=DAY_BEFORE + timedelta(minutes=1))

    assert result["sent"] == 1
    reminder = Reminder.objects.get(booking=booking, kind="customer_24h")
    assert (reminder.status, reminder.attempts, reminder.last_error) == ("sent", 2, "")
    assert OutboxMessage.objects.filter(to="ada@example.com").count() == 1
    assert Notification.objects.filter(user=customer).count() == 1


@pytest.mark.django_db
def test_reminders_of_a_booking_that_is_no_longer_upcoming_are_cancelled_not_sent(alice):
    booking = _booking(alice.company)
    Booking.objects.filter(pk=booking.pk).update(status="cancelled", cancelled_at=PLANNED_AT)

    result = reminders_send_due(now=DAY_BEFORE)

    assert (result["sent"], result["cancelled"]) == (0, 2)
    assert set(Reminder.objects.values_list("status", flat=True)) == {"cancelled"}
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_nothing_is_sent_before_it_is_due(alice):
    _booking(alice.company)

    result = reminders_send_due(now=DAY_BEFORE - timedelta(seconds=1))

    assert result == {"sent": 0, "cancelled": 0, "missed": 0, "deliveries": 0}
    assert set(Reminder.objects.values_list("status", flat=True)) == {"planned"}


def test_the_beat_runs_the_sweep_task_every_minute():
    entry = django_settings.CELERY_BEAT_SCHEDULE["bookings-reminders-send-due"]

    assert entry == {
        "task": "apps.bookings.tasks.bookings_reminders_send_due_task",
        "schedule": 60.0,
    }
    assert bookings_reminders_send_due_task.name == entry["task"]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_due_reminder_exactly_once(alice, bob):
    bookings = [_booking(company) for company in (alice.company, bob.company) for _ in range(4)]
    due_at = datetime(2026, 12, 10, 6, 0, tzinfo=UTC) + timedelta(minutes=1)  # both are due

    results = race_same(2, lambda: reminders_send_due(now=due_at - timedelta(minutes=1)))

    # At 06:00 UTC the 2 h reminders are due and the 24 h ones (22 h late) are dropped.
    assert sum(r["sent"] for r in results) == len(bookings) == 8
    assert Reminder.objects.filter(kind="customer_2h", status="sent", attempts=1).count() == 8
    phones = sorted(b.customer.phone for b in bookings)
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == phones
    assert Notification.objects.filter(kind="reminder").count() == 8


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_leaves_the_reminder_to_the_next_sweep_which_sends_it_once(
    alice, settings
):
    booking = _booking(alice.company)
    due = datetime(2026, 12, 10, 6, 0, tzinfo=UTC)
    settings.SMS_BACKEND = f"{__name__}.DyingSmsBackend"
    DyingSmsBackend.claimed.clear()
    DyingSmsBackend.die.clear()
    outcome: list[BaseException] = []

    def dying_worker() -> None:
        try:
            reminders_send_due(now=due)
        except SystemExit as exc:
            outcome.append(exc)
        finally:
            connections.close_all()

    worker = threading.Thread(target=dying_worker, daemon=True)
    worker.start()
    assert DyingSmsBackend.claimed.wait(timeout=30)
    settings.SMS_BACKEND = "apps.core.messaging.OutboxSmsBackend"

    # While the dying worker holds the row, another sweep skips it (no wait, no second send).
    during = reminders_send_due(now=due)
    DyingSmsBackend.die.set()
    worker.join(timeout=30)
    after = reminders_send_due(now=due + timedelta(minutes=1))
    again = reminders_send_due(now=due + timedelta(minutes=2))

    assert [type(exc) for exc in outcome] == [SystemExit]
    assert (during["sent"], after["sent"], again["sent"]) == (0, 1, 0)
    reminder = Reminder.objects.get(booking=booking, kind="customer_2h")
    assert (reminder.status, reminder.attempts) == ("sent", 1)  # the killed try left no trace
    assert OutboxMessage.objects.filter(to=booking.customer.phone).count() == 1
    assert Notification.objects.filter(user=booking.customer, kind="reminder").count() == 1
