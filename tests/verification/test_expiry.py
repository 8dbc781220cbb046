"""The daily sweep: expiry makes companies unverified (and unfindable); reminders go out once."""

from __future__ import annotations

from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from apps.companies.models import Company
from apps.verification.models import CompanyStatusChange, Document, DocumentReminder
from apps.verification.reminder_services import (
    ReminderDeliveryFailed,
    document_reminder_deliver,
    document_reminders_claim,
    document_reminders_retry,
    verification_sweep,
)
from apps.verification.services import (
    company_verification_recompute,
)
from tests.companies.factories import TruckFactory
from tests.race import race_same
from tests.verification.factories import DocumentFactory, approved_set

LYON = "45.7640,4.8357"


class FailingEmailBackend(BaseEmailBackend):
    """The outside world failing: the SMTP server refuses every message."""

    def send_messages(self, email_messages):
        raise SMTPException("451 try again later")


def _search_ids(client) -> list[int]:
    response = client.get("/api/v1/companies/", {"serves": LYON})
    assert response.status_code == 200
    return [c["id"] for c in response.json()["results"]]


@pytest.mark.django_db
def test_expiry_sweep_makes_the_company_unverified_and_removes_it_from_search(
    alice, api_client, django_capture_on_commit_callbacks, celery_eager, mailoutbox
):
    today = timezone.localdate()
    docs = approved_set(alice.company, truck=alice.truck, driver=alice.driver)
    Document.objects.filter(pk=docs["insurance_policy"].pk).update(
        expires_on=today + timedelta(days=1), number="POL-LAST-DAY"
    )
    company_verification_recompute(company=alice.company, reason="setup")
    assert _search_ids(api_client) == [alice.company.pk]

    midnight = today + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        result = verification_sweep(today=midnight)

    assert result == {"expired": 1, "reminders": 0, "retried": 0}
    insurance = Document.objects.get(pk=docs["insurance_policy"].pk)
    assert insurance.status == "expired"
    review = insurance.reviews.get()
    assert (review.from_status, review.to_status, review.actor) == ("approved", "expired", None)
    alice.company.refresh_from_db()
    assert alice.company.verification_status == "pending"
    change = CompanyStatusChange.objects.get(company=alice.company)
    assert (change.from_status, change.to_status, change.reason, change.missing) == (
        "verified",
        "pending",
        "Documents expired.",
        ["insurance_policy"],
    )
    assert _search_ids(api_client) == []
    assert Company.objects.filter(verification_status="verified").count() == 0
    assert sorted(m.subject for m in mailoutbox) == [
        "[MoveHub] Alice: verification pending",
        "[MoveHub] Expired: insurance policy POL-LAST-DAY",
    ]


@pytest.mark.django_db
def test_a_second_sweep_the_same_day_changes_nothing(alice):
    today = timezone.localdate()
    approved_set(alice.company, truck=alice.truck, driver=alice.driver)
    Document.objects.filter(kind="operating_licence").update(expires_on=today)

    first = verification_sweep(today=today)
    second = verification_sweep(today=today)

    assert first["expired"] == 1
    assert second == {"expired": 0, "reminders": 0, "retried": 0}
    assert CompanyStatusChange.objects.count() == 1


@pytest.mark.django_db
def test_pending_uploads_past_their_expiry_are_expired_too_but_not_unfinished_ones(alice):
    today = timezone.localdate()
    pending = DocumentFactory(company=alice.company, expires_on=today)
    unfinished = DocumentFactory(
        company=alice.company, expires_on=today, uploaded_at=None, file_sha256=""
    )

    verification_sweep(today=today)

    pending.refresh_from_db()
    unfinished.refresh_from_db()
    assert (pending.status, unfinished.status) == ("expired", "pending")


@pytest.mark.django_db
def test_reminders_go_out_30_7_and_1_days_before_each_exactly_once(
    alice, django_capture_on_commit_callbacks, celery_eager, mailoutbox
):
    today = timezone.localdate()
    document = DocumentFactory(
        company=alice.company, approved=True, number="POL-R", expires_on=today + timedelta(days=30)
    )

    for day in [0, 0, 1, 22, 23, 23, 28, 29, 29]:
        with django_capture_on_commit_callbacks(execute=True):
            verification_sweep(today=today + timedelta(days=day))

    assert list(
        DocumentReminder.objects.order_by("days_before").values_list(
            "document_id", "days_before", "attempts", "last_error"
        )
    ) == [(document.pk, 1, 1, ""), (document.pk, 7, 1, ""), (document.pk, 30, 1, "")]
    assert DocumentReminder.objects.filter(sent_at__isnull=True).count() == 0
    subject = f"[MoveHub] Reminder: your insurance policy POL-R expires on {document.expires_on}"
    assert [m.subject for m in mailoutbox] == [subject, subject, subject]
    assert ["30-day" in mailoutbox[0].body, "7-day" in mailoutbox[1].body] == [True, True]
    assert "(this is the 1-day reminder)" in mailoutbox[2].body
    assert all(m.to == [alice.owner.email] for m in mailoutbox)


@pytest.mark.django_db
def test_a_document_uploaded_late_gets_only_the_nearest_reminder(alice):
    today = timezone.localdate()
    DocumentFactory(company=alice.company, approved=True, expires_on=today + timedelta(days=5))
    DocumentFactory(
        company=alice.company,
        kind="operating_licence",
        coverage_amount=None,
        currency="",
        policy_type="",
        approved=True,
        expires_on=today + timedelta(days=31),
    )
    DocumentFactory(company=alice.company, expires_on=today + timedelta(days=6))  # pending

    claimed = document_reminders_claim(today=today)

    assert list(DocumentReminder.objects.values_list("days_before", flat=True)) == [7]
    assert len(claimed) == 1


@pytest.mark.django_db
def test_a_failed_reminder_is_recorded_and_sent_by_a_later_attempt(
    alice, settings, django_capture_on_commit_callbacks, mailoutbox
):
    today = timezone.localdate()
    DocumentFactory(company=alice.company, approved=True, expires_on=today + timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=False):
        [reminder_id] = document_reminders_claim(today=today)

    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
    with pytest.raises(ReminderDeliveryFailed):
        document_reminder_deliver(reminder_id=reminder_id)
    failed = DocumentReminder.objects.get(pk=reminder_id)
    assert (failed.sent_at, failed.attempts, failed.last_error) == (
        None,
        1,
        "SMTPException: 451 try again later",
    )
    assert document_reminders_retry(stale_after=timedelta(0)) == [reminder_id]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert document_reminder_deliver(reminder_id=reminder_id) is True
    assert document_reminder_deliver(reminder_id=reminder_id) is False
    sent = DocumentReminder.objects.get(pk=reminder_id)
    assert (sent.attempts, sent.last_error, sent.sent_at is not None) == (2, "", True)
    assert len(mailoutbox) == 1
    assert document_reminders_retry(stale_after=timedelta(0)) == []


@pytest.mark.django_db
def test_a_reminder_is_given_up_after_the_attempt_cap(alice, settings):
    today = timezone.localdate()
    DocumentFactory(company=alice.company, approved=True, expires_on=today + timedelta(days=1))
    [reminder_id] = document_reminders_claim(today=today)
    DocumentReminder.objects.filter(pk=reminder_id).update(
        attempts=settings.VERIFICATION_REMINDER_MAX_ATTEMPTS
    )

    assert document_reminder_deliver(reminder_id=reminder_id) is False
    assert document_reminders_retry(stale_after=timedelta(0)) == []


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_exactly_one_reminder_per_document_and_day(
    alice, bob, celery_eager, mailoutbox
):
    today = timezone.localdate()
    expected = set()
    for company in (alice.company, bob.company):
        for days, due in [(30, 30), (7, 7), (1, 1), (12, 30)]:
            document = DocumentFactory(
                company=company,
                kind="truck_registration",
                truck=TruckFactory(company=company),
                coverage_amount=None,
                currency="",
                policy_type="",
                approved=True,
                expires_on=today + timedelta(days=days),
            )
            expected.add((document.pk, due))
        # and one expiring today, so both sweeps also race on the company lock
        DocumentFactory(company=company, approved=True, expires_on=today)
    results = race_same(2, lambda: verification_sweep(today=today))

    # Between them the two sweeps claimed each reminder and expired each document exactly once.
    assert sum(r["reminders"] for r in results) == len(expected) == 8
    assert sum(r["expired"] for r in results) == 2
    assert set(DocumentReminder.objects.values_list("document_id", "days_before")) == expected
    assert DocumentReminder.objects.filter(sent_at__isnull=True).count() == 0
    reminders = [m for m in mailoutbox if m.subject.startswith("[MoveHub] Reminder")]
    assert sorted(m.subject for m in reminders) == sorted(
        f"[MoveHub] Reminder: your truck registration {d.number} for truck {d.truck} "
        f"expires on {d.expires_on}"
        for d in Document.objects.filter(pk__in=[pk for pk, _ in expected])
    )
    assert Document.objects.filter(status="expired").count() == 2
