"""Base model with timestamps, the dev outbox (SMS and e-mail in dev/test), idempotency keys."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OutboxMessage(models.Model):
    """A message as sent, kept only when settings.OUTBOX_ENABLED (dev and test settings)."""

    class Channel(models.TextChoices):
        SMS = "sms", "SMS"
        EMAIL = "email", "E-mail"

    channel = models.CharField(max_length=8, choices=Channel.choices)
    to = models.CharField(max_length=254, db_index=True)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} to {self.to} at {self.created_at:%Y-%m-%d %H:%M:%S}"


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with an `Idempotency-Key`, replayed for its retries.

    One row per (user, key), written in the same transaction as the work it answers, so the
    booking (say) and its stored answer commit together or not at all. apps/core/idempotency.py
    has the protocol; rows older than IDEMPOTENCY_KEY_TTL_HOURS are ignored and pruned.
    """

    # The caller's user id. A plain column, not a foreign key: core relates to no other app
    # (tests/core/test_layering.py), and a row outlives no user by more than the TTL anyway.
    user_id = models.BigIntegerField()
    key = models.CharField(max_length=255)
    request_fingerprint = models.CharField(max_length=64)  # sha256 of method, path and body
    response_status = models.PositiveSmallIntegerField()
    response_body = models.TextField()  # the JSON exactly as first sent
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user_id", "key"], name="core_idempotency_user_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} of user {self.user_id} ({self.response_status})"
