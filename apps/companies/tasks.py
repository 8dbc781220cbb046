"""Background jobs of the companies app (thin: fetch by id, call a service)."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from apps.companies.member_services import membership_invitation_send


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
)
def membership_invitation_send_task(membership_id: int) -> bool:
    """E-mail a new member their invitation (idempotent: sends at most once per membership)."""
    return membership_invitation_send(membership_id=membership_id)
