"""Base model with timestamps, and the dev outbox that keeps every SMS and e-mail in dev/test."""

from __future__ import annotations

from django.db import models


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
