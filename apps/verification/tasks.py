"""Background jobs of verification (thin: fetch by id, call a service or a notification)."""

from __future__ import annotations

from smtplib import SMTPException
from typing import Any

from celery import shared_task

from apps.verification import notifications, reminder_services, services
from apps.verification.models import CompanyStatusChange, DocumentReview

_RETRY: dict[str, Any] = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": True,
    "retry_kwargs": {"max_retries": 5},
}


@shared_task
def verification_expiry_sweep_task() -> dict[str, int]:
    """Daily (beat): expire documents, recompute statuses, claim and queue reminders."""
    return reminder_services.verification_sweep()


@shared_task
def verification_status_recompute_all_task() -> int:
    """Nightly (beat): recompute every company's status, the safety net (idempotent)."""
    return services.companies_verification_recompute_all()


@shared_task(
    autoretry_for=(reminder_services.ReminderDeliveryFailed,),
    retry_backoff=60,
    retry_kwargs={"max_retries": 4},
)
def document_reminder_send_task(reminder_id: int) -> bool:
    """Send one claimed reminder (idempotent: sent at most once per row)."""
    return reminder_services.document_reminder_deliver(reminder_id=reminder_id)


@shared_task(**_RETRY)
def document_decision_notify_task(review_id: int) -> int:
    """E-mail the owners about one review decision."""
    review = DocumentReview.objects.select_related("document__company").get(pk=review_id)
    return notifications.document_decision_email_send(review=review)


@shared_task(**_RETRY)
def company_status_notify_task(change_id: int) -> int:
    """E-mail the owners about one company status change."""
    change = CompanyStatusChange.objects.select_related("company").get(pk=change_id)
    return notifications.company_status_email_send(change=change)
