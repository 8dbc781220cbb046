"""Background jobs of the accounts app (thin: fetch by id, call a service)."""

from __future__ import annotations

from celery import shared_task

from apps.accounts.passwords import RETRYABLE, password_set_link_send


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, retry_kwargs={"max_retries": 5})
def password_set_link_send_task(user_id: int) -> bool:
    """Send a new company owner without a password the link to choose one."""
    return password_set_link_send(user_id=user_id)
