"""Reads of notifications and message threads (permission-scoped by the caller)."""

from __future__ import annotations

from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, QuerySet, Value, When

from apps.accounts.models import User
from apps.bookings.models import Booking, BookingMessage, Notification


def notifications_for_user(*, user: User) -> QuerySet[Notification]:
    """The user's notifications: unread first, then newest first."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return (
        Notification.objects.filter(user=user)
        .alias(unread=unread)
        .order_by("-unread", "-created_at", "-id")
    )


def booking_messages(*, booking: Booking) -> QuerySet[BookingMessage]:
    """The booking's thread, oldest first, each with `author_role` ("customer" or "staff")."""
    return (
        BookingMessage.objects.filter(booking=booking)
        .annotate(
            author_role=Case(
                When(author_id=F("booking__customer_id"), then=Value("customer")),
                default=Value("staff"),
            )
        )
        .order_by("created_at", "id")
    )
