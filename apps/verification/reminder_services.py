"""Expiry reminders and the daily sweep: claim each reminder once, send it, retry failures.

Split from services.py (review decisions and the status) along the seam of the daily job.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from apps.core.delivery import row_deliver_once
from apps.core.tasks import enqueue_on_commit
from apps.verification.models import Document, DocumentReminder
from apps.verification.selectors import verification_today
from apps.verification.services import documents_expire

Status = Document.Status


def _reminder_queue(reminder_id: int) -> None:
    """Send the reminder after the commit; a lost task is re-queued by the next sweep."""
    from apps.verification.tasks import document_reminder_send_task  # tasks import us: late

    enqueue_on_commit(document_reminder_send_task, reminder_id)


def _reminder_due(days_left: int) -> int | None:
    """The reminder a document `days_left` days from expiry is due for (the nearest threshold)."""
    due = [days for days in settings.VERIFICATION_REMINDER_DAYS if days_left <= days]
    return min(due) if due else None


@transaction.atomic
def document_reminders_claim(*, today: date | None = None) -> list[int]:
    """Claim the reminders due today: one row per (document, days_before), inserted at most once.

    INSERT ... ON CONFLICT DO NOTHING RETURNING id: when two sweeps race, the second insert waits
    on the unique index until the first commits, then inserts nothing and gets no id back, so
    only the sweep that created the row queues the e-mail (after its commit). A document that
    skipped a threshold (uploaded 5 days before expiry) gets only the nearest one (7 days).
    """
    today = today or verification_today()
    horizon = today + timedelta(days=max(settings.VERIFICATION_REMINDER_DAYS))
    candidates = Document.objects.filter(
        status=Status.APPROVED, expires_on__gt=today, expires_on__lte=horizon
    ).values_list("pk", "company_id", "expires_on")
    table = DocumentReminder._meta.db_table
    claimed: list[int] = []
    with connection.cursor() as cursor:
        for document_id, company_id, expires_on in candidates:
            days_before = _reminder_due((expires_on - today).days)
            if days_before is None:
                continue
            cursor.execute(
                f"INSERT INTO {table} "  # noqa: S608 (table name from model meta, not input)
                "(company_id, document_id, days_before, created_at, attempts, last_error) "
                "VALUES (%s, %s, %s, now(), 0, '') "
                "ON CONFLICT (document_id, days_before) DO NOTHING RETURNING id",
                [company_id, document_id, days_before],
            )
            row = cursor.fetchone()
            if row is not None:
                claimed.append(row[0])
                _reminder_queue(row[0])
    return claimed


def document_reminders_retry(*, stale_after: timedelta = timedelta(hours=1)) -> list[int]:
    """Re-queue claimed reminders whose e-mail failed (sent_at NULL), up to the attempt cap."""
    stale = DocumentReminder.objects.filter(
        sent_at__isnull=True,
        attempts__lt=settings.VERIFICATION_REMINDER_MAX_ATTEMPTS,
        created_at__lt=timezone.now() - stale_after,
    ).values_list("pk", flat=True)
    ids = list(stale)
    for reminder_id in ids:
        _reminder_queue(reminder_id)
    return ids


class ReminderDeliveryFailed(Exception):
    """The reminder e-mail could not be sent; the row stays unsent and is retried."""


def document_reminder_deliver(*, reminder_id: int) -> bool:
    """Send one claimed reminder unless it was sent already; True when this call sent it.

    apps/core/delivery.py: the row is locked with SKIP LOCKED, so a duplicate task running at
    the same time skips it; `sent_at` is set in the same transaction as the send. On failure
    the attempt and the error are recorded and ReminderDeliveryFailed is raised (Celery
    retries; the sweep re-queues).
    """
    from apps.verification.notifications import reminder_email_send

    pending = DocumentReminder.objects.select_related("document__company").filter(
        sent_at__isnull=True, attempts__lt=settings.VERIFICATION_REMINDER_MAX_ATTEMPTS
    )
    delivery = row_deliver_once(
        pending=pending,
        pk=reminder_id,
        send=lambda reminder: reminder_email_send(reminder=reminder),
        log_event="verification.reminder_failed",
    )
    if delivery.failed:
        raise ReminderDeliveryFailed(delivery.error)
    return delivery.sent


def verification_sweep(*, today: date | None = None) -> dict[str, int]:
    """The daily job: expire what has expired, recompute statuses, claim and queue reminders."""
    today = today or verification_today()
    expired = documents_expire(today=today)
    claimed = document_reminders_claim(today=today)
    retried = document_reminders_retry()
    return {"expired": expired, "reminders": len(claimed), "retried": len(retried)}
