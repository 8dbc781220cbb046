"""booking_notify: who hears about what (never the actor), what the customer's e-mail says, and
the e-mail/SMS rows each sent once after the commit."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from smtplib import SMTPException
from zoneinfo import ZoneInfo

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from apps.bookings.models import Notification, NotificationDelivery
from apps.bookings.notification_services import (
    NotificationDeliveryFailed,
    booking_notify,
    notification_deliveries_send_stale,
    notification_delivery_send,
)
from apps.core.models import OutboxMessage
from tests.bookings.engagement_helpers import (
    booking_with_window,
    customer_with_email_and_phone,
    schedule,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 12, 10, 9, 0, tzinfo=PARIS)


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPException("451 try again later")


@pytest.fixture
def outbox_email(settings):
    """E-mail goes to the dev outbox (pytest-django would put it in locmem)."""
    settings.EMAIL_BACKEND = "apps.core.messaging.OutboxEmailBackend"


def _booking(company, **customer_fields):
    customer = customer_with_email_and_phone(**customer_fields)
    return booking_with_window(
        company, start=START, end=START + timedelta(hours=4), move_request__customer=customer
    )


def _who(booking) -> list[tuple[int, str]]:
    return sorted(
        Notification.objects.filter(booking=booking).values_list("user_id", "kind"),
    )


def _deliveries(booking) -> list[tuple[str, str]]:
    return sorted(
        NotificationDelivery.objects.filter(notification__booking=booking).values_list(
            "channel", "to"
        )
    )


def test_a_customers_acceptance_tells_the_owners_and_dispatchers_by_app_and_e_mail(alice, bob):
    booking = _booking(alice.company, email="ada@example.com")

    notifications = booking_notify(booking=booking, kind="confirmed", actor=booking.customer)

    # The customer gets their receipt too (by e-mail, no SMS for their own step).
    assert len(notifications) == 3
    assert _who(booking) == sorted(
        [
            (booking.customer_id, "confirmed"),
            (alice.owner.pk, "confirmed"),
            (alice.dispatcher.pk, "confirmed"),
        ]
    )
    assert _deliveries(booking) == sorted(
        [
            ("email", "ada@example.com"),
            ("email", alice.owner.email),
            ("email", alice.dispatcher.email),
        ]
    )
    customer_name = booking.customer.name
    notice = Notification.objects.get(user=alice.owner)
    assert notice.title == f"New booking #{booking.pk} from {customer_name}."
    assert notice.data == {"booking": booking.pk, "status": "confirmed"}
    assert Notification.objects.filter(user__in=[bob.owner, bob.dispatcher]).count() == 0


def test_a_schedule_by_the_dispatcher_tells_the_customer_the_owner_and_the_assigned_driver(alice):
    booking = _booking(alice.company, email="ada@example.com", phone="+33655550000")
    schedule(booking, start=START, end=START + timedelta(hours=4), drivers=[alice.driver])

    booking_notify(booking=booking, kind="scheduled", actor=alice.dispatcher)

    assert _who(booking) == sorted(
        [
            (booking.customer_id, "scheduled"),
            (alice.owner.pk, "scheduled"),
            (alice.driver_user.pk, "scheduled"),
        ]
    )
    # The customer by e-mail and SMS; staff hear about schedules in the app only.
    assert _deliveries(booking) == [("email", "ada@example.com"), ("sms", "+33655550000")]


def test_a_completion_is_not_sent_to_the_drivers_and_a_system_event_tells_everyone(alice):
    booking = _booking(alice.company)
    schedule(booking, start=START, end=START + timedelta(hours=4), drivers=[alice.driver])

    booking_notify(booking=booking, kind="completed", actor=None)

    assert {user for user, _ in _who(booking)} == {
        booking.customer_id,
        alice.owner.pk,
        alice.dispatcher.pk,
    }


def test_the_customer_e_mail_says_what_when_who_and_how_to_reach_the_company(
    alice, outbox_email, celery_eager, django_capture_on_commit_callbacks
):
    booking = _booking(alice.company, name="Ada", email="ada@example.com", phone="+33655550000")
    start = datetime(2026, 12, 10, 14, 0, tzinfo=PARIS)
    schedule(booking, start=start, end=start + timedelta(hours=3), drivers=[alice.driver])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        booking_notify(booking=booking, kind="scheduled", actor=alice.dispatcher)

    # one task per e-mail/SMS and the live status broadcast, all queued after the commit
    assert len(callbacks) == 3
    out = StringIO()
    call_command("outbox", "--to", "ada@example.com", "--last", stdout=out)
    assert out.getvalue().splitlines()[1:] == [
        f"Subject: [MoveHub] Booking #{booking.pk} with Alice: scheduled, Thu 10 Dec 14:00",
        "Hello Ada,",
        "",
        "Your move with Alice is scheduled.",
        "",
        "When: Thursday 10 December 2026, 14:00-17:00 (Europe/Paris)",
        "From: 1 Place Bellecour, Lyon",
        "To: 10 Cours Gambetta, Lyon",
        f"Booking: #{booking.pk}, 288.00 EUR",
        "",
        "Questions? Contact Alice: +33400000000, contact@alice.example "
        f"(quote booking #{booking.pk}).",
    ]
    [sms] = OutboxMessage.objects.filter(to="+33655550000")
    assert sms.body == (
        f"MoveHub: Your move with Alice is scheduled. Thu 10 Dec 14:00. Booking #{booking.pk}. "
        "Alice: +33400000000"
    )
    assert NotificationDelivery.objects.filter(sent_at__isnull=True).count() == 0


def test_a_delivery_is_sent_once_however_often_its_task_runs(alice, outbox_email):
    booking = _booking(alice.company, email="ada@example.com")
    booking_notify(booking=booking, kind="confirmed", actor=None)
    delivery = NotificationDelivery.objects.get(to="ada@example.com")

    runs = [notification_delivery_send(delivery_id=delivery.pk) for _ in range(3)]

    assert runs == [True, False, False]
    assert OutboxMessage.objects.filter(to="ada@example.com").count() == 1
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_error, delivery.sent_at is not None) == (1, "", True)


def test_a_refused_e_mail_is_recorded_and_the_sweep_sends_it_once_the_server_is_back(
    alice, settings
):
    booking = _booking(alice.company, email="ada@example.com")
    booking_notify(booking=booking, kind="cancelled", actor=alice.owner)
    delivery = NotificationDelivery.objects.get(to="ada@example.com")
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"

    with pytest.raises(NotificationDeliveryFailed):
        notification_delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.sent_at, delivery.attempts, delivery.last_error) == (
        None,
        1,
        "SMTPException: 451 try again later",
    )

    settings.EMAIL_BACKEND = "apps.core.messaging.OutboxEmailBackend"
    early = notification_deliveries_send_stale(now=timezone.now())
    later = notification_deliveries_send_stale(now=timezone.now() + timedelta(minutes=16))

    # The customer's e-mail and SMS, and the dispatcher's e-mail (the owner cancelled).
    assert (early, later) == (0, 3)
    assert OutboxMessage.objects.filter(to="ada@example.com").count() == 1


def test_an_event_that_rolls_back_leaves_no_notification_and_queues_nothing(
    alice, django_capture_on_commit_callbacks
):
    booking = _booking(alice.company, email="ada@example.com")

    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        booking_notify(booking=booking, kind="cancelled", actor=None)
        raise RuntimeError("the lifecycle step failed")

    assert callbacks == []
    assert Notification.objects.count() == 0
    assert NotificationDelivery.objects.count() == 0
