"""Send the message a row stands for exactly once: lock it (SKIP LOCKED), send, mark it sent.

The one mechanism behind verification's expiry reminders and the bookings' reminders and
notification e-mail/SMS. A row that stands for one outgoing message has `sent_at` (NULL until
sent), `attempts` and `last_error`; the caller's `pending` queryset says which rows may still
be sent (e.g. `sent_at IS NULL AND attempts < cap`).

Why it is exactly once:
- two workers delivering the same row: the row is locked with SKIP LOCKED, so the second one
  skips it instead of waiting; if it comes later, the first one has committed `sent_at` and the
  `pending` filter (re-checked on the locked row's latest version) no longer matches;
- a worker killed mid-send: its transaction rolls back with the connection, the row is still
  pending and unlocked, and the next attempt (Celery's acks_late redelivery or the next sweep)
  sends it. The one window left is a kill after the gateway accepted the message but before the
  commit: that message goes out twice. No database can close it against an outside gateway;
  one row per message keeps it to one message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import structlog
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

logger = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Delivery:
    """What one delivery attempt did: sent it, found nothing to send, or failed (with why)."""

    sent: bool
    error: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.error)


def row_deliver_once(
    *,
    pending: models.QuerySet[Any],
    pk: int,
    send: Callable[[Any], object],  # its return value is ignored
    sent_update: dict[str, Any] | None = None,
    log_event: str,
) -> Delivery:
    """Send the message of row `pk` unless it was sent already (or another worker holds it).

    `send(row)` runs inside the row's transaction, in a savepoint: on failure its own writes
    are undone, the attempt and the error are recorded and `Delivery(sent=False, error=...)`
    is returned (the caller decides whether to raise for a retry). On success `sent_at`,
    `attempts` and `last_error` are updated with `sent_update` in the same transaction.
    """
    model = pending.model
    with transaction.atomic():
        row = pending.select_for_update(skip_locked=True, of=("self",)).filter(pk=pk).first()
        if row is None:
            return Delivery(sent=False)
        try:
            with transaction.atomic():
                send(row)
        except Exception as exc:  # any backend failure: record it, retry later
            error = f"{type(exc).__name__}: {exc}"[:255]
            model.objects.filter(pk=pk).update(attempts=F("attempts") + 1, last_error=error)
            logger.warning(log_event, table=model._meta.db_table, row_id=pk, error=error)
            return Delivery(sent=False, error=error)
        model.objects.filter(pk=pk).update(
            attempts=F("attempts") + 1,
            sent_at=timezone.now(),
            last_error="",
            **(sent_update or {}),
        )
        return Delivery(sent=True)
