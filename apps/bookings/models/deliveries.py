"""The e-mail or SMS a notification sends: one row per message, the record of what was sent.

`booking_notify` writes the rendered message (recipient address, subject, body) in the event's
transaction; a thin task sends it after the commit through apps/core/delivery.py, which sets
`sent_at` in the same transaction as the send, so a duplicated or retried task sends it once.
"""

from __future__ import annotations

from django.db import models

from apps.bookings.models.engagement import Notification


class NotificationDelivery(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        SMS = "sms", "SMS"

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    to = models.CharField(max_length=254)  # an e-mail address or an E.164 phone number
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="bookings_delivery_one_per_channel"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=["email", "sms"]),
                name="bookings_delivery_channel_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="bookings_delivery_unsent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} to {self.to} ({'sent' if self.sent_at else 'unsent'})"
