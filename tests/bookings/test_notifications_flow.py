"""Notifications end to end: every step through the API leaves the customer's in-app notice and,
where the kind sends one, the e-mail in the outbox (sent by the task queued on commit)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apps.bookings.models import Booking, Notification, NotificationDelivery
from apps.core.models import OutboxMessage
from tests.bookings.engagement_helpers import customer_with_email_and_phone
from tests.bookings.factories import QuoteFactory
from tests.bookings.lifecycle_support import booking_in, url
from tests.bookings.review_factories import stored_review
from tests.bookings.scheduling import assignable_driver, at, body, ready
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db

Status = Booking.Status
EMAIL = "ada@example.com"
PHONE = "+33655550000"


@pytest.fixture
def ada(db):
    return customer_with_email_and_phone(name="Ada", email=EMAIL, phone=PHONE)


@pytest.fixture
def delivered(settings, celery_eager, django_capture_on_commit_callbacks):
    """Run `call` like a request: its on-commit tasks run (e-mail/SMS into the dev outbox)."""
    settings.EMAIL_BACKEND = "apps.core.messaging.OutboxEmailBackend"

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            response = call()
        assert response.status_code in (200, 201), response.json()
        return response

    return run


def _notices(user) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(user=user).order_by("id").values_list("kind", "title"))


def _outbox(to: str) -> list[tuple[str, str]]:
    return list(
        OutboxMessage.objects.filter(to=to).order_by("id").values_list("channel", "subject")
    )


def _all_sent() -> bool:
    return not NotificationDelivery.objects.filter(sent_at__isnull=True).exists()


def test_accepting_a_quote_gives_the_customer_a_receipt_and_tells_the_staff(alice, ada, delivered):
    quote = QuoteFactory(company=alice.company, move_request__customer=ada)

    response = delivered(lambda: auth_client_for(ada).post(f"/api/v1/quotes/{quote.pk}/accept/"))

    booking_id = response.json()["id"]
    assert _notices(ada) == [("confirmed", f"Booking #{booking_id}: confirmed")]
    [(channel, subject)] = _outbox(EMAIL)  # an e-mail receipt; no SMS for their own step
    assert channel == "email"
    assert subject.startswith(f"[MoveHub] Booking #{booking_id} with Alice: confirmed, ")
    receipt = OutboxMessage.objects.get(to=EMAIL).body
    assert "You booked Alice." in receipt
    assert _outbox(PHONE) == []
    assert _notices(alice.owner) == [("confirmed", f"New booking #{booking_id} from Ada.")]
    assert _outbox(alice.owner.email) == [("email", subject)]
    assert _all_sent()


def test_scheduling_tells_the_customer_by_app_e_mail_and_sms_and_the_driver_in_the_app(
    alice, ada, delivered
):
    ready(alice)
    booking = booking_in(Status.CONFIRMED, company=alice, move_request__customer=ada)
    start, end = at(9), at(13)

    delivered(
        lambda: alice.dispatcher_client.post(
            url(booking, "schedule"), body(alice.truck, [alice.driver], start, end), format="json"
        )
    )

    assert _notices(ada) == [("scheduled", f"Booking #{booking.pk}: scheduled")]
    [(_, subject), (sms, _)] = _outbox(EMAIL) + _outbox(PHONE)
    assert subject == (
        f"[MoveHub] Booking #{booking.pk} with Alice: scheduled, "
        f"{start.astimezone(ZoneInfo(alice.company.timezone)):%a %d %b %H:%M}"
    )
    assert sms == "sms"
    assert _notices(alice.driver_user) == [
        ("scheduled", f"Booking #{booking.pk} (Ada) is scheduled.")
    ]
    assert _notices(alice.dispatcher) == []  # the actor
    assert _all_sent()


def test_a_reschedule_tells_the_new_crew_and_the_driver_taken_off_the_job(alice, ada, delivered):
    ready(alice)
    second = assignable_driver(alice.company)
    booking = booking_in(Status.CONFIRMED, company=alice, move_request__customer=ada)
    alice.owner_client.post(
        url(booking, "schedule"), body(alice.truck, [alice.driver], at(9), at(13)), format="json"
    )
    Notification.objects.all().delete()

    delivered(
        lambda: alice.dispatcher_client.post(
            url(booking, "schedule"), body(alice.truck, [second], at(10), at(14)), format="json"
        )
    )

    assert _notices(ada) == [("rescheduled", f"Booking #{booking.pk}: rescheduled")]
    assert [channel for channel, _ in _outbox(EMAIL) + _outbox(PHONE)] == ["email", "sms"]
    assert _notices(second.membership.user) == [
        ("rescheduled", f"Booking #{booking.pk} (Ada) was rescheduled.")
    ]
    [off] = Notification.objects.filter(user=alice.driver_user)
    assert (off.kind, off.title) == ("unassigned", f"Off booking #{booking.pk}")
    assert off.body.startswith(f"You are no longer on booking #{booking.pk} (Ada).")
    assert off.data == {"booking": booking.pk, "status": "scheduled"}
    assert _all_sent()


def test_a_reschedule_keeping_the_crew_tells_nobody_they_are_off_the_job(alice, ada, delivered):
    ready(alice)
    booking = booking_in(Status.CONFIRMED, company=alice, move_request__customer=ada)
    alice.owner_client.post(
        url(booking, "schedule"), body(alice.truck, [alice.driver], at(9), at(13)), format="json"
    )

    delivered(
        lambda: alice.dispatcher_client.post(
            url(booking, "schedule"),
            body(alice.truck, [alice.driver], at(10), at(14)),
            format="json",
        )
    )

    assert [kind for kind, _ in _notices(alice.driver_user)] == ["scheduled", "rescheduled"]
    assert Notification.objects.filter(kind="unassigned").count() == 0


def test_starting_tells_the_customer_by_app_e_mail_and_sms(alice, ada, delivered):
    booking = booking_in(Status.SCHEDULED, company=alice, move_request__customer=ada)

    delivered(lambda: alice.driver_client.post(url(booking, "start"), {}, format="json"))

    assert _notices(ada) == [("started", f"Booking #{booking.pk}: started")]
    [(email, subject), (sms, _)] = _outbox(EMAIL) + _outbox(PHONE)
    assert (email, sms) == ("email", "sms")
    assert subject.startswith(f"[MoveHub] Booking #{booking.pk} with Alice: started, ")
    assert [kind for kind, _ in _notices(alice.owner)] == ["started"]
    assert _notices(alice.driver_user) == []  # the actor
    assert _all_sent()


def test_completing_tells_the_customer_by_app_and_e_mail_only(alice, ada, delivered):
    booking = booking_in(Status.IN_PROGRESS, company=alice, move_request__customer=ada)

    delivered(
        lambda: alice.driver_client.post(
            url(booking, "complete"), {"handover_code": booking.handover_code}, format="json"
        )
    )

    assert _notices(ada) == [("completed", f"Booking #{booking.pk}: completed")]
    [(channel, subject)] = _outbox(EMAIL)
    assert channel == "email"
    assert subject.startswith(f"[MoveHub] Booking #{booking.pk} with Alice: completed, ")
    assert "Your move with Alice is complete." in OutboxMessage.objects.get(to=EMAIL).body
    assert _outbox(PHONE) == []
    assert _all_sent()


def test_the_company_cancelling_tells_the_customer_the_crew_and_the_other_staff(
    alice, ada, delivered
):
    booking = booking_in(Status.SCHEDULED, company=alice, move_request__customer=ada)

    delivered(lambda: alice.owner_client.post(url(booking, "cancel"), {}, format="json"))

    assert _notices(ada) == [("cancelled", f"Booking #{booking.pk}: cancelled")]
    assert [channel for channel, _ in _outbox(EMAIL) + _outbox(PHONE)] == ["email", "sms"]
    assert "Your booking with Alice was cancelled." in OutboxMessage.objects.get(to=EMAIL).body
    assert [kind for kind, _ in _notices(alice.driver_user)] == ["cancelled"]
    assert [kind for kind, _ in _notices(alice.dispatcher)] == ["cancelled"]
    assert _notices(alice.owner) == []  # the actor
    assert _all_sent()


def test_the_customer_cancelling_gets_a_receipt_by_e_mail_without_sms(alice, ada, delivered):
    booking = booking_in(Status.CONFIRMED, company=alice, move_request__customer=ada)

    delivered(lambda: auth_client_for(ada).post(url(booking, "cancel"), {}, format="json"))

    assert _notices(ada) == [("cancelled", f"Booking #{booking.pk}: cancelled")]
    assert [channel for channel, _ in _outbox(EMAIL)] == ["email"]
    assert "You cancelled your booking with Alice." in OutboxMessage.objects.get(to=EMAIL).body
    assert _outbox(PHONE) == []
    assert [kind for kind, _ in _notices(alice.owner)] == ["cancelled"]
    assert _all_sent()


def test_a_review_tells_the_companys_owner_and_dispatcher_by_app_and_e_mail(alice, ada, delivered):
    booking = booking_in(Status.COMPLETED, company=alice, move_request__customer=ada)

    delivered(
        lambda: auth_client_for(ada).post(
            url(booking, "review"), {"rating": 4, "comment": "Careful crew."}, format="json"
        )
    )

    title = f"New review: 4/5 for booking #{booking.pk}"
    for staff in (alice.owner, alice.dispatcher):
        [notice] = Notification.objects.filter(user=staff)
        assert (notice.kind, notice.title) == ("reviewed", title)
        assert notice.body == f"Ada rated booking #{booking.pk} 4/5. Careful crew."
        assert _outbox(staff.email) == [("email", f"[MoveHub] {title}")]
    assert _notices(ada) == []  # the actor
    assert _notices(alice.driver_user) == []
    assert _all_sent()


def test_a_reply_to_a_review_tells_the_customer_by_app_and_e_mail(alice, ada, delivered):
    booking = booking_in(Status.COMPLETED, company=alice, move_request__customer=ada)
    stored_review(booking=booking, rating=5)

    delivered(
        lambda: alice.owner_client.post(
            url(booking, "review/reply"), {"reply": "Thank you, Ada!"}, format="json"
        )
    )

    [notice] = Notification.objects.filter(user=ada)
    assert (notice.kind, notice.title) == ("review_replied", "Alice replied to your review")
    assert notice.body == f"Alice replied to your review of booking #{booking.pk}. Thank you, Ada!"
    assert _outbox(EMAIL) == [("email", "[MoveHub] Alice replied to your review")]
    assert "Thank you, Ada!" in OutboxMessage.objects.get(to=EMAIL).body
    assert _notices(alice.dispatcher) == []  # replies go to the customer only
    assert _all_sent()


def test_a_step_refused_tells_nobody(alice, ada):
    booking = booking_in(
        Status.SCHEDULED,
        company=alice,
        start=timezone.now() + timedelta(days=3),
        move_request__customer=ada,
    )

    response = alice.driver_client.post(url(booking, "start"), {}, format="json")

    assert response.status_code == 409
    assert Notification.objects.count() == 0
    assert NotificationDelivery.objects.count() == 0
