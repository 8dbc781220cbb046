"""Around a booking: reminders, in-app notifications, the message thread, reviews and photos."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.companies.models import Company


class Reminder(models.Model):
    """A reminder planned for one person at `due_at`; the row is the claim to send it once.

    Planned on confirm/schedule, re-planned on reschedule (the old ones cancelled), cancelled
    on cancellation. The sweep claims due rows with SKIP LOCKED; `sent_at` is set in the same
    transaction as the send, so a reminder goes out once however many workers run.
    """

    class Kind(models.TextChoices):
        CUSTOMER_DAY_BEFORE = "customer_24h", "Customer, 24 h before"
        CUSTOMER_SOON = "customer_2h", "Customer, 2 h before"
        CREW_EVENING = "crew_evening", "Crew, the evening before"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed"

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    due_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["status", "due_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind", "recipient"],
                condition=Q(status="planned"),
                name="bookings_reminder_one_planned",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="bookings_reminder_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for booking {self.booking_id} at {self.due_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """An in-app notice for one user (status changes, reminders, messages); unread until read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    booking = models.ForeignKey(
        "bookings.Booking",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    kind = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=2000, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"


class BookingMessage(models.Model):
    """One message in a booking's thread between its customer and the company's staff."""

    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["booking", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="bookings_message_body_not_empty"),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} on booking {self.booking_id}"


class Review(models.Model):
    """The customer's rating (1-5) of a completed booking, once; the company may reply once."""

    booking = models.OneToOneField(
        "bookings.Booking", on_delete=models.PROTECT, related_name="review"
    )
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="reviews")
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reply = models.TextField(max_length=2000, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["company", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="bookings_review_rating_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(replied_at__isnull=True) | ~Q(reply=""),
                name="bookings_review_reply_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 for booking {self.booking_id}"


class BookingPhoto(models.Model):
    """A proof-of-delivery photo, checked and stored like verification documents."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    booking = models.ForeignKey("bookings.Booking", on_delete=models.PROTECT, related_name="photos")
    # As verification's documents: a random storage key, what we measured of the content.
    file_key = models.CharField(max_length=255, unique=True)
    file_size = models.PositiveBigIntegerField()
    file_content_type = models.CharField(max_length=64)
    file_sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"photo {self.pk} of booking {self.booking_id}"
