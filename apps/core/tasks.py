"""Periodic housekeeping of shared pieces."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from apps.core.models import OutboxMessage

OUTBOX_RETENTION = timedelta(days=7)


@shared_task
def outbox_prune_task() -> int:
    """Delete dev-outbox messages older than a week (idempotent)."""
    deleted, _ = OutboxMessage.objects.filter(
        created_at__lt=timezone.now() - OUTBOX_RETENTION
    ).delete()
    return deleted
