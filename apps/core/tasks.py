"""Queueing Celery tasks after commit (one way for every app), and housekeeping of shared pieces."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from celery import Task, shared_task
from django.db import transaction
from django.utils import timezone

from apps.core.models import OutboxMessage

OUTBOX_RETENTION = timedelta(days=7)


def enqueue_on_commit(task: Task, *args: int | str) -> None:
    """Queue `task.delay(*args)` once the current transaction commits (ids, never objects).

    Nothing is queued if the transaction rolls back, and the worker reads committed rows.
    robust: a broker outage after the commit is logged, not raised into the caller, whose
    change is already committed; each caller documents how a lost task is made up for.
    """
    for arg in args:
        if not isinstance(arg, (int, str)) or isinstance(arg, bool):
            raise TypeError(f"Tasks take ids, not {type(arg).__name__} objects.")
    transaction.on_commit(partial(task.delay, *args), robust=True)


@shared_task
def outbox_prune_task() -> int:
    """Delete dev-outbox messages older than a week (idempotent)."""
    deleted, _ = OutboxMessage.objects.filter(
        created_at__lt=timezone.now() - OUTBOX_RETENTION
    ).delete()
    return deleted


@shared_task
def idempotency_prune_task() -> int:
    """Delete Idempotency-Key records past their TTL (idempotent; apps.core.idempotency)."""
    from apps.core.idempotency import idempotency_records_prune

    return idempotency_records_prune()
